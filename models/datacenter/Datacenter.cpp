#include "models/datacenter/Datacenter.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace outagesim::datacenter {

const char* restart_policy_name(RestartPolicy p) {
  switch (p) {
  case RestartPolicy::AllAtOnce:
    return "all_at_once";
  case RestartPolicy::StagedFraction:
    return "staged_fraction";
  case RestartPolicy::StagedRegion:
    return "staged_region";
  }
  return "?";
}

namespace {
int stage_count(const DatacenterSpec& s) {
  return s.policy == RestartPolicy::AllAtOnce ? 1 : std::max(1, s.stages);
}
} // namespace

Datacenter::Transition Datacenter::update(double now, bool reachable) {
  if (!reachable) {
    if (state_ == State::Dark) return Transition::None;
    state_ = State::Dark;
    stage_ = 0;
    return Transition::WentDark;
  }
  if (state_ == State::Serving) return Transition::None;
  int n = stage_count(spec_);
  if (state_ == State::Dark) {
    state_ = State::Restarting;
    restart_began_ = now;
    stage_ = 1;
    if (n == 1) {
      state_ = State::Serving;
      stage_ = 0;
      return Transition::Restored;
    }
    return Transition::RestartBegan;
  }
  // Restarting: one more stage per interval (a small epsilon keeps exact multiples on time).
  int due = 1 + static_cast<int>(std::floor((now - restart_began_) / spec_.stage_interval + 1e-9));
  if (due <= stage_) return Transition::None;
  stage_ = std::min(due, n);
  if (stage_ < n) return Transition::StageAdvanced;
  state_ = State::Serving;
  stage_ = 0;
  return Transition::Restored;
}

double Datacenter::admitted_fraction() const {
  switch (state_) {
  case State::Serving:
    return 1;
  case State::Dark:
    return 0;
  case State::Restarting:
    if (spec_.policy == RestartPolicy::StagedFraction) return double(stage_) / stage_count(spec_);
    return 1; // by region: admission is per region; all at once never stays here
  }
  return 0;
}

bool Datacenter::admits_region(const std::string& region) const {
  if (state_ == State::Dark) return false;
  if (state_ == State::Serving || spec_.policy != RestartPolicy::StagedRegion) return true;
  // Stage k of n lets back the first ceil(k * size / n) regions of the order; others come last.
  auto it = std::find(spec_.region_order.begin(), spec_.region_order.end(), region);
  if (it == spec_.region_order.end()) return false;
  std::size_t index = static_cast<std::size_t>(it - spec_.region_order.begin());
  int n = stage_count(spec_);
  std::size_t admitted = (spec_.region_order.size() * stage_ + n - 1) / n;
  return index < admitted;
}

void Datacenter::apply_load(double dt, double offered_rps) {
  if (offered_rps > 0)
    warmth_ += (1 - warmth_) * (1 - std::exp(-dt / spec_.warmup));
  else
    warmth_ *= std::exp(-dt / spec_.cache_decay);
  double work = offered_rps * (1 + (spec_.cold_cost - 1) * (1 - warmth_));
  // A partial loss: only the working share of the capacity serves, and draws power (idle and busy).
  const double capacity = spec_.capacity_rps * working_;
  double demand = capacity > 0 ? work / capacity : (work > 0 ? 1e18 : 0);
  utilisation_ = std::min(1.0, demand);
  served_share_ = demand > 1 ? 1 / demand : 1;
  power_mw_ = working_ * (spec_.idle_mw + (spec_.peak_mw - spec_.idle_mw) * utilisation_);
}

double largest_drop(const std::vector<std::pair<double, double>>& series, double window) {
  // Sliding-window maximum of the values before each point.
  std::deque<std::size_t> maxima;
  double best = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    while (!maxima.empty() && series[i].first - series[maxima.front()].first > window + 1e-9)
      maxima.pop_front();
    if (!maxima.empty()) best = std::max(best, series[maxima.front()].second - series[i].second);
    while (!maxima.empty() && series[maxima.back()].second <= series[i].second)
      maxima.pop_back();
    maxima.push_back(i);
  }
  return best;
}

void describe_serving(const Datacenter& dc, const std::string& region, sim::ServingAnswer& answer) {
  answer.datacenter = dc.spec().path;
  answer.admitted = dc.admits_region(region) ? dc.admitted_fraction() : 0;
  answer.served = dc.served_share();
  answer.refusal.clear();
  if (answer.admitted >= 0.5 && answer.served < 0.5 && dc.working_share() < 1)
    answer.refusal = dc.spec().path +
                     " is overloaded: " + std::to_string(int(std::lround(100 * (1 - dc.working_share())))) +
                     " % of its capacity is lost";
  else if (answer.admitted < 0.5)
    answer.refusal = dc.spec().path +
                     (dc.state() == Datacenter::State::Dark ? " is dark" : " has not admitted this load yet");
  else if (answer.served < 0.5)
    answer.refusal = dc.spec().path + " is overloaded (cold caches)";
}

} // namespace outagesim::datacenter
