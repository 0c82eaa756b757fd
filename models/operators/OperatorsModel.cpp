#include "models/operators/OperatorsModel.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include <simgrid/s4u.hpp>

#include "models/operators/OperatorPlan.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/world/Path.hpp"
#include "sim/world/World.hpp"

namespace outagesim::operators {

namespace sg4 = simgrid::s4u;
using sim::Diagnostics;
using sim::MapReader;
using sim::RunContext;
using sim::YamlNode;

namespace {

/// An access path and what it needs to be usable.
struct AccessSpec {
  std::string id;
  std::string from;                  ///< node the operators work from ("router:noc")
  std::vector<std::string> reach;    ///< nodes that must be reachable from `from`
  std::vector<std::string> links_up; ///< link patterns whose every link must be up
  std::vector<std::string> resolves; ///< names that must resolve (needs a DNS model)
  std::string region;                ///< region whose resolvers the operators use
  std::vector<sim::LinkKind> via;    ///< link kinds the reach may use (empty: any)
};

// Whether `to` is reachable from `from` over up links of the given kinds (any kind if empty) and up
// nodes; if not, `cause` gets the latest event that took down an element at the boundary.
bool reachable(const sim::World& w, std::size_t from, std::size_t to, const std::vector<sim::LinkKind>& via,
               std::uint64_t* cause) {
  // The whole traversal (memoised while nothing switches, whatever `to`): whether it reaches `to`,
  // and the boundary when it does not, are those of a traversal stopped at `to`.
  sim::ReachOptions o;
  o.kinds = via;
  const sim::Reach& r = *w.reach_now(from, o);
  if (r.reached(to)) return true;
  if (cause) *cause = std::max(*cause, w.latest_boundary_change(r));
  return false;
}

// The operators model's config for a run: its section, parsed once at load.
struct OperatorsConfig : sim::ModelConfig {
  bool present = false;
  std::vector<AccessSpec> access;
  std::vector<PlanSpec> plans;
};

bool has_node(const sim::Scenario& s, const std::string& path) {
  return std::any_of(s.nodes.begin(), s.nodes.end(),
                     [&](const sim::NodeSpec& n) { return n.path() == path; });
}

std::vector<std::string> strings(MapReader& r, const std::string& key, bool required = false) {
  std::vector<std::string> out;
  if (auto v = r.strings(key, required))
    for (auto& [s, m] : *v)
      out.push_back(s);
  return out;
}

// A step's target must name something of the topology when its kind is one of the topology's (a
// repair of "dc:nowhere" would silently do nothing); kinds that models own (prefix:, zone:, ...) are
// the owners' to resolve at run time.
void check_step_target(const sim::Scenario& s, const StepSpec& step, const sim::Mark& mark, Diagnostics& d) {
  std::string kind, id;
  if (!sim::split_path(step.target, kind, id)) {
    d.error(mark, "step '" + step.id + "' target '" + step.target +
                      "' is not a path; expected KIND:ID such as dc:prineville or link:backbone/*");
    return;
  }
  bool topology_kind = kind == "link";
  std::size_t matches = 0;
  for (const auto& l : s.links)
    if (sim::glob_match(step.target, l.path())) ++matches;
  for (const auto& n : s.nodes) {
    topology_kind = topology_kind || kind == sim::entity_kind_prefix(n.kind);
    if (sim::glob_match(step.target, n.path())) ++matches;
  }
  if (topology_kind && matches == 0)
    d.error(mark, "step '" + step.id + "' target '" + step.target + "' matches no entity; expected a declared " +
                      kind + " (check the id)");
}

// Steps that wait for each other (through `after`) would never start: reported once per plan.
void check_step_cycles(const PlanSpec& ps, const sim::Mark& mark, Diagnostics& d) {
  std::map<std::string, const StepSpec*> by_id;
  for (const auto& st : ps.steps)
    by_id.emplace(st.id, &st);
  std::map<std::string, int> state; // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::vector<std::string> cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& id) {
    state[id] = 1;
    path.push_back(id);
    for (const auto& dep : by_id.at(id)->after) {
      if (!by_id.count(dep)) continue; // a dangling name is reported on its own
      if (state[dep] == 1) {
        cycle.assign(std::find(path.begin(), path.end(), dep), path.end());
        cycle.push_back(dep);
        return true;
      }
      if (state[dep] == 0 && visit(dep)) return true;
    }
    path.pop_back();
    state[id] = 2;
    return false;
  };
  for (const auto& st : ps.steps)
    if (state[st.id] == 0 && visit(st.id)) {
      d.error(mark, "steps of plan '" + ps.id + "' wait for each other in a cycle (" + sim::join(cycle, " after ") +
                        "); expected an order that can start");
      return;
    }
}

/// The `operators:` section and its keys, declared once (sim/scenario/Keys.hpp).
const sim::KeyDecl& operators_section_key() {
  using sim::key;
  using VT = sim::ValueType;
  static const sim::KeyDecl k =
      key("operators", VT::Map, "the people who repair: access paths they need and the plans they follow")
          .keys(
              "operators", "access paths and recovery plans",
              {key("access", VT::List, "ways the operators reach the systems, and what each needs to work")
                   .unique_by("id")
                   .keys(
                       "operators access", "one access path",
                       {key("id", VT::String, "the access path's id (steps name it; 'onsite' is built in)")
                            .needed(),
                        key("from", VT::String, "node the operators work from (router:noc)").names("node"),
                        key("reach", VT::Strings, "nodes that must be reachable from 'from'").names("node"),
                        key("links_up", VT::Strings, "link patterns whose every link must be up")
                            .names("link"),
                        key("resolves", VT::Strings, "names that must resolve (needs the dns model)"),
                        key("region", VT::String, "region whose resolvers the operators use").names("region"),
                        key("via", VT::Strings, "link kinds the reach may use (default: any)")}),
               key("plans", VT::List, "recovery plans: what sets each off, and its steps")
                   .unique_by("id")
                   .keys(
                       "operators plan", "one plan",
                       {key("id", VT::String, "the plan's id").needed(),
                        key("trigger", VT::Map, "the event that sets the plan off")
                            .needed()
                            .keys(
                                "plan trigger", "an event type and subject pattern",
                                {key("event", VT::String, "an event type (see `outagesim models`)").needed(),
                                 key("subject", VT::String,
                                     "pattern of the event's subject (link:backbone/*)")
                                     .names("entity")}),
                        key("detect", VT::Duration, "from the trigger until the team acts")
                            .with_unit("s")
                            .with_default("5m")
                            .range(0, sim::kMaxRunSeconds),
                        key("travel", VT::Duration, "time to reach a site")
                            .with_unit("s")
                            .with_default("1h")
                            .range(0, sim::kMaxRunSeconds),
                        key("security", VT::Duration, "time through physical security on site")
                            .with_unit("s")
                            .with_default("30m")
                            .range(0, sim::kMaxRunSeconds),
                        key("steps", VT::List, "the plan's steps")
                            .unique_by("id")
                            .keys("plan step", "one recovery step",
                                  {key("id", VT::String, "the step's id").needed(),
                                   key("duration", VT::Duration, "work once access is there")
                                       .with_unit("s")
                                       .range(0, sim::kMaxRunSeconds)
                                       .needed(),
                                   key("after", VT::Strings, "steps that must be done first"),
                                   key("access", VT::Strings,
                                       "access paths in order of preference (may be onsite)")
                                       .needed(),
                                   key("site", VT::String, "where a team goes for onsite access (dc:west)")
                                       .names("node"),
                                   key("target", VT::String, "entity pattern the step acts on when done")
                                       .names("entity"),
                                   key("action", VT::String,
                                       "the action applied to the target (up, restore, ...)")})})});
  return k;
}

OperatorsConfig read_operators(const sim::Scenario& s, Diagnostics& d) {
  OperatorsConfig c;
  const YamlNode* n = s.section("operators");
  if (!n) return c;
  const sim::NodeDecl& decl = *operators_section_key().node;
  MapReader r(n, "operators", d, decl);
  if (!r.is_map()) return c;
  c.present = true;
  r.each("access", [&](const YamlNode& item) {
    MapReader a(&item, "operators access", d, decl.child("access"));
    if (!a.is_map()) return;
    AccessSpec as;
    if (auto v = a.string("id", true)) as.id = *v;
    if (as.id == kOnsite) d.error(a.mark(), "access id 'onsite' is reserved for working on site");
    if (auto v = a.string("from")) as.from = *v;
    as.reach = strings(a, "reach");
    as.links_up = strings(a, "links_up");
    as.resolves = strings(a, "resolves");
    if (auto v = a.string("region")) as.region = *v;
    if (auto v = a.strings("via"))
      for (const auto& [k, m] : *v) {
        if (auto kind = sim::parse_link_kind(k))
          as.via.push_back(*kind);
        else
          d.error(m, "access '" + as.id + "' via '" + k +
                         "' is unknown; expected one of: " + sim::join(sim::link_kind_names()));
      }
    for (const auto& p : as.reach)
      if (!has_node(s, p))
        d.error(a.mark(), "access '" + as.id + "' reach '" + p + "' names no topology node");
    if (!as.reach.empty() && !has_node(s, as.from))
      d.error(a.mark(), "access '" + as.id + "' needs 'from: NODE' (a topology node) to check reach");
    a.finish();
    c.access.push_back(as);
  });
  r.each("plans", [&](const YamlNode& item) {
    MapReader p(&item, "operators plan", d, decl.child("plans"));
    if (!p.is_map()) return;
    PlanSpec ps;
    if (auto v = p.string("id", true)) ps.id = *v;
    if (const YamlNode* t = p.get("trigger", true)) {
      MapReader tr(t, "plan trigger", d, decl.child("plans").child("trigger"));
      if (auto v = tr.string("event", true)) {
        ps.trigger_type = *v;
        // A trigger no model or engine part emits would never set the plan off.
        if (!s.event_types.empty() &&
            !std::binary_search(s.event_types.begin(), s.event_types.end(), *v))
          d.error(tr.get("event")->mark, "plan '" + ps.id + "' trigger event '" + *v +
                                             "' is no event type; expected one that `outagesim models` lists "
                                             "(such as link.down, node.stopped, dc.dark)");
      }
      if (auto v = tr.string("subject")) ps.trigger_subject = *v;
      tr.finish();
    }
    if (auto v = p.duration("detect")) ps.detect = *v;
    if (auto v = p.duration("travel")) ps.travel = *v;
    if (auto v = p.duration("security")) ps.security = *v;
    p.each("steps", [&](const YamlNode& si) {
      MapReader st(&si, "plan step", d, decl.child("plans").child("steps"));
      if (!st.is_map()) return;
      StepSpec step;
      if (auto v = st.string("id", true)) step.id = *v;
      if (auto v = st.duration("duration", true)) step.duration = *v;
      step.after = strings(st, "after");
      step.access = strings(st, "access", true);
      if (auto v = st.string("site")) step.site = *v;
      if (auto v = st.string("target")) step.target = *v;
      if (auto v = st.string("action")) step.action = *v;
      for (const auto& a : step.access)
        if (a != kOnsite &&
            std::none_of(c.access.begin(), c.access.end(), [&](const AccessSpec& x) { return x.id == a; }))
          d.error(st.mark(), "step '" + step.id + "' uses access '" + a +
                                 "', which is not declared under operators.access (or onsite)");
      if (std::count(step.access.begin(), step.access.end(), kOnsite) && !has_node(s, step.site))
        d.error(st.mark(), "step '" + step.id + "' may work on site but its 'site' names no topology node");
      if (step.target.empty() != step.action.empty())
        d.error(st.mark(), "step '" + step.id + "' needs both 'target' and 'action' (or neither)");
      st.finish();
      if (!step.target.empty()) check_step_target(s, step, st.get("target")->mark, d);
      ps.steps.push_back(step);
    });
    for (const auto& step : ps.steps)
      for (const auto& dep : step.after)
        if (std::none_of(ps.steps.begin(), ps.steps.end(), [&](const StepSpec& x) { return x.id == dep; }))
          d.error(p.mark(), "step '" + step.id + "' comes after '" + dep + "', which is no step of plan '" +
                                ps.id + "'");
    check_step_cycles(ps, p.mark(), d);
    p.finish();
    c.plans.push_back(ps);
  });
  r.finish();
  return c;
}

class OperatorsModel : public sim::Model {
public:
  explicit OperatorsModel(const OperatorsConfig& config) : cfg_(config) {}

