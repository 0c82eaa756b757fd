#include "models/users/UserCohort.hpp"

#include <algorithm>
#include <cmath>

namespace outagesim::users {

DiurnalCurve::DiurnalCurve()
    : hourly_{0.45, 0.33, 0.25, 0.21, 0.20, 0.23, 0.32, 0.46, 0.60, 0.68, 0.72, 0.75,
              0.78, 0.78, 0.76, 0.76, 0.78, 0.82, 0.88, 0.95, 1.00, 0.97, 0.85, 0.64} {}

double DiurnalCurve::at(double local_hour) const {
  double h = std::fmod(local_hour, 24.0);
  if (h < 0) h += 24;
  int i = static_cast<int>(std::floor(h)) % 24;
  double f = h - std::floor(h);
  return hourly_[i] * (1 - f) + hourly_[(i + 1) % 24] * f;
}

double DiurnalCurve::local_hour(double utc_epoch_seconds, double utc_offset_hours) {
  double h = std::fmod(utc_epoch_seconds / 3600.0 + utc_offset_hours, 24.0);
  return h < 0 ? h + 24 : h;
}

double attempt_rate(const AppSpec& app, double p) {
  p = std::clamp(p, 0.0, 1.0);
  double q = 1 - p;
  int k = std::max(0, app.retries);
  // Powers of q by repeated products (k is small; this runs per cohort and tick).
  double backoff = 0, wait = app.backoff, q_pow = q;
  for (int i = 0; i < k; ++i, wait *= 2, q_pow *= q)
    backoff += q_pow * wait; // the i-th retry waits only if every earlier attempt failed
  double fail_all = q_pow;   // q^(k+1): a request fails after every retry
  double attempts = p > 0 ? (1 - fail_all) / p : double(k + 1); // attempts per request cycle
  double think = app.requests_per_s > 0 ? 1 / app.requests_per_s : 1e9;
  double cycle = (1 - fail_all) * think + fail_all * app.give_up + backoff;
  return attempts / cycle;
}

UserCohort::Step UserCohort::step(double dt, double diurnal, double dns_ok, double p) {
  const AppSpec& a = *app_;
  p = std::clamp(p, 0.0, 1.0);
  dns_ok = std::clamp(dns_ok, 0.0, 1.0);
  // Switching away while failing, coming back once it works.
  // A share `switch_share` of failing users switch, after `switch_delay` on average.
  double out = (1 - p) * std::max(0.0, a.switch_share - switched_) / a.switch_delay;
  double back = p * switched_ / a.return_delay;
  switched_ += dt * (out - back);
  switched_ = std::clamp(switched_, 0.0, 1.0);

  Step s;
  s.online = population_ * a.adoption * a.peak_active * diurnal * (1 - switched_);
  double rate = attempt_rate(a, p);
  s.attempts = s.online * rate;
  s.good = s.attempts * p;
  // Working resolutions are cached for the TTL; failing ones are asked again at every attempt.
  s.dns_queries = s.online * (dns_ok * std::min(rate, 1 / a.dns_ttl) + (1 - dns_ok) * rate);

  // Distinct users affected: the rise in failing users plus the turnover of failing sessions.
  double failing = s.online * (1 - p);
  affected_ += std::max(0.0, failing - failing_) + failing * dt / a.session;
  failing_ = failing;
  double pending = std::max(0.0, a.report_share * affected_ - reports_);
  s.new_reports = pending * (1 - std::exp(-dt / a.report_delay));
  reports_ += s.new_reports;
  return s;
}

} // namespace outagesim::users
