#pragma once
// Scoring a run against an observed record. Each observed signal is looked up in the run's
// summary.json (`signals.<id>.<subject>`) and scored:
//   - inside its window (or equal, for bool and set): full weight, distance 0;
//   - outside: distance = how far from the nearest window edge, in window widths, and score
//     weight * max(0, 1 - distance) (a miss by a whole window width or more scores nothing);
//   - a signal the run did not compute: "missing", score 0 (never silently dropped);
//   - a signal the run computed as null (its event never happened: no withdrawal, no failure):
//     "never", score 0, unless the record observed `never` too (then a match).
// The total is the sum of scores over the sum of weights (0..1), with the count of signals in window.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/compare/Observed.hpp"

namespace outagesim::sim {

struct SignalScore {
  const ObservedSignal* observed = nullptr;
  bool missing = true;
  bool never = false;         ///< the run computed the signal: its event never happened
  std::string simulated_text; ///< as shown in tables ("15:41:03", "28.5", "[servfail]")
  bool in_window = false;
  double distance = 0; ///< in window widths; 0 inside
  double score = 0;    ///< 0..weight
};

struct ScoreResult {
  std::vector<SignalScore> signals;
  double total = 0; ///< sum of scores / sum of weights
  int matched = 0;  ///< signals in their window
  int missing = 0;
  int never = 0; ///< signals observed to happen that never happened in the run
};

/// Checks the text of a run's summary.json (`path` names it in messages) before it is scored: valid
/// JSON, an object with a `signals` object of {id: {subject: {kind, value}}}, each value of its kind
/// (times as UTC text ending in Z, numbers, bools, lists, or null). Problems go to `diags` as
/// FILE:LINE:COL errors; returns the parsed summary when there are none.
/// With a `catalog`, a signal id it does not declare, or of another kind than its declaration, is an
/// error too. Its `subjects` (every subject the run's signals can be about), when present, must be a
/// list of KIND:ID texts (summaries written before it existed have none).
std::optional<nlohmann::json> check_summary(const std::string& text, const std::string& path, Diagnostics& diags,
                                            const std::vector<SignalDecl>& catalog = {});

/// The `subjects` of a checked summary: every subject its run's signals can be about; nullopt for a
/// summary written before the list existed.
std::optional<std::vector<std::string>> summary_subjects(const nlohmann::json& summary);

/// Scores a run's summary (parsed summary.json) against an observed record.
ScoreResult score_run(const nlohmann::json& summary, const ObservedRecord& observed);

/// The fault-class signatures a run shows that the observed record does not score: the values that
/// the signature rules of `catalog` (each signal's declaration) call notable, as "id subject =
/// value", by the rules' rank; `most` at the most.
std::vector<std::string> signatures(const nlohmann::json& summary, const ObservedRecord& observed,
                                    const std::vector<SignalDecl>& catalog, std::size_t most = 3);

/// Rows as text columns separated by two spaces, each column as wide as its widest cell.
std::string aligned_table(const std::vector<std::vector<std::string>>& rows);

/// The table printed by `outagesim score` (aligned text) and score.csv.
std::string score_table(const ScoreResult& r);
std::string score_csv(const ScoreResult& r);

} // namespace outagesim::sim
