#include "sim/run/RunContext.hpp"

#include <cstdio>

#include <simgrid/s4u/Engine.hpp>
#include <spdlog/cfg/helpers.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "sim/core/Rng.hpp"

namespace outagesim::sim {

std::mt19937_64 RunContext::rng(const std::string& name) const {
  return rng_stream(seed_, name);
}

SimTime RunContext::now() const {
  return simgrid::s4u::Engine::get_clock();
}

std::uint64_t RunContext::emit(std::string type, std::string subject, std::string reason, std::uint64_t cause,
                               nlohmann::ordered_json data) {
  Event e;
  e.time = now();
  e.type = std::move(type);
  e.subject = std::move(subject);
  e.reason = std::move(reason);
  e.cause = cause;
  e.data = std::move(data);
  return events_.emit(std::move(e));
}

namespace {

// %* in a log pattern: the simulated time (or "-" outside a simulation).
class SimTimeFlag : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    char buf[32];
    double t = simgrid::s4u::Engine::is_initialized() ? simgrid::s4u::Engine::get_clock() : 0.0;
    int n = std::snprintf(buf, sizeof buf, "%10.3f", t);
    dest.append(buf, buf + n);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<SimTimeFlag>(); }
};

} // namespace

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  if (auto l = spdlog::get(name)) return l;
  auto l = spdlog::stderr_color_mt(name);
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<SimTimeFlag>('*').set_pattern("[%*s] [%n] %^%l%$: %v");
  l->set_formatter(std::move(f));
  return l;
}

void configure_logging(const std::string& spec) {
  spdlog::set_level(spdlog::level::warn);
  if (!spec.empty()) spdlog::cfg::helpers::load_levels(spec);
}

} // namespace outagesim::sim
