#pragma once
// `outagesim sweep`: what-if studies. Every combination of the varied values (any --set path) is a
// point; each point runs with seeds 1..N through the job runner (local processes or MPI); the
// outputs are sweep.csv (one row per point and seed: the varied values, the score against an
// observed record if one is given, and every signal) and sweep_points.csv (median, min and max over
// the seeds of each numeric measure, per point).
#include <optional>
#include <string>
#include <vector>

#include "sim/compare/JobRunner.hpp"
#include "sim/compare/Observed.hpp"

namespace outagesim::sim {

/// One --vary: a --set path (or several joined by '+', all set to the same value) and its values,
/// as text given to --set.
struct VaryAxis {
  std::string key;
  std::vector<std::string> values;
};

/// Parses "KEY=V1,V2,..." or "KEY=FROM..TO:STEP" (numbers: 0..1:0.25; durations: 1m..10m:3m,
/// inclusive of TO when the steps land on it). Returns nullopt and sets `error` (what is wrong and
/// what was expected) on bad text; at most `max_values` values.
std::optional<VaryAxis> parse_vary(const std::string& text, std::string& error,
                                   std::size_t max_values = 1000);

/// Every combination of the axes' values, the first axis varying slowest: one list of KEY=VALUE
/// per point (one per key of a KEY1+KEY2 axis).
std::vector<std::vector<std::string>> sweep_points(const std::vector<VaryAxis>& axes);

struct SweepOptions {
  std::string scenario;
  std::vector<VaryAxis> axes;
  std::vector<std::string> sets; ///< --set overrides for every point (before the varied ones)
  int seeds = 3;
  std::string out;
  RunnerOptions runner;
};

struct SweepResult {
  bool root = true; ///< false on MPI ranks other than 0 (they write nothing)
  int runs_ok = 0, runs_failed = 0, points_invalid = 0;
};

/// Runs the points that are valid (`valid[p]`; invalid ones are reported by the caller and appear
/// as "invalid" rows), scores them against `observed` if given, writes sweep.csv and
/// sweep_points.csv into `out` (and runs/pNNN/seed-S/ for each run).
SweepResult run_sweep(const SweepOptions& options, const ObservedRecord* observed,
                      const std::vector<bool>& valid);

} // namespace outagesim::sim
