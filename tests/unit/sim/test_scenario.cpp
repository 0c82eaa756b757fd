#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "models/Registry.hpp"
#include "sim/scenario/Loader.hpp"
#include "sim/world/Path.hpp"
#include "sim/world/World.hpp"

using namespace outagesim::sim;

namespace {

const char* kBase = R"(scenario:
  name: base
  start: 2021-10-04T15:00:00Z
  duration: 2h
topology:
  ases: [{asn: 64500}]
  datacenters: [{id: a, as: 64500}, {id: b, as: 64500}]
  routers: [{id: r, as: 64500}]
  regions: [{id: east, population: 10}, {id: west, population: 30}]
  links:
    - {id: backbone/a-r, between: [dc:a, router:r], latency: 2ms}
    - {id: backbone/b-r, between: [dc:b, router:r], latency: 3ms}
    - {id: access/east, between: [region:east, router:r], latency: 1ms, capacity: 1Gbps, kind: access}
    - {id: access/west, between: [region:west, router:r]}
services:
  - {id: web, served_from: [dc:a, dc:b]}
faults:
  - {id: cut, at: +15m, target: "link:backbone/*", action: down, until: 2021-10-04T16:00:00Z}
)";

std::optional<Scenario> load(const std::string& text, Diagnostics& d, std::vector<std::string> sets = {}) {
  return load_scenario_text(text, "t.yaml", LoadOptions{sets}, outagesim::models::all(), d);
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("outagesim-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

} // namespace

TEST_CASE("a valid scenario loads into plain structs", "[scenario]") {
  Diagnostics d;
  auto s = load(kBase, d);
  d.print(std::cerr);
  REQUIRE(s);
  CHECK(s->info.name == "base");
  CHECK(s->info.duration == 7200);
  CHECK(s->info.sample == 60);
  CHECK(s->nodes.size() == 6);
  REQUIRE(s->links.size() == 4);
  CHECK(s->links[2].capacity_bps == 1e9);
  CHECK(s->links[2].kind == LinkKind::Access);
  CHECK(s->links[0].latency == Approx(0.002));
  REQUIRE(s->faults.size() == 1);
  CHECK(s->faults[0].at == 900);
  CHECK(*s->faults[0].until == 3600);
  CHECK(s->params.at("probe").number("interval") == 30);
  CHECK(s->enabled.at("probe"));
}

TEST_CASE("overrides (the set option) change any value by dotted path", "[scenario]") {
  Diagnostics d;
  auto s = load(kBase, d,
                {"models.probe.interval=10s", "scenario.seed=7", "faults.cut.at=+20m",
                 "topology.links.access/west.latency=9ms"});
  d.print(std::cerr);
  REQUIRE(s);
  CHECK(s->params.at("probe").number("interval") == 10);
  CHECK(s->info.seed == 7);
  CHECK(s->faults[0].at == 1200);
  CHECK(s->links[3].latency == Approx(0.009));
  Diagnostics bad;
  CHECK_FALSE(load(kBase, bad, {"models.probe.interval=fast"}));
  REQUIRE(bad.all().size() == 1);
  CHECK_THAT(bad.all()[0].str(), Catch::StartsWith("--set models.probe.interval=fast:1:"));
}

TEST_CASE("include merges a variant on top of a base scenario", "[scenario]") {
  TempDir tmp;
  tmp.write("base.yaml", kBase);
  std::string variant = tmp.write("variant.yaml", R"(include: base.yaml
scenario: {name: variant}
topology:
  links:
    - {id: backbone/b-r, latency: 7ms}
    - {id: access/west, remove: true}
    - {id: access/west2, between: [region:west, dc:b]}
faults:
  - {at: +5m, target: "dc:a", action: crash}
)");
  Diagnostics d;
  auto s = load_scenario(variant, {}, outagesim::models::all(), d);
  d.print(std::cerr);
  REQUIRE(s);
  CHECK(s->info.name == "variant");
  CHECK(s->info.duration == 7200); // from the base
  REQUIRE(s->links.size() == 4);
  CHECK(s->links[1].latency == Approx(0.007)); // merged by id
  CHECK(s->links[3].id == "access/west2");     // appended
  REQUIRE(s->faults.size() == 1);              // items without ids replace the list
  CHECK(s->faults[0].action == "crash");
}

TEST_CASE("include: a key set to null in the variant is removed from the base", "[scenario]") {
  TempDir tmp;
  tmp.write("base.yaml", kBase);
  std::string variant = tmp.write("variant.yaml", R"(include: base.yaml
topology:
  links:
    - {id: access/east, capacity: ~, kind: ~}
faults: ~
)");
  Diagnostics d;
  auto s = load_scenario(variant, {}, outagesim::models::all(), d);
  d.print(std::cerr);
  REQUIRE(s);
  REQUIRE(s->links.size() == 4);
  CHECK(s->links[2].id == "access/east");
  CHECK(s->links[2].latency == Approx(0.001));     // kept from the base
  CHECK(s->links[2].capacity_bps == Approx(10e9)); // removed: the default again
  CHECK(s->faults.empty());
}

TEST_CASE("every problem of a file is reported, with its place", "[scenario]") {
  Diagnostics d;
  auto s = load(R"(scenario:
  duration: 1h
  sede: 3
topology:
  datacenters: [{id: a}, {id: a}]
  links:
    - {id: l, between: [dc:a, dc:nowhere], latency: 5}
faults:
  - {at: +2h, target: "dc:a", action: explode}
)",
                d);
  CHECK_FALSE(s);
  std::vector<std::string> lines;
  for (const auto& x : d.all())
    lines.push_back(x.str());
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] ==
        "t.yaml:3:3: error: unknown key 'sede' in scenario; expected one of: description, duration, "
        "name, sample, seed, start");
  CHECK_THAT(lines[1], Catch::StartsWith("t.yaml:5:31: error: topology 'datacenters' repeats id 'a' (first at line 5, column 22)"));
  // Sorted as a reader goes through the file.
  CHECK_THAT(lines[2], Catch::StartsWith("t.yaml:7:31: error: link 'l' end 'dc:nowhere' names no declared node"));
  CHECK_THAT(lines[3], Catch::StartsWith("t.yaml:7:53: error: link 'l' latency is '5'; expected a duration"));
  CHECK_THAT(lines[4], Catch::StartsWith("t.yaml:9:10: error: fault 'at' is +2h, after the scenario's end (+1h)"));
  CHECK_THAT(lines[5], Catch::StartsWith("t.yaml:9:39: error: action 'explode' is unknown for dc entities"));
}

