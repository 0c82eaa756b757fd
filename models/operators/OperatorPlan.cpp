#include "models/operators/OperatorPlan.hpp"

#include <algorithm>

namespace outagesim::operators {

using Kind = OperatorPlan::Action::Kind;

OperatorPlan::OperatorPlan(PlanSpec spec) : spec_(std::move(spec)), steps_(spec_.steps.size()) {}

OperatorPlan::Site& OperatorPlan::site(const std::string& name) {
  for (auto& s : sites_)
    if (s.name == name) return s;
  sites_.push_back(Site{name});
  return sites_.back();
}

std::vector<OperatorPlan::Action> OperatorPlan::trigger(double now) {
  if (triggered_) return {};
  triggered_ = true;
  active_from_ = now + spec_.detect;
  return {{Kind::Triggered, now}};
}

bool OperatorPlan::ready(std::size_t i) const {
  if (steps_[i].state != StepState::Pending) return false;
  for (const auto& dep : spec_.steps[i].after)
    for (std::size_t j = 0; j < steps_.size(); ++j)
      if (spec_.steps[j].id == dep && steps_[j].state != StepState::Done) return false;
  return true;
}

double OperatorPlan::next_wakeup() const {
  double t = std::numeric_limits<double>::infinity();
  if (triggered_ && !detected_) t = active_from_;
  for (const auto& s : steps_)
    if (s.state == StepState::Running) t = std::min(t, s.done_at);
  for (const auto& s : sites_)
    t = std::min(t, s.next);
  return t;
}

bool OperatorPlan::done() const {
  return std::all_of(steps_.begin(), steps_.end(), [](const Step& s) { return s.state == StepState::Done; });
}

std::vector<OperatorPlan::Action> OperatorPlan::advance(double now, const AccessCheck& available) {
  std::vector<Action> out;
  if (!triggered_) return out;
  // Timed transitions in date order, each at its own date; access decisions follow each one.
  while (true) {
    double t = next_wakeup();
    double at = std::min(t, now);
    if (t <= now) {
      if (!detected_ && active_from_ <= t) {
        detected_ = true;
        out.push_back({Kind::Detected, t});
      }
      for (auto& s : sites_)
        if (s.next <= t) {
          if (s.state == Site::State::Travelling) {
            s.state = Site::State::Security;
            s.next = t + spec_.security;
            out.push_back({Kind::Arrived, t, 0, "", s.name});
          } else if (s.state == Site::State::Security) {
            s.state = Site::State::OnSite;
            s.next = std::numeric_limits<double>::infinity();
            out.push_back({Kind::OnSite, t, 0, "", s.name});
          }
        }
      for (std::size_t i = 0; i < steps_.size(); ++i)
        if (steps_[i].state == StepState::Running && steps_[i].done_at <= t) {
          steps_[i].state = StepState::Done;
          out.push_back({Kind::StepDone, t, i});
        }
    }
    if (!detected_) return out;
    // Start every ready step whose access is up; dispatch a team where only onsite access is left.
    bool started = false;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      if (!ready(i)) continue;
      const StepSpec& st = spec_.steps[i];
      std::string via;
      for (const auto& a : st.access) {
        bool up = a == kOnsite ? site(st.site).state == Site::State::OnSite : available(a);
        if (up) {
          via = a;
          break;
        }
      }
      if (!via.empty()) {
        steps_[i].state = StepState::Running;
        steps_[i].done_at = at + st.duration;
        out.push_back({Kind::StepStarted, at, i, via});
        started = true;
        continue;
      }
      if (!steps_[i].blocked_reported) {
        steps_[i].blocked_reported = true;
        out.push_back({Kind::AccessBlocked, at, i});
      }
      if (std::find(st.access.begin(), st.access.end(), kOnsite) != st.access.end()) {
        Site& s = site(st.site);
        if (s.state == Site::State::Home) {
          s.state = Site::State::Travelling;
          s.next = at + spec_.travel;
          out.push_back({Kind::Dispatched, at, i, "", s.name});
        }
      }
    }
    if (t > now && !started) return out;
    if (t > now && started && next_wakeup() > now) return out;
  }
}

} // namespace outagesim::operators
