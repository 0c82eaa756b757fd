#include "models/bgp/BgpModel.hpp"

#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpDriver.hpp"
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/TransitLoad.hpp"
#include "models/bgp/VantageRecorder.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/world/Path.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <set>

namespace outagesim::bgp {

namespace sg4 = simgrid::s4u;
using sim::RunContext;

namespace {

std::string format_path(const std::vector<Asn>& path) {
  std::string s;
  for (Asn a : path)
    s += (s.empty() ? "" : " ") + std::to_string(a);
  return s;
}

double ms(double seconds) {
  return std::round(seconds * 1000.0) / 1000.0;
}

std::string describe(ChangeCause c, Asn from) {
  const std::string f = "AS" + std::to_string(from);
  switch (c) {
  case ChangeCause::OriginAnnounced:
    return "originated here";
  case ChangeCause::HijackAnnounced:
    return "hijacked here (originates a prefix it does not own)";
  case ChangeCause::OriginWithdrawn:
    return "no longer originated here";
  case ChangeCause::AnnouncementFrom:
    return "after an announcement from " + f;
  case ChangeCause::WithdrawalFrom:
    return "after a withdrawal from " + f;
  case ChangeCause::LoopFrom:
    return "after " + f + " announced a path through this AS";
  case ChangeCause::SessionDown:
    return "after the session with " + f + " went down";
  case ChangeCause::PolicyChange:
    return "after a policy change";
  case ChangeCause::MoreSpecificLeaked:
    return "re-originated here as a more-specific of a learned route, path kept (a leak)";
  }
  return "?";
}

class BgpModel : public sim::Model,
                 public sim::RouteService,
                 public sim::AnnouncementService,
                 public BgpObserver {
public:
  explicit BgpModel(const BgpModelConfig& config) : setup_(config.setup) {}

  void start(RunContext& ctx) override {
    ctx_ = &ctx;
    graph_ = setup_.graph;
    driver_ =
        std::make_unique<BgpDriver>(setup_.config, graph_, bgp_params_from(ctx.params("bgp"), ctx.seed()));
    const BgpConfig& cfg = driver_->config();
    BgpEngine& e = driver_->engine();

    driver_->warm_up();
    warmup_updates_ = e.messages_delivered();
    warmup_changes_ = e.best_path_changes();

    sim::logger("bgp")->debug(
        "{} ASes, {} links; {} prefixes announced and converged in {:.3f} s (engine time), "
        "{} updates",
        graph_->as_count(), graph_->link_count(), cfg.prefixes.size(), driver_->offset(), warmup_updates_);
    vantages_ = pick_vantages(cfg, *graph_);
    victims_ = cfg.victim_asns();
    for (Asn v : vantages_)
      e.watch(v);
    // What the event log shows: changes and drops at vantages and victims (see quiet_until()).
    for (Asn v : vantages_)
      e.observe(v);
    for (Asn v : victims_)
      if (graph_->index_of(v)) e.observe(v);
    std::map<Prefix, std::set<Asn>> origins;
    for (const auto& ps : cfg.prefixes)
      for (const auto& o : ps.origins)
        origins[ps.prefix].insert(o.asn);
    recorder_ = std::make_unique<VantageRecorder>(vantages_, origins, victims_);
    for (Asn v : vantages_)
      for (const auto& ps : cfg.prefixes) {
        auto path = e.best_path(v, ps.prefix);
        recorder_->set_initial(v, ps.prefix, path.has_value(), path ? path->back() : 0,
                               path && !valley_free(*graph_, v, *path));
      }
    e.set_observer(this);
    for (const auto& cs : cfg.capacities) {
      load_.set_capacity(cs.asn, cs.bits_per_s);
      congested_[cs.asn] = false;
      min_delivered_[cs.asn] = 1.0;
    }

    // Entities: prefixes are few and listed; ASes and sessions are matched on demand.
    std::vector<std::string> prefixes;
    for (const auto& ps : cfg.prefixes)
      prefixes.push_back("prefix:" + ps.prefix.to_string());
    ctx.directory().add_entities(prefixes);
    for (const char* kind : {"as", "session"})
      ctx.directory().add_matcher(kind, [this, kind](const std::string& pattern) {
        std::vector<std::string> out;
        for (auto& p : match_bgp_entities(driver_->config(), *graph_, pattern))
          if (p.rfind(std::string(kind) + ":", 0) == 0) out.push_back(std::move(p));
        return out;
      });
    for (const auto& a : bgp_action_decls())
      ctx.directory().on(a.kind, a.action, [this](const std::string& path, const sim::ActionRequest& r) {
        return on_action(path, r);
      });
    ctx.provide_routes(this);
    ctx.provide_announcements(this);

    hold_time_ = ctx.params("bgp").number("hold_time");
    watch_transport(ctx);
    mutex_ = sg4::Mutex::create();
    wake_ = sg4::ConditionVariable::create();
    sg4::Actor::create("bgp", ctx.world().control_host(), [this] {
      sg4::Actor::self()->daemonize();
      loop();
    });
  }

  void finish(RunContext& ctx) override {
    if (!driver_) return;
    const auto& s = ctx.scenario();
    const BgpEngine& e = driver_->engine();
    const double end = ctx.end();
    const double step = s.info.sample;
    for (const auto& row : recorder_->intervals(step, end)) {
      const std::string service = "prefix:" + row.prefix.to_string();
      if (row.visibility >= 0) ctx.timeline().add(row.start, "", service, "bgp.visibility", row.visibility);
      ctx.timeline().add(row.start, "", service, "bgp.announcements", double(row.announcements));
      ctx.timeline().add(row.start, "", service, "bgp.withdrawals", double(row.withdrawals));
    }
    // Per AS with a capacity and interval: mean offered load and lowest delivered share of the ticks
    // closed in it (service "as:N").
    for (const auto& [asn, series] : transit_series_) {
      std::map<double, std::array<double, 3>> rows; // interval start -> load sum, count, min delivered
      for (const auto& x : series) {
        auto& r =
            rows.try_emplace(std::floor(x.t / step) * step, std::array<double, 3>{0, 0, 1}).first->second;
        r[0] += x.load;
        r[1] += 1;
        r[2] = std::min(r[2], x.delivered);
      }
      for (const auto& [start, r] : rows) {
        ctx.timeline().add(start, "", "as:" + std::to_string(asn), "bgp.transit_offered_bps", r[0] / r[1]);
        ctx.timeline().add(start, "", "as:" + std::to_string(asn), "bgp.transit_delivered", r[2]);
      }
    }
    ctx.add_output("bgp_updates.csv", recorder_->updates_csv(step, end, s.info.start_epoch));
    for (auto& sv : recorder_->signals(end))
      ctx.add_signal(std::move(sv));
    // Only for ASes with a declared capacity: other runs keep their signals as they were.
    for (const auto& [asn, low] : min_delivered_)
      ctx.add_signal(
          {"bgp.transit_delivered_min", "as:" + std::to_string(asn), "ratio", std::round(low * 1e4) / 1e4});

    auto& j = ctx.summary("bgp");
    const BgpConfig& cfg = driver_->config();
    j["topology"] = {{"source", cfg.source == BgpConfig::Source::Caida       ? "caida"
                                : cfg.source == BgpConfig::Source::Synthetic ? "synthetic"
                                                                             : "inline"},
                     {"ases", graph_->as_count()},
                     {"links", graph_->link_count()}};
    j["vantages"] = vantages_;
    j["victims"] = victims_;
    j["warmup"] = {{"converged_after_s", ms(driver_->offset())},
                   {"updates", warmup_updates_},
                   {"best_path_changes", warmup_changes_}};
    j["updates"] = e.messages_delivered() - warmup_updates_;
    j["prefix_updates"] = e.prefix_updates_delivered();
    j["best_path_changes"] = e.best_path_changes() - warmup_changes_;
    j["vantage_updates"] = recorder_->updates_seen();
    j["route_events"] = route_events_;
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const auto& in : inputs_) {
      nlohmann::ordered_json x;
      x["at_s"] = in.at;
      x["event"] = in.event;
      x["what"] = in.what;
      x["best_path_changes"] = in.changes;
      // Time from the input to the last best-path change it caused (any AS), ms precision.
      x["last_change_after_s"] = in.changes ? nlohmann::ordered_json(ms(in.last_change - in.at)) : nullptr;
      inputs.push_back(x);
    }
    j["inputs"] = inputs;
    if (load_.has_capacities()) {
      nlohmann::ordered_json transit = nlohmann::ordered_json::array();
      for (const auto& [asn, cap] : load_.capacities()) {
        auto [peak, at] = peak_load_[asn];
        transit.push_back({{"as", asn},
                           {"capacity_bps", cap},
                           {"peak_offered_bps", std::round(peak)},
                           {"peak_at_s", at},
                           {"min_delivered", std::round(min_delivered_[asn] * 1e4) / 1e4}});
      }
      j["transit_capacity"] = transit;
    }
    // Pending engine events at the end (messages or MRAI timers, which may have nothing left to send).
    j["engine_events_pending_at_end"] = std::isfinite(e.next_event_time());
  }

