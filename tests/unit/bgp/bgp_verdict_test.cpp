// The data plane's one verdict (sim::RouteAnswer from BgpDriver::lookup) on hand-built graphs: where
// a packet ends, whether its terminal AS is an authorised origin, and what a hijacker does with it
// (blackhole, impersonate, intercept); route origin validation, customer prefix filters and
// max-prefix limits deciding how far a bad route spreads; and the users' and the DNS model's reading
// of one answer agreeing.
#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpDriver.hpp"
#include "models/bgp/BgpModel.hpp"
#include "models/dns/RouteReach.hpp"
#include "sim/scenario/Loader.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace outagesim;
using namespace outagesim::bgp;
using Status = sim::RouteAnswer::Status;

namespace {

// Tier-1 peers 1 and 2; 10 a customer of 1, 20 of 2; the owner 100 (10.0.0.0/22, a ROA for exactly
// that) single-homed to 10; the hijacker 666 a customer of 20; users in 11 (behind 1), 21 (behind 2)
// and 12 (behind 10); 30 multi-homed to 1 and 2 (a leaker); 200 owns 10.9.0.0/16 behind 12.
const char* kBase = R"(scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}
bgp:
  links:
    - {a: 1, b: 2, rel: peer}
    - {a: 1, b: 10, rel: customer}
    - {a: 2, b: 20, rel: customer}
    - {a: 10, b: 100, rel: customer}
    - {a: 20, b: 666, rel: customer}
    - {a: 1, b: 11, rel: customer}
    - {a: 2, b: 21, rel: customer}
    - {a: 10, b: 12, rel: customer}
    - {a: 30, b: 1, rel: provider}
    - {a: 30, b: 2, rel: provider}
    - {a: 12, b: 200, rel: customer}
  prefixes:
    - {prefix: 10.0.0.0/22, origins: [100]}
    - {prefix: 10.9.0.0/16, origins: [200]}
  roas: [{prefix: 10.0.0.0/22, max_length: 22, origin: 100}]
  vantages: [1, 2]
)";

const std::vector<sim::ModelInfo>& models() {
  static const std::vector<sim::ModelInfo> list = {bgp_model_info()};
  return list;
}

std::unique_ptr<BgpDriver> driver(const std::string& extra = "") {
  sim::Diagnostics d;
  auto s = sim::load_scenario_text(std::string(kBase) + extra, "t.yaml", sim::LoadOptions{}, models(), d);
  std::ostringstream os;
  d.print(os);
  INFO(os.str());
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  auto drv = std::make_unique<BgpDriver>(setup->config, setup->graph, BgpParams{});
  drv->warm_up();
  return drv;
}

const Ipv4 kVictim = *parse_ipv4("10.0.0.10"); // in the hijacked /24

void hijack(BgpDriver& drv, const std::string& mode) {
  std::map<std::string, std::string> with{{"prefix", "10.0.0.0/24"}};
  if (!mode.empty()) with["mode"] = mode;
  REQUIRE(drv.apply("as:666", "hijack", with, drv.engine().now()));
  drv.engine().run_to_convergence();
}

// The users' reading of an answer (UsersModel): the share of requests served.
double users_served(const sim::RouteAnswer& a) {
  return a.served_share();
}
// The DNS model's reading of the same answer for the owner's site (in AS100).
dns::Reach dns_reach(const sim::RouteAnswer& a) {
  return dns::reach_over_route(a, 100, "dns:owner", std::nullopt, std::nullopt);
}

} // namespace

TEST_CASE("verdict: before any hijack every AS reaches the owner, an authorised origin",
          "[bgp][bgp-verdict]") {
  auto drv = driver();
  for (Asn from : {11u, 21u, 12u, 666u}) {
    const auto v = drv->lookup(from, kVictim);
    CHECK(v.answer.status == Status::Delivered);
    CHECK(v.answer.terminal() == 100);
    CHECK(v.answer.hijacker == 0);
    CHECK(v.answer.latency_s > 0);
  }
  CHECK(drv->authorised(100, *Prefix::parse("10.0.0.0/24"))); // covered by its declared /22
  CHECK_FALSE(drv->authorised(666, *Prefix::parse("10.0.0.0/24")));
}

