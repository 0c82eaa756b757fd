#pragma once
// The JSON Schema (draft 2020-12) of a scenario file, generated from the key declarations
// (sim/scenario/Keys.hpp) of the core sections and of every model: what `outagesim schema` prints
// and YAML editors use for completion and checking.
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/Model.hpp"

namespace outagesim::sim {

/// The schema of a scenario file. Files may complete each other (include:, --set), so a required
/// key is stated in its description, not enforced; everything else is: types, ranges, choices,
/// duration/time/bandwidth patterns, and no key the declarations do not list.
nlohmann::json scenario_schema(const std::vector<ModelInfo>& models);

/// Prints the keys of a declared node as an indented listing (`outagesim models`).
void print_keys(std::ostream& out, const NodeDecl& node, const std::string& prefix, int indent);
/// One line describing a key: "(duration, s, default 10s, 1..1000, names dc, unique by id)".
std::string key_summary(const KeyDecl& k);

} // namespace outagesim::sim
