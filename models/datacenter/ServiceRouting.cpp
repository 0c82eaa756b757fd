#include "models/datacenter/ServiceRouting.hpp"

#include <algorithm>

namespace outagesim::datacenter {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Whether DNS of the service is within the region's reach: any serving DNS site of it it reaches
// (true when the service has no DNS site: nothing to fail).
void route_dns(const RoutingInput& in, const PlaceReach& region, const RoutingService& sv, FlowRoute& rs,
               std::uint64_t& cause, std::vector<std::string>& why) {
  bool has_dns = false;
  rs.dns_reach = true;
  for (const auto& s : in.sites) {
    if (!s.dns || !s.serves(sv.id)) continue;
    if (!has_dns) rs.dns_reach = false;
    has_dns = true;
    const std::size_t i = static_cast<std::size_t>(&s - in.sites.data());
    if (s.serving() && region.reaches_site(i)) rs.dns_reach = true;
    cause = std::max(cause, s.announced ? s.node_change : s.last_change);
    why.push_back(s.id + (s.announced ? " unreachable" : " withdrawn"));
  }
}

// The datacenter of the service nearest to a place, -1 if it reaches none.
int nearest_dc(const RoutingInput& in, const RoutingService& sv, const PlaceReach& from) {
  int best = -1;
  for (std::size_t d = 0; d < in.datacenters.size(); ++d)
    if (contains(sv.served_from, in.datacenters[d].path) && from.reaches_dc(d) &&
        (best < 0 || from.to_dc[d] < from.to_dc[best]))
      best = static_cast<int>(d);
  return best;
}

FlowRoute route_flow(const RoutingInput& in, const RoutingFlow& fl) {
  const PlaceReach& fr = in.regions[fl.region];
  const RoutingService& sv = in.services[fl.service];
  FlowRoute rs;
  std::uint64_t dns_cause = 0;
  std::vector<std::string> dns_why;
  route_dns(in, fr, sv, rs, dns_cause, dns_why);
  // The way in: the nearest serving edge site (anycast), then its nearest datacenter of the service.
  bool has_edge = false;
  std::uint64_t edge_cause = 0;
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    const auto& s = in.sites[i];
    if (s.dns || !s.serves(sv.id)) continue;
    has_edge = true;
    if (!s.announced) edge_cause = std::max(edge_cause, s.last_change);
    if (s.serving() && fr.reaches_site(i) && (rs.site < 0 || fr.to_site[i] < fr.to_site[rs.site]))
      rs.site = static_cast<int>(i);
  }
  if (has_edge) {
    if (rs.site < 0) {
      rs.why = "no edge site of " + sv.id + " announced within reach";
      rs.cause = edge_cause ? edge_cause : fr.cut_cause;
    } else {
      const PlaceReach& from_site = in.sites[rs.site].reach;
      rs.dc = nearest_dc(in, sv, from_site);
      if (rs.dc < 0) {
        rs.why = "edge site " + in.sites[rs.site].id + " reaches no datacenter of " + sv.id;
        if (!from_site.cut.empty()) rs.why += " (cut off by " + list_some(from_site.cut) + ")";
        rs.cause = from_site.cut_cause;
      }
    }
  } else {
    rs.dc = nearest_dc(in, sv, fr);
    if (rs.dc < 0) {
      rs.why = "no path to any datacenter of " + sv.id;
      if (!fr.cut.empty()) rs.why += " (cut off by " + list_some(fr.cut) + ")";
      rs.cause = fr.cut_cause;
    }
  }
  if (!rs.dns_reach) {
    rs.why = "no DNS site of " + sv.id + " within reach (" + list_some(dns_why) + ")" +
             (rs.why.empty() ? "" : "; " + rs.why);
    rs.cause = dns_cause ? dns_cause : rs.cause;
  }
  return rs;
}

} // namespace

bool RoutingSite::serves(const std::string& service) const {
  return contains(services, service);
}

bool has_edge_sites(const std::vector<RoutingSite>& sites) {
  return std::any_of(sites.begin(), sites.end(), [](const RoutingSite& s) { return !s.dns; });
}

std::vector<sim::LinkKind> user_link_kinds(bool edge_sites) {
  if (!edge_sites) return {};
  return {sim::LinkKind::Transit, sim::LinkKind::Peering, sim::LinkKind::Access, sim::LinkKind::Internal};
}

RoutingResult route_services(const RoutingInput& in) {
  RoutingResult out;
  const bool any_edge = has_edge_sites(in.sites);
  // Datacenters are reachable when a serving edge site reaches them (or, with no edge sites, when
  // any region does).
  out.datacenters.assign(in.datacenters.size(), {});
  for (std::size_t d = 0; d < in.datacenters.size(); ++d) {
    if (!in.datacenters[d].up) continue;
    DatacenterRoute& dr = out.datacenters[d];
    if (!any_edge) {
      for (const auto& fr : in.regions)
        if (fr.reaches_dc(d)) dr.reachable = true;
      continue;
    }
    for (const auto& s : in.sites) {
      if (s.dns) continue;
      if (s.serving() && s.reach.reaches_dc(d)) {
        dr.reachable = true;
        // What opened the way: the latest change of a site that reaches it (its re-announcement) or
        // on its path to it (a link back up).
        dr.up_cause = std::max({dr.up_cause, s.last_change, s.reach.dc_opened[d]});
      }
      // Why no request would arrive: the site's withdrawal, or the cut between site and datacenter.
      dr.cause = std::max(dr.cause, s.announced ? s.reach.cut_cause : s.last_change);
    }
  }
  out.flows.reserve(in.flows.size());
  for (const auto& fl : in.flows)
    out.flows.push_back(route_flow(in, fl));
  return out;
}

std::string list_some(const std::vector<std::string>& items, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += " and " + std::to_string(items.size() - max) + " more";
  return out;
}

} // namespace outagesim::datacenter
