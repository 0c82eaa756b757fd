#pragma once
// The datacenter model: datacenters with capacity, power that follows load and a restart policy;
// DNS and edge sites whose health checks withdraw and re-announce their anycast prefixes. It offers
// the ServingService (sim/run/Services.hpp) through which the users model (models/users/) learns
// which datacenter serves each region and service and what share it takes, and offers its load.
//
// One actor on the world's control host steps everything: health checks at each site's interval,
// datacenters and the attached users every `tick` (the users have no clock of their own: the order
// within a tick is written down at ServingService). It reads the world (links and nodes up), and
// uses the BGP model's AnnouncementService to withdraw a site's prefix when it runs (else a withdrawn
// site just stops serving). Without users, each datacenter carries `facilities.load`.
#include "sim/run/Model.hpp"

namespace outagesim::datacenter {

/// The model's declaration for models/Registry.cpp.
sim::ModelInfo datacenter_model_info();

} // namespace outagesim::datacenter
