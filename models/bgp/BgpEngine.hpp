#pragma once
// BgpEngine: timed, event-driven, AS-level BGP (path vector with Gao-Rexford policies) on an
// AsGraph. Engine-free: it owns its own priority queue of dated events, so it runs alone (tests,
// the benchmark, `outagesim routes`) or inside SimGrid (the adapter sleeps until
// next_event_time() and calls run_until() with SimGrid's clock; inputs injected at the current
// date are ordered with everything else).
//
// Events are ordered by (date, sequence number): equal dates keep insertion (FIFO) order, so a run
// is a pure function of (graph, params, seed, inputs).
//
// Model, per AS (one speaker per AS):
//   receive UPDATE on session s --after link delay + processing delay-->
//     for each prefix in it: RIB-in[s] := path (withdrawn, or rejected if the path holds this AS)
//     decision: local origination > highest local-pref (customer 300 = sibling 300 > peer 200 >
//               provider 100, per-session overrides) > shortest AS path > lowest neighbour ASN
//     if the best changed: observers are told (with a ChangeCause), and the export to every
//     neighbour is re-evaluated
//   export (valley-free): routes learned from customers/siblings, and own prefixes, go to every
//     neighbour; routes from peers/providers only to customers/siblings. A leaking AS exports
//     everything to everyone. Never back to the neighbour it came from (sender-side split horizon:
//     that neighbour gets a withdrawal instead, as Cisco's eBGP sender-side loop detection does).
//     Per-session prepend and export deny apply here.
//
// MRAI, per session (RFC 4271 9.2.1.1, per-neighbour as in Cisco/Juniper):
//
//          change to announce,                 change to announce
//          send now, arm timer                 (queued as pending)
//   [Idle] -------------------------> [Armed] ----------------+
//     ^                                 |  ^                   |
//     |  timer fires, nothing pending   |  |___________________|
//     +---------------------------------+  timer fires with pending prefixes whose current export
//                                          differs from what was last sent: send them (batched),
//                                          re-arm with a fresh jitter
//   Withdrawals are rate-limited like announcements by default (BgpParams::mrai_on_withdrawals,
//   WRATE): that is what reproduces the measured Internet behaviour, withdrawal convergence in
//   minutes (Labovitz et al. 2000 measured Tdown of several minutes, and in the 2021 Facebook outage
//   the DNS prefixes vanished from collectors about 14 min after the first withdrawals) while
//   announcements converge in about a minute. Without WRATE (RFC 4271 text, some implementations)
//   withdrawals bypass the timer and cancel a pending announcement of the same prefix: on the
//   Internet graph Tdown then falls to seconds, faster than Tup. Measured on CAIDA 2018 (60k ASes),
//   AS32934's 6 prefixes: announcement 82 s; withdrawal 499 s with WRATE, 0.5 s without.
//   Timer length: mrai_s * U[0.75, 1] (RFC 4271 jitter) from the seeded stream "bgp.mrai".
//   Session down: RIB-in and RIB-out of the session flushed, timer cancelled, messages in flight
//   dropped. Session up: each side sends its whole exportable table (this arms the timer).
//
// Without MRAI (mrai_s = 0), an AS's exports are re-evaluated once at the end of each date, after
// every event of that date (a Flush event): a session carries at most one update per prefix per
// instant, the AS's last state of that instant (events added at a date after its Flush, as with zero
// delays, an input at that date, or a session coming up, which sends its table at once, make a
// second batch at that date). A real speaker holds one Adj-RIB-Out entry per
// (session, prefix) and replaces an entry whose update has not left yet (RFC 4271 9.2: only the
// latest state is advertised; BIRD's buckets, FRR's adj-out FIFO); sending every intermediate state
// of one instant would only deliver, at one later instant, states the receiver overwrites at once.
// The state after each date is the same either way; fewer transient changes are seen. With MRAI the
// timer already keeps one pending entry per (session, prefix); the first change is sent at once.
//
// Updates sharing attributes travel together: everything one AS sends to one neighbour at one
// instant is grouped by AS path (interned, so equal paths are equal ids) into one message per path,
// plus one for the withdrawals.
//
// Path exploration after a withdrawal is not scripted: it emerges from stale RIB-in entries, the
// timers and the delays.
#include "models/bgp/AsGraph.hpp"
#include "models/bgp/DatedQueue.hpp"
#include "models/bgp/HugePages.hpp"
#include "models/bgp/PathTable.hpp"
#include "models/bgp/Prefix.hpp"
#include "sim/core/Params.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace outagesim::bgp {

