#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "models/Registry.hpp"
#include "sim/compare/Score.hpp"

using namespace outagesim::sim;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name);
  std::ofstream(p) << text;
  return p.string();
}

const char* kObserved = R"(case: test
date: 2021-10-04
signals:
  - {id: traffic.drop_start, subject: service:web, kind: time, observed: "15:39", window: ["15:37", "15:42"]}
  - {id: service.recovered, subject: service:web, kind: time, observed: "22:00", window: ["21:00", "23:00"], weight: 2}
  - {id: outage.duration, subject: service:web, kind: duration, observed: 6h, window: [5h, 7h]}
  - {id: dns.failure_answer, subject: name:web, kind: set, observed: [servfail]}
  - {id: bgp.prefix_stays_visible, subject: prefix:10.0.0.0/8, kind: bool, observed: true}
  - {id: users.reports_total, subject: service:web, kind: number, observed: 100, window: [50, 200]}
)";
} // namespace

TEST_CASE("a run is scored signal by signal against the observed windows", "[score]") {
  Diagnostics d;
  auto obs = load_observed(write_temp("obs.yaml", kObserved), d);
  d.print(std::cerr);
  REQUIRE(obs);
  REQUIRE(obs->signals.size() == 6);
  auto summary = nlohmann::json::parse(R"({"signals": {
    "traffic.drop_start": {"service:web": {"kind": "time", "value": "2021-10-04T15:40:30Z"}},
    "service.recovered": {"service:web": {"kind": "time", "value": "2021-10-04T23:30:00Z"}},
    "outage.duration": {"service:web": {"kind": "duration", "value": 21000}},
    "dns.failure_answer": {"name:web": {"kind": "set", "value": ["servfail"]}},
    "bgp.prefix_stays_visible": {"prefix:10.0.0.0/8": {"kind": "bool", "value": false}}
  }})");
  ScoreResult r = score_run(summary, *obs);
  REQUIRE(r.signals.size() == 6);
  CHECK(r.signals[0].in_window);
  CHECK(r.signals[0].simulated_text == "15:40:30");
  CHECK_FALSE(r.signals[1].in_window);
  CHECK(r.signals[1].distance == Approx(0.25)); // 30 min past a 2 h window
  CHECK(r.signals[1].score == Approx(2 * 0.75));
  CHECK(r.signals[2].in_window); // 5h50m
  CHECK(r.matched == 3);
  CHECK(r.missing == 1);
  CHECK(r.signals[5].missing);
  CHECK(r.signals[4].score == 0);
  CHECK_THAT(score_table(r), Catch::Contains("total: 3 of 6 signals in window, 1 missing, 0 never happened"));
}

TEST_CASE("an event that never happened is 'never', not missing; a record may observe never", "[score]") {
  Diagnostics d;
  auto obs = load_observed(write_temp("never.yaml", R"(case: test
date: 2021-10-04
signals:
  - {id: traffic.drop_start, subject: service:web, kind: time, observed: "15:39", window: ["15:37", "15:42"]}
  - {id: bgp.withdrawal_burst_start, subject: as:1, kind: time, observed: never}
  - {id: outage.duration, subject: service:web, kind: duration, observed: never, weight: 3}
  - {id: service.recovered, subject: service:web, kind: time, observed: never}
)"),
                           d);
  d.print(std::cerr);
  REQUIRE(obs);
  CHECK(obs->signals[1].never);
  CHECK(obs->signals[1].observed_text == "never");
  auto summary = nlohmann::json::parse(R"({"signals": {
    "traffic.drop_start": {"service:web": {"kind": "time", "value": null}},
    "bgp.withdrawal_burst_start": {"as:1": {"kind": "time", "value": null}},
    "outage.duration": {"service:web": {"kind": "duration", "value": 3600}}
  }})");
  ScoreResult r = score_run(summary, *obs);
  // Observed at 15:39, never happened in the run: no score, counted as never, not as missing.
  CHECK(r.signals[0].never);
  CHECK_FALSE(r.signals[0].missing);
  CHECK(r.signals[0].simulated_text == "never");
  CHECK(r.signals[0].score == 0);
  // Observed never and never in the run: a match with full weight.
  CHECK(r.signals[1].in_window);
  CHECK(r.signals[1].score == 1);
  // Observed never, but the run had an outage of an hour: no match.
  CHECK_FALSE(r.signals[2].in_window);
  CHECK(r.signals[2].score == 0);
  CHECK(r.signals[2].simulated_text == "1h");
  // Not computed at all: still missing.
  CHECK(r.signals[3].missing);
  CHECK(r.matched == 1);
  CHECK(r.never == 1);
  CHECK(r.missing == 1);
  auto table = score_table(r);
  CHECK_THAT(table, Catch::Contains("no, never happened"));
  CHECK_THAT(table, Catch::Contains("no, happened"));
  CHECK_THAT(table, Catch::Contains("1 missing, 1 never happened"));
}

