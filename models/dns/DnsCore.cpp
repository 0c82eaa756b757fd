#include "models/dns/DnsCore.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "sim/core/Rng.hpp"
#include "sim/events/EventLog.hpp"

namespace outagesim::dns {

const char* answer_name(Answer a) {
  switch (a) {
  case Answer::NoError:
    return "noerror";
  case Answer::NxDomain:
    return "nxdomain";
  case Answer::ServFail:
    return "servfail";
  case Answer::Timeout:
    return "timeout";
  case Answer::Stale:
    return "stale";
  case Answer::WrongAddress:
    return "wrong_address";
  }
  return "?";
}

namespace {

constexpr double kEps = 1e-9;
constexpr int kMaxChain = 12;

bool in_zone(const std::string& name, const std::string& zone) {
  if (name == zone) return true;
  return name.size() > zone.size() && name.compare(name.size() - zone.size(), zone.size(), zone) == 0 &&
         name[name.size() - zone.size() - 1] == '.';
}

void add_mix(std::array<double, kAnswerKinds>& out, const AnswerMix& m, double count) {
  for (std::size_t i = 0; i < kAnswerKinds; ++i)
    out[i] += m.share[i] * count;
}

void add_answer(std::array<double, kAnswerKinds>& out, Answer a, double count) {
  out[static_cast<std::size_t>(a)] += count;
}

// "300 Gbps", "1.5 Mbps": three significant digits at most.
std::string bps_text(double bps) {
  static const std::pair<double, const char*> units[] = {
      {1e12, "Tbps"}, {1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "kbps"}, {1, "bps"}};
  for (const auto& [scale, unit] : units)
    if (bps >= scale || scale == 1) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g %s", bps / scale, unit);
      return buf;
    }
  return "";
}

std::string percent_text(double share) {
  return std::to_string(static_cast<int>(std::lround(100 * share))) + " %";
}

std::string ms_text(double seconds) {
  return std::to_string(static_cast<long>(std::lround(seconds * 1000))) + " ms";
}

// The commonest failing answer of a mix (SERVFAIL on ties).
Answer worst_failure(const std::array<double, kAnswerKinds>& out) {
  Answer worst = Answer::ServFail;
  for (Answer a : {Answer::Timeout, Answer::NxDomain, Answer::WrongAddress})
    if (out[static_cast<std::size_t>(a)] > out[static_cast<std::size_t>(worst)]) worst = a;
  return worst;
}

} // namespace

DnsCore::DnsCore(DnsConfig config, ResolverPolicy policy, ClientPolicy clients,
                 std::vector<RegionInfo> regions, double sample, double diurnal_amplitude,
                 std::int64_t start_epoch)
    : config_(std::move(config)), policy_(policy), clients_(clients), regions_(std::move(regions)),
      sample_(sample), diurnal_amplitude_(diurnal_amplitude), start_epoch_(start_epoch) {
  // Zones, each under the longest other configured zone it lies in.
  for (const auto& z : config_.zones)
    zones_.push_back({z.name, -1, {}, z.ns_ttl, z.negative_ttl});
  for (std::size_t i = 0; i < zones_.size(); ++i) {
    std::size_t best = 0;
    for (std::size_t j = 0; j < zones_.size(); ++j)
      if (i != j && in_zone(zones_[i].name, zones_[j].name) && zones_[j].name.size() > best) {
        best = zones_[j].name.size();
        zones_[i].parent = static_cast<int>(j);
      }
    for (const auto& sid : config_.zones[i].servers)
      for (std::size_t s = 0; s < config_.servers.size(); ++s)
        if (config_.servers[s].id == sid) zones_[i].servers.push_back(s);
  }
  auto intern = [this](const std::string& n) {
    auto it = name_index_.find(n);
    if (it != name_index_.end()) return it->second;
    Name rec;
    rec.name = n;
    std::size_t best = 0;
    for (std::size_t z = 0; z < zones_.size(); ++z)
      if (in_zone(n, zones_[z].name) && zones_[z].name.size() >= best) {
        best = zones_[z].name.size();
        rec.zone = static_cast<int>(z);
      }
    names_.push_back(rec);
    return name_index_[n] = static_cast<int>(names_.size() - 1);
  };
  for (const auto& z : config_.zones)
    for (const auto& r : z.records) {
      int i = intern(r.name);
      names_[i].has_record = true;
      names_[i].type = r.type;
      names_[i].ttl = r.ttl;
      if (r.type == RecordSpec::Type::Cname) names_[i].target = intern(r.target);
    }
  for (const auto& d : config_.names)
    demand_names_.push_back(static_cast<std::size_t>(intern(d.name)));
  for (const auto& n : names_) {
    (void)n;
    assert(n.zone >= 0 && "every name lies in a configured zone (checked by read_dns_section)");
  }
  // The names each demand name's resolution may need (its CNAME chain).
  for (std::size_t q : demand_names_) {
    std::vector<std::size_t> chain;
    int cur = static_cast<int>(q);
    for (int i = 0; i < kMaxChain && cur >= 0; ++i) {
      if (std::find(chain.begin(), chain.end(), std::size_t(cur)) != chain.end()) break;
      chain.push_back(cur);
      cur = names_[cur].has_record && names_[cur].type == RecordSpec::Type::Cname ? names_[cur].target : -1;
    }
    std::vector<int> zones;
    for (std::size_t n : chain)
      for (int z = names_[n].zone; z >= 0 && zones_[z].parent >= 0; z = zones_[z].parent)
        if (std::find(zones.begin(), zones.end(), z) == zones.end()) zones.push_back(z);
    needs_.push_back(chain);
    needs_zones_.push_back(zones);
  }

  std::size_t flat = 0;
  for (const auto& s : config_.servers) {
    site_base_.push_back(flat);
    flat += s.sites.size();
    attack_.emplace_back(s.sites.size(), 0.0);
  }
  load_prev_ = attack_;
  load_now_ = attack_;
  // Site nodes, in order of first appearance: every address served at a node shares its links.
  for (std::size_t s = 0; s < config_.servers.size(); ++s) {
    site_node_of_.emplace_back();
    for (std::size_t k = 0; k < config_.servers[s].sites.size(); ++k) {
      const std::string& node = config_.servers[s].sites[k];
      int g = site_node_index(node);
      if (g < 0) {
        site_nodes_.push_back({});
        site_nodes_.back().node = node;
        g = static_cast<int>(site_nodes_.size() - 1);
      }
      site_nodes_[std::size_t(g)].addresses.emplace_back(s, k);
      site_node_of_[s].push_back(std::size_t(g));
    }
  }
  for (const auto& r : config_.resolvers) {
    ResolverPolicy p = policy_;
    if (r.serve_stale) p.serve_stale = *r.serve_stale;
    if (r.servfail_ttl) p.servfail_ttl = *r.servfail_ttl;
    if (r.refetch_delegation) p.refetch_delegation = *r.refetch_delegation;
    resolver_policy_.push_back(p);
    inst_base_.push_back(caches_.size());
    for (int i = 0; i < std::max(1, r.instances); ++i) {
      ResolverCache c;
      c.resize(names_.size(), zones_.size());
      caches_.push_back(std::move(c));
    }
    pairs_.emplace_back(demand_names_.size());
  }
  zone_deleted_.assign(zones_.size(), 0);
  undelegated_.assign(zones_.size(), 0);
  record_deleted_.assign(names_.size(), 0);
  zone_cause_.assign(zones_.size(), 0);
  record_cause_.assign(names_.size(), 0);
  trace_last_.assign(config_.resolvers.size(), "");
  for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
    const int n_inst = std::max(1, config_.resolvers[r].instances);
    for (int i = 0; i < n_inst; ++i)
      forge_acc_.push_back((i + 0.5) / n_inst);
  }
  region_share_.assign(regions_.size(), std::vector<double>(config_.resolvers.size(), 0.0));
  for (const auto& c : config_.clients)
    for (std::size_t g = 0; g < regions_.size(); ++g)
      if (regions_[g].path == c.region)
        for (const auto& [res, share] : c.via) {
          int ri = resolver_index(res);
          if (ri >= 0) region_share_[g][ri] += share;
        }
}