/// Dense index of a prefix known to an engine (in order of first mention).
using PrefixId = std::uint32_t;

/// Tunables of the BGP model. Every field is also declared in bgp_param_decls().
struct BgpParams {
  double mrai_s = 30.0;              ///< eBGP MinRouteAdvertisementInterval per session, s; 0 disables
  bool mrai_jitter = true;           ///< multiply each timer by U[0.75, 1] (RFC 4271 section 10)
  bool mrai_on_withdrawals = true;   ///< WRATE: rate-limit withdrawals too (default; false: they bypass MRAI)
  double processing_delay_s = 0.001; ///< per received UPDATE, s, added to the link delay
  std::uint64_t seed = 1;            ///< run seed; the jitter uses stream "bgp.mrai"
};

/// The declarations of BgpParams (name, type, default, unit, doc, range) for `outagesim models`
/// and the scenario loader (key `models: {bgp: {...}}`), in declaration order; then the adapter's
/// own (hold_time), which BgpParams does not hold.
const std::vector<sim::ParamDecl>& bgp_param_decls();

/// BgpParams from checked parameter values of those declarations (seed given separately).
BgpParams bgp_params_from(const sim::ParamValues& values, std::uint64_t seed);

/// Why an AS's best path changed (the trigger). Selection among candidates has its own reason,
/// SelectionReason, given by BgpEngine::explain().
enum class ChangeCause : std::uint8_t {
  OriginAnnounced,  ///< this AS started originating the prefix (announce)
  HijackAnnounced,  ///< this AS started originating a prefix it does not own (hijack)
  OriginWithdrawn,  ///< this AS stopped originating the prefix
  AnnouncementFrom, ///< an announcement from `from` gave a better path or replaced the best one
  WithdrawalFrom,   ///< a withdrawal from `from` removed the best path
  LoopFrom,         ///< `from` announced a path through this AS (an implicit withdrawal)
  SessionDown,      ///< the session with `from` went down
  PolicyChange,     ///< local-pref / prepend / export / leak change at this AS
  MoreSpecificLeaked ///< this AS re-originates a more-specific of a learned route, path kept (a leak)
};

/// "origin-announced", "hijack-announced", ... (kebab-case, for event logs).
std::string_view to_string(ChangeCause c);

/// Why the current best route won (FRR's bgp_path_selection_reason, reduced to our decision).
enum class SelectionReason : std::uint8_t {
  NoRoute,      ///< no candidate at all
  Local,        ///< originated here
  OnlyRoute,    ///< a single candidate
  LocalPref,    ///< higher local preference (relationship class or override) than the runner-up
  AsPathLength, ///< same local-pref, shorter AS path
  NeighborAsn   ///< same local-pref and length, lower neighbour ASN
};

/// "no-route", "local", "only-route", "local-pref", "as-path-length", "neighbor-asn".
std::string_view to_string(SelectionReason r);

/// One change of best path at one AS, given to observers as it happens.
struct BestPathChange {
  double time = 0;           ///< simulated seconds
  Asn asn = 0;               ///< where
  Prefix prefix;             ///< for which prefix
  PathId old_path = kNoPath; ///< previous best (kNoPath: none; kEmptyPath: originated)
  PathId new_path = kNoPath; ///< new best, same encoding; paths read with BgpEngine::path_asns()
  ChangeCause cause = ChangeCause::AnnouncementFrom;
  Asn from = 0; ///< the neighbour involved (0 when the cause is local)
};

