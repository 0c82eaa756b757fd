// The BGP model's engine-free parts: the scenario's bgp: section (reading, diagnostics, graph,
// entities and fault arguments), the driver that turns timeline actions into engine inputs, the
// recorder that turns what vantages see into visibility and signals, and `outagesim routes`.
// No SimGrid here; the adapter itself is covered by the golden test of
// scenarios/teaching/06-bgp-path-exploration.yaml.
#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpDriver.hpp"
#include "models/bgp/BgpModel.hpp"
#include "models/bgp/RoutesCommand.hpp"
#include "models/bgp/VantageRecorder.hpp"
#include "sim/scenario/Loader.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace outagesim;
using namespace outagesim::bgp;

namespace {

const std::vector<sim::ModelInfo>& models() {
  static const std::vector<sim::ModelInfo> list = {bgp_model_info()};
  return list;
}

// A small inline topology: 1 and 2 are tier-1 peers; 10 (customer of 1), 20 (customer of 2);
// 100 is multi-homed to 10 and 20; 200 is a customer of 20.
const char* kScenario = R"(scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}
topology:
  ases: [{asn: 100}]
bgp:
  links:
    - {a: 1, b: 2, rel: peer}
    - {a: 1, b: 10, rel: customer}
    - {a: 2, b: 20, rel: customer, delay: 5ms}
    - {a: 100, b: 10, rel: provider}
    - {a: 100, b: 20, rel: provider}
    - {a: 200, b: 20, rel: provider}
  prefixes:
    - {prefix: 10.1.0.0/16, origins: [100]}
    - prefix: 10.9.0.0/16
      origins: [{as: 100, site: east}, {as: 200, site: west}]
  vantages: [1, 2, 10]
faults:
  - {id: w, at: +5m, target: "prefix:10.1.0.0/16", action: withdraw, for: 10m}
  - {id: s, at: +20m, target: "session:10-100", action: down}
  - {id: h, at: +30m, target: "as:200", action: hijack, with: {prefix: 10.1.0.0/17}, for: 5m}
)";

std::optional<sim::Scenario> load(const std::string& text, sim::Diagnostics& d) {
  return sim::load_scenario_text(text, "t.yaml", sim::LoadOptions{}, models(), d);
}

std::string errors(const sim::Diagnostics& d) {
  std::ostringstream os;
  d.print(os);
  return os.str();
}

std::string with_bgp(const std::string& bgp_body, const std::string& faults = "") {
  return std::string("scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}\nbgp:\n") + bgp_body +
         (faults.empty() ? "" : "faults:\n" + faults);
}

} // namespace

TEST_CASE("bgp section: read into a config, graph built from inline links", "[bgp][bgp-model]") {
  sim::Diagnostics d;
  auto s = load(kScenario, d);
  INFO(errors(d));
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  const BgpConfig& c = setup->config;
  CHECK(c.source == BgpConfig::Source::Inline);
  REQUIRE(c.links.size() == 6);
  CHECK(c.links[2].delay_s == Approx(0.005));
  CHECK(c.links[3].b_is == Relationship::Provider);
  REQUIRE(c.prefixes.size() == 2);
  CHECK(c.prefixes[1].origins[1].asn == 200);
  CHECK(c.prefixes[1].origins[1].site == "west");
  CHECK(c.prefixes[0].origins[0].site == "100"); // default site name: the AS number
  CHECK(c.victim_asns() == std::vector<Asn>{100, 200});
  CHECK(pick_vantages(c, *setup->graph) == std::vector<Asn>{1, 2, 10});
  CHECK(setup->graph->as_count() == 6);
  CHECK(setup->graph->link_count() == 6);
}

