#include "models/bgp/AsGraph.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace outagesim::bgp {

std::string_view to_string(Relationship r) {
  switch (r) {
  case Relationship::Customer:
    return "customer";
  case Relationship::Peer:
    return "peer";
  case Relationship::Provider:
    return "provider";
  case Relationship::Sibling:
    return "sibling";
  }
  return "?";
}

void AsGraph::build_index() {
  std::size_t size = 2;
  unsigned bits = 1;
  while (size < 2 * asn_.size())
    size <<= 1, ++bits;
  index_.assign(size, kNoIndex);
  index_shift_ = 64 - bits;
  for (AsIndex v = 0; v < asn_.size(); ++v) {
    std::size_t h = index_hash(asn_[v]);
    while (static_cast<AsIndex>(index_[h]) != kNoIndex)
      h = (h + 1) & (size - 1);
    index_[h] = (static_cast<std::uint64_t>(asn_[v]) << 32) | v;
  }
}

std::optional<SlotIndex> AsGraph::find_slot(AsIndex v, AsIndex u) const {
  auto first = neighbor_.begin() + offset_[v];
  auto last = neighbor_.begin() + offset_[v + 1];
  auto it = std::lower_bound(first, last, u);
  if (it == last || *it != u) return std::nullopt;
  return static_cast<SlotIndex>(it - neighbor_.begin());
}

void AsGraphBuilder::add_as(Asn asn) {
  extra_ases_.push_back(asn);
}

void AsGraphBuilder::add_link(Asn a, Asn b, Relationship b_is, double delay_s) {
  links_.push_back(Link{a, b, b_is, delay_s});
}

namespace {

// Sorts 32-bit values (least significant digit first, two 16-bit digits): the AS numbers of a
// 500k-link file in a few milliseconds, where a comparison sort takes tens.
void radix_sort(std::vector<std::uint32_t>& v) {
  std::vector<std::uint32_t> tmp(v.size());
  std::vector<std::size_t> count(1u << 16);
  for (int shift = 0; shift < 32; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (std::uint32_t x : v)
      ++count[(x >> shift) & 0xFFFF];
    std::size_t sum = 0;
    for (std::size_t& c : count) {
      const std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (std::uint32_t x : v)
      tmp[count[(x >> shift) & 0xFFFF]++] = x;
    v.swap(tmp);
  }
}

} // namespace

AsGraph AsGraphBuilder::build() const {
  AsGraph g;
  g.asn_ = extra_ases_;
  g.asn_.reserve(extra_ases_.size() + 2 * links_.size());
  for (const Link& l : links_) {
    if (l.a == l.b) throw std::invalid_argument("self-loop on AS" + std::to_string(l.a));
    g.asn_.push_back(l.a);
    g.asn_.push_back(l.b);
  }
  radix_sort(g.asn_);
  g.asn_.erase(std::unique(g.asn_.begin(), g.asn_.end()), g.asn_.end());
  g.asn_.shrink_to_fit();
  g.build_index();
  const std::size_t n = g.asn_.size();
  if (2 * links_.size() > 0xFFFFFFFEu) throw std::invalid_argument("too many links");

  // Link l gives the halves 2l (owner a) and 2l+1 (owner b). Counting sort by owner, then each
  // owner's neighbours sorted: the slots in (owner, neighbour) order, as a sort of all halves gives.
  const std::size_t m = 2 * links_.size();
  std::vector<AsIndex> end(links_.size() * 2);
  g.offset_.assign(n + 1, 0);
  for (std::size_t l = 0; l < links_.size(); ++l) {
    end[2 * l] = *g.index_of(links_[l].a);
    end[2 * l + 1] = *g.index_of(links_[l].b);
    ++g.offset_[end[2 * l] + 1];
    ++g.offset_[end[2 * l + 1] + 1];
  }
  for (std::size_t v = 0; v < n; ++v)
    g.offset_[v + 1] += g.offset_[v];
  // By slot: neighbour << 32 | half.
  std::vector<std::uint64_t> slot_half(m);
  {
    std::vector<SlotIndex> fill(g.offset_.begin(), g.offset_.end() - 1);
    for (std::size_t h = 0; h < m; ++h)
      slot_half[fill[end[h]]++] = (static_cast<std::uint64_t>(end[h ^ 1]) << 32) | h;
  }
  for (std::size_t v = 0; v < n; ++v) {
    auto first = slot_half.begin() + g.offset_[v], last = slot_half.begin() + g.offset_[v + 1];
    std::sort(first, last);
    for (auto it = first; it + 1 < last; ++it)
      if ((*it >> 32) == (it[1] >> 32))
        throw std::invalid_argument("AS" + std::to_string(g.asn_[v]) + " and AS" +
                                    std::to_string(g.asn_[static_cast<AsIndex>(it[1] >> 32)]) +
                                    " are linked twice");
  }
  g.owner_.resize(m);
  g.neighbor_.resize(m);
  g.rel_.resize(m);
  g.delay_.resize(m);
  g.reverse_.resize(m);
  std::vector<SlotIndex> slot_of(m); // by half
  for (std::size_t v = 0; v < n; ++v)
    for (SlotIndex s = g.offset_[v]; s < g.offset_[v + 1]; ++s) {
      const std::size_t h = static_cast<std::uint32_t>(slot_half[s]);
      const Link& l = links_[h / 2];
      g.owner_[s] = static_cast<AsIndex>(v);
      g.neighbor_[s] = static_cast<AsIndex>(slot_half[s] >> 32);
      g.rel_[s] = h % 2 == 0 ? l.b_is : reverse(l.b_is);
      g.delay_[s] = l.delay;
      slot_of[h] = s;
    }
  for (std::size_t h = 0; h < m; ++h)
    g.reverse_[slot_of[h]] = slot_of[h ^ 1];
  return g;
}

} // namespace outagesim::bgp
