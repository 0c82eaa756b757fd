#pragma once
// Interfaces through which models use each other without including each other. A model that offers
// a service registers it in the RunContext during start(); a model that needs it asks the context
// (and falls back to the topology, or reports the gap, when no model offers it).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace outagesim::sim {

/// The answer of a data-plane lookup: where a packet from an AS to an address ends, and what
/// happens there. The one verdict every model reads (no model decides it again):
///
///   the packet follows best routes hop by hop (longest-prefix match) to the AS that originates the
///   matched prefix, the terminal AS. It is an *authorised* origin when the scenario declares it an
///   origin of that prefix or of a covering one (or a ROA allows it); a hijacker is not. What an
///   unauthorised terminal does is set on its hijack: it drops the traffic (Blackholed, the default),
///   answers in the owner's place (Impersonated: a DNS query gets a forged address, a web request a
///   failed or forged response), or forwards it on to the real origin over its own route (Delivered,
///   `hijacker` set, the extra AS hops in `as_path`). No route and loops as before.
struct RouteAnswer {
  enum class Status {
    Delivered,   ///< reached an authorised origin (perhaps through an interceptor, see `hijacker`)
    NoRoute,     ///< an AS on the way has no route covering the address
    Loop,        ///< the forwarding path revisits an AS
    Blackholed,  ///< ended at an unauthorised origin, which drops it
    Impersonated ///< ended at an unauthorised origin, which answers in the owner's place
  };
  Status status = Status::NoRoute;
  std::vector<std::uint32_t> as_path; ///< ASes traversed, the source first, the terminal AS last
  std::string reason; ///< what happened ("AS174 has no route to 129.134.30.12", "AS666 originates ...")
  /// An unauthorised origin the traffic ends at (Blackholed, Impersonated) or passes through
  /// (Delivered: intercepted); 0 when none.
  std::uint32_t hijacker = 0;
  /// One-way latency of the AS path, s: the sum of the inter-AS link delays (0 when unknown).
  double latency_s = 0;
  /// With status Delivered: the share of the traffic offered along this path that gets through now
  /// (0..1; below 1 when a transit AS on the path carries more than its capacity). Read it only
  /// when delivered: a packet without a route gets nowhere whatever this says.
  double delivered = 1.0;
  std::string loss; ///< why delivered < 1 ("AS26413 congested: 3.1 Tbps offered to 800 Gbps"), else ""
  /// The event that explains the outcome: the hijack's announcement when `hijacker` is set; with
  /// delivered < 1, the congestion (bgp.congested); else 0.
  std::uint64_t cause = 0;

  /// Every field the same: a model that memoises answers asks this to know whether a route changed.
  friend bool operator==(const RouteAnswer& a, const RouteAnswer& b) {
    return a.status == b.status && a.as_path == b.as_path && a.reason == b.reason && a.hijacker == b.hijacker &&
           a.latency_s == b.latency_s && a.delivered == b.delivered && a.loss == b.loss && a.cause == b.cause;
  }
  friend bool operator!=(const RouteAnswer& a, const RouteAnswer& b) { return !(a == b); }

  /// The terminal AS (the last of as_path), 0 when the path is empty.
  std::uint32_t terminal() const { return as_path.empty() ? 0 : as_path.back(); }
  /// Whether the packet reached an authorised origin (the owner serves it).
  bool delivered_to_owner() const { return status == Status::Delivered; }
  /// Share of a service's requests along this route that the owner serves now: `delivered` when it
  /// reaches the owner, else 0 (no route, loop, black hole, or an impersonator's failed answer).
  double served_share() const { return status == Status::Delivered ? delivered : 0.0; }
};

/// Inter-domain routing (offered by the BGP model): follows best routes hop by hop.
class RouteService {
public:
  virtual ~RouteService() = default;
  /// Where a packet from `from_asn` to the IPv4 address `address` (host order) goes now.
  virtual RouteAnswer route_lookup(std::uint32_t from_asn, std::uint32_t address) const = 0;
  /// A model's traffic, in bits/s, offered now along the path of `route`, an answer route_lookup gave
  /// at this date (call it once per step and flow; the rate holds until the next step; no second
  /// lookup). It loads the transit ASes of that path, and route_lookup's `delivered` follows from the
  /// load of the previous step. Default: traffic is not accounted (unlimited capacity).
  virtual void offer_traffic(const RouteAnswer& /*route*/, double /*bits_per_s*/) {}
  /// A number for the state route_lookup() answers from, so that a model memoising answers need not
  /// ask them all again: two equal non-zero versions mean that every lookup answers now as it did
  /// then, and that a route_lookup() now would change nothing (route_lookup first processes the
  /// routing events due by now, which may emit events). 0: the service cannot tell (something is due
  /// now, or it keeps no version): ask again. Reading it changes nothing. Default: 0.
  virtual std::uint64_t routes_version() const { return 0; }
};

