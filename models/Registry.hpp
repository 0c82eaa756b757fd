#pragma once
// The one explicit list of the models outagesim knows (no self-registering statics: linkers drop them
// from static libraries). The command-line program passes this list to the engine.
#include <ostream>
#include <vector>

#include "models/bgp/RoutesCommand.hpp"

#include "sim/compare/Observed.hpp"
#include "sim/run/Model.hpp"

namespace outagesim::models {

/// Every model, in the order they start.
const std::vector<sim::ModelInfo>& all();

/// Every signal a run can compute (../shared/design/SIGNALS.md): the engine's (core_signal_decls)
/// and each model's (ModelInfo::signals). Observed records and summaries are checked against it,
/// and scoring reads the signature rules from it.
const std::vector<sim::SignalDecl>& signal_catalog();

/// `outagesim routes`: the converged best path of every AS (the BGP model's command).
int routes(const bgp::RoutesOptions& options, std::ostream& out, std::ostream& err);

} // namespace outagesim::models
