// Prefixes, AS graphs, CAIDA loaders (errors with file and line, bz2, cycles) and the generator.
#include "models/bgp/AsGraph.hpp"
#include "models/bgp/AsGraphBoost.hpp"
#include "models/bgp/Generator.hpp"
#include "models/bgp/Prefix.hpp"
#include "models/bgp/TopologyLoader.hpp"

#include <bzlib.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace outagesim::bgp;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("outagesim-bgp-test-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

std::string bzip(const std::string& text) {
  std::string out(text.size() + text.size() / 50 + 1024, '\0');
  unsigned len = static_cast<unsigned>(out.size());
  REQUIRE(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(text.data()),
                                   static_cast<unsigned>(text.size()), 9, 0, 0) == BZ_OK);
  out.resize(len);
  return out;
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary);
  f << bytes;
}

// Expects parse_caida(text) to throw at `line`, with `needle` in the message.
void expect_error(const std::string& text, int line, const std::string& needle) {
  try {
    parse_caida(text, "t.txt");
    FAIL("no error for: " << text);
  } catch (const TopologyError& e) {
    CHECK(e.file() == "t.txt");
    CHECK(e.line() == line);
    CHECK_THAT(e.message(), Catch::Contains(needle));
    CHECK_THAT(std::string(e.what()), Catch::StartsWith("t.txt:" + std::to_string(line) + ":"));
  }
}

} // namespace

TEST_CASE("IPv4 prefixes parse, format and match", "[bgp]") {
  auto p = Prefix::parse("129.134.30.0/23");
  REQUIRE(p);
  CHECK(p->to_string() == "129.134.30.0/23");
  CHECK(p->contains(*parse_ipv4("129.134.31.12")));
  CHECK_FALSE(p->contains(*parse_ipv4("129.134.32.1")));
  CHECK(Prefix::parse("129.134.0.0/17")->covers(*p));
  CHECK_FALSE(p->covers(*Prefix::parse("129.134.0.0/17")));
  CHECK(Prefix::parse("0.0.0.0/0")->contains(0xFFFFFFFFu));
  CHECK(Prefix::parse("10.1.2.3")->length == 32);
  CHECK_FALSE(Prefix::parse("10.0.0.1/8")); // host bits
  CHECK_FALSE(Prefix::parse("10.0.0.0/33"));
  CHECK_FALSE(Prefix::parse("256.0.0.0/8"));
  CHECK_FALSE(Prefix::parse("10.0.0/8"));
  CHECK_FALSE(Prefix::parse("10.0.0.0/"));
  CHECK(format_ipv4(*parse_ipv4("185.89.219.12")) == "185.89.219.12");
  CHECK(Prefix::make(*parse_ipv4("10.1.2.3"), 8).to_string() == "10.0.0.0/8");
}

TEST_CASE("CAIDA serial-1 and serial-2 parse into a CSR graph", "[bgp]") {
  auto t = parse_caida("# comment\n1|2|-1\n1|3|-1\n2|3|0\n\n", "x");
  CHECK(t.serial == 1);
  CHECK(t.warnings.empty());
  const AsGraph& g = t.graph;
  CHECK(g.as_count() == 3);
  CHECK(g.link_count() == 3);
  AsIndex a1 = *g.index_of(1), a2 = *g.index_of(2), a3 = *g.index_of(3);
  CHECK(g.relationship(*g.find_slot(a1, a2)) == Relationship::Customer);
  CHECK(g.relationship(*g.find_slot(a2, a1)) == Relationship::Provider);
  CHECK(g.relationship(*g.find_slot(a2, a3)) == Relationship::Peer);
  for (SlotIndex s = 0; s < g.slot_count(); ++s)
    CHECK(g.reverse_slot(g.reverse_slot(s)) == s);
  CHECK_FALSE(g.index_of(4));

  auto t2 = parse_caida("10|20|-1|bgp\n20|30|0|mlp\n", "y");
  CHECK(t2.serial == 2);
  CHECK(t2.graph.link_count() == 2);

  auto bg = to_boost_graph(g);
  CHECK(boost::num_vertices(bg) == 3);
  CHECK(boost::num_edges(bg) == 6);
  CHECK(bg[a3].asn == 3);
}

TEST_CASE("CAIDA loader errors carry file, line and column", "[bgp]") {
  expect_error("1|2|-1\n1|2\n", 2, "malformed line");
  expect_error("1|2|-1|x|y\n", 1, "malformed line");
  expect_error("1|x|-1\n", 1, "malformed AS number");
  expect_error("1|99999999999|-1\n", 1, "malformed AS number");
  expect_error("0|2|-1\n", 1, "AS 0");
  expect_error("# c\n1|2|2\n", 2, "unknown relationship code '2'");
  expect_error("1|2|-1\n3|3|0\n", 2, "self-loop");
  expect_error("1|2|-1\n2|1|-1\n", 2, "both provider and customer");
  expect_error("1|2|-1\n1|2|0\n", 2, "conflicting relationship");
  try {
    parse_caida("1|2|-1\n1|x|-1\n", "t.txt");
  } catch (const TopologyError& e) {
    CHECK(e.col() == 3);
  }
}

