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
#include <limits>
#include <map>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "sim/core/Time.hpp"
#include "sim/scenario/Loader.hpp"

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

// ---- The socket between the runner and its run server: frames "LENGTH\n" + LENGTH bytes. ----

constexpr std::size_t kMaxFrame = std::size_t(1) << 30;
// Scenarios a run server keeps loaded at most (the least recently used is dropped).
constexpr std::size_t kServerScenarios = 8;

std::string frame(const std::string& payload) {
  return std::to_string(payload.size()) + "\n" + payload;
}

// Sends all of `bytes` on a socket; false when the other end is gone (no SIGPIPE).
bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 100);
      continue;
    }
    if (n <= 0) return false;
    done += std::size_t(n);
  }
  return true;
}

// Fields of a request, separated by NUL bytes (no path or --set holds one).
std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += '\0';
    out += fields[i];
  }
  return out;
}

std::vector<std::string> split_fields(const std::string& payload) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    std::size_t at = payload.find('\0', from);
    out.push_back(payload.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) return out;
    from = at + 1;
  }
}

// What identifies a loaded scenario: its --set list and its file (one load serves all its runs).
std::string scenario_key(const std::vector<std::string>& sets, const std::string& file) {
  return join_fields(sets) + std::string(1, '\0') + file;
}

// Reassembles frames from what a descriptor gives.
class FrameReader {
public:
  // Reads what socket `fd` has now, without waiting; false at its end (or on an error).
  bool fill(int fd) {
    char buf[65536];
    for (;;) {
      ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        buffer_.append(buf, std::size_t(n));
        if (std::size_t(n) < sizeof buf) return true;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      return false;
    }
  }
  // The next whole frame, if any; sets `bad` on a malformed header.
  bool next(std::string& payload, bool& bad) {
    std::size_t nl = buffer_.find('\n', consumed_);
    if (nl == std::string::npos) {
      bad = buffer_.size() - consumed_ > 24;
      return false;
    }
    std::string head = buffer_.substr(consumed_, nl - consumed_);
    char* end = nullptr;
    unsigned long long length = std::strtoull(head.c_str(), &end, 10);
    if (head.empty() || *end != '\0' || length > kMaxFrame) {
      bad = true;
      return false;
    }
    if (buffer_.size() - (nl + 1) < length) return false;
    payload = buffer_.substr(nl + 1, std::size_t(length));
    consumed_ = nl + 1 + std::size_t(length);
    if (consumed_ > 65536 && consumed_ * 2 > buffer_.size()) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
    }
    return true;
  }

private:
  std::string buffer_;
  std::size_t consumed_ = 0;
};

// Waits until `fd` is readable or `timeout` passed (fd < 0: just waits).
void wait_readable(int fd, std::chrono::milliseconds timeout) {
  if (fd < 0) {
    std::this_thread::sleep_for(timeout);
    return;
  }
  pollfd p{fd, POLLIN, 0};
  ::poll(&p, 1, int(timeout.count()));
}

std::string exit_detail(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::string d = "signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    if (sig == SIGKILL) d += ": killed from outside, perhaps by the system's out-of-memory killer";
    return d;
  }
  return "exit " + std::to_string(WEXITSTATUS(status));
}

// ---- The run server's side. ----

// A scenario (with its --set list) loaded once for all its runs: its diagnostics as `run` prints
// them, and the scenario unless it has errors.
struct Loaded {
  std::shared_ptr<Scenario> scenario;
  std::string diagnostics;
};

// The scenarios the server loaded, the most recently used kept (a sweep has a point per --set list;
// its runs come point by point, so a few suffice there; compare's hypotheses all fit).
class ScenarioCache {
public:
  explicit ScenarioCache(const std::vector<ModelInfo>& models) : models_(models) {}

  const Loaded& get(const std::string& file, const std::vector<std::string>& sets) {
    std::string key = scenario_key(sets, file);
    ++clock_;
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      it->second.used = clock_;
      return it->second.loaded;
    }
    if (entries_.size() >= kCapacity) {
      auto oldest = entries_.begin();
      for (auto e = entries_.begin(); e != entries_.end(); ++e)
        if (e->second.used < oldest->second.used) oldest = e;
      entries_.erase(oldest);
    }
    Entry& e = entries_[key];
    e.used = clock_;
    Diagnostics d;
    auto s = load_scenario(file, LoadOptions{sets}, models_, d);
    std::ostringstream text;
    d.print(text);
    e.loaded.diagnostics = text.str();
    if (s) e.loaded.scenario = std::make_shared<Scenario>(std::move(*s));
    return e.loaded;
  }

  void forget(const std::string& file, const std::vector<std::string>& sets) {
    entries_.erase(scenario_key(sets, file));
  }

