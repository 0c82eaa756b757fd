#include <catch2/catch.hpp>

#include "models/dns/SiteReach.hpp"

using namespace outagesim::dns;
using outagesim::sim::RouteAnswer;

// The DNS model's reach of one authoritative site (SiteReach.hpp) on plain inputs: the questions a
// resolver's query meets on its way, in the order the model asks them.
namespace {
SiteReachInput site() {
  SiteReachInput in;
  in.site_path = "dns:a";
  in.latency = 0.012;
  return in;
}

RouteAnswer delivered_to(std::uint32_t asn) {
  RouteAnswer a;
  a.status = RouteAnswer::Status::Delivered;
  a.as_path = {64500, 174, asn};
  return a;
}
} // namespace

TEST_CASE("site reach: an up site on a path answers over the path's latency", "[dns]") {
  const Reach r = reach_site(site());
  CHECK(r.ok);
  CHECK(r.latency == Approx(0.012));
  CHECK(r.reason.empty());
}

TEST_CASE("site reach: a down site is down whatever the routes say", "[dns]") {
  SiteReachInput in = site();
  in.site_up = false;
  in.site_change = 12;
  const RouteAnswer a = delivered_to(32934);
  in.route = &a;
  in.site_asn = 32934;
  const Reach r = reach_site(in);
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "site dns:a is down");
  CHECK(r.cause == 12);
}

TEST_CASE("site reach: a withdrawn site takes no query, even with a topology path", "[dns]") {
  SiteReachInput in = site();
  in.withdrawn = 33;
  const Reach r = reach_site(in);
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "site dns:a withdrew its anycast announcement");
  CHECK(r.cause == 33);
}

TEST_CASE("site reach: cut off, the first down element is named and the latest event is the cause", "[dns]") {
  SiteReachInput in = site();
  in.latency.reset();
  in.cut = {{"link:backbone/a", 5}, {"router:pop-a", 8}};
  Reach r = reach_site(in);
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "no path; cut off by link:backbone/a and others");
  CHECK(r.cause == 8);
  in.cut.resize(1);
  r = reach_site(in);
  CHECK(r.reason == "no path; cut off by link:backbone/a");
  CHECK(r.cause == 5);
  in.cut.clear();
  r = reach_site(in);
  CHECK(r.reason == "no path");
  CHECK(r.cause == 0);
}

TEST_CASE("site reach: with BGP, the route decides; the topology only gives the latency", "[dns]") {
  SiteReachInput in = site();
  in.latency.reset(); // no topology path: BGP's verdict still delivers
  RouteAnswer a = delivered_to(32934);
  in.route = &a;
  in.site_asn = 32934;
  Reach r = reach_site(in);
  CHECK(r.ok);
  CHECK(r.latency == Approx(0.02 + 0.005 * 3)); // estimated from the AS hops

  // Anycast: the route ends at another site's AS.
  in.site_asn = 65001;
  r = reach_site(in);
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "routes lead to another site (AS32934)");

  // No route at all: fails at once (no timeout).
  a.status = RouteAnswer::Status::NoRoute;
  a.reason = "AS174 has no route to 129.134.30.12";
  a.cause = 70;
  r = reach_site(in);
  CHECK_FALSE(r.ok);
  CHECK(r.no_route);
  CHECK(r.reason == "AS174 has no route to 129.134.30.12");
  CHECK(r.cause == 70);
}
