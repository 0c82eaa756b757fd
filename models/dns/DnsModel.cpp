#include "models/dns/DnsModel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include <simgrid/s4u.hpp>

#include "models/dns/AttackShares.hpp"
#include "models/dns/DnsCore.hpp"
#include "models/dns/SiteReach.hpp"
#include "sim/core/Time.hpp"
#include "sim/metrics/Signals.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/world/Path.hpp"

namespace outagesim::dns {

namespace sg4 = simgrid::s4u;
using sim::EntityKind;
using sim::RunContext;

namespace {

// A botnet's footprint, `with: {sources: "us-east 0.4, brazil 0.35, asia 0.2, europe 0.05"}`: region
// ids (or region:ID) and the share of the bots in each. Returns the pairs, or the problem.
std::pair<std::vector<std::pair<std::string, double>>, std::string> parse_sources(const std::string& text) {
  std::vector<std::pair<std::string, double>> out;
  std::size_t pos = 0;
  double sum = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b == std::string::npos)
      return {{}, "an empty item; expected 'REGION SHARE' items separated by commas"};
    item = item.substr(b, e - b + 1);
    const auto space = item.find_last_of(" \t");
    if (space == std::string::npos) return {{}, "'" + item + "' has no share; expected 'REGION SHARE'"};
    std::string region = item.substr(0, item.find_first_of(" \t"));
    if (region.rfind("region:", 0) != 0) region = "region:" + region;
    const auto share = sim::parse_double(item.substr(space + 1));
    if (!share || *share < 0 || *share > 1)
      return {{},
              "'" + item + "' has share '" + item.substr(space + 1) + "'; expected a number between 0 and 1"};
    sum += *share;
    out.emplace_back(region, *share);
  }
  if (sum > 1 + 1e-6) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", sum);
    return {{}, std::string("shares add up to ") + buf + "; expected at most 1"};
  }
  return {out, ""};
}

// The dns model's config for a run: its section, parsed once at load.
struct DnsModelConfig : sim::ModelConfig {
  explicit DnsModelConfig(DnsConfig c) : dns(std::move(c)) {}
  DnsConfig dns;
};

class DnsModel : public sim::Model, public sim::NameService {
public:
  explicit DnsModel(const DnsModelConfig& config) : config_(config) {}

  void start(RunContext& ctx) override {
    const DnsConfig& cfg = config_.dns;
    if (cfg.resolvers.empty() || cfg.names.empty()) return;
    const auto& p = ctx.params("dns");
    ResolverPolicy pol;
    pol.timeout = p.number("timeout");
    pol.backoff = p.number("backoff");
    pol.server_retries = static_cast<int>(p.number("server_retries"));
    pol.servfail_ttl = p.number("servfail_ttl");
    pol.serve_stale = p.flag("serve_stale");
    pol.max_stale = p.number("max_stale");
    pol.stale_refresh = p.number("stale_refresh");
    pol.coalesce = p.flag("coalesce");
    pol.refetch_delegation = p.flag("refetch_delegation");
    pol.infra_holddown = p.number("infra_holddown");
    pol.budget = p.number("resolution_budget");
    pol.max_tries = static_cast<int>(p.number("max_tries"));
    ClientPolicy cl;
    cl.immediate_retries = static_cast<int>(p.number("immediate_retries"));
    cl.app_retries = static_cast<int>(p.number("app_retries"));
    cl.app_backoff = p.number("app_backoff");
    cl.timeout = p.number("client_timeout");
    tick_ = p.number("tick");
    ddos_rate_ = p.number("ddos_rate");
    const double query_bytes = p.number("query_bytes");
    auto& w = ctx.world();
    std::vector<RegionInfo> regions;
    for (std::size_t i = 0; i < w.node_count(); ++i)
      if (w.node(i).kind == EntityKind::Region)
        regions.push_back({w.node(i).path(), w.node(i).population, w.node(i).utc_offset_h});
    const auto& info = ctx.scenario().info;
    core_ = std::make_unique<DnsCore>(cfg, pol, cl, regions, info.sample, p.number("diurnal_amplitude"),
                                      info.start_epoch);
    if (p.flag("random_cache_ages")) core_->fill_caches_at_random_ages(ctx.seed());
    core_->set_query_bytes(query_bytes);
    // Each site node's access links: the topology links incident to it (their capacity and state
    // are read from SimGrid every step).
    for (std::size_t g = 0; g < core_->site_node_count(); ++g) {
      std::vector<std::size_t> links;
      for (std::size_t l = 0; l < w.link_count(); ++l)
        if (w.link(l).a == core_->site_node(g) || w.link(l).b == core_->site_node(g)) links.push_back(l);
      access_links_.push_back(links);
    }
    for (const auto& r : cfg.resolvers)
      resolver_nodes_.push_back(*w.find_node(r.node));
    for (const auto& s : cfg.servers) {
      std::vector<std::size_t> sites;
      flat_base_.push_back(site_paths_.size());
      for (const auto& site : s.sites) {
        sites.push_back(*w.find_node(site));
        site_paths_.push_back(w.node(sites.back()).path());
      }
      site_nodes_.push_back(sites);
    }
    index_reach(w);
    core_->set_reach(
        [this, &ctx](std::size_t r, std::size_t s, std::size_t k) { return reach(ctx, r, s, k); });

    // Faults on zone contents: zone entities ("zone:facebook.com").
    std::vector<std::string> zones;
    for (const auto& z : cfg.zones)
      zones.push_back("zone:" + z.name);
    ctx.directory().add_entities(zones);
    for (const char* action : {"delete", "restore", "undelegate", "delegate"})
      ctx.directory().on("zone", action, [this, &ctx](const std::string& path, const sim::ActionRequest& r) {
        return zone_action(ctx, path, r);
      });
    for (const char* action : {"poison", "flush"})
      ctx.directory().on("resolver", action,
                         [this, &ctx](const std::string& path, const sim::ActionRequest& r) {
                           return resolver_action(ctx, path, r);
                         });
    // Individual resolution tracing ("REGION NAME").
    if (const std::string& spec = p.text("trace"); !spec.empty()) {
      const auto space = spec.find(' ');
      const std::string region = spec.substr(0, space);
      const std::string name = space == std::string::npos ? "" : spec.substr(space + 1);
      core_->set_trace(core_->region_index_any(region),
                       core_->demand_index(name));
    }

    // Faults: attack traffic at a site.
    for (const char* action : {"ddos", "calm"}) {
      bool on = std::string(action) == "ddos";
      ctx.directory().on("dns", action,
                         [this, &ctx, on](const std::string& path, const sim::ActionRequest& r) {
                           return set_attack(ctx, path, on, r);
                         });
    }

    // Operators add servers at a site (mitigation): its capacity per address.
    ctx.directory().on("dns", "scale", [this, &ctx](const std::string& path, const sim::ActionRequest& r) {
      return scale(ctx, path, r);
    });
    // Servers that keep running and announced but answer wrongly.
    for (const char* action : {"misbehave", "behave"}) {
      bool on = std::string(action) == "misbehave";
      ctx.directory().on("dns", action,
                         [this, &ctx, on](const std::string& path, const sim::ActionRequest& r) {
                           return set_misbehave(ctx, path, on, r);
                         });
    }

    // Anycast sites that withdraw their announcement (a health check, through the datacenter model,
    // or a fault): traffic for the site's addresses that still arrives in its AS, over a covering
    // route or a stale path, finds no site there.
    for (const char* action : {"withdraw", "announce"}) {
      bool on = std::string(action) == "announce";
      ctx.directory().on("dns", action,
                         [this, &ctx, on](const std::string& path, const sim::ActionRequest& r) {
                           return set_site_announced(ctx, path, on, r);
                         });
    }
    ctx.provide_names(this);

    sg4::Actor::create("dns", w.control_host(), [this, &ctx] {
      sg4::Actor::self()->daemonize();
      run(ctx);
    });
    ctx.on_sample([this, &ctx](double a, double b) { sample(ctx, a, b); });
  }

  void finish(RunContext& ctx) override {
    if (!core_) return;
    signals(ctx);
  }

