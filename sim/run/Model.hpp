#pragma once
// How a model plugs into the engine. A model is declared by a ModelInfo (name, doc, parameters, the
// services it offers and needs, and its lifecycle functions) listed in models/Registry.cpp. Its
// lifecycle, owned by sim/:
//
//   configure(scenario, diags)  at load: parses the model's sections once into a typed config (the
//                               loader keeps the diagnostics: validation is configuration); the
//                               scenario holds the config for the run
//   create(config)              per run, for an enabled model with a config
//   start(ctx)                  once the world and its SimGrid platform exist, in the order set by
//                               the declared needs and offers (start_order): the model creates its
//                               actors and offers its services there
//   finish(ctx)                 after the simulation: the model adds its signals to the summary
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/Params.hpp"
#include "sim/core/SignalDecl.hpp"
#include "sim/fault/Actions.hpp"
#include "sim/scenario/Keys.hpp"

namespace outagesim::sim {

class RunContext;
struct Scenario;
class Diagnostics;

/// A model's sections parsed once for one scenario: typed inside the model, opaque to sim/, held by
/// the Scenario for the run. A model without sections gets this empty base.
class ModelConfig {
public:
  virtual ~ModelConfig() = default;
};

/// The typed config a model's create() and match_entities receive (the one its configure made).
template <class T> const T& config_as(const ModelConfig& c) {
  return dynamic_cast<const T&>(c);
}

/// A model of one layer (probe, bgp, dns, ...), alive for one run.
class Model {
public:
  virtual ~Model() = default;
  /// Creates the model's actors, registers its entities' actions and offers its services.
  virtual void start(RunContext& ctx) = 0;
  /// Called after the simulation ends; computes the model's share of the summary.
  virtual void finish(RunContext& ctx) {}
};

/// The services models offer each other (sim/run/Services.hpp), by the names ModelInfo uses.
namespace service {
inline const std::string kRoutes = "routes";               ///< RouteService
inline const std::string kAnnouncements = "announcements"; ///< AnnouncementService
inline const std::string kNames = "names";                 ///< NameService
inline const std::string kServing = "serving";             ///< ServingService
} // namespace service

/// The declaration of a model: what `outagesim models` prints and the loader validates against.
struct ModelInfo {
  std::string name; ///< key under `models:` in a scenario
  std::string doc;  ///< one or two lines
  std::vector<ParamDecl> params;
  /// Extra top-level scenario sections the model reads itself (through configure), each declared
  /// with all its keys (sim/scenario/Keys.hpp): its reader accepts those keys only.
  std::vector<KeyDecl> sections;
  /// The names of `sections`.
  std::vector<std::string> section_names() const;
  /// The keys under `models: {NAME: ...}`: enabled and the parameters.
  std::shared_ptr<const NodeDecl> params_decl() const;
  /// Services the model offers in start() (service::k...).
  std::vector<std::string> provides;
  /// Services it cannot work without: a scenario where it has work (a config) and no enabled model
  /// provides one of them is a load error. Their providers start before it.
  std::vector<std::string> needs;
  /// Services it uses when some model offers them (and falls back otherwise): their providers start
  /// before it.
  std::vector<std::string> uses;
  /// Parses the model's sections once (problems go to the diagnostics). nullptr: the model has no
  /// work in this scenario (its sections are absent); it is then neither created nor started. When
  /// empty, every scenario gets an empty ModelConfig.
  std::function<std::shared_ptr<const ModelConfig>(const Scenario&, Diagnostics&)> configure;
  std::vector<ActionDecl> actions;
  std::vector<EventDecl> events; ///< the event types it emits
  std::vector<SignalDecl> signals; ///< the signals it adds to the summary in finish()
  /// Paths of the model's own entities (kinds of its ActionDecls) that match a pattern, known from
  /// its config: fault targets are checked against them before a run.
  std::function<std::vector<std::string>(const ModelConfig&, const std::string& pattern)> match_entities;
  /// The subjects its signals can be about in this scenario, whatever the seed or the faults
  /// ("zone:example.com", "as:32934", "resolver:all"), known from its config: an observed signal about
  /// a subject that no model of the scenario lists is refused (no run could ever compute it), and a
  /// signal the model adds in finish() about another subject is an internal error. Empty: none.
  std::function<std::vector<std::string>(const ModelConfig&)> signal_subjects;
  std::function<std::unique_ptr<Model>(const ModelConfig&)> create;
};

/// Every top-level key of a scenario file: the core sections (scenario, topology, services, faults,
/// include), models (with each model's parameters) and the models' own sections.
NodeDecl scenario_file_decl(const std::vector<ModelInfo>& models);

/// The enabled models that have work (a config in `s`), in the order their start() runs: every
/// provider of a service before the models that need or use it; models no declaration orders run
/// by name, so the order never depends on the order of `models`. Throws std::logic_error on a cycle
/// (checked at load by check_model_needs).
std::vector<const ModelInfo*> start_order(const std::vector<ModelInfo>& models, const Scenario& s);

/// Every subject the signals of a run of `s` can be about, sorted and unique: the engine's own (each
/// service of the scenario) and those of each enabled model with work there (signal_subjects).
std::vector<std::string> signal_subjects(const std::vector<ModelInfo>& models, const Scenario& s);

/// Load-time checks of the declarations against a scenario: a needed service no enabled model
/// provides (an error naming both, at the needing model's section), and needs that form a cycle.
void check_model_needs(const std::vector<ModelInfo>& models, const Scenario& s, Diagnostics& d);

} // namespace outagesim::sim