  // ---- RouteService
  sim::RouteAnswer route_lookup(std::uint32_t from_asn, std::uint32_t address) const override {
    sim::RouteAnswer a;
    if (!driver_) {
      a.reason = "no BGP model configured";
      return a;
    }
    if (!graph_->index_of(from_asn)) {
      a.reason = "AS" + std::to_string(from_asn) + " is not in the BGP topology";
      return a;
    }
    const_cast<BgpModel*>(this)->catch_up();
    const Verdict& v = driver_->lookup(from_asn, address);
    a = v.answer;
    if (v.hijack)
      if (auto it = hijack_events_.find(*v.hijack); it != hijack_events_.end()) a.cause = it->second;
    if (a.status != sim::RouteAnswer::Status::Delivered || !load_.has_capacities()) return a;
    const_cast<BgpModel*>(this)->close_tick();
    auto d = load_.delivery(a.as_path);
    a.delivered = d.delivered;
    a.loss = d.reason;
    if (d.delivered < 1)
      for (Asn hop : a.as_path)
        if (auto it = congested_since_.find(hop); it != congested_since_.end())
          a.cause = std::max(a.cause, it->second);
    return a;
  }

  std::uint64_t routes_version() const override {
    if (!driver_) return 1; // every lookup answers "no BGP model configured"
    // Due now: route_lookup would process engine events (catch_up) or close the data plane's tick
    // (close_tick) first; both may change answers and emit events, so the caller asks.
    const double now = sg4::Engine::get_clock();
    if (driver_->engine().next_event_time() <= now + driver_->offset()) return 0;
    if (load_.has_capacities() && load_.would_close(now)) return 0;
    // Otherwise an answer reads the engine's routes (lookup_version), the driver's inputs (hijack
    // modes; hijack_events_ changes with them) and the last closed tick's congestion (congested_since_ too).
    const std::array<std::uint64_t, 3> inputs{driver_->engine().lookup_version(), driver_->inputs_version(),
                                              load_.delivery_version()};
    if (inputs != version_inputs_) {
      version_inputs_ = inputs;
      ++routes_version_;
    }
    return routes_version_;
  }