  // ---- NameService (users and operators ask; the users model sets the demand)
  Outcome resolve(const std::string& region, const std::string& name) const override {
    Outcome o;
    int g = core_->region_index_any(region);
    int d = core_->demand_index(name);
    if (g < 0 || d < 0) return o; // a name or region the DNS model does not serve: not modelled
    auto r = core_->region_outcome(static_cast<std::size_t>(g), static_cast<std::size_t>(d));
    o.success = r.success;
    o.cause = r.cause;
    o.hijacked = r.hijacked;
    if (r.success < 1) o.failure_answer = answer_name(r.failure);
    return o;
  }

  void set_demand(const std::string& region, const std::string& name, double queries_per_s) override {
    int g = core_->region_index_any(region);
    int d = core_->demand_index(name);
    if (g < 0 || d < 0) return; // not a configured demand name: nobody resolves it here
    core_->set_external_demand(static_cast<std::size_t>(g), static_cast<std::size_t>(d), queries_per_s);
  }

  // A health check's question to a site's servers: it fails while they misbehave for at least half
  // of the queries (one check query; the threshold stands for its odds).
  SiteAnswers check_site(const std::string& site) const override {
    SiteAnswers a;
    auto it = misbehaving_.find(site);
    if (it == misbehaving_.end() || it->second.share < 0.5) return a;
    a.ok = false;
    a.why = "answer " + it->second.answer + " to " +
            std::to_string(int(std::lround(100 * it->second.share))) + " % of queries";
    a.cause = it->second.cause;
    return a;
  }

private:
  std::uint64_t set_site_announced(RunContext& ctx, const std::string& path, bool on,
                                   const sim::ActionRequest& r) {
    // A site may serve several servers (one flat entry each): their withdrawals move together.
    const auto first = std::find(site_paths_.begin(), site_paths_.end(), path);
    if (first == site_paths_.end()) return 0;
    if (on != site_withdrawn_[std::size_t(first - site_paths_.begin())].has_value()) return 0; // no change
    std::uint64_t id = ctx.emit(on ? "dns.site_announced" : "dns.site_withdrawn", path, r.reason, r.cause);
    for (std::size_t i = 0; i < site_paths_.size(); ++i)
      if (site_paths_[i] == path) site_withdrawn_[i] = on ? std::nullopt : std::optional<std::uint64_t>(id);
    forget_reach();
    core_->invalidate_reach();
    return id;
  }

  // dns:SITE ddos (with: rate: queries/s per server address, flood: junk bandwidth at the site) | calm.
  std::uint64_t set_attack(RunContext& ctx, const std::string& path, bool on, const sim::ActionRequest& r) {
    const int g = core_->site_node_index(path);
    if (g < 0) return 0; // no server is served here
    // Values were checked when the scenario was loaded (check_ddos_arguments).
    const auto rate_arg = r.params.find("rate");
    const auto flood_arg = r.params.find("flood");
    const bool has_flood = flood_arg != r.params.end();
    // A flood alone is junk only; with neither argument the attack is ddos_rate queries/s.
    double rate = rate_arg != r.params.end() ? sim::parse_double(rate_arg->second).value_or(ddos_rate_)
                  : has_flood                ? 0
                                             : ddos_rate_;
    double flood = has_flood ? sim::parse_bandwidth(flood_arg->second).value_or(0) : 0;
    const double flood_before = core_->site_node_flood(std::size_t(g));
    // Attacks add up (AttackShares); a `calm` entry of its own, not the end of a `ddos`, stops all.
    AttackShares& shares = attacks_[path];
    if (on) {
      AttackShares::Attack a;
      a.rate = rate;
      a.flood = flood;
      a.start = ctx.now();
      auto duration = [&](const char* key, double fallback) {
        auto it = r.params.find(key);
        return it == r.params.end() ? fallback : sim::parse_duration(it->second).value_or(fallback);
      };
      a.ramp = duration("ramp", 0);
      a.wave_on = duration("wave_on", 0);
      a.wave_off = duration("wave_off", 0);
      a.scrub_after = duration("scrub_after", -1);
      if (auto it = r.params.find("scrub"); it != r.params.end()) {
        a.scrub = sim::parse_double(it->second).value_or(0);
        if (a.scrub_after < 0) a.scrub_after = 0;
      }
      if (auto it = r.params.find("sources"); it != r.params.end()) {
        // The botnet's footprint: this site receives the share its anycast catchment holds.
        std::vector<std::pair<std::size_t, double>> sources;
        for (const auto& [region, share] : parse_sources(it->second).first)
          if (int gi = core_->region_index(region); gi >= 0) sources.emplace_back(std::size_t(gi), share);
        footprints_[{path, r.fault}] = sources;
        a.footprint = true;
        a.catchment = site_catchment(std::size_t(g), sources);
      }
      shares.start(r.fault, a);
    } else if (r.undo) {
      shares.end(r.fault);
    } else {
      shares.clear();
    }
    // The event says what the entries ask for at their peak; the site receives their shape now.
    const AttackShares::Load total = shares.at(ctx.now());
    const AttackShares::Load peak = shares.total();
    rate = total.rate;
    flood = total.flood;
    nlohmann::ordered_json data;
    data["queries_per_s"] = peak.rate;
    if (peak.flood > 0 || flood_before > 0) data["flood_bps"] = peak.flood;
    const std::uint64_t id = ctx.emit(on                ? "dns.attack_start"
                                      : !shares.empty() ? "dns.attack_changed" // another attack goes on
                                                        : "dns.attack_end",
                                      path, r.reason, r.cause, data);
    ctx.world().set_last_change(path, id);
    SiteAttack& sa = site_attacks_[path];
    sa.cause = id;
    sa.on = total.on;
    sa.scrubbing = total.scrubbing;
    const auto& servers = core_->config().servers;
    for (std::size_t s = 0; s < servers.size(); ++s)
      for (std::size_t k = 0; k < servers[s].sites.size(); ++k)
        if (servers[s].sites[k] == path) core_->set_attack(s, k, rate, id);
    core_->set_flood(std::size_t(g), flood, id);
    return id;
  }

  // dns:SITE misbehave (with: answer: servfail|refused|timeout|wrong_address, share: 0..1) | behave.
  std::uint64_t set_misbehave(RunContext& ctx, const std::string& path, bool on,
                              const sim::ActionRequest& r) {
    const int g = core_->site_node_index(path);
    if (g < 0) return 0;
    // Values were checked when the scenario was loaded (check_misbehave_arguments).
    std::string answer = "servfail";
    double share = 1;
    if (auto it = r.params.find("answer"); it != r.params.end()) answer = it->second;
    if (auto it = r.params.find("share"); it != r.params.end())
      share = sim::parse_double(it->second).value_or(1);
    using M = DnsCore::Misbehave;
    const M kind = answer == "refused"         ? M::Refused
                   : answer == "timeout"       ? M::Timeout
                   : answer == "wrong_address" ? M::WrongAddress
                                               : M::ServFail;
    nlohmann::ordered_json data;
    std::string what;
    if (on) {
      data["answer"] = answer;
      data["share"] = share;
      what = "its servers stay up and announced but answer " + answer + " to " +
             std::to_string(int(std::lround(100 * share))) + " % of queries";
    } else {
      what = "its servers answer correctly again";
    }
    const std::uint64_t id = ctx.emit(on ? "dns.misbehave_start" : "dns.misbehave_end", path,
                                      r.reason.empty() ? what : r.reason + "; " + what, r.cause, data);
    ctx.world().set_last_change(path, id);
    core_->set_misbehave(std::size_t(g), on ? kind : M::None, on ? share : 0, id);
    if (on)
      misbehaving_[path] = {answer, share, id};
    else
      misbehaving_.erase(path);
    return id;
  }