TEST_CASE("bgp section: problems are FILE:LINE:COL errors with the valid keys", "[bgp][bgp-model]") {
  sim::Diagnostics d;
  auto s =
      load(with_bgp("  links: [{a: 1, b: 2, rel: peer, latency: 3ms}]\n  prefixes: [{prefix: 10.0.0.1/8, "
                    "origins: [1]}]\n  vantages: [1]\n  typo: 1\n"),
           d);
  CHECK_FALSE(s);
  std::string e = errors(d);
  CHECK_THAT(
      e, Catch::Contains("t.yaml:3:35: error: unknown key 'latency' in bgp.links[0]; expected one of: a, b, "
                         "delay, rel"));
  CHECK_THAT(e,
             Catch::Contains("t.yaml:4:23: error: bgp.prefixes[0] 'prefix' is '10.0.0.1/8'; expected an IPv4 "
                             "prefix a.b.c.d/len with zero host bits"));
  CHECK_THAT(
      e, Catch::Contains("t.yaml:6:3: error: unknown key 'typo' in bgp; expected one of: import, links, policies, "
                         "prefixes, roas, rov_adoption, topology, transit_capacity, vantages, victims"));

  sim::Diagnostics d2;
  CHECK_FALSE(
      load(with_bgp("  links: [{a: 1, b: 2, rel: client}]\n  prefixes: [{prefix: 10.0.0.0/8, origins: "
                    "[3]}]\n  vantages: [1]\n"),
           d2));
  CHECK_THAT(errors(d2),
             Catch::Contains("t.yaml:3:29: error: bgp.links[0] 'rel' is 'client'; expected one of: "
                             "customer, provider, peer, sibling"));

  sim::Diagnostics d3; // unknown ASNs, checked against the graph
  CHECK_FALSE(
      load(with_bgp("  links: [{a: 1, b: 2, rel: peer}]\n  prefixes: [{prefix: 10.0.0.0/8, origins: "
                    "[3]}]\n  vantages: [1, 4]\n  policies: [{as: 1, neighbor: 5, local_pref: 50}]\n"),
           d3));
  std::string e3 = errors(d3);
  CHECK_THAT(e3, Catch::Contains("t.yaml:4:45: error: origin AS3 is not in the BGP topology"));
  CHECK_THAT(e3, Catch::Contains("t.yaml:5:17: error: vantage AS4 is not in the BGP topology"));
  CHECK_THAT(e3, Catch::Contains("t.yaml:6:32: error: policy neighbour AS5 is not in the BGP topology"));
}

TEST_CASE("bgp section: a CAIDA file's error is reported at the caida: value", "[bgp][bgp-model]") {
  auto dir = std::filesystem::temp_directory_path() / "outagesim-bgp-model-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "bad.as-rel.txt") << "# a comment\n1|2|-1\n2|3|7\n";
    std::ofstream(dir / "s.yaml") << with_bgp("  topology: {caida: bad.as-rel.txt}\n");
  }
  sim::Diagnostics d;
  auto s = sim::load_scenario((dir / "s.yaml").string(), {}, models(), d);
  CHECK_FALSE(s);
  std::string e = errors(d);
  CHECK_THAT(e, Catch::Contains("s.yaml:3:21: error: cannot load the CAIDA topology 'bad.as-rel.txt': "));
  CHECK_THAT(e, Catch::Contains("bad.as-rel.txt:3:5: unknown relationship code '7'")); // the file's own line
}

