#pragma once
// What a model sees of a run: the scenario, the world, the event log, the timeline, the entity
// directory, its parameters and seeded random streams, and hooks for sampling and the summary.
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "sim/events/EventLog.hpp"
#include "sim/fault/EntityDirectory.hpp"
#include "sim/metrics/Signals.hpp"
#include "sim/metrics/Timeline.hpp"
#include "sim/run/Services.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/world/World.hpp"

namespace outagesim::sim {

class RunContext {
public:
  /// Called at the end of every sample interval [start, end) of the scenario.
  using Sampler = std::function<void(SimTime start, SimTime end)>;

  RunContext(const Scenario& s, World& w, std::uint64_t seed, SimTime end)
      : scenario_(s), world_(w), seed_(seed), end_(end) {}

  const Scenario& scenario() const { return scenario_; }
  World& world() { return world_; }
  EventLog& events() { return events_; }
  const EventLog& events() const { return events_; }
  Timeline& timeline() { return timeline_; }
  const Timeline& timeline() const { return timeline_; }
  EntityDirectory& directory() { return directory_; }
  const ParamValues& params(const std::string& model) const { return scenario_.params.at(model); }
  std::uint64_t seed() const { return seed_; }
  /// A random stream that depends only on the seed and `name`.
  std::mt19937_64 rng(const std::string& name) const;
  /// Simulated time now (SimGrid's clock).
  SimTime now() const;
  /// When the run stops.
  SimTime end() const { return end_; }

  void on_sample(Sampler s) { samplers_.push_back(std::move(s)); }
  const std::vector<Sampler>& samplers() const { return samplers_; }
  void add_signal(SignalValue v) { signals_.push_back(std::move(v)); }
  const std::vector<SignalValue>& signals() const { return signals_; }
  /// A model's own part of summary.json (under "models": {name: ...}).
  nlohmann::ordered_json& summary(const std::string& model) { return model_summaries_[model]; }
  const nlohmann::ordered_json& model_summaries() const { return model_summaries_; }

  /// A model's own output file (e.g. bgp_updates.csv), written with the others, atomically.
  void add_output(std::string name, std::string content) {
    outputs_.emplace_back(std::move(name), std::move(content));
  }
  const std::vector<std::pair<std::string, std::string>>& output_files() const { return outputs_; }

  /// Services models offer each other (nullptr when no running model offers one).
  void provide_routes(RouteService* s) { routes_ = s; }
  RouteService* routes() const { return routes_; }
  void provide_announcements(AnnouncementService* s) { announcements_ = s; }
  void provide_names(NameService* s) { names_ = s; }
  NameService* names() const { return names_; }
  AnnouncementService* announcements() const { return announcements_; }
  void provide_serving(ServingService* s) { serving_ = s; }
  ServingService* serving() const { return serving_; }

  /// Emits an event stamped with the current simulated time.
  std::uint64_t emit(std::string type, std::string subject, std::string reason, std::uint64_t cause = 0,
                     nlohmann::ordered_json data = nlohmann::ordered_json::object());

private:
  void debug_log(const Event& e) const;

  const Scenario& scenario_;
  World& world_;
  std::uint64_t seed_;
  SimTime end_;
  EventLog events_;
  Timeline timeline_;
  EntityDirectory directory_;
  std::vector<Sampler> samplers_;
  std::vector<SignalValue> signals_;
  nlohmann::ordered_json model_summaries_ = nlohmann::ordered_json::object();
  std::vector<std::pair<std::string, std::string>> outputs_;
  RouteService* routes_ = nullptr;
  AnnouncementService* announcements_ = nullptr;
  NameService* names_ = nullptr;
  ServingService* serving_ = nullptr;
};

/// The named logger of a model or engine part ("bgp", "probe", "engine"); its pattern carries the
/// simulated time. Levels come from `--log` (same syntax as SPDLOG_LEVEL: "probe=debug,warn").
std::shared_ptr<spdlog::logger> logger(const std::string& name);
void configure_logging(const std::string& spec);

} // namespace outagesim::sim
