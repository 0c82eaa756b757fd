#include "models/dns/DnsConfig.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "sim/scenario/Reader.hpp"

namespace outagesim::dns {

using sim::Diagnostics;
using sim::MapReader;
using sim::YamlNode;

std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
  unsigned a, b, c, e;
  char tail;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &e, &tail) != 4) return std::nullopt;
  if (a > 255 || b > 255 || c > 255 || e > 255) return std::nullopt;
  return (a << 24) | (b << 16) | (c << 8) | e;
}

namespace {

bool in_zone(const std::string& name, const std::string& zone) {
  if (name == zone) return true;
  return name.size() > zone.size() && name.compare(name.size() - zone.size(), zone.size(), zone) == 0 &&
         name[name.size() - zone.size() - 1] == '.';
}

bool valid_dns_name(const std::string& n) {
  if (n.empty() || n.front() == '.' || n.back() == '.' || n.size() > 253) return false;
  for (char ch : n)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_')) return false;
  return n.find("..") == std::string::npos;
}

struct SectionReader {
  const sim::Scenario& s;
  Diagnostics& d;
  DnsConfig c;
  std::set<std::string> nodes;

  const YamlNode* sequence(MapReader& r, const std::string& key) {
    const YamlNode* n = r.get(key);
    if (!n || n->kind == YamlNode::Kind::Null) return nullptr;
    if (n->kind != YamlNode::Kind::Sequence) {
      d.error(n->mark, r.what() + " '" + key + "' is " + n->kind_name() + "; expected a list");
      return nullptr;
    }
    return n;
  }

  bool node_ref(const std::string& path, const sim::Mark& m, const std::string& kind,
                const std::string& what) {
    if (path.rfind(kind + ":", 0) != 0) {
      d.error(m, what + " '" + path + "' is not a " + kind + " path; expected " + kind + ":ID");
      return false;
    }
    if (!nodes.count(path)) {
      d.error(m, what + " '" + path + "' names no declared node; expected one of the topology's " + kind +
                     " nodes");
      return false;
    }
    return true;
  }

  void read_server(const YamlNode& item) {
    MapReader r(&item, "dns server", d, dns_section_key().node->child("servers"));
    if (!r.is_map()) return;
    ServerSpec sv;
    if (auto v = r.string("id", true)) sv.id = *v;
    if (auto list = r.strings("sites", true))
      for (auto& [p, m] : *list)
        if (node_ref(p, m, "dns", "dns server site")) sv.sites.push_back(p);
    if (const YamlNode* a = r.get("address")) {
      auto text = sim::read_string(*a, "dns server 'address'", d);
      if (text) {
        sv.address = parse_ipv4(*text);
        if (!sv.address)
          d.error(a->mark, "dns server 'address' is '" + *text + "'; expected IPv4 like 192.0.2.1");
      }
    }
    if (auto v = r.number("capacity", false, 1, 1e12)) sv.capacity = *v;
    r.finish();
    if (sv.id.empty()) return;
    c.servers.push_back(sv);
  }

  void read_zone(const YamlNode& item) {
    MapReader r(&item, "dns zone", d, dns_section_key().node->child("zones"));
    if (!r.is_map()) return;
    ZoneSpec z;
    if (auto v = r.string("name", true)) {
      if (valid_dns_name(*v))
        z.name = *v;
      else
        d.error(r.get("name")->mark,
                "dns zone name '" + *v + "' is not a domain name; expected e.g. example.com");
    }
    if (auto list = r.strings("servers", true))
      for (auto& [id, m] : *list) {
        const std::string& wanted = id; // a structured binding cannot be captured in C++17 (clang)
        bool found = std::any_of(c.servers.begin(), c.servers.end(),
                                 [&](const ServerSpec& s) { return s.id == wanted; });
        if (!found) {
          std::vector<std::string> ids;
          for (const auto& sv : c.servers)
            ids.push_back(sv.id);
          d.error(m,
                  "dns zone server '" + id + "' is not a dns server id; expected one of: " + sim::join(ids));
        } else {
          z.servers.push_back(id);
        }
      }
    if (auto v = r.duration("ns_ttl")) z.ns_ttl = std::max(1.0, *v);
    if (auto v = r.duration("negative_ttl")) z.negative_ttl = std::max(1.0, *v);
    if (const YamlNode* seq = sequence(r, "records"))
      for (const auto& ri : seq->items)
        read_record(*ri, z);
    r.finish();
    if (z.name.empty()) return;
    c.zones.push_back(z);
  }

