#pragma once
// Data-plane capacity of transit ASes: how much of the traffic offered along an AS path gets through.
// Engine-free and SimGrid-free (the BGP model feeds it; tests drive it by hand).
//
// Model (fluid, one number per AS): models offer traffic (bits/s) along the current AS path each tick;
// every transit AS of the path (neither the first, the sender's own network, nor the last, the
// destination's) carries it. An AS with a declared transit capacity C that carries a load L delivers
// min(1, C / L) of it (tail drop spread evenly over what it carries); a path delivers the product over
// its transit ASes. ASes without a declared capacity are unlimited (deliver everything).
//
// Ticks: a tick opens with the first offer and gathers every offer of that date; the first offer or
// advance() at a later date closes it, and delivery is computed on the last closed tick's load (a
// one-tick lag, deterministic whatever the order in which models ask and offer within a tick). Only
// offers open ticks, so a lookup between two steps of the offering model changes nothing.
//
// Why the offered and not the carried load: what is dropped at one AS still took its share of the
// queue there; at the next AS in series it is gone, but counting it is conservative by at most the
// loss already reported, and keeps every AS's figure a function of what users send (no fixed point).
#include "models/bgp/AsGraph.hpp"

#include <map>
#include <string>
#include <vector>

namespace outagesim::bgp {

/// "3.1 Tbps", "800 Gbps", "12 Mbps" (3 significant digits).
std::string format_bps(double bits_per_s);

class TransitLoad {
public:
  /// What a path delivers now.
  struct Delivery {
    double delivered = 1.0; ///< share of the offered traffic that gets through (0..1)
    std::string reason;     ///< "AS657 congested: 3.1 Tbps offered to 800 Gbps" (congested ASes, path
                            ///< order, "; "-joined); empty when everything gets through
  };
  /// One AS's figures of the last closed tick.
  struct Congestion {
    double load_bps = 0;
    double capacity_bps = 0;
    double delivered = 1.0; ///< min(1, capacity / load)
  };

  /// Declares the transit capacity of an AS (bits/s, > 0). Without it the AS is unlimited.
  void set_capacity(Asn asn, double bits_per_s) { capacity_[asn] = bits_per_s; }
  bool has_capacities() const { return !capacity_.empty(); }
  const std::map<Asn, double>& capacities() const { return capacity_; }

  /// Offers `bits_per_s` at date `t` along `path` (sender first, destination last). A date later than
  /// the current tick's closes it. Returns true when that happened (the caller may then read
  /// congestion() for the new figures).
  bool offer(double t, const std::vector<Asn>& path, double bits_per_s);
  /// Closes the open tick if `t` is later than its date (the next offer opens a new one); returns true
  /// if it did.
  bool advance(double t);
  /// Whether advance(t) (or an offer at t) would close the open tick now.
  bool would_close(double t) const { return open_ && t > tick_; }
  /// Changes when a tick closes whose figures delivery() reads (the load of each AS above its
  /// capacity, and which ones are) differ from the last closed tick's: delivery() answers the same
  /// while it stays the same.
  std::uint64_t delivery_version() const { return delivery_version_; }

  /// Delivery along `path` on the last closed tick's load.
  Delivery delivery(const std::vector<Asn>& path) const;
  /// The last closed tick's figures of an AS with a declared capacity (load 0 if nothing crossed it).
  Congestion congestion(Asn asn) const;

private:
  std::map<Asn, double> capacity_;
  std::map<Asn, double> current_, previous_; // load per capacity-limited AS (bits/s)
  double tick_ = 0;                          // date of the open tick
  bool open_ = false;                        // a tick is gathering offers
  std::uint64_t delivery_version_ = 0;
  mutable std::map<Asn, std::string> texts_; // delivery()'s text per congested AS, for the closed tick
};

} // namespace outagesim::bgp
