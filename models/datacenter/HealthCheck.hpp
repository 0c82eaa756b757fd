#pragma once
// Engine-free health check of an anycast DNS or edge site: every interval the site checks that it can
// reach the datacenters; after `fail_after` failed checks in a row it withdraws its announcement,
// and after `recover_after` good checks in a row it announces again (the 2021 mechanism: "our DNS
// servers disable those BGP advertisements if they themselves can not speak to our data centers").
//
//   Announced --fail (count < fail_after)--> Announced, failing
//   Announced --fail (count == fail_after)--> Withdrawn          (transition: Withdraw)
//   Withdrawn --ok (count < recover_after)--> Withdrawn, recovering
//   Withdrawn --ok (count == recover_after)--> Announced          (transition: Announce)
//   a good check resets the failure count; a failed check resets the recovery count.
#include <cstdint>

namespace outagesim::datacenter {

class HealthCheck {
public:
  enum class State { Announced, Withdrawn };
  /// What one check result changed.
  enum class Transition { None, FirstFailure, Withdraw, Announce };

  HealthCheck(int fail_after, int recover_after) : fail_after_(fail_after), recover_after_(recover_after) {}

  /// Records one check; returns the transition it causes.
  Transition record(bool healthy);
  State state() const { return state_; }
  bool announced() const { return state_ == State::Announced; }
  int consecutive_failures() const { return failures_; }
  int consecutive_successes() const { return successes_; }

private:
  int fail_after_;
  int recover_after_;
  State state_ = State::Announced;
  int failures_ = 0;
  int successes_ = 0;
};

} // namespace outagesim::datacenter
