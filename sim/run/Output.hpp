#pragma once
// Atomic output files: each file is written to a hidden temporary beside its final name and renamed
// into place only when the whole run succeeded. A run that fails or is interrupted (SIGINT, SIGTERM)
// leaves no partial file: pending temporaries are removed by the signal handler.
#include <string>
#include <utility>
#include <vector>

namespace outagesim::sim {

/// Writes all `files` (name, content) into `dir` (created if needed): first every temporary, then
/// every rename. Throws std::runtime_error naming the file on an I/O error (temporaries removed).
void write_outputs_atomically(const std::string& dir,
                              const std::vector<std::pair<std::string, std::string>>& files);

/// Installs SIGINT/SIGTERM handlers that remove pending temporaries and exit with 130.
void install_interrupt_cleanup();

} // namespace outagesim::sim
