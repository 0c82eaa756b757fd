#include <catch2/catch.hpp>

#include <algorithm>

#include "models/datacenter/ServiceRouting.hpp"

using namespace outagesim::datacenter;

// The datacenter model's service routing (ServiceRouting.hpp) on plain inputs: what each place
// reaches is written down by hand, as a teacher would draw it on the board.
namespace {

constexpr double kNo = PlaceReach::unreached;

// A company with two datacenters (dc:east, dc:west) serving `web`, an edge site near each
// (edge-e, edge-w: users' way in) and one DNS site (dns-1); one region, `east`, whose users reach
// edge-e in 5 ms and edge-w in 40 ms. Over the backbone, each edge site reaches both datacenters.
struct Company {
  RoutingInput in;

  Company() {
    in.datacenters = {{"dc:east", true}, {"dc:west", true}};
    in.services = {{"web", {"dc:east", "dc:west"}}};
    in.sites.push_back(site("edge-e", false, {0.002, 0.030}));
    in.sites.push_back(site("edge-w", false, {0.030, 0.002}));
    in.sites.push_back(site("dns-1", true, {0.010, 0.010}));
    PlaceReach east;
    east.to_dc = {kNo, kNo}; // users never cross the backbone themselves
    east.to_site = {0.005, 0.040, 0.008};
    in.regions = {east};
    in.flows = {{0, 0}};
  }

  static RoutingSite site(const char* id, bool dns, std::vector<double> to_dc) {
    RoutingSite s;
    s.id = id;
    s.dns = dns;
    s.services = {"web"};
    s.reach.to_dc = std::move(to_dc);
    s.reach.dc_opened.assign(s.reach.to_dc.size(), 0);
    return s;
  }

  RoutingSite& edge_e() { return in.sites[0]; }
  RoutingSite& edge_w() { return in.sites[1]; }
  RoutingSite& dns() { return in.sites[2]; }
  PlaceReach& east() { return in.regions[0]; }
};

} // namespace

TEST_CASE("service routing: users enter at the nearest edge site, which sends them to its nearest datacenter",
          "[datacenter]") {
  Company c;
  const RoutingResult r = route_services(c.in);
  REQUIRE(r.flows.size() == 1);
  const FlowRoute& f = r.flows[0];
  CHECK(f.dns_reach);
  CHECK(f.site == 0);
  CHECK(f.dc == 0);
  CHECK(f.why.empty());
  CHECK(r.datacenters[0].reachable);
  CHECK(r.datacenters[1].reachable);
}

TEST_CASE("service routing: one edge site withdrawn, users go to the other and its datacenter",
          "[datacenter]") {
  Company c;
  c.edge_e().announced = false;
  c.edge_e().last_change = 41; // its withdrawal
  const RoutingResult r = route_services(c.in);
  CHECK(r.flows[0].site == 1);
  CHECK(r.flows[0].dc == 1); // edge-w's nearest
  // Both datacenters still get requests through edge-w.
  CHECK(r.datacenters[0].reachable);
  CHECK(r.datacenters[1].reachable);
}

TEST_CASE("service routing: a site whose node is down serves nothing, even if still announced",
          "[datacenter]") {
  Company c;
  c.edge_e().up = false;
  const RoutingResult r = route_services(c.in);
  CHECK(r.flows[0].site == 1);
}

TEST_CASE("service routing: the backbone cut, edge sites reach no datacenter and datacenters go dark",
          "[datacenter]") {
  Company c;
  for (RoutingSite* s : {&c.edge_e(), &c.edge_w()}) {
    s->reach.to_dc = {kNo, kNo};
    s->reach.cut = {"link:backbone/east-west", "link:backbone/east-west-2"};
    s->reach.cut_cause = 17; // the configuration change that took the backbone down
  }
  const RoutingResult r = route_services(c.in);
  const FlowRoute& f = r.flows[0];
  CHECK(f.site == 0); // the users still reach the (announced) edge site...
  CHECK(f.dc == -1);  // ...which reaches no datacenter
  CHECK(f.why == "edge site edge-e reaches no datacenter of web (cut off by link:backbone/east-west, "
                 "link:backbone/east-west-2)");
  CHECK(f.cause == 17);
  for (const auto& d : r.datacenters) {
    CHECK_FALSE(d.reachable);
    CHECK(d.cause == 17);
  }
}

