#include "models/datacenter/HealthCheck.hpp"

namespace outagesim::datacenter {

HealthCheck::Transition HealthCheck::record(bool healthy) {
  if (healthy) {
    failures_ = 0;
    if (state_ == State::Announced) return Transition::None;
    if (++successes_ < recover_after_) return Transition::None;
    successes_ = 0;
    state_ = State::Announced;
    return Transition::Announce;
  }
  successes_ = 0;
  if (state_ == State::Withdrawn) return Transition::None;
  ++failures_;
  if (failures_ < fail_after_) return failures_ == 1 ? Transition::FirstFailure : Transition::None;
  failures_ = 0;
  state_ = State::Withdrawn;
  return Transition::Withdraw;
}

} // namespace outagesim::datacenter
