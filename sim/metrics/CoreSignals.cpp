// The engine's own signals, computed from the availability of services in regions
// (sim/metrics/Signals.cpp), declared once (sim/core/SignalDecl.hpp).
#include "sim/core/SignalDecl.hpp"

namespace outagesim::sim {

const std::vector<SignalDecl>& core_signal_decls() {
  using W = SignatureRule::When;
  static const std::vector<SignalDecl> list = {
      signal_decl("traffic.drop_start", "time", "service", "",
                  "first time the service's delivered request rate falls below 90 % of its expected rate"),
      signal_decl("service.recovered", "time", "service", "",
                  "end of the last period in which user-weighted availability is below 90 % (back for good)"),
      signal_decl("outage.duration", "duration", "service", "s",
                  "from traffic.drop_start to service.recovered"),
      signal_decl("regions.fraction_down_at_peak", "ratio", "service", "1",
                  "largest fraction of regions (weighted by active users) below 50 % availability at once"),
      signal_decl("regions.onset_spread", "duration", "service", "s",
                  "time between the first and the last region falling below 50 % availability"),
      // Two or more waves: a fault that comes back (flapping, a staged restart that overloads).
      signal_decl("regions.waves", "number", "service", "1",
                  "separate periods with a region below 50 % availability (closer than 15 min count as one)")
          .signature_when(W::AtLeast, 2, 5),
  };
  return list;
}

} // namespace outagesim::sim