  void offer_traffic(const sim::RouteAnswer& route, double bits_per_s) override {
    // Without declared capacities nothing is accounted: every other scenario runs as before.
    if (!driver_ || !load_.has_capacities()) return;
    close_tick();
    // Traffic without a route loads nothing, but still opens the tick (TransitLoad.hpp).
    static const std::vector<Asn> kNone;
    load_.offer(sg4::Engine::get_clock(),
                route.status == sim::RouteAnswer::Status::Delivered ? route.as_path : kNone, bits_per_s);
  }

  // ---- AnnouncementService (call it from an actor: it wakes the engine's actor with a simcall)
  bool set_announced(const std::string& site, const std::string& prefix, bool announce,
                     const std::string& reason, std::uint64_t cause) override {
    if (!driver_) return false;
    auto p = Prefix::parse(prefix);
    if (!p || !driver_->config().find(*p)) return false;
    const PrefixSpec& spec = *driver_->config().find(*p);
    std::string name;
    for (const auto& o : spec.origins)
      if (o.site == site || std::to_string(o.asn) == site) name = site;
    if (name.empty()) {
      // A node path ("dns:ams"): the site of that node's AS, when the AS has only one for the prefix.
      auto node = ctx_->world().find_node(site);
      auto asn = node ? ctx_->world().node(*node).asn : std::nullopt;
      const OriginSpec* only = nullptr;
      std::size_t count = 0;
      for (const auto& o : spec.origins)
        if (asn && o.asn == *asn) only = &o, ++count;
      if (count != 1) return false;
      name = only->site;
    }
    auto applied = driver_->set_announced(name, *p, announce, input_date());
    if (applied) record_input("prefix:" + p->to_string(), *applied, reason, cause);
    return true;
  }

