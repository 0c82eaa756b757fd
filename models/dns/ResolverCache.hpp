#pragma once
// The cache of one recursive resolver, and the per-name answer state the fluid model walks through.
//
// Cache entries (one per owner name, one per delegated zone) are valid in [from, until) and may be
// served stale until `stale_until` (RFC 8767). A query name (a name users look up) moves through:
//
//                    all of the chain fresh in cache
//          +-------------------------------------------------+
//          v                                                 |
//     +---------+  an entry of the chain expires    +-----------+  upstream answers    +---------+
//     | Cached  | --------------------------------> | Resolving | -------------------> | Cached  |
//     +---------+  (the first query after expiry    +-----------+  (cache filled,      +---------+
//          ^        starts a resolution)              |   ^          waiting queries answered)
//          |                                         |   |
//          |              every server of a zone     |   | SERVFAIL hold (servfail_ttl) or
//          |              timed out / unreachable    v   | stale hold (stale_refresh) expires
//          |                                      +-----------+
//          +------------------------------------- |  Failing  |  answers: SERVFAIL, client timeout,
//                  a later resolution succeeds    +-----------+  or stale data (serve-stale)
//
// While Resolving or Failing, answers come from at most two hold segments (until, answer mix): the
// time the resolution is in flight (queries wait, then get its result) and the time a SERVFAIL or
// stale answer is held. Everything here is plain data; DnsCore drives the transitions.
#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

namespace outagesim::dns {

/// What a client gets for one query. WrongAddress is a "successful" answer that carries an address
/// the service does not own (forged by a hijacker of the server's prefix, or a poisoned cache): the
/// stub is satisfied, the user still fails.
enum class Answer { NoError, NxDomain, ServFail, Timeout, Stale, WrongAddress };
constexpr std::size_t kAnswerKinds = 6;
/// "noerror", "nxdomain", "servfail", "timeout", "stale", "wrong_address".
const char* answer_name(Answer a);
/// True for answers that leave the user without a usable address.
inline bool is_failure(Answer a) {
  return a == Answer::NxDomain || a == Answer::ServFail || a == Answer::Timeout || a == Answer::WrongAddress;
}

/// A mix of answers (fractions summing to 1), for fluid periods that mix kinds.
struct AnswerMix {
  std::array<double, kAnswerKinds> share{};
  static AnswerMix only(Answer a) {
    AnswerMix m;
    m.share[static_cast<std::size_t>(a)] = 1;
    return m;
  }
};

/// One cached RRset (an owner name's A or CNAME, its negative answer, or a forged address) or one
/// zone's NS set.
struct CacheEntry {
  enum class Kind { Empty, Address, Cname, Negative, Delegation, Forged };
  Kind kind = Kind::Empty;
  double from = 0;
  double until = 0;       ///< expiry (from + TTL)
  double stale_until = 0; ///< serve-stale limit (until + max_stale)
  bool fresh(double t) const { return kind != Kind::Empty && from <= t && t < until; }
  bool stale_usable(double t) const {
    return kind != Kind::Empty && kind != Kind::Negative && t < stale_until;
  }
};

/// The answers of a hold: at most two kinds (the answer while a resolution is in flight and the one
/// held after it), each with its share (kinds -1: unused). Compact (24 bytes) where an AnswerMix takes
/// 48: adding it adds the same products as adding the AnswerMix it was made of (its other shares are
/// exact zeros, whose products add nothing).
struct HoldMix {
  std::array<double, 2> share{};
  std::array<std::int8_t, 2> kind{{-1, -1}};
  static HoldMix only(Answer a) {
    HoldMix m;
    m.share[0] = 1;
    m.kind[0] = static_cast<std::int8_t>(a);
    return m;
  }
  /// The non-zero shares of `m`, in the order of the kinds (at most two).
  static HoldMix of(const AnswerMix& m) {
    HoldMix h;
    std::size_t j = 0;
    for (std::size_t i = 0; i < kAnswerKinds; ++i)
      if (m.share[i] != 0) {
        assert(j < 2 && "a hold mixes at most two answers");
        h.share[j] = m.share[i];
        h.kind[j++] = static_cast<std::int8_t>(i);
      }
    return h;
  }
  /// Adds `count` queries answered with this mix to `out` (per kind, share * count).
  void add_to(std::array<double, kAnswerKinds>& out, double count) const {
    if (kind[0] >= 0) out[std::size_t(kind[0])] += share[0] * count;
    if (kind[1] >= 0) out[std::size_t(kind[1])] += share[1] * count;
  }
};

/// The periods during which one query name's answers in one cache do not come from the cache: at most
/// two segments (in flight, then a SERVFAIL or stale hold; or failed cycles, then the success), kept
/// inline (no allocation) in one cache line, the ended ones skipped.
struct alignas(64) Holds {
  std::array<double, 2> until{};
  std::array<std::array<double, 2>, 2> share{}; ///< per segment: HoldMix::share
  std::array<std::array<std::int8_t, 2>, 2> kind{};
  std::uint8_t first = 0, count = 0;

