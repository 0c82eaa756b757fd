#pragma once
// A scenario as plain structs: what the loader produces after reading, merging includes and
// overrides, and validating. Every value a later check may complain about keeps its Mark.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/Params.hpp"
#include "sim/core/Time.hpp"
#include "sim/scenario/Diagnostics.hpp"
#include "sim/scenario/YamlTree.hpp"

namespace outagesim::sim {

class ModelConfig;

/// Kinds of entity a scenario can name. The path prefix of each is in entity_kind_prefix().
enum class EntityKind { As, Router, Datacenter, DnsServer, Resolver, Region, Link, Service };

/// "as", "router", "dc", "dns", "resolver", "region", "link", "service".
const char* entity_kind_prefix(EntityKind k);

/// What the scenario is and how long it runs.
struct ScenarioInfo {
  std::string name;
  std::string description;
  std::int64_t start_epoch = 0; ///< UTC seconds since the Unix epoch of simulated time 0
  Seconds duration = 3600;
  std::uint64_t seed = 1;
  Seconds sample = 60; ///< interval of the timeline's samples
};

/// A node of the topology: an AS, a router, a datacenter, a DNS server, a resolver or a user region.
struct NodeSpec {
  EntityKind kind = EntityKind::Router;
  std::string id;                   ///< unique within its kind; for an AS, its number
  std::optional<std::uint32_t> asn; ///< the AS it belongs to (for an AS: itself)
  std::string name;                 ///< human label (optional)
  double population = 0;            ///< regions: people (weights region metrics)
  double utc_offset_h = 0;          ///< regions: local time offset from UTC, hours
  Mark mark;
  std::string path() const { return std::string(entity_kind_prefix(kind)) + ":" + id; }
};

enum class LinkKind { Backbone, Transit, Peering, Access, Internal };
const char* link_kind_name(LinkKind k);
/// The kind named `name` ("backbone", ...), nullopt if none.
std::optional<LinkKind> parse_link_kind(const std::string& name);
/// Every link kind's name, in declaration order (for "expected one of" messages).
const std::vector<std::string>& link_kind_names();

/// A link between two nodes (undirected), with its latency and capacity.
struct LinkSpec {
  std::string id;
  std::string a, b; ///< node paths ("dc:prineville")
  Seconds latency = 0.001;
  double capacity_bps = 10e9;
  LinkKind kind = LinkKind::Internal;
  Mark mark, a_mark, b_mark;
  std::string path() const { return "link:" + id; }
};

/// A service users reach (facebook, instagram, ...), served from datacenters.
struct ServiceSpec {
  std::string id;
  std::vector<std::string> served_from; ///< datacenter paths
  std::vector<Mark> served_from_marks;
  Mark mark;
};

/// One timeline action: `action` on every entity `target` matches, at `at`, undone at `until`.
struct FaultSpec {
  std::string id;
  SimTime at = 0;
  std::string target; ///< entity path, may hold * and ? wildcards in the id part
  std::string action; ///< down, up, crash, restore, or a model's own action
  std::optional<SimTime> until;
  std::string note;                          ///< why (shown as the reason of the events it causes)
  std::map<std::string, std::string> params; ///< the action's arguments, under `with:`
  YamlPtr with;                              ///< the `with:` mapping as written (values keep their marks)
  Mark mark, target_mark, action_mark, params_mark;
};

/// A whole validated scenario.
struct Scenario {
  std::string file;
  ScenarioInfo info;
  std::vector<NodeSpec> nodes;
  std::vector<LinkSpec> links;
  std::vector<ServiceSpec> services;
  std::vector<FaultSpec> faults;
  std::map<std::string, ParamValues> params; ///< per model, defaults filled in
  std::map<std::string, bool> enabled;       ///< per model
  /// The top-level sections models declared (ModelInfo::sections), as merged: what their configure
  /// reads (not the whole document: the core sections are parsed into the structs above).
  std::map<std::string, YamlPtr> sections;
  /// Every event type the engine and the models declare (sorted): sections that name one (an
  /// operators plan's trigger) are checked against it.
  std::vector<std::string> event_types;
  /// Per model with work in this scenario: its sections parsed once (ModelInfo::configure).
  std::map<std::string, std::shared_ptr<const ModelConfig>> configs;

  /// The model section `name` ("dns"), or nullptr when it is absent or null.
  const YamlNode* section(const std::string& name) const {
    auto it = sections.find(name);
    if (it == sections.end() || !it->second || it->second->kind == YamlNode::Kind::Null) return nullptr;
    return it->second.get();
  }
  /// The config of model `name`, or nullptr when it has no work here.
  const ModelConfig* config(const std::string& name) const {
    auto it = configs.find(name);
    return it == configs.end() ? nullptr : it->second.get();
  }

  /// Lookups for models reading their own sections: the node with this path ("region:eu"), if any;
  /// whether a service has this id; every service id (for "expected one of" messages).
  const NodeSpec* find_node(const std::string& path) const {
    for (const auto& n : nodes)
      if (n.path() == path) return &n;
    return nullptr;
  }
  bool has_service(const std::string& id) const {
    for (const auto& v : services)
      if (v.id == id) return true;
    return false;
  }
  std::vector<std::string> service_ids() const {
    std::vector<std::string> out;
    for (const auto& v : services)
      out.push_back(v.id);
    return out;
  }
};

} // namespace outagesim::sim
