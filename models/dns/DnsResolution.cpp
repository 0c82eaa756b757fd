// DnsCore, one upstream resolution: the NS sets asked, delegations, what it writes to the cache.
#include "models/dns/DnsCore.hpp"

#include <algorithm>
#include <optional>

#include "sim/events/EventLog.hpp"
#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

bool DnsCore::take_forged(std::size_t inst, double f) {
  if (f >= 1 - kEps) return true;
  if (f <= kEps) return false;
  double& a = forge_acc_[inst];
  a += f;
  if (a < 1) return false;
  a -= 1;
  return true;
}

// ---------------------------------------------------------------------------------------------------
// One upstream resolution

// What asking a zone's NS set looks like from a resolver now: the site each server's address leads to
// (the nearest reachable one, anycast) and how it answers. Within a step it depends on the resolver
// and the zone only (reachability, load, links and faults are fixed), so the instances of a resolver
// share it: zone_view() computes it once per (resolver, zone), and again only after one of its inputs
// changed (check_views); a traced resolution computes its own, with its steps.
void DnsCore::view_zone(std::size_t r, int zone, const std::string& qname, ZoneView& v,
                        std::vector<std::string>* trace) {
  const auto& servers = zones_[zone].servers;
  const std::size_t n = servers.size();
  auto& choice = v.choice;
  choice.assign(n, ZoneChoice{});
  std::string& why = v.why;
  std::uint64_t& cause = v.cause;
  bool &overloaded = v.overloaded, &congested = v.congested, &lossy_route = v.lossy_route,
       &misbehaving = v.misbehaving;
  std::string& link_why = v.link_why;
  std::string& route_why = v.route_why;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& sv = config_.servers[servers[i]];
    std::string server_why;
    for (std::size_t k = 0; k < sv.sites.size(); ++k) {
      const Reach& re = reach(r, servers[i], k);
      if (!re.no_route) choice[i].no_route = false;
      if (re.attracted_by) choice[i].attracted = re.attracted_by;
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
      if (trace)
        trace->push_back("ask " + sv.id + " for " + qname + ": routed to AS" +
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
      if (trace && sn.pass < 1) {
        const double served = sn.pass > 0 ? choice[i].p / sn.pass : 0;
        trace->push_back("ask " + sv.id + " for " + qname + ": " + percent_text(1 - sn.pass) +
                           " of queries lost on the way to site " + sv.sites[site] + " (" + sn.why + ")" +
                           (sn.pass <= 0 ? ": times out"
                            : served < 1 ? ", the site answers " + percent_text(served) + " of the rest in " +
                                               ms_text(2 * choice[i].latency)
                                         : ", the rest answered in " + ms_text(2 * choice[i].latency)));
      } else if (trace) {
        trace->push_back("ask " + sv.id + " for " + qname + ": site " + sv.sites[site] +
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
            v.lame = true;
          }
          choice[i].p *= 1 - m;
        }
        const std::string text =
            "site " + sv.sites[site] + " answers " + kind + " to " + percent_text(m) + " of queries";
        if (why.find(text) == std::string::npos) why += (why.empty() ? "" : "; ") + text;
        cause = std::max(cause, sn.misbehave_cause);
        misbehaving = true;
        if (trace) trace->push_back("ask " + sv.id + " for " + qname + ": " + text);
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
        if (trace)
          trace->push_back("ask " + sv.id + " for " + qname + ": " + percent_text(1 - route.delivered) +
                             " of queries lost on the way to site " + sv.sites[site] + " (" + route.loss +
                             ")");
      }
    } else {
      why += (why.empty() ? "" : "; ") + (server_why.empty() ? sv.id + " unreachable" : server_why);
      if (trace)
        trace->push_back("ask " + sv.id + " for " + qname + ": " +
                           (choice[i].no_route ? "fails at once (" : "times out (") +
                           (server_why.empty() ? "unreachable" : server_why) + ")");
    }
  }
}

