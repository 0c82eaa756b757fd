#pragma once
// Engine-free users of one service in one region, as a cohort (rates, never one actor per person).
//
// Who is online follows a diurnal curve of the region's local hour. An app issues requests at a rate
// per active user; a failed request is retried after an exponential back-off, and after the last
// retry the user gives up for a while and then tries again. So the attempt rate per user rises as
// success falls (the retry storm that reaches DNS). Users who keep failing report the outage
// (a Downdetector-like count: a share of the distinct users affected, after a delay) and some switch
// to an alternative for a while.
//
//   per user:  wants a request --attempt--> ok (think time 1/rate) | fail --back-off--> retry ...
//              ... after `retries` retries --> gives up for `give_up` --> wants a request again
//   cohort:    adopters = population x adoption; online = adopters x peak_active x diurnal(local hour)
//              switched share s: ds/dt = (1 - p) x (switch_share - s) / switch_delay - s x p / return_delay
#include <array>
#include <string>
#include <vector>

namespace outagesim::users {

/// Share of a region's users online by local hour, linearly interpolated between whole hours.
class DiurnalCurve {
public:
  /// The default curve: a trough around 04:00 local (0.2), a peak around 20:00 (1.0).
  DiurnalCurve();
  explicit DiurnalCurve(const std::array<double, 24>& hourly) : hourly_(hourly) {}
  /// Value at a local hour (any real number; wraps around the day).
  double at(double local_hour) const;
  /// Local hour of a region at UTC seconds since the epoch.
  static double local_hour(double utc_epoch_seconds, double utc_offset_hours);

private:
  std::array<double, 24> hourly_;
};

/// How an app behaves (one per service, from the scenario's `users.apps`).
struct AppSpec {
  std::string service;          ///< service id
  std::string name;             ///< DNS name the app resolves ("facebook.com")
  double adoption = 0.5;        ///< share of a region's population that uses the service
  double peak_active = 0.3;     ///< share of adopters online at the busiest hour
  double requests_per_s = 0.01; ///< requests per online user per second when all goes well
  int retries = 3;              ///< retries of a failed request
  double backoff = 2;           ///< s before the first retry; doubles each retry
  double give_up = 120;         ///< s a user waits after the last failed retry before trying again
  double dns_ttl = 300;         ///< s an answer stays in the stub cache when resolution works
  double session = 1200;        ///< s, mean online session (turnover of online users)
  double report_share = 0.005;  ///< share of affected users who report the outage
  double report_delay = 1200;   ///< s, mean delay before an affected user reports
  double switch_share = 0.05;   ///< share of failing users who switch to an alternative
  double switch_delay = 3600;   ///< s, mean time a failing user waits before switching
  double return_delay = 7200;   ///< s, mean time a switched user takes to come back once it works
  /// Bytes one request moves, both ways (request and response: a feed page with compressed images
  /// is a few hundred kB). Only the data plane's transit capacities (bgp.transit_capacity) read it.
  double bytes_per_request = 250e3;
};

/// Attempts per online user per second at success probability `p` (renewal over request cycles).
double attempt_rate(const AppSpec& app, double p);

class UserCohort {
public:
  /// What one step gives.
  struct Step {
    double online = 0;      ///< users of the service online now (excluding those who switched)
    double attempts = 0;    ///< requests per second, retries included
    double good = 0;        ///< requests per second that succeed
    double dns_queries = 0; ///< name lookups per second reaching resolvers
    double new_reports = 0; ///< reports filed during the step
  };

  UserCohort(const AppSpec& app, double population) : app_(&app), population_(population) {}

  /// Advances `dt` seconds: `diurnal` is the curve's value now, `dns_ok` the share of resolutions
  /// that succeed, `p` the share of attempts that succeed end to end (DNS, route, serving).
  Step step(double dt, double diurnal, double dns_ok, double p);

  double switched_share() const { return switched_; }
  double affected() const { return affected_; }
  double reports() const { return reports_; }

private:
  const AppSpec* app_;
  double population_;
  double switched_ = 0;
  double failing_ = 0;  ///< users failing at the last step
  double affected_ = 0; ///< distinct users who have seen the failure
  double reports_ = 0;
};

} // namespace outagesim::users
