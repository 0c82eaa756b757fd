#include "sim/scenario/Keys.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim {

const char* value_type_name(ValueType t) {
  switch (t) {
  case ValueType::String:
    return "string";
  case ValueType::Number:
    return "number";
  case ValueType::Integer:
    return "integer";
  case ValueType::Bool:
    return "bool";
  case ValueType::Duration:
    return "duration";
  case ValueType::Time:
    return "time";
  case ValueType::Bandwidth:
    return "bandwidth";
  case ValueType::Choice:
    return "choice";
  case ValueType::Strings:
    return "list of strings";
  case ValueType::Numbers:
    return "list of numbers";
  case ValueType::Integers:
    return "list of integers";
  case ValueType::Map:
    return "mapping";
  case ValueType::List:
    return "list";
  }
  return "?";
}

KeyDecl key(std::string name, ValueType type, std::string doc) {
  KeyDecl k;
  k.name = std::move(name);
  k.type = type;
  k.doc = std::move(doc);
  return k;
}

KeyDecl& KeyDecl::keys(std::string what, std::string node_doc, std::vector<KeyDecl> k) {
  node = std::make_shared<const NodeDecl>(NodeDecl{std::move(what), std::move(node_doc), std::move(k)});
  return *this;
}

const KeyDecl* NodeDecl::find(const std::string& name) const {
  for (const auto& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

const NodeDecl& NodeDecl::child(const std::string& name) const {
  const KeyDecl* k = find(name);
  if (!k || !k->node)
    throw std::logic_error("declaration of " + what + " has no mapping under '" + name + "'");
  return *k->node;
}

std::vector<std::string> NodeDecl::names() const {
  std::vector<std::string> out;
  for (const auto& k : keys)
    out.push_back(k.name);
  std::sort(out.begin(), out.end());
  return out;
}

ValueType param_value_type(ParamType t) {
  switch (t) {
  case ParamType::Duration:
    return ValueType::Duration;
  case ParamType::Number:
    return ValueType::Number;
  case ParamType::Integer:
    return ValueType::Integer;
  case ParamType::Bool:
    return ValueType::Bool;
  case ParamType::Text:
    return ValueType::String;
  }
  return ValueType::String;
}

KeyDecl param_key(const ParamDecl& p) {
  KeyDecl k = key(p.name, param_value_type(p.type), p.doc);
  k.unit = p.unit;
  k.default_value = p.default_value;
  k.min = p.min;
  k.max = p.max;
  return k;
}

namespace {

using VT = ValueType;

std::vector<KeyDecl> node_keys(bool region) {
  std::vector<KeyDecl> k = {
      key("id", VT::String, "the node's id (letters, digits and . _ - /), unique within its kind").needed(),
      key("as", VT::Integer, "the AS number the node belongs to").range(1, 4294967295.0),
      key("name", VT::String, "a human-readable name"),
  };
  if (region) {
    k.push_back(key("population", VT::Number, "people in the region (weights its users)")
                    .with_default("1")
                    .range(0, 1e11));
    k.push_back(key("utc_offset", VT::Number, "local time offset from UTC").with_unit("h").range(-12, 14));
  }
  return k;
}

KeyDecl node_group(const char* name, const char* kind, const char* doc, bool region = false) {
  return key(name, VT::List, doc)
      .unique_by("id")
      .names(kind)
      .keys(std::string(kind) + " node", doc, node_keys(region));
}

std::vector<KeyDecl> build_core() {
  std::vector<KeyDecl> out;
  out.push_back(
      key("include", VT::Strings,
          "scenario files this one extends (paths relative to it); this file's keys override theirs, "
          "a list item with the same id replaces the included one, {id: X, remove: true} drops it"));
  out.push_back(
      key("scenario", VT::Map, "what the scenario is and how long it runs")
          .needed()
          .keys("scenario", "what the scenario is and how long it runs",
                {key("name", VT::String, "short name, used in outputs"),
                 key("description", VT::String, "what the scenario shows"),
                 key("start", VT::Time, "absolute UTC time of the start (2021-10-04T15:00:00Z)")
                     .with_default("2021-01-01T00:00:00Z"),
                 key("duration", VT::Duration, "simulated time (more than 0s, at most 366d)")
                     .with_unit("s")
                     .with_default("1h")
                     .range(0, kMaxRunSeconds)
                     .needed(),
                 key("seed", VT::Integer, "random seed: same scenario and seed give byte-identical outputs")
                     .with_default("1")
                     .range(0, 9007199254740991.0),
                 key("sample", VT::Duration,
                     "interval of the timeline's samples (at least 1s, at most the duration)")
                     .with_unit("s")
                     .with_default("60s")
                     .at_least(1)}));
  KeyDecl links =
      key("links", VT::List, "links between two nodes")
          .unique_by("id")
          .keys("link", "a link between two nodes",
                {key("id", VT::String, "the link's id, unique among links").needed(),
                 key("between", VT::Strings, "the two node paths it joins, [KIND:ID, KIND:ID]")
                     .names("node")
                     .needed(),
                 key("latency", VT::Duration, "one-way latency (a geostationary hop is 0.6 s)")
                     .with_unit("s")
                     .with_default("1ms")
                     .range(0, 60),
                 key("capacity", VT::Bandwidth, "capacity").with_unit("bit/s").with_default("10Gbps"),
                 key("kind", VT::Choice, "what the link is")
                     .one_of(link_kind_names())
                     .with_default("internal")});
  out.push_back(
      key("topology", VT::Map, "the nodes and links of the world")
          .keys("topology", "the nodes and links of the world",
                {key("ases", VT::List, "autonomous systems, by number")
                     .unique_by("asn")
                     .names("as")
                     .keys("AS", "an autonomous system",
                           {key("asn", VT::Integer, "the AS number").range(1, 4294967295.0).needed(),
                            key("name", VT::String, "a human-readable name")}),
                 node_group("routers", "router", "routers"), node_group("datacenters", "dc", "datacenters"),
                 node_group("dns_servers", "dns", "authoritative DNS servers"),
                 node_group("resolvers", "resolver", "recursive resolvers"),
                 node_group("regions", "region", "regions where users live", true), links}));
  out.push_back(key("services", VT::List, "services users reach, and the datacenters that serve them")
                    .unique_by("id")
                    .keys("service", "a service",
                          {key("id", VT::String, "the service's id").needed(),
                           key("served_from", VT::Strings, "datacenters serving it ([dc:ID, ...])")
                               .names("dc")
                               .needed()}));
  out.push_back(
      key("faults", VT::List, "the timeline: actions on entities at given times (see `outagesim models`)")
          .unique_by("id")
          .keys("fault", "one action on the entities a target matches",
                {key("id", VT::String, "names the fault in events, include overrides and --set faults.ID.KEY (unique)"),
                 key("at", VT::Time, "when it happens (+15m, or UTC)").needed(),
                 key("target", VT::String, "entity path or pattern (link:ID, dc:*, prefix:...)")
                     .names("entity")
                     .needed(),
                 key("action", VT::String, "an action declared for the target's kind").needed(),
                 key("until", VT::Time, "when its undo action plays (at most one of until and for)"),
                 key("for", VT::Duration, "how long until its undo action plays").with_unit("s"),
                 key("note", VT::String, "free text kept in the event log"),
                 key("with", VT::Map, "the action's arguments (declared per action)")}));
  return out;
}

} // namespace

const std::vector<KeyDecl>& core_section_keys() {
  static const std::vector<KeyDecl> keys = build_core();
  return keys;
}

const NodeDecl& core_section(const std::string& name) {
  for (const auto& k : core_section_keys())
    if (k.name == name && k.node) return *k.node;
  throw std::logic_error("no core section '" + name + "' declared");
}

} // namespace outagesim::sim