private:
  static constexpr std::size_t kCapacity = kServerScenarios;
  struct Entry {
    Loaded loaded;
    std::uint64_t used = 0;
  };
  const std::vector<ModelInfo>& models_;
  std::map<std::string, Entry> entries_;
  std::uint64_t clock_ = 0;
};

// Closes every descriptor from `from` on (the child of a fork keeps only its log and standard input).
void close_from(int from) {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, from, ~0u, 0) == 0) return;
#endif
  long max = ::sysconf(_SC_OPEN_MAX);
  for (int fd = from; fd < (max > 0 ? max : 1024); ++fd)
    ::close(fd);
}

// Forks one run from the loaded scenario: its stdout and stderr to DIR.log, its seed set, then
// `run`. Returns the child's pid, or -1 with `error` set.
pid_t fork_run(const RunSpec& spec, const Loaded& loaded, const ServedRun& run, std::string& error) {
  std::string log = spec.dir + ".log";
  std::error_code ec;
  fs::create_directories(fs::path(spec.dir).parent_path(), ec);
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot write its log " + log + ": " + std::strerror(errno);
    return -1;
  }
  const pid_t server = ::getpid();
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("cannot fork a run: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (pid > 0) {
    ::close(fd);
    return pid;
  }
  // The run: stops when the server dies (and so when the runner dies: see stop_with_parent).
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != server) ::_exit(128 + SIGTERM);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGCHLD})
    ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  int null = ::open("/dev/null", O_RDONLY);
  if (null >= 0) ::dup2(null, STDIN_FILENO);
  ::dup2(fd, STDOUT_FILENO);
  ::dup2(fd, STDERR_FILENO);
  close_from(3);
  int rc = 2;
  if (!loaded.diagnostics.empty()) std::fputs(loaded.diagnostics.c_str(), stderr);
  if (loaded.scenario) {
    // The copy-on-write copy of the server's scenario is this run's own: `--seed N` is
    // `--set scenario.seed=N`, which sets nothing else.
    loaded.scenario->info.seed = std::uint64_t(spec.seed);
    rc = run(*loaded.scenario, spec.dir);
  }
  std::fflush(nullptr);
  ::_exit(rc);
}

// The runs in progress in the server, with their limits.
class Pool {
public:
  Pool(const RunnerOptions& o, const ServedRun& run) : o_(o), run_(run) {}

  std::size_t busy() const { return slots_.size(); }

