#include "models/datacenter/DatacenterModel.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <queue>

#include <simgrid/s4u.hpp>

#include "models/datacenter/Datacenter.hpp"
#include "models/datacenter/FacilitiesConfig.hpp"
#include "models/datacenter/HealthCheck.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/scenario/Reader.hpp"

namespace outagesim::datacenter {

namespace sg4 = simgrid::s4u;
using sim::RunContext;
using sim::World;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Latency-shortest distances from `from` over links that are up and of an allowed kind (all kinds
// when `kinds` is empty), through nodes that are up. Also the latest event that took down a link
// or node at the edge of what was reached (the cause of being cut off).
struct Reach {
  std::vector<double> dist;
  std::vector<std::uint64_t> opened; // latest state change along the path to each node (what opened it)
  std::uint64_t cut_cause = 0;
  std::vector<std::string> cut; // down elements at the boundary, sorted
};

Reach reach_from(const World& w, std::size_t from, const std::vector<sim::LinkKind>& kinds) {
  Reach r;
  r.dist.assign(w.node_count(), kInf);
  r.opened.assign(w.node_count(), 0);
  if (!w.node_up(from)) return r;
  using Item = std::pair<double, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
  r.dist[from] = 0;
  q.push({0, from});
  const auto& g = w.graph();
  while (!q.empty()) {
    auto [d, v] = q.top();
    q.pop();
    if (d > r.dist[v]) continue;
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      std::size_t li = g[*e].link;
      if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), w.link(li).kind) == kinds.end()) continue;
      std::size_t u = boost::target(*e, g);
      std::string down;
      if (!w.link_up(li))
        down = w.link(li).path();
      else if (!w.node_up(u))
        down = w.node(u).path();
      if (!down.empty()) {
        r.cut_cause = std::max(r.cut_cause, w.last_change(down));
        if (std::find(r.cut.begin(), r.cut.end(), down) == r.cut.end()) r.cut.push_back(down);
        continue;
      }
      double nd = d + g[*e].latency;
      if (nd < r.dist[u]) {
        r.dist[u] = nd;
        r.opened[u] = std::max({r.opened[v], w.last_change(w.link(li).path()), w.last_change(w.node(u).path())});
        q.push({nd, u});
      }
    }
  }
  std::sort(r.cut.begin(), r.cut.end());
  return r;
}

std::string list_some(const std::vector<std::string>& items, std::size_t max = 3) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += " and " + std::to_string(items.size() - max) + " more";
  return out;
}

struct SiteState {
  const SiteSpec* spec;
  std::size_t node;
  std::vector<std::size_t> checks; // datacenter indices
  HealthCheck check;
  double next_check;
  std::uint64_t first_failure = 0;
  std::uint64_t last_change = 0; // withdrawal or announcement event
};

struct DcState {
  Datacenter dc;
  std::size_t node;
  std::uint64_t last_event = 0;
  double power_sum = 0; // MW x s within the sample
};

// What a region can get of a service through the network now (recomputed when the world changes).
// One per flow (region x service) the demand side attached.
struct RouteState {
  bool dns_reach = true;
  int dc = -1;     // datacenter index serving the region, -1 if none
  int site = -1;   // edge site the region enters through (-1: none or no edge sites)
  std::string why; // why dc is -1 or DNS is unreachable
  std::uint64_t cause = 0;
};

