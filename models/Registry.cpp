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

int routes(const bgp::RoutesOptions& options, std::ostream& out, std::ostream& err) {
  return bgp::routes_command(options, all(), out, err);
}

} // namespace outagesim::models