  void start(RunContext& ctx) override {
    if (cfg_.plans.empty()) return;
    tick_ = ctx.params("operators").number("tick");
    for (const auto& p : cfg_.plans) {
      plans_.emplace_back(p);
      last_event_.push_back(0);
    }
    sg4::Actor::create("operators", ctx.world().control_host(), [this, &ctx] {
      sg4::Actor::self()->daemonize();
      loop(ctx);
    });
    ctx.on_sample([this, &ctx](double start, double) {
      for (const auto& plan : plans_)
        for (std::size_t i = 0; i < plan.spec().steps.size(); ++i)
          ctx.timeline().add(start, "", "", "operator." + plan.spec().id + "." + plan.spec().steps[i].id,
                             static_cast<double>(plan.step_state(i)));
    });
  }

private:
  // Whether an access path is up now; if not, why and the event that broke it.
  bool access_up(RunContext& ctx, const std::string& id, std::string* why, std::uint64_t* cause) {
    auto it =
        std::find_if(cfg_.access.begin(), cfg_.access.end(), [&](const AccessSpec& a) { return a.id == id; });
    if (it == cfg_.access.end()) return false;
    auto& w = ctx.world();
    std::vector<std::string> missing;
    auto note = [&](const std::string& m, std::uint64_t c) {
      missing.push_back(m);
      if (cause) *cause = std::max(*cause, c);
    };
    for (const auto& pat : it->links_up)
      for (const auto& l : w.scenario().links)
        if (sim::glob_match(pat, l.path()) && !w.link_up(*w.find_link(l.id)))
          note(l.path() + " down", w.last_change(l.path()));
    if (!it->reach.empty()) {
      std::size_t from = *w.find_node(it->from);
      for (const auto& to : it->reach) {
        std::uint64_t c = 0;
        if (!reachable(w, from, *w.find_node(to), it->via, &c))
          note("no path from " + it->from + " to " + to, c);
      }
    }
    for (const auto& name : it->resolves) {
      sim::NameService* names = ctx.names();
      if (!names) {
        if (!warned_)
          ctx.emit("operator.unchecked", "operators",
                   "no DNS model runs: access '" + id + "' is assumed to resolve " + name);
        warned_ = true;
        continue;
      }
      auto o = names->resolve(it->region, name);
      if (o.success < 0.5) note(name + " does not resolve (" + o.failure_answer + ")", o.cause);
    }
    if (why) {
      *why = id + ": ";
      for (std::size_t i = 0; i < missing.size() && i < 3; ++i)
        *why += (i ? ", " : "") + missing[i];
      if (missing.size() > 3) *why += " and " + std::to_string(missing.size() - 3) + " more";
    }
    return missing.empty();
  }

