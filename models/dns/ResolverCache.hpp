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
// While Resolving or Failing, answers come from a short list of Hold segments (until, answer mix):
// the time the resolution is in flight (queries wait, then get its result) and the time a SERVFAIL
// or stale answer is held. Everything here is plain data; DnsCore drives the transitions.
#include <array>
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

/// A period during which a query name's answers do not come from the cache.
struct HoldSegment {
  double until;
  AnswerMix mix;
};

/// The cache of one resolver, indexed by the core's name and zone indices.
struct ResolverCache {
  std::vector<CacheEntry> names;               ///< per name index
  std::vector<CacheEntry> zones;               ///< per zone index: the delegation (NS + glue)
  std::vector<std::vector<HoldSegment>> holds; ///< per name index (query names only)

  void resize(std::size_t name_count, std::size_t zone_count) {
    names.assign(name_count, {});
    zones.assign(zone_count, {});
    holds.assign(name_count, {});
  }
  /// Drops hold segments that ended by `t`; returns the active one or nullptr.
  const HoldSegment* hold_at(std::size_t name, double t) {
    auto& h = holds[name];
    while (!h.empty() && h.front().until <= t)
      h.erase(h.begin());
    return h.empty() ? nullptr : &h.front();
  }
};

} // namespace outagesim::dns
