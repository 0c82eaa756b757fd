// The declared keys of a scenario file, gathered from the core sections and the models.
#include "sim/run/Model.hpp"

namespace outagesim::sim {

std::vector<std::string> ModelInfo::section_names() const {
  std::vector<std::string> out;
  for (const auto& s : sections)
    out.push_back(s.name);
  return out;
}

std::shared_ptr<const NodeDecl> ModelInfo::params_decl() const {
  std::vector<KeyDecl> keys;
  keys.push_back(key("enabled", ValueType::Bool, "run this model (a model without its sections has no work)")
                     .with_default("true"));
  for (const auto& p : params)
    keys.push_back(param_key(p));
  return std::make_shared<const NodeDecl>(NodeDecl{"models." + name, doc, std::move(keys)});
}

NodeDecl scenario_file_decl(const std::vector<ModelInfo>& models) {
  NodeDecl file{"scenario file", "an outagesim scenario", core_section_keys()};
  KeyDecl m =
      key("models", ValueType::Map, "the models to run and their parameters (all enabled by default)");
  std::vector<KeyDecl> per_model;
  for (const auto& mi : models) {
    KeyDecl k = key(mi.name, ValueType::Map, mi.doc);
    k.node = mi.params_decl();
    per_model.push_back(std::move(k));
  }
  m.keys("models", "the models to run and their parameters", std::move(per_model));
  file.keys.push_back(std::move(m));
  for (const auto& mi : models)
    for (const auto& sec : mi.sections)
      file.keys.push_back(sec);
  return file;
}

} // namespace outagesim::sim