  // dns:SITE scale (with: capacity: queries/s per server address at the site); its end restores the
  // configured capacity.
  std::uint64_t scale(RunContext& ctx, const std::string& path, const sim::ActionRequest& r) {
    if (core_->site_node_index(path) < 0) return 0;
    double cap = -1;
    if (auto it = r.params.find("capacity"); it != r.params.end() && !r.undo)
      cap = sim::parse_double(it->second).value_or(-1);
    const auto& servers = core_->config().servers;
    nlohmann::ordered_json data;
    for (std::size_t s = 0; s < servers.size(); ++s)
      for (std::size_t k = 0; k < servers[s].sites.size(); ++k)
        if (servers[s].sites[k] == path) {
          core_->set_capacity(s, k, cap);
          data["queries_per_s"] = cap < 0 ? servers[s].capacity : cap;
        }
    char num[32];
    std::snprintf(num, sizeof num, "%g", cap);
    const std::string what = cap < 0
                                 ? "its servers' capacity is back to what is configured"
                                 : std::string("its servers answer up to ") + num + " queries/s per address";
    const std::uint64_t id = ctx.emit("dns.capacity_changed", path,
                                      r.reason.empty() ? what : r.reason + "; " + what, r.cause, data);
    ctx.world().set_last_change(path, id);
    return id;
  }

  // zone:NAME delete|restore (with: name: N for one record), undelegate|delegate.
  std::uint64_t zone_action(RunContext& ctx, const std::string& path, const sim::ActionRequest& r) {
    const std::string zone = path.substr(5);
    const int z = core_->zone_index(zone);
    if (z < 0) return 0;
    const bool on = r.action == "delete" || r.action == "undelegate";
    std::string type, what;
    bool changed = false;
    if (r.action == "delete" || r.action == "restore") {
      if (auto it = r.params.find("name"); it != r.params.end()) {
        const int n = core_->name_index(it->second);
        if (n < 0) return 0;
        changed = core_->set_record_deleted(std::size_t(n), on, r.cause);
        type = on ? "dns.record_deleted" : "dns.record_restored";
        what = it->second + (on ? ": its servers answer NXDOMAIN" : ": answered again");
      } else {
        changed = core_->set_zone_deleted(std::size_t(z), on, r.cause);
        type = on ? "dns.zone_deleted" : "dns.zone_restored";
        what = on ? "its records are deleted: its servers answer NXDOMAIN for every name in it"
                  : "its records are back";
      }
    } else {
      changed = core_->set_delegated(std::size_t(z), !on, r.cause);
      type = on ? "dns.delegation_removed" : "dns.delegation_restored";
      what = on ? "the parent answers NXDOMAIN once cached NS sets expire" : "the parent delegates it again";
    }
    if (!changed) return 0;
    std::uint64_t id = ctx.emit(type, path, r.reason.empty() ? what : r.reason + "; " + what, r.cause);
    ctx.world().set_last_change(path, id);
    return id;
  }

  // resolver:ID poison (with: name: N, ttl: D) | flush (with: name: N).
  std::uint64_t resolver_action(RunContext& ctx, const std::string& path, const sim::ActionRequest& r) {
    const int res = core_->resolver_index(path);
    auto it = r.params.find("name");
    if (res < 0 || it == r.params.end()) return 0;
    const int n = core_->name_index(it->second);
    if (n < 0) return 0;
    nlohmann::ordered_json data;
    data["name"] = it->second;
    if (r.action == "poison") {
      double ttl = 86400;
      if (auto t = r.params.find("ttl"); t != r.params.end())
        if (auto v = sim::parse_duration(t->second)) ttl = *v;
      core_->poison(std::size_t(res), std::size_t(n), ctx.now(), ttl);
      data["ttl_s"] = ttl;
      return ctx.emit("dns.cache_poisoned", path,
                      (r.reason.empty() ? "" : r.reason + "; ") + it->second +
                          " cached with a forged address",
                      r.cause, data);
    }
    core_->flush(std::size_t(res), std::size_t(n));
    return ctx.emit("dns.cache_flushed", path,
                    (r.reason.empty() ? "" : r.reason + "; ") + it->second + " flushed", r.cause, data);
  }

  // Reachability of (resolver, site) pairs, kept across steps: by indices, each pair computed when
  // the core first asks after a change, and the route lookups it reads shared per (source AS,
  // address) as "route slots".
  struct PairReach {
    Reach value;
    bool valid = false; ///< value holds until the world's state, a withdrawal or its route changes
  };
  struct RouteSlot {
    std::uint32_t asn = 0, address = 0; ///< the lookup: from this AS to this address
    bool asked = false;                 ///< asked since the last reset (answer holds its answer)
    sim::RouteAnswer answer;
    std::vector<std::pair<std::size_t, std::size_t>> users; ///< the (resolver, server) pairs reading it
  };

  // Builds the pair table and the route slots (sorted by (AS, address)).
  void index_reach(const sim::World& w) {
    const auto& servers = core_->config().servers;
    site_withdrawn_.assign(site_paths_.size(), std::nullopt);
    pair_reach_.assign(resolver_nodes_.size() * site_paths_.size(), PairReach{});
    pair_slot_.assign(resolver_nodes_.size() * servers.size(), -1);
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::pair<std::size_t, std::size_t>>> keys;
    for (std::size_t r = 0; r < resolver_nodes_.size(); ++r)
      for (std::size_t s = 0; s < servers.size(); ++s)
        if (w.node(resolver_nodes_[r]).asn && servers[s].address)
          keys[{*w.node(resolver_nodes_[r]).asn, *servers[s].address}].emplace_back(r, s);
    for (auto& [key, users] : keys) {
      RouteSlot slot;
      slot.asn = key.first;
      slot.address = key.second;
      for (const auto& [r, s] : users)
        pair_slot_[slot_index(r, s)] = int(route_slots_.size());
      slot.users = std::move(users);
      route_slots_.push_back(std::move(slot));
    }
  }

  // Where pair_slot_ keeps the route slot of (resolver r, server s).
  std::size_t slot_index(std::size_t r, std::size_t s) const { return r * site_nodes_.size() + s; }

  // Forgets every pair's reachability (the world's state or a site's announcement changed); the
  // caller resets the route slots when their answers may be stale too.
  void forget_reach() {
    for (auto& p : pair_reach_)
      p.valid = false;
  }

  Reach reach(RunContext& ctx, std::size_t r, std::size_t s, std::size_t k) {
    PairReach& p = pair_reach_[r * site_paths_.size() + flat_base_[s] + k];
    if (p.valid) return p.value;
    bool lasting = true;
    Reach out = compute_reach(ctx, r, s, k, lasting);
    if (lasting) {
      p.value = out;
      p.valid = true;
    }
    return out;
  }

  // What reach_site (SiteReach.hpp) decides on, read from the world: only what it will read.
  // `lasting` is cleared when the answer reads an event id (why a site or a path is down) that may
  // change while nothing else does: such an answer is not kept.
  Reach compute_reach(RunContext& ctx, std::size_t r, std::size_t s, std::size_t k, bool& lasting) {
    auto& w = ctx.world();
    const std::size_t from = resolver_nodes_[r], to = site_nodes_[s][k], i = flat_base_[s] + k;
    SiteReachInput in;
    in.site_path = site_paths_[i];
    in.site_up = w.node_up(to);
    if (!in.site_up) {
      lasting = false;
      in.site_change = w.last_change(in.site_path);
      return reach_site(in);
    }
    in.latency = path_latency(w, from, to);
    in.withdrawn = site_withdrawn_[i];
    const sim::RouteService* routes = ctx.routes();
    const int slot = pair_slot_[slot_index(r, s)];
    if (routes && slot >= 0 && w.node(to).asn) {
      // Every site of an anycast address shares the lookup of one source AS.
      RouteSlot& rs = route_slots_[std::size_t(slot)];
      if (!rs.asked) {
        rs.answer = routes->route_lookup(rs.asn, rs.address);
        rs.asked = true;
      }
      in.route = &rs.answer;
      in.site_asn = *w.node(to).asn;
    } else if (!in.latency && !in.withdrawn) {
      lasting = false;
      for (const auto& c : w.cut_from(from, to))
        in.cut.emplace_back(c, w.last_change(c));
    }
    return reach_site(in);
  }

  // Every field of Reach (DnsCore.hpp) the same: keep it in step with the struct.
  static bool same_reach(const Reach& a, const Reach& b) {
    return a.ok == b.ok && a.latency == b.latency && a.reason == b.reason && a.cause == b.cause &&
           a.no_route == b.no_route && a.hijacked_by == b.hijacked_by && a.attracted_by == b.attracted_by &&
           a.delivered == b.delivered && a.loss == b.loss;
  }