/// One prefix entry of one received UPDATE, reported for watched ASes (vantages) only.
struct UpdateReceived {
  double time = 0;
  Asn asn = 0;  ///< the receiving (watched) AS
  Asn from = 0; ///< the sending neighbour
  Prefix prefix;
  PathId path = kNoPath; ///< the announced path as received (kNoPath for a withdrawal)
  bool withdrawal = false;
};

/// Why an AS's import policy rejected a received route (what `outagesim routes` shows).
enum class ImportDrop : std::uint8_t {
  None,
  RpkiInvalid,    ///< route origin validation (RFC 6811) found the route invalid (rov: drop_invalid)
  NotCustomerCone ///< a customer announced a prefix registered to no AS of its customer cone
};

/// "rpki-invalid", "not-in-customer-cone" ("" for None).
std::string_view to_string(ImportDrop d);

/// A Route Origin Authorisation (RFC 6482): `origin` may originate `prefix` and its more-specifics
/// up to /max_length.
struct Roa {
  Prefix prefix;
  std::uint8_t max_length = 0;
  Asn origin = 0;
};

/// RFC 6811 validation state of a route (prefix, origin AS) against a set of ROAs.
enum class RovState : std::uint8_t {
  NotFound, ///< no ROA covers the prefix
  Valid,    ///< a covering ROA names the origin and allows the length
  Invalid   ///< covering ROAs exist, none matches (wrong origin or too specific)
};

/// A session torn down by its max-prefix limit (RFC 4271 Cease, RFC 4486 subcode 1).
struct SessionCeased {
  double time = 0;
  Asn asn = 0;      ///< the AS whose limit tripped
  Asn neighbor = 0; ///< the neighbour that sent too many prefixes
  std::uint32_t prefixes = 0, limit = 0;
};

/// Receives engine notifications. Default implementations ignore them. Called synchronously from
/// inside run_until(); must not call the engine's mutating functions.
class BgpObserver {
public:
  virtual ~BgpObserver() = default;
  /// Every best-path change at every AS.
  virtual void on_best_path_change(const BestPathChange& change) {}
  /// Every prefix entry received by a watched AS (see BgpEngine::watch()).
  virtual void on_update_received(const UpdateReceived& update) {}
  /// A route an import policy rejected (each rejected announcement; the route is as if not received).
  virtual void on_route_rejected(double time, Asn asn, Asn from, const Prefix& prefix, PathId path,
                                 ImportDrop why) {}
  /// A session dropped by a max-prefix limit (the engine has taken it down already).
  virtual void on_session_ceased(const SessionCeased& ceased) {}
};

/// Data-plane outcome of route_lookup().
enum class LookupStatus : std::uint8_t {
  Delivered, ///< reached an AS originating the matched prefix
  NoRoute,   ///< some AS on the way has no route covering the address (a black hole)
  Loop       ///< the forwarding path revisits an AS
};

/// "delivered", "no-route", "loop".
std::string_view to_string(LookupStatus s);

/// Result of a data-plane lookup: status and the ASes traversed, starting with the source AS
/// (for Loop, the repeated AS appears twice, last).
struct LookupResult {
  LookupStatus status = LookupStatus::NoRoute;
  std::vector<Asn> path;
  /// With Delivered: the prefix the last AS originates that matched (kNoPrefix otherwise).
  std::uint32_t prefix = 0xFFFFFFFFu;
};

/// The explanation of an AS's current best route for a prefix.
struct Explanation {
  SelectionReason reason = SelectionReason::NoRoute;
  std::optional<Asn> best_neighbor; ///< nullopt when local or no route
  std::optional<Asn> runner_up;     ///< the best losing candidate's neighbour, if any
  std::size_t candidates = 0;       ///< usable RIB-in entries
};

/// The timed BGP simulation. See the file comment for the model.
class BgpEngine {
public:
  /// The most distinct prefixes one engine holds (ids are 16 bits in its per-session rows); the
  /// configuration refuses a scenario that would need more (configured prefixes and fault prefixes).
  static constexpr std::size_t kMaxPrefixes = 0xFFFF;
  /// The engine reads `graph` for its whole life (keep it alive and unchanged).
  explicit BgpEngine(const AsGraph& graph, BgpParams params = {});
  BgpEngine(const BgpEngine&) = delete;
  BgpEngine& operator=(const BgpEngine&) = delete;

