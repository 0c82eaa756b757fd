#pragma once
// Time series of a run in tidy form: one row per (time, region, service, metric, value). Models record
// samples; the timeline is written as timeline.csv and read by the signal computations. A row's time
// is the start of the sample interval it summarises.
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/Time.hpp"

namespace outagesim::sim {

struct Sample {
  SimTime time;
  std::string region;  ///< "" when not about one region
  std::string service; ///< "" when not about one service
  std::string metric;  ///< "availability", "probes", ...
  double value;
};

class Timeline {
public:
  void add(SimTime t, std::string region, std::string service, std::string metric, double value);
  const std::vector<Sample>& rows() const { return rows_; }
  /// Values of one series in time order (time, value).
  std::vector<std::pair<SimTime, double>> series(const std::string& region, const std::string& service,
                                                 const std::string& metric) const;
  /// The distinct (region, service) pairs that have `metric`, sorted.
  std::vector<std::pair<std::string, std::string>> keys(const std::string& metric) const;
  /// CSV text: header `time,region,service,metric,value`, times as UTC, rows sorted by those columns.
  std::string to_csv(std::int64_t start_epoch) const;

private:
  std::vector<Sample> rows_;
  // (metric, region, service) -> row indices in time order of insertion: series() and keys() read
  // this instead of scanning every row (runs with hundreds of regions record millions of rows).
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::size_t>, std::less<>> index_;
};

} // namespace outagesim::sim
