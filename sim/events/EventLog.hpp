#pragma once
// Typed events. Models emit; the log keeps them in order and the sinks (events.jsonl, the golden
// transcript) record them. Every state change that matters carries its reason in words and, where one
// exists, the id of the event that caused it, so the causal chain from a fault to a user can be walked
// back (`cause`).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/Time.hpp"

namespace outagesim::sim {

/// One event. `type` is a dotted name ("fault.applied", "link.down", "service.lost", ...).
struct Event {
  std::uint64_t id = 0; ///< 1-based position in the log (set by the log)
  SimTime time = 0;
  std::string type;
  std::string subject;     ///< entity path the event is about ("region:us-east", "link:backbone/a-b")
  std::string reason;      ///< why, in words
  std::uint64_t cause = 0; ///< id of the event that caused this one; 0 if none
  nlohmann::ordered_json data = nlohmann::ordered_json::object(); ///< extra typed fields
};

/// The run's event log.
class EventLog {
public:
  /// Appends an event, gives it its id and returns the id.
  std::uint64_t emit(Event e);
  const std::vector<Event>& events() const { return events_; }
  const Event* find(std::uint64_t id) const {
    return id >= 1 && id <= events_.size() ? &events_[id - 1] : nullptr;
  }
  /// Walks `cause` links back from an event: the event itself first, the root cause last.
  std::vector<const Event*> chain(std::uint64_t id) const;

private:
  std::vector<Event> events_;
};

/// One JSON object per line, keys in a fixed order.
std::string event_to_json(const Event& e, std::int64_t start_epoch);
/// One human line for golden transcripts: "+15m00s link.down link:x (reason) [#3 <- #1]".
std::string event_to_text(const Event& e);
/// "+1h02m03s" style time since start (fixed width of fields, for readable transcripts).
std::string format_offset(SimTime t);

} // namespace outagesim::sim
