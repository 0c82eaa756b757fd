#pragma once
// The operators model: recovery as actions with durations, dependencies and access paths. Each plan
// in the scenario's `operators:` section is set off by an event (e.g. the first link.down of the
// backbone), then its steps run through the first access path that is up (remote access that needs
// the backbone and DNS, out-of-band access that may share fate with it) or on site after travel and
// physical security. A step's repair acts through the entity directory, like a fault
// (`link:backbone/*` up), with the step as its cause. Recovery time emerges from what is up.
//
//   operators:
//     access:
//       - {id: remote, from: router:noc, reach: [dc:west], via: [backbone], links_up: [link:backbone/*],
//          resolves: [x.com], region: hq}
//     plans:
//       - {id: fix, trigger: {event: link.down, subject: "link:backbone/*"}, detect: 5m, travel: 1h,
//          security: 30m, steps: [{id: repair, duration: 20m, after: [], access: [remote, onsite],
//          site: dc:west, target: "link:backbone/*", action: up}]}
#include "sim/run/Model.hpp"

namespace outagesim::operators {

/// The model's declaration for models/Registry.cpp.
sim::ModelInfo operators_model_info();

} // namespace outagesim::operators
