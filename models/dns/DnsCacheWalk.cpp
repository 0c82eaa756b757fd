// DnsCore, the cache walk: one (resolver instance, name) over a step.
#include "models/dns/DnsCore.hpp"

#include <algorithm>
#include <limits>

#include "sim/events/EventLog.hpp"
#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

// ---------------------------------------------------------------------------------------------------
// The instances of one (resolver, name) over [t0, t1)

// Each instance adds lam * (t1 - t0) of its memo's answer (or of each kind of its hold's mix) when the
// memo covers the step, else walks its cache: in index order, so the sums are the same additions in
// the same order whichever instances walk. When every memo covers the step (the group's `until`, the
// first date one of them ends, is not passed and no memo changed since), no walk runs; and when the
// count lam * (t1 - t0) is also bit for bit the last one, the additions are those of the last step:
// their sum is reused as it is.
void DnsCore::walk_group(std::size_t r, std::size_t d, double t0, double t1, double lam, SampleStats& st,
                         std::array<double, kAnswerKinds>& out) {
  const std::size_t n = std::size_t(std::max(1, config_.resolvers[r].instances));
  const std::size_t first = d * caches_.instances() + inst_base_[r];
  WalkGroup& g = walk_groups_[r * demand_names_.size() + d];
  const double count = lam * (t1 - t0);
  if (t0 < t1 - kEps && t1 <= g.until) {
    if (g.sum_valid && count == g.count) {
      for (std::size_t a = 0; a < kAnswerKinds; ++a)
        out[a] += g.sum[a];
      return;
    }
    std::array<double, kAnswerKinds> sum{};
    for (std::size_t i = 0; i < n; ++i) {
      const WalkMemo& m = walk_memo_[first + i];
      if (m.code == kHoldMemo)
        walk_mix_[first + i].add_to(sum, count);
      else
        sum[std::size_t(m.code)] += count;
    }
    for (std::size_t a = 0; a < kAnswerKinds; ++a)
      out[a] += sum[a];
    g.sum = sum;
    g.count = count;
    g.sum_valid = true;
    return;
  }
  g.sum_valid = false;
  // The walks read their instance's entries of the demand's names and delegations and its holds: one
  // name's entries of all instances are adjacent, but the instances that walk are a scattered few, so
  // each walk would wait for its misses in turn. The entries of the walk kAhead places further are
  // asked for before each walk (of the first kAhead + 1 before the first), so that the misses overlap.
  // Which instances walk is known before the first walks: a walk changes its own instance's memos only.
  auto covers = [&](const WalkMemo& m) {
    return m.code != kNoMemo && t0 < m.until && m.until >= t1 && t0 < t1 - kEps;
  };
  std::vector<std::uint32_t>& todo = walk_todo_;
  todo.clear();
  for (std::size_t i = 0; i < n; ++i)
    if (!covers(walk_memo_[first + i])) todo.push_back(std::uint32_t(i));
  const std::size_t q = demand_names_[d];
  constexpr std::size_t kAhead = 4;
  std::size_t walked = 0; // walks done: todo[walked] is the next instance that walks
  double until = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    const WalkMemo& m = walk_memo_[first + i];
    if (walked == todo.size() || todo[walked] != i) {
      // The same hold, or the same fresh chain without a hold, over the whole step: what the walk
      // would add.
      if (m.code == kHoldMemo)
        walk_mix_[first + i].add_to(out, count);
      else
        add_answer(out, static_cast<Answer>(m.code), count);
    } else {
      // Written out here: in a helper (a lambda), GCC 12 takes the prefetches for code without effect
      // and drops them.
      for (std::size_t k = walked ? walked + kAhead : 0; k <= walked + kAhead && k < todo.size(); ++k) {
        const std::size_t inst = inst_base_[r] + todo[k];
        __builtin_prefetch(caches_.holds_address(inst, q));
        for (std::size_t name : needs_[d])
          __builtin_prefetch(caches_.name_address(inst, name));
        for (int z : needs_zones_[d])
          __builtin_prefetch(caches_.zone_address(inst, std::size_t(z)));
      }
      ++walked;
      step_pair(r, inst_base_[r] + i, d, t0, t1, lam, st, out);
    }
    // A walk changes the memos of its own instance only.
    until = std::min(until, m.code == kNoMemo ? -std::numeric_limits<double>::infinity() : m.until);
  }
  g.until = until;
}

// ---------------------------------------------------------------------------------------------------
// The fluid walk of one (resolver instance, name) over [t0, t1)

void DnsCore::step_pair(std::size_t r, std::size_t inst, std::size_t d, double t0, double t1, double lam,
                        SampleStats& st, std::array<double, kAnswerKinds>& out) {
  // walk_group() calls this only when the memo does not cover the step (see there).
  WalkMemo& memo = memo_of(inst, d);
  const std::size_t q = demand_names_[d];
  Holds& holds = caches_.holds(inst, q);
  const ResolverPolicy& pol = resolver_policy_[r];
  PerResolverName& pr = pairs_[r][d];
  memo.code = kNoMemo;
  double t = t0;
  for (int guard = 0; t < t1 - kEps && guard < 100000; ++guard) {
    if (const int h = holds.active(t); h >= 0) {
      const double h_until = holds.until[std::size_t(h)];
      const HoldMix h_mix = holds.mix(std::size_t(h));
      if (h_until >= t1) {
        memo = {h_until, kHoldMemo};
        walk_mix_[d * caches_.instances() + inst] = h_mix;
      }
      double e = std::min(h_until, t1);
      h_mix.add_to(out, lam * (e - t));
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
      const CacheEntry& e = caches_.name(inst, cur);
      if (!e.fresh(t)) {
        stale = e.stale_usable(t);
        if (e.kind != CacheEntry::Kind::Empty) expired = static_cast<long>(cur);
        // Serve-stale needs the rest of the chain stale-usable too.
        for (std::size_t s = cur; stale && caches_.name(inst, s).kind == CacheEntry::Kind::Cname;) {
          s = static_cast<std::size_t>(names_[s].target);
          stale = caches_.name(inst, s).stale_usable(t);
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
      if (until >= t1) memo = {until, static_cast<std::int8_t>(rcode)};
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
                        sim::format_offset(caches_.name(inst, std::size_t(expired)).until));
      else
        steps.push_back("cache: " + names_[cur].name + " not cached");
    }
    Plan& p = plan_scratch_;
    plan(p, r, inst, q, t, traced ? &steps : nullptr);
    if (traced) trace(r, d, t, p, steps);
    if (p.p >= 1 - kEps) {
      double d_ok = std::max(p.lat_ok, 1e-3);
      if (p.rcode != Answer::NoError) {
        set_why(pr.last_why, q, -1, p.reason);
        pr.last_cause = p.cause;
      }
      commit(r, inst, p, t + d_ok);
      account(st, r, d, p, 1, 0);
      holds.set(t + d_ok, HoldMix::only(d_ok > clients_.timeout ? Answer::Timeout : p.rcode));
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
    set_why(pr.last_why, q, expired, p.reason);
    if (expired >= 0) {
      const CacheEntry& e = caches_.name(inst, static_cast<std::size_t>(expired));
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
      holds.set(t + gap + dur, HoldMix::only(in_flight));
      if (hold > 0) holds.push(t + cycle, HoldMix::only(held));
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
    holds.set(t + fail_time, HoldMix::of(mix));
    holds.push(t + fail_time + d_ok, HoldMix::only(p.rcode));
    double resolutions = n * per_cycle + 1;
    account(st, r, d, p, resolutions, n * per_cycle / resolutions);
  }
}

} // namespace outagesim::dns
