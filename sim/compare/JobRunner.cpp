#include "sim/compare/JobRunner.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "sim/core/Time.hpp"

#ifdef OUTAGESIM_WITH_MPI
#include <mpi.h>
#endif

extern char** environ;

namespace outagesim::sim {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr double kTermGrace = 5; // seconds between SIGTERM and SIGKILL for a run past its time

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

std::string human_bytes(double b) {
  char buf[48];
  if (b >= double(1ull << 30))
    std::snprintf(buf, sizeof buf, "%.1f GiB", b / double(1ull << 30));
  else
    std::snprintf(buf, sizeof buf, "%.0f MiB", b / double(1ull << 20));
  return buf;
}

std::string human_seconds(double s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", s);
    return buf;
  }
  return format_duration(std::round(s));
}

// The last `lines` non-empty lines of a log (NUL bytes dropped), each prefixed for display.
std::string log_tail(const std::string& path, std::size_t lines = 6) {
  std::string text = read_text(path);
  text.erase(std::remove(text.begin(), text.end(), '\0'), text.end());
  if (text.size() > 64 * 1024) text = text.substr(text.size() - 64 * 1024);
  std::vector<std::string> all;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    // A progress line is rewritten in place with carriage returns: keep its last state.
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    if (std::size_t cr = line.rfind('\r'); cr != std::string::npos) line = line.substr(cr + 1);
    if (line.find_first_not_of(" \t") != std::string::npos) all.push_back(line);
  }
  if (all.empty()) return "  | (its log is empty)\n";
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += "  | " + all[i] + "\n";
  return out;
}

// Resident memory of a process in bytes (0 when gone).
double resident_bytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) * 1024.0;
  return 0;
}

// Starts `program run FILE --seed S --out DIR [--set X]...` with stdout and stderr to DIR.log.
pid_t spawn_run(const std::string& program, const RunSpec& spec) {
  std::string log = spec.dir + ".log";
  std::error_code ec;
  fs::create_directories(fs::path(spec.dir).parent_path(), ec);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> args = {program, "run",    spec.scenario, "--seed", std::to_string(spec.seed),
                                   "--out", spec.dir, "--progress"};
  for (const auto& s : spec.sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // The run stops when this process dies (see kParentPidVariable): no orphan runs after a killed job.
  static const std::string parent = std::string(kParentPidVariable) + "=" + std::to_string(::getpid());
  std::vector<char*> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, kParentPidVariable, std::strlen(kParentPidVariable)) != 0 ||
        (*e)[std::strlen(kParentPidVariable)] != '=')
      env.push_back(*e);
  env.push_back(const_cast<char*>(parent.c_str()));
  env.push_back(nullptr);
  pid_t pid = -1;
  // posix_spawn (vfork and exec in glibc), not fork: safe in an MPI process.
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// The runs in progress in this process, with their limits.
class Pool {
public:
  Pool(const std::vector<RunSpec>& specs, const RunnerOptions& o) : specs_(specs), o_(o) {}

  std::size_t busy() const { return slots_.size(); }

  // Starts run `index`; false (and `failed` set) when no process could be started.
  bool start(std::size_t index, RunOutcome& failed) {
    Slot s;
    s.index = index;
    s.start = Clock::now();
    s.pid = spawn_run(o_.program, specs_[index]);
    if (s.pid < 0) {
      failed.status = RunStatus::Failed;
      failed.detail = std::string("cannot start ") + o_.program + ": " + std::strerror(errno);
      return false;
    }
    slots_.push_back(s);
    return true;
  }

  // Reaps the runs that ended and enforces the limits on the others.
  std::vector<std::pair<std::size_t, RunOutcome>> poll() {
    std::vector<std::pair<std::size_t, RunOutcome>> done;
    for (auto it = slots_.begin(); it != slots_.end();) {
      int status = 0;
      pid_t r = ::waitpid(it->pid, &status, WNOHANG);
      if (r == it->pid || (r < 0 && errno == ECHILD)) {
        done.emplace_back(it->index, finished(*it, r == it->pid ? status : -1));
        it = slots_.erase(it);
        continue;
      }
      enforce(*it);
      ++it;
    }
    return done;
  }

private:
  struct Slot {
    std::size_t index = 0;
    pid_t pid = -1;
    Clock::time_point start, term_sent;
    bool timed_out = false, out_of_memory = false, killed = false;
    double resident = 0;
  };

