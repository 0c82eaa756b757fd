#pragma once
// The engine-free core of the DNS model: zones and records with TTLs, name servers (anycast sites with
// a capacity), recursive resolvers with caches, and fluid client demand per region and name. Time
// advances in steps [t0, t1) driven from outside (the SimGrid adapter, or a unit test); within a step
// reachability is fixed, and each (resolver, name) walks its cache timeline exactly: entries expire
// at their TTL, the first query after expiry resolves upstream (once, when queries coalesce), and
// the answer kinds of the fluid query stream are integrated over time.
//
// Mechanisms that multiply load come out of the walk, not out of a formula: a failed resolution tries
// every server of the NS set for (1 + server_retries) rounds with back-off; clients retry
// immediately (immediate_retries) and later (app_retries after app_backoff, doubling); without
// coalescing every query in flight starts its own resolution; SERVFAIL caching and serve-stale damp it.
//
// Baselines for the query multipliers are analytic: the same demand with every server reachable gives
// each cache one upstream query per cached item per (TTL + 1/demand).
//
// A resolver may stand for several independent caches (ResolverSpec::instances): its demand is split
// evenly among them and each walks its own cache timeline (own expiries, own failure cycles), so
// upstream load and the times at which users see failures spread the way they do over a resolver
// farm. fill_caches_at_random_ages() starts every cache warm, each entry filled at a random time
// within one TTL before the start (as a long-running cache is), instead of empty at time 0.
//
// Access links: every site node (all the server addresses served there) reaches the network over the
// links the engine gives it (set_access_links, refreshed every step: capacity and state). Queries
// towards the site (legitimate ones, with retries, and attack queries of query_bytes each) and any
// non-query flood (set_flood) share them, split evenly over the links that are up (ECMP). A link
// offered more than its capacity passes the share capacity/offered of every packet, legitimate or
// not; the site's servers then see what passed, and their own capacity applies to it. Lost queries
// are lost like dropped ones: the resolver times out and tries the next server or round.
//
// Budgets: a resolution sends its tries (rounds over the NS set, timeouts growing by `backoff`) only
// while its time budget lasts (ResolverPolicy::budget, 10 s) and up to max_tries queries (32); past
// either the client gets SERVFAIL. Under a loss l on every path, a resolution that can send k tries
// fails with probability l^k (tests/unit/dns/test_dns_storms.cpp).
//
// Load feedback: the queries a step sends to a site (first tries, timeouts re-sent to the other
// servers, the new resolutions that clients' retries start) are the site's legitimate load in the
// NEXT step: on its access links (with the attack, where they lose the same share of every packet)
// and at its servers' capacity. Next step, not a fixed point within the step: the step (10 s) is
// shorter than a failed resolution's cycle (timeouts, then SERVFAIL cached), so the retries of a
// step land in the next one anyway. It is stable because the loop load -> loss -> tries -> load is
// bounded and its gain is below 1: a cache sends at most max_tries queries per name and per
// (budget + servfail_ttl) whatever the loss (with coalescing), so the retry load saturates; and under
// tail drop a site's loss is 1 - capacity/(attack + legitimate), whose change with the legitimate
// load is legitimate/offered times smaller than the load itself. The iteration settles within a few
// steps instead of running away. dns.retry_amplification (per zone) is the legitimate load over its
// no-fault level.
//
// Demand comes either from the config (lookups per person per second, with the core's own client
// retries) or from outside (set_external_demand: a users model's queries per second per region and
// name, its app retries included; the core then adds only the stub's immediate retries). For
// external demand the baseline is the demand of the last step in which the region's resolutions of
// the name worked (success >= 99 %): "the usual rate" that observers compare a storm with.
//
// Where it lives: DnsIndex.cpp (zones, names, chains, sites, instances), DnsZoneState.cpp (faults on
// zones and caches), DnsSiteLinks.cpp (reachability, catchment, access links), DnsResolution.cpp (one
// upstream resolution), DnsCacheWalk.cpp (the walk of one instance and name over a step),
// DnsTracing.cpp (reasons, dns.trace); DnsCore.cpp steps them. Work follows change, with the same sums
// in the same order (outputs byte-identical): a walk whose cache chain or hold outlasts the step adds
// its one answer without walking (WalkMemo, forgotten when an entry of its chain changes); the
// instances of a (resolver, name) are visited as one group in index order (walk_group): a group whose
// memos all outlast the step walks nothing, and with the same demand per instance as last step reuses
// last step's sum (the same additions in the same order). A zone's NS set is looked at once per
// resolver for all its instances, and again only when reachability, a site's accepted share or a site
// node's state changed (ZoneView, check_views); reachability is asked when first used after a change.
// A resolution reuses one Plan (no allocation) and copies reason texts built once per view and name.
// Memory: the caches of all instances live in one CacheStore (ResolverCache.hpp), the entries of one
// name (zone, query name's holds) of every instance adjacent, holds inline; walk_group prefetches the
// entries of the walks a few ahead, as the instances that walk in a step are a scattered few.
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include "models/dns/DnsConfig.hpp"
#include "models/dns/ResolverCache.hpp"

