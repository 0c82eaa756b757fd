// Unit tests of a resolver standing for several independent caches (instances), caches that start
// at random ages, and the infrastructure-cache hold-down after a whole NS set failed.
#include <catch2/catch.hpp>

#include "models/dns/DnsCore.hpp"
#include "tests/unit/dns/DnsTestSupport.hpp"

using namespace outagesim::dns;
using outagesim::dns::test::one_region;
using outagesim::dns::test::run;

namespace {

// com delegates example.com (two servers); one region of 1000 users asks one resolver for one A name
// of TTL 60 s at 0.01 lookups per person per second (10/s).
DnsConfig world(int instances) {
  DnsConfig c;
  c.servers = {{"tld-a", {"dns:tld-a"}, std::nullopt, 1e6},
               {"ns-a", {"dns:ns-a"}, std::nullopt, 1e6},
               {"ns-b", {"dns:ns-b"}, std::nullopt, 1e6}};
  ZoneSpec com{"com", {"tld-a"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {"ns-a", "ns-b"}, 172800, 300, {}};
  ex.records = {{"edge.example.com", RecordSpec::Type::A, 60, ""}};
  c.zones = {com, ex};
  ResolverSpec r{"resolver:r1", "public", 1e9, std::nullopt, std::nullopt};
  r.instances = instances;
  c.resolvers = {r};
  c.clients = {{"region:x", {{"resolver:r1", 1.0}}}};
  c.names = {{"edge.example.com", 0.01}};
  return c;
}

double auth_sent(DnsCore& core, std::size_t k0, std::size_t k1) {
  double sum = 0;
  for (std::size_t k = k0; k < k1; ++k)
    sum += core.sample(k).sites[1][0].sent + core.sample(k).sites[2][0].sent;
  return sum;
}

double fail_share(DnsCore& core, std::size_t k) {
  const auto& pn = core.sample(k).names[0];
  double f = pn.answers[std::size_t(Answer::ServFail)] + pn.answers[std::size_t(Answer::Timeout)];
  return pn.attempts > 0 ? f / pn.attempts : 0;
}

// Every server of example.com down from `at` on (the TLD stays up).
ReachFn down_from(const double& now, double at) {
  return [&now, at](std::size_t, std::size_t s, std::size_t) {
    Reach r;
    r.ok = s == 0 || now < at;
    r.reason = r.ok ? "" : "site down";
    return r;
  };
}

} // namespace

TEST_CASE("dns instances: each cache refreshes on its own, upstream load scales with their number",
          "[dns][dns-instances]") {
  // One cache: one auth query per TTL + 1/demand (60.1 s); ten caches of 1 lookup/s each: ten per 61 s.
  DnsCore one(world(1), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  DnsCore ten(world(10), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  run(one, 0, 3600);
  run(ten, 0, 3600);
  CHECK(auth_sent(one, 0, 60) == Approx(3600 / 60.1).margin(1.5));
  CHECK(auth_sent(ten, 0, 60) == Approx(10 * 3600 / 61.0).margin(15));
  // The analytic baseline follows the same rule.
  double base1 = 0, base10 = 0;
  for (std::size_t k = 0; k < 60; ++k) {
    base1 += one.sample(k).names[0].auth_base;
    base10 += ten.sample(k).names[0].auth_base;
  }
  CHECK(base10 / base1 == Approx(10 * 60.1 / 61.0).epsilon(0.01));
  // Each instance has its own cache.
  CHECK(ten.cache(0, 9).names[ten.name_index("edge.example.com")].kind == CacheEntry::Kind::Address);
}

TEST_CASE("dns random cache ages: warm caches whose expiries spread over one TTL", "[dns][dns-instances]") {
  DnsCore a(world(50), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  DnsCore b(world(50), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  a.fill_caches_at_random_ages(7);
  b.fill_caches_at_random_ages(7);
  const auto n = std::size_t(a.name_index("edge.example.com"));
  const auto z = std::size_t(a.zone_index("example.com"));
  double lo = 1e9, hi = -1e9;
  for (std::size_t i = 0; i < 50; ++i) {
    const CacheEntry& e = a.cache(0, i).names[n];
    CHECK(e.kind == CacheEntry::Kind::Address);
    CHECK(e.from <= 0);
    CHECK(e.until - e.from == Approx(60));
    CHECK(e.until > 0);
    CHECK(e.until <= 60);
    CHECK(e.until == b.cache(0, i).names[n].until); // seeded: same seed, same ages
    CHECK(a.cache(0, i).zones[z].kind == CacheEntry::Kind::Delegation);
    lo = std::min(lo, e.until);
    hi = std::max(hi, e.until);
  }
  CHECK(hi - lo > 30); // spread, not synchronised
  // The servers vanish at 0: failures grow as the instances' entries expire, not all at once.
  double now = 0;
  DnsCore c(world(50), ResolverPolicy{}, ClientPolicy{}, one_region(), 10);
  c.fill_caches_at_random_ages(7);
  c.set_reach(down_from(now, 0));
  for (double t = 0; t < 80; t += 10) {
    now = t;
    c.invalidate_reach();
    c.step(t, t + 10);
  }
  CHECK(fail_share(c, 0) < 0.4);
  CHECK(fail_share(c, 3) > fail_share(c, 0));
  CHECK(fail_share(c, 7) > 0.9);
}

TEST_CASE("dns infra hold-down: a failed NS set is not asked again before the hold-down ends",
          "[dns][dns-instances]") {
  double now = 0;
  auto failures_upstream = [&](double holddown) {
    ResolverPolicy pol;
    pol.servfail_ttl = 5;
    pol.infra_holddown = holddown;
    DnsCore core(world(1), pol, ClientPolicy{}, one_region(), 60);
    core.set_reach(down_from(now, 600));
    for (double t = 0; t < 3600; t += 10) {
      now = t;
      core.invalidate_reach();
      core.step(t, t + 10);
    }
    return auth_sent(core, 11, 60); // 660..3600 s: servers down
  };
  double no_hold = failures_upstream(0), hold = failures_upstream(900);
  // Without hold-down: a failed cycle every ~5 s (SERVFAIL cache) plus timeouts, 4 queries each
  // (2 servers x 2 rounds). With 900 s: about one cycle per 900 s.
  CHECK(hold == Approx(4 * 2940 / 900.0).margin(8));
  CHECK(no_hold > 50 * hold);
}