  // Starts a run; false (and `failed` set) when no process could be started.
  bool start(std::size_t index, const RunSpec& spec, const Loaded& loaded, RunOutcome& failed) {
    Slot s;
    s.index = index;
    s.spec = spec;
    s.start = Clock::now();
    std::string error;
    s.pid = fork_run(spec, loaded, run_, error);
    if (s.pid < 0) {
      failed.status = RunStatus::Failed;
      failed.detail = error;
      return false;
    }
    slots_.push_back(std::move(s));
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

  // Stops every run (the runner is gone) and waits for them to clean up.
  void stop_all() {
    for (auto& s : slots_)
      ::kill(s.pid, SIGTERM);
    auto t = Clock::now();
    while (!slots_.empty()) {
      for (auto it = slots_.begin(); it != slots_.end();) {
        int status = 0;
        pid_t r = ::waitpid(it->pid, &status, WNOHANG);
        if (r == it->pid || (r < 0 && errno == ECHILD)) {
          it = slots_.erase(it);
          continue;
        }
        if (since(t) > kTermGrace) ::kill(it->pid, SIGKILL);
        ++it;
      }
      if (!slots_.empty()) std::this_thread::sleep_for(kPoll);
    }
  }

private:
  struct Slot {
    std::size_t index = 0;
    RunSpec spec;
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
    const RunSpec& spec = s.spec;
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
    } else {
      out.detail = exit_detail(status);
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

  const RunnerOptions& o_;
  const ServedRun& run_;
  std::vector<Slot> slots_;
};

// A finished child wakes the server's poll through this pipe.
int g_child_pipe[2] = {-1, -1};

void on_child(int) {
  int saved = errno;
  char c = 0;
  [[maybe_unused]] ssize_t n = ::write(g_child_pipe[1], &c, 1);
  errno = saved;
}

// The order runs start in. Runs of one group (the same scenario and --set list: a hypothesis, a
// sweep point) share what the run server loads. With at most kServerScenarios groups (the server
// keeps them all), the longest first: the first run of each group in job order, then always a run of
// the group whose finished runs took longest on average (one with none finished yet counts as
// longest), so that the last runs to start are short ones and no slot idles long at the end. With
// more groups, job order, group after group, and the server forgets each group after its last run.
// Either way outcomes keep job order, so the outputs do not depend on it.
class Schedule {
public:
  explicit Schedule(const std::vector<RunSpec>& specs) : group_of_(specs.size()) {
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      std::string key = scenario_key(specs[i].sets, specs[i].scenario);
      auto [it, fresh] = ids.emplace(key, groups_.size());
      if (fresh) groups_.emplace_back();
      group_of_[i] = it->second;
      groups_[it->second].pending.push_back(i);
      groups_[it->second].last = i;
    }
    longest_first_ = groups_.size() <= kServerScenarios;
    for (auto& g : groups_)
      std::reverse(g.pending.begin(), g.pending.end()); // taken from the back: job order
    left_ = specs.size();
  }

  bool empty() const { return left_ == 0; }

  // The next run to start (not empty()).
  std::size_t next() {
    --left_;
    if (!longest_first_) return order_++;
    Group* pick = nullptr;
    for (auto& g : groups_) {
      if (g.pending.empty()) continue;
      if (!g.started) {
        pick = &g;
        break;
      }
      if (!pick || estimate(g) > estimate(*pick)) pick = &g;
    }
    pick->started = true;
    std::size_t i = pick->pending.back();
    pick->pending.pop_back();
    return i;
  }

  // Whether the run server may forget run `index`'s group once it started it.
  bool forget_after(std::size_t index) const {
    return !longest_first_ && groups_[group_of_[index]].last == index;
  }

  void finished(std::size_t index, double seconds) {
    Group& g = groups_[group_of_[index]];
    g.seconds += seconds;
    ++g.finished;
  }

private:
  struct Group {
    std::vector<std::size_t> pending;
    std::size_t last = 0;
    bool started = false;
    double seconds = 0;
    int finished = 0;
  };
  static double estimate(const Group& g) {
    return g.finished ? g.seconds / g.finished : std::numeric_limits<double>::infinity();
  }
  std::vector<std::size_t> group_of_;
  std::vector<Group> groups_;
  bool longest_first_ = true;
  std::size_t left_ = 0, order_ = 0;
};

// ---- The runner's side: its run server, started on first use. ----

class RunServer {
public:
  RunServer(const std::vector<RunSpec>& specs, const RunnerOptions& o) : specs_(specs), o_(o) {}
  ~RunServer() { shut(); }
  RunServer(const RunServer&) = delete;
  RunServer& operator=(const RunServer&) = delete;

  std::size_t busy() const { return outstanding_.size(); }
  int fd() const { return socket_; }

  // Asks the server for run `index`; false (and `failed` set) when there is no server to ask.
  // `forget`: no later run of its group comes to this server (it may drop the loaded scenario).
  bool start(std::size_t index, bool forget, RunOutcome& failed) {
    if (pid_ < 0 && !launch(failed.detail)) {
      failed.status = RunStatus::Failed;
      return false;
    }
    const RunSpec& spec = specs_[index];
    std::vector<std::string> fields = {
        "run",   std::to_string(index), std::to_string(spec.seed), forget ? "forget" : "keep", spec.scenario,
        spec.dir};
    fields.insert(fields.end(), spec.sets.begin(), spec.sets.end());
    outstanding_.emplace(index, Clock::now());
    // A server that is gone is found by poll() (the end of its output), which fails its runs.
    write_all(socket_, frame(join_fields(fields)));
    return true;
  }

