// Unit tests of the DNS core's access links: a site's queries and attack traffic share its links,
// which lose the share past their capacity of every packet. No randomness; reachability and links
// come from the test.
#include <catch2/catch.hpp>

#include "models/dns/AttackShares.hpp"
#include "models/dns/DnsCore.hpp"
#include "models/dns/DnsModel.hpp"
#include "sim/scenario/Loader.hpp"
#include "tests/unit/dns/DnsTestSupport.hpp"

using namespace outagesim::dns;
using outagesim::dns::test::run;

namespace {

constexpr double kQueryBits = 80 * 8;

// com (one TLD server) delegates example.com to two anycast addresses, each served from the sites
// dns:east and dns:west. Region east (1000 people) asks resolver:east, which reaches site east in 5 ms
// and west in 50 ms; region west the reverse. Each region looks up www.example.com (A, TTL 60 s) at
// 0.01 per person per second.
DnsConfig two_sites() {
  DnsConfig c;
  c.servers = {{"tld", {"dns:tld"}, std::nullopt, 1e9},
               {"any-1", {"dns:east", "dns:west"}, std::nullopt, 1e9},
               {"any-2", {"dns:east", "dns:west"}, std::nullopt, 1e9}};
  ZoneSpec com{"com", {"tld"}, 172800, 900, {}};
  ZoneSpec ex{"example.com", {"any-1", "any-2"}, 172800, 300, {}};
  ex.records = {{"www.example.com", RecordSpec::Type::A, 60, ""}};
  c.zones = {com, ex};
  c.resolvers = {{"resolver:east", "isp", 1e9, std::nullopt, std::nullopt},
                 {"resolver:west", "isp", 1e9, std::nullopt, std::nullopt}};
  c.clients = {{"region:east", {{"resolver:east", 1.0}}}, {"region:west", {{"resolver:west", 1.0}}}};
  c.names = {{"www.example.com", 0.01}};
  return c;
}

std::vector<RegionInfo> two_regions() {
  return {{"region:east", 1000, 0}, {"region:west", 1000, 0}};
}

// Anycast catchments: each resolver's nearest site is its own side's.
ReachFn catchments() {
  return [](std::size_t r, std::size_t s, std::size_t site) {
    Reach re;
    re.ok = true;
    re.latency = s == 0 ? 0.01 : (site == r ? 0.005 : 0.05);
    return re;
  };
}

DnsCore make_core(const DnsConfig& c, double sample = 60) {
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, two_regions(), sample);
  core.set_reach(catchments());
  return core;
}

// One access link per site, as the engine would give it.
void one_link_each(DnsCore& core, double east_bps, double west_bps) {
  core.set_access_links(std::size_t(core.site_node_index("dns:east")), {{"link:site/east", east_bps, true}});
  core.set_access_links(std::size_t(core.site_node_index("dns:west")), {{"link:site/west", west_bps, true}});
  core.set_access_links(std::size_t(core.site_node_index("dns:tld")), {{"link:site/tld", 10e9, true}});
}

double answer_sum(DnsCore& core, std::size_t k0, std::size_t k1, std::size_t resolver, Answer a) {
  double sum = 0;
  for (std::size_t k = k0; k < k1; ++k)
    sum += core.sample(k).resolver_answers[resolver][static_cast<std::size_t>(a)];
  return sum;
}

double failures(DnsCore& core, std::size_t k0, std::size_t k1, std::size_t resolver) {
  return answer_sum(core, k0, k1, resolver, Answer::ServFail) +
         answer_sum(core, k0, k1, resolver, Answer::Timeout);
}

std::vector<DnsEvent> of_type(const std::vector<DnsEvent>& events, const std::string& type) {
  std::vector<DnsEvent> out;
  for (const auto& e : events)
    if (e.type == type) out.push_back(e);
  return out;
}

// The events of resolvers starting to fail (SERVFAIL or timeouts).
std::vector<DnsEvent> failure_starts(const std::vector<DnsEvent>& events) {
  auto failing = of_type(events, "dns.servfail_start");
  auto timeouts = of_type(events, "dns.timeout_start");
  failing.insert(failing.end(), timeouts.begin(), timeouts.end());
  return failing;
}

} // namespace

