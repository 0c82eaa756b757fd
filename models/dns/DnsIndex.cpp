// DnsCore, the index: zones, names, CNAME chains, sites, resolver instances; lookups by name.
#include "models/dns/DnsCore.hpp"

#include <cmath>

#include <algorithm>
#include <cassert>

#include "sim/core/Rng.hpp"
#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

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
    std::array<double, 16> timeouts{}; // per round (server_retries is at most 10)
    for (int round = 0; round < 1 + p.server_retries && round < 16; ++round)
      timeouts[std::size_t(round)] = p.timeout * std::pow(p.backoff, round);
    round_timeouts_.push_back(timeouts);
    inst_base_.push_back(inst_resolver_.size());
    for (int i = 0; i < std::max(1, r.instances); ++i)
      inst_resolver_.push_back(resolver_policy_.size() - 1);
    pairs_.emplace_back(demand_names_.size());
  }
  // Holds exist for query names only: one slot per distinct one.
  std::vector<int> hold_slot(names_.size(), -1);
  int slots = 0;
  for (std::size_t q : demand_names_)
    if (hold_slot[q] < 0) hold_slot[q] = slots++;
  caches_.reset(inst_resolver_.size(), names_.size(), zones_.size(), std::move(hold_slot));
  walk_memo_.assign(caches_.instances() * demand_names_.size(), {});
  walk_mix_.assign(walk_memo_.size(), {});
  walk_groups_.assign(config_.resolvers.size() * demand_names_.size(), {});
  outcomes_.assign(walk_groups_.size(), {});
  name_demands_.assign(names_.size(), {});
  for (std::size_t d = 0; d < needs_.size(); ++d)
    for (std::size_t n : needs_[d])
      name_demands_[n].push_back(d);
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
  // Interned: the first of equal paths or names wins, as the linear searches did.
  for (std::size_t g = 0; g < regions_.size(); ++g) {
    region_by_path_.emplace(regions_[g].path, int(g));
    if (regions_[g].path.rfind("region:", 0) == 0) region_by_id_.emplace(regions_[g].path.substr(7), int(g));
  }
  for (std::size_t i = 0; i < config_.names.size(); ++i)
    demand_by_name_.emplace(config_.names[i].name, int(i));
  region_share_.assign(regions_.size(), std::vector<double>(config_.resolvers.size(), 0.0));
  for (const auto& c : config_.clients)
    for (std::size_t g = 0; g < regions_.size(); ++g)
      if (regions_[g].path == c.region)
        for (const auto& [res, share] : c.via) {
          int ri = resolver_index(res);
          if (ri >= 0) region_share_[g][ri] += share;
        }
  // Who uses whom, sparse: the sums over regions and resolvers in a step skip the pairs that share
  // nothing (their terms are exact zeros, so the sums come out the same).
  resolver_regions_.assign(config_.resolvers.size(), {});
  region_resolvers_.assign(regions_.size(), {});
  for (std::size_t g = 0; g < regions_.size(); ++g)
    for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
      if (region_share_[g][r] != 0) resolver_regions_[r].push_back(g);
      if (region_share_[g][r] > 0) region_resolvers_[g].push_back(r);
    }
}

void DnsCore::fill_caches_at_random_ages(std::uint64_t seed) {
  auto g = sim::rng_stream(seed, "dns.cache_ages");
  for (std::size_t r = 0; r < config_.resolvers.size(); ++r) {
    const double max_stale = resolver_policy_[r].max_stale;
    for (std::size_t i = 0; i < std::size_t(std::max(1, config_.resolvers[r].instances)); ++i) {
      const std::size_t inst = inst_base_[r] + i;
      forget_walks(inst);
      auto fill = [&](CacheEntry& e, CacheEntry::Kind kind, double ttl) {
        const double age = sim::uniform01(g) * ttl;
        e = CacheEntry{kind, -age, ttl - age, ttl - age + max_stale};
      };
      for (std::size_t n = 0; n < names_.size(); ++n)
        if (names_[n].has_record)
          fill(caches_.name(inst, n),
               names_[n].type == RecordSpec::Type::Cname ? CacheEntry::Kind::Cname
                                                         : CacheEntry::Kind::Address,
               names_[n].ttl);
      for (std::size_t z = 0; z < zones_.size(); ++z)
        if (zones_[z].parent >= 0) fill(caches_.zone(inst, z), CacheEntry::Kind::Delegation, zones_[z].ns_ttl);
    }
  }
}

int DnsCore::region_index(const std::string& path) const {
  auto it = region_by_path_.find(path);
  return it == region_by_path_.end() ? -1 : it->second;
}

int DnsCore::region_index_any(const std::string& path_or_id) const {
  if (path_or_id.rfind("region:", 0) == 0) return region_index(path_or_id);
  auto it = region_by_id_.find(path_or_id);
  return it == region_by_id_.end() ? -1 : it->second;
}

int DnsCore::demand_index(const std::string& name) const {
  auto it = demand_by_name_.find(name);
  return it == demand_by_name_.end() ? -1 : it->second;
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

int DnsCore::site_node_index(const std::string& node) const {
  for (std::size_t g = 0; g < site_nodes_.size(); ++g)
    if (site_nodes_[g].node == node) return static_cast<int>(g);
  return -1;
}

} // namespace outagesim::dns
