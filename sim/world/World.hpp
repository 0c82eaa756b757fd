#pragma once
// The world of a run: the scenario's topology as a Boost.Graph (nodes: ASes, routers, datacenters,
// DNS servers, resolvers, user regions; edges: links with latency, capacity and kind), built into a
// SimGrid platform (one host per node, one link per topology link, routes between neighbours), and
// the entity directory that fault actions reach entities through.
//
// Up/down state lives in SimGrid (Host::is_on, Link::is_on). The world keeps a copy of it, updated
// by SimGrid's state-change signals (whoever switches a node or link: the engine's fault handlers, a
// model, a state profile), so a turned-off link is gone for everyone at the same simulated instant
// and nothing polls every link to know the state. A version number changes with every switch; what
// a node reaches is memoised per (node, options) while the version holds (reach_now).
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
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
  ~World();
  World(const World&) = delete; // SimGrid's signals reach it by its address
  World& operator=(const World&) = delete;

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
  bool node_up(std::size_t node) const { return state_.node_up[node] != 0; }
  bool link_up(std::size_t link) const { return state_.link_up[link] != 0; }
  /// Every node's and link's state now: the live state, kept up to date as SimGrid switches nodes and
  /// links (copy it to keep a snapshot).
  const WorldState& state() const { return state_; }
  /// A number that changes whenever a node or link of the topology changes state (0 until the first
  /// change): equal versions mean the same up/down state, so a model can keep what it derived from
  /// the state until the version moves.
  std::uint64_t state_version() const { return version_; }

  /// Shortest path by latency over links and nodes that are up now; nullopt if unreachable.
  /// Models that route inside the topology (an IGP that converges at once) use this. Both this and
  /// cut_from answer from the world's one traversal (sim/world/Traversal.hpp).
  std::optional<NetPath> shortest_path(std::size_t from, std::size_t to) const;
  /// Down links and nodes on the boundary of what `from` can still reach: the elements whose
  /// failure cut it off (used to explain a loss of reachability). Sorted, as entity paths.
  std::vector<std::string> cut_from(std::size_t from, std::size_t to) const;

  /// What `from` reaches over what `state` has up (the world's one traversal, Traversal.hpp).
  Reach reach(const WorldState& state, std::size_t from, const ReachOptions& options = {}) const;
  /// What `from` reaches now (over state()): memoised per (from, link kinds, stop_at) until the state
  /// changes, so a question asked again while nothing switched costs a lookup. The answer is shared
  /// and stays valid as long as it is held (a later change does not alter it; ask again for the
  /// new state). The memo keeps at most its limit of answers (kReachMemoBytes unless set), dropping
  /// the least recently used: a run asking about more places than fit recomputes, never grows.
  std::shared_ptr<const Reach> reach_now(std::size_t from, const ReachOptions& options = {}) const;
  static constexpr std::size_t kReachMemoBytes = std::size_t(32) << 20;
  void set_reach_memo_limit(std::size_t bytes) { memo_limit_ = bytes; }
  /// Counters of reach_now, for tests and benchmarks.
  struct ReachMemoStats {
    std::uint64_t hits = 0, misses = 0, dropped = 0; ///< dropped: answers evicted for room
    std::size_t entries = 0, bytes = 0;
  };
  ReachMemoStats reach_memo_stats() const;
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
  void host_switched(const simgrid::s4u::Host& h); // SimGrid's state-change signals
  void link_switched(const simgrid::s4u::Link& l);
  void switched(); // a node or link changed state
  struct ReachKey {
    std::size_t from, stop_at;
    unsigned kinds; // bit per LinkKind
    bool operator==(const ReachKey& o) const { return from == o.from && stop_at == o.stop_at && kinds == o.kinds; }
  };
  struct ReachKeyHash {
    std::size_t operator()(const ReachKey& k) const {
      return (k.from * 1000003u) ^ (k.stop_at * 31u) ^ k.kinds;
    }
  };
  struct ReachEntry {
    ReachKey key;
    std::shared_ptr<const Reach> reach;
    std::size_t bytes;
  };

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
  // The up/down state, updated by SimGrid's signals (connected in build_platform, disconnected by the
  // destructor), and its version.
  WorldState state_;
  std::uint64_t version_ = 0;
  std::unordered_map<const simgrid::s4u::Host*, std::size_t> node_of_host_;
  std::unordered_map<const simgrid::s4u::Link*, std::size_t> link_of_sg_;
  std::shared_ptr<World*> listener_; // what the signal callbacks hold weakly
  // reach_now's memo: most recently used first; valid for memo_version_ only.
  mutable std::list<ReachEntry> memo_;
  mutable std::unordered_map<ReachKey, std::list<ReachEntry>::iterator, ReachKeyHash> memo_index_;
  mutable std::uint64_t memo_version_ = 0;
  mutable std::size_t memo_bytes_ = 0;
  std::size_t memo_limit_ = kReachMemoBytes;
  mutable ReachMemoStats memo_stats_;
};

} // namespace outagesim::sim
