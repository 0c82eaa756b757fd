#pragma once
// Output files that are never partial.
//
// A run's output folder is replaced as a whole: every file is written into a hidden staging folder
// beside it (`.NAME.staging-PID`), and only when all are written is the staging folder swapped in
// (the old folder renamed aside, the staging folder renamed into place, the old one removed), with
// SIGINT/SIGTERM held back during the swap. No file of an older run survives beside the new ones.
// A run that fails or is interrupted (SIGINT, SIGTERM) leaves no partial file and no staging
// folder: the signal handler removes what is pending and exits with 128 + signal (130, 143).
// Staging or old folders of a killed run (SIGKILL, power loss) are removed by the next run into
// that folder.
//
// Test hook (tests/signals): with OUTAGESIM_TEST_HOLD_OUTPUT=FILE in the environment, the writer
// creates FILE after the first staged file is written and then waits (up to 60 s) for a signal, so a
// test can interrupt it in the middle of the output phase deterministically.
#include <string>
#include <utility>
#include <vector>

namespace outagesim::sim {

/// Adds `files` (name, content) to folder `dir` (created if needed), each through a hidden temporary
/// renamed into place when all are written; other files of `dir` are kept (score.csv beside a run).
/// Throws std::runtime_error naming the file on an I/O error (temporaries removed).
void write_outputs_atomically(const std::string& dir,
                              const std::vector<std::pair<std::string, std::string>>& files);

/// Replaces folder `dir` with one holding exactly `files`, through a staging folder (see above).
/// An existing `dir` must be empty or the output of a run (hold summary.json): anything else is
/// refused with std::invalid_argument, never deleted. Throws std::runtime_error on an I/O error
/// (staging removed, `dir` as it was).
void replace_output_folder(const std::string& dir,
                           const std::vector<std::pair<std::string, std::string>>& files);

/// Whether folder `dir` exists; throws std::invalid_argument if replace_output_folder would refuse it
/// (checked before a run, so that a long run does not end in a refusal).
bool check_output_folder(const std::string& dir);

/// Installs SIGINT/SIGTERM handlers that remove pending temporaries and exit with 128 + signal.
/// Called again after the SimGrid engine is created (SimGrid installs its own SIGINT handler).
void install_interrupt_cleanup();

} // namespace outagesim::sim
