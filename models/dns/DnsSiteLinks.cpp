// DnsCore, sites and their links: reachability, anycast catchment, attacks, capacity, access links.
#include "models/dns/DnsCore.hpp"

#include <algorithm>

#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

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

// ---------------------------------------------------------------------------------------------------
// Reachability and capacity

// Each entry is asked of reach_fn_ when first used after an invalidation (within a step the world
// is fixed, so when it is asked does not matter): a step in which few caches resolve asks little.
void DnsCore::validate_reach() {
  if (reach_valid_) return;
  if (reach_.empty()) {
    std::size_t flat = site_base_.empty() ? 0 : site_base_.back() + config_.servers.back().sites.size();
    reach_.assign(config_.resolvers.size(), std::vector<Reach>(flat));
    reach_stamp_.assign(config_.resolvers.size(), std::vector<std::uint64_t>(flat, 0));
  }
  ++reach_gen_;
  reach_valid_ = true;
}

const Reach& DnsCore::reach(std::size_t resolver, std::size_t server, std::size_t site) {
  validate_reach();
  const std::size_t i = site_base_[server] + site;
  Reach& re = reach_[resolver][i];
  if (reach_stamp_[resolver][i] != reach_gen_) {
    re = reach_fn_ ? reach_fn_(resolver, server, site) : Reach{true, 0.01, "", 0};
    reach_stamp_[resolver][i] = reach_gen_;
  }
  return re;
}

// Everything view_zone reads besides the config: reachability (its generation), accept() of each site,
// and the state of each site node. Compared with the last step's as numbers and texts.
void DnsCore::check_views() {
  validate_reach();
  bool changed = reach_gen_ != view_reach_gen_;
  view_reach_gen_ = reach_gen_;
  std::size_t i = 0;
  auto number = [&](double x) {
    if (i < view_numbers_.size()) {
      // Bit for bit: a NaN never comes here (shares and loads are finite).
      if (view_numbers_[i] != x) changed = true;
      view_numbers_[i] = x;
    } else {
      view_numbers_.push_back(x);
      changed = true;
    }
    ++i;
  };
  for (std::size_t s = 0; s < config_.servers.size(); ++s)
    for (std::size_t k = 0; k < config_.servers[s].sites.size(); ++k)
      number(accept(s, k));
  if (view_whys_.size() != site_nodes_.size()) {
    view_whys_.assign(site_nodes_.size(), std::string());
    view_ids_.assign(3 * site_nodes_.size(), 0);
    changed = true;
  }
  for (std::size_t g = 0; g < site_nodes_.size(); ++g) {
    const SiteNode& n = site_nodes_[g];
    number(n.pass);
    number(n.misbehave_share);
    const std::uint64_t ids[3] = {n.cause, std::uint64_t(n.misbehave), n.misbehave_cause};
    for (std::size_t j = 0; j < 3; ++j)
      if (view_ids_[3 * g + j] != ids[j]) {
        view_ids_[3 * g + j] = ids[j];
        changed = true;
      }
    if (view_whys_[g] != n.why) {
      view_whys_[g] = n.why;
      changed = true;
    }
  }
  if (changed) ++view_gen_;
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
      // The link's id (its path without "link:"), for the events' texts only.
      auto id = [&l] { return l.path.substr(l.path.find(':') + 1); };
      if (!n.congested[i] && share < 1) {
        n.congested[i] = 1;
        const double part = offered > 0 ? on_link / offered : 0; // this link's part of every kind
        std::string reason =
            id() + " congested: " + bps_text(on_link) + " offered to " + bps_text(l.capacity_bps) + " (";
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
        std::string reason = id() + " no longer congested: " +
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

} // namespace outagesim::dns
