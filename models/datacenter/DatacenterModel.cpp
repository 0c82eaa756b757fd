#include "models/datacenter/DatacenterModel.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <simgrid/s4u.hpp>

#include "models/datacenter/Datacenter.hpp"
#include "models/datacenter/FacilitiesConfig.hpp"
#include "models/datacenter/HealthCheck.hpp"
#include "models/datacenter/ServiceRouting.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/world/World.hpp"

namespace outagesim::datacenter {

namespace sg4 = simgrid::s4u;
using sim::RunContext;
using sim::World;

namespace {

// The subject a datacenter's signals are about ("dc:prn" -> "datacenter:prn").
std::string dc_subject(const DatacenterSpec& spec) {
  return "datacenter:" + spec.path.substr(spec.path.find(':') + 1);
}

struct SiteState {
  const SiteSpec* spec;
  std::size_t node;
  std::vector<std::size_t> checks; // datacenter indices
  HealthCheck check;
  double next_check;
  std::uint64_t first_failure = 0;
  std::uint64_t last_change = 0; // withdrawal or announcement event
  std::string subject;           // its node's path
  sim::ReachOptions over;        // what its checks may cross (its internal link kinds)
};

struct DcState {
  Datacenter dc;
  std::size_t node;
  std::uint64_t last_event = 0;
  double power_sum = 0; // MW x s within the sample
};

struct RegionState {
  std::string id;
  std::size_t node;
};

// The datacenter model is also the serving side of the users: it owns the clock of both (its actor
// steps the attached demand within its own tick, in the order written down at sim::ServingService),
// which keeps one deterministic order of events and of the load that datacenters see.
// The datacenter model's config for a run: its facilities section, parsed once at load.
struct DatacenterModelConfig : sim::ModelConfig {
  explicit DatacenterModelConfig(FacilitiesConfig c) : facilities(std::move(c)) {}
  FacilitiesConfig facilities;
};

class DatacenterModel : public sim::Model, public sim::ServingService {
public:
  explicit DatacenterModel(const DatacenterModelConfig& config) : cfg_(config.facilities) {}

  void start(RunContext& ctx) override {
    const auto& p = ctx.params("datacenter");
    tick_ = p.number("tick");
    dip_window_ = p.number("dip_window");
    World& w = ctx.world();
    for (const auto& spec : cfg_.datacenters)
      dcs_.push_back({Datacenter(spec), *w.find_node(spec.path)});
    for (const auto& spec : cfg_.sites) {
      SiteState s{&spec,
                  *w.find_node(spec.node),
                  {},
                  HealthCheck(spec.fail_after, spec.recover_after),
                  spec.interval,
                  0,
                  0,
                  spec.node,
                  {}};
      s.subject = w.node(s.node).path();
      s.over.kinds = spec.internal;
      for (std::size_t i = 0; i < dcs_.size(); ++i)
        if (spec.checks.empty() ||
            std::count(spec.checks.begin(), spec.checks.end(), cfg_.datacenters[i].path))
          s.checks.push_back(i);
      sites_.push_back(std::move(s));
      RoutingSite rs;
      rs.id = spec.id;
      rs.dns = spec.dns;
      rs.services = spec.services;
      routing_.sites.push_back(std::move(rs));
    }
    for (const auto& d : dcs_)
      routing_.datacenters.push_back({d.dc.spec().path, true});
    for (const auto& sv : ctx.scenario().services)
      routing_.services.push_back({sv.id, sv.served_from});
    // Partial and lingering losses: dc:X degrade (with: capacity_share, the share lost) | repair.
    for (const char* action : {"degrade", "repair"})
      ctx.directory().on("dc", action, [this, &ctx](const std::string& path, const sim::ActionRequest& r) {
        return degrade(ctx, path, r);
      });
    // The users model (after this one in the registry) attaches to it in its own start().
    ctx.provide_serving(this);
    world_ = &w;
    sg4::Actor::create("datacenter", w.control_host(), [this, &ctx] {
      sg4::Actor::self()->daemonize();
      loop(ctx);
    });
    ctx.on_sample([this, &ctx](double a, double b) { sample(ctx, a, b); });
  }

