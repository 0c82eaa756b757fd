// Unit tests of the DNS model's engine-free core and its scenario section. No randomness: the core is
// deterministic; reachability comes from fake functions.
#include <chrono>

#include <catch2/catch.hpp>

#include "models/dns/DnsCore.hpp"
#include "models/dns/DnsModel.hpp"
#include "sim/scenario/Loader.hpp"
#include "tests/unit/dns/DnsTestSupport.hpp"

using namespace outagesim::dns;
using outagesim::dns::test::one_region;
using outagesim::dns::test::run;

namespace {

// com (one TLD server) delegates example.com (two servers) with a 2-day NS TTL; one region of 1000
// users asks one resolver for the names given, at 0.01 lookups per person per second (10/s).
DnsConfig small_world(std::vector<std::string> names = {"www.example.com"}) {
  DnsConfig c;
  c.servers = {{"tld-a", {"dns:tld-a"}, std::nullopt, 1e6},
               {"ns-a", {"dns:ns-a"}, std::nullopt, 1e6},
               {"ns-b", {"dns:ns-b"}, std::nullopt, 1e6}};
  ZoneSpec com{"com", {"tld-a"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {"ns-a", "ns-b"}, 172800, 300, {}};
  ex.records = {{"www.example.com", RecordSpec::Type::Cname, 3600, "edge.example.com"},
                {"edge.example.com", RecordSpec::Type::A, 60, ""},
                {"static.example.com", RecordSpec::Type::A, 3600, ""}};
  c.zones = {com, ex};
  c.resolvers = {{"resolver:r1", "isp", 1e9, std::nullopt, std::nullopt}};
  c.clients = {{"region:x", {{"resolver:r1", 1.0}}}};
  for (const auto& n : names)
    c.names.push_back({n, 0.01});
  return c;
}

double answers(DnsCore& core, std::size_t k0, std::size_t k1, Answer a, std::size_t name = 0) {
  double sum = 0;
  for (std::size_t k = k0; k < k1; ++k)
    sum += core.sample(k).names[name].answers[static_cast<std::size_t>(a)];
  return sum;
}

double sent(DnsCore& core, std::size_t k0, std::size_t k1, std::size_t server) {
  double sum = 0;
  for (std::size_t k = k0; k < k1; ++k)
    sum += core.sample(k).sites[server][0].sent;
  return sum;
}

// Reachability that can be switched per server during a test.
struct Switch {
  std::vector<bool> up = {true, true, true};
  ReachFn fn() {
    return [this](std::size_t, std::size_t s, std::size_t) {
      Reach r;
      r.ok = up[s];
      r.latency = 0.01;
      r.reason = r.ok ? "" : "site down";
      r.cause = r.ok ? 0 : 42;
      return r;
    };
  }
};

} // namespace

TEST_CASE("dns cache entries expire at their TTLs", "[dns]") {
  DnsCore core(small_world(), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  run(core, 0, 10);
  const auto& c = core.cache(0);
  const auto& edge = c.names[core.name_index("edge.example.com")];
  const auto& www = c.names[core.name_index("www.example.com")];
  const auto& deleg = c.zones[core.zone_index("example.com")];
  // First resolution at t=0: TLD then auth, two round trips of 20 ms each.
  CHECK(edge.from == Approx(0.04));
  CHECK(edge.until == Approx(60.04));
  CHECK(www.until == Approx(3600.04));
  CHECK(deleg.until == Approx(172800.04));
  // The 60 s address is refreshed right after it expires; the CNAME and the delegation are not.
  run(core, 10, 125);
  CHECK(c.names[core.name_index("edge.example.com")].from == Approx(120.08));
  CHECK(c.names[core.name_index("www.example.com")].until == Approx(3600.04));
  // Upstream: one TLD query at t=0 and three queries to the example.com servers (0, 60, 120 s).
  double auth = sent(core, 0, core.sample_count(), 1) + sent(core, 0, core.sample_count(), 2);
  CHECK(sent(core, 0, core.sample_count(), 0) == Approx(1));
  CHECK(auth == Approx(3));
  CHECK(answers(core, 0, core.sample_count(), Answer::NoError) == Approx(10 * 125));
}

TEST_CASE("dns negative answers are cached for the SOA minimum", "[dns]") {
  DnsCore core(small_world({"nope.example.com"}), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  run(core, 0, 1000);
  const auto& e = core.cache(0).names[core.name_index("nope.example.com")];
  CHECK(e.kind == CacheEntry::Kind::Negative);
  CHECK(e.until - e.from == Approx(300));
  // NXDOMAIN at 0, ~300, ~600, ~900 s: four queries to the zone's servers.
  double auth = sent(core, 0, core.sample_count(), 1) + sent(core, 0, core.sample_count(), 2);
  CHECK(auth == Approx(4));
  CHECK(answers(core, 0, core.sample_count(), Answer::NxDomain) == Approx(10 * 1000).epsilon(1e-6));
}

TEST_CASE("dns SERVFAIL is cached for servfail_ttl and paces the resolutions", "[dns]") {
  ResolverPolicy pol;
  pol.servfail_ttl = 30;
  pol.refetch_delegation = false;
  ClientPolicy cl;
  cl.immediate_retries = 0;
  cl.app_retries = 0;
  Switch sw;
  DnsCore core(small_world({"static.example.com"}), pol, cl, one_region(), 60);
  core.set_reach(sw.fn());
  run(core, 0, 60); // warm: the delegation is cached for 2 days, static for 1 h
  sw.up[1] = sw.up[2] = false;
  core.invalidate_reach();
  run(core, 60, 3600 + 60 + 600);
  // Until the cached address expires (3600.04 s) users see nothing.
  CHECK(answers(core, 0, 60, Answer::ServFail) == 0);
  // Then each resolution times out on both servers twice (0.8 + 0.8 + 1.6 + 1.6 = 4.8 s) and its
  // SERVFAIL is held 30 s: one resolution per 4.8 + 30 + 0.1 s, four queries each.
  double window = 600;
  double expected_resolutions = window / (4.8 + 30 + 0.1);
  double auth = sent(core, 61, 71, 1) + sent(core, 61, 71, 2);
  CHECK(auth == Approx(4 * expected_resolutions).epsilon(0.05));
  CHECK(answers(core, 61, 71, Answer::ServFail) == Approx(10 * window).epsilon(1e-6));
  CHECK(answers(core, 61, 71, Answer::NoError) == 0);
  // The failure is an event whose cause is what made the servers unreachable.
  auto events = core.take_events();
  REQUIRE(!events.empty());
  CHECK(events.back().type == "dns.servfail_start");
  CHECK(events.back().cause == 42);
  CHECK(events.back().reason.find("expired") != std::string::npos);
  CHECK(events.back().time == Approx(3600));
}

TEST_CASE("dns serve-stale answers expired data while the servers fail", "[dns]") {
  for (bool stale : {false, true}) {
    ResolverPolicy pol;
    pol.serve_stale = stale;
    Switch sw;
    DnsCore core(small_world(), pol, ClientPolicy{}, one_region(), 60);
    core.set_reach(sw.fn());
    run(core, 0, 120);
    sw.up[1] = sw.up[2] = false;
    core.invalidate_reach();
    run(core, 120, 600);
    std::size_t from = 3, to = 10; // 180..600 s: the 60 s address has expired
    double total = 10 * 420;
    if (stale) {
      CHECK(answers(core, from, to, Answer::Stale) == Approx(total).epsilon(1e-6));
      CHECK(answers(core, from, to, Answer::ServFail) == 0);
    } else {
      CHECK(answers(core, from, to, Answer::Stale) == 0);
      CHECK(answers(core, from, to, Answer::ServFail) + answers(core, from, to, Answer::Timeout) ==
            Approx(core.sample(from).names[0].attempts * 0 +
                   [&] {
                     double a = 0;
                     for (std::size_t k = from; k < to; ++k)
                       a += core.sample(k).names[0].attempts;
                     return a;
                   }())
                .epsilon(1e-6));
    }
  }
}

TEST_CASE("dns retry multiplication: k client retries through n servers", "[dns]") {
  // No coalescing, no SERVFAIL cache: every client query becomes a resolution that tries both
  // servers twice. A client retrying k=2 times: resolver load 3x, authoritative load 3 * 2 * 2 = 12x
  // of the demand.
  ResolverPolicy pol;
  pol.coalesce = false;
  pol.servfail_ttl = 0;
  pol.refetch_delegation = false;
  ClientPolicy cl;
  cl.immediate_retries = 2;
  cl.app_retries = 0;
  Switch sw;
  DnsCore core(small_world({"static.example.com"}), pol, cl, one_region(), 60);
  core.set_reach(sw.fn());
  run(core, 0, 60);
  sw.up[1] = sw.up[2] = false;
  core.invalidate_reach();
  run(core, 60, 3600 + 60 + 600);
  // Steady state, well after the cached address expired at 3600 s.
  const std::size_t k0 = 62, k1 = 70;
  double secs = (k1 - k0) * 60.0;
  double resolver = 0;
  for (std::size_t k = k0; k < k1; ++k)
    resolver += core.sample(k).names[0].attempts;
  double lambda = 10, k = 2, n = 2, rounds = 2;
  CHECK(resolver / secs == Approx(lambda * (1 + k)).epsilon(1e-6));
  double auth = sent(core, k0, k1, 1) + sent(core, k0, k1, 2);
  CHECK(auth / secs == Approx(lambda * (1 + k) * n * rounds).epsilon(0.01));
  CHECK(sent(core, k0, k1, 1) == Approx(sent(core, k0, k1, 2)));
}

TEST_CASE("dns resolver capacity: queries past it are dropped and time out", "[dns]") {
  DnsConfig c = small_world();
  c.resolvers[0].capacity = 5; // demand is 10/s
  ClientPolicy cl;
  cl.immediate_retries = 0;
  cl.app_retries = 0;
  DnsCore core(c, ResolverPolicy{}, cl, one_region(), 60);
  run(core, 0, 600);
  CHECK(answers(core, 1, 10, Answer::Timeout) == Approx(5 * 540).epsilon(1e-6));
  CHECK(answers(core, 1, 10, Answer::NoError) == Approx(5 * 540).epsilon(1e-6));
  // With immediate retries the dropped half comes back: offered load 10 * (1 + 1/2 + 1/4) = 17.5/s.
  cl.immediate_retries = 2;
  DnsCore retrying(c, ResolverPolicy{}, cl, one_region(), 60);
  run(retrying, 0, 600);
  CHECK(retrying.sample(9).names[0].attempts / 60 > 16);
}

TEST_CASE("dns authoritative capacity: an attacked server drops, the other answers", "[dns]") {
  DnsConfig c = small_world();
  c.servers[1].capacity = 1000;
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  run(core, 0, 60);
  core.set_attack(1, 0, 1e6);
  run(core, 60, 1200);
  const auto& st = core.sample(10);
  CHECK(st.sites[1][0].attack == Approx(60e6));
  CHECK(st.sites[1][0].dropped > 0.99 * 60e6);
  CHECK(st.names[0].auth_attack == Approx(60e6));
  CHECK(st.names[0].auth_attack_bits == Approx(60e6 * 8 * 80)); // queries of 80 bytes (the default)
  // Queries that reach ns-a are mostly dropped and retried at ns-b: users hardly notice.
  CHECK(answers(core, 2, 20, Answer::ServFail) + answers(core, 2, 20, Answer::Timeout) == 0);
  CHECK(sent(core, 2, 20, 2) > sent(core, 2, 20, 1));
}

TEST_CASE("dns anycast: when one site is unreachable, queries go to another", "[dns]") {
  DnsConfig c = small_world();
  c.servers = {{"tld-a", {"dns:tld-a"}, std::nullopt, 1e6},
               {"any", {"dns:any-near", "dns:any-far"}, std::nullopt, 1e6}};
  c.zones[1].servers = {"any"};
  bool near_up = true;
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  core.set_reach([&](std::size_t, std::size_t s, std::size_t site) {
    Reach r;
    r.ok = !(s == 1 && site == 0 && !near_up);
    r.latency = site == 0 ? 0.005 : 0.05;
    return r;
  });
  run(core, 0, 300);
  CHECK(core.sample(2).sites[1][0].arrived > 0);
  CHECK(core.sample(2).sites[1][1].arrived == 0);
  near_up = false; // the near site withdraws its route
  core.invalidate_reach();
  run(core, 300, 900);
  CHECK(core.sample(10).sites[1][0].arrived == 0);
  CHECK(core.sample(10).sites[1][1].arrived > 0);
  CHECK(answers(core, 0, 15, Answer::ServFail) + answers(core, 0, 15, Answer::Timeout) == 0);
}

TEST_CASE("dns section: unknown keys and missing nodes are errors with positions", "[dns]") {
  const std::string text = R"(scenario: {duration: 1h}
topology:
  dns_servers: [{id: a}]
  resolvers: [{id: r}]
  regions: [{id: x}]
dns:
  servers: [{id: a, sites: [dns:a, dns:zz]}]
  zones: [{name: example.com, servers: [a], colour: red}]
  resolvers: [{node: resolver:r}]
  clients: [{region: region:x, via: [{resolver: resolver:r, share: 1}]}]
  names: [{name: www.example.org, rate: 1}]
)";
  auto [loaded, all] = outagesim::dns::test::load_with_dns(text);
  CHECK_FALSE(loaded);
  INFO(all);
  CHECK(all.find("t.yaml:7:36: error: dns server site 'dns:zz' names no declared node") != std::string::npos);
  CHECK(all.find("t.yaml:8:45: error: unknown key 'colour'") != std::string::npos);
  CHECK(all.find("www.example.org' lies in no configured zone") != std::string::npos);
}

// Cost of the core alone, a benchmark that prints its figure (hidden: `outagesim_tests "[.dns-bench]"`): one
// simulated day, 100 regions, 20 resolvers, 10 names (each a CNAME to an address with its own TTL), 10 s
// steps, the authoritative servers unreachable for 2 h in the middle.
TEST_CASE("dns cost of a day: 100 regions, 20 resolvers, 10 names", "[.dns-bench]") {
  DnsConfig c;
  c.servers = {{"tld", {"dns:tld"}, std::nullopt, 1e7},
               {"a", {"dns:ns-a", "dns:ns-b"}, std::nullopt, 1e7},
               {"c", {"dns:ns-c"}, std::nullopt, 1e7},
               {"d", {"dns:ns-d"}, std::nullopt, 1e7}};
  ZoneSpec com{"com", {"tld"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {"a", "c", "d"}, 172800, 300, {}};
  for (int i = 0; i < 10; ++i) {
    std::string w = "w" + std::to_string(i) + ".example.com", e = "e" + std::to_string(i) + ".example.com";
    ex.records.push_back({w, RecordSpec::Type::Cname, 3600, e});
    ex.records.push_back({e, RecordSpec::Type::A, 30.0 * (i + 1), ""});
    c.names.push_back({w, 0.001});
  }
  c.zones = {com, ex};
  for (int i = 0; i < 20; ++i)
    c.resolvers.push_back(
        {"resolver:r" + std::to_string(i), i < 5 ? "public" : "isp", 1e9, std::nullopt, std::nullopt});
  std::vector<RegionInfo> regions;
  for (int g = 0; g < 100; ++g) {
    regions.push_back({"region:g" + std::to_string(g), 1e6, double(g % 24 - 11)});
    c.clients.push_back(
        {regions.back().path,
         {{"resolver:r" + std::to_string(g % 20), 0.5}, {"resolver:r" + std::to_string((g + 7) % 20), 0.5}}});
  }
  bool up = true;
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, regions, 60, 0.3);
  core.set_reach([&](std::size_t, std::size_t s, std::size_t) {
    Reach r;
    r.ok = s == 0 || up;
    return r;
  });
  auto t0 = std::chrono::steady_clock::now();
  for (double t = 0; t < 86400; t += 10) {
    bool want = !(t >= 36000 && t < 43200);
    if (want != up) {
      up = want;
      core.invalidate_reach();
    }
    core.step(t, t + 10);
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("one simulated day: " << wall << " s wall, " << core.take_events().size() << " events");
}
