#include <catch2/catch.hpp>

#include "sim/events/EventLog.hpp"
#include "sim/metrics/Signals.hpp"

using namespace outagesim::sim;

namespace {
const SignalValue* find(const std::vector<SignalValue>& v, const std::string& id) {
  for (const auto& s : v)
    if (s.id == id) return &s;
  return nullptr;
}
} // namespace

TEST_CASE("availability signals follow their definitions", "[signals]") {
  // Two regions, one minute samples: a (weight 3) is down from 10 to 20, b (weight 1) from 12 to 40,
  // then again 60 to 65 (more than 15 minutes later: a second wave).
  Timeline tl;
  for (int m = 0; m < 90; ++m) {
    double t = m * 60.0;
    tl.add(t, "a", "web", "availability", (m >= 10 && m < 20) ? 0.0 : 1.0);
    tl.add(t, "b", "web", "availability", ((m >= 12 && m < 40) || (m >= 60 && m < 65)) ? 0.2 : 1.0);
  }
  auto s = availability_signals(tl, 60, {{"a", 3}, {"b", 1}});
  CHECK(find(s, "regions.fraction_down_at_peak")->value.get<double>() == Approx(1.0));
  CHECK(find(s, "regions.onset_spread")->value.get<double>() == Approx(120));
  CHECK(find(s, "regions.waves")->value.get<int>() == 2);
  CHECK(find(s, "traffic.drop_start")->value.get<double>() == Approx(600));
  // Weighted availability: (3*1 + 1*0.2)/4 = 0.8 < 0.9 until minute 65.
  CHECK(find(s, "service.recovered")->value.get<double>() == Approx(65 * 60));
  CHECK(find(s, "outage.duration")->value.get<double>() == Approx(55 * 60));
}

TEST_CASE("no outage, no outage signals", "[signals]") {
  Timeline tl;
  for (int m = 0; m < 10; ++m)
    tl.add(m * 60.0, "a", "web", "availability", 1.0);
  auto s = availability_signals(tl, 60, {});
  CHECK(find(s, "regions.fraction_down_at_peak")->value.get<double>() == 0.0);
  CHECK(find(s, "regions.waves")->value.get<int>() == 0);
  // Computed, but the events never happened: null values (scored "never"), not absent signals.
  for (const char* id : {"traffic.drop_start", "service.recovered", "outage.duration", "regions.onset_spread"}) {
    INFO(id);
    REQUIRE(find(s, id));
    CHECK(find(s, id)->value.is_null());
  }
  CHECK(signals_to_json(s, 0)["traffic.drop_start"]["service:web"]["value"].is_null());
}

TEST_CASE("signals serialise with UTC times", "[signals]") {
  std::vector<SignalValue> v = {{"traffic.drop_start", "service:web", "time", 2340.0}};
  auto j = signals_to_json(v, 1633359600); // 2021-10-04T15:00:00Z
  CHECK(j["traffic.drop_start"]["service:web"]["value"] == "2021-10-04T15:39:00Z");
  CHECK(j["traffic.drop_start"]["service:web"]["kind"] == "time");
}

TEST_CASE("events link to their causes", "[events]") {
  EventLog log;
  Event f;
  f.type = "fault.applied";
  auto a = log.emit(f);
  Event l;
  l.type = "link.down";
  l.cause = a;
  auto b = log.emit(l);
  Event s;
  s.type = "service.lost";
  s.cause = b;
  s.time = 61.5;
  auto c = log.emit(s);
  auto chain = log.chain(c);
  REQUIRE(chain.size() == 3);
  CHECK(chain[0]->type == "service.lost");
  CHECK(chain[2]->type == "fault.applied");
  CHECK(event_to_text(*chain[0]) == "#3 +0h01m01.500s service.lost  [cause #2]");
  CHECK(format_offset(3723) == "+1h02m03s");
}
