#pragma once
// The datacenter model's scenario section, read and validated once (MapReader: unknown keys are
// errors with the valid ones listed):
//
//   facilities:
//     load: 0.6                  # utilisation of each datacenter when no users (section `users:`) drive it
//     datacenters:               # topology datacenters with capacity, power and restart policy
//       - {dc: dc:west, capacity: 2e6, idle_mw: 12, peak_mw: 40, restart: staged_fraction, stages: 4,
//          stage_interval: 10m, warmup: 15m, cache_decay: 1h, cold_cost: 3, region_order: [a, b]}
//     sites:                     # DNS and edge sites (world nodes) with health-checked announcements
//       - {id: dns-west, node: dns:west, role: dns, services: [social], checks: [dc:west, dc:east],
//          interval: 10s, fail_after: 3, recover_after: 3, prefix: 10.0.0.0/24, origin: "64500",
//          (or prefixes: [10.0.0.0/24, 10.0.1.0/24]: a site announcing several anycast prefixes)
//          internal: [backbone, internal]}
//
// The `users:` section (whose load drives the datacenters) belongs to the users model
// (models/users/UsersConfig.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/datacenter/Datacenter.hpp"
#include "sim/scenario/Scenario.hpp"

#include "sim/core/SignalDecl.hpp"
#include "sim/scenario/Keys.hpp"

namespace outagesim::datacenter {

/// A DNS or edge site whose announcement a health check controls.
struct SiteSpec {
  std::string id;
  std::string node;                  ///< world node path where the site sits ("dns:west", "router:pop-1")
  bool dns = false;                  ///< role: answers the services' names (dns) or fronts them (edge)
  std::vector<std::string> services; ///< services it answers for or fronts
  std::vector<std::string> checks;   ///< datacenters it checks (default: every configured one)
  double interval = 10;
  int fail_after = 3;
  int recover_after = 3;
  /// A DNS site's check also asks its servers a question and fails when they answer wrongly (a
  /// misbehaving server: SERVFAIL, REFUSED, nothing, a wrong address); otherwise a site whose servers
  /// run and reach a datacenter passes, whatever they answer.
  bool checks_answers = false;
  std::string prefix;                ///< anycast prefix it announces ("" when no BGP prefix is modelled)
  std::vector<std::string> prefixes; ///< every prefix it announces (`prefix`, or the list `prefixes`)
  std::string origin;                ///< origin site as the BGP model knows it (AS number or node path)
  std::uint32_t address = 0;         ///< first address of the prefix, or `address` (route lookups)
  std::vector<sim::LinkKind> internal = {sim::LinkKind::Backbone, sim::LinkKind::Internal};
};

struct FacilitiesConfig {
  bool present = false;
  double load = 0.6;
  std::vector<DatacenterSpec> datacenters;
  std::vector<SiteSpec> sites;
};

/// Reads and checks the `facilities` section; problems go to `d`.
FacilitiesConfig read_facilities(const sim::Scenario& s, sim::Diagnostics& d);
/// The `facilities:` section and its keys, declared once (FacilitiesKeys.cpp).
const sim::KeyDecl& facilities_section_key();
/// The signals the datacenter model computes (FacilitiesKeys.cpp).
const std::vector<sim::SignalDecl>& datacenter_signal_decls();

/// Parses "a.b.c.d/len" into the first address (host order); nullopt if malformed.
std::optional<std::uint32_t> prefix_address(const std::string& prefix);

} // namespace outagesim::datacenter