  // ---- BgpObserver (called inside the engine's run_until)
  void on_best_path_change(const BestPathChange& c) override {
    const double t = c.time - driver_->offset();
    // Attributed to the latest input that concerns the prefix (as the events' cause).
    if (auto it = input_index_.find(cause_of(c.prefix)); it != input_index_.end()) {
      ++inputs_[it->second].changes;
      inputs_[it->second].last_change = t;
    }
    const bool vantage = recorder_->is_vantage(c.asn);
    const bool victim = std::binary_search(victims_.begin(), victims_.end(), c.asn);
    if (!vantage && !victim) return;
    const BgpEngine& e = driver_->engine();
    const bool had = c.old_path != kNoPath, has = c.new_path != kNoPath;
    std::vector<Asn> new_path, old_path;
    if (has) new_path = c.new_path == kEmptyPath ? std::vector<Asn>{c.asn} : e.path_asns(c.new_path);
    if (had) old_path = c.old_path == kEmptyPath ? std::vector<Asn>{c.asn} : e.path_asns(c.old_path);
    // A leak's signature: the new route goes down and up again. Said in the event (only then, so
    // transcripts without leaks read as before) and counted by the recorder (bgp.valley_paths).
    std::optional<Valley> valley;
    if (has && c.new_path != kEmptyPath) valley = find_valley(*graph_, c.asn, new_path);
    if (vantage)
      recorder_->on_best_change(t, c.asn, c.prefix, had, has, has ? new_path.back() : 0,
                                has && c.new_path != kEmptyPath && !valley_free(*graph_, c.asn, new_path),
                                has ? std::uint64_t(c.new_path) + 1 : 0);
    const std::string type = !had ? "bgp.route_learned" : (!has ? "bgp.route_lost" : "bgp.route_changed");
    auto show = [&](bool h, PathId id, const std::vector<Asn>& p) {
      return !h ? std::string("none") : id == kEmptyPath ? std::string("local") : format_path(p);
    };
    std::string reason = c.prefix.to_string() + ": " + show(had, c.old_path, old_path) + " -> " +
                         show(has, c.new_path, new_path) + " (" + describe(c.cause, c.from) + ")";
    if (valley) reason += "; a valley path: " + describe_valley(*valley);
    nlohmann::ordered_json data;
    data["prefix"] = c.prefix.to_string();
    data["old_path"] = old_path;
    data["new_path"] = new_path;
    data["cause"] = std::string(to_string(c.cause));
    if (c.from) data["from"] = c.from;
    if (valley) data["valley_at"] = valley->via;
    ctx_->emit(type, "as:" + std::to_string(c.asn), reason, cause_of(c.prefix), data);
    ++route_events_;
  }

  // Shown where route collectors or the victims would see it: at vantages and victims only.
  void on_route_rejected(double time, Asn asn, Asn from, const Prefix& prefix, PathId path,
                         ImportDrop why) override {
    if (!recorder_->is_vantage(asn) && !std::binary_search(victims_.begin(), victims_.end(), asn)) return;
    const auto p = driver_->engine().path_asns(path);
    const Asn origin = p.empty() ? from : p.back();
    std::string reason = prefix.to_string() + " from AS" + std::to_string(from) + " (path " + format_path(p) +
                         ") dropped: ";
    if (why == ImportDrop::RpkiInvalid) {
      std::string roas;
      for (const auto& r : driver_->config().roas)
        if (r.prefix.covers(prefix))
          roas += (roas.empty() ? "" : ", ") + r.prefix.to_string() + " max-length " +
                  std::to_string(r.max_length) + " AS" + std::to_string(r.origin);
      reason += "RPKI invalid: origin AS" + std::to_string(origin) + " not authorised for " +
                prefix.to_string() + " (ROA " + roas + ")";
    } else {
      reason += "customer prefix filter: " + prefix.to_string() + " is registered to no AS of AS" +
                std::to_string(from) + "'s customer cone";
    }
    nlohmann::ordered_json data;
    data["prefix"] = prefix.to_string();
    data["from"] = from;
    data["path"] = p;
    data["why"] = std::string(to_string(why));
    ctx_->emit("bgp.route_rejected", "as:" + std::to_string(asn), reason, cause_of(prefix), data);
    (void)time;
  }

  void on_session_ceased(const SessionCeased& c) override {
    nlohmann::ordered_json data;
    data["neighbor"] = c.neighbor;
    data["prefixes"] = c.prefixes;
    data["max_prefix"] = c.limit;
    ctx_->emit("bgp.session_ceased", session_path(c.asn, c.neighbor),
               "AS" + std::to_string(c.asn) + " drops its session with AS" + std::to_string(c.neighbor) +
                   ": " + std::to_string(c.prefixes) + " prefixes received, max-prefix " +
                   std::to_string(c.limit),
               last_any_input_, data);
  }

  void on_update_received(const UpdateReceived& u) override {
    Asn origin = 0;
    if (!u.withdrawal) {
      auto p = driver_->engine().path_asns(u.path);
      origin = p.empty() ? u.from : p.back();
    }
    recorder_->on_update(u.time - driver_->offset(), u.asn, u.prefix, u.withdrawal, origin);
  }

private:
  struct InputRecord {
    double at;
    std::uint64_t event;
    std::string what;
    std::uint64_t changes = 0;
    double last_change = 0;
  };

