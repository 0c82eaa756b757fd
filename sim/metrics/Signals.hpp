#pragma once
// Signals (see ../shared/design/SIGNALS.md): quantities an outside observer measures, computed here
// from a run. This file computes the ones that follow from per-region service availability, for any
// model that records the `availability` metric (0..1 per region, service and sample interval).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/Time.hpp"
#include "sim/metrics/Timeline.hpp"

namespace outagesim::sim {

/// One computed signal value.
struct SignalValue {
  std::string id;               ///< "traffic.drop_start"
  std::string subject;          ///< "service:facebook"
  std::string kind;             ///< time | number | ratio | bool | set | duration
  nlohmann::ordered_json value; ///< time: seconds since start; duration: seconds; set: array;
                                ///< null: the run computes the signal but the event never happened
                                ///< (no failure, so no failure start): scored "never", not "missing"
};

/// The value of a time or duration signal whose event may never have come: the value, or null.
inline nlohmann::ordered_json or_never(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

/// A period [start, end) in which a series stayed below a threshold; end empty if it never recovered.
struct Period {
  SimTime start;
  std::optional<SimTime> end;
};

/// Periods where `series` (time, value) is below `threshold`; each value covers [t, t + step).
std::vector<Period> periods_below(const std::vector<std::pair<SimTime, double>>& series, double threshold,
                                  Seconds step);

/// Availability signals per service. `weights` gives each region's weight (population); regions
/// missing from it weigh 1.
std::vector<SignalValue> availability_signals(const Timeline& tl, Seconds step,
                                              const std::vector<std::pair<std::string, double>>& weights);

/// The `signals` object of summary.json: {id: {subject: {kind, value}}}; times as UTC text.
nlohmann::ordered_json signals_to_json(const std::vector<SignalValue>& signals, std::int64_t start_epoch);

} // namespace outagesim::sim
