#pragma once
// The scenario's `bgp:` section as plain structs, its reading (with FILE:LINE:COL diagnostics) and
// the AS graph it describes. Engine-free and SimGrid-free: the adapter (BgpModel), the loader's
// validation and `outagesim routes` all read a scenario's BGP setup through here.
//
//   bgp:
//     topology: {synthetic: {ases: 200, seed: 3}}   # or {caida: PATH} (relative to the file that
//                                                   # says it), or absent: inline links only
//     links:    [{a: 32934, b: 174, rel: provider, delay: 10ms}]   # rel: what b is to a
//     prefixes: [{prefix: 129.134.30.0/23, origins: [{as: 32934, site: ams}, {as: 32934, site: iad}]}]
//     vantages: [174, 3356]   # or {count: 10, seed: 1}: picked among ASes with 2+ neighbours
//     victims:  [32934]       # subjects of AS signals (default: every origin AS)
//     policies: [{as: 174, neighbor: 3356, local_pref: 50, prepend: 2, export: false}]
//     transit_capacity: [{as: 26413, capacity: 800Gbps}]   # data plane; default unlimited
//     roas:     [{prefix: 10.0.0.0/22, max_length: 22, origin: 64500}]   # RPKI (RFC 6811)
//     import:   [{as: 174, rov: drop_invalid, customer_filter: true, max_prefix: 500, neighbor: 3356}]
//     rov_adoption: {tier1: 0.8, transit: 0.3, stub: 0.1, seed: 1}       # seeded share by tier
//
// Reading is in two steps: read_bgp_config() checks the section's shape and values (unknown keys,
// bad values), then bgp_graph() builds the graph and check_bgp_config() checks every AS number against
// it. The model's configure does this once per scenario (load_bgp_setup); validation, fault checks,
// `outagesim routes` and the run share that one load of a 60k-AS file.
#include "models/bgp/AsGraph.hpp"
#include "models/bgp/Prefix.hpp"
#include "sim/run/Model.hpp"
#include "sim/scenario/Diagnostics.hpp"
#include "sim/scenario/Scenario.hpp"
#include "sim/scenario/YamlTree.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/SignalDecl.hpp"
#include "sim/scenario/Keys.hpp"

namespace outagesim::bgp {

/// An AS number as written, with its place.
struct AsRef {
  Asn asn = 0;
  sim::Mark mark;
};

/// A link declared under `bgp.links`, added on top of the topology.
struct InlineLink {
  Asn a = 0, b = 0;
  Relationship b_is = Relationship::Peer; ///< what b is to a
  double delay_s = kDefaultLinkDelay;
  sim::Mark mark;
};

/// One origin of a prefix: an AS and a named site (anycast: several sites per AS or several ASes).
struct OriginSpec {
  Asn asn = 0;
  std::string site;        ///< name (default: the AS number as text)
  unsigned site_index = 0; ///< engine site number within (prefix, AS), 0..31, in order of declaration
  sim::Mark mark;
};

/// A prefix and its legitimate origins; announced (and converged) before the scenario starts.
struct PrefixSpec {
  Prefix prefix;
  std::vector<OriginSpec> origins;
  sim::Mark mark;
};

/// A per-session policy override at `asn` towards `neighbor` (0: every neighbour, prepend/export only).
struct PolicySpec {
  Asn asn = 0;
  Asn neighbor = 0;
  std::optional<std::uint16_t> local_pref;
  std::optional<unsigned> prepend;
  std::optional<bool> export_allowed;
  sim::Mark mark, neighbor_mark;
};

/// The data-plane capacity of an AS for the traffic it carries in transit (TransitLoad.hpp).
struct CapacitySpec {
  Asn asn = 0;
  double bits_per_s = 0;
  sim::Mark mark;
};

/// A ROA of `bgp.roas`.
struct RoaSpec {
  Prefix prefix;
  unsigned max_length = 0;
  Asn origin = 0;
  sim::Mark mark;
};

/// An import policy of `bgp.import` at `asn`: route origin validation, customer prefix filters
/// (per AS), a max-prefix limit (towards `neighbor`, or each session when 0).
struct ImportSpec {
  Asn asn = 0;
  Asn neighbor = 0;
  std::optional<bool> rov;             ///< rov: drop_invalid (true) or accept_all (false)
  std::optional<bool> customer_filter;
  std::optional<std::uint32_t> max_prefix;
  sim::Mark mark, neighbor_mark;
};

/// `bgp.rov_adoption`: the share of ASes of each tier that drop RPKI-invalid routes, drawn with the
/// stream "bgp.rov" of `seed` (independent of the run seed). Tiers from the graph: tier1 has no
/// provider, stub no customer, transit the rest.
struct RovAdoption {
  double tier1 = 0, transit = 0, stub = 0;
  std::uint64_t seed = 1;
  bool present = false;
};

/// The whole `bgp:` section.
struct BgpConfig {
  enum class Source { Inline, Synthetic, Caida };
  Source source = Source::Inline;
  std::size_t synthetic_ases = 0;
  std::uint64_t synthetic_seed = 1;
  std::string caida_path; ///< resolved against the directory of the file that names it
  std::string caida_text; ///< as written
  sim::Mark topology_mark;
  std::vector<InlineLink> links;
  std::vector<PrefixSpec> prefixes;
  std::vector<AsRef> vantages;    ///< explicit list (empty: pick vantage_count)
  std::size_t vantage_count = 10; ///< when picked
  std::uint64_t vantage_seed = 1;
  sim::Mark vantages_mark;
  std::vector<AsRef> victims; ///< default: every origin AS
  std::vector<PolicySpec> policies;
  std::vector<CapacitySpec> capacities; ///< transit_capacity (ASes not listed: unlimited)
  std::vector<RoaSpec> roas;
  std::vector<ImportSpec> imports;
  RovAdoption rov_adoption;