  // Latency of the shortest path over what is up now, nullopt without one. Memoised until a node or
  // link changes state (routes from BGP change every step; the topology's paths do not).
  std::optional<double> path_latency(const sim::World& w, std::size_t from, std::size_t to) {
    auto key = std::make_pair(from, to);
    auto it = paths_.find(key);
    if (it == paths_.end()) {
      auto p = w.shortest_path(from, to);
      it = paths_.emplace(key, p ? std::optional<double>(p->latency) : std::nullopt).first;
    }
    return it->second;
  }

  // The up/down state of every node and link: reachability is recomputed only when it changes.
  std::vector<char> signature(RunContext& ctx) const {
    auto& w = ctx.world();
    std::vector<char> sig(w.node_count() + w.link_count());
    for (std::size_t i = 0; i < w.node_count(); ++i)
      sig[i] = w.node_up(i);
    for (std::size_t i = 0; i < w.link_count(); ++i)
      sig[w.node_count() + i] = w.link_up(i);
    return sig;
  }

  // Brings the route answers the pairs read up to date (with the state of nodes and links and the
  // sites' announcements, they are all reachability depends on). Asks nothing while the route
  // service's version stands; otherwise asks every route slot asked so far again and recomputes the
  // kept pairs of those whose answer moved. Returns whether a kept pair's reachability changed (the
  // core must ask again), or whether everything was forgotten (forget_reach) as when the state changes.
  bool routes_changed(RunContext& ctx) {
    const sim::RouteService* routes = ctx.routes();
    if (!routes) return false;
    bool any = false;
    for (const auto& rs : route_slots_)
      any = any || rs.asked;
    if (!any) return false;
    if (const std::uint64_t v = routes->routes_version(); v != 0 && v == routes_seen_) return false;
    bool changed = false, moved = false, delivered = false;
    const std::size_t flat = site_paths_.size();
    for (auto& rs : route_slots_) {
      if (!rs.asked) continue;
      sim::RouteAnswer a = routes->route_lookup(rs.asn, rs.address);
      const bool differs = a != rs.answer;
      if (differs && !moved && !delivered && a.status != sim::RouteAnswer::Status::Delivered) {
        // Asking the others now could do what the route service does on the first delivered lookup
        // of a date (close its data plane's tick, with events) before this step's other events:
        // forget them all instead, and let the pairs ask when used, as before the slots existed.
        for (auto& other : route_slots_)
          other.asked = false;
        forget_reach();
        return true;
      }
      delivered = delivered || a.status == sim::RouteAnswer::Status::Delivered;
      if (!differs) continue;
      moved = true;
      rs.answer = std::move(a);
      for (const auto& [r, s] : rs.users)
        for (std::size_t k = 0; k < site_nodes_[s].size(); ++k) {
          PairReach& p = pair_reach_[r * flat + flat_base_[s] + k];
          if (!p.valid) continue;
          bool lasting = true;
          Reach now = compute_reach(ctx, r, s, k, lasting);
          if (!lasting) {
            p.valid = false;
            changed = true;
          } else if (!same_reach(now, p.value)) {
            p.value = std::move(now);
            changed = true;
          }
        }
    }
    routes_seen_ = routes->routes_version();
    return changed;
  }

  void run(RunContext& ctx) {
    const double end = ctx.end();
    const double sample = ctx.scenario().info.sample;
    double t = 0;
    while (t < end - 1e-9) {
      double next_tick = (std::floor(t / tick_ + 1e-9) + 1) * tick_;
      double next_sample = (std::floor(t / sample + 1e-9) + 1) * sample;
      double next = std::min({next_tick, next_sample, end});
      sg4::this_actor::sleep_until(t);
      // Let faults due at this instant act first. The fault player switches one node or link per
      // simcall, so yield until a yield changes nothing. The world's state version tells when the
      // state cannot have changed (the signature is compared only when it moved).
      auto& w = ctx.world();
      std::uint64_t version = w.state_version();
      std::vector<char> sig = version == signature_version_ ? signature_ : signature(ctx);
      for (int i = 0; i < 1000000; ++i) {
        sg4::this_actor::yield();
        if (w.state_version() == version) break;
        version = w.state_version();
        auto again = signature(ctx);
        if (again == sig) break;
        sig = std::move(again);
      }
      const bool state_changed = sig != signature_;
      if (state_changed) {
        paths_.clear();
        forget_crashed(ctx, sig);
        forget_reach();
        for (auto& rs : route_slots_)
          rs.asked = false;
        signature_ = std::move(sig);
      }
      signature_version_ = version;
      if (state_changed || routes_changed(ctx)) core_->invalidate_reach();
      refresh_access_links(ctx);
      reshape_attacks(ctx, t);
      core_->step(t, next);
      for (const auto& e : core_->take_events()) {
        nlohmann::ordered_json data;
        if (!e.name.empty()) data["name"] = e.name;
        for (const auto& [key, value] : e.numbers)
          data[key] = value;
        if (!e.steps.empty()) data["steps"] = e.steps;
        ctx.emit(e.type, e.subject, e.reason, e.cause, data);
      }
      t = next;
    }
  }

  // Attacks with a shape (ramp, waves, scrubbing): what each site receives in the step starting at t.
  // A wave that starts or ends, and scrubbing that begins, are events (caused by the attack's start).
  void reshape_attacks(RunContext& ctx, double t) {
    for (auto& [path, shares] : attacks_) {
      if (!shares.shaped()) continue;
      const int g = core_->site_node_index(path);
      if (g < 0) continue;
      // Footprints follow the routes: a site that withdraws, or a route that changes, moves bots.
      for (auto& [fault, a] : shares.attacks())
        if (a.footprint)
          if (auto it = footprints_.find({path, fault}); it != footprints_.end())
            a.catchment = site_catchment(std::size_t(g), it->second);
      SiteAttack& sa = site_attacks_[path];
      const AttackShares::Load l = shares.at(t);
      nlohmann::ordered_json data;
      data["queries_per_s"] = l.rate;
      if (l.flood > 0) data["flood_bps"] = l.flood;
      if (l.on != sa.on)
        ctx.emit(l.on ? "dns.attack_wave_start" : "dns.attack_wave_end", path,
                 l.on ? "the attack comes back" : "the attack pauses between waves", sa.cause, data);
      if (l.scrubbing && !sa.scrubbing)
        ctx.emit("dns.scrubbing_start", path,
                 "the operators' scrubbing service drops its share of the attack traffic before the site's "
                 "links",
                 sa.cause, data);
      sa.on = l.on;
      sa.scrubbing = l.scrubbing;
      const auto& servers = core_->config().servers;
      for (std::size_t s = 0; s < servers.size(); ++s)
        for (std::size_t k = 0; k < servers[s].sites.size(); ++k)
          if (servers[s].sites[k] == path) core_->set_attack(s, k, l.rate, sa.cause);
      core_->set_flood(std::size_t(g), l.flood, sa.cause);
    }
  }

  // The share of a botnet with these sources (region index, share of the bots) that anycast brings to
  // site node g: over the server addresses served there (the bots aim at every address alike), the
  // mean of what the regions' catchments send to this site.
  double site_catchment(std::size_t g, const std::vector<std::pair<std::size_t, double>>& sources) {
    const auto& servers = core_->config().servers;
    double sum = 0;
    int addresses = 0;
    for (std::size_t s = 0; s < servers.size(); ++s)
      for (std::size_t k = 0; k < servers[s].sites.size(); ++k)
        if (servers[s].sites[k] == core_->site_node(g)) {
          ++addresses;
          for (const auto& [region, share] : sources)
            sum += share * core_->catchment(region, s)[k];
        }
    return addresses > 0 ? sum / addresses : 0;
  }

  // Resolvers that crashed since the last step lose their caches (a graceful stop, `down`, keeps
  // them): told apart by the event that took the node down.
  void forget_crashed(RunContext& ctx, const std::vector<char>& sig) {
    auto& w = ctx.world();
    for (std::size_t i = 0; i < w.node_count() && i < signature_.size(); ++i) {
      if (sig[i] || !signature_[i] || w.node(i).kind != EntityKind::Resolver) continue;
      const std::string path = w.node(i).path();
      const sim::Event* e = ctx.events().find(w.last_change(path));
      const int res = core_->resolver_index(path);
      if (e && e->type == "node.crashed" && res >= 0) core_->forget_all(std::size_t(res));
    }
  }

