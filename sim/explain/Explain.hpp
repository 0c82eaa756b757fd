#pragma once
// `outagesim explain`: why a region lost a service, and what brought it back, from a run's event
// graph (the `cause` links of events.jsonl) and its outage periods (summary.json). Knows no protocol:
// every step is an event of the run, whatever model emitted it.
//
//   root fault ──cause──> ... intermediate layers ... ──cause──> the region's users lose the service
//   recovery action ──cause──> ... ──cause──> the region's users get it back
//
// Repeats are folded: events of the same type with the same cause become one line ("and 23 more
// resolver, 15:41:00-15:44:10"). Several root causes give several chains, ranked by how many of the
// region's failures in the period each explains.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/explain/RunRecord.hpp"

namespace outagesim::sim {

struct ExplainOptions {
  std::string region;       ///< region id ("india"), without "region:"
  std::string service;      ///< "" for every service of the region
  std::optional<double> at; ///< seconds since the start; none: the region's worst period
};

/// One line of a chain: an event, and the events of the same type with the same cause folded into it.
struct ChainStep {
  int depth = 0;  ///< 0 for the root
  int indent = 0; ///< how many forks of the chain lie above this step
  const RecordedEvent* event = nullptr;
  std::vector<const RecordedEvent*> on_path; ///< every event of this step that leads to the region
  std::size_t siblings = 0;                  ///< other events of this type with the same causes (folded)
  double first = 0, last = 0;                ///< time span of the step, siblings included
  std::string first_utc, last_utc;
};

/// One chain: from a root event (no cause) to the region's events it explains.
struct Chain {
  const RecordedEvent* root = nullptr;
  std::size_t explains = 0; ///< how many of the region's failures (or recoveries) it leads to
  std::vector<ChainStep> steps;
};

struct Explanation {
  std::string region;
  std::vector<std::string> services;
  bool any_outage = false;
  double start = 0, end = 0; ///< the period explained (seconds since the start)
  std::string start_utc, end_utc;
  bool recovered = true;       ///< false: still down when the run ended
  std::size_t periods = 0;     ///< the region's outages (periods of the selected services, overlaps merged)
  std::size_t failures = 0;    ///< the region's failure events in the period
  std::vector<Chain> causes;   ///< ranked
  std::size_t unexplained = 0; ///< failure events with no cause
  std::vector<Chain> recovery;
  std::size_t recoveries = 0;
  std::vector<std::pair<std::string, std::string>> back; ///< service -> utc it came back (or "")
};

/// Builds the explanation; a region or service the run does not know is an error in `d` (nullopt).
std::optional<Explanation> explain(const RunRecord& run, const ExplainOptions& o, Diagnostics& d);

/// The explanation as text, one line per step.
std::string explanation_text(const RunRecord& run, const Explanation& e);
/// The explanation as JSON (`--json`).
nlohmann::ordered_json explanation_json(const RunRecord& run, const Explanation& e);

/// Parses --at: "+41m" (from the start), "15:41" or "15:41:30" (UTC, on the run's first day) or a
/// full UTC time. nullopt when it is none of them.
std::optional<double> parse_at(const std::string& text, std::int64_t start_epoch);

} // namespace outagesim::sim