// A region's demand for a service, as the demand side attached it.
struct FlowState {
  std::size_t region;  // index into regions_
  std::size_t service; // index into scenario services
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
                  spec.interval};
      for (std::size_t i = 0; i < dcs_.size(); ++i)
        if (spec.checks.empty() ||
            std::count(spec.checks.begin(), spec.checks.end(), cfg_.datacenters[i].path))
          s.checks.push_back(i);
      sites_.push_back(std::move(s));
    }
    // Partial and lingering losses: dc:X degrade (with: capacity_share, the share lost) | repair.
    for (const char* action : {"degrade", "repair"})
      ctx.directory().on("dc", action, [this, &ctx](const std::string& path, const sim::ActionRequest& r) {
        return degrade(ctx, path, r);
      });
    // The users model (after this one in the registry) attaches to it in its own start().
    ctx.provide_serving(this);
    world_ = &w;
    services_ = &ctx.scenario().services;
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
      std::string id = dcs_[i].dc.spec().path.substr(3);
      ctx.add_signal({"dc.power_dip", "datacenter:" + id, "number", largest_drop(one, dip_window_)});
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
      auto sv = std::find_if(services_->begin(), services_->end(),
                             [&](const auto& x) { return x.id == f.service; });
      assert(sv != services_->end() && "flows name declared services (validated by the users model)");
      flows_.push_back({static_cast<std::size_t>(r - regions_.begin()),
                        static_cast<std::size_t>(sv - services_->begin())});
    }
    routes_.assign(flows_.size(), {});
    routes_dirty_ = true;
  }

  sim::ServingAnswer serving(std::size_t flow) const override {
    assert(flow < flows_.size() && "ask only about attached flows");
    const RouteState& rs = routes_[flow];
    sim::ServingAnswer a;
    a.dns_reach = rs.dns_reach;
    a.why = rs.why;
    a.cause = rs.cause;
    if (rs.dc < 0) return a;
    describe_serving(dcs_[rs.dc].dc, regions_[flows_[flow].region].id, a);
    a.address = rs.site >= 0 ? sites_[rs.site].spec->address : 0;
    a.datacenter_event = dcs_[rs.dc].last_event;
    return a;
  }

  void offer_load(std::size_t flow, double requests_per_s) override {
    assert(flow < flows_.size() && "offer only for attached flows");
    const RouteState& rs = routes_[flow];
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
    Reach r = reach_from(w, s.node, s.spec->internal);
    bool healthy = false;
    std::uint64_t restored_by = 0;
    for (std::size_t i : s.checks)
      if (r.dist[dcs_[i].node] < kInf) healthy = true;
    std::string subject = w.node(s.node).path();
    // A check that asks the site's servers a question: their wrong answers fail it too.
    sim::NameService::SiteAnswers answers;
    if (healthy && s.spec->dns && s.spec->checks_answers && ctx.names())
      answers = ctx.names()->check_site(subject);
    healthy = healthy && answers.ok;
    auto transition = s.check.record(healthy);
    using T = HealthCheck::Transition;
    nlohmann::ordered_json data;
    data["site"] = s.spec->id;
    if (transition == T::FirstFailure || (transition == T::Withdraw && s.spec->fail_after == 1)) {
      if (!answers.ok) {
        s.first_failure =
            ctx.emit("health.check_failed", subject, "site " + s.spec->id + ": its servers " + answers.why,
                     answers.cause, data);
      } else {
        std::string why = "site " + s.spec->id + " cannot reach any datacenter it checks";
        if (!r.cut.empty()) why += "; cut off by " + list_some(r.cut);
        s.first_failure = ctx.emit("health.check_failed", subject, why, r.cut_cause, data);
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
        if (r.dist[*w.find_node(l.a)] < kInf && r.dist[*w.find_node(l.b)] < kInf)
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

  bool site_serving(const World& w, const SiteState& s) const {
    return s.check.announced() && w.node_up(s.node);
  }

  // Which datacenter each region reaches for each service, and whether it reaches a DNS site.
  void recompute_routes(RunContext& ctx) {
    World& w = ctx.world();
    const auto& services = ctx.scenario().services;
    std::vector<Reach> from_site(sites_.size());
    for (std::size_t i = 0; i < sites_.size(); ++i)
      from_site[i] = reach_from(w, sites_[i].node, sites_[i].spec->internal);
    // Datacenters are reachable when an announced edge site reaches them (or, with no edge sites,
    // when any region does).
    bool any_edge =
        std::any_of(sites_.begin(), sites_.end(), [](const SiteState& s) { return !s.spec->dns; });
    dc_reachable_.assign(dcs_.size(), false);
    dc_cause_.assign(dcs_.size(), 0);
    dc_up_cause_.assign(dcs_.size(), 0);
    std::vector<Reach> from_region;
    // Users enter through the edge sites over the Internet, never over the company's backbone.
    std::vector<sim::LinkKind> user_kinds;
    if (any_edge)
      user_kinds = {sim::LinkKind::Transit, sim::LinkKind::Peering, sim::LinkKind::Access,
                    sim::LinkKind::Internal};
    for (const auto& r : regions_)
      from_region.push_back(reach_from(w, r.node, user_kinds));
    for (std::size_t d = 0; d < dcs_.size(); ++d) {
      if (!w.node_up(dcs_[d].node)) continue;
      if (any_edge) {
        for (std::size_t i = 0; i < sites_.size(); ++i)
          if (!sites_[i].spec->dns) {
            if (site_serving(w, sites_[i]) && from_site[i].dist[dcs_[d].node] < kInf) {
              dc_reachable_[d] = true;
              // What opened the way: the latest change of a site that reaches it (its re-announcement) or
              // on its path to it (a link back up).
              dc_up_cause_[d] = std::max({dc_up_cause_[d], sites_[i].last_change,
                                          from_site[i].opened[dcs_[d].node]});
            }
            // Why no request would arrive: the site's withdrawal, or the cut between site and datacenter.
            dc_cause_[d] = std::max(dc_cause_[d], sites_[i].check.announced() ? from_site[i].cut_cause
                                                                              : sites_[i].last_change);
          }
      } else {
        for (const auto& fr : from_region)
          if (fr.dist[dcs_[d].node] < kInf) dc_reachable_[d] = true;
      }
    }
    for (std::size_t c = 0; c < flows_.size(); ++c) {
      const auto& fl = flows_[c];
      const Reach& fr = from_region[fl.region];
      const auto& sv = services[fl.service];
      RouteState rs;
      // DNS: any serving DNS site of the service within reach.
      bool has_dns = false;
      rs.dns_reach = true;
      std::uint64_t dns_cause = 0;
      std::vector<std::string> dns_why;
      for (std::size_t i = 0; i < sites_.size(); ++i) {
        const auto& s = sites_[i];
        if (!s.spec->dns || !std::count(s.spec->services.begin(), s.spec->services.end(), sv.id)) continue;
        if (!has_dns) rs.dns_reach = false;
        has_dns = true;
        if (site_serving(w, s) && fr.dist[s.node] < kInf) rs.dns_reach = true;
        dns_cause =
            std::max(dns_cause, s.check.announced() ? w.last_change(w.node(s.node).path()) : s.last_change);
        dns_why.push_back(s.spec->id + (s.check.announced() ? " unreachable" : " withdrawn"));
      }
      // The way in: the nearest serving edge site (anycast), then its nearest datacenter of the service.
      auto nearest_dc = [&](const Reach& from) {
        int best = -1;
        for (std::size_t d = 0; d < dcs_.size(); ++d)
          if (std::count(sv.served_from.begin(), sv.served_from.end(), dcs_[d].dc.spec().path) &&
              from.dist[dcs_[d].node] < kInf &&
              (best < 0 || from.dist[dcs_[d].node] < from.dist[dcs_[best].node]))
            best = static_cast<int>(d);
        return best;
      };
      bool has_edge = false;
      std::uint64_t edge_cause = 0;
      for (std::size_t i = 0; i < sites_.size(); ++i) {
        const auto& s = sites_[i];
        if (s.spec->dns || !std::count(s.spec->services.begin(), s.spec->services.end(), sv.id)) continue;
        has_edge = true;
        if (!s.check.announced()) edge_cause = std::max(edge_cause, s.last_change);
        if (site_serving(w, s) && fr.dist[s.node] < kInf &&
            (rs.site < 0 || fr.dist[s.node] < fr.dist[sites_[rs.site].node]))
          rs.site = static_cast<int>(i);
      }
      if (has_edge) {
        if (rs.site < 0) {
          rs.why = "no edge site of " + sv.id + " announced within reach";
          rs.cause = edge_cause ? edge_cause : fr.cut_cause;
        } else {
          rs.dc = nearest_dc(from_site[rs.site]);
          if (rs.dc < 0) {
            rs.why = "edge site " + sites_[rs.site].spec->id + " reaches no datacenter of " + sv.id;
            if (!from_site[rs.site].cut.empty())
              rs.why += " (cut off by " + list_some(from_site[rs.site].cut) + ")";
            rs.cause = from_site[rs.site].cut_cause;
          }
        }
      } else {
        rs.dc = nearest_dc(fr);
        if (rs.dc < 0) {
          rs.why = "no path to any datacenter of " + sv.id;
          if (!fr.cut.empty()) rs.why += " (cut off by " + list_some(fr.cut) + ")";
          rs.cause = fr.cut_cause;
        }
      }
      if (!rs.dns_reach) {
        rs.why = "no DNS site of " + sv.id + " within reach (" + list_some(dns_why) + ")" +
                 (rs.why.empty() ? "" : "; " + rs.why);
        rs.cause = dns_cause ? dns_cause : rs.cause;
      }
      routes_[c] = rs;
    }
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

  // A fingerprint of everything routing depends on; routes are recomputed only when it changes.
  std::vector<bool> world_state(const World& w) const {
    std::vector<bool> v;
    v.reserve(w.link_count() + w.node_count() + sites_.size());
    for (std::size_t i = 0; i < w.link_count(); ++i)
      v.push_back(w.link_up(i));
    for (std::size_t i = 0; i < w.node_count(); ++i)
      v.push_back(w.node_up(i));
    for (const auto& s : sites_)
      v.push_back(s.check.announced());
    return v;
  }

  void step(RunContext& ctx, double now, double dt) {
    World& w = ctx.world();
    auto state = world_state(w);
    if (state != last_state_ || routes_dirty_) {
      recompute_routes(ctx);
      last_state_ = std::move(state);
      routes_dirty_ = false;
    }
    // Datacenters: dark, restarting, serving.
    for (std::size_t d = 0; d < dcs_.size(); ++d) {
      auto& ds = dcs_[d];
      auto tr = ds.dc.update(now, dc_reachable_[d]);
      if (tr == Datacenter::Transition::None) continue;
      std::string subject = ds.dc.spec().path;
      nlohmann::ordered_json data;
      data["policy"] = restart_policy_name(ds.dc.spec().policy);
      switch (tr) {
      case Datacenter::Transition::WentDark: {
        std::uint64_t cause = dc_cause_[d];
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
                                 dc_up_cause_[d] ? dc_up_cause_[d] : ds.last_event, data);
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
                                 from_dark && dc_up_cause_[d] ? dc_up_cause_[d] : ds.last_event, data);
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
  const std::vector<sim::ServiceSpec>* services_ = nullptr;
  std::vector<DcState> dcs_;
  std::vector<SiteState> sites_;
  sim::ServingService::Demand* demand_ = nullptr; // the users, when they run
  std::vector<RegionState> regions_;              // regions of the attached flows, in first-seen order
  std::vector<FlowState> flows_;
  std::vector<RouteState> routes_; // per flow
  std::vector<double> offered_;    // requests/s offered to each datacenter within the current step
  std::vector<bool> dc_reachable_;
  std::vector<std::uint64_t> dc_cause_;
  std::vector<std::uint64_t> dc_up_cause_; // why each reachable datacenter is reachable (0: unknown)
  std::vector<bool> last_state_;
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
  m.create = [](const sim::ModelConfig& c) {
    return std::make_unique<DatacenterModel>(sim::config_as<DatacenterModelConfig>(c));
  };
  return m;
}

} // namespace outagesim::datacenter
