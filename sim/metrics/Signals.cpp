#include "sim/metrics/Signals.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace outagesim::sim {

std::vector<Period> periods_below(const std::vector<std::pair<SimTime, double>>& series, double threshold,
                                  Seconds step) {
  std::vector<Period> out;
  bool in = false;
  for (const auto& [t, v] : series) {
    if (v < threshold && !in) {
      out.push_back({t, std::nullopt});
      in = true;
    } else if (v >= threshold && in) {
      out.back().end = t;
      in = false;
    }
  }
  (void)step;
  return out;
}

std::vector<SignalValue> availability_signals(const Timeline& tl, Seconds step,
                                              const std::vector<std::pair<std::string, double>>& weights) {
  std::map<std::string, double> w(weights.begin(), weights.end());
  // service -> region -> series
  std::map<std::string, std::map<std::string, std::vector<std::pair<SimTime, double>>>> by_service;
  for (const auto& [region, service] : tl.keys("availability"))
    if (!region.empty() && !service.empty())
      by_service[service][region] = tl.series(region, service, "availability");

  std::vector<SignalValue> out;
  for (const auto& [service, regions] : by_service) {
    std::string subject = "service:" + service;
    // Times common to the service's regions, and the weighted availability at each.
    std::map<SimTime, std::pair<double, double>> weighted; // t -> (sum w*a, sum w)
    std::map<SimTime, double> down_weight;                 // t -> weight of regions below 50 %
    std::vector<SimTime> onsets;
    std::vector<Period> any_down; // periods with at least one region below 50 %
    std::set<SimTime> times;
    for (const auto& [region, series] : regions) {
      double wr = w.count(region) ? w[region] : 1.0;
      for (const auto& [t, a] : series) {
        auto& acc = weighted[t];
        acc.first += wr * a;
        acc.second += wr;
        if (a < 0.5) down_weight[t] += wr;
        times.insert(t);
      }
      auto p = periods_below(series, 0.5, step);
      if (!p.empty()) onsets.push_back(p.front().start);
    }
    std::vector<std::pair<SimTime, double>> total, any;
    double peak = 0;
    for (SimTime t : times) {
      const auto& acc = weighted[t];
      total.emplace_back(t, acc.second > 0 ? acc.first / acc.second : 1.0);
      double dw = down_weight.count(t) ? down_weight[t] : 0.0;
      any.emplace_back(t, dw > 0 ? 0.0 : 1.0);
      if (acc.second > 0) peak = std::max(peak, dw / acc.second);
    }
    out.push_back({"regions.fraction_down_at_peak", subject, "ratio", peak});
    if (!onsets.empty()) {
      auto [lo, hi] = std::minmax_element(onsets.begin(), onsets.end());
      out.push_back({"regions.onset_spread", subject, "duration", *hi - *lo});
    } else {
      out.push_back({"regions.onset_spread", subject, "duration", nullptr}); // no region went down
    }
    // Waves: periods with some region down, merging gaps shorter than 15 minutes.
    auto down = periods_below(any, 0.5, step);
    int waves = 0;
    std::optional<SimTime> last_end;
    for (const auto& p : down) {
      if (!(last_end && p.start - *last_end < 15 * 60)) ++waves;
      last_end = p.end ? *p.end : 1e300;
    }
    out.push_back({"regions.waves", subject, "number", waves});
    // A service that never drops (or never recovers within the run) gets null values: "never".
    auto low = periods_below(total, 0.9, step);
    std::optional<SimTime> drop, rec;
    if (!low.empty()) {
      drop = low.front().start;
      rec = low.back().end;
    }
    out.push_back({"traffic.drop_start", subject, "time", or_never(drop)});
    out.push_back({"service.recovered", subject, "time", or_never(rec)});
    out.push_back({"outage.duration", subject, "duration",
                   drop && rec ? nlohmann::ordered_json(*rec - *drop) : nullptr});
  }
  return out;
}

nlohmann::ordered_json signals_to_json(const std::vector<SignalValue>& signals, std::int64_t start_epoch) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& s : signals) {
    nlohmann::ordered_json v;
    v["kind"] = s.kind;
    if (s.kind == "time" && s.value.is_number())
      v["value"] = format_utc(double(start_epoch) + s.value.get<double>());
    else
      v["value"] = s.value;
    j[s.id][s.subject] = v;
  }
  return j;
}

} // namespace outagesim::sim