  // Capacity (SimGrid holds bytes/s: World::build_platform divides the scenario's bits/s by 8) and
  // state of every site's access links, as they are now.
  void refresh_access_links(RunContext& ctx) {
    auto& w = ctx.world();
    if (!w.has_platform()) return;
    for (std::size_t g = 0; g < access_links_.size(); ++g) {
      // Unchanged (the usual case): nothing to set.
      const std::vector<AccessLink>& now = core_->access_links(g);
      bool same = now.size() == access_links_[g].size();
      for (std::size_t j = 0; same && j < now.size(); ++j) {
        const std::size_t l = access_links_[g][j];
        same = now[j].capacity_bps == w.sg_link(l)->get_bandwidth() * 8 && now[j].up == w.link_up(l);
      }
      if (same) continue;
      std::vector<AccessLink> links;
      for (std::size_t l : access_links_[g])
        links.push_back({w.link(l).path(), w.sg_link(l)->get_bandwidth() * 8, w.link_up(l)});
      core_->set_access_links(g, std::move(links));
    }
  }

  void sample(RunContext& ctx, double a, double b) {
    std::size_t k = static_cast<std::size_t>(std::floor(a / core_->sample_interval() + 1e-9));
    const SampleStats& st = core_->sample(k);
    double len = b - a;
    if (len <= 0) return;
    auto& tl = ctx.timeline();
    const auto& cfg = core_->config();
    if (sample_ids_.empty()) {
      // The series recorded at every sample, interned once in the order they are recorded.
      for (std::size_t r = 0; r < cfg.resolvers.size(); ++r) {
        sample_ids_.push_back(tl.series_id(cfg.resolvers[r].node, "", "queries_per_s"));
        for (std::size_t x = 0; x < kAnswerKinds; ++x)
          sample_ids_.push_back(tl.series_id(cfg.resolvers[r].node, "",
                                             std::string(answer_name(static_cast<Answer>(x))) + "_per_s"));
      }
      for (std::size_t d = 0; d < cfg.names.size(); ++d) {
        const std::string svc = "name:" + cfg.names[d].name;
        sample_ids_.push_back(tl.series_id("", svc, "queries_per_s"));
        sample_ids_.push_back(tl.series_id("", svc, "resolution_success"));
      }
      for (std::size_t s = 0; s < cfg.servers.size(); ++s)
        for (std::size_t x = 0; x < cfg.servers[s].sites.size(); ++x)
          for (const char* metric : {"queries_per_s", "sent_per_s", "dropped_per_s"})
            sample_ids_.push_back(tl.series_id(cfg.servers[s].sites[x], "", metric));
    }
    auto id = sample_ids_.begin();
    for (std::size_t r = 0; r < cfg.resolvers.size(); ++r) {
      tl.add(a, *id++, st.resolver_attempts[r] / len);
      for (std::size_t x = 0; x < kAnswerKinds; ++x)
        tl.add(a, *id++, st.resolver_answers[r][x] / len);
    }
    for (std::size_t d = 0; d < cfg.names.size(); ++d) {
      const auto& pn = st.names[d];
      double fails = 0;
      for (std::size_t x = 0; x < kAnswerKinds; ++x)
        if (is_failure(static_cast<Answer>(x))) fails += pn.answers[x];
      tl.add(a, *id++, pn.attempts / len);
      tl.add(a, *id++, pn.attempts > 0 ? 1 - fails / pn.attempts : 1);
    }
    for (std::size_t s = 0; s < cfg.servers.size(); ++s)
      for (std::size_t x = 0; x < cfg.servers[s].sites.size(); ++x) {
        const auto& ps = st.sites[s][x];
        tl.add(a, *id++, (ps.arrived + ps.attack) / len);
        tl.add(a, *id++, ps.sent / len);
        tl.add(a, *id++, ps.dropped / len);
      }
    // Retry amplification per zone: legitimate queries sent to its servers over their no-fault level.
    for (std::size_t z = 0; z < cfg.zones.size() && z < st.zones.size(); ++z)
      if (st.zones[z].base > 0)
        tl.add(a, "zone:" + cfg.zones[z].name, "", "retry_amplification",
               st.zones[z].sent / st.zones[z].base);
    // Access links, only those aimed at by an attack or congested in the interval (a small file).
    for (std::size_t g = 0; g < st.links.size(); ++g)
      for (std::size_t i = 0; i < st.links[g].size(); ++i) {
        const auto& pl = st.links[g][i];
        if (!pl.attacked && !pl.congested) continue;
        const std::string& link = core_->access_links(g).at(i).path;
        tl.add(a, link, "", "offered_bps", pl.offered / len);
        tl.add(a, link, "", "delivered_share", pl.offered > 0 ? pl.delivered / pl.offered : 1);
      }
  }