  // The outcomes the server sent; when it is gone, its runs as failed (a new one starts on demand).
  std::vector<std::pair<std::size_t, RunOutcome>> poll() {
    std::vector<std::pair<std::size_t, RunOutcome>> done;
    if (pid_ < 0) return done;
    bool open = reader_.fill(socket_);
    std::string payload;
    bool bad = false;
    while (reader_.next(payload, bad)) {
      std::size_t i = 0;
      RunOutcome r;
      if (!decode(payload, i, r) || !outstanding_.count(i)) {
        bad = true;
        break;
      }
      outstanding_.erase(i);
      done.emplace_back(i, std::move(r));
    }
    if (!open || bad) {
      ::kill(pid_, SIGKILL);
      int status = close_and_wait();
      std::string why = bad ? "sent a garbled answer" : "ended (" + exit_detail(status) + ")";
      for (const auto& [i, asked] : outstanding_) {
        RunOutcome r;
        r.seconds = since(asked);
        r.detail = "its run server " + why;
        r.log_tail = log_tail(specs_[i].dir + ".log");
        done.emplace_back(i, std::move(r));
      }
      outstanding_.clear();
    }
    return done;
  }

private:
  bool launch(std::string& error) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      error = std::string("cannot start a run server: ") + std::strerror(errno);
      return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);          // requests in, outcomes out
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO); // it prints nothing else
    std::vector<std::string> args = {o_.program, "serve-runs"};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    // The server (and so its runs) stops when this process dies (see kParentPidVariable).
    static const std::string parent = std::string(kParentPidVariable) + "=" + std::to_string(::getpid());
    std::vector<char*> env;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, kParentPidVariable, std::strlen(kParentPidVariable)) != 0 ||
          (*e)[std::strlen(kParentPidVariable)] != '=')
        env.push_back(*e);
    env.push_back(const_cast<char*>(parent.c_str()));
    env.push_back(nullptr);
    // posix_spawn (vfork and exec in glibc), not fork: safe in an MPI process.
    int rc = posix_spawn(&pid_, o_.program.c_str(), &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(sv[1]);
    if (rc != 0) {
      pid_ = -1;
      ::close(sv[0]);
      error = "cannot start " + o_.program + ": " + std::strerror(rc);
      return false;
    }
    socket_ = sv[0];
    reader_ = FrameReader();
    char timeout[48], memory[48];
    std::snprintf(timeout, sizeof timeout, "%.17g", o_.timeout);
    std::snprintf(memory, sizeof memory, "%.17g", o_.memory);
    write_all(socket_, frame(join_fields({"limits", timeout, memory})));
    return true;
  }

  // Closes the socket (the server then ends) and waits for it; returns its wait status.
  int close_and_wait() {
    ::close(socket_);
    socket_ = -1;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  void shut() {
    if (pid_ >= 0) close_and_wait();
  }

  const std::vector<RunSpec>& specs_;
  const RunnerOptions& o_;
  pid_t pid_ = -1;
  int socket_ = -1;
  FrameReader reader_;
  std::map<std::size_t, Clock::time_point> outstanding_; ///< runs asked for, and when
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
  RunServer pool(specs, o);
  Schedule schedule(specs);
  std::size_t done = 0;
  while (done < specs.size()) {
    while (!schedule.empty() && int(pool.busy()) < std::max(1, o.jobs)) {
      std::size_t i = schedule.next();
      if (!pool.start(i, schedule.forget_after(i), outcomes[i]))
        report(o, specs[i], outcomes[i], ++done, specs.size(), false);
    }
    auto finished = pool.poll();
    for (auto& [i, r] : finished) {
      schedule.finished(i, r.seconds);
      outcomes[i] = std::move(r);
      report(o, specs[i], outcomes[i], ++done, specs.size(), false);
    }
    if (finished.empty() && done < specs.size()) wait_readable(pool.fd(), kPoll);
  }
  return outcomes;
}

#ifdef OUTAGESIM_WITH_MPI
bool g_mpi_started = false;

enum Tag { kRequest = 1, kAssign = 2, kResult = 3 };

[[noreturn]] void abort_job(const std::string& message) {
  std::fprintf(stderr, "outagesim: %s; stopping the whole MPI job\n", message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::exit(1);
}

// A rank other than 0: asks for a run whenever a slot is free, sends each outcome back.
void serve(const std::vector<RunSpec>& specs, const RunnerOptions& o) {
  RunServer pool(specs, o);
  const Schedule schedule(specs); // what rank 0 follows; here only for forget_after()
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
      if (!pool.start(std::size_t(index), schedule.forget_after(std::size_t(index)), failed))
        send(std::size_t(index), failed);
    }
    auto finished = pool.poll();
    for (auto& [i, r] : finished)
      send(i, r);
    if (finished.empty() && pool.busy() > 0) wait_readable(pool.fd(), kPoll);
  }
}