namespace outagesim::dns {

/// Whether a resolver reaches one site of a server now, and if not, why.
struct Reach {
  bool ok = false;
  double latency = 0.01;   ///< one way, seconds (nearest site wins among reachable anycast sites)
  std::string reason;      ///< why not ("no path: cut off by link:x", "AS174 has no route to ...")
  std::uint64_t cause = 0; ///< id of the event that made it unreachable (0: unknown)
  bool no_route = false;   ///< the resolver's network has no route at all: the query fails at once
  /// The route delivers the query to this AS, which is not the server's own (a hijack of the server's
  /// prefix): it answers, with forged data. With ok = true; 0 when the real server answers.
  std::uint32_t hijacked_by = 0;
  /// An unauthorised origin the query ends at or passes through, whatever it does with it (answers,
  /// drops, forwards: RouteAnswer::hijacker); 0 when none.
  std::uint32_t attracted_by = 0;
  /// With ok = true: the share of queries the route delivers (below 1 when a transit network on the
  /// way is congested, e.g. a leaker drowning in what it attracted); the rest time out.
  double delivered = 1.0;
  std::string loss; ///< why delivered < 1 ("AS33368 congested: ..."); `cause` is its event
};

/// Reachability of `site` (index into the server's sites) of `server` from `resolver` (indices into
/// the config's lists).
using ReachFn = std::function<Reach(std::size_t resolver, std::size_t server, std::size_t site)>;

/// One access link of a DNS site node, as the engine sees it now.
struct AccessLink {
  std::string path;        ///< "link:site/gru" (events, timeline)
  double capacity_bps = 0; ///< bits per second
  bool up = true;
};

/// How an even split (ECMP) of traffic over a site's links fares: each link that is up carries
/// offered/up bits/s and passes the share min(1, capacity/carried) of every packet (tail drop).
struct LinkSplit {
  std::vector<double> offered; ///< per link, bits/s (0 when down)
  std::vector<double> share;   ///< per link, share of packets passed
  double pass = 1;             ///< share of all the traffic delivered (exactly 1 when no link is full;
                               ///< 0 when every link is down; 1 without links)
};
LinkSplit split_over_links(double offered_bps, const std::vector<AccessLink>& links);

/// A state change of a (resolver, name) or of a site's access link worth an event.
struct DnsEvent {
  double time;
  std::string type;    ///< dns.servfail_start, dns.timeout_start, dns.nxdomain_start, dns.stale_start,
                       ///< dns.resolution_recovered, dns.link_congested, dns.link_cleared
  std::string subject; ///< "resolver:ID"; "link:ID" for dns.link_congested, dns.link_cleared
  std::string name;    ///< the demand name ("" for link events)
  std::string reason;
  std::uint64_t cause = 0;
  std::vector<std::string> steps; ///< dns.trace: the steps of one resolution, in order
  /// Extra data of the event (link events: offered_bps, capacity_bps, share).
  std::vector<std::pair<std::string, double>> numbers{};
};

/// Counters of one sample interval.
struct SampleStats {
  struct PerName {
    double base_lookups = 0; ///< user demand without retries (the resolver baseline)
    double attempts = 0;     ///< queries reaching resolvers (with client retries)
    std::array<double, kAnswerKinds> answers{};
    double gave_up = 0;
    /// Upstream resolutions started by the caches, and those that ended in SERVFAIL (every try lost, or
    /// the time or query budget spent).
    double resolutions = 0, resolutions_failed = 0;
    // Upstream queries arriving at the name's TLD (parent zone) and authoritative servers.
    double tld_base = 0, tld_failure_driven = 0;
    double auth_base = 0, auth_failure_driven = 0, auth_attack = 0;
    /// Attack traffic sent to the sites of the name's authoritative servers, in bits: attack queries
    /// (query_bytes each) and any junk flood on those sites' links (counted once per site).
    double auth_attack_bits = 0;
  };
  std::vector<PerName> names;            ///< per demand name
  std::vector<double> resolver_base;     ///< per resolver: user demand
  std::vector<double> resolver_attempts; ///< per resolver: queries offered (with retries)
  std::vector<std::array<double, kAnswerKinds>> resolver_answers;
  struct PerSite {
    double sent = 0, arrived = 0, dropped = 0, attack = 0;
  };
  std::vector<std::vector<PerSite>> sites; ///< per server, per site
  struct PerLink {
    double offered = 0, delivered = 0; ///< bits over the interval
    bool attacked = false;             ///< attack queries or a flood were aimed at its site
    bool congested = false;            ///< offered more than its capacity at some step
  };
  std::vector<std::vector<PerLink>> links; ///< per site node, per access link (as last set)
  struct PerZone {
    double sent = 0; ///< legitimate queries the resolvers sent to the zone's servers about it (retries too)
    double base = 0; ///< the same with every server answering (analytic, see baseline())
  };
  std::vector<PerZone> zones; ///< per configured zone: retry amplification = sent / base
};

/// The DNS model's state and mechanisms, independent of any engine.
class DnsCore {
public:
  /// Builds indices from a checked config. `sample` is the statistics interval (seconds).
  DnsCore(DnsConfig config, ResolverPolicy policy, ClientPolicy clients, std::vector<RegionInfo> regions,
          double sample, double diurnal_amplitude = 0, std::int64_t start_epoch = 0);