void DnsCore::fill_caches_at_random_ages(std::uint64_t seed) {
  auto g = sim::rng_stream(seed, "dns.cache_ages");
  for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
    const double max_stale = resolver_policy_[r].max_stale;
    for (std::size_t i = 0; i < std::size_t(std::max(1, config_.resolvers[r].instances)); ++i) {
      ResolverCache& c = caches_[inst_base_[r] + i];
      auto fill = [&](CacheEntry& e, CacheEntry::Kind kind, double ttl) {
        const double age = sim::uniform01(g) * ttl;
        e = CacheEntry{kind, -age, ttl - age, ttl - age + max_stale};
      };
      for (std::size_t n = 0; n < names_.size(); ++n)
        if (names_[n].has_record)
          fill(c.names[n],
               names_[n].type == RecordSpec::Type::Cname ? CacheEntry::Kind::Cname
                                                         : CacheEntry::Kind::Address,
               names_[n].ttl);
      for (std::size_t z = 0; z < zones_.size(); ++z)
        if (zones_[z].parent >= 0) fill(c.zones[z], CacheEntry::Kind::Delegation, zones_[z].ns_ttl);
    }
  }
}

std::vector<double> DnsCore::catchment(std::size_t region, std::size_t server) {
  const std::size_t n = config_.servers.at(server).sites.size();
  std::vector<double> out(n, 0.0);
  double weight = 0;
  for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
    const double w = region_share_.at(region)[r];
    if (w <= 0) continue;
    weight += w;
    long best = -1;
    double lat = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const Reach& re = reach(r, server, k);
      if (!re.ok || re.hijacked_by) continue;
      if (best < 0 || re.latency < lat) {
        best = static_cast<long>(k);
        lat = re.latency;
      }
    }
    if (best >= 0) out[std::size_t(best)] += w;
  }
  if (weight > 0)
    for (double& x : out)
      x /= weight;
  return out;
}

int DnsCore::region_index(const std::string& path) const {
  for (std::size_t g = 0; g < regions_.size(); ++g)
    if (regions_[g].path == path) return static_cast<int>(g);
  return -1;
}

void DnsCore::set_external_demand(std::size_t region, std::size_t demand, double queries_per_s) {
  if (external_.empty()) {
    external_.assign(config_.names.size(), 0);
    ext_demand_.assign(regions_.size(), std::vector<double>(config_.names.size(), 0.0));
    ext_usual_ = ext_demand_;
  }
  external_.at(demand) = 1;
  ext_demand_.at(region).at(demand) = std::max(0.0, queries_per_s);
}

DnsCore::RegionOutcome DnsCore::region_outcome(std::size_t region, std::size_t demand) const {
  RegionOutcome o;
  double weight = 0, success = 0;
  std::array<double, kAnswerKinds> fails{};
  for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
    double share = region_share_.at(region)[r];
    if (share <= 0) continue;
    const PerResolverName& pr = pairs_[r][demand];
    weight += share;
    success += share * pr.success;
    for (std::size_t a = 0; a < kAnswerKinds; ++a)
      fails[a] += share * pr.failures[a];
    if (pr.success < 1 && pr.last_cause > o.cause) o.cause = pr.last_cause;
  }
  if (weight <= 0) return o;
  o.success = success / weight;
  o.failure = worst_failure(fails);
  return o;
}

int DnsCore::demand_index(const std::string& name) const {
  for (std::size_t i = 0; i < config_.names.size(); ++i)
    if (config_.names[i].name == name) return static_cast<int>(i);
  return -1;
}

int DnsCore::resolver_index(const std::string& node) const {
  for (std::size_t i = 0; i < config_.resolvers.size(); ++i)
    if (config_.resolvers[i].node == node) return static_cast<int>(i);
  return -1;
}

int DnsCore::name_index(const std::string& name) const {
  auto it = name_index_.find(name);
  return it == name_index_.end() ? -1 : it->second;
}

int DnsCore::zone_index(const std::string& name) const {
  for (std::size_t i = 0; i < zones_.size(); ++i)
    if (zones_[i].name == name) return static_cast<int>(i);
  return -1;
}

void DnsCore::set_attack(std::size_t server, std::size_t site, double rate, std::uint64_t cause) {
  attack_.at(server).at(site) = rate;
  site_nodes_[site_node_of_[server][site]].cause = cause;
}

void DnsCore::set_capacity(std::size_t server, std::size_t site, double queries_per_s) {
  if (capacity_.empty())
    for (const auto& sv : config_.servers)
      capacity_.emplace_back(sv.sites.size(), sv.capacity);
  capacity_.at(server).at(site) = queries_per_s < 0 ? config_.servers[server].capacity : queries_per_s;
}

int DnsCore::site_node_index(const std::string& node) const {
  for (std::size_t g = 0; g < site_nodes_.size(); ++g)
    if (site_nodes_[g].node == node) return static_cast<int>(g);
  return -1;
}

void DnsCore::set_access_links(std::size_t node, std::vector<AccessLink> links) {
  SiteNode& n = site_nodes_.at(node);
  n.congested.resize(links.size(), 0);
  n.links = std::move(links);
}

void DnsCore::set_flood(std::size_t node, double bps, std::uint64_t cause) {
  SiteNode& n = site_nodes_.at(node);
  n.flood_bps = std::max(0.0, bps);
  n.cause = cause;
}

void DnsCore::set_misbehave(std::size_t node, Misbehave answer, double share, std::uint64_t cause) {
  SiteNode& n = site_nodes_.at(node);
  n.misbehave = share > 0 ? answer : Misbehave::None;
  n.misbehave_share = n.misbehave == Misbehave::None ? 0 : std::clamp(share, 0.0, 1.0);
  n.misbehave_cause = cause;
}

bool DnsCore::set_zone_deleted(std::size_t zone, bool deleted, std::uint64_t cause) {
  if (bool(zone_deleted_.at(zone)) == deleted) return false;
  zone_deleted_[zone] = deleted;
  zone_cause_[zone] = deleted ? cause : 0;
  return true;
}

bool DnsCore::set_record_deleted(std::size_t name, bool deleted, std::uint64_t cause) {
  if (bool(record_deleted_.at(name)) == deleted) return false;
  record_deleted_[name] = deleted;
  record_cause_[name] = deleted ? cause : 0;
  return true;
}

bool DnsCore::set_delegated(std::size_t zone, bool delegated, std::uint64_t cause) {
  if (zones_.at(zone).parent < 0) return false; // a TLD: the root is not modelled
  if (bool(undelegated_[zone]) == !delegated) return false;
  undelegated_[zone] = !delegated;
  zone_cause_[zone] = delegated ? 0 : cause;
  return true;
}

bool DnsCore::poison(std::size_t resolver, std::size_t name, double t, double ttl) {
  if (name >= names_.size()) return false;
  const int n_inst = std::max(1, config_.resolvers.at(resolver).instances);
  for (int i = 0; i < n_inst; ++i) {
    ResolverCache& c = caches_[inst_base_[resolver] + std::size_t(i)];
    c.names[name] =
        CacheEntry{CacheEntry::Kind::Forged, t, t + ttl, t + ttl + resolver_policy_[resolver].max_stale};
    c.holds[name].clear();
  }
  return true;
}

