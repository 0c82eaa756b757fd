#include "sim/metrics/Timeline.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace outagesim::sim {

namespace {
void make_key(std::string& key, std::string_view region, std::string_view service, std::string_view metric) {
  key.clear();
  key.append(region);
  key += '\0';
  key.append(service);
  key += '\0';
  key.append(metric);
}
} // namespace

Timeline::SeriesId Timeline::series_id(std::string_view region, std::string_view service,
                                       std::string_view metric) {
  make_key(key_, region, service, metric);
  auto it = ids_.find(key_);
  if (it != ids_.end()) return it->second;
  auto id = static_cast<SeriesId>(series_.size());
  series_.push_back({std::string(region), std::string(service), std::string(metric), {}});
  ids_.emplace(key_, id);
  return id;
}

void Timeline::add(SimTime t, SeriesId series, double value) {
  if (series >= series_.size()) throw std::out_of_range("Timeline::add: unknown series id");
  if (rows_.size() >= 0xFFFFFFFFu) throw std::length_error("Timeline: more than 2^32 rows");
  series_[series].rows.push_back(static_cast<std::uint32_t>(rows_.size()));
  rows_.push_back({t, value, series});
}

const Timeline::Series* Timeline::find(std::string_view region, std::string_view service,
                                       std::string_view metric) const {
  make_key(key_, region, service, metric);
  auto it = ids_.find(key_);
  return it == ids_.end() ? nullptr : &series_[it->second];
}

std::vector<std::pair<SimTime, double>>
Timeline::series(const std::string& region, const std::string& service, const std::string& metric) const {
  std::vector<std::pair<SimTime, double>> out;
  const Series* s = find(region, service, metric);
  if (!s) return out;
  out.reserve(s->rows.size());
  for (std::uint32_t i : s->rows)
    out.emplace_back(rows_[i].time, rows_[i].value);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<std::pair<std::string, std::string>> Timeline::keys(const std::string& metric) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : series_)
    if (s.metric == metric) out.emplace_back(s.region, s.service);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {
void append_csv_field(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// printf("%.6g", v), without printf for the common cases: integers below 1e6 (counts, 0 and 1) print
// as themselves; other finite values through to_chars, specified to print as printf does.
void append_number(std::string& out, double v) {
  char num[64];
  char* end = nullptr;
  if (v == std::floor(v) && std::fabs(v) < 1e6 && !(v == 0 && std::signbit(v))) {
    end = std::to_chars(num, num + sizeof num, static_cast<long>(v)).ptr;
  } else if (std::isfinite(v)) {
    end = std::to_chars(num, num + sizeof num, v, std::chars_format::general, 6).ptr;
  } else {
    end = num + std::snprintf(num, sizeof num, "%.6g", v);
  }
  out.append(num, static_cast<std::size_t>(end - num));
}
} // namespace

std::string Timeline::to_csv(std::int64_t start_epoch) const {
  // Rows in the order of their columns (time, region, service, metric), not in the order models
  // recorded them: the file does not depend on which model samples first. Rows of one series at one
  // time (none today) keep their recording order. Series are ranked by their names once; rows are
  // then sorted by (time, rank, recording order), integers only.
  std::vector<SeriesId> by_name(series_.size());
  for (SeriesId i = 0; i < by_name.size(); ++i)
    by_name[i] = i;
  std::sort(by_name.begin(), by_name.end(), [this](SeriesId a, SeriesId b) {
    const Series& x = series_[a];
    const Series& y = series_[b];
    if (int c = x.region.compare(y.region)) return c < 0;
    if (int c = x.service.compare(y.service)) return c < 0;
    return x.metric < y.metric;
  });
  std::vector<std::uint32_t> rank(series_.size());
  std::vector<std::string> columns(series_.size()); // "region,service,metric," per rank
  for (std::uint32_t r = 0; r < by_name.size(); ++r) {
    const Series& s = series_[by_name[r]];
    rank[by_name[r]] = r;
    std::string& c = columns[r];
    append_csv_field(c, s.region);
    c += ',';
    append_csv_field(c, s.service);
    c += ',';
    append_csv_field(c, s.metric);
    c += ',';
  }
  struct Key {
    SimTime time;
    std::uint32_t rank, row;
  };
  std::vector<Key> order(rows_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i)
    order[i] = {rows_[i].time, rank[rows_[i].series], i};
  std::sort(order.begin(), order.end(), [](const Key& a, const Key& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.row < b.row;
  });

  std::string out = "time,region,service,metric,value\n";
  out.reserve(rows_.size() * 64);
  // Rows come in runs of equal times: format each time once.
  double last_time = -1e300;
  std::string time_text;
  for (const Key& k : order) {
    if (k.time != last_time) {
      last_time = k.time;
      time_text = format_utc(double(start_epoch) + k.time);
      time_text += ',';
    }
    out += time_text;
    out += columns[k.rank];
    append_number(out, rows_[k.row].value);
    out += '\n';
  }
  return out;
}

} // namespace outagesim::sim
