#pragma once
// The datacenter model's service routing: which datacenter serves each region's requests for each
// service, through which edge site, whether the region reaches a DNS site of the service, and which
// datacenters any request reaches at all; each "no" with its reason and the event that caused it.
// A plain function of what every place reaches now (the adapter fills PlaceReach from the world's
// one traversal, sim/world/Traversal.hpp) and of the sites' health-check state: engine-free, so it
// is unit-tested without SimGrid (tests/unit/datacenter/test_service_routing.cpp).
//
// The rules: users enter through the nearest announced edge site of a service they reach (anycast),
// over the Internet (user_link_kinds), and that site sends them to its nearest datacenter of the
// service over the company's internal network; with no edge sites at all, a region goes straight to
// its nearest datacenter of the service. A datacenter that no serving edge site reaches gets no
// request. DNS: a region reaches a service's names while it reaches one serving DNS site of it.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/scenario/Scenario.hpp"

namespace outagesim::datacenter {

/// What one place (a site, or a user region) reaches now.
struct PlaceReach {
  static constexpr double unreached = std::numeric_limits<double>::infinity();
  std::vector<double> to_dc;            ///< latency to each datacenter (s); `unreached` if none
  std::vector<double> to_site;          ///< latency to each site (s; regions only)
  std::vector<std::uint64_t> dc_opened; ///< per datacenter, the latest change on the way to it (sites only)
  std::vector<std::string> cut;         ///< down links and nodes at the edge of what it reaches, sorted
  std::uint64_t cut_cause = 0;          ///< the latest event that took one of them down

  bool reaches_dc(std::size_t d) const { return to_dc[d] < unreached; }
  bool reaches_site(std::size_t s) const { return to_site[s] < unreached; }
};

/// A DNS or edge site as routing sees it.
struct RoutingSite {
  std::string id;
  bool dns = false;                  ///< a DNS site; otherwise an edge site (users' way in)
  std::vector<std::string> services; ///< service ids it serves
  bool announced = true;             ///< its health check keeps its prefix announced
  bool up = true;                    ///< its node is up
  std::uint64_t last_change = 0;     ///< its latest withdrawal or re-announcement event
  std::uint64_t node_change = 0;     ///< the latest event that changed its node's state
  PlaceReach reach;                  ///< over its internal link kinds (to_dc, dc_opened, cut)

  bool serving() const { return announced && up; }
  bool serves(const std::string& service) const;
};

struct RoutingDatacenter {
  std::string path; ///< "dc:ID", as services name it in served_from
  bool up = true;
};

struct RoutingService {
  std::string id;
  std::vector<std::string> served_from; ///< datacenter paths
};

/// One region's demand for one service (indices into RoutingInput's regions and services).
struct RoutingFlow {
  std::size_t region = 0;
  std::size_t service = 0;
};

struct RoutingInput {
  std::vector<RoutingSite> sites;
  std::vector<RoutingDatacenter> datacenters;
  std::vector<RoutingService> services;
  std::vector<PlaceReach> regions; ///< what each region reaches over user_link_kinds (to_dc, to_site, cut)
  std::vector<RoutingFlow> flows;
};

/// Whether requests reach a datacenter at all, and why (not).
struct DatacenterRoute {
  bool reachable = false;
  std::uint64_t cause = 0; ///< why none arrives: a site's withdrawal or the cut between site and datacenter
  std::uint64_t up_cause = 0; ///< what opened the way to a reachable one (0: unknown)
};

/// What one flow gets through the network now.
struct FlowRoute {
  bool dns_reach = true;
  int dc = -1;     ///< datacenter serving the region, -1 if none
  int site = -1;   ///< edge site the region enters through (-1: none, or no edge sites)
  std::string why; ///< why dc is -1 or DNS is out of reach
  std::uint64_t cause = 0;
};

struct RoutingResult {
  std::vector<DatacenterRoute> datacenters; ///< per datacenter
  std::vector<FlowRoute> flows;             ///< per flow
};

/// True if any site is an edge site (then users enter only through edge sites).
bool has_edge_sites(const std::vector<RoutingSite>& sites);

/// The link kinds users' requests may cross: with edge sites, the Internet's (transit, peering,
/// access) and the sites' internal links, never the company's backbone; without, every kind (empty).
std::vector<sim::LinkKind> user_link_kinds(bool edge_sites);

/// The service routing of a whole world state.
RoutingResult route_services(const RoutingInput& in);

/// "a, b, c and 2 more": the first `max` items of a list for a one-line reason.
std::string list_some(const std::vector<std::string>& items, std::size_t max = 3);

} // namespace outagesim::datacenter