  // ---- Inputs. Each is an event at date `at` (>= now(), else std::invalid_argument); unknown AS
  // ---- numbers and non-adjacent pairs throw std::invalid_argument at call time.

  /// `asn` starts originating `prefix` from anycast site `site` (0..31). The AS originates while at
  /// least one of its sites does; several ASes originating one prefix is anycast.
  void announce(Asn asn, const Prefix& prefix, double at, unsigned site = 0);
  /// Site `site` of `asn` stops originating `prefix` (no-op if it did not).
  void withdraw(Asn asn, const Prefix& prefix, double at, unsigned site = 0);
  /// `asn` originates a prefix it does not own (the same prefix or a more-specific). Same mechanics
  /// as announce(); the cause recorded is HijackAnnounced and is_hijacker() becomes true.
  void hijack(Asn asn, const Prefix& prefix, double at);
  /// The session between adjacent ASes `a` and `b` goes down (both directions).
  void session_down(Asn a, Asn b, double at);
  /// The session between `a` and `b` comes back.
  void session_up(Asn a, Asn b, double at);
  /// Route leak: from `at`, `asn` exports every best route to every neighbour (on=false restores).
  void leak(Asn asn, double at, bool on = true);
  /// Leak of a more-specific (a route optimiser's): from `at`, `asn` originates `prefix` with the AS
  /// path of its best learned route for the longest covering prefix at that date (the real origin
  /// stays at the end of the path; the path is not updated later), exported to every neighbour.
  /// Nothing happens if it holds no learned covering route then. on=false withdraws it.
  void leak_more_specific(Asn asn, const Prefix& prefix, double at, bool on = true);
  /// Local preference `asn` gives routes learned from `neighbor` (default by relationship:
  /// customer/sibling 300, peer 200, provider 100).
  void set_local_pref(Asn asn, Asn neighbor, std::uint16_t local_pref, double at);
  /// `asn` prepends itself `count` extra times when exporting to `neighbor` (0: to every neighbour).
  void set_prepend(Asn asn, Asn neighbor, unsigned count, double at);
  /// Export filter: whether `asn` exports anything to `neighbor` (0: every neighbour).
  void set_export(Asn asn, Asn neighbor, bool allowed, double at);

  // ---- Import policies: configuration, set before the first input (they apply to what is received
  // ---- from then on; std::logic_error once an input was given).

  /// The ROAs route origin validation checks against (RFC 6811).
  void set_roas(std::vector<Roa> roas);
  /// `asn` drops routes that validate as Invalid against the ROAs (rov: drop_invalid).
  void set_rov(Asn asn, bool drop_invalid);
  /// The route objects customer prefix filters read (an IRR): `origin` is registered for `prefix`.
  void set_registry(std::vector<std::pair<Prefix, Asn>> route_objects);
  /// `asn` accepts from a customer only prefixes registered (set_registry(), the prefix or a covering
  /// one) to an AS of that customer's customer cone.
  void set_customer_filter(Asn asn, bool on);
  /// `asn` tears its session with `neighbor` (0: each session) down when the neighbour's accepted
  /// prefixes exceed `limit` (0: no limit). The session stays down until a session_up().
  void set_max_prefix(Asn asn, Asn neighbor, std::uint32_t limit);
  /// RFC 6811 state of (prefix, origin) against the ROAs.
  RovState validate(const Prefix& prefix, Asn origin) const;

  // ---- Running.