  void signals(RunContext& ctx) {
    const auto& cfg = core_->config();
    const double step = core_->sample_interval();
    const std::size_t n = core_->sample_count();
    for (std::size_t d = 0; d < cfg.names.size(); ++d) {
      std::string subject = "name:" + cfg.names[d].name;
      std::optional<double> fail_start, recovered;
      // Failure answers: those of the failure period; without one, those of every sample where more
      // than 5 % of resolutions fail (a partial failure still tells what failing users get).
      std::array<double, kAnswerKinds> failing{}, partial{};
      double tld_peak = 0, auth_peak = 0, attack_peak = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const auto& pn = core_->sample(k).names[d];
        if (pn.tld_base > 0)
          tld_peak = std::max(tld_peak, (pn.tld_base + pn.tld_failure_driven) / pn.tld_base);
        // Legitimate queries (resolvers' first tries and retries) over their normal level, as an
        // operator reports a retry storm ("10-20x normal traffic volume", Dyn 2016). Attack traffic
        // is not a multiple of that level (the level depends on the records' TTLs and the number of
        // caches, not on the attack): it is a signal of its own, in bits/s, as DDoS reports give it.
        if (pn.auth_base > 0)
          auth_peak = std::max(auth_peak, (pn.auth_base + pn.auth_failure_driven) / pn.auth_base);
        // Per second of the sample: the last one may be shorter than the interval.
        const double len = std::min(step, ctx.end() - double(k) * step);
        if (len > 0) attack_peak = std::max(attack_peak, pn.auth_attack_bits / len);
        if (pn.attempts <= 0) continue;
        double fails = 0;
        for (std::size_t x = 0; x < kAnswerKinds; ++x)
          if (is_failure(static_cast<Answer>(x))) fails += pn.answers[x];
        double ratio = fails / pn.attempts;
        if (!fail_start && ratio >= 0.5) fail_start = k * step;
        if (fail_start && !recovered && ratio <= 0.05) recovered = k * step;
        for (std::size_t x = 0; x < kAnswerKinds; ++x)
          if (is_failure(static_cast<Answer>(x))) {
            if (fail_start && !recovered) failing[x] += pn.answers[x];
            if (ratio > 0.05) partial[x] += pn.answers[x];
          }
      }
      // Times that never came are null ("never" in scores): the signal is computed, the event absent.
      ctx.add_signal({"dns.resolution_fail_start", subject, "time", sim::or_never(fail_start)});
      const auto& counted = fail_start ? failing : partial;
      double total = 0;
      for (double v : counted)
        total += v;
      nlohmann::ordered_json set = nlohmann::ordered_json::array();
      for (std::size_t x = 0; x < kAnswerKinds; ++x)
        if (total > 0 && counted[x] >= 0.01 * total) set.push_back(answer_name(static_cast<Answer>(x)));
      ctx.add_signal({"dns.failure_answer", subject, "set", set});
      ctx.add_signal({"dns.resolution_recovered", subject, "time", sim::or_never(recovered)});
      if (tld_peak > 0) ctx.add_signal({"tld.query_multiplier_peak", subject, "number", round3(tld_peak)});
      if (auth_peak > 0) ctx.add_signal({"auth.query_multiplier_peak", subject, "number", round3(auth_peak)});
      ctx.add_signal({"auth.attack_bps_peak", subject, "number", std::round(attack_peak)});
    }
    // dns.retry_amplification per zone: the peak, over a sliding window of 15 minutes (a few TTLs of
    // refreshes: one sample of a cache that refreshes once a minute is 0 or 2 times its mean), of the
    // legitimate queries the resolvers sent to the zone's servers (timeouts re-sent, other servers of
    // the NS set, stub retries that start new resolutions) over what they send with every server
    // answering. 1: no amplification.
    const std::size_t window = std::max<std::size_t>(1, std::size_t(std::ceil(900 / step - 1e-9)));
    for (std::size_t z = 0; z < cfg.zones.size(); ++z) {
      double peak = 0, sent = 0, base = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const auto& zs = core_->sample(k).zones;
        if (z >= zs.size()) continue;
        sent += zs[z].sent;
        base += zs[z].base;
        if (k >= window && z < core_->sample(k - window).zones.size()) {
          sent -= core_->sample(k - window).zones[z].sent;
          base -= core_->sample(k - window).zones[z].base;
        }
        if (k + 1 >= window && base > 1e-12) peak = std::max(peak, sent / base);
      }
      if (n < window && base > 1e-12) peak = sent / base; // a run shorter than the window: its mean
      if (peak > 0 || base > 0)
        ctx.add_signal({"dns.retry_amplification", "zone:" + cfg.zones[z].name, "number", round3(peak)});
    }
    std::set<std::string> groups{"all"};
    for (const auto& r : cfg.resolvers)
      groups.insert(r.group);
    for (const auto& g : groups) {
      double peak = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const auto& st = core_->sample(k);
        double base = 0, att = 0;
        for (std::size_t r = 0; r < cfg.resolvers.size(); ++r)
          if (g == "all" || cfg.resolvers[r].group == g) {
            base += st.resolver_base[r];
            att += st.resolver_attempts[r];
          }
        if (base > 0) peak = std::max(peak, att / base);
      }
      ctx.add_signal({"resolver.query_multiplier_peak", "resolver:" + g, "number", round3(peak)});
    }
  }

  static double round3(double v) { return std::round(v * 1000) / 1000; }

  std::unique_ptr<DnsCore> core_;
  std::vector<sim::Timeline::SeriesId> sample_ids_; ///< series recorded at every sample (sample())
  std::vector<std::size_t> resolver_nodes_;
  std::vector<std::vector<std::size_t>> site_nodes_;
  // Per core site node: the topology links incident to it.
  std::vector<std::vector<std::size_t>> access_links_;
  std::vector<char> signature_;
  std::uint64_t signature_version_ = ~std::uint64_t{0}; // the world's state version signature_ is of
  std::map<std::string, AttackShares> attacks_;    // site path -> its running attacks
  struct SiteAttack {
    std::uint64_t cause = 0; ///< the last attack change's event
    bool on = false, scrubbing = false;
  };
  std::map<std::string, SiteAttack> site_attacks_; // site path -> wave and scrubbing state
  struct Misbehaving {
    std::string answer;
    double share = 0;
    std::uint64_t cause = 0;
  };
  std::map<std::string, Misbehaving> misbehaving_; // site path -> what its servers answer wrongly
  // (site path, entry) -> the botnet's sources (region index, share of the bots)
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<std::size_t, double>>> footprints_;
  // Reachability kept across steps (reach(), routes_changed()).
  std::vector<std::size_t> flat_base_;                       ///< server -> its first flat site index
  std::vector<std::string> site_paths_;                      ///< flat site -> its node's path
  std::vector<std::optional<std::uint64_t>> site_withdrawn_; ///< flat site -> its withdrawal's event
  std::vector<PairReach> pair_reach_;                        ///< resolver * flat sites + flat site
  std::vector<RouteSlot> route_slots_;                       ///< by (AS, address)
  std::vector<int> pair_slot_;    ///< resolver * servers + server -> its route slot, -1: none
  std::uint64_t routes_seen_ = 0; ///< the route service's version the slots were last checked at
  std::map<std::pair<std::size_t, std::size_t>, std::optional<double>> paths_; // (from, to) -> latency
  double tick_ = 10, ddos_rate_ = 1e6;
  const DnsModelConfig& config_; // held by the scenario for the run
};

// The `with:` values of every ddos fault (the loader checks their keys, not their values): rate a
// number of queries/s, flood a bandwidth. Errors point at the value.
void check_ddos_arguments(const sim::Scenario& s, sim::Diagnostics& d) {
  for (const auto& f : s.faults) {
    if (f.action != "ddos" || f.target.rfind("dns:", 0) != 0 || f.params.empty()) continue;
    const sim::YamlNode* with = f.with.get();
    const std::string what = "fault '" + f.id + "' ddos";
    for (const auto& [key, value] : f.params) {
      const sim::YamlNode* v = with ? with->find(key) : nullptr;
      if (key == "rate") {
        if (v)
          (void)sim::read_number(*v, what + " 'rate'", d, 0, 1e12);
        else if (auto x = sim::parse_double(value); !x || *x < 0 || *x > 1e12)
          d.error(f.params_mark, what + " 'rate' is '" + value + "'; expected a number between 0 and 1e+12");
      } else if (key == "ramp" || key == "wave_on" || key == "wave_off" || key == "scrub_after") {
        if (v)
          (void)sim::read_duration(*v, what + " '" + key + "'", d);
        else if (auto x = sim::parse_duration(value); !x || *x < 0)
          d.error(f.params_mark, what + " '" + key + "' is '" + value + "'; expected a duration such as 10m");
      } else if (key == "sources") {
        const auto [parsed, problem] = parse_sources(value);
        const sim::Mark& at = v ? v->mark : f.params_mark;
        if (!problem.empty())
          d.error(at, what + " 'sources' " + problem);
        else
          for (const auto& [region, share] : parsed)
            if (!s.find_node(region))
              d.error(at, what + " 'sources' names " + region + ", which is not a declared region");
      } else if (key == "scrub") {
        if (v)
          (void)sim::read_number(*v, what + " 'scrub'", d, 0, 1);
        else if (auto x = sim::parse_double(value); !x || *x < 0 || *x > 1)
          d.error(f.params_mark, what + " 'scrub' is '" + value + "'; expected a number between 0 and 1");
      } else if (key == "flood") {
        if (v)
          (void)sim::read_bandwidth(*v, what + " 'flood'", d);
        else if (auto x = sim::parse_bandwidth(value); !x || *x <= 0)
          d.error(f.params_mark, what + " 'flood' is '" + value +
                                     "'; expected a bandwidth such as 10Gbps, 100Mbps, 64kbps (positive)");
      }
    }
    // Waves need both halves of their cycle.
    if (f.params.count("wave_on") != f.params.count("wave_off"))
      d.error(f.params_mark, what + " has " + (f.params.count("wave_on") ? "'wave_on'" : "'wave_off'") +
                                 " without " + (f.params.count("wave_on") ? "'wave_off'" : "'wave_on'") +
                                 "; expected both (waves of wave_on, pauses of wave_off) or neither");
  }
}

// The `with:` values of every misbehave fault: answer one of four words, share a number in [0, 1].
void check_misbehave_arguments(const sim::Scenario& s, sim::Diagnostics& d) {
  for (const auto& f : s.faults) {
    if (f.action != "misbehave" || f.target.rfind("dns:", 0) != 0) continue;
    const std::string what = "fault '" + f.id + "' misbehave";
    const sim::YamlNode* with = f.params.empty() ? nullptr : f.with.get();
    for (const auto& [key, value] : f.params) {
      const sim::YamlNode* v = with ? with->find(key) : nullptr;
      const sim::Mark& at = v ? v->mark : f.params_mark;
      if (key == "answer" && value != "servfail" && value != "refused" && value != "timeout" &&
          value != "wrong_address")
        d.error(at, what + " 'answer' is '" + value +
                        "'; expected one of servfail, refused, timeout, wrong_address");
      if (key == "share")
        if (auto x = sim::parse_double(value); !x || *x < 0 || *x > 1)
          d.error(at, what + " 'share' is '" + value + "'; expected a number between 0 and 1");
    }
  }
}

