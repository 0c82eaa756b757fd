#include "models/bgp/BgpConfig.hpp"

#include "models/bgp/Generator.hpp"
#include "models/bgp/TopologyLoader.hpp"
#include "sim/core/Rng.hpp"
#include "sim/scenario/Reader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace outagesim::bgp {

using sim::Diagnostics;
using sim::MapReader;
using sim::YamlNode;

namespace {

constexpr std::int64_t kMaxAsn = 4294967295LL;

std::optional<Asn> read_asn(const YamlNode& n, const std::string& what, Diagnostics& d) {
  auto v = sim::read_integer(n, what, d, 1, kMaxAsn);
  if (!v) return std::nullopt;
  return static_cast<Asn>(*v);
}

std::optional<Asn> map_asn(MapReader& r, const std::string& key, bool required, Diagnostics& d) {
  const YamlNode* n = r.get(key, required);
  if (!n) return std::nullopt;
  return read_asn(*n, r.what() + " '" + key + "'", d);
}

std::optional<Prefix> read_prefix(const YamlNode& n, const std::string& what, Diagnostics& d) {
  auto text = sim::read_string(n, what, d);
  if (!text) return std::nullopt;
  auto p = Prefix::parse(*text);
  if (!p)
    d.error(n.mark, what + " is '" + *text +
                        "'; expected an IPv4 prefix a.b.c.d/len with zero host bits (129.134.30.0/23)");
  return p;
}

bool expect_list(const YamlNode& n, const std::string& what, Diagnostics& d) {
  if (n.kind == YamlNode::Kind::Sequence) return true;
  d.error(n.mark, what + " is " + n.kind_name() + "; expected a list");
  return false;
}

void read_topology(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  c.topology_mark = n.mark;
  MapReader r(&n, "bgp.topology", d, bgp_section_key().node->child("topology"));
  if (!r.is_map()) return;
  const YamlNode* syn = r.get("synthetic");
  const YamlNode* caida = r.get("caida");
  r.finish();
  if (syn && caida) {
    d.error(n.mark, "bgp.topology has both 'synthetic' and 'caida'; expected one of them");
    return;
  }
  if (!syn && !caida) {
    d.error(n.mark, "bgp.topology names no source; expected {synthetic: {ases: N, seed: S}} or {caida: PATH} "
                    "(or no topology: inline links only)");
    return;
  }
  if (syn) {
    MapReader s(syn, "bgp.topology.synthetic", d,
                bgp_section_key().node->child("topology").child("synthetic"));
    if (!s.is_map()) return;
    c.source = BgpConfig::Source::Synthetic;
    if (auto v = s.integer("ases", true, 2, 200000)) c.synthetic_ases = static_cast<std::size_t>(*v);
    if (auto v = s.integer("seed", false, 0, kMaxAsn)) c.synthetic_seed = static_cast<std::uint64_t>(*v);
    s.finish();
    return;
  }
  auto text = sim::read_string(*caida, "bgp.topology 'caida'", d);
  if (!text) return;
  c.source = BgpConfig::Source::Caida;
  c.caida_text = *text;
  c.topology_mark = caida->mark;
  std::filesystem::path p(*text);
  if (p.is_relative() && caida->mark.file) p = std::filesystem::path(*caida->mark.file).parent_path() / p;
  c.caida_path = p.lexically_normal().string();
}

void read_links(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  if (!expect_list(n, "bgp.links", d)) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    MapReader r(n.items[i].get(), "bgp.links[" + std::to_string(i) + "]", d,
                bgp_section_key().node->child("links"));
    if (!r.is_map()) continue;
    InlineLink l;
    l.mark = r.mark();
    auto a = map_asn(r, "a", true, d);
    auto b = map_asn(r, "b", true, d);
    auto rel = r.choice("rel", {"customer", "provider", "peer", "sibling"}, true);
    if (auto delay = r.duration("delay")) l.delay_s = *delay;
    r.finish();
    if (!a || !b || !rel) continue;
    if (*a == *b) {
      d.error(l.mark,
              r.what() + " joins AS" + std::to_string(*a) + " to itself; expected two different ASes");
      continue;
    }
    l.a = *a;
    l.b = *b;
    l.b_is = *rel == "customer"   ? Relationship::Customer
             : *rel == "provider" ? Relationship::Provider
             : *rel == "peer"     ? Relationship::Peer
                                  : Relationship::Sibling;
    c.links.push_back(l);
  }
}

