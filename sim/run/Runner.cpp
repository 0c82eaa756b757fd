#include "sim/run/Runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>

#include <simgrid/s4u.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

#include "outagesim/Version.hpp"
#include "sim/fault/Actions.hpp"
#include "sim/fault/EntityDirectory.hpp"
#include "sim/run/Output.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/scenario/Loader.hpp"
#include "sim/world/Path.hpp"

namespace outagesim::sim {

namespace sg4 = simgrid::s4u;

namespace {

// The engine's own handlers: links go down and up, nodes stop, crash and come back, all by switching
// the SimGrid resource (what models see through World::link_up / node_up and SimGrid's failures).
void register_core_actions(RunContext& ctx) {
  World& w = ctx.world();
  auto link_handler = [&ctx, &w](bool up) {
    return [&ctx, &w, up](const std::string& path, const ActionRequest& r) -> std::uint64_t {
      auto li = w.find_link(path.substr(5));
      if (!li) return 0;
      sg4::Link* l = w.sg_link(*li);
      if (l->is_on() == up) return 0; // already in that state: nothing changes, nothing to record
      if (up)
        l->turn_on();
      else
        l->turn_off();
      std::uint64_t id = ctx.emit(up ? "link.up" : "link.down", path, r.reason, r.cause);
      w.set_last_change(path, id);
      return id;
    };
  };
  auto node_handler = [&ctx, &w](const std::string& action) {
    bool up = action == "up" || action == "restore";
    return [&ctx, &w, up, action](const std::string& path, const ActionRequest& r) -> std::uint64_t {
      auto ni = w.find_node(path);
      if (!ni) return 0;
      sg4::Host* h = w.host(*ni);
      if (h->is_on() == up) return 0;
      static const std::map<std::string, std::string> types = {{"down", "node.stopped"},
                                                               {"crash", "node.crashed"},
                                                               {"up", "node.started"},
                                                               {"restore", "node.restored"}};
      // The event first: models that react to the switch (SimGrid's state callbacks, run within it)
      // read how the node went down (a graceful stop or a crash) from its last change.
      std::uint64_t id = ctx.emit(types.at(action), path, r.reason, r.cause);
      w.set_last_change(path, id);
      if (up)
        h->turn_on();
      else
        h->turn_off();
      return id;
    };
  };
  for (const auto& a : core_action_decls())
    ctx.directory().on(a.kind, a.action,
                       a.kind == "link" ? ActionHandler(link_handler(a.action == "up"))
                                        : ActionHandler(node_handler(a.action)));
}

struct TimedAction {
  SimTime at;
  std::size_t seq;
  const FaultSpec* fault;
  bool undo;
};

// Plays the fault timeline: each entry is announced as a fault event, then applied to every entity
// its target matches, through the directory.
void play_faults(RunContext& ctx, const std::vector<ModelInfo>& models) {
  std::vector<TimedAction> plan;
  std::size_t seq = 0;
  for (const auto& f : ctx.scenario().faults) {
    plan.push_back({f.at, seq++, &f, false});
    if (f.until) plan.push_back({*f.until, seq++, &f, true});
  }
  std::sort(plan.begin(), plan.end(), [](const TimedAction& a, const TimedAction& b) {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  });
  for (const auto& step : plan) {
    if (step.at > ctx.end()) break;
    sg4::this_actor::sleep_until(step.at);
    const FaultSpec& f = *step.fault;
    std::string kind, id;
    split_path(f.target, kind, id);
    std::string action = step.undo ? undo_action(kind, f.action, models) : f.action;
    std::string label = f.id.empty() ? f.target + " " + f.action : f.id;
    std::string reason =
        step.undo ? "end of fault '" + label + "'" : (f.note.empty() ? "scheduled fault" : f.note);
    nlohmann::ordered_json data;
    data["action"] = action;
    data["target"] = f.target;
    if (!f.params.empty()) data["with"] = f.params;
    std::uint64_t fid = ctx.emit(step.undo ? "fault.ended" : "fault.applied", f.target, reason, 0, data);
    // Entries without an id are told apart by their position (two alike must still add up).
    std::string entry = f.id.empty() ? "#" + std::to_string(&f - ctx.scenario().faults.data()) : f.id;
    ActionRequest req{action, step.at, reason, fid, f.params, entry, step.undo};
    for (const auto& path : ctx.directory().match(f.target))
      ctx.directory().apply(path, req);
  }
}

nlohmann::ordered_json region_outages(const RunContext& ctx) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  const auto& s = ctx.scenario();
  for (const auto& [region, service] : ctx.timeline().keys("availability")) {
    if (region.empty() || service.empty()) continue;
    auto periods = periods_below(ctx.timeline().series(region, service, "availability"), 0.5, s.info.sample);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& p : periods) {
      nlohmann::ordered_json j;
      j["start"] = format_utc(double(s.info.start_epoch) + p.start);
      j["end"] = p.end ? nlohmann::ordered_json(format_utc(double(s.info.start_epoch) + *p.end)) : nullptr;
      list.push_back(j);
    }
    out[region][service] = list;
  }
  return out;
}