// Rank 0: runs its share, hands out the rest on request, gathers every outcome.
std::vector<RunOutcome> lead(const std::vector<RunSpec>& specs, const RunnerOptions& o) {
  const int size = Cluster::size();
  std::vector<RunOutcome> outcomes(specs.size());
  std::vector<bool> have(specs.size(), false);
  std::vector<int> outstanding(size, 0);
  std::vector<Clock::time_point> last_heard(size, Clock::now());
  RunServer pool(specs, o);
  Schedule schedule(specs);
  std::size_t done = 0;
  int stopped = 0;
  auto record = [&](std::size_t i, RunOutcome r) {
    if (i >= specs.size() || have[i])
      abort_job("rank " + std::to_string(r.rank) + " sent an unexpected result");
    have[i] = true;
    schedule.finished(i, r.seconds);
    outcomes[i] = std::move(r);
    report(o, specs[i], outcomes[i], ++done, specs.size(), true);
  };
  while (done < specs.size() || stopped < size - 1) {
    bool busy = false;
    while (!schedule.empty() && int(pool.busy()) < std::max(1, o.jobs)) {
      std::size_t i = schedule.next();
      RunOutcome failed;
      if (!pool.start(i, schedule.forget_after(i), failed)) record(i, failed);
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
        long long index = schedule.empty() ? -1 : static_cast<long long>(schedule.next());
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
    if (!busy) wait_readable(pool.fd(), kPoll); // MPI requests are polled: they wait at most kPoll
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

int serve_runs(const std::vector<ModelInfo>& models, const ServedRun& run) {
  auto refuse = [](const char* why) {
    std::fprintf(stderr, "outagesim serve-runs: %s; this command is for compare and sweep only\n", why);
    return 2;
  };
  // Requests come, and outcomes go, through the runner's socket on standard input.
  int type = 0;
  socklen_t size = sizeof type;
  if (::getsockopt(STDIN_FILENO, SOL_SOCKET, SO_TYPE, &type, &size) != 0 || type != SOCK_STREAM)
    return refuse("standard input is not the runner's socket");
  const int io = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  if (io < 0) return 1;
  stop_with_parent();
  if (::pipe2(g_child_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return 1;
  struct sigaction sa {};
  sa.sa_handler = on_child;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  ::sigaction(SIGCHLD, &sa, nullptr);

  RunnerOptions limits;
  ScenarioCache cache(models);
  Pool pool(limits, run);
  FrameReader reader;
  bool have_limits = false, open = true;
  while (open) {
    pollfd fds[2] = {{io, POLLIN, 0}, {g_child_pipe[0], POLLIN, 0}};
    // Limits are checked every kPoll while runs go on; a run's end wakes the loop at once.
    int n = ::poll(fds, 2, pool.busy() ? int(kPoll.count()) : -1);
    if (n < 0 && errno != EINTR) break;
    if (fds[1].revents & POLLIN) {
      char drain[64];
      while (::read(g_child_pipe[0], drain, sizeof drain) > 0) {
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) open = reader.fill(io);
    std::string payload;
    bool bad = false;
    while (reader.next(payload, bad)) {
      auto f = split_fields(payload);
      if (f.size() == 3 && f[0] == "limits") {
        limits.timeout = std::strtod(f[1].c_str(), nullptr);
        limits.memory = std::strtod(f[2].c_str(), nullptr);
        have_limits = true;
        continue;
      }
      if (f.size() < 6 || f[0] != "run" || !have_limits) {
        pool.stop_all();
        return refuse("unexpected request");
      }
      RunSpec spec;
      std::size_t index = std::strtoull(f[1].c_str(), nullptr, 10);
      spec.seed = std::atoi(f[2].c_str());
      spec.scenario = f[4];
      spec.dir = f[5];
      spec.sets.assign(f.begin() + 6, f.end());
      RunOutcome failed;
      if (!pool.start(index, spec, cache.get(spec.scenario, spec.sets), failed) &&
          !write_all(io, frame(encode(index, failed))))
        open = false;
      if (f[3] == "forget") cache.forget(spec.scenario, spec.sets);
    }
    if (bad) {
      pool.stop_all();
      return refuse("garbled request");
    }
    for (auto& [i, r] : pool.poll())
      if (!write_all(io, frame(encode(i, r)))) open = false;
  }
  // The runner closed its end: it has every outcome, or it is gone and so must the runs be.
  pool.stop_all();
  return 0;
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