void read_prefixes(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  if (!expect_list(n, "bgp.prefixes", d)) return;
  std::map<Prefix, const YamlNode*> seen;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    std::string what = "bgp.prefixes[" + std::to_string(i) + "]";
    MapReader r(n.items[i].get(), what, d, bgp_section_key().node->child("prefixes"));
    if (!r.is_map()) continue;
    PrefixSpec ps;
    ps.mark = r.mark();
    const YamlNode* pn = r.get("prefix", true);
    std::optional<Prefix> p = pn ? read_prefix(*pn, what + " 'prefix'", d) : std::nullopt;
    const YamlNode* on = r.get("origins", true);
    r.finish();
    if (p) {
      // The same text twice was reported by the reader of the list (declared unique_by "prefix");
      // this catches one prefix written two ways (a map, so a long list stays linear).
      auto [first, fresh] = seen.emplace(*p, pn);
      if (!fresh && first->second->scalar != pn->scalar)
        d.error(pn->mark, what + " repeats prefix " + p->to_string() + " (first at line " +
                              std::to_string(first->second->mark.line) + "); expected each once");
      ps.prefix = *p;
    }
    if (!on || !expect_list(*on, what + " 'origins'", d)) continue;
    if (on->items.empty()) d.error(on->mark, what + " 'origins' is empty; expected at least one origin AS");
    for (std::size_t k = 0; k < on->items.size(); ++k) {
      const YamlNode& o = *on->items[k];
      std::string ow = what + ".origins[" + std::to_string(k) + "]";
      OriginSpec spec;
      spec.mark = o.mark;
      if (o.kind == YamlNode::Kind::Scalar) { // a bare AS number
        auto a = read_asn(o, ow, d);
        if (!a) continue;
        spec.asn = *a;
      } else {
        MapReader orr(&o, ow, d, bgp_section_key().node->child("prefixes").child("origins"));
        if (!orr.is_map()) continue;
        auto a = map_asn(orr, "as", true, d);
        auto site = orr.string("site");
        orr.finish();
        if (!a) continue;
        spec.asn = *a;
        if (site) spec.site = *site;
      }
      if (spec.site.empty()) spec.site = std::to_string(spec.asn);
      unsigned same_as = 0;
      bool dup = false;
      for (const auto& prev : ps.origins) {
        same_as += prev.asn == spec.asn;
        dup = dup || prev.site == spec.site;
      }
      if (dup) {
        d.error(o.mark, ow + " repeats site '" + spec.site +
                            "'; expected distinct site names (give each origin of one AS a 'site')");
        continue;
      }
      if (same_as >= 32) {
        d.error(o.mark,
                ow + ": more than 32 sites of AS" + std::to_string(spec.asn) + "; expected at most 32");
        continue;
      }
      spec.site_index = same_as;
      ps.origins.push_back(spec);
    }
    if (p) c.prefixes.push_back(std::move(ps));
  }
}

std::vector<AsRef> read_as_list(const YamlNode& n, const std::string& what, Diagnostics& d) {
  std::vector<AsRef> out;
  if (!expect_list(n, what, d)) return out;
  for (std::size_t i = 0; i < n.items.size(); ++i)
    if (auto a = read_asn(*n.items[i], what + "[" + std::to_string(i) + "]", d))
      out.push_back({*a, n.items[i]->mark});
  return out;
}