TEST_CASE("bgp faults: targets and with: arguments are checked", "[bgp][bgp-model]") {
  const std::string body =
      "  links: [{a: 1, b: 2, rel: peer}, {a: 1, b: 3, rel: customer}]\n"
      "  prefixes: [{prefix: 10.0.0.0/8, origins: [{as: 3, site: x}]}]\n  vantages: [1]\n";
  sim::Diagnostics d;
  CHECK(load(with_bgp(body, "  - {at: +1m, target: \"session:3-1\", action: down, for: 1m}\n"
                            "  - {at: +1m, target: \"session:*-1\", action: down}\n"
                            "  - {at: +1m, target: \"prefix:10.*\", action: withdraw, with: {site: x}}\n"
                            "  - {at: +1m, target: \"as:2\", action: leak, for: 1m}\n"),
             d));
  INFO(errors(d));
  sim::Diagnostics d2;
  CHECK_FALSE(load(
      with_bgp(body, "  - {at: +1m, target: \"session:2-3\", action: down}\n"
                     "  - {at: +1m, target: \"prefix:10.0.0.0/8\", action: withdraw, with: {site: y}}\n"
                     "  - {at: +1m, target: \"as:2\", action: hijack}\n"
                     "  - {at: +1m, target: \"as:3\", action: hijack, with: {prefix: 10.0.0.0/8}}\n"
                     "  - {at: +1m, target: \"as:2\", action: set_policy, with: {neighbor: 3, prepend: 2}}\n"
                     "  - {at: +1m, target: \"as:2\", action: unhijack, with: {prefix: 10/8}}\n"),
      d2));
  std::string e = errors(d2);
  CHECK_THAT(e, Catch::Contains("t.yaml:8:68: error: with: site 'y' is not a site of prefix:10.0.0.0/8"));
  CHECK_THAT(e, Catch::Contains("t.yaml:9:39: error: action 'hijack' needs with: prefix: P"));
  CHECK_THAT(e, Catch::Contains("with: site 'y' is not a site of prefix:10.0.0.0/8; expected one of: x"));
  CHECK_THAT(e, Catch::Contains("action 'hijack' needs with: prefix: P"));
  CHECK_THAT(e, Catch::Contains("AS3 is a legitimate origin of 10.0.0.0/8"));
  CHECK_THAT(e, Catch::Contains("with: neighbor AS3 is not a neighbour of AS2"));
  CHECK_THAT(e, Catch::Contains("t.yaml:12:55: error: with: prefix is '10/8'"));
  // The loader checks targets and argument names once the sections are fine.
  sim::Diagnostics d3;
  CHECK_FALSE(
      load(with_bgp(body, "  - {at: +1m, target: \"session:2-3\", action: down}\n"
                          "  - {at: +1m, target: \"as:2\", action: leak, with: {prefix: 10.0.0.0/8}}\n"),
           d3));
  std::string e3 = errors(d3);
  CHECK_THAT(e3, Catch::Contains("t.yaml:7:23: error: fault target 'session:2-3' matches no entity"));
  CHECK_THAT(e3, Catch::Contains("unknown argument 'prefix' of action 'leak'; expected one of: more_specific"));
}

TEST_CASE("bgp entities: sessions match in either order without listing them", "[bgp][bgp-model]") {
  sim::Diagnostics d;
  auto s = load(kScenario, d);
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  const auto& c = setup->config;
  const auto& g = *setup->graph;
  CHECK(match_bgp_entities(c, g, "session:100-10") == std::vector<std::string>{"session:10-100"});
  CHECK(match_bgp_entities(c, g, "session:100-*") ==
        std::vector<std::string>{"session:10-100", "session:20-100"});
  CHECK(match_bgp_entities(c, g, "session:*-20").size() == 3); // 2, 100, 200
  CHECK(match_bgp_entities(c, g, "session:1-100").empty());    // not adjacent
  CHECK(match_bgp_entities(c, g, "prefix:10.9.*") == std::vector<std::string>{"prefix:10.9.0.0/16"});
  CHECK(match_bgp_entities(c, g, "as:2*") == std::vector<std::string>{"as:2", "as:20", "as:200"});
  CHECK(parse_session_id("174-3356") == std::make_pair(Asn{174}, Asn{3356}));
  CHECK_FALSE(parse_session_id("174-"));
  CHECK_FALSE(parse_session_id("0-1"));
}