bool DnsCore::flush(std::size_t resolver, std::size_t name) {
  if (name >= names_.size()) return false;
  const int n_inst = std::max(1, config_.resolvers.at(resolver).instances);
  for (int i = 0; i < n_inst; ++i) {
    ResolverCache& c = caches_[inst_base_[resolver] + std::size_t(i)];
    c.names[name] = CacheEntry{};
    c.holds[name].clear();
  }
  return true;
}

void DnsCore::forget_all(std::size_t resolver) {
  const int n_inst = std::max(1, config_.resolvers.at(resolver).instances);
  for (int i = 0; i < n_inst; ++i)
    caches_[inst_base_[resolver] + std::size_t(i)].resize(names_.size(), zones_.size());
}

bool DnsCore::take_forged(std::size_t inst, double f) {
  if (f >= 1 - kEps) return true;
  if (f <= kEps) return false;
  double& a = forge_acc_[inst];
  a += f;
  if (a < 1) return false;
  a -= 1;
  return true;
}

double DnsCore::diurnal(const RegionInfo& reg, double t) const {
  if (diurnal_amplitude_ == 0) return 1;
  double hour = std::fmod((double(start_epoch_) + t) / 3600.0 + reg.utc_offset_h, 24.0);
  if (hour < 0) hour += 24;
  // Peaks at 20:00 local time.
  return 1 + diurnal_amplitude_ * std::cos(2 * M_PI * (hour - 20) / 24);
}

double DnsCore::base_demand(std::size_t resolver, std::size_t demand, double t) const {
  double users = 0;
  for (std::size_t g = 0; g < regions_.size(); ++g)
    if (region_share_[g][resolver] > 0)
      users += regions_[g].population * region_share_[g][resolver] * diurnal(regions_[g], t);
  return users * config_.names[demand].rate;
}

SampleStats& DnsCore::stats_at(std::size_t k) {
  while (stats_.size() <= k) {
    SampleStats s;
    s.names.resize(config_.names.size());
    s.resolver_base.assign(config_.resolvers.size(), 0);
    s.resolver_attempts.assign(config_.resolvers.size(), 0);
    s.resolver_answers.assign(config_.resolvers.size(), {});
    for (const auto& sv : config_.servers)
      s.sites.emplace_back(sv.sites.size());
    s.zones.resize(zones_.size());
    stats_.push_back(std::move(s));
  }
  return stats_[k];
}

std::vector<DnsEvent> DnsCore::take_events() {
  std::vector<DnsEvent> out;
  out.swap(events_);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reachability and capacity

const Reach& DnsCore::reach(std::size_t resolver, std::size_t server, std::size_t site) {
  if (!reach_valid_) {
    std::size_t flat = site_base_.empty() ? 0 : site_base_.back() + config_.servers.back().sites.size();
    reach_.assign(config_.resolvers.size(), std::vector<Reach>(flat));
    for (std::size_t r = 0; r < config_.resolvers.size(); ++r)
      for (std::size_t s = 0; s < config_.servers.size(); ++s)
        for (std::size_t k = 0; k < config_.servers[s].sites.size(); ++k)
          reach_[r][site_base_[s] + k] = reach_fn_ ? reach_fn_(r, s, k) : Reach{true, 0.01, "", 0};
    reach_valid_ = true;
  }
  return reach_[resolver][site_base_[server] + site];
}

double DnsCore::accept(std::size_t server, std::size_t site) const {
  double load = load_prev_[server][site] + attack_[server][site];
  double cap = capacity_.empty() ? config_.servers[server].capacity : capacity_[server][site];
  const double pass = site_nodes_[site_node_of_[server][site]].pass;
  if (pass >= 1) return load <= cap ? 1.0 : cap / load;
  // The servers see only what the links passed; their capacity applies to that.
  load *= pass;
  return pass * (load <= cap ? 1.0 : cap / load);
}

// A flooded access link is modelled as a FIFO queue that overflows: tail drop takes the share
// 1 - capacity/offered of every packet, whoever sent it, so a small legitimate flow loses the same
// share as the flood. SimGrid's max-min fair sharing (what its comms would give us) is the right
// model of flows that back off (TCP) and share a bottleneck; a flood does not back off and a router
// queue does not know flows: it would hand the legitimate queries their full rate under any flood,
// which is exactly what real DDoS on DNS (Dyn 2016, the root servers in 2015) did not show.
LinkSplit split_over_links(double offered_bps, const std::vector<AccessLink>& links) {
  LinkSplit out;
  out.offered.assign(links.size(), 0.0);
  out.share.assign(links.size(), 1.0);
  std::size_t up = 0;
  for (const auto& l : links)
    up += l.up;
  if (up == 0) {
    out.pass = links.empty() ? 1 : 0;
    return out;
  }
  const double per = offered_bps / double(up);
  double delivered = 0;
  bool congested = false;
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (!links[i].up) continue;
    out.offered[i] = per;
    if (per > links[i].capacity_bps) {
      out.share[i] = links[i].capacity_bps / per;
      congested = true;
    }
    delivered += per * out.share[i];
  }
  // Exactly 1 unless a link is congested (an even split need not add up to `offered` exactly).
  if (congested) out.pass = delivered / offered_bps;
  return out;
}

void DnsCore::update_links(double t0, double dt, SampleStats& st) {
  if (st.links.size() < site_nodes_.size()) st.links.resize(site_nodes_.size());
  for (std::size_t g = 0; g < site_nodes_.size(); ++g) {
    SiteNode& n = site_nodes_[g];
    n.pass = 1;
    n.why.clear();
    if (n.links.empty()) continue; // no links given: the engine does not model them
    auto& per_link = st.links[g];
    if (per_link.size() < n.links.size()) per_link.resize(n.links.size());
    double legit = 0, attack = 0;
    for (const auto& [s, k] : n.addresses) {
      legit += load_prev_[s][k];
      attack += attack_[s][k];
    }
    const double bits = 8 * query_bytes_;
    const double offered = (legit + attack) * bits + n.flood_bps;
    const bool attacked = attack > 0 || n.flood_bps > 0;
    const LinkSplit split = split_over_links(offered, n.links);
    n.pass = split.pass;
    double worst = 1;
    for (std::size_t i = 0; i < n.links.size(); ++i) {
      const AccessLink& l = n.links[i];
      const double on_link = split.offered[i], share = split.share[i];
      auto& pl = per_link[i];
      pl.offered += on_link * dt;
      pl.delivered += on_link * share * dt;
      pl.attacked = pl.attacked || attacked;
      pl.congested = pl.congested || share < 1;
      if (share < worst) {
        worst = share;
        n.why = "congested " + l.path + ": " + bps_text(on_link) + " offered to " + bps_text(l.capacity_bps);
      }
      // Events with hysteresis: congested past the capacity, clear at 90 % of it or less.
      const std::string id = l.path.substr(l.path.find(':') + 1);
      if (!n.congested[i] && share < 1) {
        n.congested[i] = 1;
        const double part = offered > 0 ? on_link / offered : 0; // this link's part of every kind
        std::string reason =
            id + " congested: " + bps_text(on_link) + " offered to " + bps_text(l.capacity_bps) + " (";
        if (attack > 0) reason += "attack queries " + bps_text(attack * bits * part) + ", ";
        if (n.flood_bps > 0) reason += "flood " + bps_text(n.flood_bps * part) + ", ";
        reason += "legitimate queries " + bps_text(legit * bits * part) + "): it passes " +
                  percent_text(share) + " of every packet to " + n.node;
        events_.push_back({t0,
                           "dns.link_congested",
                           l.path,
                           "",
                           reason,
                           n.cause,
                           {},
                           {{"offered_bps", on_link}, {"capacity_bps", l.capacity_bps}, {"share", share}}});
      } else if (n.congested[i] && (!l.up || on_link <= 0.9 * l.capacity_bps)) {
        n.congested[i] = 0;
        std::string reason = id + " no longer congested: " +
                             (l.up ? bps_text(on_link) + " offered to " + bps_text(l.capacity_bps)
                                   : std::string("the link is down"));
        events_.push_back({t0,
                           "dns.link_cleared",
                           l.path,
                           "",
                           reason,
                           n.cause,
                           {},
                           {{"offered_bps", on_link}, {"capacity_bps", l.capacity_bps}, {"share", 1}}});
      }
    }
    // Nothing reaches a site whose links are all down (a BGP route to it may outlive its links).
    if (split.pass <= 0) n.why = "every access link of " + n.node + " is down";
  }
}

