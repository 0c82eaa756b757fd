// Unit tests of the DNS faults that change what servers answer rather than whether they answer:
// deleted zones and records (NXDOMAIN, negatively cached), removed delegations, hijacked server
// addresses and poisoned caches (wrong addresses), TLD servers down, and resolution tracing.
#include <catch2/catch.hpp>

#include "models/dns/DnsCore.hpp"
#include "tests/unit/dns/DnsTestSupport.hpp"

using namespace outagesim::dns;
using outagesim::dns::test::one_region;
using outagesim::dns::test::run;

namespace {

// com (server 0) delegates example.com (servers 1, 2); one region of 1000 users asks one resolver
// (of `instances` caches) at 0.01 lookups per person per second (10/s) for the names given.
DnsConfig world(std::vector<std::string> names, double ns_ttl = 172800, int instances = 1) {
  DnsConfig c;
  c.servers = {{"tld-a", {"dns:tld-a"}, std::nullopt, 1e6},
               {"ns-a", {"dns:ns-a"}, std::nullopt, 1e6},
               {"ns-b", {"dns:ns-b"}, std::nullopt, 1e6}};
  ZoneSpec com{"com", {"tld-a"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {"ns-a", "ns-b"}, ns_ttl, 300, {}};
  ex.records = {{"www.example.com", RecordSpec::Type::Cname, 3600, "edge.example.com"},
                {"edge.example.com", RecordSpec::Type::A, 60, ""},
                {"static.example.com", RecordSpec::Type::A, 3600, ""}};
  c.zones = {com, ex};
  ResolverSpec r{"resolver:r1", "isp", 1e9, std::nullopt, std::nullopt};
  r.instances = instances;
  c.resolvers = {r};
  c.clients = {{"region:x", {{"resolver:r1", 1.0}}}};
  for (const auto& n : names)
    c.names.push_back({n, 0.01});
  return c;
}

ClientPolicy no_retries() {
  ClientPolicy cl;
  cl.immediate_retries = 0;
  cl.app_retries = 0;
  return cl;
}

double answers(DnsCore& core, std::size_t k0, std::size_t k1, Answer a) {
  double sum = 0;
  for (std::size_t k = k0; k < k1; ++k)
    sum += core.sample(k).names[0].answers[static_cast<std::size_t>(a)];
  return sum;
}

double attempts(DnsCore& core, std::size_t k0, std::size_t k1) {
  double sum = 0;
  for (std::size_t k = k0; k < k1; ++k)
    sum += core.sample(k).names[0].attempts;
  return sum;
}

// Sent to and arrived at a server, over samples [k0, k1).
std::pair<double, double> load(DnsCore& core, std::size_t k0, std::size_t k1, std::size_t server) {
  double sent = 0, arrived = 0;
  for (std::size_t k = k0; k < k1; ++k) {
    sent += core.sample(k).sites[server][0].sent;
    arrived += core.sample(k).sites[server][0].arrived;
  }
  return {sent, arrived};
}

// Every server reachable; the servers in `hijacked` are routed to AS 64666 instead.
ReachFn hijack(std::vector<std::size_t> hijacked) {
  return [hijacked](std::size_t, std::size_t s, std::size_t) {
    Reach r;
    r.ok = true;
    r.latency = 0.01;
    if (std::count(hijacked.begin(), hijacked.end(), s)) r.hijacked_by = r.attracted_by = 64666;
    return r;
  };
}

// The servers in `dropped` are routed to AS 64666, which drops the queries (a black hole).
ReachFn blackhole(std::vector<std::size_t> dropped) {
  return [dropped](std::size_t, std::size_t s, std::size_t) {
    Reach r;
    r.ok = !std::count(dropped.begin(), dropped.end(), s);
    r.latency = 0.01;
    if (!r.ok) {
      r.attracted_by = 64666;
      r.reason = "AS64666 originates the prefix (hijack) and drops the traffic";
    }
    return r;
  };
}

} // namespace

TEST_CASE("dns deleted zone: NXDOMAIN once cached data expires, negatively cached, not retried", "[dns]") {
  DnsCore core(world({"static.example.com"}), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60); // cached at 0.04 s for 1 h
  const std::size_t ex = static_cast<std::size_t>(core.zone_index("example.com"));
  CHECK(core.set_zone_deleted(ex, true, 7));
  CHECK_FALSE(core.set_zone_deleted(ex, true, 7)); // no change
  run(core, 60, 3600 + 1200);
  // The cached address lives out its TTL; then every answer is NXDOMAIN.
  CHECK(answers(core, 1, 60, Answer::NxDomain) == 0);
  CHECK(answers(core, 61, 80, Answer::NxDomain) == Approx(10 * 19 * 60).epsilon(1e-6));
  const auto& e = core.cache(0).names[core.name_index("static.example.com")];
  CHECK(e.kind == CacheEntry::Kind::Negative);
  CHECK(e.until - e.from == Approx(300)); // the zone's negative TTL (RFC 2308)
  // One query to the zone's servers per negative TTL, and clients do not retry a definite answer.
  double auth = load(core, 61, 80, 1).first + load(core, 61, 80, 2).first;
  CHECK(auth == Approx(19 * 60 / 300.0).margin(1));
  CHECK(attempts(core, 61, 80) == Approx(10 * 19 * 60).epsilon(1e-6));
  auto events = core.take_events();
  REQUIRE(!events.empty());
  CHECK(events.back().type == "dns.nxdomain_start");
  CHECK(events.back().cause == 7);
  CHECK(events.back().reason.find("deleted") != std::string::npos);
  // Restored: answers come back when the negative entry expires (within 300 s).
  CHECK(core.set_zone_deleted(ex, false));
  run(core, 3600 + 1200, 3600 + 1800);
  CHECK(answers(core, 86, 90, Answer::NoError) == Approx(10 * 240).epsilon(1e-6));
}

TEST_CASE("dns deleted record: a broken CNAME target gives NXDOMAIN for the name", "[dns]") {
  DnsCore core(world({"www.example.com"}), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60);
  REQUIRE(core.set_record_deleted(static_cast<std::size_t>(core.name_index("edge.example.com")), true, 9));
  run(core, 60, 600);
  // edge.example.com (60 s) expires at ~60 s: from then on the chain ends in NXDOMAIN.
  CHECK(answers(core, 2, 10, Answer::NxDomain) == Approx(10 * 480).epsilon(1e-6));
  CHECK(answers(core, 2, 10, Answer::NoError) == 0);
  // The CNAME itself is still cached and still valid.
  CHECK(core.cache(0).names[core.name_index("www.example.com")].kind == CacheEntry::Kind::Cname);
}

TEST_CASE("dns removed delegation: works while the NS set is cached, then NXDOMAIN from the parent",
          "[dns]") {
  DnsCore core(world({"static.example.com"}, 1800), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60);
  REQUIRE(core.set_delegated(static_cast<std::size_t>(core.zone_index("example.com")), false, 11));
  // The address (1 h) outlives the delegation (30 min): at 3600 s the resolver asks com again.
  run(core, 60, 3600 + 1200);
  CHECK(answers(core, 0, 60, Answer::NxDomain) == 0);
  CHECK(answers(core, 61, 80, Answer::NxDomain) == Approx(10 * 19 * 60).epsilon(1e-6));
  const auto& e = core.cache(0).names[core.name_index("static.example.com")];
  CHECK(e.kind == CacheEntry::Kind::Negative);
  CHECK(e.until - e.from == Approx(900)); // com's negative TTL
  // The example.com servers are not asked: the parent answered.
  CHECK(load(core, 61, 80, 1).first + load(core, 61, 80, 2).first == 0);
  CHECK(load(core, 61, 80, 0).first > 0);
  CHECK_FALSE(core.set_delegated(static_cast<std::size_t>(core.zone_index("com")), false)); // a TLD
}

TEST_CASE("dns hijacked server addresses: wrong addresses, no query reaches the real servers", "[dns]") {
  DnsCore core(world({"static.example.com"}), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60);
  core.set_reach(hijack({1, 2}));
  run(core, 60, 3600 + 600);
  CHECK(answers(core, 61, 70, Answer::WrongAddress) == Approx(10 * 9 * 60).epsilon(1e-6));
  const auto& e = core.cache(0).names[core.name_index("static.example.com")];
  CHECK(e.kind == CacheEntry::Kind::Forged);
  CHECK(e.until - e.from == Approx(3600)); // the forged record carries the real TTL
  auto [sent, arrived] = load(core, 60, 70, 1);
  auto [sent2, arrived2] = load(core, 60, 70, 2);
  CHECK(sent + sent2 > 0);
  CHECK(arrived + arrived2 == 0);
  // Users of the region fail with a wrong address; the stub does not retry it.
  auto o = core.region_outcome(0, 0);
  CHECK(o.success == Approx(0));
  CHECK(o.failure == Answer::WrongAddress);
  CHECK(o.hijacked == Approx(1)); // every query to example.com's servers goes to the hijacker
  CHECK(attempts(core, 61, 70) == Approx(10 * 9 * 60).epsilon(1e-6));
  auto events = core.take_events();
  REQUIRE(!events.empty());
  CHECK(events.back().type == "dns.wrong_address_start");
  CHECK(events.back().reason.find("AS64666") != std::string::npos);
}

TEST_CASE("dns one of two servers hijacked: about half the resolutions are forged", "[dns]") {
  DnsCore core(world({"edge.example.com"}, 172800, 200), ResolverPolicy{}, no_retries(), one_region(), 60);
  core.set_reach(hijack({1}));
  run(core, 0, 1200);
  // Each cache starts with either server (resolvers spread over the NS set): half are forged.
  double wrong = answers(core, 5, 20, Answer::WrongAddress), ok = answers(core, 5, 20, Answer::NoError);
  CHECK(wrong / (wrong + ok) == Approx(0.5).margin(0.05));
  // The hijacker attracts the queries to one of the zone's two servers: half of the DNS traffic.
  CHECK(core.region_outcome(0, 0).hijacked == Approx(0.5));
}

TEST_CASE("dns hijacked share: a hijacked TLD server counts once the delegation comes from it", "[dns]") {
  // example.com's delegation lasts 30 min, static.example.com's address 1 h.
  DnsCore core(world({"static.example.com"}, 1800), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60);
  CHECK(core.region_outcome(0, 0).hijacked == 0);
  core.set_reach(hijack({0})); // the .com server: not the name's own servers
  run(core, 60, 120);
  // The delegation is cached: the resolver asks .com nothing, and nothing of its traffic is attracted.
  CHECK(core.region_outcome(0, 0).hijacked == 0);
  CHECK(answers(core, 1, 2, Answer::WrongAddress) == 0);
  // At 3600 s the address expires; the delegation expired at 1800 s: the resolver asks .com, whose
  // hijacker hands out a forged delegation. Users get wrong addresses, and their DNS traffic for the
  // name goes to the hijacker: the share counts it, as it counts a hijack of the zone's own servers.
  run(core, 120, 3600 + 600);
  CHECK(answers(core, 61, 70, Answer::WrongAddress) == Approx(10 * 9 * 60).epsilon(1e-6));
  CHECK(core.region_outcome(0, 0).hijacked == Approx(1));
  // The hijack ends: the forged address stays cached for its 1 h (still the hijacker's: 1); then the
  // resolver asks .com again, gets the real delegation, and nothing is attracted.
  core.set_reach(hijack({}));
  run(core, 3600 + 600, 3600 + 1200);
  CHECK(core.region_outcome(0, 0).hijacked == Approx(1));
  run(core, 3600 + 1200, 2 * 3600 + 600);
  CHECK(core.region_outcome(0, 0).hijacked == 0);
  CHECK(answers(core, 121, 130, Answer::NoError) == Approx(10 * 9 * 60).epsilon(1e-6));
}

TEST_CASE("dns hijacked share: a black-holed TLD counts for the caches whose delegation expired", "[dns]") {
  // 400 caches filled at random ages: the 30 min delegation of each expires at a uniform time over the
  // first 30 min. Only those that must ask .com meet the black hole; the rest answer as usual.
  DnsCore core(world({"static.example.com"}, 1800, 400), ResolverPolicy{}, no_retries(), one_region(), 60);
  core.fill_caches_at_random_ages(11);
  core.set_reach(blackhole({0}));
  run(core, 0, 60);
  run(core, 60, 900);
  const double half = core.region_outcome(0, 0).hijacked;
  CHECK(half == Approx(0.5).margin(0.1)); // about half the delegations expired by 15 min
  run(core, 900, 1900);
  CHECK(core.region_outcome(0, 0).hijacked == Approx(1)); // every one by 30 min
}

TEST_CASE("dns hijacked share: what the resolvers' last queries met; a black hole attracts them too", "[dns]") {
  DnsCore core(world({"static.example.com"}), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60); // cached for 1 h
  core.set_reach(blackhole({1})); // one of example.com's two servers
  run(core, 60, 120);
  // Answered from the caches: no query goes to the zone's servers yet, none is attracted.
  CHECK(core.region_outcome(0, 0).hijacked == 0);
  run(core, 120, 3600 + 120);
  CHECK(core.region_outcome(0, 0).hijacked == Approx(0.5));
  core.set_reach(blackhole({1, 2}));
  run(core, 3600 + 120, 3600 + 180);
  CHECK(core.region_outcome(0, 0).hijacked == Approx(0.5)); // the good answer is cached
  run(core, 3600 + 180, 2 * 3600 + 300);
  CHECK(core.region_outcome(0, 0).hijacked == Approx(1)); // expired: every query is lost there
  CHECK(core.region_outcome(0, 0).success == 0);
}

TEST_CASE("dns TLD server down: an expired delegation cannot be refreshed, SERVFAIL", "[dns]") {
  ResolverPolicy pol;
  pol.servfail_ttl = 5;
  DnsCore core(world({"static.example.com"}, 1800), pol, no_retries(), one_region(), 60);
  std::vector<bool> up = {true, true, true};
  core.set_reach([&up](std::size_t, std::size_t s, std::size_t) {
    Reach r;
    r.ok = up[s];
    r.reason = r.ok ? "" : "tld down";
    r.cause = r.ok ? 0 : 5;
    return r;
  });
  run(core, 0, 60);
  up[0] = false; // the .com server; example.com's own servers keep answering
  core.invalidate_reach();
  run(core, 60, 3600 + 600);
  // The address expires at 3600 s, the delegation (30 min) long before: the resolver must ask com.
  CHECK(answers(core, 0, 60, Answer::ServFail) + answers(core, 0, 60, Answer::Timeout) == 0);
  CHECK(answers(core, 61, 70, Answer::NoError) == 0);
  CHECK(load(core, 61, 70, 1).first + load(core, 61, 70, 2).first == 0);
  auto events = core.take_events();
  REQUIRE(!events.empty());
  CHECK(events.back().cause == 5);
  CHECK(events.back().reason.find("com") != std::string::npos);
}

TEST_CASE("dns cache poisoning: wrong addresses until the forged entry expires or is flushed", "[dns]") {
  DnsCore core(world({"static.example.com"}), ResolverPolicy{}, no_retries(), one_region(), 60);
  run(core, 0, 60);
  const std::size_t n = static_cast<std::size_t>(core.name_index("static.example.com"));
  REQUIRE(core.poison(0, n, 60, 600));
  run(core, 60, 600);
  CHECK(answers(core, 1, 10, Answer::WrongAddress) == Approx(10 * 540).epsilon(1e-6));
  REQUIRE(core.flush(0, n));
  run(core, 600, 720);
  CHECK(answers(core, 10, 12, Answer::NoError) == Approx(10 * 120).epsilon(1e-6));
}

TEST_CASE("dns tracing: each change in how a region's resolver resolves a name is one event", "[dns]") {
  DnsCore core(world({"edge.example.com"}), ResolverPolicy{}, no_retries(), one_region(), 60);
  std::vector<bool> up = {true, true, true};
  core.set_reach([&up](std::size_t, std::size_t s, std::size_t) {
    Reach r;
    r.ok = up[s];
    r.reason = r.ok ? "" : "site down";
    return r;
  });
  core.set_trace(0, 0);
  run(core, 0, 300); // five successful refreshes of a 60 s record: one trace (the outcome is the same)
  auto events = core.take_events();
  std::size_t traces = 0;
  for (const auto& e : events)
    if (e.type == "dns.trace") {
      ++traces;
      CHECK(e.subject == "resolver:r1");
      REQUIRE(e.steps.size() >= 3);
      CHECK(e.steps.front().find("cache:") == 0);
      CHECK(e.steps.back().find("answer noerror") == 0);
    }
  CHECK(traces == 1);
  up[1] = up[2] = false;
  core.invalidate_reach();
  run(core, 300, 600);
  events = core.take_events();
  const DnsEvent* failed = nullptr;
  for (const auto& e : events)
    if (e.type == "dns.trace") failed = &e;
  REQUIRE(failed);
  CHECK(failed->reason.find("SERVFAIL") == 0);
  bool says_why = false;
  for (const auto& s : failed->steps)
    says_why = says_why || s.find("site down") != std::string::npos;
  CHECK(says_why);
}
