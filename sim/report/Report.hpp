#pragma once
// `outagesim report`: one self-contained report.html for a run folder or a compare folder. The page
// needs no network: its charts are drawn by Chart.js (Debian's libjs-chart.js), inlined into the
// page with the data, and a Content-Security-Policy forbids every request. Knows no protocol: it
// charts the timeline's series by metric name (see kSections in Report.cpp) and explains each region
// with `explain`.
#include <optional>
#include <string>

#include "sim/compare/Observed.hpp"
#include "sim/scenario/Diagnostics.hpp"

namespace outagesim::sim {

/// Where the chart library is read from (OUTAGESIM_CHARTJS overrides it).
std::string chartjs_path();

/// The report of a run folder (events.jsonl, summary.json, timeline.csv, ...), with the score table
/// when `observed` is given. Returns the page; problems with the folder are errors in `d`.
std::optional<std::string> run_report(const std::string& run_dir, const ObservedRecord* observed,
                                      Diagnostics& d);

/// The report of a compare folder (ranking.csv, matrix.csv, runs/): the ranking, the signal matrix
/// and links to each run's report, which it writes too (runs/<hypothesis>/seed-N/report.html).
std::optional<std::string> compare_report(const std::string& compare_dir, Diagnostics& d);

/// Whether a folder is a compare folder (has ranking.csv).
bool is_compare_dir(const std::string& dir);

} // namespace outagesim::sim