/// Announcements a site controls (offered by the BGP model): a DNS or edge site's health check
/// withdraws and re-announces its anycast prefix through this.
class AnnouncementService {
public:
  virtual ~AnnouncementService() = default;
  /// Withdraws (announce=false) or re-announces the prefix ("129.134.30.0/23") from one origin site.
  /// `site` names the origin (an AS number as text, or a node path of the origin AS's router).
  /// Returns false if the site does not originate that prefix. `cause` is an event id (0: none).
  virtual bool set_announced(const std::string& site, const std::string& prefix, bool announce,
                             const std::string& reason, std::uint64_t cause) = 0;
};

/// Name resolution as users see it (offered by the DNS model).
class NameService {
public:
  struct Outcome {
    double success = 1.0;       ///< share of resolutions that succeed now (0..1)
    std::string failure_answer; ///< what failing users get: servfail, timeout, nxdomain, wrong_address
    std::uint32_t address = 0;  ///< the address a successful resolution returns (IPv4, host order)
    std::uint64_t cause = 0;    ///< event that explains the failures (0: none)
    /// Share of the region's DNS traffic for the name (its resolvers' latest queries to the name's
    /// authoritative servers) that an unauthorised origin attracted: a hijack of the servers'
    /// prefixes draws the queries (and answers them, drops them or passes them on) (0..1).
    double hijacked = 0;
  };
  virtual ~NameService() = default;
  /// How resolutions of `name` by the users of `region` (a region id) fare now.
  virtual Outcome resolve(const std::string& region, const std::string& name) const = 0;
  /// The users model's demand: queries per second from a region's users for a name, including their
  /// retries (the DNS model turns it into load on resolvers, TLD and authoritative servers).
  virtual void set_demand(const std::string& region, const std::string& name, double queries_per_s) = 0;
  /// What a health check that asks the servers of a site (a node path) a question gets now: ok, or
  /// why not ("answers servfail to 100 % of queries") and the event behind it.
  struct SiteAnswers {
    bool ok = true;
    std::string why;
    std::uint64_t cause = 0;
  };
  virtual SiteAnswers check_site(const std::string& site) const {
    (void)site;
    return {};
  }
};

/// What the requests of one region for one service meet on the serving side now (offered by the
/// datacenter model): the way in, the datacenter that serves them, and the share it takes.
struct ServingAnswer {
  /// Whether a DNS site of the service is within the region's reach (users without a NameService
  /// fall back on this and on their resolvers' caches).
  bool dns_reach = true;
  std::string datacenter;    ///< path of the serving datacenter ("dc:prineville"); "" when none is reached
  std::uint32_t address = 0; ///< address of the edge site requests enter by (route lookups); 0: none known
  std::string why;           ///< why no datacenter or DNS site is reached ("" when both are)
  std::uint64_t cause = 0;   ///< the event behind `why` (0: none)
  double admitted = 0;       ///< share of the region's requests the datacenter admits now (0..1)
  double served = 0;         ///< share of admitted requests it serves (0..1; below 1 when overloaded)
  /// Why the datacenter turns requests away: set when admitted < 0.5 ("dc:x is dark") or else when
  /// served < 0.5 ("dc:x is overloaded (cold caches)"); "" otherwise.
  std::string refusal;
  std::uint64_t datacenter_event = 0; ///< the serving datacenter's latest event (its cause; 0: none)

  bool reached() const { return !datacenter.empty(); }
};

/// Datacenters as the users see them (offered by the datacenter model). Users and datacenters feed
/// each other every step (demand is load, capacity is availability), so the serving side owns the
/// clock and drives the demand side within its own step; the order of one step is fixed:
///
///   1. health checks due (sites withdraw or re-announce), then routes if the world changed
///   2. datacenter state machines advance (dark, restart stages): their events come first
///   3. Demand::step(now, dt): the demand side asks serving() and calls offer_load() per flow, in
///      its own fixed order (the answers do not change within the step)
///   4. the load offered in 3 is applied (utilisation, share served and power for the next step)
///
/// serving() and offer_load() are meant for calls within Demand::step (step 3).
class ServingService {
public:
  /// One region's demand for one service.
  struct Flow {
    std::string region;  ///< region id
    std::string service; ///< service id
  };
  /// The side that offers load (the users model), stepped by the serving side at its tick.
  class Demand {
  public:
    virtual ~Demand() = default;
    /// Advances the demand by `dt` seconds at simulated time `now` (step 3 above).
    virtual void step(double now, double dt) = 0;
  };
  virtual ~ServingService() = default;
  /// Registers the one demand side and every flow it will ask about (called during start(); the
  /// regions of the flows are those whose users reach the datacenters). From then on a flow is named
  /// by its position in `flows` (0, 1, ...): no lookup by name in the per-step calls. Without a
  /// demand side the datacenters carry their configured base load.
  virtual void attach(Demand& demand, std::vector<Flow> flows) = 0;
  /// Where the requests of flow `flow` go now and what share is admitted and served.
  virtual ServingAnswer serving(std::size_t flow) const = 0;
  /// The load (requests/s, admitted ones) flow `flow` offers its serving datacenter in this step;
  /// ignored when no datacenter serves it.
  virtual void offer_load(std::size_t flow, double requests_per_s) = 0;
};

} // namespace outagesim::sim