TEST_CASE("verdict: a hijacked more-specific black-holes its catchment by default", "[bgp][bgp-verdict]") {
  auto drv = driver();
  hijack(*drv, "");
  for (Asn from : {11u, 21u, 12u}) {
    const auto v = drv->lookup(from, kVictim);
    INFO(v.answer.reason);
    CHECK(v.answer.status == Status::Blackholed);
    CHECK(v.answer.terminal() == 666);
    CHECK(v.answer.hijacker == 666);
    REQUIRE(v.hijack);
    CHECK(v.hijack->second == *Prefix::parse("10.0.0.0/24"));
    CHECK_THAT(v.answer.reason, Catch::Contains("AS666 originates 10.0.0.0/24 (hijack"));
    // Users and DNS: the same verdict (nothing served, the query lost, not a forged answer).
    CHECK(users_served(v.answer) == 0);
    const auto r = dns_reach(v.answer);
    CHECK_FALSE(r.ok);
    CHECK(r.hijacked_by == 0);
    CHECK(r.attracted_by == 666); // but the hijacker attracted it
    CHECK_FALSE(r.no_route); // a black hole times out
  }
  // Outside the /24 the owner still serves.
  CHECK(drv->lookup(11, *parse_ipv4("10.0.2.1")).answer.status == Status::Delivered);
}

TEST_CASE("verdict: an impersonating hijacker answers wrongly", "[bgp][bgp-verdict]") {
  auto drv = driver();
  hijack(*drv, "impersonate");
  const auto v = drv->lookup(11, kVictim);
  CHECK(v.answer.status == Status::Impersonated);
  CHECK(v.answer.hijacker == 666);
  CHECK(users_served(v.answer) == 0); // a web request gets a forged or failed response
  const auto r = dns_reach(v.answer);
  CHECK(r.ok);                 // the DNS query is answered ...
  CHECK(r.hijacked_by == 666); // ... with forged data
  CHECK(r.attracted_by == 666);
}

TEST_CASE("verdict: an interceptor forwards on to the owner: served, over more AS hops",
          "[bgp][bgp-verdict]") {
  auto before = driver();
  const auto direct = before->lookup(11, kVictim).answer;
  auto drv = driver();
  hijack(*drv, "intercept");
  const auto v = drv->lookup(11, kVictim);
  INFO(v.answer.reason);
  CHECK(v.answer.status == Status::Delivered);
  CHECK(v.answer.terminal() == 100);
  CHECK(v.answer.hijacker == 666);
  CHECK(v.answer.as_path == std::vector<std::uint32_t>{11, 1, 2, 20, 666, 20, 2, 1, 10, 100});
  CHECK(v.answer.as_path.size() > direct.as_path.size());
  CHECK(v.answer.latency_s > direct.latency_s);
  CHECK(users_served(v.answer) == 1);
  const auto r = dns_reach(v.answer);
  CHECK(r.ok);
  CHECK(r.hijacked_by == 0);
  CHECK(r.attracted_by == 666); // intercepted on the way: still traffic the hijacker attracts
  CHECK(r.latency >= v.answer.latency_s);
}

TEST_CASE("verdict: ROV at the catchment's providers keeps their customers on the owner",
          "[bgp][bgp-verdict]") {
  auto drv = driver("  import: [{as: 1, rov: drop_invalid}, {as: 2, rov: drop_invalid}]\n");
  CHECK(drv->engine().validate(*Prefix::parse("10.0.0.0/24"), 666) == RovState::Invalid);
  CHECK(drv->engine().validate(*Prefix::parse("10.0.0.0/24"), 100) == RovState::Invalid); // too specific
  CHECK(drv->engine().validate(*Prefix::parse("10.0.0.0/22"), 100) == RovState::Valid);
  CHECK(drv->engine().validate(*Prefix::parse("10.9.0.0/16"), 200) == RovState::NotFound);
  hijack(*drv, "");
  for (Asn from : {11u, 21u, 12u}) {
    const auto v = drv->lookup(from, kVictim);
    INFO(from << ": " << v.answer.reason);
    CHECK(v.answer.status == Status::Delivered);
    CHECK(users_served(v.answer) == 1);
    CHECK(dns_reach(v.answer).ok);
  }
  // AS20, the hijacker's own provider, does no ROV: it stays in the hijacker's catchment.
  CHECK(drv->lookup(20, kVictim).answer.status == Status::Blackholed);
  CHECK(drv->engine().import_drop(2, 20, *Prefix::parse("10.0.0.0/24")) == ImportDrop::RpkiInvalid);
  // `outagesim routes` shows where the route was dropped.
  std::ostringstream os;
  write_routes(os, drv->engine(), *Prefix::parse("10.0.0.0/24"));
  CHECK_THAT(os.str(), Catch::Contains("2\t-\tdropped: rpki-invalid from AS20\n"));
}

