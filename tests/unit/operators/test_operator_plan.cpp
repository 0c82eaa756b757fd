#include <catch2/catch.hpp>

#include "models/operators/OperatorPlan.hpp"

using namespace outagesim::operators;
using Kind = OperatorPlan::Action::Kind;

namespace {
PlanSpec plan() {
  PlanSpec p;
  p.id = "restore";
  p.detect = 300;
  p.travel = 3600;
  p.security = 1800;
  p.steps.push_back({"diagnose", 1200, {}, {"remote", "oob", "onsite"}, "dc:a", "", ""});
  p.steps.push_back({"repair", 600, {"diagnose"}, {"remote", "oob", "onsite"}, "dc:a", "link:bb/*", "up"});
  return p;
}

// Drives a plan the way the adapter does: wake at each timed transition or every `tick`.
std::vector<OperatorPlan::Action> drive(OperatorPlan& p, const OperatorPlan::AccessCheck& access,
                                        double until) {
  std::vector<OperatorPlan::Action> all = p.trigger(0);
  double t = 0;
  while (t < until && !p.done()) {
    t = std::min(p.next_wakeup(), t + 10);
    for (auto& a : p.advance(t, access))
      all.push_back(a);
  }
  return all;
}
} // namespace

TEST_CASE("operator plan with remote access: detect, then the steps back to back", "[operators]") {
  OperatorPlan p(plan());
  auto actions = drive(
      p, [](const std::string& a) { return a == "remote"; }, 1e5);
  REQUIRE(p.done());
  CHECK(p.step_done_at(0) == Approx(300 + 1200));
  CHECK(p.step_done_at(1) == Approx(300 + 1200 + 600));
  for (const auto& a : actions)
    CHECK(a.kind != Kind::Dispatched);
}

TEST_CASE("operator plan whose access paths are down waits for physical access", "[operators]") {
  OperatorPlan p(plan());
  auto actions = drive(
      p, [](const std::string&) { return false; }, 1e5);
  REQUIRE(p.done());
  // detect 5 min, travel 1 h, security 30 min, then 20 + 10 min of work on site.
  CHECK(p.step_done_at(0) == Approx(300 + 3600 + 1800 + 1200));
  CHECK(p.step_done_at(1) == Approx(300 + 3600 + 1800 + 1200 + 600));
  std::vector<Kind> kinds;
  for (const auto& a : actions)
    kinds.push_back(a.kind);
  CHECK(kinds == std::vector<Kind>{Kind::Triggered, Kind::Detected, Kind::AccessBlocked, Kind::Dispatched,
                                   Kind::Arrived, Kind::OnSite, Kind::StepStarted, Kind::StepDone,
                                   Kind::StepStarted, Kind::StepDone});
  CHECK(actions[6].access == "onsite");
}

TEST_CASE("operator plan: access that comes back before the team arrives is used", "[operators]") {
  OperatorPlan p(plan());
  double now = 0;
  auto access = [&now](const std::string& a) { return a == "oob" && now >= 1800; };
  p.trigger(0);
  while (!p.done()) {
    now = std::min(p.next_wakeup(), now + 10);
    p.advance(now, access);
  }
  CHECK(p.step_done_at(0) == Approx(1800 + 1200));
  CHECK(p.step_done_at(1) == Approx(1800 + 1200 + 600));
}
