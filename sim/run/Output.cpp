#include "sim/run/Output.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/syscall.h>
#include <unistd.h>

namespace outagesim::sim {
namespace fs = std::filesystem;
namespace {

// What the signal handler must remove, as C strings it can read without allocating: temporaries in
// flight (write_outputs_atomically) and the staging folder (replace_output_folder).
constexpr int kMaxPending = 64;
constexpr std::size_t kPathMax = 4096;
char g_pending[kMaxPending][kPathMax];
volatile std::sig_atomic_t g_pending_count = 0;
char g_staging[kPathMax];
volatile std::sig_atomic_t g_has_staging = 0;

struct LinuxDirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

// Removes every entry of a flat folder, then the folder: only async-signal-safe system calls.
void remove_flat_folder(const char* dir) {
  int fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buf[8192];
    for (;;) {
      long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        auto* e = reinterpret_cast<LinuxDirent64*>(buf + off);
        off += e->d_reclen;
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
          ::unlinkat(fd, e->d_name, 0);
      }
    }
    ::close(fd);
  }
  ::rmdir(dir);
}

void on_signal(int sig) {
  for (int i = 0; i < g_pending_count; ++i)
    ::unlink(g_pending[i]);
  if (g_has_staging) remove_flat_folder(g_staging);
  ::_exit(128 + sig);
}

void clear_pending() {
  g_pending_count = 0;
}

// SIGINT and SIGTERM held back while a folder is swapped in (delivered when released).
class HoldSignals {
public:
  HoldSignals() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &s, &old_);
  }
  ~HoldSignals() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

private:
  sigset_t old_;
};

// The test hook of Output.hpp: after the first staged file, tell the test and wait for its signal.
void test_hold(bool& held) {
  const char* marker = std::getenv("OUTAGESIM_TEST_HOLD_OUTPUT");
  if (held || !marker || !*marker) return;
  held = true;
  std::ofstream(marker) << ::getpid() << "\n";
  for (int i = 0; i < 600; ++i)
    ::usleep(100000);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
}

bool pid_alive(const std::string& digits) {
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return false;
  long pid = std::strtol(digits.c_str(), nullptr, 10);
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

// Staging and old folders `.NAME.staging-PID` / `.NAME.old-PID` beside `dir` whose process is gone.
void remove_stale_siblings(const fs::path& dir) {
  std::error_code ec;
  std::string name = dir.filename().string();
  for (const char* what : {".staging-", ".old-"}) {
    std::string prefix = "." + name + what;
    for (fs::directory_iterator it(dir.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
      std::string entry = it->path().filename().string();
      if (entry.compare(0, prefix.size(), prefix) == 0 && !pid_alive(entry.substr(prefix.size())))
        fs::remove_all(it->path(), ec);
    }
  }
}

} // namespace

void install_interrupt_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  sa.sa_flags = 0;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

void write_outputs_atomically(const std::string& dir,
                              const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create output folder '" + dir + "': " + ec.message());
  // Temporaries of a killed writer (`.NAME.tmp.PID`) whose process is gone.
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string entry = it->path().filename().string();
    auto at = entry.rfind(".tmp.");
    if (!entry.empty() && entry[0] == '.' && at != std::string::npos && !pid_alive(entry.substr(at + 5)))
      fs::remove(it->path(), ec);
  }
  std::vector<std::pair<std::string, std::string>> moves;
  auto cleanup = [&] {
    for (auto& [tmp, fin] : moves)
      fs::remove(tmp, ec);
    clear_pending();
  };
  bool held = false;
  for (const auto& [name, content] : files) {
    std::string fin = (fs::path(dir) / name).string();
    std::string tmp = (fs::path(dir) / ("." + name + ".tmp." + std::to_string(::getpid()))).string();
    if (tmp.size() < kPathMax && g_pending_count < kMaxPending) {
      std::strcpy(g_pending[g_pending_count], tmp.c_str());
      g_pending_count = g_pending_count + 1;
    }
    moves.emplace_back(tmp, fin);
    try {
      write_file(tmp, content);
    } catch (...) {
      cleanup();
      throw;
    }
    test_hold(held);
  }
  HoldSignals hold;
  for (auto& [tmp, fin] : moves) {
    fs::rename(tmp, fin, ec);
    if (ec) {
      cleanup();
      throw std::runtime_error("cannot move '" + tmp + "' to '" + fin + "': " + ec.message());
    }
  }
  clear_pending();
}