void read_policies(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  if (!expect_list(n, "bgp.policies", d)) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    MapReader r(n.items[i].get(), "bgp.policies[" + std::to_string(i) + "]", d,
                bgp_section_key().node->child("policies"));
    if (!r.is_map()) continue;
    PolicySpec p;
    p.mark = r.mark();
    auto a = map_asn(r, "as", true, d);
    if (const YamlNode* nb = r.get("neighbor")) {
      p.neighbor_mark = nb->mark;
      if (auto v = read_asn(*nb, r.what() + " 'neighbor'", d)) p.neighbor = *v;
    }
    if (auto v = r.integer("local_pref", false, 0, 65535)) p.local_pref = static_cast<std::uint16_t>(*v);
    if (auto v = r.integer("prepend", false, 0, 32)) p.prepend = static_cast<unsigned>(*v);
    if (auto v = r.boolean("export")) p.export_allowed = *v;
    r.finish();
    if (!a) continue;
    p.asn = *a;
    if (!p.local_pref && !p.prepend && !p.export_allowed) {
      d.error(p.mark, r.what() + " changes nothing; expected local_pref, prepend or export");
      continue;
    }
    if (p.local_pref && p.neighbor == 0) {
      d.error(p.mark, r.what() + " sets local_pref without 'neighbor'; expected the neighbour it applies to");
      continue;
    }
    c.policies.push_back(p);
  }
}

void read_capacities(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  if (!expect_list(n, "bgp.transit_capacity", d)) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    MapReader r(n.items[i].get(), "bgp.transit_capacity[" + std::to_string(i) + "]", d,
                bgp_section_key().node->child("transit_capacity"));
    if (!r.is_map()) continue;
    CapacitySpec cs;
    cs.mark = r.mark();
    auto a = map_asn(r, "as", true, d);
    auto bw = r.bandwidth("capacity", true);
    r.finish();
    if (!a || !bw) continue;
    // A repeated AS was reported by the reader of the list (declared unique_by "as").
    if (std::any_of(c.capacities.begin(), c.capacities.end(), [&](const auto& o) { return o.asn == *a; }))
      continue;
    cs.asn = *a;
    cs.bits_per_s = *bw;
    c.capacities.push_back(cs);
  }
}

void read_roas(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  if (!expect_list(n, "bgp.roas", d)) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    MapReader r(n.items[i].get(), "bgp.roas[" + std::to_string(i) + "]", d,
                bgp_section_key().node->child("roas"));
    if (!r.is_map()) continue;
    RoaSpec roa;
    roa.mark = r.mark();
    const YamlNode* pn = r.get("prefix", true);
    auto p = pn ? read_prefix(*pn, r.what() + " 'prefix'", d) : std::nullopt;
    auto a = map_asn(r, "origin", true, d);
    auto ml = r.integer("max_length", false, 0, 32);
    r.finish();
    if (!p || !a) continue;
    roa.prefix = *p;
    roa.origin = *a;
    roa.max_length = ml ? static_cast<unsigned>(*ml) : p->length;
    if (roa.max_length < p->length) {
      d.error(roa.mark, r.what() + " has max_length " + std::to_string(roa.max_length) + " shorter than /" +
                            std::to_string(p->length) + "; expected " + std::to_string(p->length) + "..32");
      continue;
    }
    c.roas.push_back(roa);
  }
}

void read_imports(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  if (!expect_list(n, "bgp.import", d)) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    MapReader r(n.items[i].get(), "bgp.import[" + std::to_string(i) + "]", d,
                bgp_section_key().node->child("import"));
    if (!r.is_map()) continue;
    ImportSpec p;
    p.mark = r.mark();
    const int errors = d.error_count();
    auto a = map_asn(r, "as", true, d);
    if (const YamlNode* nb = r.get("neighbor")) {
      p.neighbor_mark = nb->mark;
      if (auto v = read_asn(*nb, r.what() + " 'neighbor'", d)) p.neighbor = *v;
    }
    if (auto v = r.choice("rov", {"drop_invalid", "accept_all"})) p.rov = *v == "drop_invalid";
    if (auto v = r.boolean("customer_filter")) p.customer_filter = *v;
    if (auto v = r.integer("max_prefix", false, 1, 100000000)) p.max_prefix = static_cast<std::uint32_t>(*v);
    r.finish();
    if (!a || d.error_count() != errors) continue;
    p.asn = *a;
    if (!p.rov && !p.customer_filter && !p.max_prefix) {
      d.error(p.mark, r.what() + " changes nothing; expected rov, customer_filter or max_prefix");
      continue;
    }
    if (p.neighbor && (p.rov || p.customer_filter)) {
      d.error(p.neighbor_mark, r.what() + ": rov and customer_filter apply to every session of the AS; "
                                          "expected 'neighbor' with max_prefix only");
      continue;
    }
    c.imports.push_back(p);
  }
}

