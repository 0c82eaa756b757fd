// Data-plane capacity (TransitLoad.hpp): the delivered share of a path from the load of the previous
// tick on its transit ASes, and a leak on a small graph that pulls traffic into a capacity-limited
// AS (valley paths, then partial delivery). The model's wiring is covered by the goldens (no capacity
// declared: everything delivered, transcripts unchanged) and the facebook-2021 hypotheses.
#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpDriver.hpp"
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/BgpModel.hpp"
#include "models/bgp/TransitLoad.hpp"
#include "sim/scenario/Loader.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace outagesim;
using namespace outagesim::bgp;

namespace {
using Path = std::vector<Asn>;
} // namespace

TEST_CASE("transit load: one congested AS delivers capacity / load, on the previous tick", "[bgp][transit]") {
  TransitLoad t;
  t.set_capacity(5, 800e9);
  const Path path{7, 5, 9};
  t.offer(0, path, 3.2e12);
  // The tick at 0 is still open: nothing closed yet, everything gets through.
  CHECK(t.delivery(path).delivered == 1.0);
  CHECK(t.advance(60));
  auto d = t.delivery(path);
  CHECK(d.delivered == Approx(0.25));
  CHECK(d.reason == "AS5 congested: 3.2 Tbps offered to 800 Gbps");
  CHECK(t.congestion(5).load_bps == Approx(3.2e12));
  // The sender and the destination are not transit: a capacity on them changes nothing.
  TransitLoad ends;
  ends.set_capacity(7, 1e9);
  ends.set_capacity(9, 1e9);
  ends.offer(0, path, 1e12);
  ends.advance(1);
  CHECK(ends.delivery(path).delivered == 1.0);
}

TEST_CASE("transit load: would_close and delivery_version tell when delivery() may answer otherwise",
          "[bgp][transit]") {
  // What BgpModel::routes_version() reads: delivery() changes only when a tick closes with other
  // figures for an AS above its capacity.
  TransitLoad t;
  t.set_capacity(5, 800e9);
  const Path path{7, 5, 9};
  CHECK_FALSE(t.would_close(10)); // no tick open
  t.offer(10, path, 100e9);
  CHECK_FALSE(t.would_close(10)); // more offers of the same date join the open tick
  CHECK(t.would_close(20));
  CHECK_FALSE(t.advance(10));
  std::uint64_t v = t.delivery_version();
  CHECK(t.advance(20)); // closed within capacity: delivery() answers as before
  CHECK(t.delivery(path).delivered == 1.0);
  CHECK(t.delivery_version() == v);
  CHECK_FALSE(t.would_close(30)); // closed, nothing open until the next offer
  t.offer(30, path, 200e9); // more load, still within capacity
  t.advance(40);
  CHECK(t.delivery_version() == v);
  t.offer(40, path, 1600e9); // congested: half gets through
  t.advance(50);
  CHECK(t.delivery(path).delivered == Approx(0.5));
  CHECK(t.delivery_version() != v);
  v = t.delivery_version();
  t.offer(50, path, 1600e9); // the same figures: the same answers
  t.advance(60);
  CHECK(t.delivery_version() == v);
  t.offer(60, path, 3200e9); // other figures
  t.advance(70);
  CHECK(t.delivery(path).delivered == Approx(0.25));
  CHECK(t.delivery_version() != v);
  v = t.delivery_version();
  t.offer(70, path, 1e9); // congestion ends
  t.advance(80);
  CHECK(t.delivery(path).delivered == 1.0);
  CHECK(t.delivery_version() != v);
}

TEST_CASE("transit load: two congested ASes in series multiply, a new tick replaces the old",
          "[bgp][transit]") {
  TransitLoad t;
  t.set_capacity(5, 10e9);
  t.set_capacity(6, 30e9);
  const Path a{1, 5, 6, 9}, b{2, 6, 9};
  t.offer(0, a, 20e9); // 5: 20 (cap 10); 6: 20 + 40 = 60 (cap 30)
  t.offer(0, b, 40e9);
  t.advance(10);
  auto d = t.delivery(a);
  CHECK(d.delivered == Approx(0.5 * 0.5));
  CHECK(d.reason == "AS5 congested: 20 Gbps offered to 10 Gbps; AS6 congested: 60 Gbps offered to 30 Gbps");
  CHECK(t.delivery(b).delivered == Approx(0.5));
  // Offers at 10 open the next tick; at 20 it closes with only what was offered then.
  t.offer(10, a, 5e9);
  CHECK(t.delivery(a).delivered == Approx(0.25)); // still the tick of 0
  t.offer(20, a, 5e9);
  CHECK(t.delivery(a).delivered == 1.0);
  CHECK(t.delivery(a).reason.empty());
  // The tick of 20 closes at the first later date; then, without offers, no tick is open: a lookup
  // between two offering steps keeps the last closed tick (no empty tick replaces it).
  CHECK(t.advance(25));
  CHECK_FALSE(t.advance(30));
  CHECK(t.congestion(5).load_bps == Approx(5e9));
}