// ---------------------------------------------------------------------------------------------------
// One upstream resolution

double DnsCore::query_zone(std::size_t r, int zone, const std::string& qname, Plan& p, double& weight) {
  const auto& servers = zones_[zone].servers;
  const std::size_t n = servers.size();
  if (n == 0) {
    p.reason = "zone " + zones_[zone].name + " has no name server";
    return 0;
  }
  const ResolverPolicy& pol = resolver_policy_[r];
  // The site each server's address leads to from this resolver: the nearest reachable one (anycast).
  struct Choice {
    long site = -1;
    double p = 0, latency = 0;
    bool no_route = true;       ///< every site unreachable for want of a route: fails without a timeout
    std::uint32_t hijacker = 0; ///< the address is routed to this AS, which answers with forged data
    double fast = 0;            ///< share of tries answered SERVFAIL/REFUSED (next server at once)
    double wrong = 0;           ///< share of its good answers that are wrong addresses (misbehaving)
    std::uint64_t hijack_cause = 0;
  };
  p.forged = 0;
  std::vector<Choice> choice(n);
  std::string why;
  std::uint64_t cause = 0;
  bool overloaded = false, congested = false, lossy_route = false, misbehaving = false;
  std::string link_why;  // the congested access links on the way, when any
  std::string route_why; // the congested networks on the routes, when any
  for (std::size_t i = 0; i < n; ++i) {
    const auto& sv = config_.servers[servers[i]];
    std::string server_why;
    for (std::size_t k = 0; k < sv.sites.size(); ++k) {
      const Reach& re = reach(r, servers[i], k);
      if (!re.no_route) choice[i].no_route = false;
      if (re.ok && re.hijacked_by) {
        // The route to the address ends in another AS, whichever site: the hijacker answers.
        choice[i].hijacker = re.hijacked_by;
        choice[i].hijack_cause = re.cause;
        choice[i].site = static_cast<long>(k);
        choice[i].latency = re.latency;
        break;
      }
      if (re.ok) {
        if (choice[i].site < 0 || re.latency < choice[i].latency) {
          choice[i].site = static_cast<long>(k);
          choice[i].latency = re.latency;
        }
      } else {
        if (server_why.empty()) server_why = sv.sites[k] + ": " + re.reason;
        cause = std::max(cause, re.cause);
      }
    }
    if (choice[i].hijacker) {
      choice[i].p = 1;
      if (p.trace)
        p.trace->push_back("ask " + sv.id + " for " + qname + ": routed to AS" +
                           std::to_string(choice[i].hijacker) + ", not the server's AS: forged answer in " +
                           ms_text(2 * choice[i].latency));
    } else if (choice[i].site >= 0) {
      const std::size_t site = static_cast<std::size_t>(choice[i].site);
      choice[i].p = accept(servers[i], site);
      const SiteNode& sn = site_nodes_[site_node_of_[servers[i]][site]];
      if (sn.pass < 1) {
        // Queries lost on a congested access link time out like dropped ones; say where.
        congested = true;
        if (link_why.find(sn.why) == std::string::npos) link_why += (link_why.empty() ? "" : "; ") + sn.why;
        cause = std::max(cause, sn.cause);
        if (choice[i].p < sn.pass * (1 - kEps)) overloaded = true;
      } else if (choice[i].p < 1) {
        overloaded = true;
      }
      if (p.trace && sn.pass < 1) {
        const double served = sn.pass > 0 ? choice[i].p / sn.pass : 0;
        p.trace->push_back("ask " + sv.id + " for " + qname + ": " + percent_text(1 - sn.pass) +
                           " of queries lost on the way to site " + sv.sites[site] + " (" + sn.why + ")" +
                           (sn.pass <= 0 ? ": times out"
                            : served < 1 ? ", the site answers " + percent_text(served) + " of the rest in " +
                                               ms_text(2 * choice[i].latency)
                                         : ", the rest answered in " + ms_text(2 * choice[i].latency)));
      } else if (p.trace) {
        p.trace->push_back("ask " + sv.id + " for " + qname + ": site " + sv.sites[site] +
                           (choice[i].p < 1
                                ? " over capacity, answers " +
                                      std::to_string(int(std::lround(100 * choice[i].p))) + " % of queries"
                                : " answers") +
                           " in " + ms_text(2 * choice[i].latency));
      }
      // A misbehaving site: answers that fail (SERVFAIL, REFUSED: the resolver moves on at once), no
      // answer (the resolver times out), or a wrong address it accepts.
      if (sn.misbehave != Misbehave::None && sn.misbehave_share > 0) {
        const double m = sn.misbehave_share;
        const char* kind = sn.misbehave == Misbehave::ServFail  ? "SERVFAIL"
                           : sn.misbehave == Misbehave::Refused ? "REFUSED"
                           : sn.misbehave == Misbehave::Timeout ? "nothing"
                                                                : "a wrong address";
        if (sn.misbehave == Misbehave::WrongAddress) {
          choice[i].wrong = m;
        } else {
          if (sn.misbehave != Misbehave::Timeout) {
            choice[i].fast = choice[i].p * m;
            p.lame = true;
          }
          choice[i].p *= 1 - m;
        }
        const std::string text =
            "site " + sv.sites[site] + " answers " + kind + " to " + percent_text(m) + " of queries";
        if (why.find(text) == std::string::npos) why += (why.empty() ? "" : "; ") + text;
        cause = std::max(cause, sn.misbehave_cause);
        misbehaving = true;
        if (p.trace) p.trace->push_back("ask " + sv.id + " for " + qname + ": " + text);
      }
      // A congested network on the route (a leaker drowning in what it attracted) loses its share of
      // the queries before they reach the site; they time out like dropped ones.
      if (const Reach& route = reach(r, servers[i], site); route.delivered < 1) {
        choice[i].p *= route.delivered;
        choice[i].fast *= route.delivered;
        lossy_route = true;
        if (route_why.find(route.loss) == std::string::npos)
          route_why += (route_why.empty() ? "" : "; ") + route.loss;
        cause = std::max(cause, route.cause);
        if (p.trace)
          p.trace->push_back("ask " + sv.id + " for " + qname + ": " + percent_text(1 - route.delivered) +
                             " of queries lost on the way to site " + sv.sites[site] + " (" + route.loss +
                             ")");
      }
    } else {
      why += (why.empty() ? "" : "; ") + (server_why.empty() ? sv.id + " unreachable" : server_why);
      if (p.trace)
        p.trace->push_back("ask " + sv.id + " for " + qname + ": " +
                           (choice[i].no_route ? "fails at once (" : "times out (") +
                           (server_why.empty() ? "unreachable" : server_why) + ")");
    }
  }
  // Each server is tried first equally often (resolvers spread over the NS set); then the others in
  // turn; the whole set again for each retry round, the timeout growing by `backoff` per round.
  const int rounds = 1 + pol.server_retries;
  double success = 0, lat_ok = 0, lat_fail = 0, forged = 0;
  auto add_attempt = [&](std::size_t i, double count) {
    // A hijacked query goes to the hijacker: sent, never arriving at the server.
    bool arrived = choice[i].site >= 0 && !choice[i].hijacker;
    std::size_t site = arrived ? static_cast<std::size_t>(choice[i].site) : 0;
    for (auto& a : p.attempts)
      if (a.server == servers[i] && a.site == site && a.zone == zone && a.arrived == arrived) {
        a.count += count;
        return;
      }
    p.attempts.push_back({servers[i], site, zone, count, arrived});
  };
  std::array<double, 16> timeouts{}; // per round (server_retries is at most 10)
  for (int round = 0; round < rounds && round < 16; ++round)
    timeouts[std::size_t(round)] = pol.timeout * std::pow(pol.backoff, round);
  // The resolution's budgets (time and upstream queries) bound the tries: earlier zones of this
  // resolution (a delegation) have spent p.lat_ok seconds and p.tries queries on their way to success.
  // A try is sent only while time is left; a resolution out of time or tries fails (SERVFAIL).
  const double time_left = std::max(0.0, pol.budget - p.lat_ok);
  const double tries_left = std::max(0.0, double(pol.max_tries) - std::floor(p.tries + kEps));
  double tries_ok = 0;
  for (std::size_t o = 0; o < n; ++o) {
    double still = 1.0 / n, elapsed = 0;
    int sent = 0;
    for (int round = 0; round < rounds; ++round) {
      double timeout = timeouts[std::size_t(std::min(round, 15))];
      for (std::size_t k = 0; k < n; ++k) {
        if (elapsed >= time_left - kEps || sent >= tries_left - kEps) break;
        std::size_t i = (o + k) % n;
        add_attempt(i, weight * still);
        ++sent;
        double ok = still * choice[i].p;
        success += ok;
        if (choice[i].hijacker) {
          forged += ok;
          p.hijacker = choice[i].hijacker;
          p.hijack_cause = choice[i].hijack_cause;
        } else if (choice[i].wrong > 0) {
          forged += ok * choice[i].wrong;
        }
        lat_ok += ok * (elapsed + 2 * choice[i].latency);
        tries_ok += ok * sent;
        // A server the resolver has no route to fails at once (no reply to wait for); one that answers
        // SERVFAIL or REFUSED after a round trip; the rest after the timeout (expected time of those
        // still unanswered).
        const double wait = choice[i].site < 0 && choice[i].no_route ? 0.001 : timeout;
        const double failed = still - ok, fast = still * choice[i].fast;
        elapsed += fast > 0 && failed > kEps
                       ? (fast * 2 * choice[i].latency + (failed - fast) * wait) / failed
                       : wait;
        still -= ok;
      }
    }
    // The last try's timeout may run past the budget: the resolver gives up at the budget.
    lat_fail = std::min(elapsed, time_left);
  }
  p.lat_fail = p.lat_ok + lat_fail;
  if (congested) why += (why.empty() ? "" : "; ") + link_why;
  if (lossy_route) why += (why.empty() ? "" : "; ") + route_why;
  if (misbehaving && success <= kEps) {
    p.reason = "no server of " + zones_[zone].name + " answers " + qname + " (" + why + ")";
    p.cause = cause;
    return 0;
  }
  if (success <= kEps) {
    p.reason = "no server of " + zones_[zone].name + " answers for " + qname + " (" + why + ")";
    p.cause = cause;
    return 0;
  }
  p.lat_ok += lat_ok / success;
  p.tries += tries_ok / success;
  p.forged = forged / success;
  if (congested) {
    p.reason = "queries to the servers of " + zones_[zone].name + " are lost on their access links" +
               (overloaded ? " and dropped past capacity" : "") + " (" + why + ")";
    p.cause = cause;
  } else if (lossy_route) {
    p.reason = "queries to the servers of " + zones_[zone].name + " are lost on the way" +
               (overloaded ? " and dropped past capacity" : "") + " (" + why + ")";
    p.cause = cause;
  } else if (misbehaving) {
    p.reason = "servers of " + zones_[zone].name + " misbehave (" + why + ")";
    p.cause = cause;
  } else if (overloaded || success < 1 - kEps) {
    p.reason = "servers of " + zones_[zone].name + " drop queries past their capacity" +
               (why.empty() ? "" : " (" + why + ")");
  }
  return std::min(1.0, success);
}

