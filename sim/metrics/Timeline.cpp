#include "sim/metrics/Timeline.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace outagesim::sim {

void Timeline::add(SimTime t, std::string region, std::string service, std::string metric, double value) {
  rows_.push_back({t, std::move(region), std::move(service), std::move(metric), value});
}

std::vector<std::pair<SimTime, double>>
Timeline::series(const std::string& region, const std::string& service, const std::string& metric) const {
  std::vector<std::pair<SimTime, double>> out;
  for (const auto& r : rows_)
    if (r.metric == metric && r.region == region && r.service == service) out.emplace_back(r.time, r.value);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<std::pair<std::string, std::string>> Timeline::keys(const std::string& metric) const {
  std::set<std::pair<std::string, std::string>> k;
  for (const auto& r : rows_)
    if (r.metric == metric) k.emplace(r.region, r.service);
  return {k.begin(), k.end()};
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}
} // namespace

std::string Timeline::to_csv(std::int64_t start_epoch) const {
  std::string out = "time,region,service,metric,value\n";
  char num[64];
  for (const auto& r : rows_) {
    std::snprintf(num, sizeof num, "%.6g", r.value);
    out += format_utc(double(start_epoch) + r.time) + "," + csv_field(r.region) + "," + csv_field(r.service) +
           "," + csv_field(r.metric) + "," + num + "\n";
  }
  return out;
}

} // namespace outagesim::sim
