#include "models/dns/DnsCore.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "sim/core/Rng.hpp"
#include "sim/events/EventLog.hpp"

#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

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
  double weight = 0, success = 0, hijacked = 0;
  std::array<double, kAnswerKinds> fails{};
  for (std::size_t r : region_resolvers_.at(region)) {
    double share = region_share_[region][r];
    const PairOutcome& pr = outcomes_[r * demand_names_.size() + demand];
    weight += share;
    success += share * pr.success;
    for (std::size_t a = 0; a < kAnswerKinds; ++a)
      fails[a] += share * pr.failures[a];
    if (pr.success < 1 && pr.cause > o.cause) o.cause = pr.cause;
    hijacked += share * pr.hijacked;
  }
  if (weight <= 0) return o;
  o.success = success / weight;
  o.hijacked = hijacked / weight;
  o.failure = worst_failure(fails);
  return o;
}

double DnsCore::hijacked_share(std::size_t r, std::size_t d, double t) const {
  if (zone_views_.empty()) return 0;
  // A resolution is hijacked when any of its queries went to an unauthorised origin: to the servers
  // of a zone of its CNAME chain, or to the parent (up to the TLD) that hands out such a zone's
  // delegation. A forged delegation from a TLD's hijacked servers sends the name's traffic to the
  // hijacker as surely as a hijack of the zone's own servers. Each zone counts by the share of its
  // servers whose route an unauthorised origin attracts, from the resolver's view of the zone when it
  // last asked it (a view changes only when the zone is asked again: answering from its cache, a
  // resolver counts by where its last queries went). A parent is asked only by the instances that
  // need the delegation (not fresh in their cache: a delegation lasts days): it counts for that share
  // of the resolver's instances. The shares combine as independent chances of a clean resolution.
  double clean = 1, only = 0;
  int hit = 0;
  auto count = [&](int zone, double weight) {
    if (zone < 0 || weight <= 0) return;
    const ViewUse& v = view_use_[r * zones_.size() + std::size_t(zone)];
    if (v.used == 0 || v.servers == 0) return; // never asked: nothing to count
    const double n = v.attracted;
    if (n == 0) return;
    const double a = weight * n / v.servers;
    clean *= 1 - a;
    only = a;
    ++hit;
  };
  const std::size_t chain = needs_[d].size();
  for (std::size_t i = 0; i < chain; ++i) {
    const int zone = names_[needs_[d][i]].zone;
    bool repeat = false; // a zone counts once, however many names of the chain it holds
    for (std::size_t j = 0; j < i && !repeat; ++j)
      repeat = names_[needs_[d][j]].zone == zone;
    if (!repeat) count(zone, 1);
  }
  for (int z : needs_zones_[d]) {
    const int parent = zones_[z].parent;
    if (view_use_[r * zones_.size() + std::size_t(parent)].attracted == 0)
      continue; // the usual case: no instance needs looking at
    const std::size_t n_inst = std::size_t(std::max(1, config_.resolvers[r].instances));
    double need = 0;
    for (std::size_t i = 0; i < n_inst; ++i)
      if (!caches_.zone(inst_base_[r] + i, std::size_t(z)).fresh(t)) ++need;
    count(parent, need / double(n_inst));
  }
  // One attracted zone: its share as it is (the same number as when only the name's own zone counted).
  return hit == 0 ? 0 : hit == 1 ? only : 1 - clean;
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
    site.dropped += count * (1 - accepted(a.server, a.site));
    load_now_[a.server][a.site] += count;
    if (a.zone == own) pn.auth_failure_driven += count * failure_driven_share;
    if (a.zone == parent) pn.tld_failure_driven += count * failure_driven_share;
  }
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
  ++step_no_;
  SampleStats& st = stats_at(static_cast<std::size_t>(std::floor(t0 / sample_ + 1e-9)));
  if (zone_views_.empty()) {
    zone_views_.resize(config_.resolvers.size() * zones_.size());
    view_use_.resize(zone_views_.size());
  }
  const std::size_t nd = config_.names.size();
  update_links(t0, dt, st);
  check_views();
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
    for (std::size_t g : resolver_regions_[r])
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
        for (std::size_t g : resolver_regions_[r]) {
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
        walk_group(r, d, t0, t1, offered[d] * acc / n_inst, st, out);
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
      PairOutcome& po = outcomes_[r * nd + d];
      po.success = attempts > 0 ? 1 - f : (pr.state == PerResolverName::State::Failing ? 0 : 1);
      for (std::size_t a = 0; a < kAnswerKinds; ++a)
        po.failures[a] = is_failure(static_cast<Answer>(a)) ? out[a] : 0;
      po.hijacked = hijacked_share(r, d, t1);
      po.cause = pr.last_cause;
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
      const std::string& subject = config_.resolvers[r].node;
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
        if (std::find(sv.begin(), sv.end(), s) != sv.end()) {
          st.names[d].auth_attack += a * dt;
          st.names[d].auth_attack_bits += a * 8 * query_bytes_ * dt;
        }
      }
    }
  // A junk flood at a site node hits every name with an authoritative server there (once per node).
  for (const auto& n : site_nodes_) {
    if (n.flood_bps <= 0) continue;
    for (std::size_t d = 0; d < nd; ++d) {
      const auto& sv = zones_[names_[demand_names_[d]].zone].servers;
      for (const auto& [s, k2] : n.addresses)
        if (std::find(sv.begin(), sv.end(), s) != sv.end()) {
          st.names[d].auth_attack_bits += n.flood_bps * dt;
          break;
        }
    }
  }
}

} // namespace outagesim::dns
