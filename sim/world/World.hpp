#pragma once
// The world of a run: the scenario's topology as a Boost.Graph (nodes: ASes, routers, datacenters,
// DNS servers, resolvers, user regions; edges: links with latency, capacity and kind), built into a
// SimGrid platform (one host per node, one link per topology link, routes between neighbours), and
// the entity directory that fault actions reach entities through.
//
// Up/down state lives in SimGrid (Host::is_on, Link::is_on); the world reads it when it computes
// paths, so a turned-off link is gone for everyone at the same simulated instant.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/Scenario.hpp"
#include "sim/world/Traversal.hpp"

namespace simgrid::s4u {
class Host;
class Link;
} // namespace simgrid::s4u

namespace outagesim::sim {

class World {
public:
  using VertexProps = TopologyVertex;
  using EdgeProps = TopologyEdge;
  using Graph = TopologyGraph;

  /// Builds the graph from a validated scenario (no SimGrid needed: `validate` uses this too).
  explicit World(const Scenario& s);

  const Scenario& scenario() const { return scenario_; }
  const Graph& graph() const { return graph_; }
  std::size_t node_count() const { return scenario_.nodes.size(); }
  std::size_t link_count() const { return scenario_.links.size(); }
  const NodeSpec& node(std::size_t i) const { return scenario_.nodes[i]; }
  const LinkSpec& link(std::size_t i) const { return scenario_.links[i]; }
  std::optional<std::size_t> find_node(const std::string& path) const;
  std::optional<std::size_t> find_link(const std::string& id) const;

  /// Creates the SimGrid platform (call once, inside a live sg4::Engine, before any actor).
  void build_platform();
  bool has_platform() const { return !hosts_.empty() || node_count() == 0; }
  simgrid::s4u::Host* host(std::size_t node) const { return hosts_.at(node); }
  /// A host outside the topology (no links, never a fault target) for actors that stand for a whole
  /// layer rather than a place: the fault player, samplers, event-driven protocol engines.
  simgrid::s4u::Host* control_host() const { return control_; }
  simgrid::s4u::Link* sg_link(std::size_t link) const { return links_.at(link); }
  /// Sends `bytes` over one topology link, from node `from` to the link's other end, blocking the
  /// calling actor for the transfer time. Throws SimGrid's NetworkFailureException (or
  /// HostFailureException) if the link or an end fails during the transfer.
  void send_over(std::size_t link, std::size_t from, std::uint64_t bytes) const;
  /// Current state (true before the platform exists).
  bool node_up(std::size_t node) const;
  bool link_up(std::size_t link) const;
  /// Every node's and link's state now.
  WorldState state() const;

  /// Shortest path by latency over links and nodes that are up now; nullopt if unreachable.
  /// Models that route inside the topology (an IGP that converges at once) use this. Both this and
  /// cut_from answer from the world's one traversal (sim/world/Traversal.hpp).
  std::optional<NetPath> shortest_path(std::size_t from, std::size_t to) const;
  /// Down links and nodes on the boundary of what `from` can still reach: the elements whose
  /// failure cut it off (used to explain a loss of reachability). Sorted, as entity paths.
  std::vector<std::string> cut_from(std::size_t from, std::size_t to) const;

  /// What `from` reaches over what `state` has up (the world's one traversal, Traversal.hpp).
  Reach reach(const WorldState& state, std::size_t from, const ReachOptions& options = {}) const;
  /// The entity paths of a reach's boundary (its down links and nodes), sorted.
  std::vector<std::string> boundary_paths(const Reach& r) const;
  /// The latest event that changed an element on the path to a reached node (its links and the
  /// nodes after the source): what opened the way, for causal chains. 0 when none did.
  std::uint64_t latest_change_along(const Reach& r, std::size_t to) const;
  /// The latest event that took down an element of a reach's boundary (what cut the rest off).
  std::uint64_t latest_boundary_change(const Reach& r) const;

  /// Every entity path of the scenario (nodes, links, services), sorted.
  std::vector<std::string> entity_paths() const;

  /// The id of the event that last changed an entity's state (0: none), for causal chains.
  void set_last_change(const std::string& path, std::uint64_t event_id) { last_change_[path] = event_id; }
  std::uint64_t last_change(const std::string& path) const;

private:
  const Scenario& scenario_;
  Graph graph_;
  std::map<std::string, std::size_t> node_index_;
  std::map<std::string, std::size_t> link_index_;
  std::vector<simgrid::s4u::Host*> hosts_;
  std::vector<simgrid::s4u::Link*> links_;
  simgrid::s4u::Host* control_ = nullptr;
  // Parallel links: every link after the first between two nodes reaches the far node through a
  // midpoint host of its own (link, then a lossless splice), since SimGrid keeps one route per pair.
  std::vector<simgrid::s4u::Host*> midpoints_; // per link; nullptr when the link is the direct route
  std::map<std::string, std::uint64_t> last_change_;
};

} // namespace outagesim::sim