DnsCore::Delegation DnsCore::ensure_delegation(std::size_t r, std::size_t inst, int zone, double t, Plan& p,
                                               double& weight) {
  int parent = zones_[zone].parent;
  if (parent < 0) return Delegation::Known; // a TLD: known from the root hints
  if (caches_[inst].zones[zone].fresh(t)) {
    if (p.trace)
      p.trace->push_back("delegation of " + zones_[zone].name + " cached until " +
                         sim::format_offset(caches_[inst].zones[zone].until));
    return Delegation::Known;
  }
  for (const auto& w : p.writes)
    if (w.zone && w.index == std::size_t(zone)) return Delegation::Known;
  Delegation up = ensure_delegation(r, inst, parent, t, p, weight);
  if (up != Delegation::Known) return up;
  double pz = query_zone(r, parent, zones_[zone].name, p, weight);
  if (pz <= 0) {
    if (resolver_policy_[r].refetch_delegation && zones_[parent].parent >= 0)
      p.drop_zones.push_back(static_cast<std::size_t>(parent));
    return Delegation::Failed;
  }
  p.p *= pz;
  weight *= pz;
  if (take_forged(inst, p.forged)) {
    p.reason = p.hijacker ? "the servers of " + zones_[parent].name + " are hijacked by AS" +
                                std::to_string(p.hijacker) + ": forged delegation of " + zones_[zone].name
                          : "a server of " + zones_[parent].name + " answers a wrong delegation of " +
                                zones_[zone].name + " (" + p.reason + ")";
    if (p.hijacker) p.cause = p.hijack_cause;
    return Delegation::Forged;
  }
  if (undelegated_[zone]) {
    p.reason = zones_[parent].name + " no longer delegates " + zones_[zone].name + ": NXDOMAIN (cached " +
               sim::format_duration(zones_[parent].negative_ttl) + ")";
    p.cause = zone_cause_[zone];
    p.neg_ttl = zones_[parent].negative_ttl;
    return Delegation::NxDomain;
  }
  p.writes.push_back(
      {true, static_cast<std::size_t>(zone), CacheEntry::Kind::Delegation, zones_[zone].ns_ttl});
  return Delegation::Known;
}

