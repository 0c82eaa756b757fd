#include "sim/world/Traversal.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

namespace outagesim::sim {

NetPath Reach::path_to(std::size_t node) const {
  NetPath p;
  p.latency = latency[node];
  for (std::size_t v = node; v != from; v = via_node[v]) {
    p.nodes.push_back(v);
    p.links.push_back(via_link[v]);
  }
  p.nodes.push_back(from);
  std::reverse(p.nodes.begin(), p.nodes.end());
  std::reverse(p.links.begin(), p.links.end());
  return p;
}

Reach reach(const TopologyGraph& g, const std::vector<LinkSpec>& links, const WorldState& state,
            std::size_t from, const ReachOptions& options) {
  const std::size_t n = boost::num_vertices(g);
  Reach r;
  r.from = from;
  r.latency.assign(n, Reach::unreached);
  r.via_node.assign(n, Reach::npos);
  r.via_link.assign(n, Reach::npos);
  if (!state.node_up[from]) return r;
  std::vector<char> allowed(links.size(), 1);
  if (!options.kinds.empty())
    for (std::size_t l = 0; l < links.size(); ++l)
      allowed[l] =
          std::find(options.kinds.begin(), options.kinds.end(), links[l].kind) != options.kinds.end();
  std::vector<char> settled(n, 0), link_met(links.size(), 0), node_met(n, 0);
  using Item = std::pair<double, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  r.latency[from] = 0;
  queue.emplace(0.0, from);
  while (!queue.empty()) {
    const std::size_t u = queue.top().second;
    queue.pop();
    if (settled[u]) continue;
    settled[u] = 1;
    if (options.stop_at && u == *options.stop_at) break;
    const double d = r.latency[u];
    for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
      const std::size_t li = g[*e].link, v = boost::target(*e, g);
      if (!allowed[li]) continue;
      if (!state.link_up[li]) {
        link_met[li] = 1;
        continue;
      }
      if (!state.node_up[v]) {
        node_met[v] = 1;
        continue;
      }
      if (settled[v]) continue;
      const double nd = d + g[*e].latency;
      if (nd < r.latency[v]) {
        r.latency[v] = nd;
        r.via_node[v] = u;
        r.via_link[v] = li;
        queue.emplace(nd, v);
      }
    }
  }
  for (std::size_t l = 0; l < link_met.size(); ++l)
    if (link_met[l]) r.down_links.push_back(l);
  for (std::size_t v = 0; v < n; ++v)
    if (node_met[v]) r.down_nodes.push_back(v);
  return r;
}

} // namespace outagesim::sim