  /// Sets how resolvers reach server sites (default: everything reachable, 10 ms).
  void set_reach(ReachFn fn) {
    reach_fn_ = std::move(fn);
    invalidate_reach();
  }
  /// Forgets cached reachability (call when the topology or routes changed).
  void invalidate_reach() { reach_valid_ = false; }
  /// A region's query rate for a demand name, retries included (from a users model); from the next
  /// step on, this name's demand in that region comes from here instead of the config's rate.
  void set_external_demand(std::size_t region, std::size_t demand, double queries_per_s);
  /// How the users of a region fare with a demand name in the last step (their resolvers' mix).
  struct RegionOutcome {
    double success = 1;
    Answer failure = Answer::ServFail; ///< the commonest failing answer
    std::uint64_t cause = 0;
    double hijacked = 0; ///< share of its resolvers' resolutions a hijacker attracts a query of (any zone of the chain)
  };
  RegionOutcome region_outcome(std::size_t region, std::size_t demand) const;
  /// Anycast catchment of a region for one server address: the share of the region's traffic to the
  /// address that lands at each of its sites now, seen from the resolvers the region uses (their
  /// nearest reachable site; bots in a region sit behind the same networks). Sums to the reachable
  /// share (1, or less when some resolvers reach no site).
  std::vector<double> catchment(std::size_t region, std::size_t server);
  /// Index of a region by path ("region:ID"), or -1.
  int region_index(const std::string& path) const;
  /// The same by path or by bare id ("ID"), without building a string (hash lookups: the users model
  /// asks this per region, name and step).
  int region_index_any(const std::string& path_or_id) const;
  /// Adds (or removes, with 0) attack traffic in queries/s at one site of a server; `cause` (the
  /// attack's event, or its end's) becomes the cause of the site's link congestion events.
  void set_attack(std::size_t server, std::size_t site, double rate, std::uint64_t cause = 0);

  // Site nodes and their access links (see the header comment). A site node is a distinct node path
  // among the servers' sites; without access links (the default) nothing is lost on the way.
  std::size_t site_node_count() const { return site_nodes_.size(); }
  const std::string& site_node(std::size_t i) const { return site_nodes_[i].node; }
  /// Index of a site node by path ("dns:gru"), or -1.
  int site_node_index(const std::string& node) const;
  /// The site's access links now (the engine calls this before every step).
  void set_access_links(std::size_t node, std::vector<AccessLink> links);
  const std::vector<AccessLink>& access_links(std::size_t node) const { return site_nodes_[node].links; }
  /// Non-query attack traffic (reflection, amplification junk) towards a site node, bits/s; 0 ends it.
  void set_flood(std::size_t node, double bps, std::uint64_t cause = 0);
  double site_node_flood(std::size_t node) const { return site_nodes_[node].flood_bps; }
  /// A site's servers misbehave: they stay up and announced, but the share `share` (0..1) of their
  /// answers is `answer` (after a bad configuration push, a broken backend): ServFail and Refused
  /// send the resolver to the next server of the NS set at once (a lame server, RFC 9520 s. 3.1),
  /// Timeout is no answer (the resolver waits for its timeout), WrongAddress is a wrong address the
  /// resolver accepts and caches for the record's TTL. Share 0 (or None) ends it.
  enum class Misbehave { None, ServFail, Refused, Timeout, WrongAddress };
  void set_misbehave(std::size_t node, Misbehave answer, double share, std::uint64_t cause = 0);
  /// Operators add (or remove) capacity at one site of a server: queries/s it answers there; a
  /// negative value restores the configured capacity.
  void set_capacity(std::size_t server, std::size_t site, double queries_per_s);
  /// Bytes of one attack or legitimate query on the wire (IP and UDP headers included).
  void set_query_bytes(double bytes) { query_bytes_ = bytes; }
  double query_bytes() const { return query_bytes_; }
  /// Share of packets towards a site node that its access links deliver in the current step (1: all).
  double link_pass(std::size_t node) const { return site_nodes_[node].pass; }