DnsCore::Plan DnsCore::plan(std::size_t r, std::size_t inst, std::size_t q, double t,
                            std::vector<std::string>* trace) {
  Plan p;
  p.trace = trace;
  p.attempts.reserve(8); // a zone or two of a few servers: no regrowth
  double weight = 1;
  const ResolverCache& c = caches_[inst];
  auto written = [&](std::size_t i) {
    for (const auto& w : p.writes)
      if (!w.zone && w.index == i) return true;
    return false;
  };
  auto write_name = [&](std::size_t i) {
    const Name& n = names_[i];
    if (!present(i))
      p.writes.push_back({false, i, CacheEntry::Kind::Negative, zones_[n.zone].negative_ttl});
    else
      p.writes.push_back(
          {false, i, n.type == RecordSpec::Type::Cname ? CacheEntry::Kind::Cname : CacheEntry::Kind::Address,
           n.ttl});
  };
  std::size_t cur = q;
  for (int depth = 0; depth < kMaxChain; ++depth) {
    bool from_plan = written(cur);
    if (from_plan || c.names[cur].fresh(t)) {
      CacheEntry::Kind kind = c.names[cur].kind;
      if (from_plan)
        for (const auto& w : p.writes)
          if (!w.zone && w.index == cur) kind = w.kind;
      if (kind == CacheEntry::Kind::Cname) {
        cur = static_cast<std::size_t>(names_[cur].target);
        continue;
      }
      p.rcode = kind == CacheEntry::Kind::Negative ? Answer::NxDomain
                : kind == CacheEntry::Kind::Forged ? Answer::WrongAddress
                                                   : Answer::NoError;
      return p;
    }
    int zone = names_[cur].zone;
    switch (ensure_delegation(r, inst, zone, t, p, weight)) {
    case Delegation::Known:
      break;
    case Delegation::Failed:
      p.p = 0;
      return p;
    case Delegation::NxDomain:
      p.writes.push_back({false, cur, CacheEntry::Kind::Negative, p.neg_ttl});
      p.rcode = Answer::NxDomain;
      return p;
    case Delegation::Forged:
      p.writes.push_back({false, cur, CacheEntry::Kind::Forged, present(cur) ? names_[cur].ttl : 300});
      p.rcode = Answer::WrongAddress;
      return p;
    }
    double pz = query_zone(r, zone, names_[cur].name, p, weight);
    if (pz <= 0) {
      p.p = 0;
      if (resolver_policy_[r].refetch_delegation && zones_[zone].parent >= 0)
        p.drop_zones.push_back(static_cast<std::size_t>(zone));
      return p;
    }
    p.p *= pz;
    weight *= pz;
    if (take_forged(inst, p.forged)) {
      // The hijacker answers the question asked with its own address (the record's usual TTL).
      p.writes.push_back({false, cur, CacheEntry::Kind::Forged, present(cur) ? names_[cur].ttl : 300});
      p.rcode = Answer::WrongAddress;
      p.reason = p.hijacker ? "the servers of " + zones_[zone].name + " are hijacked by AS" +
                                  std::to_string(p.hijacker) + ": forged address for " + names_[cur].name
                            : "a server of " + zones_[zone].name + " answers a wrong address for " +
                                  names_[cur].name + " (" + p.reason + ")";
      if (p.hijacker) p.cause = p.hijack_cause;
      return p;
    }
    write_name(cur);
    if (!present(cur)) {
      const bool whole = zone_deleted_[zone];
      p.reason = zones_[zone].name + " answers NXDOMAIN for " + names_[cur].name +
                 (whole ? " (the zone's records are deleted)" : " (the record is deleted)") + ", cached " +
                 sim::format_duration(zones_[zone].negative_ttl);
      p.cause = whole ? zone_cause_[zone] : record_cause_[cur];
    }
    // The server chases a CNAME inside its own zone and returns the whole chain in one answer.
    std::size_t chase = cur;
    while (present(chase) && names_[chase].type == RecordSpec::Type::Cname) {
      std::size_t next = static_cast<std::size_t>(names_[chase].target);
      if (names_[next].zone != zone || written(next)) break;
      write_name(next);
      if (!present(next)) {
        p.reason = zones_[zone].name + " answers NXDOMAIN for " + names_[next].name + " (CNAME target of " +
                   names_[chase].name + ": the record is deleted)";
        p.cause = zone_deleted_[zone] ? zone_cause_[zone] : record_cause_[next];
      }
      chase = next;
    }
  }
  p.p = 0;
  p.reason = "CNAME chain of " + names_[q].name + " longer than " + std::to_string(kMaxChain);
  return p;
}

void DnsCore::commit(std::size_t r, std::size_t inst, const Plan& p, double base) {
  ResolverCache& c = caches_[inst];
  const ResolverPolicy& pol = resolver_policy_[r];
  for (const auto& w : p.writes) {
    CacheEntry e{w.kind, base, base + w.ttl, base + w.ttl + pol.max_stale};
    (w.zone ? c.zones[w.index] : c.names[w.index]) = e;
  }
  for (std::size_t z : p.drop_zones)
    c.zones[z] = CacheEntry{};
}

void DnsCore::account(SampleStats& st, std::size_t r, std::size_t d, const Plan& p, double resolutions,
                      double failure_driven_share) {
  int own = names_[demand_names_[d]].zone;
  int parent = zones_[own].parent;
  auto& pn = st.names[d];
  pn.resolutions += resolutions;
  pn.resolutions_failed += resolutions * failure_driven_share;
  for (const auto& a : p.attempts) {
    double count = a.count * resolutions;
    auto& site = st.sites[a.server][a.site];
    site.sent += count;
    st.zones[std::size_t(a.zone)].sent += count;
    if (!a.arrived) continue;
    site.arrived += count;
    site.dropped += count * (1 - accept(a.server, a.site));
    load_now_[a.server][a.site] += count;
    if (a.zone == own) pn.auth_failure_driven += count * failure_driven_share;
    if (a.zone == parent) pn.tld_failure_driven += count * failure_driven_share;
  }
}

// ---------------------------------------------------------------------------------------------------
// The fluid walk of one (resolver, name) over [t0, t1)