TEST_CASE("transit load: no capacity declared, everything is delivered", "[bgp][transit]") {
  TransitLoad t;
  const Path p{1, 2, 3, 4};
  t.offer(0, p, 1e15);
  t.advance(1);
  CHECK_FALSE(t.has_capacities());
  auto d = t.delivery(p);
  CHECK(d.delivered == 1.0);
  CHECK(d.reason.empty());
  // And a scenario without transit_capacity declares none.
  const std::vector<sim::ModelInfo> models = {bgp_model_info()};
  sim::Diagnostics diag;
  auto s = sim::load_scenario_text("scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}\nbgp:\n  "
                                   "links: [{a: 1, b: 2, rel: peer}]\n"
                                   "  vantages: [1]\n",
                                   "t.yaml", sim::LoadOptions{}, models, diag);
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, diag);
  REQUIRE(setup);
  CHECK(setup->config.capacities.empty());
}

TEST_CASE("transit_capacity: read with units, bad values are FILE:LINE:COL errors", "[bgp][transit]") {
  const std::vector<sim::ModelInfo> models = {bgp_model_info()};
  auto load = [&](const std::string& caps, sim::Diagnostics& d) {
    return sim::load_scenario_text(
        "scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}\n"
        "bgp:\n  links: [{a: 1, b: 2, rel: peer}]\n  vantages: [1]\n  transit_capacity: " +
            caps + "\n",
        "t.yaml", sim::LoadOptions{}, models, d);
  };
  {
    sim::Diagnostics d;
    auto s = load("[{as: 2, capacity: 800Gbps}]", d);
    REQUIRE(s);
    auto setup = load_bgp_setup(*s, d);
    REQUIRE(setup);
    REQUIRE(setup->config.capacities.size() == 1);
    CHECK(setup->config.capacities[0].asn == 2);
    CHECK(setup->config.capacities[0].bits_per_s == Approx(800e9));
  }
  auto errors = [&](const std::string& caps) {
    sim::Diagnostics d;
    load(caps, d);
    std::ostringstream os;
    d.print(os);
    return os.str();
  };
  CHECK_THAT(errors("[{as: 2, capacity: 800}]"),
             Catch::Contains("t.yaml:5:40: error:") && Catch::Contains("a bandwidth such as 10Gbps"));
  CHECK_THAT(errors("[{as: 3, capacity: 1Tbps}]"),
             Catch::Contains("t.yaml:5:22: error: transit_capacity AS3 is not in the BGP topology"));
  CHECK_THAT(errors("[{as: 2, capacity: 1Tbps, burst: 2}]"), Catch::Contains("burst"));
  CHECK_THAT(errors("[{as: 2, capacity: 1Tbps}, {as: 2, capacity: 2Tbps}]"), Catch::Contains("bgp 'transit_capacity' repeats as '2'"));
}

TEST_CASE("transit load: a leak pulls traffic into a limited AS, valley paths and partial delivery",
          "[bgp][transit]") {
  // 1 = 2 tier-1 peers. 9 (the content network) buys transit from 2 and peers with 5, a transit AS
  // that buys from 1 and sells to the eyeball 7. 3 is an eyeball behind 1.
  //
  //      1 ===== 2
  //     / \       \
  //    3   5 ===== 9
  //        |
  //        7
  AsGraphBuilder b;
  b.add_link(1, 2, Relationship::Peer);
  b.add_link(1, 3, Relationship::Customer);
  b.add_link(1, 5, Relationship::Customer);
  b.add_link(2, 9, Relationship::Customer);
  b.add_link(5, 9, Relationship::Peer);
  b.add_link(5, 7, Relationship::Customer);
  AsGraph g = b.build();
  BgpEngine e(g);
  const Prefix p = *Prefix::parse("10.0.0.0/16");
  const Ipv4 addr = *parse_ipv4("10.0.0.1");
  e.announce(9, p, 0);
  e.run_to_convergence();
  TransitLoad load;
  load.set_capacity(5, 10e9);
  double t = 0;
  // Each eyeball sends 8 Gbps to 9 per tick, along its current path.
  auto tick = [&] {
    for (Asn eyeball : {3u, 7u})
      load.offer(t, e.route_lookup(eyeball, addr).path, 8e9);
    t += 60;
    load.advance(t);
  };
  tick();
  CHECK(e.route_lookup(3, addr).path == Path{3, 1, 2, 9});
  CHECK(valley_free(g, 3, *e.best_path(3, p)));
  CHECK(load.delivery(e.route_lookup(7, addr).path).delivered == 1.0); // 8 of 10 Gbps
  e.leak(5, e.now());
  e.run_to_convergence();
  // 1 prefers its customer's leaked peer route: 3's traffic now crosses 5, over a valley.
  CHECK(e.route_lookup(3, addr).path == Path{3, 1, 5, 9});
  CHECK_FALSE(valley_free(g, 3, *e.best_path(3, p)));
  CHECK_FALSE(valley_free(g, 1, *e.best_path(1, p)));
  CHECK(load.delivery(e.route_lookup(3, addr).path).delivered == 1.0); // the lag: last tick's load
  tick();
  auto d3 = load.delivery(e.route_lookup(3, addr).path);
  auto d7 = load.delivery(e.route_lookup(7, addr).path);
  CHECK(d3.delivered == Approx(10.0 / 16.0));
  CHECK(d7.delivered == Approx(10.0 / 16.0));
  CHECK(d3.reason == "AS5 congested: 16 Gbps offered to 10 Gbps");
  e.leak(5, e.now(), false);
  e.run_to_convergence();
  tick();
  CHECK(load.delivery(e.route_lookup(3, addr).path).delivered == 1.0);
  CHECK(load.delivery(e.route_lookup(7, addr).path).delivered == 1.0);
}