  void enforce(Slot& s) {
    double t = since(s.start);
    if (!s.timed_out && !s.out_of_memory) {
      double rss = o_.memory > 0 ? resident_bytes(s.pid) : 0;
      if (o_.memory > 0 && rss > o_.memory) {
        s.out_of_memory = true;
        s.resident = rss;
        ::kill(s.pid, SIGKILL); // it grows: no grace
        s.killed = true;
      } else if (o_.timeout > 0 && t > o_.timeout) {
        s.timed_out = true;
        ::kill(s.pid, SIGTERM); // lets the run remove its temporary files
        s.term_sent = Clock::now();
      }
    } else if (s.timed_out && !s.killed && since(s.term_sent) > kTermGrace) {
      ::kill(s.pid, SIGKILL);
      s.killed = true;
    }
  }

  RunOutcome finished(const Slot& s, int status) {
    const RunSpec& spec = specs_[s.index];
    RunOutcome out;
    out.seconds = since(s.start);
    bool ok = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (s.out_of_memory) {
      out.status = RunStatus::OutOfMemory;
      out.detail = "resident " + human_bytes(s.resident) + " > --run-memory " + human_bytes(o_.memory);
    } else if (s.timed_out) {
      out.status = RunStatus::TimedOut;
      out.detail = "still running after --run-timeout " + format_duration(o_.timeout);
    } else if (ok) {
      std::string path = spec.dir + "/summary.json";
      std::error_code ec;
      if (fs::is_regular_file(path, ec)) {
        out.status = RunStatus::Ok;
        out.summary = read_text(path);
        return out;
      }
      out.detail = "exit 0 but no " + path;
    } else if (status < 0) {
      out.detail = "lost track of its process";
    } else if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      out.detail = "signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
      if (sig == SIGKILL) out.detail += ": killed from outside, perhaps by the system's out-of-memory killer";
    } else {
      out.detail = "exit " + std::to_string(WEXITSTATUS(status));
    }
    std::string log = spec.dir + ".log";
    out.log_tail = log_tail(log);
    if (out.status == RunStatus::Failed) {
      std::string text = read_text(log);
      if (text.find("std::bad_alloc") != std::string::npos ||
          text.find("Cannot allocate memory") != std::string::npos) {
        out.status = RunStatus::OutOfMemory;
        out.detail += ", a memory allocation failed";
      }
    }
    return out;
  }

  const std::vector<RunSpec>& specs_;
  const RunnerOptions& o_;
  std::vector<Slot> slots_;
};

// Prints a progress line (unless quiet) or a failure report (always) for one finished run.
void report(const RunnerOptions& o, const RunSpec& spec, const RunOutcome& r, std::size_t done,
            std::size_t total, bool show_rank) {
  std::string where = show_rank ? " on rank " + std::to_string(r.rank) : "";
  if (r.status == RunStatus::Ok) {
    if (!o.quiet)
      std::fprintf(stderr, "%s: [%zu/%zu] %s: ok in %s%s\n", o.tool.c_str(), done, total, spec.label.c_str(),
                   human_seconds(r.seconds).c_str(), where.c_str());
    return;
  }
  std::fprintf(stderr, "%s: [%zu/%zu] %s: %s (%s) in %s%s; log: %s.log\n%s", o.tool.c_str(), done, total,
               spec.label.c_str(), status_name(r.status), r.detail.c_str(), human_seconds(r.seconds).c_str(),
               where.c_str(), spec.dir.c_str(), r.log_tail.c_str());
}

std::vector<RunOutcome> run_local(const std::vector<RunSpec>& specs, const RunnerOptions& o) {
  std::vector<RunOutcome> outcomes(specs.size());
  Pool pool(specs, o);
  std::size_t next = 0, done = 0;
  while (done < specs.size()) {
    while (next < specs.size() && int(pool.busy()) < std::max(1, o.jobs)) {
      std::size_t i = next++;
      if (!pool.start(i, outcomes[i])) report(o, specs[i], outcomes[i], ++done, specs.size(), false);
    }
    auto finished = pool.poll();
    for (auto& [i, r] : finished) {
      outcomes[i] = std::move(r);
      report(o, specs[i], outcomes[i], ++done, specs.size(), false);
    }
    if (finished.empty() && done < specs.size()) std::this_thread::sleep_for(kPoll);
  }
  return outcomes;
}

#ifdef OUTAGESIM_WITH_MPI
bool g_mpi_started = false;

enum Tag { kRequest = 1, kAssign = 2, kResult = 3 };