  /// The spec of a configured prefix, nullptr if not configured.
  const PrefixSpec* find(const Prefix& p) const;
  /// Distinct victim ASes (explicit, or every origin AS), sorted.
  std::vector<Asn> victim_asns() const;
};

/// Reads a `bgp:` section. Every problem goes to `d`; returns nullopt if any was found.
std::optional<BgpConfig> read_bgp_config(const sim::YamlNode& section, sim::Diagnostics& d);
/// The `bgp:` section and its keys, declared once (BgpKeys.cpp).
const sim::KeyDecl& bgp_section_key();
/// The signals the bgp model computes (BgpKeys.cpp).
const std::vector<sim::SignalDecl>& bgp_signal_decls();

/// The section of a merged scenario, nullptr when it has none.
const sim::YamlNode* bgp_section(const sim::Scenario& s);

/// The AS graph of a config: the topology source plus the inline links. Problems (a CAIDA file's error, a link already in the topology) are
/// reported at the config's marks; returns nullptr then.
std::shared_ptr<const AsGraph> bgp_graph(const BgpConfig& config, sim::Diagnostics& d);

/// Checks every AS number of the config (and the scenario's topology.ases, if `scenario` is given)
/// against the graph, policies' adjacency, and the vantage count. Returns false on any error.
bool check_bgp_config(const BgpConfig& config, const AsGraph& graph, const sim::Scenario* scenario,
                      sim::Diagnostics& d);

/// The vantage ASes: the explicit list, or `vantage_count` ASes with at least two neighbours that
/// originate no configured prefix, drawn with the stream "bgp.vantages" of `vantage_seed`
/// (independent of the run seed, so changing --seed changes timers, not observers). Sorted.
std::vector<Asn> pick_vantages(const BgpConfig& config, const AsGraph& graph);

/// The ASes that drop RPKI-invalid routes: those `bgp.import` says so, plus the seeded draw of
/// `bgp.rov_adoption` among the others (an explicit rov: accept_all keeps an AS out). Sorted.
std::vector<Asn> rov_ases(const BgpConfig& config, const AsGraph& graph);

/// Everything a scenario's BGP part needs, read, loaded and checked in one go (the model's configure
/// and the unit tests); nullopt with diagnostics when anything is wrong or the
/// scenario has no `bgp:` section (then `d` stays empty).
struct BgpSetup {
  BgpConfig config;
  std::shared_ptr<const AsGraph> graph;
};
std::optional<BgpSetup> load_bgp_setup(const sim::Scenario& s, sim::Diagnostics& d);

/// The bgp model's config for a run: its section parsed, its graph loaded and checked, once.
struct BgpModelConfig : sim::ModelConfig {
  explicit BgpModelConfig(BgpSetup s) : setup(std::move(s)) {}
  BgpSetup setup;
};

/// Parses "A-B" (two AS numbers) of a session path's id.
std::optional<std::pair<Asn, Asn>> parse_session_id(const std::string& id);
/// "session:A-B" with A < B.
std::string session_path(Asn a, Asn b);

} // namespace outagesim::bgp
