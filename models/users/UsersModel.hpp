#pragma once
// The users model: the users of the services as cohorts (regions x apps), who turn what the network,
// DNS and datacenters give them into availability per region and service, retry storms at DNS,
// outage reports and switching to alternatives. Reads the `users:` section.
//
// Users and datacenters feed each other every step (demand is load, capacity is availability), so
// this model has no clock of its own: it attaches to the ServingService (offered by the datacenter
// model, which must start before it: see models/Registry.cpp) and is stepped by it, at the datacenter
// model's `tick`, after the datacenters' state machines and before their load is applied (the order
// is written down at ServingService). Within a step it uses the BGP and DNS models' services when they
// run: RouteService to tell whether a region reaches the edge site (and to offer its traffic there),
// NameService for resolution outcomes and to hand over the users' query demand. Without a NameService
// resolvers answer from their caches once no DNS site is reachable. Without a ServingService (no
// datacenter model runs) there is nothing to serve the users and the model does nothing.
#include "sim/run/Model.hpp"

namespace outagesim::users {

/// The model's declaration for models/Registry.cpp.
sim::ModelInfo users_model_info();

} // namespace outagesim::users
