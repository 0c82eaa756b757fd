#include "sim/metrics/Timeline.hpp"

#include <algorithm>
#include <cstdio>

namespace outagesim::sim {

void Timeline::add(SimTime t, std::string region, std::string service, std::string metric, double value) {
  // Look the series up without copying its key; copy only for a new series.
  auto it = index_.find(std::tie(metric, region, service));
  if (it == index_.end())
    it = index_.emplace(std::make_tuple(metric, region, service), std::vector<std::size_t>{}).first;
  it->second.push_back(rows_.size());
  rows_.push_back({t, std::move(region), std::move(service), std::move(metric), value});
}

std::vector<std::pair<SimTime, double>>
Timeline::series(const std::string& region, const std::string& service, const std::string& metric) const {
  std::vector<std::pair<SimTime, double>> out;
  auto it = index_.find(std::tie(metric, region, service));
  if (it == index_.end()) return out;
  out.reserve(it->second.size());
  for (std::size_t i : it->second)
    out.emplace_back(rows_[i].time, rows_[i].value);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<std::pair<std::string, std::string>> Timeline::keys(const std::string& metric) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = index_.lower_bound({metric, "", ""}); it != index_.end() && std::get<0>(it->first) == metric;
       ++it)
    out.emplace_back(std::get<1>(it->first), std::get<2>(it->first));
  return out;
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
  out.reserve(rows_.size() * 64);
  char num[64];
  // Rows in the order of their columns (time, region, service, metric), not in the order models
  // recorded them: the file does not depend on which model samples first. Rows of one series at one
  // time (none today) keep their recording order.
  std::vector<std::size_t> order(rows_.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    const Sample& x = rows_[a];
    const Sample& y = rows_[b];
    if (x.time != y.time) return x.time < y.time;
    if (int c = x.region.compare(y.region)) return c < 0;
    if (int c = x.service.compare(y.service)) return c < 0;
    return x.metric < y.metric;
  });
  // Rows come in runs of equal times: format each time once.
  double last_time = -1e300;
  std::string time_text;
  for (std::size_t i : order) {
    const Sample& r = rows_[i];
    if (r.time != last_time) {
      last_time = r.time;
      time_text = format_utc(double(start_epoch) + r.time);
    }
    int n = std::snprintf(num, sizeof num, "%.6g", r.value);
    out += time_text;
    out += ',';
    out += csv_field(r.region);
    out += ',';
    out += csv_field(r.service);
    out += ',';
    out += csv_field(r.metric);
    out += ',';
    out.append(num, static_cast<std::size_t>(n));
    out += '\n';
  }
  return out;
}

} // namespace outagesim::sim
