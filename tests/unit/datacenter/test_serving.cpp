#include <catch2/catch.hpp>

#include "models/datacenter/Datacenter.hpp"

using namespace outagesim::datacenter;
using outagesim::sim::ServingAnswer;

// The datacenter's half of the ServingService contract: what a region's requests get, and the
// refusal the users report (dark or not admitted first, then overloaded; none while it serves).
namespace {
DatacenterSpec spec(RestartPolicy p) {
  DatacenterSpec s;
  s.path = "dc:a";
  s.capacity_rps = 1000;
  s.policy = p;
  s.stages = 2;
  s.stage_interval = 600;
  s.cold_cost = 3;
  return s;
}

ServingAnswer answer(const Datacenter& dc, const std::string& region) {
  ServingAnswer a;
  a.refusal = "stale";
  describe_serving(dc, region, a);
  return a;
}
} // namespace

TEST_CASE("serving answer: a warm datacenter admits and serves everything", "[datacenter]") {
  Datacenter dc(spec(RestartPolicy::StagedFraction));
  dc.apply_load(10, 500);
  auto a = answer(dc, "east");
  CHECK(a.reached());
  CHECK(a.datacenter == "dc:a");
  CHECK(a.admitted == 1);
  CHECK(a.served == 1);
  CHECK(a.refusal.empty()); // cleared: an answer carries no refusal of an earlier one
}

TEST_CASE("serving answer: dark, then not admitted yet, then overloaded", "[datacenter]") {
  Datacenter dc(spec(RestartPolicy::StagedFraction));
  dc.update(0, false);
  dc.apply_load(3600, 0); // an hour without requests: the caches cool down
  auto dark = answer(dc, "east");
  CHECK(dark.admitted == 0);
  CHECK(dark.refusal == "dc:a is dark");

  dc.update(3600, true); // stage 1 of 2 admits half: not below 0.5, so no refusal for admission
  auto half = answer(dc, "east");
  CHECK(half.admitted == Approx(0.5));
  // Cold caches after an hour dark: up to three times the work of 1500 rps, beyond capacity.
  dc.apply_load(10, 1500);
  auto cold = answer(dc, "east");
  CHECK(cold.served < 0.5);
  CHECK(cold.refusal == "dc:a is overloaded (cold caches)");
}

TEST_CASE("serving answer: a region a staged_region restart has not let back is refused", "[datacenter]") {
  auto s = spec(RestartPolicy::StagedRegion);
  s.region_order = {"east", "west", "south", "north"};
  Datacenter dc(s);
  dc.update(0, false);
  dc.update(100, true); // stage 1 of 2: east and west
  CHECK(answer(dc, "east").refusal.empty());
  auto south = answer(dc, "south");
  CHECK(south.admitted == 0);
  CHECK(south.refusal == "dc:a has not admitted this load yet");
}