  /// Date of the next pending event, +infinity if none.
  double next_event_time() const;
  /// Processes every event dated <= t, then sets now() to max(now(), t) if t is finite.
  void run_until(double t);
  /// Marks `asn` as observed: its observer calls can show outside the engine at their date (an event
  /// log), so an embedding clock must reach the date of every delivery to it (see quiet_until()).
  /// ASes with a max-prefix limit are observed anyway (a cease is reported).
  void observe(Asn asn);
  /// The earliest date at which processing may be observable: the date of the first pending event
  /// that is an input or a delivery to an observed AS, or the first pending date plus the least
  /// delay an event can add to its own date (link delay + processing delay; MRAI), whichever comes
  /// first; +infinity if nothing is pending. Every event dated before it, and everything those
  /// events schedule, is unobservable and dated at or after it. An embedding clock (BgpModel) can
  /// therefore leave the engine idle until then and process the whole batch of dates in one wake-up,
  /// run_until(date) giving the same state and the same observer calls, at their own dates.
  double quiet_until();
  /// Runs until no event is left, or `max_events` were processed (0 = no limit).
  /// Returns true if the queue emptied (converged).
  bool run_to_convergence(std::uint64_t max_events = 0);
  /// Current simulated time.
  double now() const { return now_; }

  // ---- Reading the state.

  const AsGraph& graph() const { return graph_; }
  const BgpParams& params() const { return params_; }
  /// Id of a prefix the engine knows, nullopt if never mentioned in an input.
  std::optional<PrefixId> find_prefix(const Prefix& p) const;
  /// All prefixes known, by id.
  const std::vector<Prefix>& prefixes() const { return prefix_list_; }
  /// Current best path of `asn` for exactly `prefix` (no LPM): nullopt if no route; the AS's own
  /// [asn] when it originates the prefix; otherwise neighbour first, origin last.
  std::optional<std::vector<Asn>> best_path(Asn asn, const Prefix& prefix) const;
  /// Current best path id (kNoPath: none, kEmptyPath: originated) of an AS index.
  PathId best_path_id(AsIndex v, PrefixId p) const { return ap(v, p).best_path; }
  /// True if the AS index originates prefix `p` now.
  bool originates(AsIndex v, PrefixId p) const { return ap(v, p).origin != 0; }
  /// True if `asn` started originating `prefix` through hijack().
  bool is_hijacker(Asn asn, const Prefix& prefix) const;
  /// ASNs of an interned path, first to last.
  std::vector<Asn> path_asns(PathId path) const;
  /// The path store (lengths, loop checks).
  const PathTable& paths() const { return paths_; }
  /// Why `asn`'s current best for `prefix` won.
  Explanation explain(Asn asn, const Prefix& prefix) const;
  /// Data plane: from `from`, at each AS the longest prefix covering `address` that the AS has a
  /// route for, then its best next hop, until an origin (Delivered), a gap (NoRoute) or a loop.
  LookupResult route_lookup(Asn from, Ipv4 address) const;
  /// The route `asn` would forward `address` on if it did not originate the prefixes it hijacks (an
  /// interceptor's way on to the real origin): the longest matching prefix it holds a learned route
  /// for (its best RIB-in candidate where it originates a hijack), or one it legitimately originates
  /// ([asn]); neighbour first, origin last; nullopt when it has none.
  std::optional<std::vector<Asn>> onward_route(Asn asn, Ipv4 address) const;
  /// Why `asn` rejected the route its neighbour `neighbor` last sent for `prefix` (None if it did not).
  ImportDrop import_drop(Asn asn, Asn neighbor, const Prefix& prefix) const;
  /// The same by slot (the owner's view of the route the neighbour of slot `s` sent for `p`).
  ImportDrop import_drop_at(SlotIndex s, PrefixId p) const {
    return static_cast<ImportDrop>(sp(s, p).rejected);
  }

  // ---- Observation.

