#include <catch2/catch.hpp>

#include "models/users/UserCohort.hpp"

using namespace outagesim::users;

TEST_CASE("diurnal curve follows each region's local hour", "[users]") {
  DiurnalCurve c;
  // 2021-10-04T15:00:00Z = 1633359600: 20:00 in UTC+5, 04:00 in UTC-11, 11:00 in UTC-4.
  double t = 1633359600;
  CHECK(DiurnalCurve::local_hour(t, 5) == Approx(20));
  CHECK(DiurnalCurve::local_hour(t, -11) == Approx(4));
  CHECK(c.at(DiurnalCurve::local_hour(t, 5)) == Approx(1.0));
  CHECK(c.at(DiurnalCurve::local_hour(t, -11)) == Approx(0.2));
  CHECK(c.at(DiurnalCurve::local_hour(t, 5.5)) == Approx((1.0 + 0.97) / 2)); // half-hour offsets
  CHECK(c.at(-1) == Approx(c.at(23)));                                       // wraps around the day
}

TEST_CASE("attempt rate: requests when all works, a retry storm when nothing does", "[users]") {
  AppSpec a;
  a.requests_per_s = 0.01;
  a.retries = 3;
  a.backoff = 2;
  a.give_up = 60;
  CHECK(attempt_rate(a, 1) == Approx(0.01));
  CHECK(attempt_rate(a, 0) == Approx(4.0 / (60 + 2 + 4 + 8)));
  CHECK(attempt_rate(a, 0.5) > attempt_rate(a, 1));
  CHECK(attempt_rate(a, 0.5) < attempt_rate(a, 0));
}

TEST_CASE("report model: a share of the affected users report, after a delay", "[users]") {
  AppSpec a;
  a.adoption = 1;
  a.peak_active = 1;
  a.report_share = 0.01;
  a.report_delay = 600;
  a.session = 1e12; // no turnover: the affected are exactly the online users
  a.switch_share = 0;
  UserCohort c(a, 1e6);
  double total = 0;
  for (int i = 0; i < 10; ++i)
    total += c.step(60, 1, 1, 1).new_reports;
  CHECK(total == 0); // no failure, no report
  auto s = c.step(60, 1, 0, 0);
  CHECK(c.affected() == Approx(1e6));
  CHECK(s.new_reports == Approx(1e4 * (1 - std::exp(-0.1))));
  for (int i = 0; i < 600; ++i)
    c.step(60, 1, 0, 0);
  CHECK(c.reports() == Approx(1e4).epsilon(1e-6)); // saturates at the share of affected users
  // Turnover: new sessions bring new affected users, and so more reports.
  a.session = 1200;
  UserCohort d(a, 1e6);
  for (int i = 0; i < 120; ++i)
    d.step(60, 1, 0, 0);
  CHECK(d.affected() == Approx(1e6 + 1e6 * 120 * 60 / 1200.0));
}

TEST_CASE("failing users switch to alternatives and come back", "[users]") {
  AppSpec a;
  a.switch_share = 0.2;
  a.switch_delay = 3600;
  a.return_delay = 3600;
  UserCohort c(a, 1e6);
  for (int i = 0; i < 180; ++i)
    c.step(60, 1, 0, 0);
  double during = c.switched_share();
  CHECK(during > 0.1);
  CHECK(during < 0.2);
  for (int i = 0; i < 600; ++i)
    c.step(60, 1, 1, 1);
  CHECK(c.switched_share() < 0.01);
}

TEST_CASE("DNS queries: cached while resolution works, asked at every attempt when it fails", "[users]") {
  AppSpec a;
  a.adoption = 1;
  a.peak_active = 1;
  a.dns_ttl = 300;
  a.switch_share = 0;
  UserCohort c(a, 1000);
  auto ok = c.step(60, 1, 1, 1);
  CHECK(ok.dns_queries == Approx(1000.0 / 300));
  auto storm = c.step(60, 1, 0, 0);
  CHECK(storm.dns_queries == Approx(1000 * attempt_rate(a, 0)));
  CHECK(storm.dns_queries / ok.dns_queries > 5); // the retry storm, at default app settings
}
