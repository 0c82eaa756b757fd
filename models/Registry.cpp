#include "models/Registry.hpp"

#include "models/datacenter/DatacenterModel.hpp"
#include "models/dns/DnsModel.hpp"
#include "models/operators/OperatorsModel.hpp"
#include "models/probe/ProbeModel.hpp"

namespace outagesim::models {

const std::vector<sim::ModelInfo>& all() {
  static const std::vector<sim::ModelInfo> list = {probe::probe_model_info(), dns::dns_model_info(),
                                                    datacenter::datacenter_model_info(),
                                                    operators::operators_model_info()};
  return list;
}

} // namespace outagesim::models
