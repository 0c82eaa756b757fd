#include "models/users/UsersConfig.hpp"

#include <algorithm>
#include <cmath>

#include "sim/scenario/Reader.hpp"

namespace outagesim::users {

using sim::Diagnostics;
using sim::MapReader;
using sim::YamlNode;

namespace {

void read_app(const sim::Scenario& s, const YamlNode& item, Diagnostics& d, UsersSpec& out) {
  MapReader r(&item, "users app", d, users_section_key().node->child("apps"));
  if (!r.is_map()) return;
  AppSpec a;
  if (auto v = r.string("service", true)) {
    a.service = *v;
    if (!s.has_service(*v))
      d.error(r.get("service")->mark,
              "users app names service '" + *v + "'; expected one of: " + sim::join(s.service_ids()));
  }
  a.name = a.service;
  if (auto v = r.string("name")) a.name = *v;
  if (auto v = r.number("adoption", false, 0, 1)) a.adoption = *v;
  if (auto v = r.number("peak_active", false, 0, 1)) a.peak_active = *v;
  if (auto v = r.number("requests_per_hour", false, 0)) a.requests_per_s = *v / 3600;
  if (auto v = r.integer("retries", false, 0, 100)) a.retries = static_cast<int>(*v);
  if (auto v = r.duration("backoff")) a.backoff = *v;
  if (auto v = r.duration("give_up")) a.give_up = std::max(1.0, *v);
  if (auto v = r.duration("dns_ttl")) a.dns_ttl = std::max(1.0, *v);
  if (auto v = r.duration("session")) a.session = std::max(1.0, *v);
  if (auto v = r.number("report_share", false, 0, 1)) a.report_share = *v;
  if (auto v = r.duration("report_delay")) a.report_delay = std::max(1.0, *v);
  if (auto v = r.number("switch_share", false, 0, 1)) a.switch_share = *v;
  if (auto v = r.duration("switch_delay")) a.switch_delay = std::max(1.0, *v);
  if (auto v = r.duration("return_delay")) a.return_delay = std::max(1.0, *v);
  if (auto v = r.number("bytes_per_request", false, 0)) a.bytes_per_request = *v;
  r.finish();
  out.apps.push_back(a);
}

void read_users(const sim::Scenario& s, const YamlNode& n, Diagnostics& d, UsersSpec& u) {
  MapReader r(&n, "users", d, *users_section_key().node);
  if (!r.is_map()) return;
  u.present = true;
  u.mark = n.mark;
  if (auto v = r.strings("regions")) {
    for (const auto& [id, m] : *v) {
      const sim::NodeSpec* node = s.find_node("region:" + id);
      if (!node) d.error(m, "users region '" + id + "' is no topology region (topology.regions)");
      u.regions.push_back(id);
    }
  } else {
    for (const auto& node : s.nodes)
      if (node.kind == sim::EntityKind::Region) u.regions.push_back(node.id);
  }
  if (const YamlNode* c = r.get("diurnal")) {
    if (c->kind != YamlNode::Kind::Sequence || c->items.size() != 24) {
      d.error(c->mark, "users 'diurnal' must be a list of 24 shares (one per local hour, 0..1)");
    } else {
      std::array<double, 24> h{};
      for (std::size_t i = 0; i < 24; ++i)
        if (auto v = sim::read_number(*c->items[i], "users 'diurnal' value", d, 0, 1)) h[i] = *v;
      u.diurnal = h;
    }
  }
  if (r.get("resolvers")) {
    u.resolvers.clear();
    r.each("resolvers", [&](const YamlNode& item) {
      MapReader rr(&item, "users resolver", d, users_section_key().node->child("resolvers"));
      if (!rr.is_map()) return;
      ResolverShare rs;
      if (auto v = rr.choice("kind", {"isp", "public"}, true)) rs.kind = *v;
      if (auto v = rr.number("share", true, 0, 1)) rs.share = *v;
      if (auto v = rr.boolean("serve_stale")) rs.serve_stale = *v;
      rr.finish();
      u.resolvers.push_back(rs);
    });
    double total = 0;
    for (const auto& rs : u.resolvers)
      total += rs.share;
    if (!u.resolvers.empty() && std::abs(total - 1) > 1e-6)
      d.error(r.get("resolvers")->mark,
              "users resolver shares add up to " + std::to_string(total) + "; expected 1");
  }
  r.each("apps", [&](const YamlNode& item) { read_app(s, item, d, u); });
  if (u.apps.empty()) d.error(n.mark, "users has no apps; expected apps: [{service: ID, ...}]");
  r.finish();
}

} // namespace

UsersSpec read_users(const sim::Scenario& s, Diagnostics& d) {
  UsersSpec u;
  const YamlNode* n = s.section("users");
  if (!n) return u;
  read_users(s, *n, d, u);
  // Users are served (and stepped) by the model that offers the serving service (ModelInfo::needs):
  // without one the loader refuses the scenario, naming the model and why it does not offer it.
  auto probe = s.enabled.find("probe");
  auto self = s.enabled.find("users");
  bool on = self == s.enabled.end() || self->second;
  if (on && probe != s.enabled.end() && probe->second && !u.regions.empty())
    d.error(n->mark, "both the users model and the probe model would record availability for regions " +
                         sim::join(u.regions) +
                         "; disable one (models: {probe: {enabled: false}} or {users: {enabled: false}}) or "
                         "remove this users section");
  return u;
}

} // namespace outagesim::users