void DnsCore::step_pair(std::size_t r, std::size_t inst, std::size_t d, double t0, double t1, double lam,
                        SampleStats& st, std::array<double, kAnswerKinds>& out) {
  const std::size_t q = demand_names_[d];
  ResolverCache& c = caches_[inst];
  const ResolverPolicy& pol = resolver_policy_[r];
  PerResolverName& pr = pairs_[r][d];
  double t = t0;
  for (int guard = 0; t < t1 - kEps && guard < 100000; ++guard) {
    if (const HoldSegment* h = c.hold_at(q, t)) {
      double e = std::min(h->until, t1);
      add_mix(out, h->mix, lam * (e - t));
      t = e;
      continue;
    }
    // Answer from the cache while every entry of the chain is fresh.
    double until = std::numeric_limits<double>::infinity();
    std::size_t cur = q;
    bool hit = false, stale = false;
    long expired = -1; // the name whose cached entry ran out (text built only if resolution fails)
    Answer rcode = Answer::NoError;
    for (int depth = 0; depth < kMaxChain; ++depth) {
      const CacheEntry& e = c.names[cur];
      if (!e.fresh(t)) {
        stale = e.stale_usable(t);
        if (e.kind != CacheEntry::Kind::Empty) expired = static_cast<long>(cur);
        // Serve-stale needs the rest of the chain stale-usable too.
        for (std::size_t s = cur; stale && c.names[s].kind == CacheEntry::Kind::Cname;) {
          s = static_cast<std::size_t>(names_[s].target);
          stale = c.names[s].stale_usable(t);
        }
        break;
      }
      until = std::min(until, e.until);
      if (e.kind == CacheEntry::Kind::Cname) {
        cur = static_cast<std::size_t>(names_[cur].target);
        continue;
      }
      hit = true;
      rcode = e.kind == CacheEntry::Kind::Negative ? Answer::NxDomain
              : e.kind == CacheEntry::Kind::Forged ? Answer::WrongAddress
                                                   : Answer::NoError;
      break;
    }
    if (hit) {
      double e = std::min(until, t1);
      add_answer(out, rcode, lam * (e - t));
      t = e;
      continue;
    }
    // Tracing: the steps of this resolution, for instance 0 of a resolver the traced region uses.
    std::vector<std::string> steps;
    const bool traced = int(d) == trace_demand_ && inst == inst_base_[r] && trace_region_ >= 0 &&
                        region_share_[std::size_t(trace_region_)][r] > 0;
    if (traced) {
      if (expired >= 0)
        steps.push_back("cache: " + names_[std::size_t(expired)].name + " expired at " +
                        sim::format_offset(c.names[std::size_t(expired)].until));
      else
        steps.push_back("cache: " + names_[cur].name + " not cached");
    }
    Plan p = plan(r, inst, q, t, traced ? &steps : nullptr);
    if (traced) trace(r, d, t, p, steps);
    if (p.p >= 1 - kEps) {
      double d_ok = std::max(p.lat_ok, 1e-3);
      if (p.rcode != Answer::NoError) {
        pr.last_why = {q, -1, 0, 0, std::move(p.reason)};
        pr.last_cause = p.cause;
      }
      commit(r, inst, p, t + d_ok);
      account(st, r, d, p, 1, 0);
      c.holds[q] = {{t + d_ok, AnswerMix::only(d_ok > clients_.timeout ? Answer::Timeout : p.rcode)}};
      continue;
    }
    stale = stale && pol.serve_stale;
    // Every server failed: the instance holds them down (infra cache) before asking again.
    double hold =
        stale ? pol.stale_refresh
              : (p.p <= kEps && !p.lame ? std::max(pol.servfail_ttl, pol.infra_holddown) : pol.servfail_ttl);
    double dur = std::max(p.lat_fail, 1e-3);
    Answer in_flight = stale ? Answer::Stale : (dur > clients_.timeout ? Answer::Timeout : Answer::ServFail);
    Answer held = stale ? Answer::Stale : Answer::ServFail;
    double per_cycle = 1 + (pol.coalesce ? 0 : lam * dur);
    // The query that starts the next resolution arrives 1/lam after the hold ends, on average.
    double gap = lam > 0 ? 1 / lam : 0;
    double cycle = gap + dur + hold;
    // The reason's text is built only if an event needs it (most failed cycles never make one).
    pr.last_why = {q, expired, 0, 0, std::move(p.reason)};
    if (expired >= 0) {
      const CacheEntry& e = c.names[static_cast<std::size_t>(expired)];
      pr.last_why.ttl = e.until - e.from;
      pr.last_why.until = e.until;
    }
    pr.last_cause = p.cause;
    if (p.p <= kEps) {
      commit(r, inst, p, t + dur);
      double k = std::floor((t1 - t) / cycle);
      if (k >= 2) {
        // Many identical failed cycles fit in the step (reachability is fixed within it).
        add_answer(out, in_flight, lam * (gap + dur) * k);
        add_answer(out, held, lam * hold * k);
        account(st, r, d, p, per_cycle * k, 1);
        t += k * cycle;
        continue;
      }
      c.holds[q] = {{t + gap + dur, AnswerMix::only(in_flight)}};
      if (hold > 0) c.holds[q].push_back({t + cycle, AnswerMix::only(held)});
      account(st, r, d, p, per_cycle, 1);
      continue;
    }
    // Some servers drop queries: on average (1-p)/p failed cycles, then a success.
    double n = (1 - p.p) / p.p;
    double fail_time = n * cycle;
    double d_ok = std::max(p.lat_ok, 1e-3);
    AnswerMix mix;
    mix.share[static_cast<std::size_t>(in_flight)] += (gap + dur) / cycle;
    mix.share[static_cast<std::size_t>(held)] += hold / cycle;
    commit(r, inst, p, t + fail_time + d_ok);
    c.holds[q] = {{t + fail_time, mix}, {t + fail_time + d_ok, AnswerMix::only(p.rcode)}};
    double resolutions = n * per_cycle + 1;
    account(st, r, d, p, resolutions, n * per_cycle / resolutions);
  }
}

std::string DnsCore::reason_text(const Why& w) const {
  std::string text = names_[w.name].name + ": ";
  if (w.expired >= 0)
    text += "cached " + names_[std::size_t(w.expired)].name + " (TTL " + sim::format_duration(w.ttl) +
            ") expired at " + sim::format_offset(w.until) + "; ";
  return text + w.reason;
}

void DnsCore::trace(std::size_t r, std::size_t d, double t, const Plan& p, std::vector<std::string>& steps) {
  // The story without its timings: a new event only when the outcome or its reason changes.
  std::string key, outcome;
  if (p.p >= 1 - kEps) {
    key = std::string("answer ") + answer_name(p.rcode);
    outcome = key + " after " + ms_text(p.lat_ok);
  } else if (p.p <= kEps) {
    key = "SERVFAIL";
    outcome = key + " after " + ms_text(p.lat_fail);
  } else {
    key = "answers " + std::to_string(int(std::lround(100 * p.p))) + " % of tries, SERVFAIL otherwise";
    outcome = key;
  }
  if (!p.reason.empty()) {
    key += ": " + p.reason;
    outcome += ": " + p.reason;
  }
  if (key == trace_last_[r]) return;
  trace_last_[r] = key;
  steps.push_back(outcome);
  DnsEvent e{t, "dns.trace", config_.resolvers[r].node, config_.names[d].name, outcome, p.cause, {}};
  e.steps = std::move(steps);
  events_.push_back(std::move(e));
}

// Analytic baseline: with every server answering, each resolver fetches each item of a name's
// resolution (the owner names of its CNAME chain, the delegations of their zones) once per
// TTL + 1/demand, from the item's zone's servers (or the parent's, for a delegation). An item shared
// by several names is attributed to them in proportion to their demand.
void DnsCore::baseline(std::size_t d, const std::vector<double>& demand_rd, std::size_t r, double dt,
                       SampleStats& st) {
  // Each of the resolver's n instances sees 1/n of the demand and fetches every item itself.
  const double n_inst = double(std::max(1, config_.resolvers[r].instances));
  double lam_d = demand_rd[d];
  if (lam_d <= 0) return;
  int own = names_[demand_names_[d]].zone;
  int parent = zones_[own].parent;
  auto& pn = st.names[d];
  for (std::size_t n : needs_[d]) {
    double lam = item_demand_names_[n];
    double rate = n_inst / (names_[n].ttl + n_inst / lam) * lam_d / lam;
    st.zones[std::size_t(names_[n].zone)].base += rate * dt;
    if (names_[n].zone == own) pn.auth_base += rate * dt;
    if (names_[n].zone == parent) pn.tld_base += rate * dt;
  }
  for (int z : needs_zones_[d]) {
    double lam = item_demand_zones_[z];
    double rate = n_inst / (zones_[z].ns_ttl + n_inst / lam) * lam_d / lam;
    st.zones[std::size_t(zones_[z].parent)].base += rate * dt;
    if (zones_[z].parent == own) pn.auth_base += rate * dt;
    if (zones_[z].parent == parent) pn.tld_base += rate * dt;
  }
}