  void finish(RunContext& ctx) override {
    if (!cfg_.present) return;
    std::vector<std::pair<double, double>> series;
    for (const auto& [t, mw] : power_)
      series.emplace_back(t, mw);
    ctx.add_signal({"dc.power_dip", "datacenter:all", "number", largest_drop(series, dip_window_)});
    for (std::size_t i = 0; i < dcs_.size(); ++i) {
      std::vector<std::pair<double, double>> one;
      for (std::size_t k = 0; k < power_.size(); ++k)
        one.emplace_back(power_[k].first, dc_power_[k * dcs_.size() + i]);
      ctx.add_signal({"dc.power_dip", dc_subject(dcs_[i].dc.spec()), "number", largest_drop(one, dip_window_)});
    }
  }

  void attach(sim::ServingService::Demand& demand, std::vector<Flow> flows) override {
    assert(!demand_ && "one demand side per run");
    demand_ = &demand;
    for (const auto& f : flows) {
      auto r = std::find_if(regions_.begin(), regions_.end(),
                            [&](const RegionState& x) { return x.id == f.region; });
      if (r == regions_.end()) {
        regions_.push_back({f.region, *world_->find_node("region:" + f.region)});
        r = regions_.end() - 1;
      }
      const auto& services = routing_.services;
      auto sv = std::find_if(services.begin(), services.end(), [&](const auto& x) { return x.id == f.service; });
      assert(sv != services.end() && "flows name declared services (validated by the users model)");
      routing_.flows.push_back({static_cast<std::size_t>(r - regions_.begin()),
                                static_cast<std::size_t>(sv - services.begin())});
    }
    routed_.flows.assign(routing_.flows.size(), {});
    routes_dirty_ = true;
  }

  sim::ServingAnswer serving(std::size_t flow) const override {
    assert(flow < routing_.flows.size() && "ask only about attached flows");
    const FlowRoute& rs = routed_.flows[flow];
    sim::ServingAnswer a;
    a.dns_reach = rs.dns_reach;
    a.why = rs.why;
    a.cause = rs.cause;
    if (rs.dc < 0) return a;
    describe_serving(dcs_[rs.dc].dc, regions_[routing_.flows[flow].region].id, a);
    a.address = rs.site >= 0 ? sites_[rs.site].spec->address : 0;
    a.datacenter_event = dcs_[rs.dc].last_event;
    return a;
  }

  void offer_load(std::size_t flow, double requests_per_s) override {
    assert(flow < routing_.flows.size() && "offer only for attached flows");
    const FlowRoute& rs = routed_.flows[flow];
    if (rs.dc >= 0) offered_[rs.dc] += requests_per_s;
  }

private:
  void loop(RunContext& ctx) {
    double next_tick = 0;
    while (true) {
      double next = next_tick;
      for (const auto& s : sites_)
        next = std::min(next, s.next_check);
      if (next > ctx.end()) return;
      sg4::this_actor::sleep_until(next);
      for (auto& s : sites_)
        if (s.next_check <= next) {
          health_check(ctx, s);
          s.next_check += s.spec->interval;
        }
      if (next_tick <= next) {
        step(ctx, next_tick, tick_);
        next_tick += tick_;
      }
    }
  }

