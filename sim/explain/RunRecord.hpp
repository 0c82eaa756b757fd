#pragma once
// What `explain` and `report` read of a finished run: its events (events.jsonl) and its summary
// (summary.json). Only the generic fields of an event are used (id, t, utc, type, subject, reason,
// cause, and data.service when present), so event types added by a model need no code here.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/Diagnostics.hpp"

namespace outagesim::sim {

/// One event of a run as read back from events.jsonl.
struct RecordedEvent {
  std::uint64_t id = 0;
  double t = 0;    ///< seconds since the scenario start
  std::string utc; ///< "2021-10-04T15:39:00Z"
  std::string type;
  std::string subject;
  std::string reason;
  std::uint64_t cause = 0; ///< 0: none
  std::string service;     ///< data.service, or "" when the event names none
};

/// One outage period of a region and service (summary.json "regions"); `end` is the run's end
/// when the region never recovered within the run.
struct OutagePeriod {
  std::string service;
  double start = 0, end = 0; ///< seconds since the scenario start
  bool recovered = true;
};

/// A finished run's folder, read back.
struct RunRecord {
  std::string dir;
  nlohmann::json summary;
  std::int64_t start_epoch = 0;      ///< summary "start"
  double end = 0;                    ///< summary "end", seconds since the start
  std::vector<RecordedEvent> events; ///< in id order; events[i].id == i + 1
  /// region id -> its outage periods, in time order.
  std::map<std::string, std::vector<OutagePeriod>> outages;
  /// region id -> the services the summary lists for it.
  std::map<std::string, std::vector<std::string>> services;

  const RecordedEvent* find(std::uint64_t id) const {
    return id >= 1 && id <= events.size() ? &events[id - 1] : nullptr;
  }
};

/// Reads RUN_DIR/summary.json and RUN_DIR/events.jsonl. Problems are FILE:LINE:COL errors in `d`
/// (nullopt then).
std::optional<RunRecord> read_run(const std::string& dir, Diagnostics& d);

/// Reads a JSON file; a syntax error is reported at its line and column.
std::optional<nlohmann::json> read_json_file(const std::string& path, const std::string& expected,
                                             Diagnostics& d);

/// Whether an event type reads as a failure (+1: "users.service_lost", "dns.servfail_start",
/// "link.down"), a recovery (-1: "service.restored", "link.up", "dc.restored") or neither (0), from
/// the words of its last segment. Model event types that follow the naming of the existing ones
/// classify themselves.
int event_polarity(const std::string& type);

/// "15:39:10" (or "15:39:10.250") of an event's utc; the date when it differs from `day`.
std::string clock_of(const std::string& utc, const std::string& day = "");

} // namespace outagesim::sim