  void loop(RunContext& ctx) {
    std::size_t seen = 0;
    double now = 0;
    while (now <= ctx.end()) {
      // Triggers: events since the last wake-up (each plan once, at the event's own date).
      const auto& events = ctx.events().events();
      for (; seen < events.size(); ++seen)
        for (std::size_t p = 0; p < plans_.size(); ++p) {
          const auto& spec = plans_[p].spec();
          const auto& e = events[seen];
          if (plans_[p].triggered() || e.type != spec.trigger_type) continue;
          if (!spec.trigger_subject.empty() && !sim::glob_match(spec.trigger_subject, e.subject)) continue;
          handle(ctx, p, plans_[p].trigger(e.time), e.id);
        }
      double next = now + tick_;
      for (std::size_t p = 0; p < plans_.size(); ++p) {
        handle(
            ctx, p,
            plans_[p].advance(now, [&](const std::string& a) { return access_up(ctx, a, nullptr, nullptr); }),
            0);
        next = std::min(next, plans_[p].next_wakeup());
      }
      if (std::all_of(plans_.begin(), plans_.end(), [](const OperatorPlan& p) { return p.done(); })) return;
      now = std::max(next, now);
      if (now > ctx.end()) return;
      sg4::this_actor::sleep_until(now);
    }
  }