TEST_CASE("verdict: ROV adoption by tier is a seeded draw over the graph's tiers", "[bgp][bgp-verdict]") {
  sim::Diagnostics d;
  auto s = sim::load_scenario_text(std::string(kBase) + "  rov_adoption: {tier1: 1, transit: 0, stub: 0}\n" +
                                       "  import: [{as: 2, rov: accept_all}, {as: 12, rov: drop_invalid}]\n",
                                   "t.yaml", sim::LoadOptions{}, models(), d);
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  // Tier-1s (no provider): 1 and 2, but 2 opts out; 12 is listed.
  CHECK(rov_ases(setup->config, *setup->graph) == std::vector<Asn>{1, 12});
  auto half = setup->config;
  half.rov_adoption.tier1 = half.rov_adoption.transit = half.rov_adoption.stub = 0.5;
  half.imports.clear();
  CHECK(rov_ases(half, *setup->graph) == rov_ases(half, *setup->graph)); // deterministic
}

TEST_CASE("verdict: a customer prefix filter stops a leak", "[bgp][bgp-verdict]") {
  const Prefix p = *Prefix::parse("10.0.0.0/22");
  SECTION("without a filter AS2 prefers the leaked customer route") {
    auto drv = driver();
    REQUIRE(drv->apply("as:30", "leak", {}, drv->engine().now()));
    drv->engine().run_to_convergence();
    CHECK(drv->engine().best_path(2, p) == std::vector<Asn>{30, 1, 10, 100});
  }
  SECTION("with one, AS2 drops it: 100 is not in AS30's customer cone") {
    auto drv = driver("  import: [{as: 2, customer_filter: true}]\n");
    REQUIRE(drv->apply("as:30", "leak", {}, drv->engine().now()));
    drv->engine().run_to_convergence();
    CHECK(drv->engine().best_path(2, p) == std::vector<Asn>{1, 10, 100});
    CHECK(drv->engine().import_drop(2, 30, p) == ImportDrop::NotCustomerCone);
    // Its customers' own prefixes still pass: 20 announces nothing, 666 nothing; the owner's route
    // through 10 reaches 1 from its customer 10, whose cone holds 100.
    CHECK(drv->engine().import_drop(2, 20, p) == ImportDrop::None);
  }
}

namespace {
struct CeaseLog : BgpObserver {
  std::vector<SessionCeased> ceased;
  void on_session_ceased(const SessionCeased& c) override { ceased.push_back(c); }
};
} // namespace

TEST_CASE("verdict: a max-prefix limit drops the session of a leaker", "[bgp][bgp-verdict]") {
  auto drv = driver("  import: [{as: 2, neighbor: 30, max_prefix: 1}]\n");
  CeaseLog log;
  drv->engine().set_observer(&log);
  REQUIRE(drv->apply("as:30", "leak", {}, drv->engine().now()));
  drv->engine().run_to_convergence();
  REQUIRE(log.ceased.size() == 1);
  CHECK(log.ceased[0].asn == 2);
  CHECK(log.ceased[0].neighbor == 30);
  CHECK(log.ceased[0].prefixes == 2);
  CHECK(log.ceased[0].limit == 1);
  // The session is down: nothing of AS2's goes through AS30, and AS30 keeps only AS1's routes.
  CHECK(drv->engine().best_path(2, *Prefix::parse("10.0.0.0/22")) == std::vector<Asn>{1, 10, 100});
  CHECK(drv->engine().best_path(30, *Prefix::parse("10.0.0.0/22")) == std::vector<Asn>{1, 10, 100});
  CHECK(drv->lookup(21, kVictim).answer.as_path == std::vector<std::uint32_t>{21, 2, 1, 10, 100});
}