  // One health check of a site: can it reach any datacenter it checks over the internal network?
  void health_check(RunContext& ctx, SiteState& s) {
    World& w = ctx.world();
    const auto reach = w.reach_now(s.node, s.over); // memoised until a node or link switches
    const sim::Reach& r = *reach;
    bool healthy = false;
    std::uint64_t restored_by = 0;
    for (std::size_t i : s.checks)
      if (r.reached(dcs_[i].node)) healthy = true;
    const std::string& subject = s.subject;
    // A check that asks the site's servers a question: their wrong answers fail it too.
    sim::NameService::SiteAnswers answers;
    if (healthy && s.spec->dns && s.spec->checks_answers && ctx.names())
      answers = ctx.names()->check_site(subject);
    healthy = healthy && answers.ok;
    auto transition = s.check.record(healthy);
    using T = HealthCheck::Transition;
    if (transition == T::None) return; // most checks: nothing to say
    nlohmann::ordered_json data;
    data["site"] = s.spec->id;
    if (transition == T::FirstFailure || (transition == T::Withdraw && s.spec->fail_after == 1)) {
      if (!answers.ok) {
        s.first_failure =
            ctx.emit("health.check_failed", subject, "site " + s.spec->id + ": its servers " + answers.why,
                     answers.cause, data);
      } else {
        std::string why = "site " + s.spec->id + " cannot reach any datacenter it checks";
        if (const auto cut = w.boundary_paths(r); !cut.empty()) why += "; cut off by " + list_some(cut);
        s.first_failure = ctx.emit("health.check_failed", subject, why, w.latest_boundary_change(r), data);
      }
    }
    if (transition == T::Withdraw) {
      std::string why = std::to_string(s.spec->fail_after) + " failed health checks in a row";
      data["prefix"] = s.spec->prefix;
      data["via"] = announce(ctx, s, false, why, s.first_failure);
      s.last_change = ctx.emit("site.withdrawn", subject, why, s.first_failure, data);
      routes_dirty_ = true;
    } else if (transition == T::Announce) {
      // The latest change to a link now inside what the site reaches: what healed it.
      for (const auto& l : w.scenario().links)
        if (r.reached(*w.find_node(l.a)) && r.reached(*w.find_node(l.b)))
          restored_by = std::max(restored_by, w.last_change(l.path()));
      std::string why = std::to_string(s.spec->recover_after) + " good health checks in a row";
      data["prefix"] = s.spec->prefix;
      data["via"] = announce(ctx, s, true, why, restored_by);
      s.last_change = ctx.emit("site.announced", subject, why, restored_by, data);
      routes_dirty_ = true;
    }
  }

  // Withdraws or re-announces through the BGP model when one runs, and tells the owner of the site's
  // node (the DNS model, for a DNS site) that it no longer takes anycast traffic; says how it was done.
  std::string announce(RunContext& ctx, SiteState& s, bool up, const std::string& why, std::uint64_t cause) {
    std::string via;
    const std::string node = ctx.world().node(s.node).path();
    const std::string kind = node.substr(0, node.find(':'));
    const char* action = up ? "announce" : "withdraw";
    if (ctx.directory().supports(kind, action)) {
      sim::ActionRequest req{action, ctx.now(), why, cause, {}, "", false};
      if (ctx.directory().apply(node, req)) via = kind;
    }
    sim::AnnouncementService* a = ctx.announcements();
    if (!a || s.spec->prefix.empty()) return via.empty() ? "local" : via; // no BGP prefix
    std::string origin = s.spec->origin.empty() ? node : s.spec->origin;
    for (const auto& prefix : s.spec->prefixes) {
      bool ok = a->set_announced(origin, prefix, up, why, cause);
      via += std::string(via.empty() ? "" : "+") + (ok ? "bgp" : "local (not an origin in bgp)");
    }
    return via;
  }

  // What one place reaches over the given link kinds, as service routing reads it. A site's reach is
  // the one its health checks ask (memoised); a region's is asked once per change of state.
  PlaceReach place_reach(const World& w, std::size_t node, const std::vector<sim::LinkKind>& kinds,
                         bool site) const {
    sim::ReachOptions over;
    over.kinds = kinds;
    const auto reach =
        site ? w.reach_now(node, over) : std::make_shared<const sim::Reach>(w.reach(w.state(), node, over));
    const sim::Reach& r = *reach;
    PlaceReach p;
    for (const auto& d : dcs_) {
      p.to_dc.push_back(r.latency[d.node]);
      if (site) p.dc_opened.push_back(r.reached(d.node) ? w.latest_change_along(r, d.node) : 0);
    }
    if (!site)
      for (const auto& s : sites_)
        p.to_site.push_back(r.latency[s.node]);
    p.cut = w.boundary_paths(r);
    p.cut_cause = w.latest_boundary_change(r);
    return p;
  }

