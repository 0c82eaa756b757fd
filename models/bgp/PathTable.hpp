#pragma once
// Interned AS paths. A path is a persistent linked list (head AS, tail path), hash-consed so that
// equal paths have equal ids: comparing attributes for update batching is one integer compare, and
// memory grows with the number of distinct paths, not with the number of routes.
//
//   id 0 (kEmptyPath) is the empty path: the route an origin AS holds for its own prefix.
//   intern(v, p) is "v prepended to p", what v exports when its best path is p.
// Ids are stable for the engine's lifetime (nothing is ever freed), so observers may keep them.
#include "models/bgp/AsGraph.hpp"

#include <cstdint>
#include <vector>

namespace outagesim::bgp {

/// Id of an interned AS path.
using PathId = std::uint32_t;
/// The empty path (an originated route).
inline constexpr PathId kEmptyPath = 0;
/// "No route" / withdrawn, where a PathId slot may hold no path.
inline constexpr PathId kNoPath = 0xFFFFFFFFu;

/// Hash-consed store of AS paths over dense AS indices.
class PathTable {
public:
  PathTable();
  /// The path `head` followed by `tail` (interned: same arguments, same id).
  PathId intern(AsIndex head, PathId tail);
  /// Number of ASes on the path (prepends count), 0 for kEmptyPath.
  std::uint32_t length(PathId p) const { return nodes_[p].length; }
  /// First AS of a non-empty path (the neighbour that sent it).
  AsIndex head(PathId p) const { return nodes_[p].head; }
  /// The path without its first AS.
  PathId tail(PathId p) const { return nodes_[p].tail; }
  /// Last AS of a non-empty path (the origin it claims).
  AsIndex origin(PathId p) const { return nodes_[p].origin; }
  /// True if `v` appears on the path (the BGP loop check).
  bool contains(PathId p, AsIndex v) const;
  /// The path's AS indices, first (neighbour) to last (origin).
  std::vector<AsIndex> indices(PathId p) const;
  /// Number of distinct paths stored (including the empty one).
  std::size_t size() const { return nodes_.size(); }
  /// Approximate heap bytes used.
  std::size_t memory_bytes() const;

private:
  struct Node {
    AsIndex head;
    PathId tail;
    std::uint32_t length;
    AsIndex origin; // last AS of the path (head of the empty path's predecessor)
  };
  void grow();
  std::vector<Node> nodes_;
  std::vector<PathId> table_; // open addressing, kNoPath = empty bucket
  std::size_t mask_ = 0;
};

} // namespace outagesim::bgp