TEST_CASE("verdict: import policies are checked against the graph", "[bgp][bgp-verdict]") {
  sim::Diagnostics d;
  auto s =
      sim::load_scenario_text(std::string(kBase) + "  import: [{as: 1, rov: maybe},"
                                                   " {as: 1, neighbor: 2, rov: drop_invalid}, {as: 1}]\n",
                              "t.yaml", sim::LoadOptions{}, models(), d);
  std::ostringstream os;
  d.print(os);
  const std::string e = os.str();
  CHECK_THAT(e, Catch::Contains("t.yaml:20:25: error: bgp.import[0] 'rov' is 'maybe'; expected one of: "
                                "drop_invalid, accept_all"));
  CHECK_THAT(e, !Catch::Contains("bgp.import[0] changes nothing"));
  CHECK_THAT(e, Catch::Contains("rov and customer_filter apply to every session of the AS"));
  CHECK_THAT(e,
             Catch::Contains("bgp.import[2] changes nothing; expected rov, customer_filter or max_prefix"));
  sim::Diagnostics d2;
  auto s2 =
      sim::load_scenario_text(std::string(kBase) + "  import: [{as: 2, neighbor: 100, max_prefix: 5}]\n",
                              "t.yaml", sim::LoadOptions{}, models(), d2);
  std::ostringstream os2;
  d2.print(os2);
  CHECK_THAT(os2.str(), Catch::Contains("import policy neighbour AS100 is not a neighbour of AS2"));
}

TEST_CASE("verdict: a leaked more-specific pulls traffic through the leaker, to the real origin",
          "[bgp][bgp-verdict]") {
  const Prefix more = *Prefix::parse("10.0.0.0/24");
  SECTION("no filter: AS2's customers go through AS30, delivered to the owner") {
    auto drv = driver();
    REQUIRE(drv->apply("as:30", "leak", {{"more_specific", "10.0.0.0/24"}}, drv->engine().now()));
    drv->engine().run_to_convergence();
    // The real origin stays at the end of the path; AS1 refuses it (its own AS is on the path).
    CHECK(drv->engine().best_path(30, more) == std::vector<Asn>{1, 10, 100});
    CHECK(drv->engine().best_path(2, more) == std::vector<Asn>{30, 1, 10, 100});
    CHECK_FALSE(drv->engine().best_path(1, more));
    const auto v = drv->lookup(21, kVictim);
    INFO(v.answer.reason);
    CHECK(v.answer.status == Status::Delivered);
    CHECK(v.answer.hijacker == 0); // no unauthorised origin: a leak, not a hijack
    CHECK(v.answer.as_path == std::vector<std::uint32_t>{21, 2, 30, 1, 10, 100});
    // Outside the /24 the /22 route is unchanged: through the tier-1 peering.
    CHECK(drv->lookup(21, *parse_ipv4("10.0.2.1")).answer.as_path == std::vector<std::uint32_t>{21, 2, 1, 10, 100});
    REQUIRE(drv->apply("as:30", "unleak", {{"more_specific", "10.0.0.0/24"}}, drv->engine().now()));
    drv->engine().run_to_convergence();
    CHECK(drv->lookup(21, kVictim).answer.as_path == std::vector<std::uint32_t>{21, 2, 1, 10, 100});
  }
  SECTION("ROV at AS2: the /24 is RPKI-invalid (longer than the ROA's max_length), dropped") {
    auto drv = driver("  import: [{as: 2, rov: drop_invalid}]\n");
    REQUIRE(drv->apply("as:30", "leak", {{"more_specific", "10.0.0.0/24"}}, drv->engine().now()));
    drv->engine().run_to_convergence();
    CHECK(drv->engine().import_drop(2, 30, more) == ImportDrop::RpkiInvalid);
    CHECK(drv->lookup(21, kVictim).answer.as_path == std::vector<std::uint32_t>{21, 2, 1, 10, 100});
  }
  SECTION("a more-specific of nothing declared is refused at validation") {
    auto drv = driver();
    CHECK_THAT(check_bgp_action(drv->config(), drv->graph(), "as:30", "leak", {{"more_specific", "10.5.0.0/24"}}),
               Catch::Contains("is not a more-specific of a prefix under bgp.prefixes"));
  }
}
