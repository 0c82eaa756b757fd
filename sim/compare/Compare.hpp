#pragma once
// `outagesim compare`: runs every hypothesis scenario with several seeds, each run in its own worker
// process (SimGrid has one engine per process, and a crashing run must not take the others down),
// scores every run against an observed record, and ranks the hypotheses.
#include <string>
#include <vector>

#include "sim/compare/Score.hpp"

namespace outagesim::sim {

struct CompareOptions {
  std::string observed;                 ///< observed record (.signals.yaml)
  std::vector<std::string> hypotheses;  ///< scenario files
  int seeds = 3;                        ///< seeds 1..N per hypothesis
  int jobs = 2;                         ///< worker processes at once
  std::string out = "results/compare";  ///< output folder
  std::string program;                  ///< the outagesim executable that runs one scenario
};

/// One hypothesis after its runs.
struct HypothesisResult {
  std::string file;
  std::string name;               ///< file stem
  bool valid = true;              ///< passed validation
  int runs_ok = 0, runs_failed = 0;
  std::vector<ScoreResult> scores;  ///< one per successful run
  std::vector<int> seeds;           ///< the seed of each score
  double mean = 0, min = 0, max = 0, matched_mean = 0;
  /// Signals that cost the most, worst first: "id subject (observed X, got Y)".
  std::vector<std::string> contradictions;
  /// Signatures of its fault class that its first run shows and the record does not score
  /// ("bgp.valley_paths as:32934 = 1"): what else to look for in the real data.
  std::vector<std::string> signatures;
};

/// Runs the comparison; writes ranking.csv, signal_scores.csv, matrix.csv and matrix.svg into
/// `out`, and returns the hypotheses ranked best first. Progress and failures go to stderr.
std::vector<HypothesisResult> run_compare(const CompareOptions& options, const ObservedRecord& observed,
                                          const std::vector<bool>& valid);

/// The ranked table printed on stdout.
std::string ranking_table(const std::vector<HypothesisResult>& ranked);

} // namespace outagesim::sim