// References of the timeline and of `models.dns.trace` that must name something: a name deleted from
// or restored to a zone lies inside that zone; a ddos flood needs the access links it fills; the
// traced region and name exist.
void check_dns_references(const sim::Scenario& s, const DnsConfig& c, sim::Diagnostics& d) {
  auto in_zone = [](const std::string& name, const std::string& zone) {
    return name == zone || (name.size() > zone.size() &&
                            name.compare(name.size() - zone.size(), zone.size(), zone) == 0 &&
                            name[name.size() - zone.size() - 1] == '.');
  };
  for (const auto& f : s.faults) {
    const std::string what = f.id.empty() ? "fault " + f.target + " " + f.action : "fault '" + f.id + "'";
    if (f.target.rfind("zone:", 0) == 0 && (f.action == "delete" || f.action == "restore")) {
      auto name = f.params.find("name");
      if (name == f.params.end()) continue;
      for (const auto& z : c.zones)
        if (sim::glob_match(f.target, "zone:" + z.name) && !in_zone(name->second, z.name))
          d.error(f.params_mark, what + " " + f.action + "s name '" + name->second + "', which is not inside zone '" +
                                     z.name + "'; expected a name under " + z.name);
    }
    // A name no zone holds has no cache entry to forge or forget: the fault would do nothing.
    if (f.target.rfind("resolver:", 0) == 0 && (f.action == "poison" || f.action == "flush")) {
      auto name = f.params.find("name");
      if (name != f.params.end() &&
          std::none_of(c.zones.begin(), c.zones.end(), [&](const ZoneSpec& z) { return in_zone(name->second, z.name); })) {
        std::vector<std::string> zones;
        for (const auto& z : c.zones)
          zones.push_back(z.name);
        d.error(f.params_mark, what + (f.action == "poison" ? " poisons" : " flushes") + " name '" + name->second +
                                   "', which is inside no zone of dns.zones; expected a name under one of: " +
                                   sim::join(zones));
      }
      auto ttl = f.params.find("ttl");
      if (f.action == "poison" && ttl != f.params.end() && !(sim::parse_duration(ttl->second) > 0.0))
        d.error(f.params_mark, what + " poison ttl is '" + ttl->second +
                                   "'; expected a duration of more than 0s, such as 1h (the forged answer's TTL)");
    }
    if (f.target.rfind("dns:", 0) == 0 && f.action == "ddos" && f.params.count("flood")) {
      for (const auto& n : s.nodes) {
        std::string path = n.path();
        if (!sim::glob_match(f.target, path)) continue;
        bool linked = std::any_of(s.links.begin(), s.links.end(),
                                  [&](const sim::LinkSpec& l) { return l.a == path || l.b == path; });
        if (!linked)
          d.error(f.target_mark, what + " floods " + path +
                                     ", which has no access link in the topology; expected a link with " + path +
                                     " as one end (the flood fills the site's access links)");
      }
    }
  }
  // models.dns.trace: 'REGION NAME' (reported at the dns: section: parameters keep no place).
  auto params = s.params.find("dns");
  std::string spec = params == s.params.end() ? "" : params->second.text("trace");
  const sim::YamlNode* section = s.section("dns");
  sim::Mark at = section ? section->mark : sim::Mark{std::make_shared<const std::string>(s.file), 1, 1};
  if (!spec.empty()) {
    auto space = spec.find(' ');
    std::string region = spec.substr(0, space);
    std::string name = space == std::string::npos ? "" : spec.substr(space + 1);
    std::string path = region.rfind("region:", 0) == 0 ? region : "region:" + region;
    bool region_ok = std::any_of(s.nodes.begin(), s.nodes.end(), [&](const sim::NodeSpec& n) {
      return n.kind == sim::EntityKind::Region && n.path() == path;
    });
    bool name_ok = std::any_of(c.names.begin(), c.names.end(), [&](const DemandSpec& n) { return n.name == name; });
    if (!region_ok)
      d.error(at, "models.dns 'trace' region '" + region +
                               "' names no declared region; expected 'REGION NAME' with a region of the topology");
    if (!name_ok)
      d.error(at, "models.dns 'trace' name '" + name +
                               "' is not one of dns.names; expected 'REGION NAME' with a name users look up");
  }
}

} // namespace

