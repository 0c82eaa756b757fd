#include "models/bgp/AsGraphBoost.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <utility>

namespace outagesim::bgp {

BoostAsGraph to_boost_graph(const AsGraph& graph) {
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  std::vector<BoostAsEdge> props;
  edges.reserve(graph.slot_count());
  props.reserve(graph.slot_count());
  for (SlotIndex s = 0; s < graph.slot_count(); ++s) {
    edges.emplace_back(graph.owner(s), graph.neighbor(s));
    props.push_back(BoostAsEdge{graph.relationship(s), graph.delay(s)});
  }
  // Slots are already sorted by source, which is what edges_are_sorted requires.
  BoostAsGraph bg(boost::edges_are_sorted, edges.begin(), edges.end(), props.begin(), graph.as_count());
  for (AsIndex v = 0; v < graph.as_count(); ++v)
    bg[v].asn = graph.asn(v);
  return bg;
}

std::vector<std::vector<Asn>> find_provider_cycles(const AsGraph& graph) {
  using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Digraph d(graph.as_count());
  for (SlotIndex s = 0; s < graph.slot_count(); ++s)
    if (graph.relationship(s) == Relationship::Customer)
      boost::add_edge(graph.owner(s), graph.neighbor(s), d);
  std::vector<int> component(graph.as_count());
  int count = boost::strong_components(
      d, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, d)));
  std::vector<std::vector<Asn>> members(static_cast<std::size_t>(count));
  for (AsIndex v = 0; v < graph.as_count(); ++v)
    members[static_cast<std::size_t>(component[v])].push_back(graph.asn(v));
  std::vector<std::vector<Asn>> cycles;
  for (auto& m : members)
    if (m.size() > 1) cycles.push_back(std::move(m)); // indices ascend, so members are sorted by ASN
  std::sort(cycles.begin(), cycles.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  return cycles;
}

} // namespace outagesim::bgp
