#pragma once
// How a model plugs into the engine. A model is declared by a ModelInfo (name, doc, parameters and a
// factory) listed in models/Registry.cpp; the engine creates it for a run, calls start() once the
// world and its SimGrid platform exist (the model creates its actors there), and finish() after the
// simulation ends (the model adds its signals to the summary).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/Params.hpp"

namespace outagesim::sim {

class RunContext;
struct Scenario;
class Diagnostics;

/// A model of one layer (probe, bgp, dns, ...), alive for one run.
class Model {
public:
  virtual ~Model() = default;
  /// Creates the model's actors and registers its entities' actions. Called before simulation.
  virtual void start(RunContext& ctx) = 0;
  /// Called after the simulation ends; computes the model's share of the summary.
  virtual void finish(RunContext& ctx) {}
};

/// An action a model adds to the fault timeline for one kind of entity ("prefix", "withdraw").
struct ActionDecl {
  std::string kind; ///< entity path prefix ("link", "dc", "as", ...)
  std::string action;
  std::string doc;
  std::string undo; ///< the action that `until:` plays to end it ("" if it cannot be undone)
  std::vector<std::string> params; ///< keys allowed under the fault's `with:` (e.g. "prefix")
};

/// The declaration of a model: what `outagesim models` prints and the loader validates against.
struct ModelInfo {
  std::string name; ///< key under `models:` in a scenario
  std::string doc;  ///< one or two lines
  std::vector<ParamDecl> params;
  /// Extra top-level scenario sections the model reads itself (validated by `validate_sections`).
  std::vector<std::string> sections;
  /// Checks the model's own sections of a merged scenario; may be empty.
  std::function<void(const Scenario&, Diagnostics&)> validate_sections;
  std::vector<ActionDecl> actions;
  /// Paths of the model's own entities (kinds of its ActionDecls) that match a pattern, known from
  /// the scenario alone: fault targets are checked against them before a run.
  std::function<std::vector<std::string>(const Scenario&, const std::string& pattern)> match_entities;
  std::function<std::unique_ptr<Model>()> create;
};

} // namespace outagesim::sim
