#pragma once
// The AS-level graph the BGP model runs on: a compact, immutable adjacency (CSR) over dense AS
// indices, built once by AsGraphBuilder (or a loader / generator) and then only read.
//
//   ASN (32-bit, sparse)  --index_of-->  AsIndex (dense, 0..N-1, sorted by ASN)
//   AsIndex v owns the slots [slot_begin(v), slot_end(v)): one slot per neighbour, sorted by the
//   neighbour's ASN. A slot is one direction of a link, seen from its owner: who the neighbour is,
//   what the neighbour is to the owner (its customer, peer, provider, sibling), the propagation
//   delay, and reverse(slot), the same link seen from the neighbour.
//
// Per-session BGP state (RIB-in, RIB-out, MRAI timers) lives in flat vectors indexed by slot in the
// engine, which is why slots are dense. AsGraphBoost.hpp gives a Boost.Graph view of the same graph.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace outagesim::bgp {

/// A 32-bit AS number as written in data files (sparse, up to 4294967295).
using Asn = std::uint32_t;
/// Dense index of an AS in an AsGraph (0..as_count()-1, in increasing ASN order).
using AsIndex = std::uint32_t;
/// Dense index of one direction of a link (a neighbour slot of an AS).
using SlotIndex = std::uint32_t;

/// Default one-way propagation delay of a link when the input gives none, in seconds.
inline constexpr double kDefaultLinkDelay = 0.010;

/// What a neighbour is to an AS. Directed: if B is A's Customer, A is B's Provider.
enum class Relationship : std::uint8_t {
  Customer, ///< the neighbour pays this AS for transit
  Peer,     ///< settlement-free exchange of customer routes
  Provider, ///< this AS pays the neighbour for transit
  Sibling   ///< same organisation: exchange everything, preferred like a customer
};

/// The relationship seen from the other end (Customer <-> Provider, Peer and Sibling symmetric).
constexpr Relationship reverse(Relationship r) {
  switch (r) {
  case Relationship::Customer:
    return Relationship::Provider;
  case Relationship::Provider:
    return Relationship::Customer;
  case Relationship::Peer:
    return Relationship::Peer;
  case Relationship::Sibling:
    return Relationship::Sibling;
  }
  return r;
}

/// "customer", "peer", "provider", "sibling".
std::string_view to_string(Relationship r);

/// Immutable AS graph in compressed-sparse-row form. Copyable, cheap to read, holds 60k ASes and
/// 261k links in about 10 MB.
class AsGraph {
public:
  /// Number of ASes.
  std::size_t as_count() const { return asn_.size(); }
  /// Number of (undirected) links.
  std::size_t link_count() const { return neighbor_.size() / 2; }
  /// Number of slots (= 2 * link_count()).
  std::size_t slot_count() const { return neighbor_.size(); }

  /// AS number of a dense index.
  Asn asn(AsIndex v) const { return asn_[v]; }
  /// Dense index of an AS number, nullopt if the AS is not in the graph (hash table, O(1)).
  std::optional<AsIndex> index_of(Asn asn) const {
    if (index_.empty()) return std::nullopt;
    for (std::size_t h = index_hash(asn);; h = (h + 1) & (index_.size() - 1)) {
      const std::uint64_t e = index_[h];
      if (static_cast<AsIndex>(e) == kNoIndex) return std::nullopt;
      if (static_cast<Asn>(e >> 32) == asn) return static_cast<AsIndex>(e);
    }
  }
  /// All AS numbers, sorted.
  const std::vector<Asn>& asns() const { return asn_; }

  /// First slot of `v`.
  SlotIndex slot_begin(AsIndex v) const { return offset_[v]; }
  /// One past the last slot of `v`.
  SlotIndex slot_end(AsIndex v) const { return offset_[v + 1]; }
  /// Number of neighbours of `v`.
  std::size_t degree(AsIndex v) const { return offset_[v + 1] - offset_[v]; }
  /// The AS owning slot `s` (the near end).
  AsIndex owner(SlotIndex s) const { return owner_[s]; }
  /// The neighbour at the far end of slot `s`.
  AsIndex neighbor(SlotIndex s) const { return neighbor_[s]; }
  /// What the neighbour of slot `s` is to the owner.
  Relationship relationship(SlotIndex s) const { return rel_[s]; }
  /// One-way propagation delay of the link, seconds.
  double delay(SlotIndex s) const { return delay_[s]; }
  /// The same link seen from the neighbour.
  SlotIndex reverse_slot(SlotIndex s) const { return reverse_[s]; }
  /// The slot of `v` whose neighbour is `u`, nullopt if they are not linked (binary search).
  std::optional<SlotIndex> find_slot(AsIndex v, AsIndex u) const;

private:
  friend class AsGraphBuilder;
  static constexpr AsIndex kNoIndex = 0xFFFFFFFFu;
  std::size_t index_hash(Asn asn) const {
    return static_cast<std::size_t>((asn * 0x9E3779B97F4A7C15ull) >> index_shift_);
  }
  void build_index();
  std::vector<Asn> asn_; // by AsIndex, sorted
  // ASN -> index, open addressing with linear probing: entries asn << 32 | index, the low half
  // kNoIndex when empty; size a power of two at least twice the AS count.
  std::vector<std::uint64_t> index_;
  unsigned index_shift_ = 64;
  std::vector<SlotIndex> offset_;  // size N+1
  std::vector<AsIndex> owner_;     // by slot
  std::vector<AsIndex> neighbor_;  // by slot, sorted within an owner
  std::vector<Relationship> rel_;  // by slot
  std::vector<double> delay_;      // by slot
  std::vector<SlotIndex> reverse_; // by slot
};

/// Collects ASes and links, then builds an AsGraph. Loaders and the generator use it; so can a
/// scenario's inline topology.
class AsGraphBuilder {
public:
  /// Declares an AS (links declare their ends implicitly; this adds isolated ASes).
  void add_as(Asn asn);
  /// Adds a link between `a` and `b`; `b_is` says what `b` is to `a` (Customer: a is b's provider).
  void add_link(Asn a, Asn b, Relationship b_is, double delay_s = kDefaultLinkDelay);
  /// Number of links added so far.
  std::size_t link_count() const { return links_.size(); }
  /// Builds the graph. Throws std::invalid_argument on a self-loop or a pair linked twice
  /// (loaders check these first to report file and line).
  AsGraph build() const;

private:
  struct Link {
    Asn a, b;
    Relationship b_is;
    double delay;
  };
  std::vector<Asn> extra_ases_;
  std::vector<Link> links_;
};

/// Provider-customer cycles: the strongly connected components (size > 1) of the directed
/// provider->customer graph (siblings and peers ignored), each as sorted ASNs, components sorted by
/// their smallest ASN. Empty when the hierarchy is acyclic (what Gao-Rexford safety assumes).
std::vector<std::vector<Asn>> find_provider_cycles(const AsGraph& graph);

} // namespace outagesim::bgp
