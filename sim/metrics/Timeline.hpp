#pragma once
// Time series of a run in tidy form: one row per (time, region, service, metric, value). Models record
// samples; the timeline is written as timeline.csv and read by the signal computations. A row's time
// is the start of the sample interval it summarises.
//
// Cheap rows: a series (region, service, metric) is interned once into a dense id; a row is its time,
// value and series id (no string per row). add() by names looks the id up without allocating; a model
// that records the same series every sample may keep the id (series_id) and add by id.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/core/Time.hpp"

namespace outagesim::sim {

class Timeline {
public:
  using SeriesId = std::uint32_t;

  /// The id of series (region, service, metric), made on first use. region and service are "" when
  /// the series is not about one region or service.
  SeriesId series_id(std::string_view region, std::string_view service, std::string_view metric);
  void add(SimTime t, SeriesId series, double value);
  void add(SimTime t, std::string_view region, std::string_view service, std::string_view metric,
           double value) {
    add(t, series_id(region, service, metric), value);
  }
  /// Rows recorded.
  std::size_t size() const { return rows_.size(); }
  /// Values of one series in time order (time, value).
  std::vector<std::pair<SimTime, double>> series(const std::string& region, const std::string& service,
                                                 const std::string& metric) const;
  /// The distinct (region, service) pairs that have `metric`, sorted.
  std::vector<std::pair<std::string, std::string>> keys(const std::string& metric) const;
  /// CSV text: header `time,region,service,metric,value`, times as UTC, rows sorted by those columns.
  std::string to_csv(std::int64_t start_epoch) const;

private:
  struct Row {
    SimTime time;
    double value;
    SeriesId series;
  };
  struct Series {
    std::string region, service, metric;
    std::vector<std::uint32_t> rows; ///< its rows, in order of recording
  };
  const Series* find(std::string_view region, std::string_view service, std::string_view metric) const;

  std::vector<Row> rows_;
  std::vector<Series> series_;
  // "region\0service\0metric" -> id; key_ is the lookup buffer (no allocation once it has grown).
  std::unordered_map<std::string, SeriesId> ids_;
  mutable std::string key_;
};

} // namespace outagesim::sim