  // Sessions carried by scenario links: a link between nodes of two adjacent ASes carries their
  // session. When the last usable carrier fails (link off, or a router at either end off), the
  // session drops after the hold time; when one is usable again, it comes back at once.
  struct Carrier {
    std::size_t link, a, b; // world link and end nodes
  };
  void watch_transport(RunContext& ctx) {
    sim::World& w = ctx.world();
    for (std::size_t li = 0; li < w.link_count(); ++li) {
      const auto& spec = w.link(li);
      auto na = w.find_node(spec.a), nb = w.find_node(spec.b);
      if (!na || !nb || !w.node(*na).asn || !w.node(*nb).asn) continue;
      Asn a = *w.node(*na).asn, b = *w.node(*nb).asn;
      if (a == b) continue;
      auto va = graph_->index_of(a), vb = graph_->index_of(b);
      if (!va || !vb || !graph_->find_slot(*va, *vb)) continue;
      auto key = std::minmax(a, b);
      carriers_[key].push_back({li, *na, *nb});
      link_sessions_[w.sg_link(li)].push_back(key);
      host_sessions_[w.host(*na)].push_back(key);
      host_sessions_[w.host(*nb)].push_back(key);
    }
    if (carriers_.empty()) return;
    // Called in maestro at the failure date: hand the work to a short-lived actor (inputs wake the
    // engine's actor with a simcall, which maestro cannot make).
    sg4::Link::on_state_change_cb([this](const sg4::Link& l) {
      if (auto it = link_sessions_.find(&l); it != link_sessions_.end()) transport_changed(it->second);
    });
    sg4::Host::on_state_change_cb([this](const sg4::Host& h) {
      if (auto it = host_sessions_.find(&h); it != host_sessions_.end()) transport_changed(it->second);
    });
  }

  // Why a session's carriers are all unusable, and the event that made the last one so.
  std::pair<bool, std::pair<std::string, std::uint64_t>> carried(const std::pair<Asn, Asn>& key) const {
    sim::World& w = ctx_->world();
    std::string why;
    std::uint64_t cause = 0;
    for (const auto& c : carriers_.at(key)) {
      if (w.link_up(c.link) && w.node_up(c.a) && w.node_up(c.b)) return {true, {"", 0}};
      std::string failed = !w.link_up(c.link) ? w.link(c.link).path()
                           : !w.node_up(c.a)  ? w.node(c.a).path()
                                              : w.node(c.b).path();
      why += (why.empty() ? "" : ", ") + failed + " down";
      cause = std::max(cause, w.last_change(failed));
    }
    return {false, {why, cause}};
  }

  // Whether what took the session's last carrier away is a node stopped gracefully (node.stopped).
  bool closed_gracefully(const std::pair<Asn, Asn>& key) const {
    const sim::Event* e = ctx_->events().find(carried(key).second.second);
    return e && e->type == "node.stopped";
  }

  void transport_changed(const std::vector<std::pair<Asn, Asn>>& sessions) {
    for (const auto& key : sessions) {
      const bool up = carried(key).first;
      if (!up && !transport_down_.count(key) && !hold_pending_.count(key)) {
        hold_pending_.insert(key);
        // A speaker stopped gracefully (`down`) closes its sessions at once (a Cease notification);
        // a crash or a cut goes silent and the peer notices when its hold timer expires.
        const bool graceful = closed_gracefully(key);
        sg4::Actor::create("bgp/hold", ctx_->world().control_host(), [this, key, graceful] {
          sg4::Actor::self()->daemonize();
          if (!graceful) sg4::this_actor::sleep_for(hold_time_);
          hold_pending_.erase(key);
          auto [still_up, why] = carried(key);
          if (still_up) return;
          const std::string path = session_path(key.first, key.second);
          auto applied = driver_->apply(path, "down", {}, input_date());
          if (!applied) return; // already down (a fault took it down)
          transport_down_.insert(key);
          record_input(path, *applied,
                       (graceful ? std::string("session closed by a graceful stop")
                                 : "hold timer expired (" + sim::format_duration(hold_time_) + ")") +
                           ": " + why.first,
                       why.second);
        });
      } else if (up && transport_down_.count(key)) {
        sg4::Actor::create("bgp/reconnect", ctx_->world().control_host(), [this, key] {
          sg4::Actor::self()->daemonize();
          if (!transport_down_.count(key) || !carried(key).first) return;
          transport_down_.erase(key);
          std::uint64_t cause = 0;
          std::string via;
          for (const auto& c : carriers_.at(key)) {
            const std::string lp = ctx_->world().link(c.link).path();
            if (ctx_->world().link_up(c.link) && ctx_->world().last_change(lp) > cause) {
              cause = ctx_->world().last_change(lp);
              via = lp;
            }
          }
          const std::string path = session_path(key.first, key.second);
          auto applied = driver_->apply(path, "up", {}, input_date());
          if (applied)
            record_input(path, *applied, "transport restored" + (via.empty() ? "" : " (" + via + ")"), cause);
        });
      }
    }
  }

