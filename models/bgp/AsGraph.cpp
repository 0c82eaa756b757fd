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

AsGraph AsGraphBuilder::build() const {
  AsGraph g;
  g.asn_ = extra_ases_;
  g.asn_.reserve(extra_ases_.size() + 2 * links_.size());
  for (const Link& l : links_) {
    if (l.a == l.b) throw std::invalid_argument("self-loop on AS" + std::to_string(l.a));
    g.asn_.push_back(l.a);
    g.asn_.push_back(l.b);
  }
  std::sort(g.asn_.begin(), g.asn_.end());
  g.asn_.erase(std::unique(g.asn_.begin(), g.asn_.end()), g.asn_.end());
  g.asn_.shrink_to_fit();
  g.build_index();
  const std::size_t n = g.asn_.size();

  struct Half {
    AsIndex owner, neighbor;
    Relationship rel;
    double delay;
  };
  std::vector<Half> halves;
  halves.reserve(2 * links_.size());
  for (const Link& l : links_) {
    AsIndex a = *g.index_of(l.a);
    AsIndex b = *g.index_of(l.b);
    halves.push_back(Half{a, b, l.b_is, l.delay});
    halves.push_back(Half{b, a, reverse(l.b_is), l.delay});
  }
  std::sort(halves.begin(), halves.end(), [](const Half& x, const Half& y) {
    return x.owner != y.owner ? x.owner < y.owner : x.neighbor < y.neighbor;
  });
  for (std::size_t i = 1; i < halves.size(); ++i)
    if (halves[i].owner == halves[i - 1].owner && halves[i].neighbor == halves[i - 1].neighbor)
      throw std::invalid_argument("AS" + std::to_string(g.asn_[halves[i].owner]) + " and AS" +
                                  std::to_string(g.asn_[halves[i].neighbor]) + " are linked twice");

  const std::size_t m = halves.size();
  g.offset_.assign(n + 1, 0);
  g.owner_.resize(m);
  g.neighbor_.resize(m);
  g.rel_.resize(m);
  g.delay_.resize(m);
  g.reverse_.resize(m);
  for (std::size_t s = 0; s < m; ++s) {
    g.owner_[s] = halves[s].owner;
    g.neighbor_[s] = halves[s].neighbor;
    g.rel_[s] = halves[s].rel;
    g.delay_[s] = halves[s].delay;
    ++g.offset_[halves[s].owner + 1];
  }
  for (std::size_t v = 0; v < n; ++v)
    g.offset_[v + 1] += g.offset_[v];
  for (std::size_t s = 0; s < m; ++s)
    g.reverse_[s] = *g.find_slot(g.neighbor_[s], g.owner_[s]);
  return g;
}

} // namespace outagesim::bgp
