#pragma once
// The DNS model's configuration: the top-level `dns:` section of a scenario as plain structs (zones,
// records, servers and their sites, resolvers, client cohorts and their demand), and the resolver and
// client policies that come from the model's parameters. Engine-free: the core and its unit tests
// build these by hand; the adapter reads them from YAML with read_dns_section().
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/Scenario.hpp"

#include "sim/core/SignalDecl.hpp"
#include "sim/scenario/Keys.hpp"

namespace outagesim::dns {

/// One record of a zone. Names are absolute without the trailing dot ("www.example.com").
struct RecordSpec {
  enum class Type { A, Cname };
  std::string name;
  Type type = Type::A;
  double ttl = 300;   ///< seconds
  std::string target; ///< CNAME: the canonical name
};

/// A zone: its name servers (the NS set, as server ids), the TTL its parent gives the delegation
/// (NS and glue), the negative-caching TTL (RFC 2308: min(SOA TTL, SOA minimum)) and its records.
/// A zone with no parent among the configured zones is a TLD whose servers every resolver knows
/// (root hints and the root's delegation are not modelled: the root never fails here).
struct ZoneSpec {
  std::string name;
  std::vector<std::string> servers;
  double ns_ttl = 172800;
  double negative_ttl = 900;
  std::vector<RecordSpec> records;
};

/// A name server: one address served from one site, or from several (anycast). A site is a topology
/// node (`dns:ID`); capacity is per site, in queries per second.
struct ServerSpec {
  std::string id;
  std::vector<std::string> sites;       ///< node paths
  std::optional<std::uint32_t> address; ///< IPv4 (host order), for BGP route lookups
  double capacity = 1e5;
};

/// A recursive resolver at a topology node (`resolver:ID`), in a group ("isp", "public") that
/// signals aggregate over. Optional overrides of the model-wide resolver policy.
struct ResolverSpec {
  std::string node;
  std::string group = "isp";
  double capacity = 1e5; ///< client queries per second it can answer; the rest are dropped
  std::optional<bool> serve_stale;
  std::optional<double> servfail_ttl;
  std::optional<bool> refetch_delegation;
  /// Independent caches this resolver stands for (an ISP's resolver farm, a public resolver's anycast
  /// nodes, each with its own cache): demand is split evenly among them, each fills and expires its
  /// own entries, so a model resolver of N instances asks upstream about N times as often.
  int instances = 1;
};

/// A user region's resolver mix: which resolvers its users ask, with shares summing to 1.
struct ClientSpec {
  std::string region; ///< node path "region:ID"
  std::vector<std::pair<std::string, double>> via;
};

/// Demand for one name: lookups per person per second at the diurnal mean.
struct DemandSpec {
  std::string name;
  double rate = 0;
};

/// The whole `dns:` section.
struct DnsConfig {
  std::vector<ServerSpec> servers;
  std::vector<ZoneSpec> zones;
  std::vector<ResolverSpec> resolvers;
  std::vector<ClientSpec> clients;
  std::vector<DemandSpec> names;
};

/// How every resolver resolves (model parameters; some can be overridden per resolver).
struct ResolverPolicy {
  double timeout = 0.8;            ///< first timeout per server attempt, seconds
  double backoff = 2;              ///< timeout multiplier from one round over the NS set to the next
  int server_retries = 1;          ///< extra rounds over the NS set after the first
  double servfail_ttl = 1;         ///< how long a SERVFAIL is cached (0: not cached)
  bool serve_stale = false;        ///< RFC 8767
  double max_stale = 86400;        ///< how long after expiry stale data may be served
  double stale_refresh = 30;       ///< RFC 8767 failure-recheck timer: stale answers between refresh tries
  bool coalesce = true;            ///< identical queries in flight wait for one upstream resolution
  bool refetch_delegation = false; ///< a zone whose whole NS set failed is asked of its parent again
  /// After a resolution in which every server of a zone timed out or had no route, the instance
  /// marks them down and answers SERVFAIL without asking upstream for this long (Unbound's infra
  /// cache with infra-keep-probing off: down hosts "may take infra-host-ttl time to get probed
  /// again", default 900 s). 0: only servfail_ttl holds.
  double infra_holddown = 0;
  /// Time budget of one resolution, seconds: no upstream query is sent once this much time has passed
  /// since the resolution began, and the client gets SERVFAIL at the budget at the latest. Knot
  /// Resolver: KR_RESOLVE_TIME_LIMIT 10000 ms (lib/defines.h); BIND 9: resolver-query-timeout, 10 s
  /// (its minimum, ISC issue bind9#4320); PowerDNS Recursor: max-total-msec 7000.
  double budget = 10;
  /// Upstream queries one resolution may send at most (every zone it asks on the way). Unbound:
  /// MAX_SENT_COUNT 32 (iterator/iterator.h, "max number of queries-sent-out"; max-sent-count since
  /// 1.17); BIND 9: max-recursion-queries (50 after CVE-2014-8500, 100 in 9.16-9.18).
  int max_tries = 32;
};

/// How stubs and apps retry (model parameters).
struct ClientPolicy {
  int immediate_retries = 2; ///< stub/app retries right after a failure
  int app_retries = 3;       ///< later retries of a failed lookup, after back-off
  double app_backoff = 30;   ///< first back-off, seconds; doubles per later retry; then give up
  double timeout = 5;        ///< a resolver answer slower than this is a timeout for the client
};

/// A user region as the DNS model sees it.
struct RegionInfo {
  std::string path; ///< "region:ID"
  double population = 1;
  double utc_offset_h = 0;
};

/// Reads and checks the `dns:` section of a scenario (unknown keys, bad values and references to
/// missing topology nodes are FILE:LINE:COL errors). Returns an empty config if there is no section.
DnsConfig read_dns_section(const sim::Scenario& s, sim::Diagnostics& d);
/// The `dns:` section and its keys, declared once (DnsKeys.cpp).
const sim::KeyDecl& dns_section_key();
/// The signals the dns model computes (DnsKeys.cpp).
const std::vector<sim::SignalDecl>& dns_signal_decls();

/// Dotted-quad IPv4 text to a host-order number.
std::optional<std::uint32_t> parse_ipv4(const std::string& text);

} // namespace outagesim::dns
