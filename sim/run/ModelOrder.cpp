// The start order of the models, from the services they declare (ModelInfo::provides, needs, uses).
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "sim/run/Model.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim {

namespace {

bool enabled(const Scenario& s, const ModelInfo& m) {
  auto it = s.enabled.find(m.name);
  return it == s.enabled.end() || it->second;
}

// The models a model waits for: every enabled model that provides a service it needs or uses.
std::set<std::string> waits_for(const ModelInfo& m, const std::vector<const ModelInfo*>& pool) {
  std::set<std::string> out;
  for (const auto* p : pool) {
    if (p == &m) continue;
    for (const auto& svc : p->provides)
      if (std::count(m.needs.begin(), m.needs.end(), svc) || std::count(m.uses.begin(), m.uses.end(), svc))
        out.insert(p->name);
  }
  return out;
}

// Kahn's algorithm over `pool`, the ready model with the smallest name first. Returns the order and,
// when some models wait on each other, those left over.
std::vector<const ModelInfo*> order(std::vector<const ModelInfo*> pool, std::vector<const ModelInfo*>& left) {
  std::sort(pool.begin(), pool.end(), [](const ModelInfo* a, const ModelInfo* b) { return a->name < b->name; });
  std::map<std::string, std::set<std::string>> waits;
  for (const auto* m : pool)
    waits[m->name] = waits_for(*m, pool);
  std::vector<const ModelInfo*> out;
  std::set<std::string> started;
  while (out.size() < pool.size()) {
    const ModelInfo* next = nullptr;
    for (const auto* m : pool)
      if (!started.count(m->name) &&
          std::all_of(waits[m->name].begin(), waits[m->name].end(),
                      [&](const std::string& w) { return started.count(w) > 0; })) {
        next = m;
        break;
      }
    if (!next) break;
    started.insert(next->name);
    out.push_back(next);
  }
  for (const auto* m : pool)
    if (!started.count(m->name)) left.push_back(m);
  return out;
}

} // namespace

std::vector<const ModelInfo*> start_order(const std::vector<ModelInfo>& models, const Scenario& s) {
  std::vector<const ModelInfo*> pool;
  for (const auto& m : models)
    if (enabled(s, m) && s.config(m.name)) pool.push_back(&m);
  std::vector<const ModelInfo*> left;
  auto out = order(pool, left);
  if (!left.empty()) throw std::logic_error("models wait for each other's services: " + left.front()->name);
  return out;
}

std::vector<std::string> signal_subjects(const std::vector<ModelInfo>& models, const Scenario& s) {
  std::set<std::string> out;
  for (const auto& sv : s.services)
    out.insert("service:" + sv.id); // the engine's signals from availability, per service
  for (const auto* m : start_order(models, s))
    if (m->signal_subjects)
      for (auto& subject : m->signal_subjects(*s.config(m->name)))
        out.insert(std::move(subject));
  return {out.begin(), out.end()};
}

void check_model_needs(const std::vector<ModelInfo>& models, const Scenario& s, Diagnostics& d) {
  // Where to point: the needing model's first section in the file, else the file itself.
  auto mark_of = [&](const ModelInfo& m) {
    for (const auto& sec : m.sections)
      if (const YamlNode* n = s.section(sec.name)) return n->mark;
    Mark file;
    file.file = std::make_shared<const std::string>(s.file);
    return file;
  };
  std::vector<const ModelInfo*> pool;
  for (const auto& m : models)
    if (enabled(s, m) && s.config(m.name)) pool.push_back(&m);
  for (const auto* m : pool)
    for (const auto& svc : m->needs) {
      bool offered = std::any_of(pool.begin(), pool.end(), [&](const ModelInfo* p) {
        return std::count(p->provides.begin(), p->provides.end(), svc) > 0;
      });
      if (offered) continue;
      // Say why each model that could offer it does not: disabled, or idle (its sections absent).
      std::vector<std::string> why, fix;
      for (const auto& p : models) {
        if (!std::count(p.provides.begin(), p.provides.end(), svc)) continue;
        if (!enabled(s, p)) {
          why.push_back("the " + p.name + " model offers it and is disabled");
          fix.push_back("enable " + p.name);
        } else {
          why.push_back("the " + p.name + " model offers it with a " + join(p.section_names(), " or ") +
                        " section, absent here");
          fix.push_back("add that section");
        }
      }
      std::string msg = "the " + m->name + " model needs the '" + svc + "' service, which no model here offers";
      if (!why.empty()) msg += " (" + join(why, "; ") + ")";
      fix.push_back("disable " + m->name + " (models: {" + m->name + ": {enabled: false}})");
      msg += "; expected: " + join(fix, ", or ");
      d.error(mark_of(*m), msg);
    }
  std::vector<const ModelInfo*> all, left;
  for (const auto& m : models)
    all.push_back(&m);
  order(all, left);
  if (!left.empty()) {
    std::vector<std::string> names;
    for (const auto* m : left)
      names.push_back(m->name);
    Mark file;
    file.file = std::make_shared<const std::string>(s.file);
    d.error(file, "models " + join(names) + " wait for each other's services in a cycle (provides/needs/uses); "
                  "expected declarations that can be ordered");
  }
}

} // namespace outagesim::sim