  // Faults on zone contents (each returns false when nothing changes). The servers keep running and
  // answering; what they answer changes. Cached data lives out its TTL (positive and negative).
  /// The zone's records are deleted (deleted = true) or restored: its servers answer NXDOMAIN for
  /// every name in it (an emptied zone keeps its SOA and NS, so the answers are authoritative and are
  /// cached for the zone's negative TTL, RFC 2308).
  bool set_zone_deleted(std::size_t zone, bool deleted, std::uint64_t cause = 0);
  /// One record is deleted or restored: NXDOMAIN for that name only (a broken CNAME target, a
  /// removed address record).
  bool set_record_deleted(std::size_t name, bool deleted, std::uint64_t cause = 0);
  /// The parent removes (delegated = false) or restores the zone's delegation: once a resolver's
  /// cached NS set expires, the parent answers NXDOMAIN for every name under the zone (cached for
  /// the parent's negative TTL).
  bool set_delegated(std::size_t zone, bool delegated, std::uint64_t cause = 0);
  /// Cache poisoning: every instance of a resolver holds a forged address for `name` from `t` for
  /// `ttl` seconds (answers: wrong_address). flush() forgets a name in every instance (an operator's
  /// cache flush); both return false for an unknown name.
  bool poison(std::size_t resolver, std::size_t name, double t, double ttl);
  bool flush(std::size_t resolver, std::size_t name);
  /// A crashed resolver comes back with empty caches: every instance forgets every name and
  /// delegation (a graceful stop keeps them; resolvers that persist their cache are not modelled).
  void forget_all(std::size_t resolver);

  /// Individual resolution tracing: every upstream resolution of demand `demand` by instance 0 of each
  /// resolver that region `region` uses records its steps; a dns.trace event is produced when the
  /// outcome or its steps differ from the previous traced resolution of that resolver.
  void set_trace(int region, int demand) {
    trace_region_ = region;
    trace_demand_ = demand;
  }

  /// Advances [t0, t1). Steps must be consecutive and must not cross a sample boundary.
  void step(double t0, double t1);

  /// Events produced since the last call (in order).
  std::vector<DnsEvent> take_events();
  /// Statistics of sample interval k (created on demand).
  const SampleStats& sample(std::size_t k) { return stats_at(k); }
  std::size_t sample_count() const { return stats_.size(); }
  double sample_interval() const { return sample_; }