TEST_CASE("driver: warm-up converges, actions become engine inputs, repeats change nothing",
          "[bgp][bgp-model]") {
  sim::Diagnostics d;
  auto s = load(kScenario, d);
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  BgpParams params;
  params.seed = 3;
  BgpDriver drv(setup->config, setup->graph, params);
  drv.warm_up();
  BgpEngine& e = drv.engine();
  const Prefix p = *Prefix::parse("10.1.0.0/16"), any = *Prefix::parse("10.9.0.0/16");
  CHECK(drv.offset() == e.now());
  CHECK(e.best_path(1, p) == std::vector<Asn>{10, 100});
  CHECK(e.best_path(200, any) == std::vector<Asn>{200}); // its own site

  double t = drv.offset() + 300;
  e.run_until(t);
  auto a = drv.apply("prefix:10.1.0.0/16", "withdraw", {}, t);
  REQUIRE(a);
  CHECK(a->type == "bgp.withdraw");
  CHECK(a->detail == "withdrawn by AS100");
  CHECK_FALSE(drv.apply("prefix:10.1.0.0/16", "withdraw", {}, t)); // already withdrawn
  e.run_to_convergence();
  CHECK_FALSE(e.best_path(1, p));

  // Anycast: the east site withdraws through the announcement interface; 200's site remains.
  t = e.now();
  CHECK_FALSE(drv.set_announced("nowhere", any, false, t));
  auto w = drv.set_announced("east", any, false, t);
  REQUIRE(w);
  CHECK(w->detail == "withdrawn by AS100/east");
  e.run_to_convergence();
  CHECK(e.best_path(1, any) == std::vector<Asn>{2, 20, 200});

  // Session down: 1 loses its customer route to 100 through 10 and goes through its peer.
  t = e.now();
  drv.apply("prefix:10.1.0.0/16", "announce", {}, t);
  e.run_to_convergence();
  auto sd = drv.apply("session:10-100", "down", {}, e.now());
  REQUIRE(sd);
  CHECK(sd->all_prefixes);
  CHECK_FALSE(drv.apply("session:100-10", "down", {}, e.now()));
  e.run_to_convergence();
  CHECK(e.best_path(1, p) == std::vector<Asn>{2, 20, 100});

  // Hijack of a more-specific, then its end. Every input moves inputs_version() (with the engine's
  // lookup_version(), what the model's routes_version() reads), a repeat that changes nothing too.
  const std::uint64_t inputs = drv.inputs_version();
  auto h = drv.apply("as:200", "hijack", {{"prefix", "10.1.0.0/17"}}, e.now());
  CHECK(drv.inputs_version() > inputs);
  REQUIRE(h);
  CHECK(h->prefixes.size() == 2); // the /17 and the configured /16 it overlaps
  e.run_to_convergence();
  CHECK(e.route_lookup(1, *parse_ipv4("10.1.0.1")).path.back() == 200);
  drv.apply("as:200", "unhijack", {{"prefix", "10.1.0.0/17"}}, e.now());
  e.run_to_convergence();
  CHECK(e.route_lookup(1, *parse_ipv4("10.1.0.1")).path.back() == 100);
}