bool check_output_folder(const std::string& dir_text) {
  std::error_code ec;
  fs::path dir = fs::absolute(dir_text, ec).lexically_normal();
  auto st = fs::symlink_status(dir, ec);
  bool exists = !ec && fs::exists(st);
  if (exists && !fs::is_directory(st))
    throw std::invalid_argument("output folder '" + dir_text + "' exists and is not a folder; expected a folder");
  if (exists && !fs::is_empty(dir, ec) && !fs::exists(dir / "summary.json"))
    throw std::invalid_argument("output folder '" + dir_text +
                                "' exists and is not the output of a run (no summary.json); expected a new "
                                "folder or one a run wrote (a run replaces all of it)");
  return exists;
}

void replace_output_folder(const std::string& dir_text,
                           const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  fs::path dir = fs::absolute(dir_text, ec).lexically_normal();
  if (ec || dir.filename().empty()) dir = fs::absolute(dir_text).lexically_normal().parent_path();
  if (dir.filename().empty() || dir.filename() == "." || dir.filename() == "..")
    throw std::invalid_argument("output folder '" + dir_text + "' has no name; expected a folder such as results/x");
  fs::path parent = dir.parent_path();
  fs::create_directories(parent, ec);
  if (ec) throw std::runtime_error("cannot create folder '" + parent.string() + "': " + ec.message());

  bool exists = check_output_folder(dir_text);
  remove_stale_siblings(dir);

  std::string pid = std::to_string(::getpid());
  fs::path staging = parent / ("." + dir.filename().string() + ".staging-" + pid);
  fs::path old = parent / ("." + dir.filename().string() + ".old-" + pid);
  if (staging.string().size() >= kPathMax) throw std::runtime_error("output path too long: " + dir.string());
  fs::remove_all(staging, ec);
  {
    HoldSignals hold; // the handler must see the folder only once it exists
    if (!fs::create_directory(staging, ec) || ec)
      throw std::runtime_error("cannot create folder '" + staging.string() + "': " + ec.message());
    std::strcpy(g_staging, staging.c_str());
    g_has_staging = 1;
  }
  auto drop_staging = [&] {
    HoldSignals hold;
    fs::remove_all(staging, ec);
    g_has_staging = 0;
  };
  bool held = false;
  try {
    for (const auto& [name, content] : files) {
      if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
        throw std::runtime_error("output file name '" + name + "' is not a plain file name");
      write_file((staging / name).string(), content);
      test_hold(held);
    }
  } catch (...) {
    drop_staging();
    throw;
  }

  HoldSignals hold; // the swap runs to its end; a signal that came meanwhile is delivered after it
  if (exists) {
    fs::rename(dir, old, ec);
    if (ec) {
      std::string why = ec.message();
      fs::remove_all(staging, ec);
      g_has_staging = 0;
      throw std::runtime_error("cannot move the older output folder '" + dir.string() + "' aside: " + why);
    }
  }
  fs::rename(staging, dir, ec);
  if (ec) {
    std::string why = ec.message();
    if (exists) fs::rename(old, dir, ec);
    fs::remove_all(staging, ec);
    g_has_staging = 0;
    throw std::runtime_error("cannot move '" + staging.string() + "' to '" + dir.string() + "': " + why);
  }
  g_has_staging = 0;
  if (exists) fs::remove_all(old, ec);
}

} // namespace outagesim::sim