TEST_CASE("CAIDA loader: duplicates warn, provider cycles warn with what the policies guarantee", "[bgp]") {
  auto dup = parse_caida("1|2|-1\n1|2|-1\n", "d");
  REQUIRE(dup.warnings.size() == 1);
  CHECK_THAT(dup.warnings[0], Catch::Contains("duplicate"));

  auto cyc = parse_caida("1|2|-1\n2|3|-1\n3|1|-1\n3|4|-1\n", "c.txt");
  REQUIRE(cyc.warnings.size() == 1);
  CHECK_THAT(cyc.warnings[0], Catch::Contains("provider-customer cycle"));
  CHECK_THAT(cyc.warnings[0], Catch::Contains("AS1 AS2 AS3"));
  CHECK_THAT(cyc.warnings[0], Catch::Contains("no longer guaranteed to converge"));
  auto cycles = find_provider_cycles(cyc.graph);
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0] == std::vector<Asn>{1, 2, 3});
}

TEST_CASE("bz2 files load, truncated bz2 is an error with file and line", "[bgp]") {
  fs::path dir = temp_dir();
  std::string text = "# header\n";
  for (int i = 1; i <= 3000; ++i)
    text += std::to_string(i) + "|" + std::to_string(i + 1) + "|-1\n";
  std::string bz = bzip(text);
  write_file(dir / "ok.txt.bz2", bz);
  write_file(dir / "plain.txt", text);
  auto t = load_caida((dir / "ok.txt.bz2").string());
  CHECK(t.graph.as_count() == 3001);
  CHECK(load_caida((dir / "plain.txt").string()).graph.link_count() == 3000);

  write_file(dir / "cut.txt.bz2", bz.substr(0, bz.size() / 2));
  try {
    load_caida((dir / "cut.txt.bz2").string());
    FAIL("truncated bz2 accepted");
  } catch (const TopologyError& e) {
    CHECK(e.file() == (dir / "cut.txt.bz2").string());
    CHECK(e.line() >= 1);
    CHECK_THAT(e.message(), Catch::Contains("truncated"));
  }
  try {
    load_caida((dir / "missing.txt").string());
    FAIL("missing file accepted");
  } catch (const TopologyError& e) {
    CHECK_THAT(e.message(), Catch::Contains("cannot open"));
  }
  fs::remove_all(dir);
}

TEST_CASE("The synthetic generator is deterministic, acyclic and Internet-like", "[bgp]") {
  GeneratorParams p;
  p.as_count = 500;
  p.seed = 7;
  AsGraph a = generate_internet(p), b = generate_internet(p);
  REQUIRE(a.as_count() == 500);
  CHECK(a.asns() == b.asns());
  REQUIRE(a.slot_count() == b.slot_count());
  for (SlotIndex s = 0; s < a.slot_count(); ++s) {
    CHECK(a.neighbor(s) == b.neighbor(s));
    CHECK(a.relationship(s) == b.relationship(s));
    CHECK(a.delay(s) == b.delay(s));
  }
  CHECK(find_provider_cycles(a).empty());
  std::size_t multihomed = 0, peers = 0;
  for (AsIndex v = 0; v < a.as_count(); ++v) {
    std::size_t providers = 0;
    for (SlotIndex s = a.slot_begin(v); s < a.slot_end(v); ++s) {
      providers += a.relationship(s) == Relationship::Provider;
      peers += a.relationship(s) == Relationship::Peer;
    }
    multihomed += providers >= 2;
  }
  CHECK(multihomed > 100);
  CHECK(peers > 20);
  p.seed = 8;
  CHECK(generate_internet(p).asns() != a.asns());
}

TEST_CASE("The shared CAIDA 2018 and subra-2004 graphs load fast with the documented sizes",
          "[bgp][shared]") {
  const std::string caida = std::string(OUTAGESIM_SHARED_DIR) + "/data/caida/20180101.as-rel.txt.bz2";
  const std::string subra = std::string(OUTAGESIM_SHARED_DIR) + "/data/subra-2004/subra-2004.as-rel.txt";
  if (!fs::exists(caida) || !fs::exists(subra)) {
    WARN("skipped: shared topology data not found under " OUTAGESIM_SHARED_DIR);
    return;
  }
  auto t = load_caida(caida);
  CHECK(t.graph.as_count() == 60006);
  CHECK(t.graph.link_count() == 261340);
  auto s = load_caida(subra);
  CHECK(s.graph.as_count() == 16921);
  CHECK(s.graph.link_count() == 37271);
  CHECK(s.warnings.empty()); // README: no provider-customer cycles
}