  /// Registers the observer (nullptr to remove). Not owned.
  void set_observer(BgpObserver* observer) { observer_ = observer; }
  /// Reports every prefix entry this AS receives to the observer (a vantage / route collector).
  void watch(Asn asn);
  /// Prefix announcements received by an AS so far (each prefix entry of each UPDATE counts).
  std::uint64_t announcements_received(Asn asn) const;
  /// Prefix withdrawals received by an AS so far.
  std::uint64_t withdrawals_received(Asn asn) const;
  /// UPDATE messages delivered to all ASes so far.
  std::uint64_t messages_delivered() const { return messages_delivered_; }
  /// Prefix entries (announcements + withdrawals) delivered so far.
  std::uint64_t prefix_updates_delivered() const { return prefix_updates_delivered_; }
  /// Events processed so far.
  std::uint64_t events_processed() const { return events_processed_; }
  /// Date of the last best-path change anywhere (the convergence date after a run).
  double last_change_time() const { return last_change_time_; }
  /// Best-path changes so far, all ASes and prefixes.
  std::uint64_t best_path_changes() const { return best_path_changes_; }
  /// Changes whenever something route_lookup(), onward_route(), validate() or is_hijacker() read may
  /// have changed (a best route, an origin, the RIB-in of an originating AS, an input, a prefix, the
  /// import configuration): an answer of theirs kept with this value holds while it is unchanged.
  std::uint64_t lookup_version() const { return lookup_version_; }

private:
  // origin_sites bit of a more-specific re-originated by a leak (sites use bits 0..31).
  static constexpr std::uint64_t kReoriginBit = 1ull << 32;
  // Slot value meaning "originated here" / "no route" in best_slot.
  static constexpr SlotIndex kLocalSlot = 0xFFFFFFFEu;
  static constexpr SlotIndex kNoSlot = 0xFFFFFFFFu;

  enum class EventKind : std::uint8_t { Deliver, MraiExpire, Input, Flush };
  struct Event {
    double time;
    std::uint64_t seq_kind; // sequence << 8 | kind: unique, so it orders equal dates FIFO
    std::uint32_t a;        // Deliver: receiving slot; MraiExpire: slot; Input: input id
    std::uint32_t b;        // Deliver: message id; MraiExpire: session epoch
  };
  struct Later {
    bool operator()(const Event& x, const Event& y) const {
      return x.time != y.time ? x.time > y.time : x.seq_kind > y.seq_kind;
    }
  };
  // An UPDATE in flight: its prefixes are the bits of `low` (ids below 64) then `high` (ascending).
  struct Message {
    PathId path; // kNoPath: withdrawal
    std::uint32_t epoch;
    std::uint64_t low;
    std::vector<PrefixId> high;
  };
  enum class InputKind : std::uint8_t {
    Announce,
    Withdraw,
    Hijack,
    SessionDown,
    SessionUp,
    Leak,
    LocalPref,
    Prepend,
    Export,
    Reoriginate
  };
  struct Input {
    InputKind kind;
    AsIndex as;
    AsIndex other; // neighbour (kNoSlot-like 0xFFFFFFFF for "all")
    PrefixId prefix;
    std::uint32_t value;
  };
  // Memory layout (for the cache): what one (session, prefix) event touches sits together. The state
  // of a (slot, prefix) pair is one SlotPrefix, the state of an (AS, prefix) pair one AsPrefix, both
  // in flat arrays indexed slot- (AS-) major, so the prefixes of one slot (AS) are adjacent: row
  // s * stride_ (v * stride_), stride_ >= prefix count, doubled when a prefix is added past it.
  // A session's own state is one SlotState. Rarely read per-prefix data stays in PrefixState.
  // 12 bytes: prefix ids fit 16 bits (intern_prefix() refuses more than kMaxPrefixes).
  struct SlotPrefix {
    SlotPrefix() : pending(0), listed(0) {}
    PathId rib_in = kNoPath;   // path received by the owner from the neighbour
    PathId rib_out = kNoPath;  // last path sent by the owner to the neighbour
    std::uint16_t queue = 0;   // in row s, entry k: the k-th prefix of the slot's MRAI queue
    std::uint8_t pending : 1;  // queued behind MRAI
    std::uint8_t listed : 1;   // in the slot's MRAI queue (pending, or superseded since)
    std::uint8_t rejected = 0; // ImportDrop of the last route received there
  };
  void relayout(std::size_t stride, std::size_t keep);
  void tighten();
  struct AsPrefix {
    SlotIndex best_slot = kNoSlot;
    PathId best_path = kNoPath;
    PathId export_path = kNoPath;        // intern(v, best_path), kNoPath if no route
    std::uint8_t origin = 0;             // PrefixState::origin_sites[v] != 0
    std::uint8_t best_customer_like = 0; // the best route was learned from a customer or sibling
    std::uint8_t dirty = 0;              // MRAI 0: in dirty_, its export not yet re-evaluated
  };
  struct SlotState {
    double delay = 0; // link delay, s
    AsIndex owner = 0, neighbor = 0;
    SlotIndex reverse = 0;
    std::uint32_t epoch = 0;
    std::uint32_t accepted = 0;   // prefixes with a route in RIB-in
    std::uint32_t max_prefix = 0; // 0: no limit
    std::uint16_t local_pref = 0;
    std::uint8_t up = 1, armed = 0, prepend = 0, export_deny = 0;
    std::uint8_t customer_like = 0;     // the neighbour is a customer or a sibling
    std::uint8_t neighbor_observed = 0; // deliveries over it are observable (see observe())
    std::uint32_t queued = 0;           // length of the MRAI queue (row entries' `queue`)
    Asn neighbor_asn = 0;               // graph ASN of `neighbor` (read per delivery)
  };
  // What one delivery or export reads of its AS besides the rows: one cache line, not six arrays.
  struct AsState {
    std::uint64_t announcements_rx = 0; // prefix announcements received so far
    std::uint64_t withdrawals_rx = 0;   // prefix withdrawals received so far
    std::uint8_t rov = 0;               // drops RPKI-invalid routes
    std::uint8_t customer_filter = 0;   // filters customers' prefixes by customer cone
    std::uint8_t leak = 0;              // exports every best route to every neighbour
    std::uint8_t watched = 0;           // its received updates are reported (watch())
  };
  struct PrefixState {
    std::vector<std::uint64_t> origin_sites;        // by AS: bit per anycast site, kReoriginBit
    std::vector<std::uint8_t> hijacker;             // by AS
    std::vector<std::pair<Asn, std::uint8_t>> roas; // covering ROAs: (origin, max_length)
    std::vector<std::uint8_t> cone_ok;              // by AS (customer filters only): the prefix is registered
                                                    // to an AS of its customer cone
  };
  SlotPrefix& sp(SlotIndex s, PrefixId p) { return sp_[std::size_t(s) * stride_ + p]; }
  const SlotPrefix& sp(SlotIndex s, PrefixId p) const { return sp_[std::size_t(s) * stride_ + p]; }
  AsPrefix& ap(AsIndex v, PrefixId p) { return ap_[std::size_t(v) * stride_ + p]; }
  const AsPrefix& ap(AsIndex v, PrefixId p) const { return ap_[std::size_t(v) * stride_ + p]; }
  void set_sites(PrefixId p, AsIndex v, std::uint64_t sites);

