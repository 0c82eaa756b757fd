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
  static const std::vector<sim::SignalDecl> list = {
      // the engine's, from availability (sim/metrics/Signals.cpp)
      {"traffic.drop_start", "time"},
      {"service.recovered", "time"},
      {"outage.duration", "duration"},
      {"regions.fraction_down_at_peak", "ratio"},
      {"regions.onset_spread", "duration"},
      {"regions.waves", "number"},
      // bgp
      {"bgp.withdrawal_burst_start", "time"},
      {"bgp.burst_kind", "set"},
      {"bgp.new_origins", "set"},
      {"bgp.prefix_gone", "time"},
      {"bgp.prefix_stays_visible", "bool"},
      {"bgp.valley_paths", "number"},
      {"bgp.reannounce_start", "time"},
      {"bgp.transit_delivered_min", "ratio"},
      // dns
      {"dns.resolution_fail_start", "time"},
      {"dns.failure_answer", "set"},
      {"dns.resolution_recovered", "time"},
      {"resolver.query_multiplier_peak", "number"},
      {"tld.query_multiplier_peak", "number"},
      {"auth.query_multiplier_peak", "number"},
      {"dns.retry_amplification", "number"},
      // users, datacenter
      {"users.reports_total", "number"},
      {"traffic.hijacked_share", "ratio"},
      {"dc.power_dip", "number"},
  };
  return list;
}

int routes(const bgp::RoutesOptions& options, std::ostream& out, std::ostream& err) {
  return bgp::routes_command(options, all(), out, err);
}

} // namespace outagesim::models