  // Which datacenter each region reaches for each service, and whether it reaches a DNS site: the
  // world's state now, read into the engine-free service routing (ServiceRouting.hpp).
  void recompute_routes(RunContext& ctx) {
    const World& w = ctx.world();
    const sim::WorldState& state = w.state();
    for (std::size_t i = 0; i < sites_.size(); ++i) {
      RoutingSite& rs = routing_.sites[i];
      rs.announced = sites_[i].check.announced();
      rs.up = state.node_up[sites_[i].node];
      rs.last_change = sites_[i].last_change;
      rs.node_change = w.last_change(w.node(sites_[i].node).path());
      rs.reach = place_reach(w, sites_[i].node, sites_[i].spec->internal, true);
    }
    for (std::size_t d = 0; d < dcs_.size(); ++d)
      routing_.datacenters[d].up = state.node_up[dcs_[d].node];
    const auto user_kinds = user_link_kinds(has_edge_sites(routing_.sites));
    routing_.regions.clear();
    for (const auto& r : regions_)
      routing_.regions.push_back(place_reach(w, r.node, user_kinds, false));
    routed_ = route_services(routing_);
  }

  // dc:X degrade: the share `capacity_share` (default 0.5) of its capacity is lost (and draws no
  // power) until dc:X repair (an operator's action, or the end of the entry). A power loss whose
  // hardware stays partly broken is a crash/restore plus a degrade that outlasts it.
  std::uint64_t degrade(RunContext& ctx, const std::string& path, const sim::ActionRequest& r) {
    for (auto& ds : dcs_) {
      if (ds.dc.spec().path != path) continue;
      const bool on = r.action == "degrade";
      double lost = 0.5;
      if (auto it = r.params.find("capacity_share"); it != r.params.end())
        lost = std::clamp(sim::parse_double(it->second).value_or(0.5), 0.0, 1.0);
      const double working = on ? 1 - lost : 1;
      if (std::abs(working - ds.dc.working_share()) < 1e-12) return 0;
      ds.dc.set_working_share(working);
      nlohmann::ordered_json data;
      data["working_share"] = working;
      const std::string what = on ? std::to_string(int(std::lround(100 * lost))) +
                                        " % of its capacity lost (servers, power or "
                                        "cooling), until repaired"
                                  : "its whole capacity works again";
      ds.last_event = ctx.emit(on ? "dc.degraded" : "dc.repaired", path,
                               r.reason.empty() ? what : r.reason + "; " + what, r.cause, data);
      ctx.world().set_last_change(path, ds.last_event);
      return ds.last_event;
    }
    return 0;
  }

  // Whether anything routing depends on changed since routes were last computed: the state of nodes
  // and links (compared only when the world's state version moved: a link that went down and came
  // back up within one tick leaves routes as they were) or a site's announcement.
  bool routing_inputs_changed(const World& w) {
    bool changed = false;
    if (last_world_.node_up.size() != w.node_count() || last_world_.link_up.size() != w.link_count()) {
      last_version_ = w.state_version(); // the first step
      last_world_ = w.state();
      changed = true;
    } else if (w.state_version() != last_version_) {
      last_version_ = w.state_version();
      const sim::WorldState& now = w.state();
      if (now.node_up != last_world_.node_up || now.link_up != last_world_.link_up) {
        last_world_ = now;
        changed = true;
      }
    }
    if (last_announced_.size() != sites_.size()) {
      last_announced_.assign(sites_.size(), false);
      changed = true;
    }
    for (std::size_t i = 0; i < sites_.size(); ++i)
      if (last_announced_[i] != sites_[i].check.announced()) {
        last_announced_[i] = sites_[i].check.announced();
        changed = true;
      }
    return changed;
  }