  AsIndex index_or_throw(Asn asn) const;
  SlotIndex slot_or_throw(AsIndex a, AsIndex b) const;
  PrefixId intern_prefix(const Prefix& p);
  void schedule_input(const Input& in, double at);
  void push(double time, EventKind kind, std::uint32_t a, std::uint32_t b);
  void dispatch(const Event& ev);
  void prefetch_next() const;

  void on_deliver(SlotIndex slot, std::uint32_t message);
  void on_mrai_expire(SlotIndex slot, std::uint32_t epoch);
  void on_input(const Input& in);
  void apply_origin_change(const Input& in);

  std::uint64_t route_key(SlotIndex s, PathId path) const;
  void rib_in_changed(PrefixId p, AsIndex v, SlotIndex s, PathId path, ChangeCause cause);
  void rescan(PrefixId p, AsIndex v, ChangeCause cause, Asn from);
  void set_best(PrefixId p, AsIndex v, SlotIndex slot, PathId path, ChangeCause cause, Asn from);
  PathId export_for(PrefixId p, AsIndex v, SlotIndex s);
  void export_changes(AsIndex v);
  void export_now(AsIndex v);
  void on_flush();
  void export_over(SlotIndex s);
  void send_batch(SlotIndex s);
  void arm_mrai(SlotIndex s);
  std::uint32_t new_message();
  void all_prefixes_changed(AsIndex v);
  PathId local_path(PrefixId p, AsIndex v) const;
  ImportDrop import_check(PrefixId p, AsIndex v, SlotIndex s, PathId path) const;
  void compute_filters(PrefixId p);
  void take_session_down(SlotIndex sa);
  void check_configurable() const;

