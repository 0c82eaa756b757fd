#include "models/datacenter/FacilitiesConfig.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "sim/scenario/Reader.hpp"

namespace outagesim::datacenter {

using sim::Diagnostics;
using sim::MapReader;
using sim::YamlNode;

std::optional<std::uint32_t> prefix_address(const std::string& prefix) {
  unsigned a, b, c, d, len;
  char tail;
  if (std::sscanf(prefix.c_str(), "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &len, &tail) != 5) return std::nullopt;
  if (a > 255 || b > 255 || c > 255 || d > 255 || len > 32) return std::nullopt;
  return (a << 24) | (b << 16) | (c << 8) | d;
}

namespace {

void read_datacenter(const sim::Scenario& s, const YamlNode& item, Diagnostics& d, FacilitiesConfig& out) {
  MapReader r(&item, "facilities datacenter", d, facilities_section_key().node->child("datacenters"));
  if (!r.is_map()) return;
  DatacenterSpec dc;
  if (auto v = r.string("dc", true)) {
    dc.path = *v;
    const sim::NodeSpec* n = s.find_node(*v);
    if (!n || n->kind != sim::EntityKind::Datacenter)
      d.error(r.get("dc")->mark,
              "facilities datacenter '" + *v + "' names no topology datacenter; expected dc:ID");
  }
  if (auto v = r.number("capacity", true, 0)) dc.capacity_rps = *v;
  if (auto v = r.number("idle_mw", false, 0)) dc.idle_mw = *v;
  if (auto v = r.number("peak_mw", false, 0)) dc.peak_mw = *v;
  if (dc.peak_mw < dc.idle_mw)
    d.error(r.mark(), "facilities datacenter '" + dc.path + "' has peak_mw below idle_mw");
  if (auto v = r.choice("restart", {"all_at_once", "staged_fraction", "staged_region"}))
    dc.policy = *v == "all_at_once"       ? RestartPolicy::AllAtOnce
                : *v == "staged_fraction" ? RestartPolicy::StagedFraction
                                          : RestartPolicy::StagedRegion;
  if (auto v = r.integer("stages", false, 1, 1000)) dc.stages = static_cast<int>(*v);
  if (auto v = r.duration("stage_interval")) dc.stage_interval = std::max(1.0, *v);
  if (auto v = r.duration("warmup")) dc.warmup = std::max(1.0, *v);
  if (auto v = r.duration("cache_decay")) dc.cache_decay = std::max(1.0, *v);
  if (auto v = r.number("cold_cost", false, 1, 1000)) dc.cold_cost = *v;
  if (auto v = r.strings("region_order"))
    for (const auto& [id, m] : *v) {
      const sim::NodeSpec* n = s.find_node("region:" + id);
      if (!n) d.error(m, "region_order names '" + id + "', which is no topology region");
      dc.region_order.push_back(id);
    }
  if (dc.policy == RestartPolicy::StagedRegion && dc.region_order.empty())
    d.error(r.mark(),
            "facilities datacenter '" + dc.path +
                "' restarts staged_region but has no region_order; expected region_order: [ID, ...]");
  r.finish();
  out.datacenters.push_back(dc);
}

// Two sites that announce the same prefix from the same BGP origin site would each withdraw and
// re-announce the other's route on their own health checks: which one decides is then an accident
// of timing. Anycast (one prefix from several origins) gives each site its own origin.
void check_one_announcer(const SiteSpec& st, MapReader& r, const FacilitiesConfig& out, Diagnostics& d) {
  std::string origin = st.origin.empty() ? st.node : st.origin;
  for (const auto& other : out.sites) {
    if (other.id == st.id || (other.origin.empty() ? other.node : other.origin) != origin) continue;
    for (const auto& p : st.prefixes)
      if (std::count(other.prefixes.begin(), other.prefixes.end(), p)) {
        const YamlNode* at = r.get(st.prefixes.size() == 1 && r.get("prefix") ? "prefix" : "prefixes");
        d.error(at ? at->mark : r.mark(),
                "site '" + st.id + "' announces " + p + " from origin '" + origin + "', as site '" + other.id +
                    "' does; expected one site per prefix and origin (for anycast, give each site its own "
                    "'origin', an origin site of the prefix under bgp.prefixes)");
        return;
      }
  }
}

void read_site(const sim::Scenario& s, const YamlNode& item, Diagnostics& d, FacilitiesConfig& out) {
  MapReader r(&item, "facilities site", d, facilities_section_key().node->child("sites"));
  if (!r.is_map()) return;
  SiteSpec st;
  if (auto v = r.string("id", true)) st.id = *v;
  if (auto v = r.string("node", true)) {
    st.node = *v;
    if (!s.find_node(*v))
      d.error(r.get("node")->mark, "site '" + st.id + "' node '" + *v + "' names no topology node");
  }
  if (auto v = r.choice("role", {"dns", "edge"}, true)) st.dns = *v == "dns";
  if (auto v = r.strings("services", true))
    for (const auto& [id, m] : *v) {
      if (!s.has_service(id))
        d.error(m, "site '" + st.id + "' names service '" + id +
                       "'; expected one of: " + sim::join(s.service_ids()));
      st.services.push_back(id);
    }
  if (auto v = r.strings("checks"))
    for (const auto& [p, m] : *v) {
      const sim::NodeSpec* n = s.find_node(p);
      if (!n || n->kind != sim::EntityKind::Datacenter)
        d.error(m,
                "site '" + st.id + "' checks '" + p + "', which is no topology datacenter; expected dc:ID");
      st.checks.push_back(p);
    }
  if (auto v = r.duration("interval")) st.interval = std::max(0.1, *v);
  if (auto v = r.integer("fail_after", false, 1, 1000)) st.fail_after = static_cast<int>(*v);
  if (auto v = r.integer("recover_after", false, 1, 1000)) st.recover_after = static_cast<int>(*v);
  if (auto v = r.boolean("checks_answers")) st.checks_answers = *v;
  if (auto v = r.string("prefix")) {
    st.prefix = *v;
    st.prefixes = {*v};
    if (auto a = prefix_address(*v))
      st.address = *a;
    else
      d.error(r.get("prefix")->mark,
              "site '" + st.id + "' prefix '" + *v + "' is not an IPv4 prefix such as 10.0.0.0/24");
  }
  if (auto v = r.strings("prefixes")) {
    if (!st.prefixes.empty())
      d.error(r.get("prefixes")->mark, "site '" + st.id + "' has both 'prefix' and 'prefixes'; expected one");
    for (const auto& [p, m] : *v) {
      if (!prefix_address(p)) {
        d.error(m, "site '" + st.id + "' prefix '" + p + "' is not an IPv4 prefix such as 10.0.0.0/24");
        continue;
      }
      if (st.prefixes.empty()) {
        st.prefix = p;
        st.address = *prefix_address(p);
      }
      st.prefixes.push_back(p);
    }
  }
  if (auto v = r.string("address")) {
    // An edge site reached over a prefix its health check does not control (a covering route that
    // stays announced): users' route lookups go to this address, nothing is withdrawn.
    if (!st.prefixes.empty())
      d.error(r.get("address")->mark,
              "site '" + st.id + "' has both 'prefix(es)' and 'address'; expected one");
    else if (auto a = v->find('/') == std::string::npos ? prefix_address(*v + "/32") : std::nullopt)
      st.address = *a;
    else
      d.error(r.get("address")->mark,
              "site '" + st.id + "' address '" + *v + "' is not an IPv4 address such as 129.134.0.1");
  }
  if (auto v = r.string("origin")) st.origin = *v;
  if (auto v = r.strings("internal")) {
    st.internal.clear();
    for (const auto& [k, m] : *v) {
      if (auto kind = sim::parse_link_kind(k))
        st.internal.push_back(*kind);
      else
        d.error(m, "site '" + st.id + "' internal link kind '" + k +
                       "' is unknown; expected one of: " + sim::join(sim::link_kind_names()));
    }
  }
  r.finish();
  check_one_announcer(st, r, out, d);
  out.sites.push_back(st);
}

} // namespace

FacilitiesConfig read_facilities(const sim::Scenario& s, Diagnostics& d) {
  FacilitiesConfig c;
  if (const YamlNode* f = s.section("facilities")) {
    MapReader r(f, "facilities", d, *facilities_section_key().node);
    if (r.is_map()) {
      c.present = true;
      if (auto v = r.number("load", false, 0, 1)) c.load = *v;
      r.each("datacenters", [&](const YamlNode& item) { read_datacenter(s, item, d, c); });
      r.each("sites", [&](const YamlNode& item) { read_site(s, item, d, c); });
      r.finish();
    }
  }
  for (const auto& sv : s.services)
    for (const auto& p : sv.served_from)
      if (c.present && std::none_of(c.datacenters.begin(), c.datacenters.end(),
                                    [&](const DatacenterSpec& dc) { return dc.path == p; }))
        d.error(sv.mark, "service '" + sv.id + "' is served from " + p +
                             ", which has no entry under facilities.datacenters (capacity, power)");
  return c;
}

} // namespace outagesim::datacenter
