// BgpDriver::lookup() memoises verdicts per (source AS, address) while the engine's lookup_version()
// and the driver's inputs stay the same. A stale answer would be a silent wrong answer, so these
// tests step the engine one event at a time through route changes, withdrawals, session failures
// and hijacks (each mode) and check after every event that the memoised verdict of every AS equals
// one computed afresh.
#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpDriver.hpp"
#include "models/bgp/BgpModel.hpp"
#include "sim/scenario/Loader.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace outagesim;
using namespace outagesim::bgp;
using Status = sim::RouteAnswer::Status;

namespace {

// Tier-1 peers 1 and 2; 10 a customer of 1 and 2, 20 of 2; the owner 100 (10.0.0.0/22) dual-homed
// to 10 and 20; the hijacker 666 a customer of 20; users in 11 (behind 1) and 21 (behind 2).
const char* kScenario = R"(scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}
bgp:
  links:
    - {a: 1, b: 2, rel: peer}
    - {a: 1, b: 10, rel: customer}
    - {a: 2, b: 10, rel: customer}
    - {a: 2, b: 20, rel: customer}
    - {a: 10, b: 100, rel: customer}
    - {a: 20, b: 100, rel: customer}
    - {a: 20, b: 666, rel: customer}
    - {a: 1, b: 11, rel: customer}
    - {a: 2, b: 21, rel: customer}
  prefixes:
    - {prefix: 10.0.0.0/22, origins: [100]}
)";

std::unique_ptr<BgpDriver> driver() {
  static const std::vector<sim::ModelInfo> models = {bgp_model_info()};
  sim::Diagnostics d;
  auto s = sim::load_scenario_text(kScenario, "t.yaml", sim::LoadOptions{}, models, d);
  std::ostringstream os;
  d.print(os);
  INFO(os.str());
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  auto drv = std::make_unique<BgpDriver>(setup->config, setup->graph, BgpParams{});
  drv->warm_up();
  return drv;
}

const std::vector<Asn> kSources = {1, 2, 10, 20, 100, 666, 11, 21};
const std::vector<Ipv4> kAddresses = {*parse_ipv4("10.0.0.10"), *parse_ipv4("10.0.2.1"),
                                      *parse_ipv4("192.0.2.1")};

// Every (source, address) pair: the memoised verdict (asked twice: the second is a memo hit) equals
// a fresh one. Returns how many verdicts differ from `before` (to see that something did change).
std::size_t check_all(const BgpDriver& drv, std::map<std::pair<Asn, Ipv4>, sim::RouteAnswer>& before) {
  std::size_t changed = 0;
  for (Asn from : kSources)
    for (Ipv4 address : kAddresses) {
      const Verdict fresh = drv.compute_verdict(from, address);
      const Verdict first = drv.lookup(from, address);
      const Verdict& second = drv.lookup(from, address);
      INFO("AS" << from << " to " << format_ipv4(address) << ": " << fresh.answer.reason << " / memo "
                << second.answer.reason);
      CHECK(first.answer == fresh.answer);
      CHECK(second.answer == fresh.answer);
      CHECK(second.hijack == fresh.hijack);
      auto& was = before[{from, address}];
      if (was != fresh.answer) ++changed;
      was = fresh.answer;
    }
  return changed;
}

// Applies an action now and checks every verdict after each event until the engine converges.
std::size_t step_through(BgpDriver& drv, std::map<std::pair<Asn, Ipv4>, sim::RouteAnswer>& before,
                         const std::string& path, const std::string& action,
                         const std::map<std::string, std::string>& with = {}) {
  REQUIRE(drv.apply(path, action, with, drv.engine().now() + 1));
  std::size_t changed = check_all(drv, before); // the input is pending: nothing moved yet ...
  while (!drv.engine().run_to_convergence(1))
    changed += check_all(drv, before); // ... then after each event
  changed += check_all(drv, before);
  return changed;
}

} // namespace

TEST_CASE("lookup memo: every memoised verdict equals a fresh one through changes, event by event",
          "[bgp][bgp-verdict][lookup-memo]") {
  auto drv = driver();
  std::map<std::pair<Asn, Ipv4>, sim::RouteAnswer> seen;
  check_all(*drv, seen);
  CHECK(drv->lookup(11, kAddresses[0]).answer.status == Status::Delivered);

  SECTION("withdrawal and re-announcement of the owner's prefix") {
    CHECK(step_through(*drv, seen, "prefix:10.0.0.0/22", "withdraw") > 0);
    CHECK(drv->lookup(11, kAddresses[0]).answer.status == Status::NoRoute);
    CHECK(step_through(*drv, seen, "prefix:10.0.0.0/22", "announce") > 0);
    CHECK(drv->lookup(11, kAddresses[0]).answer.status == Status::Delivered);
  }
  SECTION("a session failure moves routes, its repair moves them back") {
    const auto path = drv->lookup(21, kAddresses[0]).answer.as_path;
    CHECK(step_through(*drv, seen, "session:2-10", "down") > 0);
    CHECK(drv->lookup(21, kAddresses[0]).answer.as_path != path);
    CHECK(step_through(*drv, seen, "session:2-10", "up") > 0);
    CHECK(drv->lookup(21, kAddresses[0]).answer.as_path == path);
  }
  SECTION("hijacks in each mode, and their end") {
    for (const char* mode : {"blackhole", "impersonate", "intercept"}) {
      INFO(mode);
      std::map<std::string, std::string> with{{"prefix", "10.0.0.0/24"}, {"mode", mode}};
      CHECK(step_through(*drv, seen, "as:666", "hijack", with) > 0);
      CHECK(drv->lookup(21, kAddresses[0]).answer.hijacker == 666);
      CHECK(step_through(*drv, seen, "as:666", "unhijack", {{"prefix", "10.0.0.0/24"}}) > 0);
      CHECK(drv->lookup(21, kAddresses[0]).answer.hijacker == 0);
    }
  }
  SECTION("a route leak and a policy change") {
    step_through(*drv, seen, "as:20", "leak");
    step_through(*drv, seen, "as:2", "set_policy", {{"neighbor", "20"}, {"local_pref", "50"}});
    step_through(*drv, seen, "as:20", "unleak");
  }
}

TEST_CASE("lookup memo: a hijack's mode set while its announcement is pending shows at once",
          "[bgp][bgp-verdict][lookup-memo]") {
  // The driver records the hijack's mode when the action is applied; the engine's state changes at
  // its date. The memo must follow both.
  auto drv = driver();
  const Ipv4 victim = kAddresses[0];
  CHECK(drv->lookup(21, victim).answer.status == Status::Delivered);
  REQUIRE(drv->apply("as:666", "hijack", {{"prefix", "10.0.0.0/24"}, {"mode", "impersonate"}},
                     drv->engine().now() + 5));
  CHECK(drv->lookup(21, victim).answer == drv->compute_verdict(21, victim).answer);
  drv->engine().run_to_convergence();
  CHECK(drv->lookup(21, victim).answer.status == Status::Impersonated);
  CHECK(drv->lookup(21, victim).answer == drv->compute_verdict(21, victim).answer);
}