  // The engine date of an input injected now (never before the engine's own clock).
  double input_date() const {
    return std::max(driver_->engine().now(), sg4::Engine::get_clock() + driver_->offset());
  }

  // Closes the data plane's current tick once the clock has moved past it (TransitLoad.hpp); an AS
  // that starts or stops dropping traffic is an event, caused by the latest all-prefix input (a leak,
  // a session) since what changes its load is where routes lead.
  void close_tick() {
    if (!load_.advance(sg4::Engine::get_clock())) return;
    for (auto& [asn, was] : congested_) {
      const auto c = load_.congestion(asn);
      min_delivered_[asn] = std::min(min_delivered_[asn], c.delivered);
      transit_series_[asn].push_back({sg4::Engine::get_clock(), c.load_bps, c.delivered});
      auto& [peak, peak_at] = peak_load_[asn];
      if (c.load_bps > peak) peak = c.load_bps, peak_at = sg4::Engine::get_clock();
      const bool now = c.delivered < 1;
      if (now == was) continue;
      was = now;
      nlohmann::ordered_json data;
      data["offered_bps"] = std::round(c.load_bps);
      data["capacity_bps"] = c.capacity_bps;
      data["delivered"] = std::round(c.delivered * 1e4) / 1e4;
      const std::string figures = format_bps(c.load_bps) + " offered to " + format_bps(c.capacity_bps);
      const std::uint64_t id =
          ctx_->emit(now ? "bgp.congested" : "bgp.congestion_cleared", "as:" + std::to_string(asn),
                     now ? "transit traffic above capacity: " + figures
                         : "transit traffic within capacity: " + figures,
                     last_any_input_, data);
      if (now)
        congested_since_[asn] = id; // what explains the losses of paths through it
      else
        congested_since_.erase(asn);
    }
  }

  // Processes every engine event dated up to now (another actor may ask before ours ran).
  void catch_up() { driver_->engine().run_until(sg4::Engine::get_clock() + driver_->offset()); }

  // The latest input concerning exactly this prefix, or a later one concerning every prefix
  // (session, leak, policy). A hijack of a more-specific lists the configured prefixes it overlaps.
  std::uint64_t cause_of(const Prefix& p) const {
    auto it = last_input_.find(p);
    return std::max(last_any_input_, it == last_input_.end() ? std::uint64_t{0} : it->second);
  }

  void record_input(const std::string& path, const AppliedAction& a, const std::string& reason,
                    std::uint64_t cause) {
    nlohmann::ordered_json data;
    data["detail"] = a.detail;
    std::uint64_t id =
        ctx_->emit(a.type, path, reason.empty() ? a.detail : reason + "; " + a.detail, cause, data);
    if (a.all_prefixes) last_any_input_ = id;
    for (const auto& p : a.prefixes)
      last_input_[p] = id;
    input_index_[id] = inputs_.size();
    inputs_.push_back(InputRecord{sg4::Engine::get_clock(), id, a.type + " " + path + ": " + a.detail});
    // One notify per batch: notify_all() is a simcall, which would let the engine's actor run between
    // two targets of one fault (six prefixes withdrawn at once would leave in six UPDATEs).
    if (!wake_pending_) {
      wake_pending_ = true;
      wake_->notify_all();
    }
  }

  // Inputs are not preceded by a catch-up: events dated now that the engine has not processed yet
  // come first anyway (FIFO on equal dates), and the fault player applies one fault to all its
  // targets before the engine runs, so the engine sends one AS's same-date origin changes in one
  // UPDATE, as a router would.
  std::uint64_t on_action(const std::string& path, const sim::ActionRequest& r) {
    auto applied = driver_->apply(path, r.action, r.params, input_date());
    if (!applied) return 0;
    record_input(path, *applied, r.reason, r.cause);
    // A hijack's announcement is the cause of every verdict its origin gives (RouteAnswer::cause).
    if (applied->type == "bgp.hijack" || applied->type == "bgp.unhijack") {
      const Asn asn = static_cast<Asn>(std::stoul(path.substr(path.find(':') + 1)));
      if (applied->type == "bgp.hijack")
        hijack_events_[{asn, applied->prefixes.front()}] = last_id();
      else
        hijack_events_.erase({asn, applied->prefixes.front()});
    }
    return last_id();
  }

