#include "models/bgp/PathTable.hpp"

namespace outagesim::bgp {
namespace {

inline std::uint64_t mix(AsIndex head, PathId tail) {
  std::uint64_t x = (static_cast<std::uint64_t>(head) << 32) | tail;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

} // namespace

PathTable::PathTable() {
  nodes_.push_back(Node{0, kNoPath, 0, 0}); // kEmptyPath
  table_.assign(1024, kNoPath);
  mask_ = table_.size() - 1;
}

PathId PathTable::intern(AsIndex head, PathId tail) {
  std::size_t i = mix(head, tail) & mask_;
  while (true) {
    PathId id = table_[i];
    if (id == kNoPath) break;
    const Node& n = nodes_[id];
    if (n.head == head && n.tail == tail) return id;
    i = (i + 1) & mask_;
  }
  PathId id = static_cast<PathId>(nodes_.size());
  nodes_.push_back(Node{head, tail, nodes_[tail].length + 1, tail == kEmptyPath ? head : nodes_[tail].origin});
  table_[i] = id;
  if (nodes_.size() * 2 > table_.size()) grow();
  return id;
}

void PathTable::grow() {
  std::vector<PathId> bigger(table_.size() * 2, kNoPath);
  const std::size_t mask = bigger.size() - 1;
  for (PathId id = 1; id < nodes_.size(); ++id) {
    std::size_t i = mix(nodes_[id].head, nodes_[id].tail) & mask;
    while (bigger[i] != kNoPath)
      i = (i + 1) & mask;
    bigger[i] = id;
  }
  table_.swap(bigger);
  mask_ = mask;
}

bool PathTable::contains(PathId p, AsIndex v) const {
  for (; p != kEmptyPath; p = nodes_[p].tail)
    if (nodes_[p].head == v) return true;
  return false;
}

std::vector<AsIndex> PathTable::indices(PathId p) const {
  std::vector<AsIndex> out;
  out.reserve(nodes_[p].length);
  for (; p != kEmptyPath; p = nodes_[p].tail)
    out.push_back(nodes_[p].head);
  return out;
}

std::size_t PathTable::memory_bytes() const {
  return nodes_.capacity() * sizeof(Node) + table_.capacity() * sizeof(PathId);
}

} // namespace outagesim::bgp
