#include "sim/scenario/Loader.hpp"

#include <cmath>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "sim/scenario/Reader.hpp"
#include "sim/world/Path.hpp"

namespace outagesim::sim {

const char* entity_kind_prefix(EntityKind k) {
  switch (k) {
  case EntityKind::As:
    return "as";
  case EntityKind::Router:
    return "router";
  case EntityKind::Datacenter:
    return "dc";
  case EntityKind::DnsServer:
    return "dns";
  case EntityKind::Resolver:
    return "resolver";
  case EntityKind::Region:
    return "region";
  case EntityKind::Link:
    return "link";
  case EntityKind::Service:
    return "service";
  }
  return "?";
}

const char* link_kind_name(LinkKind k) {
  switch (k) {
  case LinkKind::Backbone:
    return "backbone";
  case LinkKind::Transit:
    return "transit";
  case LinkKind::Peering:
    return "peering";
  case LinkKind::Access:
    return "access";
  case LinkKind::Internal:
    return "internal";
  }
  return "?";
}

const std::vector<std::string>& link_kind_names() {
  static const std::vector<std::string> names = {"backbone", "transit", "peering", "access", "internal"};
  return names;
}

std::optional<LinkKind> parse_link_kind(const std::string& name) {
  static const LinkKind kinds[] = {LinkKind::Backbone, LinkKind::Transit, LinkKind::Peering, LinkKind::Access,
                                   LinkKind::Internal};
  for (LinkKind k : kinds)
    if (name == link_kind_name(k)) return k;
  return std::nullopt;
}

std::vector<std::string> core_actions(EntityKind kind) {
  std::vector<std::string> out;
  for (const auto& a : core_action_decls())
    if (a.kind == entity_kind_prefix(kind)) out.push_back(a.action);
  return out;
}

std::string undo_action(const std::string& kind, const std::string& action,
                        const std::vector<ModelInfo>& models) {
  for (const auto& m : models)
    for (const auto& a : m.actions)
      if (a.kind == kind && a.action == action) return a.undo;
  for (const auto& a : core_action_decls())
    if (a.kind == kind && a.action == action) return a.undo;
  return "";
}

namespace {

constexpr int kMaxIncludeDepth = 8;

// ---------------------------------------------------------------------------------------------------
// Merging (include and overrides)

const YamlNode* identity_of(const YamlNode& item) {
  if (item.kind != YamlNode::Kind::Map) return nullptr;
  const YamlNode* id = item.find("id");
  if (!id) id = item.find("asn");
  if (id && id->kind == YamlNode::Kind::Scalar) return id;
  return nullptr;
}

bool all_identified(const YamlNode& seq) {
  for (const auto& i : seq.items)
    if (!identity_of(*i)) return false;
  return !seq.items.empty();
}

bool is_remove(const YamlNode& item) {
  const YamlNode* r = item.find("remove");
  return r && r->kind == YamlNode::Kind::Scalar && r->scalar == "true";
}

// Merges `over` into `base` (which it owns and may modify); returns the merged node. A key set to
// null in `over` (`synthetic: ~`) removes it from `base`, as in a JSON merge patch (RFC 7386): the
// way to swap one alternative of a mapping for another (a synthetic topology for CAIDA's).
// Reports an item of `over` that repeats the id of an earlier one: merged into the same base item,
// the two would silently become one (the readers' uniqueness check sees the merged list only).
void check_override_ids(const YamlNode& over, const std::string& key, Diagnostics& d) {
  for (std::size_t i = 0; i < over.items.size(); ++i)
    for (std::size_t k = 0; k < i; ++k) {
      const YamlNode* a = identity_of(*over.items[k]);
      const YamlNode* b = identity_of(*over.items[i]);
      if (a->scalar != b->scalar) continue;
      d.error(b->mark, "'" + key + "' repeats id '" + b->scalar + "' (first at line " + std::to_string(a->mark.line) +
                           ", column " + std::to_string(a->mark.col) + "); expected each id once");
      break;
    }
}

YamlPtr merge(YamlPtr base, const YamlPtr& over, Diagnostics& d, const std::string& key = "") {
  if (base->kind == YamlNode::Kind::Map && over->kind == YamlNode::Kind::Map) {
    for (const auto& e : over->entries) {
      if (e.value->kind == YamlNode::Kind::Null) {
        base->entries.erase(std::remove_if(base->entries.begin(), base->entries.end(),
                                           [&](const auto& be) { return be.key == e.key; }),
                            base->entries.end());
        continue;
      }
      if (auto* be = base->find_entry(e.key))
        be->value = merge(be->value, e.value, d, e.key);
      else
        base->entries.push_back(e);
    }
    return base;
  }
  if (base->kind == YamlNode::Kind::Sequence && over->kind == YamlNode::Kind::Sequence &&
      all_identified(*base) && all_identified(*over)) {
    check_override_ids(*over, key, d);
    for (const auto& item : over->items) {
      const std::string& key = identity_of(*item)->scalar;
      auto it = std::find_if(base->items.begin(), base->items.end(),
                             [&](const YamlPtr& b) { return identity_of(*b)->scalar == key; });
      if (is_remove(*item)) {
        if (it == base->items.end())
          d.error(item->mark,
                  "remove: no item with id '" + key + "' in the included scenario; expected an existing id");
        else
          base->items.erase(it);
        continue;
      }
      if (it == base->items.end())
        base->items.push_back(item);
      else
        *it = merge(*it, item, d, key);
    }
    return base;
  }
  return over;
}

YamlPtr load_tree(const std::string& path, const YamlPtr& given, int depth, std::vector<std::string>& chain,
                  Diagnostics& d) {
  YamlPtr root = given ? given : parse_yaml_file(path, d);
  if (!root) return nullptr;
  if (root->kind == YamlNode::Kind::Null) {
    d.error(root->mark, "scenario is empty; expected a mapping with at least 'scenario:'");
    return nullptr;
  }
  if (root->kind != YamlNode::Kind::Map) {
    d.error(root->mark, std::string("scenario is ") + root->kind_name() +
                            "; expected a mapping with keys such as scenario, topology, faults");
    return nullptr;
  }
  auto inc = std::find_if(root->entries.begin(), root->entries.end(),
                          [](const YamlNode::Entry& e) { return e.key == "include"; });
  if (inc == root->entries.end()) return root;
  YamlNode::Entry include = *inc;
  root->entries.erase(inc);
  std::vector<const YamlNode*> files;
  if (include.value->kind == YamlNode::Kind::Scalar) {
    files.push_back(include.value.get());
  } else if (include.value->kind == YamlNode::Kind::Sequence) {
    for (const auto& i : include.value->items)
      files.push_back(i.get());
  } else {
    d.error(include.value->mark, std::string("include is ") + include.value->kind_name() +
                                     "; expected a file name or a list of file names");
    return nullptr;
  }
  if (depth >= kMaxIncludeDepth) {
    d.error(include.key_mark, "includes nested deeper than " + std::to_string(kMaxIncludeDepth) +
                                  " files; expected a shallow chain of base scenarios");
    return nullptr;
  }
  namespace fs = std::filesystem;
  YamlPtr merged;
  for (const YamlNode* f : files) {
    if (f->kind != YamlNode::Kind::Scalar || f->scalar.empty()) {
      d.error(f->mark, "include item is not a file name; expected a path to a scenario file");
      return nullptr;
    }
    fs::path base_dir = fs::path(path).parent_path();
    std::string target = (base_dir / f->scalar).lexically_normal().string();
    std::error_code ec;
    std::string canon = fs::weakly_canonical(target, ec).string();
    if (std::find(chain.begin(), chain.end(), canon) != chain.end()) {
      d.error(f->mark,
              "include cycle: '" + f->scalar + "' is already being included; expected a chain without loops");
      return nullptr;
    }
    if (!fs::is_regular_file(target, ec)) {
      d.error(f->mark, "included file '" + target + "' " +
                           (fs::exists(target, ec) ? "is not a regular file" : "does not exist") +
                           "; expected a path to a scenario file, relative to this file");
      return nullptr;
    }
    chain.push_back(canon);
    YamlPtr sub = load_tree(target, nullptr, depth + 1, chain, d);
    chain.pop_back();
    if (!sub) return nullptr;
    merged = merged ? merge(merged, sub->clone(), d) : sub->clone();
  }
  return merge(merged, root, d);
}

// Applies one --set KEY=VALUE.
void apply_set(const YamlPtr& root, const std::string& set, Diagnostics& d) {
  auto file = std::make_shared<const std::string>("--set " + set);
  Mark m{file, 1, 1};
  auto eq = set.find('=');
  if (eq == std::string::npos || eq == 0) {
    d.error(m, "override is not KEY=VALUE; expected e.g. --set models.probe.interval=10s");
    return;
  }
  std::string key = set.substr(0, eq);
  Diagnostics vd;
  YamlPtr value = parse_yaml_text(set.substr(eq + 1), *file, vd);
  if (!value) {
    for (const auto& x : vd.all())
      d.error(m, "value of override: " + x.message);
    return;
  }
  std::function<void(YamlNode&)> remark = [&](YamlNode& n) {
    n.mark = Mark{file, 1, static_cast<int>(eq) + 2};
    for (auto& i : n.items)
      remark(*i);
    for (auto& e : n.entries)
      remark(*e.value);
  };
  remark(*value);
  // An include in an override would be read after the includes were merged (so never): refused.
  std::function<bool(const YamlNode&)> has_include = [&](const YamlNode& n) {
    for (const auto& e : n.entries)
      if (e.key == "include" || has_include(*e.value)) return true;
    for (const auto& i : n.items)
      if (has_include(*i)) return true;
    return false;
  };
  if (key == "include" || key.rfind("include.", 0) == 0 || has_include(*value)) {
    d.error(m, "override '" + key + "' holds an include; expected plain values (includes belong in the "
               "scenario file: write a scenario that includes this one)");
    return;
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = key.find('.', start);
    parts.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  YamlNode* node = root.get();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    bool last = i + 1 == parts.size();
    if (part.empty()) {
      d.error(m, "override key '" + key + "' has an empty part; expected dotted keys like scenario.seed");
      return;
    }
    if (node->kind == YamlNode::Kind::Null) node->kind = YamlNode::Kind::Map;
    if (node->kind == YamlNode::Kind::Map) {
      auto* e = node->find_entry(part);
      if (!e) {
        auto child = std::make_shared<YamlNode>();
        child->mark = m;
        node->entries.push_back({part, m, child});
        e = &node->entries.back();
      }
      if (last) {
        e->value = value;
        return;
      }
      node = e->value.get();
    } else if (node->kind == YamlNode::Kind::Sequence) {
      YamlPtr* slot = nullptr;
      bool index =
          !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (index && part.size() < 9 && std::stoul(part) < node->items.size())
        slot = &node->items[std::stoul(part)];
      int same_id = 0;
      for (auto& item : node->items) {
        const YamlNode* idn = identity_of(*item);
        if (!idn || idn->scalar != part) continue;
        if (!slot) slot = &item;
        ++same_id;
      }
      if (same_id > 1 && !index) {
        d.error(m, "override key '" + key + "': " + std::to_string(same_id) + " items have the id '" + part +
                       "'; expected one (ids must be unique)");
        return;
      }
      if (!slot) {
        d.error(m, "override key '" + key + "': no item '" + part +
                       "' in the list; expected an index or the id of an item");
        return;
      }
      if (last) {
        *slot = value;
        return;
      }
      node = slot->get();
    } else {
      d.error(m, "override key '" + key + "': '" + part + "' is under a scalar; expected a path of mappings");
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Validation

// "link 'backbone/a-b'" when the item has a usable id, else just "link": messages name the entity.
std::string named(const YamlNode& item, const std::string& what, const char* key = "id") {
  const YamlNode* id = item.kind == YamlNode::Kind::Map ? item.find(key) : nullptr;
  if (id && id->kind == YamlNode::Kind::Scalar && !id->scalar.empty() && id->scalar.size() <= 60)
    return what + " '" + id->scalar + "'";
  return what;
}

// 12345678 as "12,345,678" (estimates in messages).
std::string format_count(double v) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(std::min(v, 9e18))));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

struct Validator {
  Diagnostics& d;
  const std::vector<ModelInfo>& models;
  YamlPtr root; // the merged document
  Scenario s;
  std::map<std::string, Mark> seen_paths; // path -> first declaration
  double fault_actions = 0;               // entity actions the timeline plays (budget)

  // Keeps the first entity of each path; a repeated id was reported by the reader of its list
  // (declared unique_by in sim/scenario/Keys.cpp).
  bool declare(const std::string& path, const Mark& m) { return seen_paths.emplace(path, m).second; }

  bool check_id(const std::string& id, const Mark& m, const std::string& what) {
    if (valid_entity_id(id)) return true;
    d.error(m, what + " id '" + id + "' is not valid; expected letters, digits and . _ - / only");
    return false;
  }

  void read_info(const YamlNode* n) {
    if (!n) {
      d.error(root->mark, "scenario has no 'scenario:' section; expected one with at least 'duration'");
      return;
    }
    MapReader r(n, "scenario", d, core_section("scenario"));
    if (auto v = r.string("name")) s.info.name = *v;
    if (auto v = r.string("description")) s.info.description = *v;
    if (const YamlNode* st = r.get("start")) {
      auto t = read_time(*st, "scenario 'start'", d);
      if (t && t->relative)
        d.error(st->mark,
                "scenario 'start' is relative; expected an absolute UTC time such as 2021-10-04T15:00:00Z");
      else if (t)
        s.info.start_epoch = static_cast<std::int64_t>(t->value);
    } else {
      s.info.start_epoch = *parse_utc("2021-01-01T00:00:00Z");
    }
    if (const YamlNode* du = r.get("duration", true)) {
      if (auto v = read_duration(*du, "scenario 'duration'", d)) {
        if (*v <= 0 || *v > 366 * 86400.0)
          d.error(du->mark,
                  "scenario 'duration' is " + du->scalar + "; expected more than 0s and at most 366d");
        else
          s.info.duration = *v;
      }
    }
    if (auto v = r.integer("seed", false, 0, 9007199254740991LL))
      s.info.seed = static_cast<std::uint64_t>(*v);
    if (const YamlNode* sa = r.get("sample")) {
      if (auto v = read_duration(*sa, "scenario 'sample'", d)) {
        if (*v < 1)
          d.error(sa->mark, "scenario 'sample' is " + sa->scalar + "; expected at least 1s");
        else
          s.info.sample = *v;
      }
    }
    r.finish();
    if (const YamlNode* sa = r.get("sample"); sa && s.info.sample > s.info.duration)
      d.error(sa->mark, "scenario 'sample' (" + format_duration(s.info.sample) + ") is longer than its 'duration' (" +
                            format_duration(s.info.duration) + "); expected at most the duration");
    if (s.info.duration / s.info.sample > 1e6)
      d.error(r.mark(),
              "scenario has more than a million samples (duration / sample); expected a coarser 'sample'");
  }

  void read_node(const YamlNode& item, EntityKind kind, const std::string& what, const NodeDecl& decl) {
    MapReader r(&item, kind == EntityKind::As ? what : named(item, what), d, decl);
    if (!r.is_map()) return;
    NodeSpec n;
    n.kind = kind;
    n.mark = item.mark;
    if (kind == EntityKind::As) {
      auto asn = r.integer("asn", true, 1, 4294967295LL);
      if (asn) {
        n.asn = static_cast<std::uint32_t>(*asn);
        n.id = std::to_string(*asn);
      }
    } else {
      if (auto id = r.string("id", true)) {
        if (check_id(*id, r.get("id")->mark, what)) n.id = *id;
      }
      if (auto asn = r.integer("as", false, 1, 4294967295LL)) n.asn = static_cast<std::uint32_t>(*asn);
    }
    if (auto v = r.string("name")) n.name = *v;
    if (kind == EntityKind::Region) {
      n.population = 1;
      if (const YamlNode* pop = r.get("population")) {
        if (auto v = read_number(*pop, n.id.empty() ? "region 'population'" : "region '" + n.id + "' population",
                                 d, 0, 1e11)) {
          if (*v <= 0)
            d.error(pop->mark, "region '" + n.id +
                                   "' population is 0; expected more than 0 users (a region without users "
                                   "weighs nothing in any signal: remove it instead)");
          else
            n.population = *v;
        }
      }
      if (auto v = r.number("utc_offset", false, -12, 14)) n.utc_offset_h = *v;
    }
    r.finish();
    if (n.id.empty()) return;
    if (declare(n.path(), n.mark)) s.nodes.push_back(n);
  }

  void read_topology(const YamlNode* n) {
    if (!n) return;
    MapReader r(n, "topology", d, core_section("topology"));
    struct Group {
      const char* key;
      EntityKind kind;
      const char* what;
    };
    static const Group groups[] = {{"ases", EntityKind::As, "AS"},
                                   {"routers", EntityKind::Router, "router"},
                                   {"datacenters", EntityKind::Datacenter, "datacenter"},
                                   {"dns_servers", EntityKind::DnsServer, "DNS server"},
                                   {"resolvers", EntityKind::Resolver, "resolver"},
                                   {"regions", EntityKind::Region, "region"}};
    for (const auto& g : groups)
      if (const YamlNode* seq = r.list(g.key))
        for (const auto& item : seq->items)
          read_node(*item, g.kind, g.what, core_section("topology").child(g.key));
    if (const YamlNode* seq = r.list("links"))
      for (const auto& item : seq->items)
        read_link(*item);
    r.finish();
  }

  void read_link(const YamlNode& item) {
    MapReader r(&item, named(item, "link"), d, core_section("topology").child("links"));
    if (!r.is_map()) return;
    LinkSpec l;
    l.mark = item.mark;
    if (auto id = r.string("id", true))
      if (check_id(*id, r.get("id")->mark, "link")) l.id = *id;
    if (const YamlNode* b = r.get("between", true)) {
      if (b->kind != YamlNode::Kind::Sequence || b->items.size() != 2 ||
          b->items[0]->kind != YamlNode::Kind::Scalar || b->items[1]->kind != YamlNode::Kind::Scalar) {
        d.error(b->mark,
                "link 'between' is not two node paths; expected [KIND:ID, KIND:ID], e.g. [dc:a, router:b]");
      } else {
        l.a = b->items[0]->scalar;
        l.b = b->items[1]->scalar;
        l.a_mark = b->items[0]->mark;
        l.b_mark = b->items[1]->mark;
      }
    }
    if (auto v = r.duration("latency")) l.latency = *v;
    if (auto v = r.bandwidth("capacity")) l.capacity_bps = *v;
    if (auto v = r.choice("kind", link_kind_names())) l.kind = *parse_link_kind(*v);
    r.finish();
    if (l.id.empty()) return;
    if (declare(l.path(), l.mark)) s.links.push_back(l);
  }

  void read_services(const YamlNode* n) {
    if (!n || n->kind == YamlNode::Kind::Null) return;
    if (n->kind != YamlNode::Kind::Sequence) {
      d.error(n->mark, std::string("services is ") + n->kind_name() + "; expected a list of services");
      return;
    }
    for (const auto& item : n->items) {
      MapReader r(item.get(), named(*item, "service"), d, core_section("services"));
      if (!r.is_map()) continue;
      ServiceSpec sv;
      sv.mark = item->mark;
      if (auto id = r.string("id", true))
        if (check_id(*id, r.get("id")->mark, "service")) sv.id = *id;
      if (const YamlNode* sf = r.get("served_from");
          sf && sf->kind == YamlNode::Kind::Sequence && sf->items.empty())
        d.error(sf->mark,
                "service 'served_from' is an empty list; expected at least one datacenter, such as [dc:ID]");
      else if (auto list = r.strings("served_from", true))
        for (auto& [p, m] : *list) {
          sv.served_from.push_back(p);
          sv.served_from_marks.push_back(m);
        }
      r.finish();
      if (sv.id.empty()) continue;
      if (declare("service:" + sv.id, sv.mark)) s.services.push_back(sv);
    }
  }

  void read_faults(const YamlNode* n) {
    if (!n || n->kind == YamlNode::Kind::Null) return;
    if (n->kind != YamlNode::Kind::Sequence) {
      d.error(n->mark, std::string("faults is ") + n->kind_name() + "; expected a list of timeline actions");
      return;
    }
    for (const auto& item : n->items) {
      MapReader r(item.get(), named(*item, "fault"), d, core_section("faults"));
      if (!r.is_map()) continue;
      FaultSpec f;
      f.mark = item->mark;
      bool ok = true;
      if (auto v = r.string("id")) f.id = *v;
      const YamlNode* at_node = r.get("at", true);
      std::optional<TimeSpec> at = at_node ? read_time(*at_node, "fault 'at'", d) : std::nullopt;
      if (at) f.at = at->resolve(s.info.start_epoch);
      ok = ok && at;
      if (const YamlNode* t = r.get("target", true)) {
        if (auto v = read_string(*t, "fault 'target'", d)) {
          f.target = *v;
          f.target_mark = t->mark;
        } else {
          ok = false;
        }
      } else {
        ok = false;
      }
      if (const YamlNode* a = r.get("action", true)) {
        if (auto v = read_string(*a, "fault 'action'", d)) {
          f.action = *v;
          f.action_mark = a->mark;
        } else {
          ok = false;
        }
      } else {
        ok = false;
      }
      const YamlNode* until_node = r.get("until");
      const YamlNode* for_node = r.get("for");
      if (until_node && for_node)
        d.error(for_node->mark, "fault has both 'until' and 'for'; expected at most one of them");
      if (until_node)
        if (auto u = read_time(*until_node, "fault 'until'", d)) f.until = u->resolve(s.info.start_epoch);
      if (for_node && !until_node && at)
        if (auto du = read_duration(*for_node, "fault 'for'", d)) {
          if (*du <= 0)
            d.error(for_node->mark, "fault 'for' is zero; expected a positive duration");
          else
            f.until = f.at + *du;
        }
      if (auto v = r.string("note")) f.note = *v;
      if (const YamlNode* w = r.get("with")) {
        f.params_mark = w->mark;
        for (const auto& e : item->entries)
          if (e.key == "with") f.with = e.value;
        MapReader wr(w, "fault 'with'", d);
        if (wr.is_map())
          for (const auto& e : w->entries)
            if (auto v = read_string(*e.value, "fault 'with' '" + e.key + "'", d)) f.params[e.key] = *v;
      }
      r.finish();
      if (!ok) continue;
      if (f.at < 0) {
        d.error(at_node->mark, "fault 'at' is " + format_duration(-f.at) +
                                   " before the scenario start; expected a time within the run");
        continue;
      }
      if (f.at > s.info.duration)
        d.error(at_node->mark, "fault 'at' is +" + format_duration(f.at) + ", after the scenario's end (+" +
                                   format_duration(s.info.duration) + "); expected a time within the run");
      if (f.until && *f.until > s.info.duration && *f.until > f.at)
        d.error(until_node ? until_node->mark : for_node->mark,
                std::string("fault ") + (until_node ? "'until'" : "'for'") + " ends it at +" +
                    format_duration(*f.until) + ", after the scenario's end (+" + format_duration(s.info.duration) +
                    "); expected an end within the run (or no until/for: the fault then lasts to the end)");
      if (f.until && *f.until <= f.at)
        d.error(until_node ? until_node->mark : f.mark,
                "fault 'until' (+" + format_duration(*f.until) + ") is not after its 'at' (+" +
                    format_duration(f.at) + "); expected a later time");
      s.faults.push_back(f);
    }
  }

  // Entities a target matches (the models' and the declared ones), once per distinct target: a
  // timeline of many entries with the same wildcard costs one scan, and a scan only walks the
  // declared paths that share the pattern's literal start (validate stays near-linear).
  std::map<std::string, std::size_t> match_counts;
  std::size_t count_matches(const std::string& target, const std::string& kind) {
    auto cached = match_counts.find(target);
    if (cached != match_counts.end()) return cached->second;
    std::size_t matches = 0;
    for (const auto& m : models) {
      bool owns = false;
      for (const auto& a : m.actions)
        owns = owns || a.kind == kind;
      const ModelConfig* config = s.config(m.name);
      if (owns && m.match_entities && config) matches += m.match_entities(*config, target).size();
    }
    std::string literal = target.substr(0, target.find_first_of("*?"));
    if (literal.size() == target.size()) {
      matches += seen_paths.count(target);
    } else {
      for (auto it = seen_paths.lower_bound(literal);
           it != seen_paths.end() && it->first.compare(0, literal.size(), literal) == 0; ++it)
        if (glob_match(target, it->first)) ++matches;
    }
    match_counts.emplace(target, matches);
    return matches;
  }

  void check_target(const FaultSpec& f) {
    std::string kind, id;
    if (!split_path(f.target, kind, id)) {
      d.error(f.target_mark,
              "fault target '" + f.target +
                  "' is not a path; expected KIND:ID such as link:backbone/* or dc:prineville");
      return;
    }
    static const std::vector<EntityKind> kinds = {
        EntityKind::As,       EntityKind::Router, EntityKind::Datacenter, EntityKind::DnsServer,
        EntityKind::Resolver, EntityKind::Region, EntityKind::Link,       EntityKind::Service};
    std::vector<std::string> names;
    std::optional<EntityKind> found;
    for (auto k : kinds) {
      names.push_back(entity_kind_prefix(k));
      if (kind == entity_kind_prefix(k)) found = k;
    }
    // Kinds that models add (prefix, session, ...), and the models' entities matching the target.
    bool model_kind = false;
    for (const auto& m : models)
      for (const auto& a : m.actions) {
        if (std::find(names.begin(), names.end(), a.kind) == names.end()) names.push_back(a.kind);
        model_kind = model_kind || a.kind == kind;
      }
    if (!found && !model_kind) {
      d.error(f.target_mark, "fault target kind '" + kind + "' is unknown; expected one of: " + join(names));
      return;
    }
    std::size_t matches = count_matches(f.target, kind);
    if (matches == 0) {
      d.error(f.target_mark, "fault target '" + f.target + "' matches no entity; expected a declared " +
                                 kind + " (check the id)");
    }
    std::vector<std::string> actions = found ? core_actions(*found) : std::vector<std::string>{};
    const ActionDecl* decl = nullptr;
    for (const auto& m : models)
      for (const auto& a : m.actions)
        if (a.kind == kind) {
          actions.push_back(a.action);
          if (a.action == f.action) decl = &a;
        }
    for (const auto& [key, value] : f.params) {
      if (decl && std::find(decl->params.begin(), decl->params.end(), key) != decl->params.end()) continue;
      if (!decl || decl->params.empty())
        d.error(f.params_mark, "action '" + f.action + "' takes no 'with:' arguments; got '" + key + "'");
      else
        d.error(f.params_mark, "unknown argument '" + key + "' of action '" + f.action +
                                   "'; expected one of: " + join(decl->params));
    }
    if (std::find(actions.begin(), actions.end(), f.action) == actions.end()) {
      if (actions.empty())
        d.error(f.action_mark,
                "action '" + f.action + "' is not supported: no action acts on '" + kind + "' entities");
      else
        d.error(f.action_mark, "action '" + f.action + "' is unknown for " + kind +
                                   " entities; expected one of: " + join(actions));
      return;
    }
    if (f.until && undo_action(kind, f.action, models).empty())
      d.error(f.action_mark, "action '" + f.action +
                                 "' cannot be undone, so 'until'/'for' cannot end it; "
                                 "expected a separate timeline entry for the recovery");
  }

  void check_references() {
    std::set<std::uint32_t> ases;
    for (const auto& n : s.nodes)
      if (n.kind == EntityKind::As) ases.insert(*n.asn);
    for (const auto& n : s.nodes)
      if (n.kind != EntityKind::As && n.asn && !ases.count(*n.asn))
        d.error(n.mark, std::string(entity_kind_prefix(n.kind)) + " '" + n.id + "' belongs to AS" +
                            std::to_string(*n.asn) +
                            ", which is not declared; expected it under topology.ases");
    for (const auto& l : s.links) {
      auto check = [&](const std::string& p, const Mark& m) {
        std::string kind, id;
        if (!split_path(p, kind, id) || kind == "link" || kind == "service") {
          d.error(
              m,
              "link '" + l.id + "' end '" + p +
                  "' is not a node path; expected KIND:ID of a node (as, router, dc, dns, resolver, region)");
          return;
        }
        if (!seen_paths.count(p))
          d.error(m, "link '" + l.id + "' end '" + p +
                         "' names no declared node; expected one of the topology's nodes");
      };
      if (l.a.empty()) continue;
      check(l.a, l.a_mark);
      check(l.b, l.b_mark);
      if (l.a == l.b)
        d.error(l.b_mark, "link '" + l.id + "' joins '" + l.a + "' to itself; expected two different nodes");
    }
    for (const auto& sv : s.services)
      for (std::size_t i = 0; i < sv.served_from.size(); ++i) {
        const std::string& p = sv.served_from[i];
        if (p.rfind("dc:", 0) != 0)
          d.error(sv.served_from_marks[i],
                  "service '" + sv.id + "' served_from '" + p + "' is not a datacenter; expected dc:ID");
        else if (!seen_paths.count(p))
          d.error(sv.served_from_marks[i],
                  "service '" + sv.id + "' served_from '" + p + "' names no declared datacenter");
      }
  }

  void read_models(const YamlNode* n) {
    for (const auto& m : models) {
      ParamValues values;
      Diagnostics none;
      for (const auto& p : m.params) {
        YamlNode def;
        def.kind = YamlNode::Kind::Scalar;
        def.scalar = p.default_value;
        read_param(def, p, p.name, none, values);
      }
      s.params[m.name] = values;
      s.enabled[m.name] = true;
    }
    if (!n || n->kind == YamlNode::Kind::Null) return;
    if (n->kind != YamlNode::Kind::Map) {
      d.error(n->mark, std::string("models is ") + n->kind_name() +
                           "; expected a mapping of model names to parameters");
      return;
    }
    std::vector<std::string> names;
    for (const auto& m : models)
      names.push_back(m.name);
    for (const auto& e : n->entries) {
      auto mi =
          std::find_if(models.begin(), models.end(), [&](const ModelInfo& m) { return m.name == e.key; });
      if (mi == models.end()) {
        d.error(e.key_mark, "unknown model '" + e.key + "'; expected one of: " + join(names));
        continue;
      }
      const auto params_decl = mi->params_decl();
      MapReader r(e.value.get(), "models." + e.key, d, *params_decl);
      if (auto v = r.boolean("enabled")) s.enabled[e.key] = *v;
      for (const auto& p : mi->params)
        if (const YamlNode* v = r.get(p.name))
          read_param(*v, p, "models." + e.key + " '" + p.name + "'", d, s.params[e.key]);
      r.finish();
    }
  }

  void run() {
    const NodeDecl file_decl = scenario_file_decl(models);
    MapReader top(root.get(), "scenario file", d, file_decl);
    top.get("include"); // already merged; listed among the valid keys
    read_info(top.get("scenario"));
    read_topology(top.get("topology"));
    read_services(top.get("services"));
    for (const auto& sv : s.services)
      (void)sv;
    read_faults(top.get("faults"));
    read_models(top.get("models"));
    for (const auto& m : models)
      for (const auto& sec : m.sections)
        if (top.get(sec.name))
          for (const auto& e : root->entries)
            if (e.key == sec.name) s.sections[sec.name] = e.value;
    top.finish();
    check_references();
    int before_models = d.error_count();
    for (const auto& e : core_event_decls())
      s.event_types.push_back(e.type);
    for (const auto& m : models)
      for (const auto& e : m.events)
        s.event_types.push_back(e.type);
    std::sort(s.event_types.begin(), s.event_types.end());
    // Each model's sections, parsed once into the config it runs with (validation is configuring).
    for (const auto& m : models) {
      if (!m.configure) {
        s.configs[m.name] = std::make_shared<const ModelConfig>();
        continue;
      }
      if (auto c = m.configure(s, d)) s.configs[m.name] = std::move(c);
    }
    check_model_needs(models, s, d);
    // Targets last: models' entities (prefixes, sessions) come from their own sections.
    if (d.error_count() == before_models)
      for (const auto& f : s.faults) {
        check_target(f);
        std::string kind, id;
        if (split_path(f.target, kind, id)) fault_actions += double(count_matches(f.target, kind)) * (f.until ? 2 : 1);
      }
  }

  // Work the run would need, against the budgets of `options` (--max-rows, --max-actions): refused
  // before the run, with the estimate and the option that raises it.
  void check_budgets(const LoadOptions& options) {
    double regions = 0;
    for (const auto& n : s.nodes)
      regions += n.kind == EntityKind::Region;
    double samples = std::ceil(s.info.duration / s.info.sample - 1e-9);
    double rows = regions * double(std::max<std::size_t>(s.services.size(), 1)) * samples;
    if (rows > options.max_rows)
      d.error(root->mark, "scenario would record about " + format_count(rows) + " timeline rows (" +
                                format_count(regions) + " regions x " +
                                format_count(double(std::max<std::size_t>(s.services.size(), 1))) +
                                " services x " + format_count(samples) + " samples, per metric); expected at most " +
                                format_count(options.max_rows) +
                                ": raise --max-rows, or use a coarser scenario.sample or fewer regions");
    if (fault_actions > options.max_actions)
      d.error(root->mark, "scenario's timeline would apply about " + format_count(fault_actions) +
                                " entity actions (each entry x the entities its target matches, twice with "
                                "until/for); expected at most " + format_count(options.max_actions) +
                                ": raise --max-actions, or narrow the wildcard targets");
  }
};

std::optional<Scenario> finish_load(const std::string& name, YamlPtr root, const LoadOptions& options,
                                    const std::vector<ModelInfo>& models, Diagnostics& d) {
  if (!root) return std::nullopt;
  for (const auto& set : options.sets)
    apply_set(root, set, d);
  if (d.has_errors()) return std::nullopt;
  Validator v{d, models, root, {}, {}};
  v.s.file = name;
  v.run();
  if (!d.has_errors()) v.check_budgets(options);
  d.sort();
  if (d.has_errors()) return std::nullopt;
  return std::move(v.s);
}

} // namespace

std::optional<Scenario> load_scenario(const std::string& path, const LoadOptions& options,
                                      const std::vector<ModelInfo>& models, Diagnostics& d) {
  std::vector<std::string> chain;
  std::error_code ec;
  chain.push_back(std::filesystem::weakly_canonical(path, ec).string());
  YamlPtr root = load_tree(path, nullptr, 0, chain, d);
  if (d.has_errors()) return std::nullopt;
  return finish_load(path, root, options, models, d);
}

std::optional<Scenario> load_scenario_text(const std::string& text, const std::string& name,
                                           const LoadOptions& options, const std::vector<ModelInfo>& models,
                                           Diagnostics& d) {
  std::vector<std::string> chain{name};
  YamlPtr parsed = parse_yaml_text(text, name, d);
  if (!parsed) return std::nullopt;
  YamlPtr root = load_tree(name, parsed, 0, chain, d);
  if (d.has_errors()) return std::nullopt;
  return finish_load(name, root, options, models, d);
}

} // namespace outagesim::sim
