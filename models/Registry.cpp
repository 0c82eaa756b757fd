#include "models/Registry.hpp"

#include "models/bgp/BgpModel.hpp"
#include "models/datacenter/DatacenterModel.hpp"
#include "models/dns/DnsModel.hpp"
#include "models/operators/OperatorsModel.hpp"
#include "models/probe/ProbeModel.hpp"
#include "models/users/UsersModel.hpp"

namespace outagesim::models {

const std::vector<sim::ModelInfo>& all() {
  // bgp first: it offers routes and announcements to the models after it. users right after
  // datacenter: they attach to the ServingService it offers in start(), and their samplers and
  // signals follow the datacenters' as they did when both were one model (outputs keep their order).
  static const std::vector<sim::ModelInfo> list = {
      bgp::bgp_model_info(),     probe::probe_model_info(),
      dns::dns_model_info(),     datacenter::datacenter_model_info(),
      users::users_model_info(), operators::operators_model_info()};
  return list;
}

const std::vector<sim::SignalDecl>& signal_catalog() {
  // The engine's signals, then each model's, as they declare them (a model that adds a signal
  // declares it in its ModelInfo and describes it in SIGNALS.md).
  static const std::vector<sim::SignalDecl> list = [] {
    std::vector<sim::SignalDecl> out = sim::core_signal_decls();
    for (const auto& m : all())
      out.insert(out.end(), m.signals.begin(), m.signals.end());
    return out;
  }();
  return list;
}

int routes(const bgp::RoutesOptions& options, std::ostream& out, std::ostream& err) {
  return bgp::routes_command(options, all(), out, err);
}

} // namespace outagesim::models
