#pragma once
// Reads a scenario file: parses YAML, follows `include:` (a base scenario the file overrides), applies
// `--set KEY=VALUE` overrides, then validates everything into a Scenario, reporting every problem with
// its file, line and column.
//
// Merge rules of `include:` and overrides: mappings merge key by key; sequences whose items are
// mappings with an `id` (or `asn`) merge item by item (an item with `remove: true` deletes the base
// item of that id); any other value replaces the base value.
#include <optional>
#include <string>
#include <vector>

#include "sim/run/Model.hpp"
#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim {

struct LoadOptions {
  std::vector<std::string> sets; ///< "KEY=VALUE", KEY a dotted path ("models.probe.interval")
  /// Budgets, checked before a run (`--max-rows`, `--max-actions`): a scenario whose estimate is
  /// larger is refused with the estimate and the option that raises it.
  double max_rows = 50e6;    ///< timeline rows: regions x services x samples (about 2.5 GB of CSV)
  double max_actions = 20e6; ///< entity actions of the timeline: entries x matched entities
};

/// Loads and validates; returns nullopt if any error was reported to `diags`.
std::optional<Scenario> load_scenario(const std::string& path, const LoadOptions& options,
                                      const std::vector<ModelInfo>& models, Diagnostics& diags);

/// Same from text (tests); `name` stands for the file name and includes resolve from the cwd.
std::optional<Scenario> load_scenario_text(const std::string& text, const std::string& name,
                                           const LoadOptions& options, const std::vector<ModelInfo>& models,
                                           Diagnostics& diags);

/// Actions the engine itself supports on an entity kind (before models add theirs).
std::vector<std::string> core_actions(EntityKind kind);

/// The action that ends `action` on entities of `kind` when a fault has `until:` ("" if none).
std::string undo_action(const std::string& kind, const std::string& action,
                        const std::vector<ModelInfo>& models);

} // namespace outagesim::sim
