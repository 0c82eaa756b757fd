#include "sim/run/Output.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace outagesim::sim {
namespace {

// Temporaries in flight, as C strings the signal handler can read without allocating.
constexpr int kMaxPending = 64;
char g_pending[kMaxPending][4096];
volatile std::sig_atomic_t g_pending_count = 0;

void on_signal(int sig) {
  for (int i = 0; i < g_pending_count; ++i)
    ::unlink(g_pending[i]);
  ::_exit(128 + sig);
}

void clear_pending() {
  g_pending_count = 0;
}

} // namespace

void install_interrupt_cleanup() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

void write_outputs_atomically(const std::string& dir,
                              const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create output folder '" + dir + "': " + ec.message());
  std::vector<std::pair<std::string, std::string>> moves;
  auto cleanup = [&] {
    for (auto& [tmp, fin] : moves)
      fs::remove(tmp, ec);
    clear_pending();
  };
  for (const auto& [name, content] : files) {
    std::string fin = (fs::path(dir) / name).string();
    std::string tmp = (fs::path(dir) / ("." + name + ".tmp." + std::to_string(::getpid()))).string();
    if (tmp.size() < sizeof g_pending[0] && g_pending_count < kMaxPending) {
      std::strcpy(g_pending[g_pending_count], tmp.c_str());
      g_pending_count = g_pending_count + 1;
    }
    moves.emplace_back(tmp, fin);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      cleanup();
      throw std::runtime_error("cannot write '" + fin + "'");
    }
  }
  for (auto& [tmp, fin] : moves) {
    fs::rename(tmp, fin, ec);
    if (ec) {
      cleanup();
      throw std::runtime_error("cannot move '" + tmp + "' to '" + fin + "': " + ec.message());
    }
  }
  clear_pending();
}

} // namespace outagesim::sim