// An outcome as bytes: "index status rank seconds len(detail) len(tail) len(summary)\n" + texts.
std::string encode(std::size_t index, const RunOutcome& r) {
  char head[160];
  std::snprintf(head, sizeof head, "%zu %d %d %.6f %zu %zu %zu\n", index, int(r.status), r.rank, r.seconds,
                r.detail.size(), r.log_tail.size(), r.summary.size());
  return head + r.detail + r.log_tail + r.summary;
}

bool decode(const std::string& bytes, std::size_t& index, RunOutcome& r) {
  std::size_t nl = bytes.find('\n');
  if (nl == std::string::npos) return false;
  int status = 0;
  std::size_t a = 0, b = 0, c = 0;
  if (std::sscanf(bytes.substr(0, nl).c_str(), "%zu %d %d %lf %zu %zu %zu", &index, &status, &r.rank,
                  &r.seconds, &a, &b, &c) != 7)
    return false;
  if (nl + 1 + a + b + c != bytes.size() || status < 0 || status > int(RunStatus::OutOfMemory)) return false;
  r.status = RunStatus(status);
  r.detail = bytes.substr(nl + 1, a);
  r.log_tail = bytes.substr(nl + 1 + a, b);
  r.summary = bytes.substr(nl + 1 + a + b, c);
  return true;
}

[[noreturn]] void abort_job(const std::string& message) {
  std::fprintf(stderr, "outagesim: %s; stopping the whole MPI job\n", message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::exit(1);
}

// A rank other than 0: asks for a run whenever a slot is free, sends each outcome back.
void serve(const std::vector<RunSpec>& specs, const RunnerOptions& o) {
  Pool pool(specs, o);
  const int rank = Cluster::rank();
  bool more = true;
  auto send = [&](std::size_t i, RunOutcome& r) {
    r.rank = rank;
    std::string bytes = encode(i, r);
    MPI_Send(bytes.data(), int(bytes.size()), MPI_CHAR, 0, kResult, MPI_COMM_WORLD);
  };
  while (more || pool.busy() > 0) {
    while (more && int(pool.busy()) < std::max(1, o.jobs)) {
      int free_slots = 1;
      long long index = -1;
      MPI_Send(&free_slots, 1, MPI_INT, 0, kRequest, MPI_COMM_WORLD);
      MPI_Recv(&index, 1, MPI_LONG_LONG, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (index < 0 || std::size_t(index) >= specs.size()) {
        more = false;
        break;
      }
      RunOutcome failed;
      if (!pool.start(std::size_t(index), failed)) send(std::size_t(index), failed);
    }
    auto finished = pool.poll();
    for (auto& [i, r] : finished)
      send(i, r);
    if (finished.empty() && pool.busy() > 0) std::this_thread::sleep_for(kPoll);
  }
}

// Rank 0: runs its share, hands out the rest on request, gathers every outcome.
std::vector<RunOutcome> lead(const std::vector<RunSpec>& specs, const RunnerOptions& o) {
  const int size = Cluster::size();
  std::vector<RunOutcome> outcomes(specs.size());
  std::vector<bool> have(specs.size(), false);
  std::vector<int> outstanding(size, 0);
  std::vector<Clock::time_point> last_heard(size, Clock::now());
  Pool pool(specs, o);
  std::size_t next = 0, done = 0;
  int stopped = 0;
  auto record = [&](std::size_t i, RunOutcome r) {
    if (i >= specs.size() || have[i])
      abort_job("rank " + std::to_string(r.rank) + " sent an unexpected result");
    have[i] = true;
    outcomes[i] = std::move(r);
    report(o, specs[i], outcomes[i], ++done, specs.size(), true);
  };
  while (done < specs.size() || stopped < size - 1) {
    bool busy = false;
    while (next < specs.size() && int(pool.busy()) < std::max(1, o.jobs)) {
      std::size_t i = next++;
      RunOutcome failed;
      if (!pool.start(i, failed)) record(i, failed);
    }
    for (auto& [i, r] : pool.poll()) {
      record(i, std::move(r));
      busy = true;
    }
    for (;;) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
      if (!flag) break;
      busy = true;
      int src = st.MPI_SOURCE;
      last_heard[src] = Clock::now();
      if (st.MPI_TAG == kRequest) {
        int free_slots = 0;
        MPI_Recv(&free_slots, 1, MPI_INT, src, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        long long index = next < specs.size() ? static_cast<long long>(next++) : -1;
        if (index < 0)
          ++stopped;
        else
          ++outstanding[src];
        MPI_Send(&index, 1, MPI_LONG_LONG, src, kAssign, MPI_COMM_WORLD);
      } else if (st.MPI_TAG == kResult) {
        int count = 0;
        MPI_Get_count(&st, MPI_CHAR, &count);
        std::string bytes(std::size_t(std::max(count, 0)), '\0');
        MPI_Recv(bytes.data(), count, MPI_CHAR, src, kResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        std::size_t i = 0;
        RunOutcome r;
        if (!decode(bytes, i, r)) abort_job("rank " + std::to_string(src) + " sent a garbled result");
        --outstanding[src];
        record(i, std::move(r));
      } else {
        abort_job("unexpected message (tag " + std::to_string(st.MPI_TAG) + ") from rank " +
                  std::to_string(src));
      }
    }
    // A rank that holds runs and stays silent well past the run time limit is gone or stuck (mpirun
    // normally stops the job itself when a rank dies; this covers a rank that hangs).
    if (o.timeout > 0)
      for (int r = 1; r < size; ++r)
        if (outstanding[r] > 0 && since(last_heard[r]) > o.timeout + kTermGrace + 120)
          abort_job("rank " + std::to_string(r) + " has not reported its " + std::to_string(outstanding[r]) +
                    " run(s) for " + human_seconds(since(last_heard[r])) + " (--run-timeout " +
                    format_duration(o.timeout) + "): it died or hangs");
    if (!busy) std::this_thread::sleep_for(kPoll);
  }
  return outcomes;
}
#endif

} // namespace

const char* status_name(RunStatus s) {
  switch (s) {
  case RunStatus::Ok:
    return "ok";
  case RunStatus::TimedOut:
    return "timed out";
  case RunStatus::OutOfMemory:
    return "out of memory";
  case RunStatus::Failed:
    break;
  }
  return "failed";
}

void stop_with_parent() {
  const char* v = std::getenv(kParentPidVariable);
  if (!v) return;
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (std::to_string(::getppid()) != v) std::raise(SIGTERM); // the parent died before prctl
}

std::vector<RunOutcome> run_all(const std::vector<RunSpec>& specs, const RunnerOptions& options) {
#ifdef OUTAGESIM_WITH_MPI
  if (g_mpi_started && Cluster::size() > 1) {
    if (Cluster::rank() != 0) {
      serve(specs, options);
      return {};
    }
    return lead(specs, options);
  }
#endif
  return run_local(specs, options);
}

bool Cluster::launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v)) return true;
  return false;
}

