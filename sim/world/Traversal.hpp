#pragma once
// The one traversal of the world: latency-shortest paths from one node of the topology graph over the
// links and nodes that are up (and of the link kinds asked for), and the down elements met at the
// edge of what it reached (what cut the rest off). World::reach wraps it; World::shortest_path and
// World::cut_from answer from it, and so do the models that ask what a place reaches (the datacenter
// model's routing and health checks, the operators' access paths; DNS and the probe through World).
// The graph and the up/down state are plain data (WorldState is a snapshot), so the traversal runs
// and is unit-tested without SimGrid.
//
// Ties: among paths of equal latency, the one whose last hop comes from the node settled first (the
// nearer to the source, then the lower node index) wins, so paths do not depend on the order of the
// graph's edges, and zero-latency links never make the predecessors loop.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim {

/// The topology as a graph: a vertex per node (its index in Scenario::nodes), an edge per link.
struct TopologyVertex {
  std::size_t node;
};
struct TopologyEdge {
  std::size_t link; ///< index in Scenario::links
  double latency;   ///< one way, s
};
using TopologyGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, TopologyVertex, TopologyEdge>;

/// A path through the topology: node indices (first = source) and the links between them.
struct NetPath {
  std::vector<std::size_t> nodes;
  std::vector<std::size_t> links;
  Seconds latency = 0; ///< one way, sum of link latencies
};

/// The up/down state of every node and link at one instant (World::state()).
struct WorldState {
  std::vector<char> node_up; ///< per node index
  std::vector<char> link_up; ///< per link index
};

/// What a traversal may use.
struct ReachOptions {
  std::vector<LinkKind> kinds;        ///< link kinds it may cross; empty: every kind
  std::optional<std::size_t> stop_at; ///< stop once this node's path is final (the boundary is then partial)
};

/// What one node reaches: latencies, the path to each reached node, and the boundary.
struct Reach {
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
  static constexpr double unreached = std::numeric_limits<double>::infinity();
  std::size_t from = npos;
  std::vector<double> latency;       ///< one way from `from` (s); `unreached` where it does not get
  std::vector<std::size_t> via_node; ///< previous node on the path (npos for `from` and unreached nodes)
  std::vector<std::size_t> via_link; ///< the link from via_node (npos likewise)
  /// Down links (of the allowed kinds) and down nodes (behind an up link) next to a reached node:
  /// what stopped the traversal. Ascending indices, each once. A down link between two reached nodes
  /// is listed too (it stopped nothing; World::cut_from leaves it out).
  std::vector<std::size_t> down_links;
  std::vector<std::size_t> down_nodes;

  bool reached(std::size_t node) const { return latency[node] < unreached; }
  /// The path to a reached node (nodes from `from`, links between them, latency).
  NetPath path_to(std::size_t node) const;
};

/// Latency-shortest paths from `from` over what `state` has up, within `options` (`links` gives each
/// edge's kind). Nothing is reached when `from` itself is down.
Reach reach(const TopologyGraph& g, const std::vector<LinkSpec>& links, const WorldState& state,
            std::size_t from, const ReachOptions& options = {});

} // namespace outagesim::sim