void read_rov_adoption(const YamlNode& n, BgpConfig& c, Diagnostics& d) {
  MapReader r(&n, "bgp.rov_adoption", d, bgp_section_key().node->child("rov_adoption"));
  if (!r.is_map()) return;
  RovAdoption& a = c.rov_adoption;
  a.present = true;
  if (auto v = r.number("tier1", false, 0, 1)) a.tier1 = *v;
  if (auto v = r.number("transit", false, 0, 1)) a.transit = *v;
  if (auto v = r.number("stub", false, 0, 1)) a.stub = *v;
  if (auto v = r.integer("seed", false, 0, kMaxAsn)) a.seed = static_cast<std::uint64_t>(*v);
  r.finish();
}

} // namespace

std::vector<Asn> rov_ases(const BgpConfig& c, const AsGraph& g) {
  std::map<Asn, bool> listed;
  for (const auto& p : c.imports)
    if (p.rov) listed[p.asn] = *p.rov;
  std::vector<Asn> out;
  auto rng = sim::rng_stream(c.rov_adoption.seed, "bgp.rov");
  for (AsIndex v = 0; v < g.as_count(); ++v) {
    bool has_provider = false, has_customer = false;
    for (SlotIndex s = g.slot_begin(v); s < g.slot_end(v); ++s) {
      has_provider = has_provider || g.relationship(s) == Relationship::Provider;
      has_customer = has_customer || g.relationship(s) == Relationship::Customer;
    }
    const double share = !has_provider   ? c.rov_adoption.tier1
                         : !has_customer ? c.rov_adoption.stub
                                         : c.rov_adoption.transit;
    // One draw per AS in ASN order whatever the listing, so listing an AS changes no other AS's draw.
    const bool drawn = c.rov_adoption.present && sim::uniform01(rng) < share;
    auto it = listed.find(g.asn(v));
    if (it != listed.end() ? it->second : drawn) out.push_back(g.asn(v));
  }
  return out;
}

const PrefixSpec* BgpConfig::find(const Prefix& p) const {
  for (const auto& ps : prefixes)
    if (ps.prefix == p) return &ps;
  return nullptr;
}

std::vector<Asn> BgpConfig::victim_asns() const {
  std::set<Asn> out;
  for (const auto& v : victims)
    out.insert(v.asn);
  if (victims.empty())
    for (const auto& ps : prefixes)
      for (const auto& o : ps.origins)
        out.insert(o.asn);
  return {out.begin(), out.end()};
}

std::optional<BgpConfig> read_bgp_config(const YamlNode& section, Diagnostics& d) {
  BgpConfig c;
  int before = d.error_count();
  MapReader r(&section, "bgp", d, *bgp_section_key().node);
  if (!r.is_map()) return std::nullopt;
  if (const YamlNode* t = r.get("topology"); t && t->kind != YamlNode::Kind::Null) read_topology(*t, c, d);
  if (const YamlNode* l = r.get("links")) read_links(*l, c, d);
  if (const YamlNode* p = r.get("prefixes")) read_prefixes(*p, c, d);
  if (const YamlNode* v = r.get("vantages")) {
    c.vantages_mark = v->mark;
    if (v->kind == YamlNode::Kind::Map) {
      MapReader vr(v, "bgp.vantages", d, bgp_section_key().node->child("vantages"));
      if (auto n = vr.integer("count", true, 1, 100000)) c.vantage_count = static_cast<std::size_t>(*n);
      if (auto s = vr.integer("seed", false, 0, kMaxAsn)) c.vantage_seed = static_cast<std::uint64_t>(*s);
      vr.finish();
    } else if (v->kind == YamlNode::Kind::Sequence) {
      c.vantages = read_as_list(*v, "bgp.vantages", d);
      if (c.vantages.empty()) d.error(v->mark, "bgp.vantages is empty; expected AS numbers or {count: N}");
    } else {
      d.error(v->mark, std::string("bgp.vantages is ") + v->kind_name() +
                           "; expected a list of AS numbers or {count: N, seed: S}");
    }
  } else {
    c.vantages_mark = r.mark();
  }
  if (const YamlNode* v = r.get("victims")) c.victims = read_as_list(*v, "bgp.victims", d);
  if (const YamlNode* p = r.get("policies")) read_policies(*p, c, d);
  if (const YamlNode* t = r.get("transit_capacity")) read_capacities(*t, c, d);
  if (const YamlNode* t = r.get("roas")) read_roas(*t, c, d);
  if (const YamlNode* t = r.get("import")) read_imports(*t, c, d);
  if (const YamlNode* t = r.get("rov_adoption")) read_rov_adoption(*t, c, d);
  r.finish();
  if (c.source == BgpConfig::Source::Inline && c.links.empty() && d.error_count() == before)
    d.error(r.mark(), "bgp has neither a topology nor links; expected topology: {synthetic: ...} or "
                      "{caida: PATH}, or a list of links");
  if (d.error_count() != before) return std::nullopt;
  return c;
}

