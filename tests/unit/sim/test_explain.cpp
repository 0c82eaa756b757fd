#include <catch2/catch.hpp>

#include "sim/core/Time.hpp"
#include "sim/explain/Explain.hpp"

using namespace outagesim::sim;

TEST_CASE("event types read as failures or recoveries from their last word", "[explain]") {
  CHECK(event_polarity("users.service_lost") == 1);
  CHECK(event_polarity("link.down") == 1);
  CHECK(event_polarity("dns.servfail_start") == 1);
  CHECK(event_polarity("health.check_failed") == 1);
  CHECK(event_polarity("service.restored") == -1);
  CHECK(event_polarity("link.up") == -1);
  CHECK(event_polarity("dns.resolution_recovered") == -1);
  CHECK(event_polarity("dc.restart_began") == 0);
  CHECK(event_polarity("fault.applied") == 0);
  CHECK(event_polarity("operator.on_site") == 0);
  CHECK(event_polarity("bgp.hijack_verdict") == 0); // a new type: an intermediate step, not a symptom
  CHECK(event_polarity("x.restore_failed") == 1);   // the last word decides
}

TEST_CASE("explain --at reads a clock time, an offset or a UTC time", "[explain]") {
  std::int64_t start = *parse_utc("2021-10-04T15:00:00Z");
  CHECK(parse_at("15:41", start) == Approx(41 * 60));
  CHECK(parse_at("15:41:30", start) == Approx(41 * 60 + 30));
  CHECK(parse_at("+2h", start) == Approx(7200));
  CHECK(parse_at("2021-10-04T16:00:00Z", start) == Approx(3600));
  CHECK_FALSE(parse_at("25:00", start));
  CHECK_FALSE(parse_at("15:4", start));
  CHECK_FALSE(parse_at("soon", start));
}

TEST_CASE("explain ranks root causes and folds repeats", "[explain]") {
  RunRecord r;
  r.start_epoch = *parse_utc("2021-10-04T15:00:00Z");
  r.end = 7200;
  r.services["a"] = {"web"};
  r.outages["a"] = {{"web", 600, 3600, true}};
  auto ev = [&](double t, std::string type, std::string subject, std::uint64_t cause, std::string reason) {
    RecordedEvent e;
    e.id = r.events.size() + 1;
    e.t = t;
    e.utc = format_utc(double(r.start_epoch) + t);
    e.type = std::move(type);
    e.subject = std::move(subject);
    e.cause = cause;
    e.reason = std::move(reason);
    r.events.push_back(e);
  };
  ev(600, "fault.applied", "link:*", 0, "cut");                          // 1
  ev(600, "link.down", "link:x", 1, "cut");                              // 2
  ev(600, "link.down", "link:y", 1, "cut");                              // 3
  ev(610, "users.service_lost", "region:a", 2, "web: no path");          // 4
  ev(900, "fault.applied", "dns:*", 0, "flood");                         // 5
  ev(905, "users.service_lost", "region:a", 5, "web: no names");         // 6
  ev(910, "users.service_lost", "region:a", 3, "web: no path");          // 7
  ev(3500, "fault.ended", "link:*", 0, "repaired");                      // 8
  ev(3550, "users.service_restored", "region:a", 8, "web: works again"); // 9
  Diagnostics d;
  auto x = explain(r, ExplainOptions{"a", "", std::nullopt}, d);
  REQUIRE(x);
  CHECK(x->failures == 3);
  REQUIRE(x->causes.size() == 2);
  CHECK(x->causes[0].root->id == 1); // explains two of the three
  CHECK(x->causes[0].explains == 2);
  CHECK(x->causes[1].root->id == 5);
  // The two link.down events on the region's paths are one step.
  REQUIRE(x->causes[0].steps.size() == 3);
  CHECK(x->causes[0].steps[1].on_path.size() == 2);
  REQUIRE(x->recovery.size() == 1);
  CHECK(x->recovery[0].root->id == 8);
  CHECK(x->back.size() == 1);
  CHECK(x->back[0].second == "2021-10-04T15:59:10Z");
  Diagnostics bad;
  CHECK_FALSE(explain(r, ExplainOptions{"b", "", std::nullopt}, bad));
  CHECK(bad.has_errors());
}
