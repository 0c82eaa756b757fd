#pragma once
// The DNS model's SimGrid adapter: reads the `dns:` section, builds the engine-free DnsCore, and drives
// it from one daemonized actor on the world's control host, stepping at `tick` (and at every sample
// boundary) on SimGrid's clock. Reachability of an authoritative site from a resolver comes from the
// BGP model's route lookups when one is offered and both ends have an AS and the server an address,
// else from the topology (shortest path over links and nodes that are up). Faults act on DNS sites
// through the engine's own node actions (down, crash) and link actions, and through this model's
// `ddos`/`calm` actions. Emits dns.* events, timeline rows per resolver, name and site, and the DNS
// signals of SIGNALS.md.
#include "sim/run/Model.hpp"

namespace outagesim::dns {

/// The model's declaration (name, parameters, section, actions, factory) for models/Registry.cpp.
sim::ModelInfo dns_model_info();

} // namespace outagesim::dns
