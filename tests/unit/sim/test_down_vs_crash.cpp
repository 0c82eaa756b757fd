// `down` is a graceful stop and `crash` a crash where the difference is real: a BGP speaker stopped
// gracefully closes its sessions at once, a crashed one goes silent until the peer's hold timer
// expires; a resolver that crashes comes back with empty caches.
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ChildRun.hpp"
#include "models/Registry.hpp"
#include "sim/run/Runner.hpp"
#include "sim/scenario/Loader.hpp"

using namespace outagesim::sim;

namespace {

// Runs a scenario given as text in a child process (one SimGrid engine per process); returns its
// events, one JSON object per line.
std::vector<nlohmann::json> run_events(const std::string& text) {
  const std::string jsonl = outagesim::test::in_child([&]() -> std::optional<std::string> {
    Diagnostics d;
    auto s = load_scenario_text(text, std::string(OUTAGESIM_SOURCE_DIR) + "/tests/unit/sim/crash.yaml",
                                LoadOptions{}, outagesim::models::all(), d);
    if (!s) {
      d.print(std::cerr);
      return std::nullopt;
    }
    return run_scenario(*s, outagesim::models::all(), RunOptions{}).events_jsonl;
  });
  std::istringstream in(jsonl);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);)
    out.push_back(nlohmann::json::parse(line));
  return out;
}

double first(const std::vector<nlohmann::json>& events, const std::string& type, const std::string& subject) {
  for (const auto& e : events)
    if (e["type"] == type && e["subject"] == subject) return e["t"].get<double>();
  return -1;
}

std::string two_ases(const std::string& action) {
  return R"(scenario: {name: crash, start: 2021-10-04T09:00:00Z, duration: 30m}
topology:
  ases: [{asn: 64500}, {asn: 64510}]
  routers: [{id: a, as: 64500}, {id: b, as: 64510}]
  links: [{id: a-b, between: [router:a, router:b], latency: 5ms}]
bgp:
  links: [{a: 64500, b: 64510, rel: provider}]
  prefixes: [{prefix: 203.0.113.0/24, origins: [64500]}]
  vantages: [64510]
faults: [{at: +10m, target: router:a, action: )" +
         action + R"(}]
models: {probe: {enabled: false}}
)";
}

} // namespace

TEST_CASE("a BGP speaker stopped gracefully closes its sessions at once; a crash waits for the hold timer",
          "[down-vs-crash][run]") {
  auto down = run_events(two_ases("down"));
  auto crash = run_events(two_ases("crash"));
  CHECK(first(down, "bgp.session_down", "session:64500-64510") == Approx(600));
  CHECK(first(crash, "bgp.session_down", "session:64500-64510") == Approx(600 + 90)); // hold_time 90s
  CHECK(first(down, "node.stopped", "router:a") == Approx(600));
  CHECK(first(crash, "node.crashed", "router:a") == Approx(600));
}

TEST_CASE("a resolver that crashes comes back with empty caches; one stopped gracefully keeps them",
          "[down-vs-crash][run]") {
  // Scenario 03: the authoritative servers vanish at +10m; static.example.com (TTL 1h) stays cached
  // at the ISP resolver until +1h. The resolver goes away at +20m for one minute.
  auto with = [](const std::string& action) {
    return "include: ../../../scenarios/teaching/03-dns-caching-and-ttl.yaml\n"
           "faults:\n  - {id: blip, at: +20m, for: 1m, target: resolver:isp, action: " +
           action + "}\n";
  };
  auto fails_at = [](const std::vector<nlohmann::json>& events) {
    for (const auto& e : events)
      if (e["type"] == "dns.servfail_start" && e["subject"] == "resolver:isp" &&
          e["reason"].get<std::string>().rfind("static.example.com", 0) == 0)
        return e["t"].get<double>();
    return -1.0;
  };
  const double kept = fails_at(run_events(with("down")));
  const double lost = fails_at(run_events(with("crash")));
  CHECK(kept == Approx(3600));
  CHECK(lost >= 20 * 60);
  CHECK(lost < 30 * 60);
}
