#pragma once
// What a DNS query meets over a BGP route: the data plane's one verdict (sim::RouteAnswer) read for
// one site of an authoritative server. Engine-free, so the agreement with the users' reading of the
// same answer is unit-tested.
#include "models/dns/DnsCore.hpp"
#include "sim/run/Services.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace outagesim::dns {

/// Reach of the site `site_path` (in AS `site_asn`) of a server over the route answer `a`.
/// `topology_latency`: one way over the scenario's links, when a path exists; `withdrawn`: the event
/// of the site's withdrawal of its anycast announcement, when it withdrew.
inline Reach reach_over_route(const sim::RouteAnswer& a, std::uint32_t site_asn, const std::string& site_path,
                              std::optional<double> topology_latency,
                              std::optional<std::uint64_t> withdrawn) {
  Reach out;
  out.attracted_by = a.hijacker;
  const double by_hops = 0.02 + 0.005 * a.as_path.size();
  // An impersonating hijacker answers in every site's place (forged data); a black hole, no route or
  // a loop loses the query.
  if (a.status == sim::RouteAnswer::Status::Impersonated) {
    out.ok = true;
    out.hijacked_by = a.hijacker;
    out.latency = a.latency_s > 0 ? a.latency_s : by_hops;
    out.reason = a.reason;
    out.cause = a.cause;
    return out;
  }
  if (a.status != sim::RouteAnswer::Status::Delivered) {
    out.reason = a.reason.empty() ? "no route" : a.reason;
    out.no_route = a.status == sim::RouteAnswer::Status::NoRoute;
    out.cause = a.cause;
    return out;
  }
  // Delivered into the site's AS (perhaps over a covering route): a withdrawn site takes none of it.
  if (withdrawn) {
    out.reason = "site " + site_path + " withdrew its anycast announcement";
    out.cause = *withdrawn;
    return out;
  }
  // Anycast: the route leads to one origin; this site receives the query only if it is that origin.
  if (a.terminal() != site_asn) {
    out.reason = "routes lead to another site (AS" + std::to_string(a.terminal()) + ")";
    return out;
  }
  out.ok = true;
  out.latency = topology_latency ? *topology_latency : by_hops;
  // Intercepted on the way: the detour through the interceptor, when longer than the direct path.
  if (a.hijacker) out.latency = std::max(out.latency, a.latency_s);
  out.delivered = a.delivered;
  out.loss = a.loss;
  if (a.delivered < 1) out.cause = a.cause;
  return out;
}

} // namespace outagesim::dns
