#pragma once
// Whether a resolver reaches one site of an authoritative server now, and if not why: the DNS
// model's service routing, as a plain function of what the adapter (DnsModel) read of the world
// (the site's state, the topology path, BGP's verdict for the server's address, the site's
// withdrawal, what cuts the resolver off). Engine-free: unit-tested without SimGrid
// (tests/unit/dns/test_site_reach.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/dns/DnsCore.hpp"
#include "sim/run/Services.hpp"

namespace outagesim::dns {

struct SiteReachInput {
  std::string site_path;         ///< "dns:ID", the site's node
  bool site_up = true;           ///< the site's node is up
  std::uint64_t site_change = 0; ///< the event that last changed the site's node (why it is down)
  std::optional<double> latency; ///< one way over the scenario's links (s), when a path exists now
  /// BGP's verdict on a query from the resolver's AS to the server's address, when routes come from
  /// BGP and both ends sit in an AS (then it, not the topology, decides); null otherwise.
  const sim::RouteAnswer* route = nullptr;
  std::uint32_t site_asn = 0;             ///< the site's AS (with `route`)
  std::optional<std::uint64_t> withdrawn; ///< the site's withdrawal of its anycast announcement
  /// Without a path and a route: the down elements that cut the resolver off from the site (sorted
  /// entity paths) with the event that took each down. Not read otherwise.
  std::vector<std::pair<std::string, std::uint64_t>> cut;
};

/// The reach of one site: down site, else BGP's verdict (when given), else withdrawn, else the
/// topology path, else no path (cut off by the first element of `cut`).
Reach reach_site(const SiteReachInput& in);

} // namespace outagesim::dns
