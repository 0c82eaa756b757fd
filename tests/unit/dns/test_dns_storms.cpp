// Unit tests of what attacks do to resolution: the resolvers' time and query budgets under heavy loss,
// retry amplification and its load on the attacked links, attacks with waves. Deterministic: loss and
// links come from the test.
#include <cmath>

#include <catch2/catch.hpp>

#include "models/dns/AttackShares.hpp"
#include "models/dns/DnsCore.hpp"
#include "tests/unit/dns/DnsTestSupport.hpp"

using namespace outagesim::dns;
using outagesim::dns::test::one_region;
using outagesim::dns::test::run;

namespace {

// com (one TLD server) delegates example.com to `n` name servers, each its own address, all served at
// one site node (dns:site) behind one access link. www.example.com: A, TTL 60 s; one region of 1000
// people asks one resolver at 0.01 lookups per person per second (10/s).
DnsConfig ns_set(std::size_t n) {
  DnsConfig c;
  c.servers = {{"tld", {"dns:tld"}, std::nullopt, 1e9}};
  ZoneSpec com{"com", {"tld"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {}, 172800, 300, {}};
  for (std::size_t i = 0; i < n; ++i) {
    const std::string id = "ns-" + std::to_string(i);
    c.servers.push_back({id, {"dns:site"}, std::nullopt, 1e9});
    ex.servers.push_back(id);
  }
  ex.records = {{"www.example.com", RecordSpec::Type::A, 60, ""}};
  c.zones = {com, ex};
  c.resolvers = {{"resolver:r1", "isp", 1e9, std::nullopt, std::nullopt}};
  c.clients = {{"region:x", {{"resolver:r1", 1.0}}}};
  c.names = {{"www.example.com", 0.01}};
  return c;
}

// Every path to example.com's servers delivers `delivered` of the queries (the rest are lost on the
// way); the TLD answers.
ReachFn lossy(const double& delivered) {
  return [&delivered](std::size_t, std::size_t s, std::size_t) {
    Reach re;
    re.ok = true;
    re.latency = 0.01;
    if (s != 0 && delivered < 1) {
      re.delivered = delivered;
      re.loss = "84 % of packets lost";
    }
    return re;
  };
}

struct Totals {
  double resolutions = 0, failed = 0, attempts = 0, servfail = 0, sent = 0, base = 0;
};
Totals totals(DnsCore& core, std::size_t k0, std::size_t k1) {
  Totals t;
  for (std::size_t k = k0; k < k1; ++k) {
    const auto& st = core.sample(k);
    t.resolutions += st.names[0].resolutions;
    t.failed += st.names[0].resolutions_failed;
    t.attempts += st.names[0].attempts;
    t.servfail += st.names[0].answers[static_cast<std::size_t>(Answer::ServFail)];
    t.sent += st.zones[1].sent;
    t.base += st.zones[1].base;
  }
  return t;
}

} // namespace

TEST_CASE("dns budgets: at 84 % loss the share of failed resolutions is the closed form of the budget",
          "[dns][dns-storms]") {
  // Closed form. A resolution tries the 8 servers of the NS set in rounds (timeout 0.8 s, doubled per
  // round: 0.8 s x 8, then 1.6 s each) and sends a try only while its time budget B = 10 s lasts
  // (counted from the resolution's start; the delegation from com took 2 x 10 ms). Tries start at
  //   0, 0.8, ..., 5.6 (8 tries), 6.4, 8.0, 9.6 (3 more): 11.2 > 9.98, so k = 11 tries,
  // fewer than the rounds allow (2 x 8 = 16) and than the query budget (32). Each try is lost with
  // probability 0.84, independently, so a resolution fails (SERVFAIL) with probability
  //   P = 0.84^11 = 0.1469.
  // Without the time budget (B = 300 s) the same two rounds allow 16 tries: 0.84^16 = 0.0614.
  const double delivered = 0.16;
  const double k_budget = 11, k_rounds = 16;
  for (const double budget : {10.0, 300.0}) {
    ResolverPolicy pol;
    pol.budget = budget;
    DnsCore core(ns_set(8), pol, ClientPolicy{}, one_region(), 60);
    core.set_reach(lossy(delivered));
    run(core, 0, 6 * 3600);
    const Totals t = totals(core, 1, 360);
    REQUIRE(t.resolutions > 300);
    const double expected = std::pow(1 - delivered, budget < 100 ? k_budget : k_rounds);
    CHECK(t.failed / t.resolutions == Approx(expected).epsilon(1e-3));
    // Users see SERVFAIL: the failed resolutions' answers, and the SERVFAIL cached after them.
    CHECK(t.servfail > 0);
  }
  // The query budget binds before the time budget: 5 tries (0.84^5 = 0.418).
  ResolverPolicy pol;
  pol.max_tries = 5;
  DnsCore core(ns_set(8), pol, ClientPolicy{}, one_region(), 60);
  core.set_reach(lossy(delivered));
  run(core, 0, 6 * 3600);
  const Totals t = totals(core, 1, 360);
  CHECK(t.failed / t.resolutions == Approx(std::pow(0.84, 5)).epsilon(1e-3));
}

TEST_CASE("dns budgets: a failed resolution gives up at the budget, not after every timeout",
          "[dns][dns-storms]") {
  // Nothing gets through: every resolution sends k = 11 tries and fails at the budget, 10 s after it
  // began. Between them: SERVFAIL cached for servfail_ttl (1 s) and the next query (at most 0.1 s
  // later: 10 lookups/s, more with the clients' retries), so resolutions start every 11.0-11.1 s.
  const double delivered = 1e-12;
  DnsCore core(ns_set(8), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  core.set_reach(lossy(delivered));
  run(core, 0, 3600);
  const Totals t = totals(core, 1, 60);
  CHECK(t.failed / t.resolutions == Approx(1).epsilon(1e-6));
  CHECK(t.resolutions == Approx(59 * 60 / 11.05).epsilon(0.01));
  // 11 queries per resolution, all sent to example.com's servers.
  CHECK(t.sent == Approx(11 * t.resolutions).epsilon(1e-3));
}

TEST_CASE("dns retry amplification rises with loss, and the extra load shows on the attacked link",
          "[dns][dns-storms]") {
  // The same world at loss 0, 50 % and 84 %: legitimate queries sent to example.com's servers over
  // their no-fault level (one per TTL + 1/demand).
  double delivered = 1;
  std::vector<double> amp;
  for (const double d : {1.0, 0.5, 0.16}) {
    delivered = d;
    DnsCore core(ns_set(4), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
    core.set_reach(lossy(delivered));
    run(core, 0, 4 * 3600);
    const Totals t = totals(core, 1, 240);
    REQUIRE(t.base > 0);
    amp.push_back(t.sent / t.base);
  }
  CHECK(amp[0] == Approx(1).epsilon(0.02)); // no loss: the no-fault level itself
  CHECK(amp[1] > 1.5 * amp[0]);
  CHECK(amp[2] > 1.5 * amp[1]);

  // On the site's access link: a flood of 10 Gbps into 1.6 Gbps passes 16 % of every packet; the
  // legitimate part of what the link is offered (the previous step's queries, retries included) is
  // several times what it was before the flood.
  DnsCore core(ns_set(4), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  const std::size_t site = std::size_t(core.site_node_index("dns:site"));
  core.set_access_links(site, {{"link:site", 1.6e9, true}});
  run(core, 0, 3600);
  auto legit_bps = [&](std::size_t k0, std::size_t k1, double flood) {
    double bits = 0;
    for (std::size_t k = k0; k < k1; ++k)
      bits += core.sample(k).links[site][0].offered - flood * 60;
    return bits / (60.0 * double(k1 - k0));
  };
  const double before = legit_bps(10, 60, 0);
  REQUIRE(before > 0);
  core.set_flood(site, 10e9, 7);
  run(core, 3600, 3 * 3600);
  CHECK(core.link_pass(site) == Approx(1.6 / 10).epsilon(1e-3));
  const double during = legit_bps(70, 180, 10e9);
  CHECK(during > 2 * before);
  const Totals t = totals(core, 70, 180);
  CHECK(t.sent / t.base > 2);
}

TEST_CASE("dns attack shape: ramp, waves and scrubbing", "[dns][dns-storms]") {
  AttackShares::Attack a;
  a.rate = 1e6;
  a.flood = 10e9;
  a.start = 100;
  a.ramp = 60;
  a.wave_on = 600;
  a.wave_off = 900;
  CHECK(a.level(50) == 0);            // before the start
  CHECK(a.level(130) == Approx(0.5)); // half way up the ramp
  CHECK(a.level(400) == 1);
  CHECK(a.level(800) == 0);                 // the pause after the first wave
  CHECK(a.level(1600 + 30) == Approx(0.5)); // the second wave ramps up again
  a.scrub = 0.9;
  a.scrub_after = 1800;
  CHECK(a.passed(1000) == 1);
  CHECK(a.passed(1900 + 100) == Approx(0.1));
  AttackShares site;
  site.start("botnet", a);
  site.start("rest", {1e5, 0});
  const auto l = site.at(1600 + 30);
  CHECK(l.rate == Approx(0.5e6 + 1e5));
  CHECK(l.flood == Approx(5e9));
  CHECK(l.on);
  CHECK_FALSE(l.scrubbing);
  CHECK(site.at(2000).scrubbing);
  CHECK(site.total().rate == Approx(1.1e6)); // the peak, unshaped
}

TEST_CASE("dns attack shape: a wave attack gives two separate outage periods", "[dns][dns-storms]") {
  // A flood of 500 Gbps at a site with a 1 Gbps link (0.2 % of packets pass), in two waves of 20 minutes
  // 40 minutes apart, from +30m. Resolution fails in each wave and recovers in between.
  DnsCore core(ns_set(4), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  const std::size_t site = std::size_t(core.site_node_index("dns:site"));
  core.set_access_links(site, {{"link:site", 1e9, true}});
  AttackShares shares;
  AttackShares::Attack a;
  a.flood = 500e9;
  a.start = 1800;
  a.wave_on = 1200;
  a.wave_off = 2400;
  shares.start("waves", a);
  for (double t = 0; t < 3 * 3600; t += 10) {
    // Two waves only: the entry ends at +30m + 20m + 40m + 20m.
    if (t >= 1800 + 3600 + 1200) shares.clear();
    core.set_flood(site, shares.at(t).flood, 1);
    core.step(t, t + 10);
  }
  // Outage periods: runs of samples where more than half the lookups fail.
  std::vector<std::pair<std::size_t, std::size_t>> periods;
  bool down = false;
  for (std::size_t k = 0; k < 180; ++k) {
    const auto& pn = core.sample(k).names[0];
    double fails = 0;
    for (std::size_t x = 0; x < kAnswerKinds; ++x)
      if (is_failure(static_cast<Answer>(x))) fails += pn.answers[x];
    const bool now = pn.attempts > 0 && fails / pn.attempts > 0.5;
    // A gap of a sample or two inside a wave (a lucky resolution whose answer is then cached for its
    // TTL) does not split an outage period.
    if (now && !down && (periods.empty() || k > periods.back().second + 3)) periods.push_back({k, k});
    if (now) periods.back().second = k;
    down = now;
  }
  REQUIRE(periods.size() == 2);
  // Each within its wave: it begins when the cached answers expire (TTL 60 s) and ends within a few
  // minutes of the wave (a cache commits to the failed cycles it expects when it starts them).
  CHECK(periods[0].first >= 30);
  CHECK(periods[0].first <= 32);
  CHECK(periods[0].second >= 48);
  CHECK(periods[0].second <= 54);
  CHECK(periods[1].first >= 90);
  CHECK(periods[1].first <= 92);
  CHECK(periods[1].second >= 108);
  CHECK(periods[1].second <= 114);
}

TEST_CASE("dns misbehaving servers: each wrong answer gets its resolver reaction", "[dns][dns-storms]") {
  // The four servers of example.com (one site) stay reachable but misbehave from +10m, for every query.
  using M = DnsCore::Misbehave;
  auto sum = [](DnsCore& core, Answer a) {
    double s = 0;
    for (std::size_t k = 12; k < 60; ++k)
      s += core.sample(k).names[0].answers[static_cast<std::size_t>(a)];
    return s;
  };
  for (const M kind : {M::ServFail, M::Refused, M::Timeout, M::WrongAddress}) {
    DYNAMIC_SECTION("kind " << int(kind)) {
      DnsCore core(ns_set(4), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
      const std::size_t site = std::size_t(core.site_node_index("dns:site"));
      run(core, 0, 600);
      core.take_events();
      core.set_misbehave(site, kind, 1.0, 5);
      run(core, 600, 3600);
      const Totals t = totals(core, 12, 60);
      const auto events = core.take_events();
      if (kind == M::WrongAddress) {
        // Accepted and cached for the record's TTL: wrong addresses, no failed resolution, no retries.
        CHECK(t.failed == 0);
        CHECK(sum(core, Answer::WrongAddress) > 0.9 * t.attempts);
        CHECK(t.sent / t.base == Approx(1).epsilon(0.05));
        continue;
      }
      // Every resolution fails: 2 rounds over the 4 servers (8 queries), then SERVFAIL to the client.
      CHECK(t.failed / t.resolutions == Approx(1));
      CHECK(t.sent == Approx(8 * t.resolutions).epsilon(1e-3));
      REQUIRE_FALSE(events.empty());
      bool said = false;
      for (const auto& e : events)
        if (e.type == "dns.servfail_start" || e.type == "dns.timeout_start") {
          said = true;
          CHECK(e.cause == 5);
          CHECK(e.reason.find(kind == M::Timeout   ? "answers nothing"
                              : kind == M::Refused ? "answers REFUSED"
                                                   : "answers SERVFAIL") != std::string::npos);
        }
      CHECK(said);
      if (kind == M::Timeout) {
        // No answer: the resolver waits out every timeout (0.8 s x 4 + 1.6 s x 4 = 9.6 s): clients
        // (5 s timeout) time out; resolutions start every ~10.7 s (+ SERVFAIL cached 1 s).
        CHECK(sum(core, Answer::Timeout) > sum(core, Answer::ServFail));
        CHECK(t.resolutions == Approx(48 * 60 / 10.65).epsilon(0.02));
      } else {
        // SERVFAIL and REFUSED: next server at once (a round trip of 20 ms each): the client gets
        // SERVFAIL within 0.2 s, cached 1 s (RFC 2308 s. 7.1, RFC 9520): a resolution every ~1.2 s.
        CHECK(sum(core, Answer::Timeout) == 0);
        CHECK(sum(core, Answer::ServFail) > 0.9 * t.attempts);
        CHECK(t.resolutions == Approx(48 * 60 / 1.2).epsilon(0.1));
      }
    }
  }
  // Half the answers SERVFAIL: a resolution moves on and fails only if all 8 tries do: 0.5^8.
  DnsCore core(ns_set(4), ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  core.set_misbehave(std::size_t(core.site_node_index("dns:site")), M::ServFail, 0.5, 5);
  run(core, 0, 6 * 3600);
  const Totals t = totals(core, 1, 360);
  CHECK(t.failed / t.resolutions == Approx(std::pow(0.5, 8)).epsilon(1e-3));
}

TEST_CASE("dns anycast catchment: where a region's traffic to an address lands, as routes change",
          "[dns][dns-storms]") {
  // Two regions, each with its own resolver; one address served at sites east and west; each
  // resolver reaches its own side's site first.
  DnsConfig c;
  c.servers = {{"tld", {"dns:tld"}, std::nullopt, 1e9}, {"any", {"dns:east", "dns:west"}, std::nullopt, 1e9}};
  ZoneSpec com{"com", {"tld"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {"any"}, 172800, 300, {{"www.example.com", RecordSpec::Type::A, 60, ""}}};
  c.zones = {com, ex};
  c.resolvers = {{"resolver:east", "isp", 1e9, std::nullopt, std::nullopt},
                 {"resolver:west", "isp", 1e9, std::nullopt, std::nullopt}};
  c.clients = {{"region:east", {{"resolver:east", 0.75}, {"resolver:west", 0.25}}},
               {"region:west", {{"resolver:west", 1.0}}}};
  c.names = {{"www.example.com", 0.01}};
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, {{"region:east", 1000, 0}, {"region:west", 1000, 0}}, 60);
  bool east_up = true;
  core.set_reach([&east_up](std::size_t r, std::size_t, std::size_t site) {
    Reach re;
    re.ok = site != 0 || east_up;
    re.latency = site == r ? 0.005 : 0.05;
    return re;
  });
  auto east = core.catchment(0, 1);
  CHECK(east[0] == Approx(0.75)); // the region's users behind resolver east land at site east
  CHECK(east[1] == Approx(0.25));
  CHECK(core.catchment(1, 1)[1] == Approx(1));
  // Site east withdraws: its catchment moves to west.
  east_up = false;
  core.invalidate_reach();
  east = core.catchment(0, 1);
  CHECK(east[0] == 0);
  CHECK(east[1] == Approx(1));
}

TEST_CASE("dns mitigation: more capacity at an attacked site answers what it dropped", "[dns][dns-storms]") {
  // 3e6 attack queries/s per address at a site that answers 1e6: two thirds dropped, legitimate
  // queries too; the operators add machines (4e6 per address): everything is answered.
  DnsConfig c = ns_set(1);
  c.servers[1].capacity = 1e6;
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, one_region(), 60);
  core.set_attack(1, 0, 3e6, 9);
  run(core, 0, 1800);
  const auto& before = core.sample(20).sites[1][0];
  CHECK(before.dropped / (before.arrived + before.attack) == Approx(2.0 / 3).epsilon(0.01));
  core.set_capacity(1, 0, 4e6);
  run(core, 1800, 3600);
  CHECK(core.sample(50).sites[1][0].dropped == 0);
  core.set_capacity(1, 0, -1); // back to what is configured
  run(core, 3600, 4200);
  CHECK(core.sample(65).sites[1][0].dropped > 0);
}