  void read_record(const YamlNode& item, ZoneSpec& z) {
    MapReader r(&item, "dns record", d, dns_section_key().node->child("zones").child("records"));
    if (!r.is_map()) return;
    RecordSpec rec;
    bool ok = true;
    if (auto v = r.string("name", true)) {
      rec.name = *v;
      if (!z.name.empty() && !in_zone(*v, z.name)) {
        d.error(r.get("name")->mark, "dns record '" + *v + "' is not inside zone '" + z.name +
                                         "'; expected a name ending in ." + z.name);
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto v = r.choice("type", {"A", "CNAME"}, true))
      rec.type = *v == "A" ? RecordSpec::Type::A : RecordSpec::Type::Cname;
    if (auto v = r.duration("ttl", true)) rec.ttl = *v;
    const YamlNode* target = r.get("target");
    if (target) {
      if (auto v = sim::read_string(*target, "dns record 'target'", d)) rec.target = *v;
    }
    r.finish();
    if (rec.type == RecordSpec::Type::Cname && rec.target.empty()) {
      d.error(item.mark, "dns CNAME record '" + rec.name + "' has no 'target'; expected the canonical name");
      ok = false;
    }
    if (rec.type == RecordSpec::Type::A && target) {
      d.error(target->mark,
              "dns A record '" + rec.name + "' has a 'target'; expected it only on CNAME records");
      ok = false;
    }
    if (ok) z.records.push_back(rec);
  }

  void read_resolver(const YamlNode& item) {
    MapReader r(&item, "dns resolver", d, dns_section_key().node->child("resolvers"));
    if (!r.is_map()) return;
    ResolverSpec rs;
    if (const YamlNode* n = r.get("node", true))
      if (auto v = sim::read_string(*n, "dns resolver 'node'", d))
        if (node_ref(*v, n->mark, "resolver", "dns resolver node")) rs.node = *v;
    if (auto v = r.choice("group", {"isp", "public"})) rs.group = *v;
    if (auto v = r.number("capacity", false, 1, 1e12)) rs.capacity = *v;
    if (auto v = r.boolean("serve_stale")) rs.serve_stale = *v;
    if (auto v = r.duration("servfail_ttl")) rs.servfail_ttl = *v;
    if (auto v = r.boolean("refetch_delegation")) rs.refetch_delegation = *v;
    if (auto v = r.integer("instances", false, 1, 100000)) rs.instances = static_cast<int>(*v);
    r.finish();
    if (rs.node.empty()) return;
    c.resolvers.push_back(rs);
  }

  void read_client(const YamlNode& item) {
    MapReader r(&item, "dns client", d, dns_section_key().node->child("clients"));
    if (!r.is_map()) return;
    ClientSpec cl;
    if (const YamlNode* n = r.get("region", true))
      if (auto v = sim::read_string(*n, "dns client 'region'", d))
        if (node_ref(*v, n->mark, "region", "dns client region")) cl.region = *v;
    double total = 0;
    const YamlNode* via = sequence(r, "via");
    if (!via) d.error(r.mark(), "dns client has no 'via' list; expected [{resolver: resolver:ID, share: 1}]");
    if (via)
      for (const auto& vi : via->items) {
        MapReader vr(vi.get(), "dns client 'via' item", d,
                     dns_section_key().node->child("clients").child("via"));
        if (!vr.is_map()) continue;
        std::string res;
        if (const YamlNode* n = vr.get("resolver", true))
          if (auto v = sim::read_string(*n, "dns client resolver", d)) {
            bool known = std::any_of(c.resolvers.begin(), c.resolvers.end(),
                                     [&](const ResolverSpec& x) { return x.node == *v; });
            if (!known)
              d.error(n->mark, "dns client resolver '" + *v +
                                   "' is not in dns.resolvers; expected a resolver declared there");
            else
              res = *v;
          }
        double share = 1;
        if (auto v = vr.number("share", false, 0, 1)) share = *v;
        vr.finish();
        if (!res.empty()) {
          cl.via.push_back({res, share});
          total += share;
        }
      }
    r.finish();
    if (!cl.via.empty() && (total < 0.999 || total > 1.001))
      d.error(item.mark, "dns client shares add up to " + std::to_string(total) + "; expected 1");
    if (!cl.region.empty()) c.clients.push_back(cl);
  }

  void read_demand(const YamlNode& item) {
    MapReader r(&item, "dns name", d, dns_section_key().node->child("names"));
    if (!r.is_map()) return;
    DemandSpec dm;
    if (auto v = r.string("name", true)) dm.name = *v;
    if (auto v = r.number("rate", true, 0, 1e6)) dm.rate = *v;
    r.finish();
    if (dm.name.empty()) return;
    bool covered = std::any_of(c.zones.begin(), c.zones.end(),
                               [&](const ZoneSpec& z) { return in_zone(dm.name, z.name); });
    if (!covered) {
      d.error(item.mark,
              "dns name '" + dm.name + "' lies in no configured zone; expected a name under dns.zones");
      return;
    }
    c.names.push_back(dm);
  }

  void run(const YamlNode* n) {
    for (const auto& node : s.nodes)
      nodes.insert(node.path());
    MapReader r(n, "dns", d, *dns_section_key().node);
    if (!r.is_map()) return;
    if (const YamlNode* seq = sequence(r, "servers"))
      for (const auto& i : seq->items)
        read_server(*i);
    if (const YamlNode* seq = sequence(r, "zones"))
      for (const auto& i : seq->items)
        read_zone(*i);
    if (const YamlNode* seq = sequence(r, "resolvers"))
      for (const auto& i : seq->items)
        read_resolver(*i);
    if (const YamlNode* seq = sequence(r, "clients"))
      for (const auto& i : seq->items)
        read_client(*i);
    if (const YamlNode* seq = sequence(r, "names"))
      for (const auto& i : seq->items)
        read_demand(*i);
    r.finish();
    // CNAME targets must lie in a configured zone.
    for (const auto& z : c.zones)
      for (const auto& rec : z.records)
        if (rec.type == RecordSpec::Type::Cname &&
            !std::any_of(c.zones.begin(), c.zones.end(),
                         [&](const ZoneSpec& o) { return in_zone(rec.target, o.name); }))
          d.error(r.mark(), "dns CNAME '" + rec.name + "' points to '" + rec.target +
                                "', which lies in no configured zone; expected a target under dns.zones");
    for (const auto& z : c.zones)
      if (z.servers.empty())
        d.error(r.mark(), "dns zone '" + z.name + "' has no servers; expected at least one");
  }
};

} // namespace

DnsConfig read_dns_section(const sim::Scenario& s, Diagnostics& d) {
  const YamlNode* n = s.section("dns");
  if (!n) return {};
  SectionReader r{s, d, {}, {}};
  r.run(n);
  return r.c;
}

} // namespace outagesim::dns