  std::uint64_t last_id() const { return inputs_.back().event; }

  void loop() {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    BgpEngine& e = driver_->engine();
    const double off = driver_->offset();
    const double end = ctx_->end();
    while (true) {
      const double now = sg4::Engine::get_clock();
      e.run_until(std::max(e.now(), now + off));
      if (now >= end) return;
      const double next = e.next_event_time();
      if (std::min(next - off, end) <= now) { // the next event's date rounds to now: take it by its own date
        e.run_until(next);
        continue;
      }
      // Nothing observable happens before quiet_until(): sleep until then and process that whole
      // batch of dates in one wake-up (each event keeps its own date; route lookups catch up).
      const double wake = std::min(e.quiet_until() - off, end);
      if (wake_->wait_until(lock, wake) == std::cv_status::no_timeout)
        sg4::this_actor::yield(); // woken by an input: let its sender finish the batch (same date)
      wake_pending_ = false;
    }
  }

  // routes_version(): its number and what it was last computed from.
  mutable std::uint64_t routes_version_ = 1;
  mutable std::array<std::uint64_t, 3> version_inputs_{};
  BgpSetup setup_; // the config this run was created with (section, graph)
  RunContext* ctx_ = nullptr;
  std::shared_ptr<const AsGraph> graph_;
  std::unique_ptr<BgpDriver> driver_;
  std::unique_ptr<VantageRecorder> recorder_;
  std::vector<Asn> vantages_, victims_;
  sg4::MutexPtr mutex_;
  sg4::ConditionVariablePtr wake_;
  bool wake_pending_ = false; // an input was injected since the actor last ran the engine
  double hold_time_ = 90;
  std::map<std::pair<Asn, Asn>, std::vector<Carrier>> carriers_;
  std::map<const sg4::Link*, std::vector<std::pair<Asn, Asn>>> link_sessions_;
  std::map<const sg4::Host*, std::vector<std::pair<Asn, Asn>>> host_sessions_;
  std::set<std::pair<Asn, Asn>> hold_pending_, transport_down_;
  std::map<Prefix, std::uint64_t> last_input_;
  std::map<std::pair<Asn, Prefix>, std::uint64_t> hijack_events_; // (hijacker, prefix) -> bgp.hijack event
  std::uint64_t last_any_input_ = 0;
  std::vector<InputRecord> inputs_;
  std::map<std::uint64_t, std::size_t> input_index_; // input event id -> inputs_ index
  std::uint64_t warmup_updates_ = 0, warmup_changes_ = 0, route_events_ = 0;
  TransitLoad load_;                    // data-plane load and capacity of transit ASes
  std::map<Asn, bool> congested_;       // per AS with a capacity: dropping in the last closed tick
  std::map<Asn, std::uint64_t> congested_since_; // dropping ASes -> their bgp.congested event
  std::map<Asn, double> min_delivered_; // per AS with a capacity: lowest share it delivered
  std::map<Asn, std::pair<double, double>> peak_load_; // per AS with a capacity: (peak load, date)
  struct TransitSample {
    double t, load, delivered; // closing date of a tick, its load and delivered share
  };
  std::map<Asn, std::vector<TransitSample>> transit_series_;
};

// The engine holds at most BgpEngine::kMaxPrefixes distinct prefixes: the configured ones and those
// the faults name (targets, hijacked prefixes, leaked more-specifics). Refused here, at load, rather
// than when the engine meets the one too many mid-run.
void check_prefix_count(const sim::Scenario& s, const BgpConfig& c, sim::Diagnostics& d) {
  std::set<Prefix> all;
  for (const auto& ps : c.prefixes) all.insert(ps.prefix);
  const sim::Mark* over = nullptr; // where the one too many is named
  auto add = [&](const std::string& text, const sim::Mark& m) {
    if (auto p = Prefix::parse(text); p && all.insert(*p).second && all.size() == BgpEngine::kMaxPrefixes + 1)
      over = &m;
  };
  for (const auto& f : s.faults) {
    std::string kind, id;
    if (sim::split_path(f.target, kind, id) && kind == "prefix") add(id, f.target_mark);
    for (const char* key : {"prefix", "more_specific"})
      if (auto it = f.params.find(key); it != f.params.end()) add(it->second, f.params_mark);
  }
  if (all.size() > BgpEngine::kMaxPrefixes)
    d.error(over ? *over : bgp_section(s)->mark,
            "the scenario names " + std::to_string(all.size()) +
                " distinct prefixes (bgp.prefixes and the faults' prefixes); expected at most " +
                std::to_string(BgpEngine::kMaxPrefixes));
}

// The bgp: section read, its graph loaded and checked, and the faults on BGP entities checked
// against them: once per scenario. nullptr without a bgp: section (the model is idle) or on errors.
std::shared_ptr<const sim::ModelConfig> configure(const sim::Scenario& s, sim::Diagnostics& d) {
  const auto decls = bgp_action_decls();
  if (!bgp_section(s)) { // BGP actions need the section, or they would silently do nothing
    for (const auto& f : s.faults) {
      std::string kind, id;
      if (!sim::split_path(f.target, kind, id)) continue;
      for (const auto& a : decls)
        if (a.kind == kind && a.action == f.action && kind != "prefix" && kind != "session")
          d.error(f.action_mark, "action '" + f.action + "' on " + kind +
                                     " entities is a BGP action; expected a bgp: section in the scenario");
    }
    return nullptr;
  }
  auto setup = load_bgp_setup(s, d);
  if (!setup) return nullptr;
  check_prefix_count(s, setup->config, d);
  std::vector<std::string> kinds = {"prefix", "as", "session"};
  for (const auto& f : s.faults) {
    std::string kind, id;
    if (!sim::split_path(f.target, kind, id)) continue;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
    std::string problem = check_bgp_action(setup->config, *setup->graph, f.target, f.action, f.params);
    if (!problem.empty()) d.error(f.params.empty() ? f.action_mark : f.params_mark, problem);
  }
  return std::make_shared<const BgpModelConfig>(std::move(*setup));
}

} // namespace