bool Cluster::available() {
#ifdef OUTAGESIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

void Cluster::start(int* argc, char*** argv) {
#ifdef OUTAGESIM_WITH_MPI
  if (g_mpi_started || !launched()) return;
  // Runs are started with posix_spawn (no fork of the MPI process), so Open MPI's fork warning is noise.
  ::setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);
  MPI_Init(argc, argv);
  g_mpi_started = true;
#endif
}

void Cluster::finish() {
#ifdef OUTAGESIM_WITH_MPI
  if (g_mpi_started) MPI_Finalize();
  g_mpi_started = false;
#endif
}

int Cluster::rank() {
#ifdef OUTAGESIM_WITH_MPI
  if (g_mpi_started) {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
  }
#endif
  return 0;
}

int Cluster::size() {
#ifdef OUTAGESIM_WITH_MPI
  if (g_mpi_started) {
    int s = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
  }
#endif
  return 1;
}

double parse_run_timeout(const std::string& text) {
  if (text == "0" || text == "none") return 0;
  auto d = parse_duration(text);
  return d && *d > 0 ? *d : -1;
}

double parse_run_memory(const std::string& text) {
  if (text == "0" || text == "none") return 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !(v > 0) || v > 1e18) return -1;
  std::string unit(end);
  const double ki = 1024, k = 1000;
  struct U {
    const char* name;
    double factor;
  };
  const U units[] = {{"", 1},
                     {"B", 1},
                     {"K", ki},
                     {"KiB", ki},
                     {"KB", k},
                     {"M", ki * ki},
                     {"MiB", ki * ki},
                     {"MB", k * k},
                     {"G", ki * ki * ki},
                     {"GiB", ki * ki * ki},
                     {"GB", k * k * k},
                     {"T", ki * ki * ki * ki},
                     {"TiB", ki * ki * ki * ki},
                     {"TB", k * k * k * k}};
  for (const auto& u : units)
    if (unit == u.name) return v * u.factor;
  return -1;
}

} // namespace outagesim::sim
