#pragma once
// Runs one scenario on SimGrid: builds the platform, starts the enabled models, plays the fault
// timeline, samples the timeline, and produces the run's outputs. One run per process (SimGrid has one
// engine per process).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/Model.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim {

struct RunOptions {
  std::optional<TimeSpec> until; ///< stop earlier than the scenario's end
  bool progress = false;         ///< print progress on stderr, on one line that updates (a terminal)
  bool progress_lines = false;   ///< print progress on stderr as a line every 10 s of wall time (a log)
};

/// Everything a run leaves behind, as file contents.
struct RunResult {
  nlohmann::ordered_json summary;
  std::string events_jsonl;
  std::string events_txt; ///< the human transcript (one line per event), also the golden format
  std::string timeline_csv;
  std::string human_summary; ///< a few lines for stdout
  std::vector<std::pair<std::string, std::string>> extra_files; ///< models' own outputs (name, content)
};

/// Runs the scenario. Throws std::runtime_error on an internal failure.
RunResult run_scenario(const Scenario& scenario, const std::vector<ModelInfo>& models,
                       const RunOptions& options);

} // namespace outagesim::sim
