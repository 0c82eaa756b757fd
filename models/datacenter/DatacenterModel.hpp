#pragma once
// The datacenter model: datacenters with capacity, power that follows load and a restart policy;
// DNS and edge sites whose health checks withdraw and re-announce their anycast prefixes; and the
// users of the services (regions x apps as cohorts), who turn all of it into availability per
// region and service, retry storms at DNS, outage reports and switching to alternatives.
//
// One actor on the world's control host steps everything: health checks at each site's interval,
// users and datacenters every `tick`. It reads the world (links and nodes up), and uses the BGP and
// DNS models' services when they run (looked up at each step, so model order does not matter):
// AnnouncementService to withdraw a site's prefix, RouteService to tell whether a region reaches it,
// NameService for resolution outcomes and to receive the users' query demand. Without them it falls
// back to the topology: a withdrawn site stops serving, and resolvers answer from their caches.
// Users record `availability` only when the scenario has a `users:` section.
#include "sim/run/Model.hpp"

namespace outagesim::datacenter {

/// The model's declaration for models/Registry.cpp.
sim::ModelInfo datacenter_model_info();

} // namespace outagesim::datacenter