TEST_CASE("dns access links: an even split passes capacity/offered of every packet past capacity", "[dns]") {
  // Under capacity: everything passes, exactly.
  auto under = split_over_links(3e9, {{"link:a", 10e9, true}, {"link:b", 1e9, true}, {"link:c", 10e9, true}});
  CHECK(under.pass == 1.0);
  CHECK(under.offered[1] == Approx(1e9));
  CHECK(under.share[1] == 1.0);
  // Over: 30 Gbps over two links of 10 and 1 Gbps, 15 each: 10/15 and 1/15 pass.
  auto over = split_over_links(30e9, {{"link:a", 10e9, true}, {"link:b", 1e9, true}});
  CHECK(over.share[0] == Approx(10.0 / 15));
  CHECK(over.share[1] == Approx(1.0 / 15));
  CHECK(over.pass == Approx(11.0 / 30));
  // A link that is down carries nothing: the rest takes it all.
  auto one_down = split_over_links(30e9, {{"link:a", 10e9, false}, {"link:b", 60e9, true}});
  CHECK(one_down.offered[0] == 0);
  CHECK(one_down.offered[1] == Approx(30e9));
  CHECK(one_down.pass == 1.0);
  CHECK(split_over_links(1e9, {{"link:a", 10e9, false}}).pass == 0);
  CHECK(split_over_links(1e9, {}).pass == 1);
}

TEST_CASE("dns access links: attack queries of two addresses and legitimate queries share a site's link",
          "[dns]") {
  DnsConfig c = two_sites();
  DnsCore core = make_core(c);
  const std::size_t east = std::size_t(core.site_node_index("dns:east"));
  // The attack alone fills the link exactly: 1e6 + 0.5e6 queries/s of 80 bytes = 960 Mbps.
  const double capacity = 1.5e6 * kQueryBits;
  one_link_each(core, capacity, 10e9);
  run(core, 0, 600, 60);
  CHECK(core.link_pass(east) == 1.0);
  core.set_attack(1, 0, 1e6, 7);
  core.set_attack(2, 0, 0.5e6, 7);
  run(core, 600, 1200, 60);
  // Steps of one sample: the legitimate load of a step is what arrived at the site in the one before.
  const auto& prev = core.sample(18);
  const double legit = (prev.sites[1][0].arrived + prev.sites[2][0].arrived) / 60;
  REQUIRE(legit > 0);
  const double offered = (1.5e6 + legit) * kQueryBits;
  const auto& st = core.sample(19);
  REQUIRE(st.links.size() > east);
  CHECK(st.links[east][0].offered / 60 == Approx(offered));
  CHECK(st.links[east][0].delivered / 60 == Approx(capacity));
  CHECK(st.links[east][0].attacked);
  CHECK(st.links[east][0].congested);
  // Legitimate queries tip it over: it passes capacity/offered of them too.
  CHECK(core.link_pass(east) == Approx(capacity / offered));
  CHECK(core.link_pass(east) < 1);
  // Dropped at the site: the attack's and the legitimate queries' share lost on the link.
  CHECK(st.sites[1][0].dropped == Approx((1e6 * 60 + st.sites[1][0].arrived) * (1 - capacity / offered)));
  // West is untouched.
  CHECK(core.link_pass(std::size_t(core.site_node_index("dns:west"))) == 1.0);
  CHECK_FALSE(st.links[std::size_t(core.site_node_index("dns:west"))][0].attacked);
}

