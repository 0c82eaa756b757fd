#pragma once
// Engine-free bookkeeping of the probe model: counts probe outcomes per (region, service) within each
// sample interval and tells when a pair changes between reachable and unreachable.
//
//   state per pair:   Unknown --ok--> Up --fail--> Down --ok--> Up ...
//                     Unknown --fail--> Down
// A change of state is what the model reports as an event; single probe results are only counted.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace outagesim::probe {

class ProbeTracker {
public:
  enum class State { Unknown, Up, Down };
  struct Interval {
    std::size_t attempts = 0;
    std::size_t successes = 0;
    double rtt_sum = 0; ///< seconds, over successes
  };

  /// Records one probe outcome; returns the new state if it differs from the previous one.
  std::optional<State> record(const std::string& region, const std::string& service, bool ok, double rtt);
  /// Closes the current interval of a pair: its availability (successes / attempts), or the last known
  /// availability when no probe finished in the interval (1 before any probe). Resets the counters.
  double close_interval(const std::string& region, const std::string& service, double* mean_rtt = nullptr);
  State state(const std::string& region, const std::string& service) const;

private:
  struct Pair {
    State state = State::Unknown;
    Interval current;
    double last_availability = 1.0;
  };
  std::map<std::pair<std::string, std::string>, Pair> pairs_;
};

} // namespace outagesim::probe
