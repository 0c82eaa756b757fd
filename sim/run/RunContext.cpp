#include "sim/run/RunContext.hpp"

#include <cstdio>

#include <simgrid/s4u/Actor.hpp>
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
  debug_log(e);
  return events_.emit(std::move(e));
}

void RunContext::debug_log(const Event& e) const {
  // `--log MODEL=debug` shows the model's decisions as they happen: the events its actor emits (the
  // actor's name starts with the model's, "probe/us-east") or whose type starts with it ("users.").
  std::string names[2];
  if (auto* self = simgrid::s4u::Actor::self()) {
    const std::string& actor = self->get_name();
    names[0] = actor.substr(0, actor.find('/'));
  }
  names[1] = e.type.substr(0, e.type.find('.'));
  for (int i : {1, 0}) {
    if (names[i].empty()) continue;
    auto l = spdlog::get(names[i]);
    if (!l && spdlog::get_level() <= spdlog::level::debug) l = logger(names[i]);
    if (!l || !l->should_log(spdlog::level::debug)) continue;
    l->debug("{} {}: {}{}", e.type, e.subject, e.reason, e.cause ? " [cause #" + std::to_string(e.cause) + "]" : "");
    return;
  }
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
  if (spec.empty()) return;
  // The loggers named in the spec exist from now on, so that levels apply to them however late a
  // model first logs.
  std::size_t i = 0;
  while (i <= spec.size()) {
    std::size_t j = spec.find(',', i);
    if (j == std::string::npos) j = spec.size();
    std::string item = spec.substr(i, j - i);
    if (auto eq = item.find('='); eq != std::string::npos && eq > 0) logger(item.substr(0, eq));
    i = j + 1;
  }
  spdlog::cfg::helpers::load_levels(spec);
}

} // namespace outagesim::sim
