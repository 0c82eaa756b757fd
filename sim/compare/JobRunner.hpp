#pragma once
// The job runner shared by `compare` and `sweep`: many runs, each a separate process (SimGrid has one
// engine per process, and a crashing or runaway run must not take the others down), with a time and
// memory limit per run and a progress line per finished run.
//
// Runs are forked, not executed: each process of the job (the program itself, or each MPI rank)
// starts one run server (`outagesim serve-runs`, a hidden command, started with posix_spawn so that
// no MPI process ever forks) that loads each scenario once (a hypothesis, a sweep point: its files
// read, parsed and checked, its models configured) and forks one process per run from it, after all
// that does not depend on the seed; the run then only sets its seed, creates its SimGrid engine and
// runs. Copy-on-write keeps what the runs share in one copy. The server enforces the limits, reaps
// the runs and sends each outcome back.
//
// Two back-ends give the same outcomes in the same (job) order, so the outputs built from them are
// byte-identical: local runs (`-j N`), and MPI when the program was started by mpirun
// with more than one rank (built with Open MPI; see Cluster below). Under MPI the runs are handed
// out dynamically: a rank asks rank 0 for the next run whenever one of its slots is free (runs of
// different hypotheses or sweep points differ in length by orders of magnitude, so a static split
// would leave ranks idle behind the slowest share); rank 0 runs its share too and gathers the
// outcomes (status and summary.json text: small), and only rank 0 writes outputs.
#include <functional>
#include <string>
#include <vector>

#include "sim/run/Model.hpp"
#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim {

/// One run: what `program run SCENARIO --seed SEED --out DIR [--set S]... --progress` does, its
/// messages in DIR.log.
struct RunSpec {
  std::string label; ///< for messages: "slow-repair seed 2", "p003 seed 1"
  std::string scenario;
  std::vector<std::string> sets; ///< --set KEY=VALUE overrides
  int seed = 1;
  std::string dir; ///< --out of the run; the log is dir + ".log"
};

enum class RunStatus { Ok, Failed, TimedOut, OutOfMemory };

/// What became of a run.
struct RunOutcome {
  RunStatus status = RunStatus::Failed;
  std::string detail;   ///< "exit 1", "signal 11", "after 5s", "resident 2.1 GiB > 1 GiB"
  std::string log_tail; ///< the last lines of its log, for a run that did not succeed
  std::string summary;  ///< summary.json text of a successful run
  double seconds = 0;   ///< wall time (messages only: never in an output file)
  int rank = 0;         ///< the MPI rank that ran it (0 without MPI)
};

/// "ok", "failed", "timed out", "out of memory": the status column of runs.csv and sweep.csv.
const char* status_name(RunStatus s);

struct RunnerOptions {
  std::string program;                 ///< the outagesim executable (started as its run server)
  std::string tool = "compare";        ///< prefix of progress lines
  int jobs = 2;                        ///< runs at once per process (per rank under MPI)
  double timeout = 6 * 3600.0;         ///< wall seconds per run
  double memory = 16.0 * (1ull << 30); ///< resident bytes per run
  bool quiet = false;                  ///< no line per finished run (failures are still reported)
};

/// Runs every spec; returns the outcomes in spec order on rank 0 (or without MPI). On other MPI
/// ranks it serves rank 0 and returns an empty vector: the caller then only returns.
std::vector<RunOutcome> run_all(const std::vector<RunSpec>& specs, const RunnerOptions& options);

/// Set by the runner in its run server's environment: the runner's process id.
constexpr const char* kParentPidVariable = "OUTAGESIM_RUNNER_PID";

/// In a process started by the runner (kParentPidVariable set): asks the kernel to send SIGTERM to
/// this process when the runner dies (killed job, dead MPI rank), so no run outlives its job.
void stop_with_parent();

/// What a forked run does with its loaded scenario (its seed set): what `outagesim run` does after
/// loading (run it, write DIR as a whole, print its summary), with stdout and stderr going to its log.
/// Returns the exit status of `outagesim run` (0, 1 internal error, 2 bad input); never throws.
using ServedRun = std::function<int(const Scenario& scenario, const std::string& dir)>;

/// The run server (`outagesim serve-runs`, started by run_all; not for people): reads requests
/// from standard input, loads each distinct (scenario, --set list) once with `models`, forks one
/// process per run that calls `run`, and writes each outcome to standard output. Returns its exit
/// status when its input ends (runs still going then are stopped: the runner is gone).
int serve_runs(const std::vector<ModelInfo>& models, const ServedRun& run);

/// The MPI world the program runs in (a world of one without MPI or without mpirun).
struct Cluster {
  /// True when started by mpirun/srun (environment of Open MPI, PMI or PMIx): whether built with
  /// MPI or not.
  static bool launched();
  /// True when this build has MPI support.
  static bool available();
  /// Initialises MPI when launched() and available(); call once, before run_all.
  static void start(int* argc, char*** argv);
  /// Finalises MPI if it was started.
  static void finish();
  static int rank();
  static int size();
};

/// Parses a wall time limit: a duration with units ("90s", "2h") or "0"/"none" (no limit, returns 0).
/// Returns a negative value on bad text.
double parse_run_timeout(const std::string& text);
/// Parses a memory size: "512MiB", "4GiB", "2G", "1.5GB" (1000-based), "0"/"none" (no limit).
/// Returns a negative value on bad text.
double parse_run_memory(const std::string& text);

} // namespace outagesim::sim