  void handle(RunContext& ctx, std::size_t p, const std::vector<OperatorPlan::Action>& actions,
              std::uint64_t trigger) {
    using Kind = OperatorPlan::Action::Kind;
    const PlanSpec& spec = plans_[p].spec();
    std::string subject = "plan:" + spec.id;
    std::uint64_t& last = last_event_[p];
    for (const auto& a : actions) {
      nlohmann::ordered_json data;
      const StepSpec* step =
          a.kind == Kind::StepStarted || a.kind == Kind::StepDone || a.kind == Kind::AccessBlocked
              ? &spec.steps[a.step]
              : nullptr;
      if (step) data["step"] = step->id;
      switch (a.kind) {
      case Kind::Triggered:
        last = ctx.emit("operator.alerted", subject, "the operators see the failure; detect and decide",
                        trigger);
        break;
      case Kind::Detected:
        last = ctx.emit("operator.engaged", subject, "the team starts working the plan", last);
        break;
      case Kind::AccessBlocked: {
        std::string why;
        std::uint64_t cause = 0;
        for (const auto& acc : step->access) {
          if (acc == kOnsite) continue;
          std::string one;
          access_up(ctx, acc, &one, &cause);
          why += (why.empty() ? "" : "; ") + one;
        }
        last = ctx.emit("operator.access_blocked", subject, step->id + ": no access path is up (" + why + ")",
                        cause ? cause : last, data);
        break;
      }
      case Kind::Dispatched:
        data["travel_s"] = spec.travel;
        last = ctx.emit("operator.dispatched", a.site, "engineers travel to the site", last, data);
        break;
      case Kind::Arrived:
        data["security_s"] = spec.security;
        last = ctx.emit("operator.arrived", a.site, "engineers at the site; physical security checks", last,
                        data);
        break;
      case Kind::OnSite:
        last = ctx.emit("operator.on_site", a.site, "engineers inside with hands on the equipment", last);
        break;
      case Kind::StepStarted:
        data["access"] = a.access;
        data["duration_s"] = step->duration;
        step_started_[{p, a.step}] =
            ctx.emit("operator.step_started", subject, step->id + " via " + a.access, last, data);
        break;
      case Kind::StepDone: {
        std::uint64_t started = step_started_[{p, a.step}];
        last = ctx.emit("operator.step_done", subject, step->id + " done", started, data);
        if (!step->target.empty()) {
          sim::ActionRequest req{step->action, ctx.now(), "operators: " + spec.id + "/" + step->id, last, {}, "", false};
          for (const auto& path : ctx.directory().match(step->target))
            ctx.directory().apply(path, req);
        }
        break;
      }
      }
    }
  }