  const AsGraph& graph_;
  BgpParams params_;
  std::mt19937_64 jitter_rng_;
  PathTable paths_;
  double now_ = 0;
  std::uint64_t seq_ = 0;
  DatedQueue<Event, Later> queue_; // see DatedQueue.hpp: a binary heap's order, few heap moves
  // Dates of pending observable events (inputs, deliveries to observed ASes); entries older than the
  // queue's first date are processed already and dropped lazily.
  std::priority_queue<double, std::vector<double>, std::greater<double>> observable_dates_;
  double min_gap_ = 0; // least delay an event adds to its own date (>= 0)
  std::vector<Message> messages_;
  std::vector<std::uint32_t> free_messages_;
  std::vector<Input> inputs_;
  // MRAI 0: (AS, prefix) pairs whose export is re-evaluated at the end of the current date (one
  // Flush event per date's batch), so a session carries one update per prefix per batch.
  std::vector<std::pair<AsIndex, PrefixId>> dirty_;
  std::vector<AsIndex> dirty_as_;           // ASes in dirty_, in the order they first changed
  std::vector<std::uint32_t> dirty_count_;  // by AS: its pairs in dirty_ (flush: places)
  std::vector<PrefixId> flush_order_;       // dirty_'s prefixes grouped by AS

  std::vector<Prefix> prefix_list_;
  std::map<Prefix, PrefixId> prefix_ids_;
  std::vector<PrefixState> prefix_state_;
  std::size_t stride_ = 0;          // prefixes per row of sp_ and ap_
  bool tight_ = false;              // rows were cut to the prefix count at the first run
  HugeVector<SlotPrefix> sp_;       // by slot * stride_ + prefix
  HugeVector<AsPrefix> ap_;         // by AS * stride_ + prefix
  HugeVector<SlotState> slots_;     // by slot
  std::vector<PrefixId> lpm_order_; // prefix ids, longest first

  // Import policies.
  std::vector<Roa> roas_;
  std::vector<std::pair<Prefix, Asn>> registry_;
  std::map<std::pair<PrefixId, AsIndex>, PathId> reorig_; // leaked more-specifics: the path kept
  bool any_rov_ = false, any_customer_filter_ = false;
  HugeVector<AsState> as_; // by AS

  // Scratch, reused to avoid allocation on the hot path.
  std::vector<PrefixId> changed_;                // prefixes whose best changed at the AS being processed
  std::vector<PrefixId> in_high_;                // prefixes >= 64 of the message being delivered
  std::vector<std::pair<PathId, PrefixId>> out_; // what one AS sends over one slot now
  AsIndex intern_cache_as_ = 0xFFFFFFFFu;        // last intern(v, path) done by set_best
  PathId intern_cache_path_ = kNoPath;
  PathId intern_cache_result_ = kNoPath;

  BgpObserver* observer_ = nullptr;
  std::uint64_t messages_delivered_ = 0;
  std::uint64_t prefix_updates_delivered_ = 0;
  std::uint64_t events_processed_ = 0;
  std::uint64_t best_path_changes_ = 0;
  std::uint64_t lookup_version_ = 0;
  double last_change_time_ = 0;
};

/// Writes the converged table for `prefix`, the body of `outagesim routes`: one line per AS of the
/// graph, sorted by ASN, "ASN<TAB>path" with the AS path as that AS sees it (space-separated ASNs,
/// neighbour first, origin last, prepends repeated); an origin prints its own ASN as its path
/// ("32934\t32934"); an AS without a route prints "ASN\t-". Uses exact-prefix routes (no LPM).
void write_routes(std::ostream& out, const BgpEngine& engine, const Prefix& prefix);

} // namespace outagesim::bgp
