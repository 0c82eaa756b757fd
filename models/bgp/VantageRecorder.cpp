#include "models/bgp/VantageRecorder.hpp"

#include "sim/core/Time.hpp"

#include <algorithm>
#include <cmath>

namespace outagesim::bgp {

namespace {

constexpr double kBurstWindow = 1800;    // bgp.burst_kind: first 30 min
constexpr double kGoneThreshold = 0.05;  // bgp.prefix_gone
constexpr double kStaysThreshold = 0.95; // bgp.prefix_stays_visible

std::size_t interval_of(double t, double step, std::size_t n) {
  if (t <= 0) return 0;
  auto k = static_cast<std::size_t>(std::floor(t / step));
  return std::min(k, n - 1);
}

} // namespace

VantageRecorder::VantageRecorder(std::vector<Asn> vantages, std::map<Prefix, std::set<Asn>> origins,
                                 std::vector<Asn> victims)
    : vantages_(std::move(vantages)), origins_(std::move(origins)), victims_(std::move(victims)) {
  std::sort(vantages_.begin(), vantages_.end());
  vantage_set_.insert(vantages_.begin(), vantages_.end());
}

void VantageRecorder::set_initial(Asn vantage, const Prefix& prefix, bool has_route, Asn origin,
                                  bool valley) {
  initial_[{vantage, prefix}] = State{has_route, valley, has_route ? origin : 0};
  current_[{vantage, prefix}] = State{has_route, valley, has_route ? origin : 0};
  if (has_route && origin) initial_origins_[prefix].insert(origin);
}

void VantageRecorder::on_update(double t, Asn vantage, const Prefix& prefix, bool withdrawal, Asn origin) {
  updates_.push_back(Update{t, vantage, prefix, withdrawal, origin});
}

void VantageRecorder::on_best_change(double t, Asn vantage, const Prefix& prefix, bool had, bool has,
                                     Asn origin, bool valley, std::uint64_t path) {
  changes_.push_back(Change{t, vantage, prefix, had, has, has && valley, has ? origin : 0, has ? path : 0});
  current_[{vantage, prefix}] = State{has, has && valley, has ? origin : 0, has ? path : 0};
}

double VantageRecorder::visibility(const Prefix& p) const {
  if (vantages_.empty()) return 0;
  std::size_t n = 0;
  for (Asn v : vantages_) {
    auto it = current_.find({v, p});
    n += it != current_.end() && it->second.has;
  }
  return double(n) / double(vantages_.size());
}

std::vector<std::pair<double, std::size_t>> VantageRecorder::visibility_steps(const Prefix& p) const {
  std::size_t n = 0;
  for (Asn v : vantages_) {
    auto it = initial_.find({v, p});
    n += it != initial_.end() && it->second.has;
  }
  std::vector<std::pair<double, std::size_t>> out{{0.0, n}};
  for (const auto& c : changes_) {
    if (c.prefix != p || c.had == c.has) continue;
    n = c.has ? n + 1 : n - 1;
    if (out.back().first == c.t)
      out.back().second = n;
    else
      out.emplace_back(c.t, n);
  }
  return out;
}

std::vector<Prefix> VantageRecorder::victim_prefixes(Asn victim) const {
  std::vector<Prefix> out;
  for (const auto& [p, o] : origins_)
    if (o.count(victim)) out.push_back(p);
  return out;
}

template <class Pred> std::vector<std::string> VantageRecorder::burst_kinds(Pred concerns, double end) const {
  std::optional<double> first;
  for (const auto& c : changes_)
    if (c.t >= 0 && c.t <= end && (c.had || c.has) && concerns(c.prefix)) {
      first = c.t;
      break;
    }
  if (!first) return {};
  const double stop = std::min(end, *first + kBurstWindow);
  // Each (vantage, prefix)'s states from the burst's start: the state before it, then every change.
  std::map<std::pair<Asn, Prefix>, std::vector<std::pair<double, State>>> seq;
  for (const auto& c : changes_) {
    if (c.t < *first || c.t > stop || !concerns(c.prefix)) continue;
    auto& s = seq[{c.vantage, c.prefix}];
    if (s.empty()) {
      auto it = initial_.find({c.vantage, c.prefix});
      s.emplace_back(*first, it != initial_.end() ? it->second : State{});
    }
    s.emplace_back(c.t, State{c.has, c.valley, c.origin, c.path});
  }
  std::set<std::string> kinds;
  for (const auto& [key, s] : seq) {
    std::optional<State> settled;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const double until = i + 1 < s.size() ? s[i + 1].first : stop;
      const State& st = s[i].second;
      // The first state is the settled state before the burst; the last one holds to the end.
      if (i > 0 && i + 1 < s.size() && until - s[i].first < kSettle) continue;
      if (settled) {
        const State& a = *settled;
        if (a.has == st.has && (!a.has || (a.origin == st.origin && a.path == st.path && a.path != 0)))
          continue; // back where it was: the states in between were transient
        kinds.insert(!st.has                                                      ? "withdrawal"
                     : !a.has || (a.origin && st.origin && a.origin != st.origin) ? "announcement"
                                                                                  : "path_change");
      }
      settled = st;
    }
  }
  return {kinds.begin(), kinds.end()};
}

