#pragma once
// Engine-free recovery plan of an operations team: steps with durations and dependencies, each done
// through an access path (remote, out-of-band, ... as the scenario names them, checked by the
// adapter against the world) or on site, which takes travel and then physical security. Recovery
// time emerges from which access paths are up when a step is ready, not from a scripted time.
//
//   plan:   Idle --trigger--> Detecting --detect delay--> Active --all steps done--> Done
//   step:   Pending --deps done--> Ready --an access is up--> Running --duration--> Done
//                                   |  (none up: AccessBlocked once; dispatch a team on site)
//   site:   Home --dispatch--> Travelling --travel--> Security --security--> OnSite
// A step lists its access paths in order of preference; "onsite" means a team at the step's site.
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace outagesim::operators {

/// Access path name for working at the site itself.
inline const std::string kOnsite = "onsite";

/// One recovery step.
struct StepSpec {
  std::string id;
  double duration = 600;           ///< s of work once access is there
  std::vector<std::string> after;  ///< steps that must be done first
  std::vector<std::string> access; ///< access paths in order of preference (may include "onsite")
  std::string site;                ///< where a team goes for onsite access ("dc:west")
  std::string target;              ///< entity pattern the step acts on when done ("" for none)
  std::string action;              ///< the action it applies to the target ("up", "restore", ...)
};

/// A plan: what sets it off and its steps.
struct PlanSpec {
  std::string id;
  std::string trigger_type;    ///< event type that sets the plan off ("link.down")
  std::string trigger_subject; ///< pattern of that event's subject ("link:backbone/*")
  double detect = 300;         ///< s from the trigger until the team starts acting
  double travel = 3600;        ///< s to reach a site
  double security = 1800;      ///< s to get through physical security on site
  std::vector<StepSpec> steps;
};

class OperatorPlan {
public:
  enum class StepState { Pending, Running, Done };
  /// Something that happened, for the adapter to record (and, for StepDone, to apply).
  struct Action {
    enum class Kind {
      Triggered,
      Detected,
      AccessBlocked,
      Dispatched,
      Arrived,
      OnSite,
      StepStarted,
      StepDone
    };
    Kind kind;
    double at;
    std::size_t step = 0; ///< index of the step (StepStarted, StepDone, AccessBlocked)
    std::string access;   ///< access path used (StepStarted)
    std::string site;     ///< site (Dispatched, Arrived, OnSite)
  };
  /// Tells whether a named access path (not "onsite") is usable now.
  using AccessCheck = std::function<bool(const std::string& access)>;

  explicit OperatorPlan(PlanSpec spec);
  const PlanSpec& spec() const { return spec_; }

  /// Sets the plan off (no effect once triggered).
  std::vector<Action> trigger(double now);
  bool triggered() const { return triggered_; }
  /// Everything that happens up to `now` (timed transitions at their own dates, then access checks).
  std::vector<Action> advance(double now, const AccessCheck& available);
  /// Date of the next timed transition (infinity if none is pending).
  double next_wakeup() const;
  bool done() const;
  StepState step_state(std::size_t i) const { return steps_[i].state; }
  double step_done_at(std::size_t i) const { return steps_[i].done_at; }

private:
  struct Step {
    StepState state = StepState::Pending;
    bool blocked_reported = false;
    double done_at = std::numeric_limits<double>::infinity();
  };
  struct Site {
    std::string name;
    enum class State { Home, Travelling, Security, OnSite } state = State::Home;
    double next = std::numeric_limits<double>::infinity();
  };
  Site& site(const std::string& name);
  bool ready(std::size_t i) const;

  PlanSpec spec_;
  bool triggered_ = false;
  double active_from_ = std::numeric_limits<double>::infinity();
  bool detected_ = false;
  std::vector<Step> steps_;
  std::vector<Site> sites_;
};

} // namespace outagesim::operators