TEST_CASE("dns access links: a flooded site's catchment times out and retries, the other site's does not",
          "[dns]") {
  DnsConfig c = two_sites();
  DnsCore core = make_core(c);
  core.set_trace(0, 0); // region east, www.example.com
  const std::size_t east = std::size_t(core.site_node_index("dns:east"));
  one_link_each(core, 1e9, 10e9);
  run(core, 0, 600);
  core.take_events();
  CHECK(failures(core, 0, 10, 0) == 0);
  // A reflection flood of 10 Gbps at east's 1 Gbps link: 10 % of every packet passes.
  core.set_flood(east, 10e9, 99);
  run(core, 600, 3600);
  CHECK(core.link_pass(east) == Approx(0.1).epsilon(1e-3));
  // The flood is attack traffic at the name's authoritative servers: 10 Gbps over each minute, once
  // for the site however many server addresses it holds; none before it.
  CHECK(core.sample(5).names[0].auth_attack_bits == 0);
  CHECK(core.sample(30).names[0].auth_attack_bits == Approx(10e9 * 60));
  CHECK(core.sample(30).names[0].auth_attack == 0); // no attack queries
  const auto events = core.take_events();
  auto congested = of_type(events, "dns.link_congested");
  REQUIRE(congested.size() == 1);
  CHECK(congested[0].subject == "link:site/east");
  CHECK(congested[0].cause == 99);
  CHECK(congested[0].time == 600);
  CHECK(congested[0].reason.find("site/east congested: 10 Gbps offered to 1 Gbps") == 0);
  // Resolver east's queries are lost on the link: timeouts, SERVFAIL after the NS set, client retries.
  double attempts = 0;
  for (std::size_t k = 11; k < 60; ++k)
    attempts += core.sample(k).resolver_attempts[0];
  CHECK(failures(core, 11, 60, 0) > 0.1 * attempts);
  CHECK(core.sample(30).resolver_attempts[0] > 1.2 * core.sample(30).resolver_base[0]);
  CHECK(core.sample(30).sites[1][0].dropped > 0);
  // Its failures say why and point at the flood.
  REQUIRE_FALSE(failure_starts(events).empty());
  for (const auto& e : failure_starts(events)) {
    CHECK(e.subject == "resolver:east");
    CHECK(e.reason.find("lost on their access links") != std::string::npos);
    CHECK(e.cause == 99);
  }
  // The traced resolutions say where the queries went missing.
  bool traced = false;
  for (const auto& e : of_type(events, "dns.trace"))
    for (const auto& step : e.steps)
      traced = traced || step.find("of queries lost on the way to site dns:east (congested link:site/east: "
                                   "10 Gbps offered to 1 Gbps)") != std::string::npos;
  CHECK(traced);
  // Resolver west goes to the other site: nothing lost, no retries.
  CHECK(failures(core, 0, 60, 1) == 0);
  CHECK(core.sample(30).resolver_attempts[1] == Approx(core.sample(30).resolver_base[1]));
  CHECK(core.sample(30).sites[1][1].dropped == 0);
}

TEST_CASE("dns access links: calm ends the congestion and resolutions recover", "[dns]") {
  DnsConfig c = two_sites();
  DnsCore core = make_core(c);
  const std::size_t east = std::size_t(core.site_node_index("dns:east"));
  one_link_each(core, 1e9, 10e9);
  core.set_flood(east, 50e9, 5);
  run(core, 0, 1200);
  CHECK(core.link_pass(east) < 0.05);
  core.take_events();
  // The ddos fault ends (calm): the flood and the queries stop.
  core.set_flood(east, 0, 6);
  core.set_attack(1, 0, 0, 6);
  run(core, 1200, 2400);
  CHECK(core.link_pass(east) == 1.0);
  const auto events = core.take_events();
  auto cleared = of_type(events, "dns.link_cleared");
  REQUIRE(cleared.size() == 1);
  CHECK(cleared[0].subject == "link:site/east");
  CHECK(cleared[0].time == 1200);
  CHECK(cleared[0].cause == 6);
  CHECK(of_type(events, "dns.link_congested").empty());
  CHECK(of_type(events, "dns.resolution_recovered").size() == 1);
  CHECK(failures(core, 25, 40, 0) == 0);
  // A site whose links are all down receives nothing (a route may still lead there).
  core.set_access_links(east, {{"link:site/east", 1e9, false}});
  run(core, 2400, 2460);
  CHECK(core.link_pass(east) == 0);
}

TEST_CASE("dns access links: without links, or under capacity, nothing changes", "[dns]") {
  // The same run with generous links and without links gives the same answers, to the bit.
  DnsConfig c = two_sites();
  DnsCore bare = make_core(c), linked = make_core(c);
  one_link_each(linked, 100e9, 100e9);
  bare.set_attack(1, 0, 1e5);
  linked.set_attack(1, 0, 1e5);
  run(bare, 0, 1800);
  run(linked, 0, 1800);
  for (std::size_t k = 0; k < 30; ++k)
    for (std::size_t r = 0; r < 2; ++r)
      CHECK(bare.sample(k).resolver_answers[r] == linked.sample(k).resolver_answers[r]);
}