  const OperatorsConfig& cfg_; // held by the scenario for the run
  double tick_ = 10;
  std::vector<OperatorPlan> plans_;
  std::vector<std::uint64_t> last_event_;
  std::map<std::pair<std::size_t, std::size_t>, std::uint64_t> step_started_;
  bool warned_ = false;
};

} // namespace

sim::ModelInfo operators_model_info() {
  sim::ModelInfo m;
  m.name = "operators";
  m.doc = "Recovery by operators: plans of steps with durations, dependencies and access paths (remote, "
          "out-of-band, on site after travel and security); repairs act through the entity directory. "
          "Reads the operators: section.";
  m.params = {{"tick", sim::ParamType::Duration, "10s", "s",
               "how often operators re-check their access paths", 0.1, 3600}};
  m.sections = {operators_section_key()};
  m.uses = {sim::service::kNames}; // access paths that must resolve a name
  m.events = {
      {"operator.alerted", "plan", "the operators see the failure that triggers a plan"},
      {"operator.engaged", "plan", "the team starts working the plan"},
      {"operator.access_blocked", "plan", "a step has no usable access path"},
      {"operator.dispatched", "site", "engineers travel to a site"},
      {"operator.arrived", "site", "engineers at the site, in physical security"},
      {"operator.on_site", "site", "engineers inside with hands on the equipment"},
      {"operator.step_started", "plan", "a step starts"},
      {"operator.step_done", "plan", "a step is done (its action applied)"},
      {"operator.unchecked", "operators", "an access path's name check is assumed (no DNS model runs)"},
  };
  m.configure = [](const sim::Scenario& s, Diagnostics& d) -> std::shared_ptr<const sim::ModelConfig> {
    auto c = std::make_shared<OperatorsConfig>(read_operators(s, d));
    if (!c->present) return nullptr; // no operators section: nothing to model
    return c;
  };
  m.create = [](const sim::ModelConfig& c) {
    return std::make_unique<OperatorsModel>(sim::config_as<OperatorsConfig>(c));
  };
  return m;
}

} // namespace outagesim::operators