  /// Skips segments that ended by `t`; returns the active one's index, or -1.
  int active(double t) {
    while (first < count && until[first] <= t)
      ++first;
    return first < count ? int(first) : -1;
  }
  HoldMix mix(std::size_t s) const {
    HoldMix m;
    m.share = share[s];
    m.kind = kind[s];
    return m;
  }
  void clear() { first = count = 0; }
  /// Replaces every segment by one answering `m` until `end`.
  void set(double end, const HoldMix& m) {
    first = count = 0;
    push(end, m);
  }
  /// Adds a segment after the last one.
  void push(double end, const HoldMix& m) {
    assert(count < 2 && "at most two hold segments");
    until[count] = end;
    share[count] = m.share;
    kind[count++] = m.kind;
  }
};

/// The caches of every resolver instance of the core, flat: one allocation each for name entries,
/// delegations and holds, the entries of one name (one zone, one query name) of all instances adjacent
/// (index item * instances + instance). The instances of a resolver are walked one after the other for
/// the same name, so consecutive walks touch neighbouring entries (prefetched), where separately
/// allocated caches cost a miss or two per walk.
class CacheStore {
public:
  /// Read-only view of one instance's cache (inspection, tests): names[n], zones[z].
  struct View {
    struct Column {
      const CacheEntry* base;
      std::size_t stride;
      const CacheEntry& operator[](std::size_t i) const { return base[i * stride]; }
    };
    Column names, zones;
  };

  /// Empty caches for `instances` instances; `hold_slot` maps a name index to its holds' slot (-1: the
  /// name is never a query name and has none).
  void reset(std::size_t instances, std::size_t names, std::size_t zones, std::vector<int> hold_slot) {
    n_ = instances;
    names_.assign(names * n_, {});
    zones_.assign(zones * n_, {});
    hold_slot_ = std::move(hold_slot);
    std::size_t slots = 0;
    for (int s : hold_slot_)
      slots = std::max(slots, std::size_t(s + 1));
    holds_.assign(slots * n_, {});
  }
  std::size_t instances() const { return n_; }
  CacheEntry& name(std::size_t inst, std::size_t n) { return names_[n * n_ + inst]; }
  const CacheEntry& name(std::size_t inst, std::size_t n) const { return names_[n * n_ + inst]; }
  CacheEntry& zone(std::size_t inst, std::size_t z) { return zones_[z * n_ + inst]; }
  const CacheEntry& zone(std::size_t inst, std::size_t z) const { return zones_[z * n_ + inst]; }
  /// The holds of query name `n` (one with a hold slot) in instance `inst`.
  Holds& holds(std::size_t inst, std::size_t n) {
    assert(hold_slot_[n] >= 0 && "holds exist for query names only");
    return holds_[std::size_t(hold_slot_[n]) * n_ + inst];
  }
  /// Drops the holds of name `n` in instance `inst` (nothing when it has none).
  void clear_holds(std::size_t inst, std::size_t n) {
    if (hold_slot_[n] >= 0) holds_[std::size_t(hold_slot_[n]) * n_ + inst].clear();
  }
  /// Where the entries a walk of instance `inst` reads lie (to ask for them before it needs them). The
  /// caller prefetches (GCC 12 drops prefetches in a helper, taking it for a function without effect).
  const void* name_address(std::size_t inst, std::size_t n) const { return &names_[n * n_ + inst]; }
  const void* zone_address(std::size_t inst, std::size_t z) const { return &zones_[z * n_ + inst]; }
  const void* holds_address(std::size_t inst, std::size_t n) const {
    return &holds_[std::size_t(hold_slot_[n]) * n_ + inst];
  }
  /// Instance `inst` forgets every entry and hold.
  void clear(std::size_t inst) {
    for (std::size_t i = inst; i < names_.size(); i += n_)
      names_[i] = CacheEntry{};
    for (std::size_t i = inst; i < zones_.size(); i += n_)
      zones_[i] = CacheEntry{};
    for (std::size_t i = inst; i < holds_.size(); i += n_)
      holds_[i].clear();
  }
  View view(std::size_t inst) const { return {{names_.data() + inst, n_}, {zones_.data() + inst, n_}}; }

private:
  std::size_t n_ = 0;
  std::vector<CacheEntry> names_; ///< name * instances + instance
  std::vector<CacheEntry> zones_; ///< zone * instances + instance: the delegation (NS + glue)
  std::vector<int> hold_slot_;    ///< name -> slot of its holds, or -1
  std::vector<Holds> holds_;      ///< slot * instances + instance
};

} // namespace outagesim::dns
