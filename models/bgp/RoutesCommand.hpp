#pragma once
// `outagesim routes`, the `show ip bgp` of the simulator: the converged best AS path of every AS for
// one prefix, one line per AS sorted by ASN, "ASN<TAB>path" (origin last; "ASN<TAB>-" without a
// route; see write_routes()).
//
//   outagesim routes --caida FILE --origin ASN [--prefix P]
//       load the graph, announce P (default 192.0.2.0/24) from ASN, converge, print
//   outagesim routes SCENARIO [--at T] [--prefix P] [--set KEY=VALUE ...] [--seed N]
//       the scenario's bgp: section, converged, then its BGP faults (prefix:, as:, session: actions
//       and their until:) played with the engine alone up to T (+DURATION or UTC; default the
//       start); P defaults to the first configured prefix. Other models' actions (a health check's
//       withdrawal through AnnouncementService, link faults) are not played.
//
// Exit status: 0, or 2 on bad input with every problem as `FILE:LINE:COL: error: ...` on `err`.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/run/Model.hpp"

namespace outagesim::bgp {

/// The options of `outagesim routes` (the CLI fills them; either `caida` or `scenario` is set).
struct RoutesOptions {
  std::string caida;                   ///< --caida FILE
  std::optional<std::uint32_t> origin; ///< --origin ASN (with --caida)
  std::string prefix;                  ///< --prefix P ("" for the default)
  std::string scenario;                ///< SCENARIO
  std::string at;                      ///< --at T ("" for the start)
  std::vector<std::string> sets;       ///< --set KEY=VALUE (scenario form)
  std::optional<std::uint64_t> seed;   ///< --seed N (MRAI jitter; the converged routes do not depend on it)
};

/// Runs `outagesim routes`; returns the exit status.
int routes_command(const RoutesOptions& options, const std::vector<sim::ModelInfo>& models, std::ostream& out,
                   std::ostream& err);

} // namespace outagesim::bgp