TEST_CASE("service routing: all sites isolated and withdrawn, nothing is announced within reach",
          "[datacenter]") {
  Company c;
  c.edge_e().announced = false;
  c.edge_e().last_change = 50;
  c.edge_w().announced = false;
  c.edge_w().last_change = 52;
  c.dns().announced = false;
  c.dns().last_change = 51;
  const RoutingResult r = route_services(c.in);
  const FlowRoute& f = r.flows[0];
  CHECK(f.site == -1);
  CHECK(f.dc == -1);
  CHECK_FALSE(f.dns_reach);
  // DNS first (the users' first step), then the way in; the DNS withdrawal is the cause.
  CHECK(f.why ==
        "no DNS site of web within reach (dns-1 withdrawn); no edge site of web announced within reach");
  CHECK(f.cause == 51);
  for (const auto& d : r.datacenters) {
    CHECK_FALSE(d.reachable);
    CHECK(d.cause == 52); // the latest withdrawal
  }
}

TEST_CASE("service routing: the region cut off from every site, its own cut explains it", "[datacenter]") {
  Company c;
  c.east().to_site = {kNo, kNo, kNo};
  c.east().cut = {"link:access/east"};
  c.east().cut_cause = 9;
  c.dns().node_change = 0;
  const RoutingResult r = route_services(c.in);
  const FlowRoute& f = r.flows[0];
  CHECK_FALSE(f.dns_reach);
  CHECK(f.why ==
        "no DNS site of web within reach (dns-1 unreachable); no edge site of web announced within reach");
  CHECK(f.cause == 9); // no site changed: the region's cut
  // The datacenters are fine: other regions' requests would still arrive.
  CHECK(r.datacenters[0].reachable);
}

TEST_CASE("service routing: partial capacity, one datacenter down, the other serves everyone",
          "[datacenter]") {
  Company c;
  c.in.datacenters[0].up = false;
  c.edge_e().reach.to_dc[0] = kNo; // its node is down: no path ends there
  c.edge_w().reach.to_dc[0] = kNo;
  const RoutingResult r = route_services(c.in);
  CHECK(r.flows[0].site == 0);
  CHECK(r.flows[0].dc == 1);
  CHECK_FALSE(r.datacenters[0].reachable);
  CHECK(r.datacenters[1].reachable);
}

TEST_CASE("service routing: what reopened a datacenter is the latest change on a serving site's way",
          "[datacenter]") {
  Company c;
  c.edge_e().last_change = 30;          // re-announced at event 30
  c.edge_w().reach.dc_opened = {44, 0}; // a backbone link back up at event 44 on edge-w's way to dc:east
  const RoutingResult r = route_services(c.in);
  CHECK(r.datacenters[0].up_cause == 44);
  CHECK(r.datacenters[1].up_cause == 30);
}

TEST_CASE("service routing: without edge sites, a region goes straight to its nearest datacenter",
          "[datacenter]") {
  Company c;
  c.in.sites = {};
  c.east().to_site = {};
  c.east().to_dc = {0.020, 0.008};
  auto r = route_services(c.in);
  CHECK(r.flows[0].dc == 1);
  CHECK(r.flows[0].site == -1);
  CHECK(r.flows[0].dns_reach); // no DNS site to fail
  CHECK(r.datacenters[0].reachable);

  c.east().to_dc = {kNo, kNo};
  c.east().cut = {"link:a", "link:b", "link:c", "link:d", "link:e"};
  c.east().cut_cause = 3;
  r = route_services(c.in);
  CHECK(r.flows[0].dc == -1);
  CHECK(r.flows[0].why == "no path to any datacenter of web (cut off by link:a, link:b, link:c and 2 more)");
  CHECK(r.flows[0].cause == 3);
  CHECK_FALSE(r.datacenters[0].reachable);
}

TEST_CASE("service routing: a datacenter that does not serve the service is never chosen for it",
          "[datacenter]") {
  Company c;
  c.in.services[0].served_from = {"dc:west"};
  const RoutingResult r = route_services(c.in);
  CHECK(r.flows[0].site == 0);
  CHECK(r.flows[0].dc == 1); // edge-e's nearest of web's datacenters
}

TEST_CASE("service routing: users cross the Internet and the sites' links, never the backbone",
          "[datacenter]") {
  auto kinds = user_link_kinds(true);
  CHECK(std::count(kinds.begin(), kinds.end(), outagesim::sim::LinkKind::Backbone) == 0);
  CHECK(std::count(kinds.begin(), kinds.end(), outagesim::sim::LinkKind::Access) == 1);
  CHECK(user_link_kinds(false).empty()); // without edge sites: any link
  CHECK(list_some({"a"}) == "a");
  CHECK(list_some({"a", "b", "c", "d"}, 2) == "a, b and 2 more");
}