const DnsCore::ZoneView& DnsCore::zone_view(std::size_t r, int zone, const std::string& qname) {
  const std::size_t i = r * zones_.size() + std::size_t(zone);
  ZoneView& v = zone_views_[i];
  if (v.stamp != view_gen_) {
    v = ZoneView{};
    view_zone(r, zone, qname, v, nullptr);
    v.stamp = view_gen_;
    double n = 0;
    for (const auto& c : v.choice)
      if (c.attracted) ++n;
    view_use_[i].attracted = n;
    view_use_[i].servers = double(v.choice.size());
  }
  view_use_[i].used = step_no_;
  return v;
}

double DnsCore::query_zone(std::size_t r, int zone, const std::string& qname, Plan& p, double& weight) {
  const auto& servers = zones_[zone].servers;
  const std::size_t n = servers.size();
  if (n == 0) {
    p.reason = "zone " + zones_[zone].name + " has no name server";
    return 0;
  }
  const ResolverPolicy& pol = resolver_policy_[r];
  std::optional<ZoneView> traced; // a traced resolution's own view, with its steps
  if (p.trace) view_zone(r, zone, qname, traced.emplace(), p.trace);
  const ZoneView& v = p.trace ? *traced : zone_view(r, zone, qname);
  p.forged = 0;
  if (v.lame) p.lame = true;
  const auto& choice = v.choice;
  const std::uint64_t cause = v.cause;
  const bool overloaded = v.overloaded, congested = v.congested, lossy_route = v.lossy_route,
             misbehaving = v.misbehaving;
  const std::string& link_why = v.link_why;
  const std::string& route_why = v.route_why;
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
  const std::array<double, 16>& timeouts = round_timeouts_[r];
  // The resolution's budgets (time and upstream queries) bound the tries: earlier zones of this
  // resolution (a delegation) have spent p.lat_ok seconds and p.tries queries on their way to success.
  // A try is sent only while time is left; a resolution out of time or tries fails (SERVFAIL).
  const double time_left = std::max(0.0, pol.budget - p.lat_ok);
  const double tries_left = std::max(0.0, double(pol.max_tries) - std::floor(p.tries + kEps));
  double tries_ok = 0;
  // The first zone a resolution asks (its delegation cached) starts from nothing spent: the same for
  // every instance of the resolver in this step, so the tries below are worked out once.
  ZoneView* memo = !p.trace && weight == 1.0 && p.lat_ok == 0.0 && p.tries == 0.0 && p.attempts.empty()
                       ? &zone_views_[r * zones_.size() + std::size_t(zone)]
                       : nullptr;
  if (memo && memo->first.done) {
    const ZoneView::First& f = memo->first;
    success = f.success;
    lat_ok = f.lat_ok;
    lat_fail = f.lat_fail;
    forged = f.forged;
    tries_ok = f.tries_ok;
    if (f.hijacked) {
      p.hijacker = f.hijacker;
      p.hijack_cause = f.hijack_cause;
    }
    p.attempts = f.attempts;
  } else {
    bool hijacked = false;
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
            hijacked = true;
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
    if (memo) {
      ZoneView::First& f = memo->first;
      f = {true,     success,  lat_ok,      lat_fail,       forged,
           tries_ok, hijacked, p.hijacker, p.hijack_cause, p.attempts};
    }
  }
  p.lat_fail = p.lat_ok + lat_fail;
  // The reason's text depends on the view (fixed within the step), the zone, the name and the kind of
  // trouble only: built the first time it is needed in the step, then copied.
  auto reason = [&](ZoneView::Reason kind) -> const std::string& {
    ZoneView::ReasonText& slot = v.reasons[kind];
    if (slot.qname == &qname) return slot.text;
    std::string why = v.why;
    if (congested) why += (why.empty() ? "" : "; ") + link_why;
    if (lossy_route) why += (why.empty() ? "" : "; ") + route_why;
    const std::string& zn = zones_[zone].name;
    switch (kind) {
    case ZoneView::NoAnswerMisbehaving:
      slot.text = "no server of " + zn + " answers " + qname + " (" + why + ")";
      break;
    case ZoneView::NoAnswer:
      slot.text = "no server of " + zn + " answers for " + qname + " (" + why + ")";
      break;
    case ZoneView::Congested:
      slot.text = "queries to the servers of " + zn + " are lost on their access links" +
                  (overloaded ? " and dropped past capacity" : "") + " (" + why + ")";
      break;
    case ZoneView::LossyRoute:
      slot.text = "queries to the servers of " + zn + " are lost on the way" +
                  (overloaded ? " and dropped past capacity" : "") + " (" + why + ")";
      break;
    case ZoneView::Misbehaving:
      slot.text = "servers of " + zn + " misbehave (" + why + ")";
      break;
    default:
      slot.text = "servers of " + zn + " drop queries past their capacity" + (why.empty() ? "" : " (" + why + ")");
      break;
    }
    slot.qname = &qname;
    return slot.text;
  };
  if (misbehaving && success <= kEps) {
    p.reason = reason(ZoneView::NoAnswerMisbehaving);
    p.cause = cause;
    return 0;
  }
  if (success <= kEps) {
    p.reason = reason(ZoneView::NoAnswer);
    p.cause = cause;
    return 0;
  }
  p.lat_ok += lat_ok / success;
  p.tries += tries_ok / success;
  p.forged = forged / success;
  if (congested) {
    p.reason = reason(ZoneView::Congested);
    p.cause = cause;
  } else if (lossy_route) {
    p.reason = reason(ZoneView::LossyRoute);
    p.cause = cause;
  } else if (misbehaving) {
    p.reason = reason(ZoneView::Misbehaving);
    p.cause = cause;
  } else if (overloaded || success < 1 - kEps) {
    p.reason = reason(ZoneView::Capacity);
  }
  return std::min(1.0, success);
}