const YamlNode* bgp_section(const sim::Scenario& s) {
  return s.section("bgp");
}

std::shared_ptr<const AsGraph> bgp_graph(const BgpConfig& c, Diagnostics& d) {
  AsGraph base;
  try {
    if (c.source == BgpConfig::Source::Synthetic) {
      GeneratorParams gp;
      gp.as_count = c.synthetic_ases;
      gp.seed = c.synthetic_seed;
      base = generate_internet(gp);
    } else if (c.source == BgpConfig::Source::Caida) {
      LoadedTopology t = load_caida(c.caida_path);
      for (const auto& w : t.warnings)
        d.warning(c.topology_mark, "CAIDA topology: " + w);
      base = std::move(t.graph);
    }
  } catch (const TopologyError& e) {
    d.error(c.topology_mark, "cannot load the CAIDA topology '" + c.caida_text + "': " + e.what());
    return nullptr;
  }
  std::shared_ptr<const AsGraph> result;
  if (c.links.empty()) {
    result = std::make_shared<const AsGraph>(std::move(base));
  } else {
    AsGraphBuilder b;
    for (SlotIndex s = 0; s < base.slot_count(); ++s)
      if (base.owner(s) < base.neighbor(s))
        b.add_link(base.asn(base.owner(s)), base.asn(base.neighbor(s)), base.relationship(s), base.delay(s));
    for (AsIndex v = 0; v < base.as_count(); ++v)
      if (base.degree(v) == 0) b.add_as(base.asn(v));
    std::set<std::pair<Asn, Asn>> inline_pairs;
    bool ok = true;
    for (const auto& l : c.links) {
      auto pair = std::minmax(l.a, l.b);
      auto va = base.index_of(l.a), vb = base.index_of(l.b);
      if (va && vb && base.find_slot(*va, *vb)) {
        d.error(l.mark, "link AS" + std::to_string(l.a) + "-AS" + std::to_string(l.b) +
                            " is already in the topology; expected a new adjacency (change it with "
                            "bgp.policies instead)");
        ok = false;
        continue;
      }
      if (!inline_pairs.insert(pair).second) {
        d.error(l.mark, "link AS" + std::to_string(l.a) + "-AS" + std::to_string(l.b) +
                            " is listed twice under bgp.links; expected each adjacency once");
        ok = false;
        continue;
      }
      b.add_link(l.a, l.b, l.b_is, l.delay_s);
    }
    if (!ok) return nullptr;
    result = std::make_shared<const AsGraph>(b.build());
  }
  return result;
}