TEST_CASE("recorder: visibility, update counts and signals from a recorded stream", "[bgp][bgp-model]") {
  const Prefix p = *Prefix::parse("129.134.30.0/23"), cover = *Prefix::parse("129.134.0.0/17");
  const Prefix more = *Prefix::parse("129.134.30.0/24");
  std::vector<Asn> vantages;
  for (Asn v = 1; v <= 20; ++v)
    vantages.push_back(v);
  VantageRecorder r(vantages, {{p, {32934}}, {cover, {32934}}}, {32934});
  for (Asn v : vantages) {
    r.set_initial(v, p, true, 32934, false);
    r.set_initial(v, cover, true, 32934, false);
  }
  CHECK(r.visibility(p) == 1.0);
  // Withdrawal at t=600: path exploration (announcements of stale paths), then losses, one a minute
  // apart for vantages 1..19; vantage 20 keeps a route until t=1000.
  for (Asn v = 1; v <= 20; ++v) {
    r.on_update(600 + v, v, p, false, 32934);                   // exploration
    r.on_best_change(600 + v, v, p, true, true, 32934, v == 5); // path change (5: a valley)
    r.on_update(660 + 10 * v, v, p, true, 0);                   // withdrawal
    if (v < 20) r.on_best_change(660 + 10 * v, v, p, true, false, 0, false);
  }
  r.on_update(900, 20, p, false, 32934); // the tail of exploration, after gone: not a re-announcement
  r.on_best_change(1000, 20, p, true, false, 0, false);
  // Re-announcement at 1500, and a hijack of a more-specific seen by vantage 3.
  r.on_update(1500, 7, p, false, 32934);
  r.on_best_change(1500, 7, p, false, true, 32934, false);
  r.on_update(1600, 3, more, false, 666);

  // Gone means fewer than 5 % of 20 vantages, i.e. none: at 1000, when vantage 20 loses its route.
  auto sig = r.signals(3600);
  auto find = [&](const std::string& id, const std::string& subject) -> const sim::SignalValue* {
    for (const auto& s : sig)
      if (s.id == id && s.subject == subject) return &s;
    return nullptr;
  };
  const std::string sp = "prefix:" + p.to_string();
  REQUIRE(find("bgp.withdrawal_burst_start", "as:32934"));
  CHECK(find("bgp.withdrawal_burst_start", "as:32934")->value == 670.0);
  REQUIRE(find("bgp.prefix_gone", sp));
  CHECK(find("bgp.prefix_gone", sp)->value == 1000.0);
  CHECK(find("bgp.prefix_stays_visible", sp)->value == false);
  CHECK(find("bgp.prefix_stays_visible", "prefix:" + cover.to_string())->value == true);
  REQUIRE(find("bgp.prefix_gone", "prefix:" + cover.to_string()));
  CHECK(find("bgp.prefix_gone", "prefix:" + cover.to_string())->value.is_null()); // never gone
  REQUIRE(find("bgp.reannounce_start", sp));
  CHECK(find("bgp.reannounce_start", sp)->value == 1500.0);
  CHECK(find("bgp.burst_kind", "as:32934")->value ==
        nlohmann::ordered_json({"announcement", "path_change", "withdrawal"}));
  CHECK(find("bgp.new_origins", sp)->value == nlohmann::ordered_json({666}));
  CHECK(find("bgp.new_origins", "prefix:" + cover.to_string())->value == nlohmann::ordered_json({666}));
  CHECK(find("bgp.valley_paths", "as:32934")->value == 1);

  // Per-minute rows: visibility at the end of each interval; counts by interval.
  auto rows = r.intervals(60, 1800);
  std::map<double, IntervalCounts> of_p;
  for (const auto& row : rows)
    if (row.prefix == p) of_p[row.start] = row;
  REQUIRE(of_p.size() == 30);
  CHECK(of_p[540].visibility == 1.0);
  CHECK(of_p[600].announcements == 20);
  CHECK(of_p[600].withdrawals == 0);
  CHECK(of_p[660].withdrawals == 5); // 670..710
  CHECK(of_p[660].visibility == Approx(15.0 / 20));
  CHECK(of_p[900].visibility == 0.05); // vantage 20 until 1000
  CHECK(of_p[960].visibility == 0.0);
  CHECK(of_p[1500].visibility == 0.05);
  for (const auto& row : rows)
    if (row.prefix == more) CHECK(row.visibility == -1); // not configured: counts only
  std::string csv = r.updates_csv(60, 1800, 1633359600);
  CHECK(csv.rfind("time,prefix,announcements,withdrawals\n", 0) == 0);
  CHECK_THAT(csv, Catch::Contains("2021-10-04T15:10:00Z,129.134.30.0/23,20,0\n"));
}

TEST_CASE("routes command: --caida and scenario forms, exit 2 on bad input", "[bgp][bgp-model]") {
  auto dir = std::filesystem::temp_directory_path() / "outagesim-bgp-routes-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "g.txt") << "1|10|-1\n2|20|-1\n1|2|0\n10|100|-1\n20|100|-1\n";
    std::ofstream(dir / "s.yaml") << kScenario;
  }
  std::ostringstream out, err;
  RoutesOptions o;
  o.caida = (dir / "g.txt").string();
  o.origin = 100;
  CHECK(routes_command(o, models(), out, err) == 0);
  CHECK(out.str() == "1\t10 100\n2\t20 100\n10\t100\n20\t100\n100\t100\n");

  std::ostringstream out2, err2;
  o.origin = 7;
  CHECK(routes_command(o, models(), out2, err2) == 2);
  CHECK_THAT(err2.str(), Catch::Contains("--origin:1:1: error: AS7 is not in"));

  // The scenario at +7m: 10.1.0.0/16 withdrawn at +5m (converged by then? MRAI pacing on a tiny graph
  // takes seconds), back at +15m; the session 10-100 goes down at +20m.
  RoutesOptions so;
  so.scenario = (dir / "s.yaml").string();
  so.at = "+7m";
  std::ostringstream out3, err3;
  CHECK(routes_command(so, models(), out3, err3) == 0);
  INFO(err3.str());
  CHECK(out3.str() == "1\t-\n2\t-\n10\t-\n20\t-\n100\t-\n200\t-\n");
  so.at = "+25m";
  std::ostringstream out4, err4;
  CHECK(routes_command(so, models(), out4, err4) == 0);
  CHECK(out4.str() == "1\t2 20 100\n2\t20 100\n10\t1 2 20 100\n20\t100\n100\t100\n200\t20 100\n");
  so.at = "+2h";
  std::ostringstream out5, err5;
  CHECK(routes_command(so, models(), out5, err5) == 2);
  CHECK_THAT(err5.str(), Catch::Contains("--at:1:1: error: --at is outside the scenario"));
}