std::vector<IntervalCounts> VantageRecorder::intervals(double step, double end) const {
  std::vector<IntervalCounts> out;
  if (step <= 0 || end <= 0) return out;
  const auto n = static_cast<std::size_t>(std::ceil(end / step - 1e-9));
  std::set<Prefix> prefixes;
  for (const auto& [p, o] : origins_)
    prefixes.insert(p);
  for (const auto& u : updates_)
    prefixes.insert(u.prefix);
  for (const Prefix& p : prefixes) {
    std::vector<IntervalCounts> rows(n);
    for (std::size_t k = 0; k < n; ++k) {
      rows[k].start = double(k) * step;
      rows[k].prefix = p;
      rows[k].visibility = -1;
    }
    for (const auto& u : updates_) {
      if (u.prefix != p) continue;
      auto& r = rows[interval_of(u.t, step, n)];
      ++(u.withdrawal ? r.withdrawals : r.announcements);
    }
    if (origins_.count(p) && !vantages_.empty()) {
      auto steps = visibility_steps(p);
      std::size_t i = 0;
      for (std::size_t k = 0; k < n; ++k) {
        // The state at the end of the interval: every step dated before its end.
        const double b = std::min(end, double(k + 1) * step);
        while (i + 1 < steps.size() && steps[i + 1].first < b)
          ++i;
        rows[k].visibility = double(steps[i].second) / double(vantages_.size());
      }
    }
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

std::string VantageRecorder::updates_csv(double step, double end, std::int64_t start_epoch) const {
  std::string out = "time,prefix,announcements,withdrawals\n";
  auto rows = intervals(step, end);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const IntervalCounts& a, const IntervalCounts& b) { return a.start < b.start; });
  for (const auto& r : rows)
    out += sim::format_utc(double(start_epoch) + r.start) + "," + r.prefix.to_string() + "," +
           std::to_string(r.announcements) + "," + std::to_string(r.withdrawals) + "\n";
  return out;
}

