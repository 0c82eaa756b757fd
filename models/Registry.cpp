#include "models/Registry.hpp"

#include "models/probe/ProbeModel.hpp"

namespace outagesim::models {

const std::vector<sim::ModelInfo>& all() {
  static const std::vector<sim::ModelInfo> list = {probe::probe_model_info()};
  return list;
}

} // namespace outagesim::models
