#pragma once
// `outagesim compare`: runs every hypothesis scenario with several seeds, each run in its own worker
// process (SimGrid has one engine per process, and a crashing run must not take the others down),
// scores every run against an observed record, and ranks the hypotheses.
#include <string>
#include <vector>

#include "sim/compare/JobRunner.hpp"
#include "sim/compare/Score.hpp"

namespace outagesim::sim {

struct CompareOptions {
  std::string observed;                 ///< observed record (.signals.yaml)
  std::vector<std::string> hypotheses;  ///< scenario files
  int seeds = 3;                        ///< seeds 1..N per hypothesis
  std::string out = "results/compare";  ///< output folder
  std::vector<std::string> sets;        ///< --set overrides given to every run
  RunnerOptions runner;                 ///< program, jobs, limits, progress
  std::vector<SignalDecl> signals;      ///< the signal catalogue (its signature rules)
};

/// One hypothesis after its runs.
struct HypothesisResult {
  std::string file;
  std::string name;               ///< file stem
  bool valid = true;              ///< passed validation
  int runs_ok = 0, runs_failed = 0;
  /// Runs that did not succeed: "seed 2: timed out (still running after --run-timeout 5s)".
  std::vector<std::string> failures;
  /// Failed runs by status ("timed out": 1, "failed": 2), for the table.
  std::vector<std::pair<std::string, int>> failure_counts;
  std::vector<ScoreResult> scores;  ///< one per successful run
  std::vector<int> seeds;           ///< the seed of each score
  double mean = 0, min = 0, max = 0, matched_mean = 0;
  /// Signals that cost the most, worst first: "id subject (observed X, got Y)".
  std::vector<std::string> contradictions;
  /// Signatures of its fault class that its first run shows and the record does not score
  /// ("bgp.valley_paths as:32934 = 1"): what else to look for in the real data.
  std::vector<std::string> signatures;
};

/// Runs the comparison; writes ranking.csv, signal_scores.csv, matrix.csv, matrix.svg and runs.csv
/// (one row per run: its status) into `out`, and returns the hypotheses ranked best first. Progress
/// and failures go to stderr. Under MPI, only rank 0 returns a result (and writes): the other ranks
/// return an empty list.
std::vector<HypothesisResult> run_compare(const CompareOptions& options, const ObservedRecord& observed,
                                          const std::vector<bool>& valid);

/// The ranked table printed on stdout.
std::string ranking_table(const std::vector<HypothesisResult>& ranked);

} // namespace outagesim::sim
