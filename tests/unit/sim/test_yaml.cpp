#include <catch2/catch.hpp>

#include "sim/scenario/YamlTree.hpp"

using namespace outagesim::sim;

TEST_CASE("YAML nodes keep their line and column", "[yaml]") {
  Diagnostics d;
  auto root = parse_yaml_text("a: 1\nb:\n  - x\n  - {c: 'q'}\n", "t.yaml", d);
  REQUIRE(root);
  REQUIRE(root->kind == YamlNode::Kind::Map);
  const YamlNode* b = root->find("b");
  REQUIRE(b);
  CHECK(b->kind == YamlNode::Kind::Sequence);
  CHECK(b->items[1]->mark.line == 4);
  CHECK(b->items[1]->mark.col == 5);
  const YamlNode* c = b->items[1]->find("c");
  CHECK(c->scalar == "q");
  CHECK(c->quoted);
  CHECK(root->entries[1].key_mark.line == 2);
}

TEST_CASE("duplicate keys are errors with both places", "[yaml]") {
  Diagnostics d;
  auto root = parse_yaml_text("a: 1\nb: 2\na: 3\n", "t.yaml", d);
  CHECK_FALSE(root);
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].str() ==
        "t.yaml:3:1: error: duplicate key 'a' (first given at line 1); expected each key once");
}

TEST_CASE("alias bombs are stopped by the expansion budget", "[yaml]") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (int i = 0; i < 9; ++i) {
    std::string name = "l" + std::to_string(i);
    bomb += name + ": &" + name + " [";
    for (int k = 0; k < 10; ++k)
      bomb += (k ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  Diagnostics d;
  auto root = parse_yaml_text(bomb, "bomb.yaml", d);
  CHECK_FALSE(root);
  REQUIRE(d.has_errors());
  CHECK_THAT(d.all()[0].message, Catch::Contains("expands to more than"));
}

TEST_CASE("small aliases are expanded", "[yaml]") {
  Diagnostics d;
  auto root = parse_yaml_text("base: &b {x: 1}\nother: *b\n", "t.yaml", d);
  REQUIRE(root);
  CHECK(root->find("other")->find("x")->scalar == "1");
}

TEST_CASE("deep nesting, binary bytes and several documents are refused", "[yaml]") {
  Diagnostics d1;
  CHECK_FALSE(parse_yaml_text(std::string(500, '[') + std::string(500, ']'), "deep.yaml", d1));
  CHECK_THAT(d1.all().at(0).message, Catch::Contains("nesting deeper than"));
  Diagnostics d2;
  CHECK_FALSE(parse_yaml_text(std::string("a: 1\nb: \x01\x02\n", 10), "bin.yaml", d2));
  CHECK(d2.all().at(0).str() == "bin.yaml:2:4: error: byte 0x01 is not text; expected a UTF-8 YAML file");
  Diagnostics d3;
  CHECK_FALSE(parse_yaml_text("a: 1\n---\nb: 2\n", "two.yaml", d3));
  CHECK_THAT(d3.all().at(0).message, Catch::Contains("more than one YAML document"));
}

TEST_CASE("syntax errors carry the parser's position", "[yaml]") {
  Diagnostics d;
  CHECK_FALSE(parse_yaml_text("a: [1, 2\nb: 3\n", "s.yaml", d));
  REQUIRE(d.has_errors());
  CHECK_THAT(d.all()[0].str(), Catch::StartsWith("s.yaml:"));
  CHECK_THAT(d.all()[0].message, Catch::StartsWith("YAML syntax: "));
}