TEST_CASE("'never' takes no window", "[score]") {
  Diagnostics d;
  auto obs = load_observed(write_temp("never-bad.yaml", "date: 2021-10-04\nsignals:\n  - {id: x, subject: service:x, kind: time, "
                                                        "observed: never, window: [\"1:00\", \"2:00\"]}\n"),
                           d);
  CHECK_FALSE(obs);
  REQUIRE_FALSE(d.all().empty());
  CHECK_THAT(d.all()[0].str(), Catch::Contains("observed 'never' and has a 'window'"));
}

TEST_CASE("a malformed observed record gets file:line:col errors", "[score]") {
  Diagnostics d;
  auto obs =
      load_observed(write_temp("bad.yaml", "date: 2021-10-04\nsignals:\n  - {id: x, kind: time, observed: "
                                           "\"25:00\", window: [\"1:00\", \"2:00\"], colour: red}\n"),
                    d);
  CHECK_FALSE(obs);
  REQUIRE(d.all().size() >= 2);
  CHECK_THAT(d.all()[0].str(), Catch::Contains("bad.yaml:3:"));
}

TEST_CASE("an observed subject must be of the kind its signal is declared for", "[score]") {
  Diagnostics d;
  auto obs = load_observed_text(
      "date: 2021-10-04\nsignals:\n"
      "  - {id: dns.retry_amplification, subject: region:eu, kind: number, observed: 20, window: [10, 40]}\n"
      "  - {id: traffic.drop_start, subject: svc:web, kind: time, observed: \"15:39\",\n"
      "     window: [\"15:37\", \"15:42\"]}\n"
      "  - {id: bgp.reannounce_start, subject: prefix:10.0.0.0/8, kind: time, observed: \"21:00\",\n"
      "     window: [\"20:55\", \"21:10\"]}\n"
      "  - {id: dns.retry_amplification, subject: zone:example.com, kind: number, observed: 20,\n"
      "     window: [10, 40]}\n",
      "obs.yaml", d, outagesim::models::signal_catalog());
  CHECK_FALSE(obs);
  REQUIRE(d.all().size() == 2);
  CHECK(d.all()[0].str() ==
        "obs.yaml:3:44: error: signal dns.retry_amplification subject 'region:eu' is of kind "
        "region; expected zone:NAME (dns.retry_amplification is declared per zone)");
  CHECK_THAT(d.all()[1].str(), Catch::StartsWith("obs.yaml:4:"));
  CHECK_THAT(d.all()[1].str(), Catch::Contains("'svc:web' is of kind svc; expected service:NAME"));
  // Without a catalogue (nothing to check against) any KIND:ID passes.
  Diagnostics d2;
  CHECK(load_observed_text("date: 2021-10-04\nsignals:\n  - {id: a.b, subject: region:eu, kind: number, "
                           "observed: 1, window: [0, 2]}\n",
                           "obs.yaml", d2, {}));
}

TEST_CASE("signatures: notable fault-class signals the record does not score", "[score]") {
  Diagnostics d;
  auto obs = load_observed(write_temp("sig.yaml", R"(case: test
date: 2021-10-04
signals:
  - {id: bgp.new_origins, subject: "prefix:10.0.0.0/24", kind: set, observed: []}
)"),
                           d);
  REQUIRE(obs);
  auto summary = nlohmann::json::parse(R"({"signals": {
    "bgp.valley_paths": {"as:1": {"kind": "number", "value": 3}, "as:2": {"kind": "number", "value": 0}},
    "bgp.new_origins": {"prefix:10.0.0.0/24": {"kind": "set", "value": [666]},
                        "prefix:10.0.1.0/24": {"kind": "set", "value": [666]}},
    "auth.query_multiplier_peak": {"name:x": {"kind": "number", "value": 2.5}},
    "regions.waves": {"service:web": {"kind": "number", "value": 3}},
    "traffic.drop_start": {"service:web": {"kind": "time", "value": null}}
  }})");
  auto s = signatures(summary, *obs, outagesim::models::signal_catalog());
  // Zero valley paths, a multiplier of 2.5 and the scored prefix are not signatures.
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "bgp.valley_paths as:1 = 3");
  CHECK(s[1] == "bgp.new_origins prefix:10.0.1.0/24 = [666]");
  CHECK(s[2] == "regions.waves service:web = 3");
  CHECK(signatures(summary, *obs, outagesim::models::signal_catalog(), 1).size() == 1);
}