std::string human_summary(const RunContext& ctx, const std::vector<SignalValue>& signals, SimTime end) {
  const auto& s = ctx.scenario();
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: %s simulated (%s to %s), seed %llu, %zu events\n",
                s.info.name.empty() ? s.file.c_str() : s.info.name.c_str(), format_duration(end).c_str(),
                format_utc(double(s.info.start_epoch)).c_str(),
                format_utc(double(s.info.start_epoch) + end).c_str(),
                static_cast<unsigned long long>(ctx.seed()), ctx.events().events().size());
  out += buf;
  // A null value (the event never happened) reads as no value here.
  auto find = [&](const std::string& id, const std::string& subject) -> const SignalValue* {
    for (const auto& v : signals)
      if (v.id == id && v.subject == subject) return v.value.is_null() ? nullptr : &v;
    return nullptr;
  };
  for (const auto& sv : s.services) {
    std::string subject = "service:" + sv.id;
    const SignalValue* drop = find("traffic.drop_start", subject);
    const SignalValue* rec = find("service.recovered", subject);
    const SignalValue* peak = find("regions.fraction_down_at_peak", subject);
    if (!drop) {
      out += "  " + sv.id + ": no outage (user-weighted availability stayed at or above 90 %)\n";
      continue;
    }
    std::snprintf(buf, sizeof buf, "  %s: degraded from %s, %s; at worst %.0f %% of users' regions down\n",
                  sv.id.c_str(), format_offset(drop->value.get<double>()).c_str(),
                  rec ? ("back for good at " + format_offset(rec->value.get<double>())).c_str()
                      : "not recovered by the end",
                  peak ? peak->value.get<double>() * 100 : 0.0);
    out += buf;
  }
  return out;
}

} // namespace