  const DnsConfig& config() const { return config_; }
  /// Index of a demand name, or -1.
  int demand_index(const std::string& name) const;
  int resolver_index(const std::string& node) const;
  /// The cache of a resolver's instance (for inspection and tests): names[n], zones[z].
  CacheStore::View cache(std::size_t resolver, std::size_t instance = 0) const {
    return caches_.view(inst_base_[resolver] + instance);
  }
  /// Fills every instance's cache with every record and delegation, each entry of age U[0, TTL) at
  /// time 0 (stream "dns.cache_ages" of `seed`): caches that have run for a long time before the start.
  void fill_caches_at_random_ages(std::uint64_t seed);
  int name_index(const std::string& name) const;
  int zone_index(const std::string& name) const;
  /// User lookups per second of a demand name at a resolver at time t (before retries).
  double base_demand(std::size_t resolver, std::size_t demand, double t) const;

private:
  struct Name {
    std::string name;
    int zone = -1;
    bool has_record = false;
    RecordSpec::Type type = RecordSpec::Type::A;
    double ttl = 0;
    int target = -1; ///< CNAME target name index
  };
  struct Zone {
    std::string name;
    int parent = -1;
    std::vector<std::size_t> servers;
    double ns_ttl = 0, negative_ttl = 0;
  };
  struct Write {
    bool zone; ///< a delegation (else an owner name)
    std::size_t index;
    CacheEntry::Kind kind;
    double ttl;
  };
  struct Attempt {
    std::size_t server, site;
    int zone; ///< the zone asked
    double count;
    bool arrived;
  };
  /// What one upstream resolution would do now (probabilities where servers drop queries).
  struct Plan {
    double p = 1;        ///< probability it succeeds
    double lat_ok = 0;   ///< duration if it succeeds
    double lat_fail = 0; ///< duration if it fails (all timeouts, or the time budget)
    double tries = 0;    ///< upstream queries sent on the way to success so far (the query budget)
    Answer rcode = Answer::NoError;
    std::vector<Write> writes;
    std::vector<std::size_t> drop_zones; ///< delegations to forget (refetch_delegation)
    std::vector<Attempt> attempts;       ///< expected upstream queries of one resolution
    std::string reason;
    std::uint64_t cause = 0;
    double forged = 0;          ///< share of the last zone query's answers that came from a hijacker
    std::uint32_t hijacker = 0; ///< the AS that answered them (0: a misbehaving server of the zone)
    std::uint64_t hijack_cause = 0; ///< the event behind that hijack (Reach::cause)
    bool lame = false;  ///< some server answered SERVFAIL or REFUSED: a failure is not held down as a timeout
    double neg_ttl = 0; ///< negative TTL of a parent's NXDOMAIN for a removed delegation
    std::vector<std::string>* trace = nullptr; ///< steps, when this resolution is traced
    /// Back to a default Plan, keeping the vectors' capacity.
    void reset(std::vector<std::string>* steps) {
      p = 1;
      lat_ok = lat_fail = tries = 0;
      rcode = Answer::NoError;
      writes.clear();
      drop_zones.clear();
      attempts.clear();
      reason.clear();
      cause = 0;
      forged = 0;
      hijacker = 0;
      hijack_cause = 0;
      lame = false;
      neg_ttl = 0;
      trace = steps;
    }
  };
  /// What a zone's parent says of the zone's delegation.
  enum class Delegation { Known, Failed, NxDomain, Forged };
  /// Why a resolution failed, as parts: reason_text() makes the event text of it.
  struct Why {
    std::size_t name = 0; ///< the name resolved
    long expired = -1;    ///< the name whose cached entry ran out, if any
    double ttl = 0, until = 0;
    std::string reason; ///< the plan's reason
  };
  std::string reason_text(const Why& w) const;
  /// Sets a failure's parts; the reason is copied into the string `w` already holds (no allocation
  /// once it is long enough), the plan keeping its own for the next resolution.
  static void set_why(Why& w, std::size_t name, long expired, const std::string& reason) {
    w.name = name;
    w.expired = expired;
    w.ttl = w.until = 0;
    w.reason.assign(reason);
  }
  struct PerResolverName {
    double fail_prev = 0; ///< retryable failure fraction of the previous step (drives client retries)
    enum class State { Ok, Failing, Stale } state = State::Ok;
    std::deque<std::pair<double, std::pair<int, double>>> retries; ///< (due, (generation, lookups))
    Why last_why; ///< why the last resolution failed (or answered no address)
    std::uint64_t last_cause = 0;
  };
  /// The last step's outcome of a (resolver, demand), for region_outcome(): dense (resolver * demands +
  /// demand), as the users model asks it for every region, name and step.
  struct PairOutcome {
    double success = 1;
    std::array<double, kAnswerKinds> failures{};
    double hijacked = 0;    ///< share of its last resolutions with a query (any zone of the chain) routed to a hijacker
    std::uint64_t cause = 0; ///< PerResolverName::last_cause after the step's walks
  };
  std::vector<PairOutcome> outcomes_;

  /// A site node: the (server, site) pairs served there, its access links and what they pass now.
  struct SiteNode {
    std::string node;
    std::vector<std::pair<std::size_t, std::size_t>> addresses; ///< (server, site)
    std::vector<AccessLink> links;
    double flood_bps = 0;
    std::uint64_t cause = 0;     ///< the event of the last attack change here (ddos or calm)
    double pass = 1;             ///< share delivered in this step
    std::vector<char> congested; ///< per link: state for events (with hysteresis)
    std::string why; ///< while pass < 1: "congested link:x: 40 Gbps offered to 10 Gbps", or all down
    Misbehave misbehave = Misbehave::None; ///< what its servers answer wrongly (set_misbehave)
    double misbehave_share = 0;
    std::uint64_t misbehave_cause = 0;
  };

