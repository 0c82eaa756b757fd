#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "models/Registry.hpp"
#include "sim/run/Schema.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/scenario/YamlTree.hpp"

using namespace outagesim::sim;

namespace {
const NodeDecl& sample() {
  static const NodeDecl n{"thing",
                          "a thing",
                          {key("id", ValueType::String, "its id").needed(),
                           key("delay", ValueType::Duration, "a delay").with_unit("s").with_default("1s")}};
  return n;
}
} // namespace

TEST_CASE("a declared reader lists the declared keys, not the ones read so far", "[keys]") {
  Diagnostics d;
  auto root = parse_yaml_text("id: a\ndelya: 2s\n", "t.yaml", d);
  REQUIRE(root);
  MapReader r(root.get(), "thing", d, sample());
  CHECK(r.string("id") == std::string("a"));
  r.finish(); // 'delay' was never asked for and is still valid
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].str() == "t.yaml:2:1: error: unknown key 'delya' in thing; expected one of: delay, id");
}

TEST_CASE("reading a key the declaration lacks is a programming error", "[keys]") {
  Diagnostics d;
  auto root = parse_yaml_text("id: a\n", "t.yaml", d);
  MapReader r(root.get(), "thing", d, sample());
  CHECK_THROWS_AS(r.get("colour"), std::logic_error);
}

TEST_CASE("every section key of every model and of the core is declared with a doc", "[keys]") {
  const auto& models = outagesim::models::all();
  NodeDecl file = scenario_file_decl(models);
  std::set<std::string> top;
  for (const auto& k : file.keys)
    CHECK(top.insert(k.name).second); // a top-level key declared twice
  for (const char* name : {"scenario", "topology", "services", "faults", "models", "include", "bgp", "dns",
                           "facilities", "users", "operators"})
    CHECK(top.count(name));
  std::function<void(const NodeDecl&)> walk = [&](const NodeDecl& n) {
    std::set<std::string> names;
    for (const auto& k : n.keys) {
      INFO(n.what << " " << k.name);
      CHECK_FALSE(k.doc.empty());
      CHECK(names.insert(k.name).second);
      if (k.type == ValueType::Choice) CHECK_FALSE(k.choices.empty());
      if (!k.unique.empty()) {
        REQUIRE(k.node);
        CHECK(k.node->find(k.unique));
      }
      if (k.node) walk(*k.node);
    }
  };
  walk(file);
}

TEST_CASE("the schema closes every mapping and types durations by pattern", "[keys]") {
  auto j = scenario_schema(outagesim::models::all());
  CHECK(j["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(j["additionalProperties"] == false);
  const auto& sc = j["properties"]["scenario"]["anyOf"][0];
  CHECK(sc["additionalProperties"] == false);
  const auto& dur = sc["properties"]["duration"]["anyOf"][0]["anyOf"][0];
  CHECK(dur["type"] == "string");
  CHECK(dur["pattern"].get<std::string>().find("ms|s|min|m|h|d") != std::string::npos);
  CHECK(j["properties"]["models"]["anyOf"][0]["properties"].contains("dns"));
}