RunResult run_scenario(const Scenario& s, const std::vector<ModelInfo>& models, const RunOptions& options) {
  SimTime end = s.info.duration;
  if (options.until) end = std::min(end, std::max(0.0, options.until->resolve(s.info.start_epoch)));

  // SimGrid setup: quiet, CM02 so configured latencies are the delivered ones.
  xbt_log_control_set("root.thresh:critical");
  int argc = 1;
  char arg0[] = "outagesim";
  char* argv[] = {arg0, nullptr};
  sg4::Engine engine(&argc, argv);
  install_interrupt_cleanup(); // SimGrid installed its own SIGINT handler: ours must win
  engine.set_config("network/model:CM02");
  engine.set_config("contexts/stack-size:512");

  World world(s);
  world.build_platform();
  RunContext ctx(s, world, s.info.seed, end);
  ctx.directory().add_entities(world.entity_paths());
  register_core_actions(ctx);

  // The enabled models with work, started in the order their declared needs set (not the list's).
  std::vector<std::unique_ptr<Model>> running;
  for (const ModelInfo* m : start_order(models, s))
    running.push_back(m->create(*s.config(m->name)));
  for (auto& m : running)
    m->start(ctx);

  sg4::Host* control = world.control_host();

  sg4::Actor::create("faults", control, [&ctx, &models] {
    sg4::Actor::self()->daemonize();
    play_faults(ctx, models);
  });
  auto wall_start = std::chrono::steady_clock::now();
  sg4::Actor::create("controller", control, [&] {
    // The one non-daemon actor: samples every interval, shows progress, and ends the run.
    double last_print = 0;
    bool printed = false;
    std::size_t n = static_cast<std::size_t>(std::ceil(end / s.info.sample - 1e-9));
    for (std::size_t k = 0; k < n; ++k) {
      SimTime a = k * s.info.sample;
      SimTime b = std::min(end, (k + 1) * s.info.sample);
      sg4::this_actor::sleep_until(b);
      for (const auto& sampler : ctx.samplers())
        sampler(a, b);
      if (options.progress_lines) {
        // Off a terminal (a log, CI): a whole line now and then, only for runs that take a while.
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        if (wall - last_print >= 10.0) {
          std::fprintf(stderr, "outagesim: simulated %s of %s (%.0f %%), %.0f s elapsed\n", format_offset(b).c_str(),
                       format_offset(end).c_str(), 100.0 * b / end, wall);
          std::fflush(stderr);
          last_print = wall;
        }
      } else if (options.progress) {
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        if (wall > 2.0 && wall - last_print >= 0.5) {
          std::fprintf(stderr, "\r  simulated %s of %s (%3.0f %%), %.1f s elapsed ", format_offset(b).c_str(),
                       format_offset(end).c_str(), 100.0 * b / end, wall);
          last_print = wall;
          printed = true;
        }
      }
    }
    if (printed) std::fprintf(stderr, "\n");
  });
  install_interrupt_cleanup(); // again, in case the engine's setup installed its handler late
  engine.run();
  for (auto& m : running)
    m->finish(ctx);

  // Signals: the engine's own (from availability) then the models'.
  std::vector<std::pair<std::string, double>> weights;
  for (const auto& n : s.nodes)
    if (n.kind == EntityKind::Region) weights.emplace_back(n.id, n.population);
  std::vector<SignalValue> signals = availability_signals(ctx.timeline(), s.info.sample, weights);
  signals.insert(signals.end(), ctx.signals().begin(), ctx.signals().end());
  // Every signal is about a subject the scenario has: the list observed records are checked against
  // (a subject outside it could never be computed), written beside the signals.
  const std::vector<std::string> subjects = signal_subjects(models, s);
  for (const auto& v : signals)
    if (!std::binary_search(subjects.begin(), subjects.end(), v.subject))
      throw std::logic_error("signal " + v.id + " was computed for " + v.subject +
                             ", a subject that no model of the scenario lists (ModelInfo::signal_subjects)");

  RunResult r;
  auto& j = r.summary;
  j["scenario"] = s.info.name;
  j["file"] = s.file;
  j["seed"] = ctx.seed();
  j["start"] = format_utc(double(s.info.start_epoch));
  j["end"] = format_utc(double(s.info.start_epoch) + end);
  j["versions"] = {
      {"outagesim", kVersion},
      {"simgrid", std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR)}};
  j["events"] = ctx.events().events().size();
  j["regions"] = region_outages(ctx);
  j["signals"] = signals_to_json(signals, s.info.start_epoch);
  j["subjects"] = subjects;
  if (!ctx.model_summaries().empty()) j["models"] = ctx.model_summaries();
  for (const auto& e : ctx.events().events()) {
    r.events_jsonl += event_to_json(e, s.info.start_epoch) + "\n";
    r.events_txt += event_to_text(e) + "\n";
  }
  r.timeline_csv = ctx.timeline().to_csv(s.info.start_epoch);
  r.human_summary = human_summary(ctx, signals, end);
  r.extra_files = ctx.output_files();
  return r;
}

} // namespace outagesim::sim
