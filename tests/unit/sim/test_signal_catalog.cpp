#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "models/Registry.hpp"

// The signal catalogue that observed records are checked against must hold every signal a run
// computes (with its kind) and every signal of the vocabulary (SIGNALS.md): otherwise a valid
// record would be refused, or a mistyped one accepted.

namespace {
std::map<std::string, std::string> catalog() {
  std::map<std::string, std::string> out;
  for (const auto& s : outagesim::models::signal_catalog())
    out[s.id] = s.kind;
  return out;
}
const outagesim::sim::SignalDecl& decl(const std::string& id) {
  for (const auto& s : outagesim::models::signal_catalog())
    if (s.id == id) return s;
  throw std::logic_error("no signal " + id);
}
} // namespace

TEST_CASE("every signal in the golden runs' summaries is in the catalogue with its kind", "[signals][catalog]") {
  auto known = catalog();
  int seen = 0;
  for (const auto& dir : std::filesystem::directory_iterator(OUTAGESIM_SOURCE_DIR "/tests/golden")) {
    auto path = dir.path() / "summary.json";
    if (!std::filesystem::exists(path)) continue;
    std::ifstream in(path);
    auto j = nlohmann::json::parse(in);
    for (const auto& [id, subjects] : j["signals"].items())
      for (const auto& [subject, entry] : subjects.items()) {
        INFO(path.string() << ": " << id << " " << subject);
        REQUIRE(known.count(id) == 1);
        CHECK(known[id] == entry["kind"].get<std::string>());
        // Its subject of a declared kind: an observed record is held to the same declaration.
        CHECK(outagesim::sim::subject_kind_declared(decl(id), subject.substr(0, subject.find(':'))));
        ++seen;
      }
  }
  CHECK(seen > 20);
}

TEST_CASE("every signal of SIGNALS.md is in the catalogue with its kind", "[signals][catalog]") {
  std::ifstream in(OUTAGESIM_SHARED_DIR "/design/SIGNALS.md");
  if (!in) {
    WARN("../shared/design/SIGNALS.md absent: skipped");
    return;
  }
  auto known = catalog();
  std::regex row(R"(^\| `([a-z_.]+)` \| ([a-z]+) \|)");
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    INFO(line);
    REQUIRE(known.count(m[1]) == 1);
    CHECK(known[m[1]] == m[2].str());
    ++rows;
  }
  CHECK(rows > 15);
}

TEST_CASE("each signal is declared once, with its subject kind and doc", "[signals][catalog]") {
  std::map<std::string, int> seen;
  for (const auto& s : outagesim::models::signal_catalog()) {
    INFO(s.id);
    CHECK(++seen[s.id] == 1);
    CHECK(!s.subject.empty());
    CHECK(!s.doc.empty());
    CHECK(std::regex_match(s.kind, std::regex("time|number|ratio|bool|set|duration")));
  }
}

TEST_CASE("subject kinds of a declaration: one, several, or none", "[signals][catalog]") {
  using outagesim::sim::signal_decl;
  auto one = signal_decl("x.y", "number", "zone", "1", "doc");
  auto two = signal_decl("x.z", "time", "as|prefix", "", "doc");
  auto none = signal_decl("x.w", "time", "", "", "doc");
  CHECK(outagesim::sim::subject_kind_declared(one, "zone"));
  CHECK_FALSE(outagesim::sim::subject_kind_declared(one, "region"));
  CHECK_FALSE(outagesim::sim::subject_kind_declared(one, "zon"));
  CHECK(outagesim::sim::subject_kind_declared(two, "as"));
  CHECK(outagesim::sim::subject_kind_declared(two, "prefix"));
  CHECK_FALSE(outagesim::sim::subject_kind_declared(two, "as|prefix"));
  CHECK(outagesim::sim::subject_kind_declared(none, "anything"));
  CHECK(outagesim::sim::subject_forms(one) == "zone:NAME");
  CHECK(outagesim::sim::subject_forms(two) == "as:ASN or prefix:ADDR/LEN");
  CHECK(outagesim::sim::subject_kinds_text(two) == "as or prefix");
  // Every declared subject kind is one a subject can be written with (no stray space or colon).
  for (const auto& s : outagesim::models::signal_catalog())
    for (const auto& k : outagesim::sim::subject_kinds(s)) {
      INFO(s.id << ": '" << k << "'");
      CHECK(std::regex_match(k, std::regex("[a-z]+")));
    }
}
