#include "models/probe/ProbeTracker.hpp"

namespace outagesim::probe {

std::optional<ProbeTracker::State> ProbeTracker::record(const std::string& region, const std::string& service,
                                                        bool ok, double rtt) {
  Pair& p = pairs_[{region, service}];
  ++p.current.attempts;
  if (ok) {
    ++p.current.successes;
    p.current.rtt_sum += rtt;
  }
  State next = ok ? State::Up : State::Down;
  if (next == p.state) return std::nullopt;
  p.state = next;
  return next;
}

double ProbeTracker::close_interval(const std::string& region, const std::string& service, double* mean_rtt) {
  Pair& p = pairs_[{region, service}];
  if (p.current.attempts > 0) p.last_availability = double(p.current.successes) / double(p.current.attempts);
  if (mean_rtt) *mean_rtt = p.current.successes ? p.current.rtt_sum / double(p.current.successes) : -1;
  p.current = Interval{};
  return p.last_availability;
}

ProbeTracker::State ProbeTracker::state(const std::string& region, const std::string& service) const {
  auto it = pairs_.find({region, service});
  return it == pairs_.end() ? State::Unknown : it->second.state;
}

} // namespace outagesim::probe
