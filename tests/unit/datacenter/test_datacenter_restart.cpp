#include <catch2/catch.hpp>

#include "models/datacenter/Datacenter.hpp"

using namespace outagesim::datacenter;

namespace {
DatacenterSpec spec(RestartPolicy p) {
  DatacenterSpec s;
  s.path = "dc:a";
  s.capacity_rps = 1000;
  s.idle_mw = 10;
  s.peak_mw = 30;
  s.policy = p;
  s.stages = 4;
  s.stage_interval = 600;
  s.warmup = 300;
  s.cache_decay = 600;
  s.cold_cost = 3;
  return s;
}

// Runs: 1 h serving 500 rps, 2 h dark, then reachable again; returns (time, power) every 60 s.
std::vector<std::pair<double, double>> run(Datacenter& dc, double horizon = 4 * 3600) {
  std::vector<std::pair<double, double>> out;
  for (double t = 0; t < horizon; t += 60) {
    bool reachable = t < 3600 || t >= 3 * 3600;
    dc.update(t, reachable);
    dc.apply_load(60, 500 * dc.admitted_fraction());
    out.emplace_back(t, dc.power_mw());
  }
  return out;
}
} // namespace

TEST_CASE("datacenter power follows load and dips when dark", "[datacenter]") {
  Datacenter dc(spec(RestartPolicy::StagedFraction));
  auto p = run(dc);
  CHECK(p[30].second == Approx(20).epsilon(1e-6)); // warm, half utilised: idle + half the range
  CHECK(p[90].second == Approx(10));               // dark: idle draw
  CHECK(largest_drop(p, 900) == Approx(10).epsilon(1e-6));
}

TEST_CASE("staged restart power curve: steps, cold caches, no overload", "[datacenter]") {
  Datacenter dc(spec(RestartPolicy::StagedFraction));
  auto p = run(dc);
  // Reachable again at 3 h (index 180): stage 1 admits a quarter of the load.
  CHECK(dc.state() == Datacenter::State::Serving);
  // Each stage steps power up when its share of load arrives (every 10 min from index 180)...
  CHECK(p[180].second > p[179].second);
  CHECK(p[190].second > p[189].second);
  CHECK(p[200].second > p[199].second);
  CHECK(p[210].second > p[209].second);
  // ...and the level each stage settles at rises with the admitted share.
  CHECK(p[189].second < p[199].second);
  CHECK(p[199].second < p[209].second);
  // Cold caches make the first stage cost more than its share of warm load (125 rps = 2.5 MW warm),
  // and the cost falls as the caches warm up within the stage.
  CHECK(p[180].second > 10 + 2.5 + 1);
  CHECK(p[189].second < p[180].second);
  // The staged restart never saturates the datacenter: every admitted request is served.
  Datacenter again(spec(RestartPolicy::StagedFraction));
  for (double t = 0; t < 4 * 3600; t += 60) {
    again.update(t, t < 3600 || t >= 3 * 3600);
    again.apply_load(60, 500 * again.admitted_fraction());
    CHECK(again.served_share() == Approx(1));
  }
  CHECK(p.back().second == Approx(20).epsilon(0.01)); // back to the warm level
}

TEST_CASE("all-at-once restart surges to peak power and overloads", "[datacenter]") {
  Datacenter dc(spec(RestartPolicy::AllAtOnce));
  auto p = run(dc);
  CHECK(p[180].second == Approx(30)); // cold caches x full load: utilisation pinned at 1
  dc = Datacenter(spec(RestartPolicy::AllAtOnce));
  for (double t = 0; t <= 3 * 3600; t += 60) {
    dc.update(t, t < 3600 || t >= 3 * 3600);
    dc.apply_load(60, 500 * dc.admitted_fraction());
  }
  CHECK(dc.served_share() < 0.9);
}

TEST_CASE("staged-by-region restart lets regions back in order", "[datacenter]") {
  auto s = spec(RestartPolicy::StagedRegion);
  s.stages = 2;
  s.region_order = {"east", "west", "south"};
  Datacenter dc(s);
  dc.update(0, false);
  CHECK_FALSE(dc.admits_region("east"));
  CHECK(dc.update(100, true) == Datacenter::Transition::RestartBegan);
  CHECK(dc.admits_region("east"));
  CHECK(dc.admits_region("west")); // stage 1 of 2: the first ceil(3/2) = 2 regions
  CHECK_FALSE(dc.admits_region("south"));
  CHECK(dc.update(700, true) == Datacenter::Transition::Restored);
  CHECK(dc.admits_region("south"));
}

TEST_CASE("datacenter partial loss: the working share serves, the rest of the load is refused",
          "[datacenter]") {
  Datacenter dc(spec(RestartPolicy::StagedFraction));
  // Warm, 800 rps of 1000: everything served, 80 % utilised.
  for (double t = 0; t < 3600; t += 60) {
    dc.update(t, true);
    dc.apply_load(60, 800);
  }
  CHECK(dc.served_share() == 1);
  CHECK(dc.power_mw() == Approx(10 + 20 * 0.8));
  // A hall loses power: 70 % of the capacity is gone; 300 rps of capacity for 800 offered.
  dc.set_working_share(0.3);
  dc.apply_load(60, 800);
  CHECK(dc.served_share() == Approx(300.0 / 800));
  CHECK(dc.utilisation() == 1);
  CHECK(dc.power_mw() == Approx(0.3 * 30)); // the working share, fully busy; the rest draws nothing
  outagesim::sim::ServingAnswer a;
  describe_serving(dc, "region:x", a);
  CHECK(a.served == Approx(0.375));
  CHECK(a.refusal == "dc:a is overloaded: 70 % of its capacity is lost");
  // Power is back, hardware is not (no repair yet): the same; repaired: everything served again.
  dc.update(3700, true);
  dc.apply_load(60, 800);
  CHECK(dc.served_share() == Approx(0.375));
  dc.set_working_share(1);
  dc.apply_load(60, 800);
  CHECK(dc.served_share() == 1);
}