bool check_bgp_config(const BgpConfig& c, const AsGraph& g, const sim::Scenario* s, Diagnostics& d) {
  int before = d.error_count();
  auto known = [&](Asn a, const sim::Mark& m, const std::string& what) {
    if (g.index_of(a)) return true;
    d.error(m,
            what + " AS" + std::to_string(a) +
                " is not in the BGP topology; expected an AS of the topology or one linked under bgp.links");
    return false;
  };
  for (const auto& ps : c.prefixes)
    for (const auto& o : ps.origins)
      known(o.asn, o.mark, "origin");
  for (const auto& v : c.vantages)
    known(v.asn, v.mark, "vantage");
  for (const auto& v : c.victims)
    known(v.asn, v.mark, "victim");
  for (const auto& cs : c.capacities)
    known(cs.asn, cs.mark, "transit_capacity");
  for (const auto& p : c.imports) {
    if (!known(p.asn, p.mark, "import policy")) continue;
    if (p.neighbor == 0) continue;
    if (!known(p.neighbor, p.neighbor_mark, "import policy neighbour")) continue;
    if (!g.find_slot(*g.index_of(p.asn), *g.index_of(p.neighbor)))
      d.error(p.neighbor_mark, "import policy neighbour AS" + std::to_string(p.neighbor) +
                                   " is not a neighbour of AS" + std::to_string(p.asn) +
                                   "; expected an adjacent AS");
  }
  for (const auto& p : c.policies) {
    if (!known(p.asn, p.mark, "policy")) continue;
    if (p.neighbor == 0) continue;
    if (!known(p.neighbor, p.neighbor_mark, "policy neighbour")) continue;
    if (!g.find_slot(*g.index_of(p.asn), *g.index_of(p.neighbor)))
      d.error(p.neighbor_mark, "policy neighbour AS" + std::to_string(p.neighbor) +
                                   " is not a neighbour of AS" + std::to_string(p.asn) +
                                   "; expected an adjacent AS");
  }
  if (c.vantages.empty() && pick_vantages(c, g).empty())
    d.error(c.vantages_mark,
            "bgp.vantages: no AS with two or more neighbours to pick; expected a list of ASes");
  if (s)
    for (const auto& n : s->nodes)
      if (n.kind == sim::EntityKind::As && n.asn && !g.index_of(*n.asn))
        d.error(
            n.mark,
            "AS" + std::to_string(*n.asn) +
                " (topology.ases) is not in the BGP topology; expected it there or linked under bgp.links");
  return d.error_count() == before;
}

std::vector<Asn> pick_vantages(const BgpConfig& c, const AsGraph& g) {
  if (!c.vantages.empty()) {
    std::set<Asn> out;
    for (const auto& v : c.vantages)
      out.insert(v.asn);
    return {out.begin(), out.end()};
  }
  std::set<Asn> origins;
  for (const auto& ps : c.prefixes)
    for (const auto& o : ps.origins)
      origins.insert(o.asn);
  std::vector<Asn> pool;
  for (AsIndex v = 0; v < g.as_count(); ++v)
    if (g.degree(v) >= 2 && !origins.count(g.asn(v))) pool.push_back(g.asn(v));
  // Partial Fisher-Yates with the platform-independent uniform01.
  auto rng = sim::rng_stream(c.vantage_seed, "bgp.vantages");
  const std::size_t n = std::min(c.vantage_count, pool.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t j = i + static_cast<std::size_t>(sim::uniform01(rng) * double(pool.size() - i));
    std::swap(pool[i], pool[std::min(j, pool.size() - 1)]);
  }
  pool.resize(n);
  std::sort(pool.begin(), pool.end());
  return pool;
}

std::optional<BgpSetup> load_bgp_setup(const sim::Scenario& s, Diagnostics& d) {
  const YamlNode* sec = bgp_section(s);
  if (!sec) return std::nullopt;
  auto c = read_bgp_config(*sec, d);
  if (!c) return std::nullopt;
  auto g = bgp_graph(*c, d);
  if (!g) return std::nullopt;
  if (!check_bgp_config(*c, *g, &s, d)) return std::nullopt;
  return BgpSetup{std::move(*c), std::move(g)};
}

std::optional<std::pair<Asn, Asn>> parse_session_id(const std::string& id) {
  auto dash = id.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= id.size()) return std::nullopt;
  auto num = [](const std::string& t) -> std::optional<Asn> {
    if (t.empty() || t.size() > 10) return std::nullopt;
    std::uint64_t v = 0;
    for (char ch : t) {
      if (ch < '0' || ch > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    if (v == 0 || v > 4294967295ull) return std::nullopt;
    return static_cast<Asn>(v);
  };
  auto a = num(id.substr(0, dash)), b = num(id.substr(dash + 1));
  if (!a || !b) return std::nullopt;
  return std::make_pair(*a, *b);
}

std::string session_path(Asn a, Asn b) {
  if (a > b) std::swap(a, b);
  return "session:" + std::to_string(a) + "-" + std::to_string(b);
}

} // namespace outagesim::bgp
