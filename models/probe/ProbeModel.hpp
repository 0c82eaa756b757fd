#pragma once
// The probe model: every user region probes every service over the SimGrid platform, the way an
// outside monitor (a RIPE Atlas probe, a synthetic check) would. A probe goes to the nearest
// datacenter serving the service that the region can reach now (routing inside the topology
// converges at once: shortest latency over links and nodes that are up), travels hop by hop over
// the SimGrid links there and back, and fails if no path exists, if a link or node on the way fails
// during the transfer, or if the round trip exceeds the timeout. Regions losing and regaining a
// service are events whose cause is the failure that cut them off.
#include "sim/run/Model.hpp"

namespace outagesim::probe {

/// The model's declaration (name, parameters, factory) for models/Registry.cpp.
sim::ModelInfo probe_model_info();

} // namespace outagesim::probe