TEST_CASE("an observed subject must be one a run of the scenario can compute", "[score]") {
  Diagnostics d;
  auto obs = load_observed_text(
      "date: 2021-10-04\nsignals:\n"
      "  - {id: dns.retry_amplification, subject: zone:example.com, kind: number, observed: 20,\n"
      "     window: [10, 40]}\n"
      "  - {id: dns.retry_amplification, subject: zone:nosuch, kind: number, observed: 20, window: [10, "
      "40]}\n"
      "  - {id: bgp.prefix_gone, subject: prefix:10.0.0.0/8, kind: time, observed: \"15:40\",\n"
      "     window: [\"15:39\", \"15:45\"]}\n",
      "obs.yaml", d, outagesim::models::signal_catalog());
  REQUIRE(obs);
  // One scenario: its zones are com and example.com; it has no BGP, so no prefix at all.
  const std::vector<std::string> one = {"name:www.example.com", "resolver:all", "zone:com",
                                        "zone:example.com"};
  check_observed_subjects(*obs, one, 1, d);
  REQUIRE(d.all().size() == 2);
  CHECK(d.all()[0].str() ==
        "obs.yaml:5:44: error: signal dns.retry_amplification subject 'zone:nosuch' is not "
        "in the scenario: no run can compute it; expected one of zone:com, zone:example.com");
  CHECK(d.all()[1].str() ==
        "obs.yaml:6:36: error: signal bgp.prefix_gone subject 'prefix:10.0.0.0/8' is not in "
        "the scenario: no run can compute it; expected a subject it has, and it has no prefix "
        "subjects (no model computes prefix signals there)");
  // compare: hypotheses may differ in topology; a subject one of them has is enough.
  Diagnostics d2;
  std::vector<std::string> two = one;
  two.insert(two.end(), {"prefix:10.0.0.0/8", "zone:nosuch"});
  std::sort(two.begin(), two.end());
  check_observed_subjects(*obs, two, 2, d2);
  CHECK_FALSE(d2.has_errors());
  Diagnostics d3;
  check_observed_subjects(*obs, {"zone:com"}, 3, d3);
  REQUIRE(d3.all().size() == 3);
  CHECK_THAT(d3.all()[0].str(),
             Catch::Contains("'zone:example.com' is in none of the 3 scenarios: no run can "
                             "compute it; expected one of zone:com"));
  CHECK_THAT(d3.all()[2].str(),
             Catch::Contains("expected a subject one of them has, and none has prefix subjects"));
}

TEST_CASE("a summary lists the subjects its run's signals can be about", "[score]") {
  Diagnostics d;
  auto ok = check_summary(R"({"signals": {}, "subjects": ["service:web", "zone:com"]})", "s.json", d,
                          outagesim::models::signal_catalog());
  REQUIRE(ok);
  CHECK(summary_subjects(*ok) == std::vector<std::string>{"service:web", "zone:com"});
  // Written before the list existed: scored without the check.
  auto old = check_summary(R"({"signals": {}})", "s.json", d, outagesim::models::signal_catalog());
  REQUIRE(old);
  CHECK_FALSE(summary_subjects(*old));
  Diagnostics bad;
  CHECK_FALSE(check_summary("{\"signals\": {},\n \"subjects\": [\"web\", 3]}", "s.json", bad));
  REQUIRE(bad.all().size() == 2);
  CHECK(bad.all()[0].str() == "s.json:2:15: error: summary 'subjects' has an item that is not KIND:ID text; "
                              "expected text such as \"zone:example.com\"");
  Diagnostics bad2;
  CHECK_FALSE(check_summary(R"({"signals": {}, "subjects": {}})", "s.json", bad2));
  CHECK_THAT(bad2.all().at(0).str(),
             Catch::Contains("summary 'subjects' is a mapping; expected a list of KIND:ID"));
}