  const Reach& reach(std::size_t resolver, std::size_t server, std::size_t site);
  /// Share of queries to a server's site that are answered: what its access links pass, then what
  /// its capacity accepts of that.
  double accept(std::size_t server, std::size_t site) const;
  /// accept() as check_views() found it at the start of this step (it is fixed within the step).
  double accepted(std::size_t server, std::size_t site) const { return view_numbers_[site_base_[server] + site]; }
  /// Offered traffic and delivered share of every site node's links for the step starting at t0.
  void update_links(double t0, double dt, SampleStats& st);
  /// Works out one upstream resolution into `p` (reset first; its vectors keep their capacity, so
  /// that the walk reuses one Plan and a resolution allocates nothing).
  void plan(Plan& p, std::size_t r, std::size_t inst, std::size_t q, double t,
            std::vector<std::string>* trace = nullptr);
  Plan plan_scratch_; ///< the Plan step_pair reuses
  Delegation ensure_delegation(std::size_t r, std::size_t inst, int zone, double t, Plan& p, double& weight);
  /// Whether a name's record exists now (not deleted with its zone or alone).
  bool present(std::size_t name) const {
    return names_[name].has_record && !record_deleted_[name] && !zone_deleted_[names_[name].zone];
  }
  /// Whether this resolution takes the forged answer (a share `f` of answers is forged): a per-instance
  /// accumulator, so that over the instances and over time exactly that share is forged.
  bool take_forged(std::size_t inst, double f);
  /// How one server of a zone's NS set answers a resolver now: the site its address leads to (the
  /// nearest reachable one, anycast) and the share of tries answered there.
  struct ZoneChoice {
    long site = -1;
    double p = 0, latency = 0;
    bool no_route = true;       ///< every site unreachable for want of a route: fails without a timeout
    std::uint32_t hijacker = 0; ///< the address is routed to this AS, which answers with forged data
    std::uint32_t attracted = 0; ///< an unauthorised origin the route ends at or passes (any mode)
    double fast = 0;            ///< share of tries answered SERVFAIL/REFUSED (next server at once)
    double wrong = 0;           ///< share of its good answers that are wrong addresses (misbehaving)
    std::uint64_t hijack_cause = 0;
  };
  /// A zone's NS set as a resolver sees it (the same for all its instances), kept while what it is
  /// made of stays the same (view_gen_).
  struct ZoneView {
    std::uint64_t stamp = 0; ///< the view_gen_ it was computed in (0: never)
    std::vector<ZoneChoice> choice;
    std::string why, link_why, route_why;
    std::uint64_t cause = 0;
    bool overloaded = false, congested = false, lossy_route = false, misbehaving = false, lame = false;
    /// The tries of a resolution's first zone query (nothing spent before it, see query_zone).
    struct First {
      bool done = false;
      double success = 0, lat_ok = 0, lat_fail = 0, forged = 0, tries_ok = 0;
      bool hijacked = false; ///< whether the tries set hijacker and hijack_cause (to these)
      std::uint32_t hijacker = 0;
      std::uint64_t hijack_cause = 0;
      std::vector<Attempt> attempts;
    } first;
    /// The reasons query_zone gives with this view (its texts are fixed within the step), each kept
    /// for the name it was last built for: built once per (resolver, zone, name) and step, not per
    /// resolution.
    enum Reason { NoAnswerMisbehaving, NoAnswer, Congested, LossyRoute, Misbehaving, Capacity, kReasons };
    struct ReasonText {
      const std::string* qname = nullptr; ///< the name it was built for (names_/zones_ keep it)
      std::string text;
    };
    mutable std::array<ReasonText, kReasons> reasons{};
  };
  void view_zone(std::size_t r, int zone, const std::string& qname, ZoneView& v,
                 std::vector<std::string>* trace);
  /// The view of (resolver, zone) for the current step, computed on first use after its inputs changed.
  const ZoneView& zone_view(std::size_t r, int zone, const std::string& qname);
  /// Share of resolver r's resolutions of demand name d with a query whose route ends at or passes an
  /// unauthorised origin, at time t: each zone of its CNAME chain by the share of its servers attracted
  /// (each asked first equally often) in the view of the resolver's last query to it, and each parent
  /// that delegates one of those zones (up to the TLD) the same, times the share of the resolver's
  /// instances whose delegation is not fresh at t (only they ask it); 1 - the product of the clean
  /// shares.
  double hijacked_share(std::size_t r, std::size_t d, double t) const;
  /// Queries the NS set of a zone; returns the success probability and updates the plan.
  double query_zone(std::size_t r, int zone, const std::string& qname, Plan& p, double& weight);
  void commit(std::size_t r, std::size_t inst, const Plan& p, double base);
  /// Records a traced resolution as a dns.trace event when its outcome differs from the last one.
  void trace(std::size_t r, std::size_t d, double t, const Plan& p, std::vector<std::string>& steps);
  void account(SampleStats& st, std::size_t r, std::size_t d, const Plan& p, double resolutions,
               double failure_driven_share);
  /// Walks the cache of one instance over [t0, t1) (walk_group skips it while its memo covers it).
  void step_pair(std::size_t r, std::size_t inst, std::size_t d, double t0, double t1, double lam,
                 SampleStats& st, std::array<double, kAnswerKinds>& out);
  void baseline(std::size_t d, const std::vector<double>& demand_rd, std::size_t r, double dt,
                SampleStats& st);
  SampleStats& stats_at(std::size_t k);
  double diurnal(const RegionInfo& reg, double t) const;

