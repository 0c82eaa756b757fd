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

TEST_CASE("a declared list rejects an item that repeats its unique key, naming both places", "[keys]") {
  static const NodeDecl top{
      "top",
      "",
      {key("things", ValueType::List, "things")
           .unique_by("dc")
           .keys("thing", "", {key("dc", ValueType::String, "a datacenter").names("dc")}),
       key("tags", ValueType::Strings, "tags").each_once()}};
  Diagnostics d;
  auto root = parse_yaml_text("things:\n  - {dc: dc:west}\n  - {dc: east}\n  - {dc: west}\n"
                              "tags: [a, b, a]\n",
                              "t.yaml", d);
  REQUIRE(root);
  MapReader r(root.get(), "top", d, top);
  r.list("things");
  r.get("things"); // asking again reports nothing new
  r.strings("tags");
  r.finish();
  REQUIRE(d.all().size() == 2);
  // "dc:west" and "west" name the same datacenter.
  CHECK(d.all()[0].str() ==
        "t.yaml:4:10: error: top 'things' repeats dc 'west' (first at line 2, column 10); expected each dc once");
  CHECK(d.all()[1].str() ==
        "t.yaml:5:14: error: top 'tags' repeats 'a' (first at line 5, column 8); expected each item once");
}

TEST_CASE("declared ranges bound numbers, integers and durations", "[keys]") {
  static const NodeDecl n{"thing",
                          "",
                          {key("share", ValueType::Number, "a share").range(0, 1),
                           key("count", ValueType::Integer, "a count").range(1, 10),
                           key("ttl", ValueType::Duration, "a ttl").range(1, 300),
                           key("wait", ValueType::Duration, "a wait").at_least(1)}};
  Diagnostics d;
  auto root = parse_yaml_text("share: 2\ncount: 0\nttl: 1h\nwait: 0s\n", "t.yaml", d);
  MapReader r(root.get(), "thing", d, n);
  CHECK(!r.number("share"));
  CHECK(!r.integer("count", false, 0, 100)); // the declaration narrows the caller's range
  CHECK(!r.duration("ttl"));
  CHECK(!r.duration("wait"));
  REQUIRE(d.all().size() == 4);
  CHECK(d.all()[0].str() == "t.yaml:1:8: error: thing 'share' is 2; expected a number between 0 and 1");
  CHECK(d.all()[1].str() == "t.yaml:2:8: error: thing 'count' is 0; expected an integer between 1 and 10");
  CHECK(d.all()[2].str() == "t.yaml:3:6: error: thing 'ttl' is 1h; expected a duration between 1s and 5m");
  CHECK(d.all()[3].str() == "t.yaml:4:7: error: thing 'wait' is 0s; expected a duration of at least 1s");
}

TEST_CASE("a duration written with an exponent says so", "[keys]") {
  Diagnostics d;
  auto root = parse_yaml_text("delay: 1e300s\n", "t.yaml", d);
  MapReader r(root.get(), "thing", d, sample());
  CHECK(!r.duration("delay"));
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].str() == "t.yaml:1:8: error: thing 'delay' is '1e300s'; expected plain digits before the unit "
                            "(no exponent), such as 90s, 1.5h, 2d");
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
      if (k.unique == ".") {
        CHECK((k.type == ValueType::Strings || k.type == ValueType::Integers)); // items themselves
      } else if (!k.unique.empty()) {
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