DnsCore::Delegation DnsCore::ensure_delegation(std::size_t r, std::size_t inst, int zone, double t, Plan& p,
                                               double& weight) {
  int parent = zones_[zone].parent;
  if (parent < 0) return Delegation::Known; // a TLD: known from the root hints
  const CacheEntry& cached = caches_.zone(inst, std::size_t(zone));
  if (cached.fresh(t)) {
    if (p.trace)
      p.trace->push_back("delegation of " + zones_[zone].name + " cached until " +
                         sim::format_offset(cached.until));
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

void DnsCore::plan(Plan& p, std::size_t r, std::size_t inst, std::size_t q, double t,
                   std::vector<std::string>* trace) {
  p.reset(trace);
  double weight = 1;
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
    const CacheEntry& cached = caches_.name(inst, cur);
    if (from_plan || cached.fresh(t)) {
      CacheEntry::Kind kind = cached.kind;
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
      return;
    }
    int zone = names_[cur].zone;
    switch (ensure_delegation(r, inst, zone, t, p, weight)) {
    case Delegation::Known:
      break;
    case Delegation::Failed:
      p.p = 0;
      return;
    case Delegation::NxDomain:
      p.writes.push_back({false, cur, CacheEntry::Kind::Negative, p.neg_ttl});
      p.rcode = Answer::NxDomain;
      return;
    case Delegation::Forged:
      p.writes.push_back({false, cur, CacheEntry::Kind::Forged, present(cur) ? names_[cur].ttl : 300});
      p.rcode = Answer::WrongAddress;
      return;
    }
    double pz = query_zone(r, zone, names_[cur].name, p, weight);
    if (pz <= 0) {
      p.p = 0;
      if (resolver_policy_[r].refetch_delegation && zones_[zone].parent >= 0)
        p.drop_zones.push_back(static_cast<std::size_t>(zone));
      return;
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
      return;
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
  return;
}

void DnsCore::commit(std::size_t r, std::size_t inst, const Plan& p, double base) {
  const ResolverPolicy& pol = resolver_policy_[r];
  for (const auto& w : p.writes) {
    CacheEntry e{w.kind, base, base + w.ttl, base + w.ttl + pol.max_stale};
    (w.zone ? caches_.zone(inst, w.index) : caches_.name(inst, w.index)) = e;
    if (!w.zone) forget_walks(inst, w.index);
  }
  for (std::size_t z : p.drop_zones)
    caches_.zone(inst, z) = CacheEntry{};
}

} // namespace outagesim::dns