std::vector<sim::SignalValue> VantageRecorder::signals(double end) const {
  std::vector<sim::SignalValue> out;
  const double nv = double(vantages_.size());
  // Per victim AS.
  for (Asn victim : victims_) {
    const std::string subject = "as:" + std::to_string(victim);
    auto mine = victim_prefixes(victim);
    auto is_mine = [&](const Prefix& p) { return std::find(mine.begin(), mine.end(), p) != mine.end(); };
    // Null when nothing of the victim's was withdrawn: the signal is computed, the event never came.
    nlohmann::ordered_json burst = nullptr;
    for (const auto& u : updates_)
      if (u.withdrawal && u.t >= 0 && u.t <= end && is_mine(u.prefix)) {
        burst = u.t;
        break;
      }
    out.push_back({"bgp.withdrawal_burst_start", subject, "time", burst});
    auto concerns = [&](const Prefix& q) {
      for (const Prefix& p : mine)
        if (p.covers(q)) return true;
      return false;
    };
    auto kinds = burst_kinds(concerns, end);
    out.push_back({"bgp.burst_kind", subject, "set", nlohmann::ordered_json(kinds)});
    // Valley paths: replay the valley flags of (vantage, victim prefix) and take the peak number of
    // vantages with at least one.
    std::map<std::pair<Asn, Prefix>, bool> valley;
    for (const auto& [key, st] : initial_)
      if (is_mine(key.second)) valley[key] = st.has && st.valley;
    auto count = [&] {
      std::set<Asn> vs;
      for (const auto& [key, v] : valley)
        if (v) vs.insert(key.first);
      return vs.size();
    };
    std::size_t peak = count();
    for (const auto& c : changes_) {
      if (c.t > end || !is_mine(c.prefix)) continue;
      valley[{c.vantage, c.prefix}] = c.has && c.valley;
      peak = std::max(peak, count());
    }
    out.push_back({"bgp.valley_paths", subject, "number", peak});
    std::optional<double> reannounce;
    for (const Prefix& p : mine)
      if (auto r = reannounce_start(p, end); r && (!reannounce || *r < *reannounce)) reannounce = r;
    out.push_back({"bgp.reannounce_start", subject, "time", sim::or_never(reannounce)});
  }
  // Per configured prefix.
  for (const auto& [p, legit] : origins_) {
    const std::string subject = "prefix:" + p.to_string();
    std::set<Asn> foreign;
    for (const auto& [q, os] : initial_origins_)
      if (p.covers(q))
        for (Asn o : os)
          if (!legit.count(o)) foreign.insert(o);
    for (const auto& u : updates_)
      if (!u.withdrawal && u.t <= end && p.covers(u.prefix) && u.origin && !legit.count(u.origin))
        foreign.insert(u.origin);
    out.push_back({"bgp.new_origins", subject, "set",
                   nlohmann::ordered_json(std::vector<Asn>(foreign.begin(), foreign.end()))});
    if (vantages_.empty()) continue;
    auto steps = visibility_steps(p);
    std::optional<double> gone;
    bool stays = true;
    for (const auto& [t, n] : steps) {
      if (t > end) break;
      if (!gone && double(n) < kGoneThreshold * nv) gone = t;
      if (double(n) < kStaysThreshold * nv) stays = false;
    }
    out.push_back({"bgp.prefix_gone", subject, "time", sim::or_never(gone)});
    out.push_back({"bgp.prefix_stays_visible", subject, "bool", stays});
    out.push_back({"bgp.reannounce_start", subject, "time", sim::or_never(reannounce_start(p, end))});
  }
  return out;
}

std::optional<double> VantageRecorder::reannounce_start(const Prefix& p, double end) const {
  const double nv = double(vantages_.size());
  if (vantages_.empty() || !origins_.count(p)) return std::nullopt;
  auto steps = visibility_steps(p);
  std::optional<double> gone;
  for (const auto& [t, n] : steps) {
    if (t > end) break;
    if (double(n) < kGoneThreshold * nv) {
      gone = t;
      break;
    }
  }
  if (!gone) return std::nullopt;
  // The recovery: visibility climbs back to the gone threshold after `gone`. Its start is the first
  // announcement after the last low point before that climb (announcements in the tail of the
  // withdrawal's path exploration are not a re-announcement).
  std::optional<double> low;
  std::size_t low_n = 0;
  bool recovered = false;
  for (const auto& [t, n] : steps) {
    if (t < *gone || t > end) continue;
    if (double(n) >= kGoneThreshold * nv) {
      recovered = true;
      break;
    }
    if (!low || n <= low_n) low = t, low_n = n;
  }
  if (recovered && low)
    for (const auto& u : updates_)
      if (!u.withdrawal && u.prefix == p && u.t > *low && u.t <= end) return u.t;
  return std::nullopt;
}

} // namespace outagesim::bgp