  DnsConfig config_;
  ResolverPolicy policy_;
  ClientPolicy clients_;
  std::vector<RegionInfo> regions_;
  double sample_;
  double diurnal_amplitude_;
  std::int64_t start_epoch_;

  std::vector<Name> names_;
  std::map<std::string, int> name_index_;
  std::unordered_map<std::string, int> region_by_path_, region_by_id_, demand_by_name_;
  std::vector<Zone> zones_;
  std::vector<std::size_t> demand_names_;       ///< demand index -> name index
  std::vector<std::vector<std::size_t>> needs_; ///< demand index -> name indices of its chain
  std::vector<std::vector<int>> needs_zones_;   ///< demand index -> delegated zones it needs
  std::vector<double> item_demand_names_; ///< per name index: demand needing it (this resolver, this step)
  std::vector<double> item_demand_zones_; ///< per zone index: the same for delegations
  std::vector<std::vector<double>> region_share_; ///< region -> resolver -> share
  std::vector<std::vector<std::size_t>> resolver_regions_; ///< resolver -> regions with a share != 0
  std::vector<std::vector<std::size_t>> region_resolvers_; ///< region -> resolvers with a share > 0
  std::vector<ResolverPolicy> resolver_policy_;
  std::vector<std::array<double, 16>> round_timeouts_; ///< per resolver: timeout of each retry round
  CacheStore caches_;                               ///< every instance's (resolver r: inst_base_[r]...)
  std::vector<std::size_t> inst_base_;              ///< resolver -> its first instance
  std::vector<std::vector<PerResolverName>> pairs_; ///< resolver -> demand
  std::vector<std::vector<Reach>> reach_;           ///< resolver -> flat site index
  std::vector<std::vector<std::uint64_t>> reach_stamp_; ///< the reach_gen_ each entry was asked in
  std::uint64_t reach_gen_ = 0;                        ///< counts invalidations
  std::vector<std::size_t> site_base_;              ///< server -> first flat site index
  std::vector<std::vector<double>> attack_;         ///< server -> site -> queries/s
  std::vector<std::vector<double>> capacity_;       ///< server -> site -> queries/s (empty: as configured)
  std::vector<SiteNode> site_nodes_;
  std::vector<std::vector<std::size_t>> site_node_of_; ///< server -> site -> site node index
  double query_bytes_ = 80;
  std::vector<std::vector<double>> load_prev_; ///< server -> site -> arrived queries/s last step
  std::vector<std::vector<double>> load_now_;
  bool reach_valid_ = false;
  ReachFn reach_fn_;
  std::vector<SampleStats> stats_;
  std::vector<DnsEvent> events_;
  std::vector<char> external_;                           ///< per demand: driven by set_external_demand
  std::vector<std::vector<double>> ext_demand_;          ///< region -> demand -> queries/s (retries included)
  std::vector<std::vector<double>> ext_usual_;           ///< region -> demand -> demand when it last worked
  std::vector<char> zone_deleted_, undelegated_;         ///< per zone
  std::vector<char> record_deleted_;                     ///< per name
  std::vector<std::uint64_t> zone_cause_, record_cause_; ///< the events that deleted them
  std::vector<double> forge_acc_;                        ///< per instance
  int trace_region_ = -1, trace_demand_ = -1;
  std::vector<std::string> trace_last_; ///< per resolver: the last traced resolution's summary
  /// Counts changes of what zone views are made of (ZoneView::stamp): reachability (reach_gen_), the
  /// share each site accepts, and its site node's state (pass, why, cause, misbehaviour). Checked at
  /// the start of each step (check_views); while none changes, the views and their first-query
  /// tries of the last step are this step's, bit for bit.
  std::uint64_t view_gen_ = 1;
  std::uint64_t step_no_ = 0; ///< counts steps (ViewUse::used: the last step the zone was queried, 0: never)
  std::uint64_t view_reach_gen_ = 0; ///< the reach_gen_ the views were computed with
  std::vector<double> view_numbers_; ///< accept() of every flat site, then each site node's numbers
  std::vector<std::uint64_t> view_ids_; ///< each site node's cause, misbehaviour and its cause
  std::vector<std::string> view_whys_; ///< each site node's why
  /// Bumps view_gen_ when an input of the views changed since the last step.
  void check_views();
  /// Makes cached reachability current (reach_gen_ counts invalidations).
  void validate_reach();
  /// How the cache walk of a (instance, demand) ended last time: in a cache hit (the answer, and the
  /// date the first entry of the chain expires) or in a hold (its answer mix and end). Until an entry
  /// of the demand's chain or its holds change (forget_walks), a step that ends by that date is that
  /// one answer over the whole step: it is added without walking the cache (the same sums, in the
  /// same order, as the walk). Compact (16 bytes) and demand-major, so that the instances of one
  /// (resolver, demand) are adjacent: walk_group() runs over them in index order.
  struct WalkMemo {
    double until = 0;
    std::int8_t code = kNoMemo; ///< kNoMemo, an Answer (a cache hit), or kHoldMemo (mix in walk_mix_)
  };
  static constexpr std::int8_t kNoMemo = -1, kHoldMemo = 6;
  std::vector<WalkMemo> walk_memo_;  ///< demand * instances + instance
  std::vector<HoldMix> walk_mix_;    ///< the same index: the hold's mix when code == kHoldMemo
  WalkMemo& memo_of(std::size_t inst, std::size_t d) { return walk_memo_[d * caches_.instances() + inst]; }
  /// A (resolver, demand) over its instances: the first date one of their memos stops covering a
  /// step (-inf while one has none, or after forget_walks), and the sum of the last step in which
  /// every instance answered from its memo (valid until one of them changes). A step that ends by
  /// `until` visits no walk; with the same per-instance count as the last one, its sums are the same
  /// additions in the same order as last time: the result is reused.
  struct WalkGroup {
    double until = -std::numeric_limits<double>::infinity();
    bool sum_valid = false;
    double count = 0; ///< lam * (t1 - t0) of the reused sum
    std::array<double, kAnswerKinds> sum{};
  };
  std::vector<WalkGroup> walk_groups_;     ///< resolver * demands + demand
  std::vector<std::size_t> inst_resolver_; ///< instance -> its resolver
  void dirty_group(std::size_t inst, std::size_t d) {
    WalkGroup& g = walk_groups_[inst_resolver_[inst] * demand_names_.size() + d];
    g.until = -std::numeric_limits<double>::infinity();
    g.sum_valid = false;
  }
  std::vector<std::vector<std::size_t>> name_demands_; ///< name -> the demands whose chain has it
  /// The cached entry of `name` in instance `inst` changed: its demands' walks must look again.
  void forget_walks(std::size_t inst, std::size_t name) {
    for (std::size_t d : name_demands_[name]) {
      memo_of(inst, d).code = kNoMemo;
      dirty_group(inst, d);
    }
  }
  /// Every entry of instance `inst` changed.
  void forget_walks(std::size_t inst) {
    for (std::size_t d = 0; d < demand_names_.size(); ++d) {
      memo_of(inst, d).code = kNoMemo;
      dirty_group(inst, d);
    }
  }
  /// The instances of resolver r for demand d over [t0, t1), each with demand `lam`, in index order:
  /// memos added where they cover the step, step_pair where not; answers added to `out`.
  void walk_group(std::size_t r, std::size_t d, double t0, double t1, double lam, SampleStats& st,
                  std::array<double, kAnswerKinds>& out);
  std::vector<std::uint32_t> walk_todo_; ///< walk_group: the instances that walk (scratch)
  std::vector<ZoneView> zone_views_;    ///< resolver * zones + zone
  /// What hijacked_share reads of each zone view, dense (the same index): the step_no_ of the last step
  /// a resolution queried the zone through it (0: never), its servers and how many of them have a
  /// route that attracts an unauthorised origin. Read per resolver, demand and zone every step; a
  /// ZoneView spans cache lines.
  struct ViewUse {
    std::uint64_t used = 0;
    double attracted = 0, servers = 0;
  };
  std::vector<ViewUse> view_use_;
};

} // namespace outagesim::dns