  void step(RunContext& ctx, double now, double dt) {
    World& w = ctx.world();
    if (routing_inputs_changed(w) || routes_dirty_) {
      recompute_routes(ctx);
      routes_dirty_ = false;
    }
    // Datacenters: dark, restarting, serving.
    for (std::size_t d = 0; d < dcs_.size(); ++d) {
      auto& ds = dcs_[d];
      const DatacenterRoute& route = routed_.datacenters[d];
      auto tr = ds.dc.update(now, route.reachable);
      if (tr == Datacenter::Transition::None) continue;
      std::string subject = ds.dc.spec().path;
      nlohmann::ordered_json data;
      data["policy"] = restart_policy_name(ds.dc.spec().policy);
      switch (tr) {
      case Datacenter::Transition::WentDark: {
        std::uint64_t cause = route.cause;
        if (!w.node_up(ds.node)) cause = w.last_change(subject);
        ds.last_event = ctx.emit("dc.dark", subject,
                                 w.node_up(ds.node) ? "no announced edge site reaches it: no request arrives"
                                                    : "the datacenter is down",
                                 cause);
        break;
      }
      case Datacenter::Transition::RestartBegan:
        data["stage"] = ds.dc.stage();
        data["admitted"] = ds.dc.admitted_fraction();
        ds.last_event = ctx.emit("dc.restart_began", subject,
                                 "reachable again: load comes back by its policy",
                                 route.up_cause ? route.up_cause : ds.last_event, data);
        break;
      case Datacenter::Transition::StageAdvanced:
        data["stage"] = ds.dc.stage();
        data["admitted"] = ds.dc.admitted_fraction();
        ds.last_event = ctx.emit("dc.restart_stage", subject, "next restart stage", ds.last_event, data);
        break;
      case Datacenter::Transition::Restored: {
        // Straight from dark (no staged restart): what made it reachable is the cause.
        bool from_dark = ds.last_event && ctx.events().find(ds.last_event)->type == "dc.dark";
        ds.last_event = ctx.emit("dc.restored", subject, "all load admitted",
                                 from_dark && route.up_cause ? route.up_cause : ds.last_event, data);
        break;
      }
      case Datacenter::Transition::None:
        break;
      }
    }
    // The demand side (users) offers its load through offer_load() within this call; without one,
    // every datacenter carries the configured base load of what it admits.
    offered_.assign(dcs_.size(), 0);
    if (demand_) {
      demand_->step(now, dt);
    } else {
      for (std::size_t d = 0; d < dcs_.size(); ++d)
        offered_[d] = cfg_.load * dcs_[d].dc.spec().capacity_rps * dcs_[d].dc.admitted_fraction();
    }
    double total = 0;
    for (std::size_t d = 0; d < dcs_.size(); ++d) {
      dcs_[d].dc.apply_load(dt, offered_[d]);
      dcs_[d].power_sum += dcs_[d].dc.power_mw() * dt;
      dc_power_.push_back(dcs_[d].dc.power_mw());
      total += dcs_[d].dc.power_mw();
    }
    power_.emplace_back(now, total);
    power_sum_ += total * dt;
    sample_time_ += dt;
  }

  void sample(RunContext& ctx, double start, double) {
    auto& tl = ctx.timeline();
    if (sample_time_ > 0) {
      tl.add(start, "", "", "dc.power_mw", power_sum_ / sample_time_);
      for (auto& d : dcs_) {
        tl.add(start, "", "", "dc." + d.dc.spec().path.substr(3) + ".power_mw", d.power_sum / sample_time_);
        d.power_sum = 0;
      }
    }
    power_sum_ = 0;
    sample_time_ = 0;
  }

