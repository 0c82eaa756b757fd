#pragma once
// The one explicit list of the models outagesim knows (no self-registering statics: linkers drop them
// from static libraries). The command-line program passes this list to the engine.
#include <vector>

#include "sim/run/Model.hpp"

namespace outagesim::models {

/// Every model, in the order they start.
const std::vector<sim::ModelInfo>& all();

} // namespace outagesim::models
