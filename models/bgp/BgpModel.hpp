#pragma once
// The `bgp` model: the BGP engine (BgpEngine.hpp) run on SimGrid's clock for a scenario's `bgp:`
// section (BgpConfig.hpp). A scenario without that section leaves the model idle.
//
// Time: the configured prefixes are announced and converged before the scenario starts (engine
// time 0 .. offset, see BgpDriver), so the run begins in the converged state; scenario time t is
// engine time t + offset. One daemon actor on the world's control host owns the engine:
//
//   loop: wait on a condition variable until min(next engine event, end)   <-- notified by inputs
//         run the engine up to now
//
// Inputs (fault actions on prefix:/as:/session: entities, AnnouncementService calls from other
// models) are dated now and wake the actor, so they are ordered with everything else; the same
// scenario and seed give the same run.
//
// Sessions over the world: a scenario link between nodes of two adjacent ASes (as:, router:, dc:
// ... with their `as`) carries their session. When the last such link (or a router at its ends)
// fails, the session drops after the hold time (param hold_time), or at once when what took the
// last one away is a router stopped gracefully (`down`: it closes its sessions); it comes back when
// one is restored. Sessions without such a link are up unless a fault takes them down (session:A-B).
//
// What it offers other models: sim::RouteService (route_lookup, hop by hop on the best routes, with
// the reason when not delivered; offer_traffic and the delivered share when bgp.transit_capacity
// declares capacities, see TransitLoad.hpp) and sim::AnnouncementService (a site withdraws or re-announces its
// own anycast prefix; the site is named by its bgp.prefixes origin `site` (name sites after their
// nodes, `site: dns:ams`, so a health check finds them), by an AS number (every site of that AS),
// or by a node path whose AS has a single site for the prefix). Default: withdrawals are rate-limited by MRAI
// (WRATE, param mrai_on_withdrawals), which gives the measured Tdown of minutes.
//
// What an observer sees (vantages and victims, see VantageRecorder.hpp for the definitions):
//   events     bgp.withdraw / bgp.announce / bgp.hijack / bgp.leak / bgp.session_down / ... for each
//              input (cause: the fault event), and bgp.route_lost / bgp.route_learned /
//              bgp.route_changed for each best-path change at a vantage or victim AS (reason: the
//              trigger, cause: the latest input event that concerns the prefix); other ASes' changes
//              are only counted
//   timeline   per interval and configured prefix (service "prefix:P"): bgp.visibility,
//              bgp.announcements, bgp.withdrawals
//   outputs    bgp_updates.csv (time,prefix,announcements,withdrawals per interval, at the vantages)
//   capacity   with bgp.transit_capacity only: bgp.congested / bgp.congestion_cleared events, timeline
//              bgp.transit_offered_bps and bgp.transit_delivered (service "as:N"), signal
//              bgp.transit_delivered_min (as:N), summary models.bgp.transit_capacity
//   signals    bgp.withdrawal_burst_start, bgp.burst_kind, bgp.valley_paths (as:VICTIM),
//              bgp.new_origins, bgp.prefix_gone, bgp.prefix_stays_visible, bgp.reannounce_start
//              (prefix:P)
//   summary    models.bgp: topology size, warm-up, updates, best-path changes, per-input convergence
#include "sim/run/Model.hpp"

namespace outagesim::bgp {

/// The model's declaration (name, parameters, section, actions, factory) for models/Registry.cpp.
sim::ModelInfo bgp_model_info();

} // namespace outagesim::bgp