TEST_CASE("dns ddos: bad with: values are errors at their positions", "[dns]") {
  const std::string text = R"(scenario: {duration: 1h}
topology:
  dns_servers: [{id: a}]
  resolvers: [{id: r}]
  regions: [{id: x}]
  links: [{id: site/a, between: [dns:a, resolver:r], capacity: 10Gbps}]
dns:
  servers: [{id: a, sites: [dns:a]}]
  zones: [{name: example.com, servers: [a]}]
  resolvers: [{node: resolver:r}]
  clients: [{region: region:x, via: [{resolver: resolver:r, share: 1}]}]
  names: [{name: www.example.com, rate: 1}]
faults:
  - {id: f1, at: +1m, target: dns:a, action: ddos, with: {flood: 300 gigabit}}
  - {id: f2, at: +1m, target: dns:a, action: ddos, with: {rate: lots, flood: 0Gbps}}
  - {id: f3, at: +1m, target: dns:a, action: ddos, with: {rate: -5}}
  - {id: f4, at: +1m, target: dns:a, action: ddos, with: {rate: 1e6, flood: 300Gbps}}
)";
  auto [loaded, all] = outagesim::dns::test::load_with_dns(text);
  CHECK_FALSE(loaded);
  INFO(all);
  CHECK(all.find("t.yaml:14:66: error: fault 'f1' ddos 'flood' is '300 gigabit'; expected a bandwidth") !=
        std::string::npos);
  CHECK(all.find("t.yaml:15:78: error: fault 'f2' ddos 'flood' is '0Gbps'; expected a bandwidth") !=
        std::string::npos);
  CHECK(all.find("t.yaml:15:65: error: fault 'f2' ddos 'rate' is 'lots'; expected a number") !=
        std::string::npos);
  CHECK(all.find("t.yaml:16:65: error: fault 'f3' ddos 'rate' is -5; expected a number between 0 and") !=
        std::string::npos);
  CHECK(all.find("f4") == std::string::npos);
}

TEST_CASE("dns ddos: attacks on one site add up; the end of one leaves the others", "[dns]") {
  AttackShares site;
  site.start("ddos-rest", {5e6, 0});       // a wildcard entry over every site
  site.start("ddos-gru", {7.5e7, 100e9}); // a heavier botnet on this one
  CHECK(site.total().rate == Approx(8e7));
  CHECK(site.total().flood == Approx(100e9));
  site.end("ddos-gru");
  CHECK(site.total().rate == Approx(5e6));
  CHECK(site.total().flood == 0);
  site.start("ddos-rest", {1e6, 0}); // the same entry again replaces its share
  CHECK(site.total().rate == Approx(1e6));
  site.start("ddos-gru", {7.5e7, 0});
  site.clear(); // a calm entry of its own
  CHECK(site.total().rate == 0);
}

TEST_CASE("dns routes: a congested network on the way loses its share of the queries", "[dns]") {
  // Resolver east's route to every site crosses a congested transit network that delivers 10 % (a
  // leaker drowning in what it attracted); resolver west's does not.
  DnsConfig c = two_sites();
  DnsCore core(c, ResolverPolicy{}, ClientPolicy{}, two_regions(), 60);
  double delivered = 1.0;
  core.set_reach([&delivered](std::size_t r, std::size_t s, std::size_t site) {
    Reach re;
    re.ok = true;
    re.latency = s == 0 ? 0.01 : (site == r ? 0.005 : 0.05);
    if (r == 0 && s != 0 && delivered < 1) {
      re.delivered = delivered;
      re.loss = "AS64500 congested: 10 Tbps offered to 3 Tbps";
      re.cause = 42;
    }
    return re;
  });
  core.set_trace(0, 0);
  run(core, 0, 600);
  core.take_events();
  CHECK(failures(core, 0, 10, 0) == 0);
  delivered = 0.1;
  core.invalidate_reach();
  run(core, 600, 3600);
  const auto events = core.take_events();
  // A query is lost with 90 % chance per try: timeouts over the NS set, SERVFAIL, client retries.
  double attempts = 0;
  for (std::size_t k = 11; k < 60; ++k)
    attempts += core.sample(k).resolver_attempts[0];
  CHECK(failures(core, 11, 60, 0) > 0.1 * attempts);
  CHECK(core.sample(30).resolver_attempts[0] > 1.2 * core.sample(30).resolver_base[0]);
  CHECK(failures(core, 0, 60, 1) == 0);
  REQUIRE_FALSE(failure_starts(events).empty());
  for (const auto& e : failure_starts(events)) {
    CHECK(e.subject == "resolver:east");
    CHECK(e.reason.find("are lost on the way (AS64500 congested") != std::string::npos);
    CHECK(e.cause == 42);
  }
  bool traced = false;
  for (const auto& e : of_type(events, "dns.trace"))
    for (const auto& step : e.steps)
      traced = traced || step.find("90 % of queries lost on the way to site dns:east (AS64500 congested") !=
                             std::string::npos;
  CHECK(traced);
}