TEST_CASE("paths match with wildcards", "[world]") {
  CHECK(glob_match("link:backbone/*", "link:backbone/a-b"));
  CHECK_FALSE(glob_match("link:backbone/*", "link:access/a"));
  CHECK(glob_match("dc:?", "dc:a"));
  CHECK_FALSE(glob_match("dc:?", "dc:ab"));
  CHECK(glob_match("link:*south*", "link:backbone/east-south"));
  CHECK(glob_match("as:32934", "as:32934"));
  std::string k, i;
  CHECK(split_path("link:backbone/x", k, i));
  CHECK(k == "link");
  CHECK(i == "backbone/x");
  CHECK_FALSE(split_path("nokind", k, i));
  CHECK_FALSE(valid_entity_id("a b"));
  CHECK_FALSE(valid_entity_id("x*"));
}

TEST_CASE("the world graph answers paths and entity names", "[world]") {
  Diagnostics d;
  auto s = load(kBase, d);
  REQUIRE(s);
  World w(*s);
  CHECK(boost::num_vertices(w.graph()) == 6);
  CHECK(boost::num_edges(w.graph()) == 4);
  auto east = *w.find_node("region:east");
  auto b = *w.find_node("dc:b");
  auto p = w.shortest_path(east, b);
  REQUIRE(p);
  CHECK(p->nodes.size() == 3);
  CHECK(p->latency == Approx(0.004));
  auto paths = w.entity_paths();
  CHECK(std::count(paths.begin(), paths.end(), "link:backbone/a-r") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "service:web") == 1);
}
