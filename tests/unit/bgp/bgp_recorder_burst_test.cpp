// Unit tests of the VantageRecorder's bgp.burst_kind rule (settled changes, transients of path
// exploration dropped) and of bgp.reannounce_start per victim AS.
#include <catch2/catch.hpp>

#include "models/bgp/VantageRecorder.hpp"

using namespace outagesim;
using namespace outagesim::bgp;

namespace {

const Prefix kP = *Prefix::parse("129.134.30.0/23");
const Prefix kQ = *Prefix::parse("185.89.218.0/23");

std::vector<Asn> vantages() {
  return {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
}

VantageRecorder recorder() {
  VantageRecorder r(vantages(), {{kP, {32934}}, {kQ, {32934}}}, {32934});
  for (Asn v : vantages()) {
    r.set_initial(v, kP, true, 32934, false);
    r.set_initial(v, kQ, true, 32934, false);
  }
  return r;
}

const sim::SignalValue* find(const std::vector<sim::SignalValue>& sig, const std::string& id,
                             const std::string& subject) {
  for (const auto& s : sig)
    if (s.id == id && s.subject == subject) return &s;
  return nullptr;
}

nlohmann::ordered_json kinds(const VantageRecorder& r) {
  auto sig = r.signals(7200);
  const auto* s = find(sig, "bgp.burst_kind", "as:32934");
  REQUIRE(s);
  return s->value;
}

} // namespace

TEST_CASE("burst_kind: path exploration before a withdrawal is a withdrawal", "[bgp][bgp-recorder]") {
  auto r = recorder();
  // Every vantage explores two stale paths, 20 s each, then loses the route.
  for (Asn v : vantages()) {
    r.on_best_change(600 + v, v, kP, true, true, 32934, false, 11);
    r.on_best_change(620 + v, v, kP, true, true, 32934, false, 12);
    r.on_best_change(640 + v, v, kP, true, false, 0, false, 0);
  }
  CHECK(kinds(r) == nlohmann::ordered_json({"withdrawal"}));
}

TEST_CASE("burst_kind: a leak is a path change, a hijack an announcement", "[bgp][bgp-recorder]") {
  SECTION("leak: vantages settle on another path from the same origin") {
    auto r = recorder();
    for (Asn v : vantages())
      r.on_best_change(600 + v, v, kP, true, true, 32934, true, 99);
    CHECK(kinds(r) == nlohmann::ordered_json({"path_change"}));
  }
  SECTION("hijack of the prefix: vantages settle on another origin") {
    auto r = recorder();
    for (Asn v : vantages())
      r.on_best_change(600 + v, v, kP, true, true, 666, false, 77);
    CHECK(kinds(r) == nlohmann::ordered_json({"announcement"}));
  }
  SECTION("hijack of a more-specific: vantages learn a route they had none of") {
    auto r = recorder();
    const Prefix more = *Prefix::parse("129.134.30.0/24");
    for (Asn v : vantages())
      r.on_best_change(600 + v, v, more, false, true, 666, false, 77);
    CHECK(kinds(r) == nlohmann::ordered_json({"announcement"}));
  }
  SECTION("a transient detour that comes back to the same path is no change") {
    auto r = recorder();
    r.set_initial(1, kP, true, 32934, false); // path unknown at start: 0
    r.on_best_change(600, 2, kP, true, true, 32934, false, 5);
    r.on_best_change(700, 2, kP, true, true, 32934, false, 6);
    r.on_best_change(710, 2, kP, true, true, 32934, false, 5);  // back within kSettle
    CHECK(kinds(r) == nlohmann::ordered_json({"path_change"})); // 5 -> 5 is none, initial -> 5 is one
  }
}

TEST_CASE("reannounce_start per AS: the earliest over the victim's prefixes", "[bgp][bgp-recorder]") {
  auto r = recorder();
  for (Asn v : vantages()) {
    r.on_update(600 + v, v, kP, true, 0);
    r.on_best_change(600 + v, v, kP, true, false, 0, false, 0);
    r.on_update(610 + v, v, kQ, true, 0);
    r.on_best_change(610 + v, v, kQ, true, false, 0, false, 0);
  }
  // kQ comes back first (at 3000), kP at 3100.
  r.on_update(3000, 4, kQ, false, 32934);
  r.on_best_change(3000, 4, kQ, false, true, 32934, false, 3);
  r.on_update(3100, 2, kP, false, 32934);
  r.on_best_change(3100, 2, kP, false, true, 32934, false, 3);
  auto sig = r.signals(7200);
  REQUIRE(find(sig, "bgp.reannounce_start", "prefix:" + kP.to_string()));
  CHECK(find(sig, "bgp.reannounce_start", "prefix:" + kP.to_string())->value == 3100.0);
  CHECK(find(sig, "bgp.reannounce_start", "prefix:" + kQ.to_string())->value == 3000.0);
  REQUIRE(find(sig, "bgp.reannounce_start", "as:32934"));
  CHECK(find(sig, "bgp.reannounce_start", "as:32934")->value == 3000.0);
  // Never gone, never re-announced: the per-AS value is null ("never"), not absent.
  auto quiet = recorder();
  auto quiet_signals = quiet.signals(7200);
  REQUIRE(find(quiet_signals, "bgp.reannounce_start", "as:32934"));
  CHECK(find(quiet_signals, "bgp.reannounce_start", "as:32934")->value.is_null());
}
