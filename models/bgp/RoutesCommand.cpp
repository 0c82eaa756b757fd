#include "models/bgp/RoutesCommand.hpp"

#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpDriver.hpp"
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/TopologyLoader.hpp"
#include "sim/scenario/Loader.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/world/Path.hpp"

#include <algorithm>

namespace outagesim::bgp {

namespace {

constexpr int kBadInput = 2;

sim::Mark option_mark(const std::string& name) {
  return sim::Mark{std::make_shared<const std::string>(name), 1, 1};
}

int fail(sim::Diagnostics& d, std::ostream& err) {
  d.print(err);
  return kBadInput;
}

std::optional<Prefix> option_prefix(const std::string& text, sim::Diagnostics& d) {
  auto p = Prefix::parse(text);
  if (!p)
    d.error(option_mark("--prefix"),
            "--prefix is '" + text + "'; expected an IPv4 prefix a.b.c.d/len with zero host bits");
  return p;
}

int routes_caida(const RoutesOptions& o, std::ostream& out, std::ostream& err) {
  sim::Diagnostics d;
  if (!o.origin)
    d.error(option_mark("--origin"), "--caida needs --origin ASN (the AS that announces the prefix)");
  auto prefix = option_prefix(o.prefix.empty() ? "192.0.2.0/24" : o.prefix, d);
  if (d.has_errors()) return fail(d, err);
  LoadedTopology topo;
  try {
    topo = load_caida(o.caida);
  } catch (const TopologyError& e) {
    d.error(sim::Mark{std::make_shared<const std::string>(e.file()), e.line(), e.col()}, e.message());
    return fail(d, err);
  }
  for (const auto& w : topo.warnings)
    err << "warning: " << w << "\n";
  if (!topo.graph.index_of(*o.origin)) {
    d.error(option_mark("--origin"),
            "AS" + std::to_string(*o.origin) + " is not in " + o.caida + "; expected an AS of the topology");
    return fail(d, err);
  }
  BgpParams params;
  params.seed = o.seed.value_or(1);
  BgpEngine engine(topo.graph, params);
  engine.announce(*o.origin, *prefix, 0);
  engine.run_to_convergence();
  write_routes(out, engine, *prefix);
  return 0;
}

struct Step {
  double at;
  std::size_t seq;
  const sim::FaultSpec* fault;
  bool undo;
};

int routes_scenario(const RoutesOptions& o, const std::vector<sim::ModelInfo>& models, std::ostream& out,
                    std::ostream& err) {
  sim::Diagnostics d;
  std::vector<std::string> sets = o.sets;
  if (o.seed) sets.push_back("scenario.seed=" + std::to_string(*o.seed));
  auto s = sim::load_scenario(o.scenario, sim::LoadOptions{sets}, models, d);
  if (!s) return fail(d, err);
  const auto* config = dynamic_cast<const BgpModelConfig*>(s->config("bgp"));
  if (!config) {
    d.error(sim::Mark{std::make_shared<const std::string>(o.scenario), 0, 0},
            "the scenario has no bgp: section; expected one (see models/bgp/BgpConfig.hpp)");
    return fail(d, err);
  }
  const BgpSetup* setup = &config->setup;
  double at = 0;
  if (!o.at.empty()) {
    sim::YamlNode n;
    n.kind = sim::YamlNode::Kind::Scalar;
    n.scalar = o.at;
    n.mark = option_mark("--at");
    auto t = sim::read_time(n, "--at", d);
    if (!t) return fail(d, err);
    at = t->resolve(s->info.start_epoch);
    if (at < 0 || at > s->info.duration) {
      d.error(n.mark, "--at is outside the scenario (" + sim::format_duration(s->info.duration) +
                          " from its start); expected a time within it");
      return fail(d, err);
    }
  }
  std::optional<Prefix> prefix;
  if (!o.prefix.empty())
    prefix = option_prefix(o.prefix, d);
  else if (!setup->config.prefixes.empty())
    prefix = setup->config.prefixes.front().prefix;
  else
    d.error(option_mark("--prefix"), "the scenario's bgp: section configures no prefix; expected --prefix P");
  if (!prefix) return fail(d, err);

  const sim::ParamValues& pv = s->params.at("bgp");
  BgpDriver driver(setup->config, setup->graph, bgp_params_from(pv, s->info.seed));
  driver.warm_up();
  const double off = driver.offset();

  // The BGP part of the fault timeline, in the runner's order (date, then file order).
  std::vector<Step> plan;
  std::size_t seq = 0;
  auto decls = bgp_action_decls();
  auto is_bgp = [&](const std::string& target, const std::string& action) {
    std::string kind, id;
    if (!sim::split_path(target, kind, id)) return false;
    return std::any_of(decls.begin(), decls.end(),
                       [&](const sim::ActionDecl& a) { return a.kind == kind && a.action == action; });
  };
  for (const auto& f : s->faults) {
    if (!is_bgp(f.target, f.action)) continue;
    plan.push_back({f.at, seq++, &f, false});
    if (f.until) plan.push_back({*f.until, seq++, &f, true});
  }
  std::sort(plan.begin(), plan.end(),
            [](const Step& a, const Step& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; });
  BgpEngine& e = driver.engine();
  for (const auto& step : plan) {
    if (step.at > at) break;
    e.run_until(step.at + off);
    std::string kind, id;
    sim::split_path(step.fault->target, kind, id);
    const std::string action =
        step.undo ? sim::undo_action(kind, step.fault->action, models) : step.fault->action;
    for (const auto& path : match_bgp_entities(driver.config(), driver.graph(), step.fault->target))
      driver.apply(path, action, step.fault->params, std::max(e.now(), step.at + off));
  }
  e.run_until(at + off);
  write_routes(out, e, *prefix);
  return 0;
}

} // namespace

int routes_command(const RoutesOptions& o, const std::vector<sim::ModelInfo>& models, std::ostream& out,
                   std::ostream& err) {
  sim::Diagnostics d;
  if (o.caida.empty() == o.scenario.empty()) {
    d.error(option_mark("routes"),
            "expected either --caida FILE --origin ASN, or a SCENARIO file (not both)");
    return fail(d, err);
  }
  if (!o.caida.empty()) {
    if (!o.at.empty() || !o.sets.empty()) {
      d.error(option_mark("--at"), "--at and --set apply to a SCENARIO, not to --caida");
      return fail(d, err);
    }
    return routes_caida(o, out, err);
  }
  if (o.origin) {
    d.error(option_mark("--origin"),
            "--origin applies to --caida; a scenario's origins are in its bgp: section");
    return fail(d, err);
  }
  return routes_scenario(o, models, out, err);
}

} // namespace outagesim::bgp
