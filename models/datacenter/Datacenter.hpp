#pragma once
// Engine-free datacenter: serving capacity, power draw that follows load, cache warmth, and the
// restart policy that brings load back after the datacenter was cut off.
//
//   Serving --(unreachable or down)--> Dark --(reachable again)--> Restarting --(last stage)--> Serving
//                                        ^                              |
//                                        +-----(unreachable or down)----+
//
// Dark: no request arrives; power falls to the idle draw (the "dip") and caches cool down.
// Restarting: load is admitted by the policy (all at once, staged by fraction, or staged by region);
// requests that miss a cold cache cost `cold_cost` times the work of a warm one, so a sudden return
// of all load drives utilisation (and power: the "surge") to the top and leaves requests unserved.
#include <algorithm>
#include <string>
#include <vector>

#include "sim/run/Services.hpp"

namespace outagesim::datacenter {

/// How a recovering datacenter lets load back in.
enum class RestartPolicy { AllAtOnce, StagedFraction, StagedRegion };

/// "all_at_once", "staged_fraction", "staged_region".
const char* restart_policy_name(RestartPolicy p);

/// A datacenter's parameters (from the scenario's `facilities.datacenters`).
struct DatacenterSpec {
  std::string path;          ///< "dc:prineville"
  double capacity_rps = 1e6; ///< requests/s it serves at full utilisation with warm caches
  double idle_mw = 10;       ///< power draw with no load, MW
  double peak_mw = 30;       ///< power draw at full utilisation, MW
  RestartPolicy policy = RestartPolicy::StagedFraction;
  int stages = 4;                        ///< number of steps of a staged restart
  double stage_interval = 600;           ///< s between two steps
  double warmup = 900;                   ///< s, time constant of cache warm-up while serving
  double cache_decay = 3600;             ///< s, time constant of cache cooling while dark
  double cold_cost = 3;                  ///< work of a request on a cold cache relative to a warm one (>= 1)
  std::vector<std::string> region_order; ///< staged_region: regions in the order they are let back
};

class Datacenter {
public:
  enum class State { Serving, Dark, Restarting };
  enum class Transition { None, WentDark, RestartBegan, StageAdvanced, Restored };

  explicit Datacenter(DatacenterSpec spec) : spec_(std::move(spec)) {}

  const DatacenterSpec& spec() const { return spec_; }
  State state() const { return state_; }
  /// Advances the state machine to `now` given whether traffic can reach the datacenter.
  Transition update(double now, bool reachable);
  /// Applies the load of the last `dt` seconds: `offered_rps` requests/s arrived (already admitted).
  /// Updates cache warmth, utilisation, the share served and the power draw.
  void apply_load(double dt, double offered_rps);

  /// Share of requests the restart policy admits now (1 when serving, 0 when dark).
  double admitted_fraction() const;
  /// Staged by region: whether `region` is admitted now (every region when not staged by region).
  bool admits_region(const std::string& region) const;
  /// Share of admitted requests served at the last applied load (capacity / work, at most 1).
  double served_share() const { return served_share_; }
  /// Share of its capacity (and of its power draw) still working: 1 normally; below after a partial
  /// loss (a hall without power or cooling, broken hardware after power returns) until a repair.
  void set_working_share(double share) { working_ = std::clamp(share, 0.0, 1.0); }
  double working_share() const { return working_; }
  double warmth() const { return warmth_; }
  double utilisation() const { return utilisation_; }
  double power_mw() const { return power_mw_; }
  int stage() const { return stage_; }

private:
  DatacenterSpec spec_;
  State state_ = State::Serving;
  double warmth_ = 1;
  double utilisation_ = 0;
  double served_share_ = 1;
  double working_ = 1;
  double power_mw_ = 0;
  double restart_began_ = 0;
  int stage_ = 0; ///< restart stage reached (1..stages), 0 when not restarting
};

/// Fills what `dc` gives the requests of `region` now into `answer`: its path, the share it admits
/// (0 for a region a staged_region restart has not let back yet), the share it serves, and the
/// refusal users report (dark or not admitted yet when admitted < 0.5, else overloaded when served < 0.5).
void describe_serving(const Datacenter& dc, const std::string& region, sim::ServingAnswer& answer);

/// The largest fall of a power series (time, MW) within any window of `window` seconds: the dip.
double largest_drop(const std::vector<std::pair<double, double>>& series, double window);

} // namespace outagesim::datacenter
