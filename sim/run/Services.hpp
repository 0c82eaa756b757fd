#pragma once
// Interfaces through which models use each other without including each other. A model that offers
// a service registers it in the RunContext during start(); a model that needs it asks the context
// (and falls back to the topology, or reports the gap, when no model offers it).
#include <cstdint>
#include <string>
#include <vector>

namespace outagesim::sim {

/// The answer of a data-plane lookup: does a packet from an AS reach an address, and by which ASes.
struct RouteAnswer {
  enum class Status { Delivered, NoRoute, Loop };
  Status status = Status::NoRoute;
  std::vector<std::uint32_t> as_path;  ///< ASes traversed, the source first
  std::string reason;                  ///< why not delivered ("AS174 has no route to 129.134.30.12")
  /// With status Delivered: the share of the traffic offered along this path that gets through now
  /// (0..1; below 1 when a transit AS on the path carries more than its capacity). Read it only
  /// when delivered: a packet without a route gets nowhere whatever this says.
  double delivered = 1.0;
  std::string loss; ///< why delivered < 1 ("AS26413 congested: 3.1 Tbps offered to 800 Gbps"), else ""
  std::uint64_t cause = 0; ///< with delivered < 1: the event that explains the loss (bgp.congested)
};

/// Inter-domain routing (offered by the BGP model): follows best routes hop by hop.
class RouteService {
public:
  virtual ~RouteService() = default;
  /// Where a packet from `from_asn` to the IPv4 address `address` (host order) goes now.
  virtual RouteAnswer route_lookup(std::uint32_t from_asn, std::uint32_t address) const = 0;
  /// A model's traffic from `from_asn` to `address`, in bits/s, offered now along the current path
  /// (call it once per step and flow; the rate holds until the next step). It loads the transit
  /// ASes of that path, and route_lookup's `delivered` follows from the load of the previous step.
  /// Default: traffic is not accounted (unlimited capacity).
  virtual void offer_traffic(std::uint32_t /*from_asn*/, std::uint32_t /*address*/, double /*bits_per_s*/) {}
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
    double success = 1.0;         ///< share of resolutions that succeed now (0..1)
    std::string failure_answer;   ///< what failing users get: servfail, timeout, nxdomain, wrong_address
    std::uint32_t address = 0;    ///< the address a successful resolution returns (IPv4, host order)
    std::uint64_t cause = 0;      ///< event that explains the failures (0: none)
  };
  virtual ~NameService() = default;
  /// How resolutions of `name` by the users of `region` (a region id) fare now.
  virtual Outcome resolve(const std::string& region, const std::string& name) const = 0;
  /// The users model's demand: queries per second from a region's users for a name, including their
  /// retries (the DNS model turns it into load on resolvers, TLD and authoritative servers).
  virtual void set_demand(const std::string& region, const std::string& name, double queries_per_s) = 0;
};

} // namespace outagesim::sim
