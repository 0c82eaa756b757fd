#pragma once
// What route collectors see, recorded from the BGP engine's notifications at the vantage ASes, and
// what follows from it: per-interval prefix visibility and update counts (timeline rows and
// bgp_updates.csv) and the BGP signals of ../shared/design/SIGNALS.md. Engine-free and SimGrid-free:
// it takes a stream of dated records, so tests feed it by hand.
//
// Definitions (times are simulated seconds since the scenario start; records before 0, the
// warm-up announcement, are never given to it, only the converged state through set_initial()):
//   visibility(P, t)   fraction of vantages whose best route for exactly P exists (a covering
//                      less-specific does not count: that is what collectors report per prefix, and
//                      how 129.134.0.0/17 stayed visible in 2021 while the /23s inside were gone)
//   timeline value     visibility at the end of the interval [start, end) (the row's time is start)
//   announcements /    prefix entries of UPDATEs received by vantages in the interval, announcement
//   withdrawals        or withdrawal, for P exactly
//   bgp.withdrawal_burst_start (as:V)  first withdrawal of a prefix V originates received by a vantage
//   bgp.burst_kind (as:V)      the kinds of change the burst leaves at vantages: for each vantage and
//                              each of V's prefixes or a more-specific of one, the best-route states
//                              within 30 min of the first change for any of them, without the
//                              transient ones held less than kSettle (60 s: two MRAI intervals, the
//                              pace of path exploration); each change between consecutive settled
//                              states is a "withdrawal" (route -> none), an "announcement" (none ->
//                              route, or a route from another origin AS: a hijack) or a
//                              "path_change" (another path from the same origin: a leak, a lost
//                              link). Path exploration before a withdrawal is not a kind of its own:
//                              observers describe such a burst as withdrawals (Cloudflare, 2021:
//                              "mostly withdrawals") although collectors also receive the transient
//                              paths (bgp_updates.csv counts those).
//   bgp.new_origins (prefix:P) origins (last AS of a path) other than P's legitimate ones, of P or a
//                              more-specific, in any route a vantage held or received (sorted ASNs)
//   bgp.prefix_gone (prefix:P) first time visibility < 5 % (absent if never)
//   bgp.prefix_stays_visible (prefix:P)  visibility >= 95 % at all times
//   bgp.valley_paths (as:V)    peak number of vantages whose best route to one of V's prefixes is
//                              not valley-free
//   bgp.reannounce_start (prefix:P)  first announcement of P received by a vantage after prefix_gone
//                              that starts the recovery: visibility later climbs back to >= 5 %, and
//                              the announcement follows the last low point before that climb (so
//                              the tail of path exploration does not count)
//   bgp.reannounce_start (as:V)      the earliest bgp.reannounce_start over V's prefixes (absent if
//                              none of them was gone and came back)
#include "models/bgp/AsGraph.hpp"
#include "models/bgp/Prefix.hpp"
#include "sim/metrics/Signals.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace outagesim::bgp {

/// One row of bgp_updates.csv / the timeline for one prefix and one interval.
struct IntervalCounts {
  double start = 0;
  Prefix prefix;
  double visibility = 0; ///< at the end of the interval (configured prefixes only; else -1)
  std::uint64_t announcements = 0;
  std::uint64_t withdrawals = 0;
};

class VantageRecorder {
public:
  /// `vantages`: the observer ASes; `origins`: each configured prefix with its legitimate origins;
  /// `victims`: the subject ASes of AS signals.
  VantageRecorder(std::vector<Asn> vantages, std::map<Prefix, std::set<Asn>> origins,
                  std::vector<Asn> victims);

  /// The converged state at time 0: `vantage` holds a route for `prefix` (with that origin and
  /// valley flag) or not.
  void set_initial(Asn vantage, const Prefix& prefix, bool has_route, Asn origin, bool valley);
  /// A vantage received one prefix entry of an UPDATE. `origin` is the path's last AS (0 for a
  /// withdrawal).
  void on_update(double t, Asn vantage, const Prefix& prefix, bool withdrawal, Asn origin);
  /// A vantage's best route for `prefix` changed.
  /// `path` identifies the new path (equal paths, equal ids; 0 if unknown: changes between two routes
  /// of one origin then count as path changes).
  void on_best_change(double t, Asn vantage, const Prefix& prefix, bool had, bool has, Asn origin,
                      bool valley, std::uint64_t path = 0);

  bool is_vantage(Asn a) const { return vantage_set_.count(a) > 0; }
  const std::vector<Asn>& vantages() const { return vantages_; }

  /// Visibility of a configured prefix now (after the records given so far).
  double visibility(const Prefix& p) const;
  /// Rows per interval [k*step, (k+1)*step) up to `end`, for every configured prefix and every other
  /// prefix a vantage received, prefixes in address order, then by time.
  std::vector<IntervalCounts> intervals(double step, double end) const;
  /// bgp_updates.csv: `time,prefix,announcements,withdrawals` (UTC times of interval starts).
  std::string updates_csv(double step, double end, std::int64_t start_epoch) const;
  /// The signals defined in the file comment, over [0, end].
  std::vector<sim::SignalValue> signals(double end) const;
  /// bgp.burst_kind: best-route states held less than this (s) are transient (path exploration).
  static constexpr double kSettle = 60;

  std::uint64_t updates_seen() const { return updates_.size(); }

private:
  struct Update {
    double t;
    Asn vantage;
    Prefix prefix;
    bool withdrawal;
    Asn origin;
  };
  struct Change {
    double t;
    Asn vantage;
    Prefix prefix;
    bool had, has;
    bool valley;
    Asn origin;         ///< of the new route (0: none)
    std::uint64_t path; ///< id of the new path (0: none or unknown)
  };
  struct State {
    bool has = false;
    bool valley = false;
    Asn origin = 0;
    std::uint64_t path = 0;
  };
  std::vector<Prefix> victim_prefixes(Asn victim) const;
  /// bgp.burst_kind of the prefixes `concerns` accepts, over [0, end].
  template <class Pred> std::vector<std::string> burst_kinds(Pred concerns, double end) const;
  /// bgp.reannounce_start of a configured prefix over [0, end], nullopt if it was never gone and back.
  std::optional<double> reannounce_start(const Prefix& p, double end) const;
  /// (time, visible count) steps of a configured prefix, starting at time 0.
  std::vector<std::pair<double, std::size_t>> visibility_steps(const Prefix& p) const;

  std::vector<Asn> vantages_;
  std::set<Asn> vantage_set_;
  std::map<Prefix, std::set<Asn>> origins_;
  std::vector<Asn> victims_;
  std::map<std::pair<Asn, Prefix>, State> initial_;
  std::map<std::pair<Asn, Prefix>, State> current_;
  std::map<Prefix, std::set<Asn>> initial_origins_; // origins held at time 0, per prefix
  std::vector<Update> updates_;
  std::vector<Change> changes_;
};

} // namespace outagesim::bgp
