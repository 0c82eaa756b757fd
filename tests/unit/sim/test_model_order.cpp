// The start order of the models comes from their declared needs and offers, never from the order of
// the registry: permuting the list changes nothing a run writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "ChildRun.hpp"
#include "models/Registry.hpp"
#include "sim/run/Runner.hpp"
#include "sim/scenario/Loader.hpp"

using namespace outagesim::sim;

namespace {

ModelInfo fake(std::string name, std::vector<std::string> provides, std::vector<std::string> needs,
               std::vector<std::string> uses = {}) {
  ModelInfo m;
  m.name = std::move(name);
  m.provides = std::move(provides);
  m.needs = std::move(needs);
  m.uses = std::move(uses);
  return m;
}

Scenario with_work(const std::vector<ModelInfo>& models) {
  Scenario s;
  s.file = "t.yaml";
  for (const auto& m : models) {
    s.enabled[m.name] = true;
    s.configs[m.name] = std::make_shared<const ModelConfig>();
  }
  return s;
}

std::vector<std::string> names(const std::vector<const ModelInfo*>& order) {
  std::vector<std::string> out;
  for (const auto* m : order)
    out.push_back(m->name);
  return out;
}

} // namespace

TEST_CASE("providers start before the models that need or use them, ties by name", "[model-order]") {
  std::vector<ModelInfo> models = {fake("users", {}, {"serving"}, {"names"}), fake("zdns", {"names"}, {}),
                                   fake("dc", {"serving"}, {}, {"announcements"}),
                                   fake("bgp", {"routes", "announcements"}, {}), fake("probe", {}, {})};
  Scenario s = with_work(models);
  const std::vector<std::string> expected = {"bgp", "dc", "probe", "zdns", "users"};
  CHECK(names(start_order(models, s)) == expected);
  // Every permutation of the list gives the same order.
  std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  do {
    CHECK(names(start_order(models, s)) == expected);
  } while (std::next_permutation(models.begin(), models.end(),
                                 [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST_CASE("a needed service nobody offers is a load error naming both", "[model-order]") {
  std::vector<ModelInfo> models = {fake("users", {}, {"serving"}), fake("dc", {"serving"}, {})};
  models[1].sections = {key("facilities", ValueType::Map, "datacenters")};
  Scenario s = with_work(models);
  s.enabled["dc"] = false;
  Diagnostics d;
  check_model_needs(models, s, d);
  REQUIRE(d.error_count() == 1);
  const std::string& msg = d.all()[0].message;
  CHECK(msg.find("the users model needs the 'serving' service") != std::string::npos);
  CHECK(msg.find("the dc model offers it and is disabled") != std::string::npos);
  // Enabled but idle (no facilities section): said so.
  s.enabled["dc"] = true;
  s.configs.erase("dc");
  Diagnostics d2;
  check_model_needs(models, s, d2);
  REQUIRE(d2.error_count() == 1);
  CHECK(d2.all()[0].message.find("with a facilities section, absent here") != std::string::npos);
  // A model without work needs nothing.
  s.configs.erase("users");
  Diagnostics d3;
  check_model_needs(models, s, d3);
  CHECK_FALSE(d3.has_errors());
}

TEST_CASE("models that wait on each other's services are an error", "[model-order]") {
  std::vector<ModelInfo> models = {fake("a", {"x"}, {"y"}), fake("b", {"y"}, {}, {"x"}), fake("c", {}, {})};
  Scenario s = with_work(models);
  Diagnostics d;
  check_model_needs(models, s, d);
  REQUIRE(d.error_count() == 1);
  CHECK(d.all()[0].message.find("models a, b wait for each other's services in a cycle") != std::string::npos);
  CHECK_THROWS_AS(start_order(models, s), std::logic_error);
}

namespace {

// Loads and runs a scenario with the registry in the given order, in a child process (SimGrid has
// one engine per process); returns events.jsonl, timeline.csv and summary.json, concatenated.
std::string run_in_child(const std::string& scenario, const std::vector<ModelInfo>& models) {
  return outagesim::test::in_child([&]() -> std::optional<std::string> {
    Diagnostics d;
    auto s = load_scenario(scenario, LoadOptions{}, models, d);
    if (!s) return std::nullopt;
    RunResult r = run_scenario(*s, models, RunOptions{});
    r.summary.erase("versions");
    return r.events_jsonl + "\n--\n" + r.timeline_csv + "\n--\n" + r.summary.dump(1) + "\n";
  });
}

} // namespace

TEST_CASE("permuting the registry gives byte-identical outputs", "[model-order][run]") {
  const std::string scenario = std::string(OUTAGESIM_SOURCE_DIR) + "/scenarios/facebook-2021/small.yaml";
  std::vector<ModelInfo> models = outagesim::models::all();
  const std::string first = run_in_child(scenario, models);
  CHECK(first.size() > 1000);
  std::reverse(models.begin(), models.end());
  CHECK(run_in_child(scenario, models) == first);
  std::rotate(models.begin(), models.begin() + 2, models.end());
  CHECK(run_in_child(scenario, models) == first);
}

TEST_CASE("every event type in the golden transcripts is declared by the engine or a model", "[model-order]") {
  std::set<std::string> declared;
  for (const auto& e : core_event_decls())
    declared.insert(e.type);
  for (const auto& m : outagesim::models::all())
    for (const auto& e : m.events)
      CHECK(declared.insert(e.type).second); // declared once
  std::size_t seen = 0;
  for (const auto& dir : std::filesystem::directory_iterator(std::string(OUTAGESIM_SOURCE_DIR) + "/tests/golden")) {
    std::ifstream in(dir.path() / "events.txt");
    std::string id, at, type, rest;
    while (in >> id >> at >> type && std::getline(in, rest)) {
      ++seen;
      INFO(dir.path().filename().string() << ": " << type);
      CHECK(declared.count(type) == 1);
    }
  }
  CHECK(seen > 100);
}

TEST_CASE("a golden run's signals are about the subjects its scenario lists, as compare computes them",
          "[model-order]") {
  // compare checks an observed record against signal_subjects() of each loaded hypothesis, score and
  // report against a run's summary.json: the two must agree, and every signal's subject be listed.
  std::size_t seen = 0;
  for (const auto& dir :
       std::filesystem::directory_iterator(std::string(OUTAGESIM_SOURCE_DIR) + "/tests/golden")) {
    std::ifstream in(dir.path() / "summary.json");
    if (!in) continue;
    const auto summary = nlohmann::json::parse(in);
    INFO(dir.path().filename().string());
    REQUIRE(summary.contains("subjects"));
    const auto subjects = summary["subjects"].get<std::vector<std::string>>();
    for (const auto& [id, by_subject] : summary["signals"].items())
      for (const auto& [subject, value] : by_subject.items()) {
        INFO(id << " " << subject);
        CHECK(std::binary_search(subjects.begin(), subjects.end(), subject));
      }
    Diagnostics d;
    auto s = load_scenario(std::string(OUTAGESIM_SOURCE_DIR) + "/" + summary["file"].get<std::string>(), {},
                           outagesim::models::all(), d);
    REQUIRE(s);
    CHECK(signal_subjects(outagesim::models::all(), *s) == subjects);
    ++seen;
  }
  CHECK(seen >= 12);
}