sim::ModelInfo bgp_model_info() {
  sim::ModelInfo m;
  m.name = "bgp";
  m.doc = "AS-level BGP (path vector, Gao-Rexford policies, MRAI, anycast, hijacks, leaks) on the scenario's "
          "bgp: topology; offers route lookup and site announcements to other models.";
  m.params = bgp_param_decls();
  m.sections = {bgp_section_key()};
  m.provides = {sim::service::kRoutes, sim::service::kAnnouncements};
  m.configure = configure;
  m.actions = bgp_action_decls();
  m.signals = bgp_signal_decls();
  m.events = {
      {"bgp.withdraw", "prefix", "an origin withdraws a prefix (a fault, or a site's health check)"},
      {"bgp.announce", "prefix", "an origin announces a prefix again"},
      {"bgp.hijack", "as", "an AS originates a prefix it does not own"},
      {"bgp.unhijack", "as", "the hijacking AS stops originating the prefix"},
      {"bgp.leak", "as", "an AS exports routes against its policies (a route leak)"},
      {"bgp.unleak", "as", "the leak ends"},
      {"bgp.session_down", "session", "a BGP session closes (a fault, a graceful stop at once, a hold timer)"},
      {"bgp.session_up", "session", "a BGP session is established again"},
      {"bgp.route_lost", "as", "a vantage or victim AS loses its last route to a prefix"},
      {"bgp.route_learned", "as", "a vantage or victim AS learns a route to a prefix it had none for"},
      {"bgp.route_changed", "as", "a vantage or victim AS changes its best path to a prefix"},
      {"bgp.congested", "as", "a transit AS with a declared capacity starts dropping traffic"},
      {"bgp.congestion_cleared", "as", "it delivers all its traffic again"},
      {"bgp.route_rejected", "as",
       "a vantage or victim AS's import policy drops a route (RPKI invalid, customer prefix filter)"},
      {"bgp.session_ceased", "session", "a session torn down by its max-prefix limit (stays down)"},
  };
  m.match_entities = [](const sim::ModelConfig& c, const std::string& pattern) {
    const BgpSetup& setup = sim::config_as<BgpModelConfig>(c).setup;
    return match_bgp_entities(setup.config, *setup.graph, pattern);
  };
  m.signal_subjects = [](const sim::ModelConfig& c) {
    const BgpConfig& cfg = sim::config_as<BgpModelConfig>(c).setup.config;
    std::vector<std::string> out;
    for (Asn a : cfg.victim_asns())
      out.push_back("as:" + std::to_string(a)); // per victim AS (VantageRecorder::signals)
    for (const auto& cs : cfg.capacities)
      out.push_back("as:" + std::to_string(cs.asn)); // bgp.transit_delivered_min
    for (const auto& ps : cfg.prefixes)
      out.push_back("prefix:" + ps.prefix.to_string()); // per configured prefix
    return out;
  };
  m.create = [](const sim::ModelConfig& c) {
    return std::make_unique<BgpModel>(sim::config_as<BgpModelConfig>(c));
  };
  return m;
}

} // namespace outagesim::bgp