TEST_CASE("bgp actions without a bgp: section are errors, not silent no-ops", "[bgp][bgp-model]") {
  sim::Diagnostics d;
  CHECK_FALSE(load("scenario: {name: t, start: 2021-10-04T15:00:00Z, duration: 1h}\n"
                   "topology:\n  ases: [{asn: 64500}]\n"
                   "faults:\n  - {at: +1m, target: \"as:64500\", action: leak}\n",
                   d));
  CHECK_THAT(errors(d), Catch::Contains("t.yaml:5:43: error: action 'leak' on as entities is a BGP action; "
                                        "expected a bgp: section in the scenario"));
}

TEST_CASE("valley-free check: a leaked route is a valley, normal routes are not", "[bgp][bgp-model]") {
  sim::Diagnostics d;
  auto s = load(kScenario, d);
  REQUIRE(s);
  auto setup = load_bgp_setup(*s, d);
  REQUIRE(setup);
  const AsGraph& g = *setup->graph;
  CHECK(valley_free(g, 1, {10, 100}));             // up, up
  CHECK(valley_free(g, 10, {1, 2, 20, 200}));      // up, up, peer, down, down
  CHECK(valley_free(g, 200, {20, 100}));           // up, down
  CHECK_FALSE(valley_free(g, 10, {100, 20, 200})); // 100 re-exports a provider route up: a leak
  CHECK_FALSE(valley_free(g, 1, {10, 100, 20}));   // down then up
  CHECK_FALSE(valley_free(g, 1, {100}));           // not adjacent

  // Where the valley is: the AS at its bottom and the two neighbours it should not have joined.
  CHECK_FALSE(find_valley(g, 10, {1, 2, 20, 200})); // valley-free
  CHECK_FALSE(find_valley(g, 1, {100}));            // not adjacent: no verdict
  auto v = find_valley(g, 10, {100, 20, 200});
  REQUIRE(v);
  CHECK(v->via == 100);
  CHECK(v->from == 20);
  CHECK(v->to == 10);
  CHECK(v->from_is == Relationship::Provider);
  CHECK(v->to_is == Relationship::Provider);
  CHECK(describe_valley(*v) == "AS100 passes the route of its provider AS20 to its provider AS10");
  // The first valley from the origin, whatever follows it (here a peer hop after it).
  auto first = find_valley(g, 2, {1, 10, 100, 20, 200});
  REQUIRE(first);
  CHECK(first->via == 100);
  CHECK(first->to == 10);

  // The engine with a leak at 100: 10 prefers its customer's leaked route to 200's prefix.
  BgpParams params;
  BgpDriver drv(setup->config, setup->graph, params);
  drv.warm_up();
  const Prefix any = *Prefix::parse("10.9.0.0/16");
  drv.apply("prefix:10.9.0.0/16", "withdraw", {{"site", "east"}}, drv.engine().now());
  drv.engine().run_to_convergence();
  REQUIRE(drv.engine().best_path(10, any) == std::vector<Asn>{1, 2, 20, 200});
  REQUIRE(drv.apply("as:100", "leak", {}, drv.engine().now()));
  drv.engine().run_to_convergence();
  auto leaked = drv.engine().best_path(10, any);
  REQUIRE(leaked);
  CHECK(*leaked == std::vector<Asn>{100, 20, 200});
  CHECK_FALSE(valley_free(g, 10, *leaked));
}