void DnsCore::step(double t0, double t1) {
  const double dt = t1 - t0;
  if (dt <= 0) return;
  SampleStats& st = stats_at(static_cast<std::size_t>(std::floor(t0 / sample_ + 1e-9)));
  const std::size_t nd = config_.names.size();
  update_links(t0, dt, st);
  for (auto& s : load_now_)
    std::fill(s.begin(), s.end(), 0.0);
  const double mid = 0.5 * (t0 + t1);
  std::vector<double> diur(regions_.size());
  for (std::size_t g = 0; g < regions_.size(); ++g)
    diur[g] = regions_[g].population * diurnal(regions_[g], mid);
  std::vector<double> base(nd), offered(nd), due(nd);
  std::vector<std::vector<double>> due_gen(nd);
  const int k = clients_.immediate_retries;
  std::vector<double> lookups(nd);
  for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
    double users = 0;
    for (std::size_t g = 0; g < regions_.size(); ++g)
      users += diur[g] * region_share_[g][r];
    double total = 0;
    for (std::size_t d = 0; d < nd; ++d) {
      PerResolverName& pr = pairs_[r][d];
      base[d] = users * config_.names[d].rate;
      lookups[d] = base[d];
      const bool ext = !external_.empty() && external_[d];
      if (ext) {
        // A users model's demand (its app retries included) and its usual level as the baseline.
        lookups[d] = base[d] = 0;
        for (std::size_t g = 0; g < regions_.size(); ++g) {
          lookups[d] += ext_demand_[g][d] * region_share_[g][r];
          base[d] += ext_usual_[g][d] * region_share_[g][r];
        }
      }
      due_gen[d].assign(clients_.app_retries + 1, 0.0);
      due_gen[d][0] = base[d] * dt;
      double due_lookups = 0;
      while (!pr.retries.empty() && pr.retries.front().first < t1 - kEps) {
        auto [gen, lookups] = pr.retries.front().second;
        due_gen[d][gen] += lookups;
        due_lookups += lookups;
        pr.retries.pop_front();
      }
      due[d] = due_lookups;
      double f = pr.fail_prev, geo = 0, fi = 1;
      for (int i = 0; i <= k; ++i, fi *= f)
        geo += fi;
      offered[d] = (lookups[d] + due_lookups / dt) * geo;
      total += offered[d];
    }
    double cap = config_.resolvers[r].capacity;
    double acc = total <= cap ? 1.0 : cap / total;
    for (std::size_t d = 0; d < nd; ++d) {
      PerResolverName& pr = pairs_[r][d];
      std::array<double, kAnswerKinds> out{};
      if (offered[d] > 0) {
        const int n_inst = std::max(1, config_.resolvers[r].instances);
        for (int i = 0; i < n_inst; ++i)
          step_pair(r, inst_base_[r] + std::size_t(i), d, t0, t1, offered[d] * acc / n_inst, st, out);
      }
      add_answer(out, Answer::Timeout, offered[d] * (1 - acc) * dt);
      double attempts = offered[d] * dt;
      double fails = 0;
      for (std::size_t a = 0; a < kAnswerKinds; ++a)
        if (is_failure(static_cast<Answer>(a))) fails += out[a];
      // Clients retry SERVFAIL and timeouts, not NXDOMAIN (a definite answer).
      double retryable =
          out[static_cast<std::size_t>(Answer::ServFail)] + out[static_cast<std::size_t>(Answer::Timeout)];
      double f = attempts > 0 ? fails / attempts : 0;
      double fr = attempts > 0 ? retryable / attempts : pr.fail_prev;
      double stale_share = attempts > 0 ? out[static_cast<std::size_t>(Answer::Stale)] / attempts : 0;
      // Lookups that failed every immediate try come back after back-off, or give up.
      double all_fail = std::pow(fr, k + 1);
      auto& pn = st.names[d];
      pr.success = attempts > 0 ? 1 - f : (pr.state == PerResolverName::State::Failing ? 0 : 1);
      for (std::size_t a = 0; a < kAnswerKinds; ++a)
        pr.failures[a] = is_failure(static_cast<Answer>(a)) ? out[a] : 0;
      // External demand: the users model retries failed lookups itself.
      const bool ext = !external_.empty() && external_[d];
      for (int g = 0; g <= clients_.app_retries && !ext; ++g) {
        double failed = due_gen[d][g] * all_fail;
        if (failed <= 0) continue;
        if (g < clients_.app_retries) {
          std::pair<double, std::pair<int, double>> item{t0 + clients_.app_backoff * std::pow(2.0, g),
                                                         {g + 1, failed}};
          auto at = std::upper_bound(pr.retries.begin(), pr.retries.end(), item,
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
          pr.retries.insert(at, item);
        } else {
          pn.gave_up += failed;
        }
      }
      pr.fail_prev = fr;
      pn.base_lookups += base[d] * dt;
      pn.attempts += attempts;
      for (std::size_t a = 0; a < kAnswerKinds; ++a) {
        pn.answers[a] += out[a];
        st.resolver_answers[r][a] += out[a];
      }
      st.resolver_base[r] += base[d] * dt;
      st.resolver_attempts[r] += attempts;
      // State changes worth an event (with hysteresis).
      using State = PerResolverName::State;
      const std::string subject = config_.resolvers[r].node;
      const std::string& name = config_.names[d].name;
      if (attempts <= 0) continue;
      if (pr.state != State::Failing && f >= 0.5) {
        Answer worst = worst_failure(out);
        std::string type = std::string("dns.") + answer_name(worst) + "_start";
        std::string reason = worst == Answer::Timeout && out[3] > 0 && acc < 1
                                 ? name + ": resolver over capacity, drops queries"
                                 : reason_text(pr.last_why);
        events_.push_back({t0, type, subject, name, reason, pr.last_cause});
        pr.state = State::Failing;
      } else if (pr.state == State::Ok && stale_share >= 0.5) {
        events_.push_back({t0, "dns.stale_start", subject, name,
                           "serving stale data: " + reason_text(pr.last_why), pr.last_cause});
        pr.state = State::Stale;
      } else if (pr.state != State::Ok && f < 0.05 && stale_share < 0.5) {
        events_.push_back({t0, "dns.resolution_recovered", subject, name,
                           name + ": answered from the authoritative servers again", 0});
        pr.state = State::Ok;
      }
    }
    // Demand for each shared item of this resolver, then each name's share of the baseline.
    item_demand_names_.assign(names_.size(), 0.0);
    item_demand_zones_.assign(zones_.size(), 0.0);
    for (std::size_t d = 0; d < nd; ++d) {
      for (std::size_t n : needs_[d])
        item_demand_names_[n] += base[d];
      for (int z : needs_zones_[d])
        item_demand_zones_[z] += base[d];
    }
    for (std::size_t d = 0; d < nd; ++d)
      baseline(d, base, r, dt, st);
  }
  // The usual external demand: what each region asked while its resolutions worked.
  for (std::size_t d = 0; d < nd && !external_.empty(); ++d)
    if (external_[d])
      for (std::size_t g = 0; g < regions_.size(); ++g)
        if (region_outcome(g, d).success >= 0.99) ext_usual_[g][d] = ext_demand_[g][d];
  // Attack traffic, and the load the servers will see in the next step.
  for (std::size_t s = 0; s < config_.servers.size(); ++s)
    for (std::size_t k2 = 0; k2 < config_.servers[s].sites.size(); ++k2) {
      double a = attack_[s][k2];
      load_prev_[s][k2] = load_now_[s][k2] / dt;
      if (a <= 0) continue;
      st.sites[s][k2].attack += a * dt;
      st.sites[s][k2].dropped += a * dt * (1 - accept(s, k2));
      for (std::size_t d = 0; d < nd; ++d) {
        int own = names_[demand_names_[d]].zone;
        const auto& sv = zones_[own].servers;
        if (std::find(sv.begin(), sv.end(), s) != sv.end()) st.names[d].auth_attack += a * dt;
      }
    }
}

} // namespace outagesim::dns