sim::ModelInfo dns_model_info() {
  using sim::ParamType;
  sim::ModelInfo m;
  m.name = "dns";
  m.doc = "Authoritative, TLD and recursive DNS as a fluid model: caches with TTLs, negative and SERVFAIL "
          "caching, serve-stale, retries over the NS set, capacities; reads the top-level 'dns:' section.";
  m.params = {
      {"tick", ParamType::Duration, "10s", "s",
       "step of the fluid model (it also steps at every sample boundary)", 0.1, 3600},
      {"timeout", ParamType::Duration, "800ms", "s", "resolver's first timeout per query to a server", 0.01,
       60},
      {"backoff", ParamType::Number, "2", "1", "timeout multiplier per round over the NS set", 1, 10},
      {"server_retries", ParamType::Integer, "1", "rounds", "extra rounds over the NS set after the first", 0,
       10},
      {"servfail_ttl", ParamType::Duration, "1s", "s", "how long a resolver caches a SERVFAIL (0: never)", 0,
       3600},
      {"serve_stale", ParamType::Bool, "false", "", "RFC 8767: answer expired data when servers fail", 0, 1},
      {"max_stale", ParamType::Duration, "1d", "s", "how long after expiry stale data may be served", 0,
       30 * 86400.0},
      {"stale_refresh", ParamType::Duration, "30s", "s", "time between refresh tries while serving stale", 1,
       3600},
      {"coalesce", ParamType::Bool, "true", "",
       "identical queries in flight wait for one upstream resolution", 0, 1},
      {"refetch_delegation", ParamType::Bool, "false", "",
       "after a whole NS set failed, ask the parent (TLD) for the delegation again (every failed cycle)", 0,
       1},
      {"infra_holddown", ParamType::Duration, "0s", "s",
       "after every server of a zone timed out or had no route, a cache answers SERVFAIL without asking "
       "them again for this long (Unbound infra-host-ttl with infra-keep-probing off: 900s); 0: off",
       0, 86400},
      {"resolution_budget", ParamType::Duration, "10s", "s",
       "time budget of one resolution: no upstream query is sent past it, and the client gets SERVFAIL "
       "(Knot Resolver KR_RESOLVE_TIME_LIMIT 10 s; BIND resolver-query-timeout 10 s; PowerDNS "
       "max-total-msec 7 s)",
       0.01, 300},
      {"max_tries", ParamType::Integer, "32", "queries",
       "upstream queries one resolution may send at most, over every zone it asks (Unbound "
       "MAX_SENT_COUNT / max-sent-count 32; BIND max-recursion-queries 50-100)",
       1, 1000},
      {"random_cache_ages", ParamType::Bool, "false", "",
       "caches start warm, each entry filled at a random time within one TTL before the start (seeded "
       "stream dns.cache_ages); false: caches start empty",
       0, 1},
      {"immediate_retries", ParamType::Integer, "2", "queries",
       "stub/app retries right after a failed lookup", 0, 100},
      {"app_retries", ParamType::Integer, "3", "lookups",
       "later retries of a failed lookup (back-off), then give up", 0, 100},
      {"app_backoff", ParamType::Duration, "30s", "s",
       "wait before the first later retry (doubles each time)", 0, 86400},
      {"client_timeout", ParamType::Duration, "5s", "s",
       "resolver answers slower than this are client timeouts", 0.1, 60},
      {"diurnal_amplitude", ParamType::Number, "0", "1", "demand swing around its mean (peak at 20:00 local)",
       0, 0.99},
      {"ddos_rate", ParamType::Number, "1e6", "queries/s",
       "attack traffic the 'ddos' action adds at a site, per server address (with: rate overrides)", 0, 1e12},
      {"query_bytes", ParamType::Number, "80", "bytes",
       "size of one DNS query on the wire, IP and UDP headers included (attack and legitimate queries "
       "alike): with the 'ddos' flood it fills a site's access links",
       20, 65535},
      {"trace", ParamType::Text, "", "",
       "trace individual resolutions: 'REGION NAME' (e.g. 'us-east facebook.com'): each change in how "
       "instance 0 of the region's resolvers resolves NAME is a dns.trace event with its steps",
       0, 0},
  };
  m.sections = {dns_section_key()};
  m.provides = {sim::service::kNames};
  m.uses = {sim::service::kRoutes};
  m.configure = [](const sim::Scenario& s, sim::Diagnostics& d) -> std::shared_ptr<const sim::ModelConfig> {
    DnsConfig dns = read_dns_section(s, d);
    check_ddos_arguments(s, d);
    check_misbehave_arguments(s, d);
    for (const auto& f : s.faults)
      if (f.action == "scale" && f.target.rfind("dns:", 0) == 0) {
        auto it = f.params.find("capacity");
        if (it == f.params.end())
          d.error(f.action_mark,
                  "fault '" + f.id + "' scale needs with: capacity (queries/s per server address)");
        else if (auto x = sim::parse_double(it->second); !x || *x < 0 || *x > 1e12)
          d.error(f.params_mark, "fault '" + f.id + "' scale 'capacity' is '" + it->second +
                                     "'; expected a number of queries/s between 0 and 1e+12");
      }
    check_dns_references(s, dns, d);
    if (!s.section("dns")) return nullptr;
    return std::make_shared<const DnsModelConfig>(std::move(dns));
  };
  m.actions = {
      {"dns",
       "ddos",
       "attack traffic at a DNS site: ddos_rate (or with: rate) queries/s per server address served there "
       "(drops past its capacity), of query_bytes each, and with: flood, junk that fills the site's access "
       "links but never reaches a server (a bandwidth, e.g. 300Gbps; a flood alone sends no queries). "
       "Links offered more than their capacity lose that share of every packet. Attacks on one site add "
       "up; the end of one leaves the others. Shape: with: ramp (a duration from nothing to the peak, of "
       "the attack and of each wave), wave_on and wave_off (durations: waves that come back while the "
       "entry lasts); mitigation: with: scrub (share 0..1 of the attack traffic a scrubbing service drops) "
       "from scrub_after (a duration after the start, default 0). A botnet's footprint: with: sources "
       "('us-east 0.4, brazil 0.35, ...': regions and the share of the bots in each): rate and flood are "
       "then the whole botnet's, and each site targeted receives the share that the regions' anycast "
       "catchments bring to it (recomputed every step as routes change)",
       "calm",
       {"rate", "flood", "ramp", "wave_on", "wave_off", "scrub", "scrub_after", "sources"}},
      {"dns", "calm", "end every attack (queries and flood) at a DNS site", "ddos"},
      {"dns",
       "misbehave",
       "the site's servers stay up and announced (health checks that test reachability pass) but answer "
       "with: answer (servfail, the default; refused; timeout: no answer; wrong_address) to with: share of "
       "queries (0..1, default 1). Resolvers move to the next server at once after SERVFAIL or REFUSED, "
       "wait their timeout after no answer, and accept and cache a wrong address; a resolution that finds "
       "no good answer is SERVFAIL to the client, cached servfail_ttl (RFC 2308, RFC 9520)",
       "behave",
       {"answer", "share"}},
      {"dns", "behave", "the site's servers answer correctly again", "misbehave"},
      {"dns",
       "scale",
       "operators change the site's server capacity (mitigation: more machines): with: capacity, queries/s "
       "per server address at the site; the end of the entry restores the configured capacity",
       "scale",
       {"capacity"}},
      {"dns", "withdraw",
       "the site withdraws its anycast announcement: queries reaching its AS (covering or stale route) "
       "find no site",
       "announce"},
      {"dns", "announce", "the site announces its anycast addresses again", "withdraw"},
      {"zone",
       "delete",
       "the zone's records are deleted (with: name: N, one record): its servers answer NXDOMAIN, cached for "
       "the zone's negative TTL",
       "restore",
       {"name"}},
      {"zone", "restore", "the deleted records are back (with: name: N, one record)", "delete", {"name"}},
      {"zone", "undelegate",
       "the parent zone drops the delegation: NXDOMAIN from the parent once a resolver's cached NS set "
       "expires",
       "delegate"},
      {"zone", "delegate", "the parent zone delegates the zone again", "undelegate"},
      {"resolver",
       "poison",
       "cache poisoning: every cache of the resolver holds a forged address for with: name (for with: ttl, "
       "default 1d): wrong_address",
       "flush",
       {"name", "ttl"}},
      {"resolver", "flush", "the resolver's caches forget with: name", "", {"name"}},
  };
  m.signals = dns_signal_decls();
  m.events = {
      {"dns.site_withdrawn", "dns", "a DNS site withdraws its anycast announcement (withdraw action)"},
      {"dns.site_announced", "dns", "the site announces again"},
      {"dns.attack_start", "dns", "attack traffic starts at a DNS site (ddos)"},
      {"dns.attack_changed", "dns", "one of several attacks at a site ends, others go on"},
      {"dns.attack_end", "dns", "the last attack at a site ends"},
      {"dns.attack_wave_start", "dns", "a shaped attack comes back (a new wave)"},
      {"dns.attack_wave_end", "dns", "a shaped attack pauses between waves"},
      {"dns.scrubbing_start", "dns", "the operators' scrubbing drops its share of the attack traffic"},
      {"dns.misbehave_start", "dns", "a site's servers answer wrongly (servfail, refused, timeout, wrong_address)"},
      {"dns.misbehave_end", "dns", "the site's servers answer correctly again"},
      {"dns.capacity_changed", "dns", "a site's server capacity changes (scale)"},
      {"dns.record_deleted", "zone", "a record of a zone is deleted"},
      {"dns.record_restored", "zone", "the record is back"},
      {"dns.zone_deleted", "zone", "every record of a zone is deleted"},
      {"dns.zone_restored", "zone", "the zone's records are back"},
      {"dns.delegation_removed", "zone", "the parent zone drops the delegation"},
      {"dns.delegation_restored", "zone", "the parent delegates the zone again"},
      {"dns.cache_poisoned", "resolver", "a resolver's caches hold a forged address"},
      {"dns.cache_flushed", "resolver", "a resolver's caches forget a name"},
      {"dns.link_congested", "dns", "a site's access links are offered more than their capacity"},
      {"dns.link_cleared", "dns", "they carry what they are offered again"},
      {"dns.servfail_start", "resolver", "half or more of a resolver's resolutions of a name fail, SERVFAIL the most"},
      {"dns.timeout_start", "resolver", "the same, timeouts the most"},
      {"dns.nxdomain_start", "resolver", "the same, NXDOMAIN the most"},
      {"dns.wrong_address_start", "resolver", "the same, a wrong (forged) address the most"},
      {"dns.stale_start", "resolver", "a resolver answers a name from expired data (serve-stale)"},
      {"dns.resolution_recovered", "resolver", "resolutions of the name succeed again"},
      {"dns.trace", "resolver", "how one traced resolution went (param trace), when it changes"},
  };
  m.match_entities = [](const sim::ModelConfig& c, const std::string& pattern) {
    std::vector<std::string> out;
    if (pattern.rfind("zone:", 0) != 0) return out;
    for (const auto& z : sim::config_as<DnsModelConfig>(c).dns.zones)
      if (sim::glob_match(pattern, "zone:" + z.name)) out.push_back("zone:" + z.name);
    return out;
  };
  m.signal_subjects = [](const sim::ModelConfig& c) {
    const DnsConfig& cfg = sim::config_as<DnsModelConfig>(c).dns;
    std::vector<std::string> out = {"resolver:all"};
    for (const auto& n : cfg.names)
      out.push_back("name:" + n.name);
    for (const auto& z : cfg.zones)
      out.push_back("zone:" + z.name);
    for (const auto& r : cfg.resolvers)
      out.push_back("resolver:" + r.group);
    return out;
  };
  m.create = [](const sim::ModelConfig& c) {
    return std::make_unique<DnsModel>(sim::config_as<DnsModelConfig>(c));
  };
  return m;
}

} // namespace outagesim::dns