  const FacilitiesConfig& cfg_; // held by the scenario for the run
  double tick_ = 10, dip_window_ = 900;
  const World* world_ = nullptr;
  std::vector<DcState> dcs_;
  std::vector<SiteState> sites_;
  sim::ServingService::Demand* demand_ = nullptr; // the users, when they run
  std::vector<RegionState> regions_;              // regions of the attached flows, in first-seen order
  RoutingInput routing_; // sites, datacenters, services and flows (fixed); their state (per recompute)
  RoutingResult routed_; // per datacenter and per flow
  std::vector<double> offered_;    // requests/s offered to each datacenter within the current step
  // What routes were last computed for (routing_inputs_changed).
  std::uint64_t last_version_ = 0;
  sim::WorldState last_world_;
  std::vector<bool> last_announced_;
  bool routes_dirty_ = true;
  std::vector<std::pair<double, double>> power_; // (time, total MW) per tick
  std::vector<double> dc_power_;                 // per tick x datacenter
  double power_sum_ = 0, sample_time_ = 0;
};

} // namespace

sim::ModelInfo datacenter_model_info() {
  sim::ModelInfo m;
  m.name = "datacenter";
  m.doc =
      "Datacenters (capacity, power, staged restart) and health-checked DNS/edge sites that withdraw their "
      "announcements; serves the users model (which it steps at its tick); reads the facilities: section.";
  m.params = {
      {"tick", sim::ParamType::Duration, "10s", "s",
       "step of users and datacenters (health checks keep their own interval)", 0.1, 3600},
      {"dip_window", sim::ParamType::Duration, "15m", "s",
       "window within which a fall of total power counts as a dip", 1, 86400},
  };
  m.sections = {facilities_section_key()};
  m.signals = datacenter_signal_decls();
  m.provides = {sim::service::kServing};
  m.uses = {sim::service::kAnnouncements, sim::service::kNames}; // health-checked sites withdraw through announcements; checks_answers asks the names service
  m.events = {
      {"health.check_failed", "site", "a site's health check fails (its datacenters out of reach)"},
      {"site.withdrawn", "site", "the site withdraws its announcement after failed checks"},
      {"site.announced", "site", "the site announces again after passing checks"},
      {"dc.dark", "dc", "a datacenter admits no load"},
      {"dc.restart_began", "dc", "a dark datacenter starts its staged restart"},
      {"dc.restart_stage", "dc", "the restart admits its next share of load"},
      {"dc.restored", "dc", "all load admitted again"},
      {"dc.degraded", "dc", "a share of a datacenter's capacity is lost (degrade)"},
      {"dc.repaired", "dc", "the lost capacity is back (repair)"},
  };
  m.configure = [](const sim::Scenario& s, sim::Diagnostics& d) -> std::shared_ptr<const sim::ModelConfig> {
    FacilitiesConfig c = read_facilities(s, d);
    for (const auto& f : s.faults)
      if (f.action == "degrade" && f.target.rfind("dc:", 0) == 0)
        if (auto it = f.params.find("capacity_share"); it != f.params.end())
          if (auto x = sim::parse_double(it->second); !x || *x < 0 || *x > 1)
            d.error(f.params_mark, "fault '" + f.id + "' degrade 'capacity_share' is '" + it->second +
                                       "'; expected a number between 0 and 1 (the share of capacity lost)");
    if (!c.present) return nullptr; // no facilities: nothing to model
    return std::make_shared<const DatacenterModelConfig>(std::move(c));
  };
  m.actions = {
      {"dc",
       "degrade",
       "a partial loss: the share with: capacity_share (0..1, default 0.5) of the datacenter's capacity "
       "stops serving and draws no power (a hall without power or cooling; hardware still broken after "
       "power returns) until repair",
       "repair",
       {"capacity_share"}},
      {"dc", "repair", "operators bring the lost capacity of a degraded datacenter back", ""},
  };
  m.signal_subjects = [](const sim::ModelConfig& c) {
    std::vector<std::string> out = {"datacenter:all"};
    for (const auto& spec : sim::config_as<DatacenterModelConfig>(c).facilities.datacenters)
      out.push_back(dc_subject(spec));
    return out;
  };
  m.create = [](const sim::ModelConfig& c) {
    return std::make_unique<DatacenterModel>(sim::config_as<DatacenterModelConfig>(c));
  };
  return m;
}

} // namespace outagesim::datacenter
