#include "sim/world/World.hpp"

#include <algorithm>
#include <set>

#include <simgrid/s4u.hpp>

namespace outagesim::sim {

namespace sg4 = simgrid::s4u;

World::World(const Scenario& s) : scenario_(s), graph_(s.nodes.size()) {
  state_.node_up.assign(s.nodes.size(), 1);
  state_.link_up.assign(s.links.size(), 1);
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    node_index_[s.nodes[i].path()] = i;
    graph_[i].node = i;
  }
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    const auto& l = s.links[i];
    link_index_[l.id] = i;
    boost::add_edge(node_index_.at(l.a), node_index_.at(l.b), EdgeProps{i, l.latency}, graph_);
  }
}

std::optional<std::size_t> World::find_node(const std::string& path) const {
  auto it = node_index_.find(path);
  if (it == node_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> World::find_link(const std::string& id) const {
  auto it = link_index_.find(id);
  if (it == link_index_.end()) return std::nullopt;
  return it->second;
}

void World::build_platform() {
  // A full zone with routes only between neighbours: a node talks to the next hop over exactly the
  // scenario's link, so link latency and capacity are what transfers see (CM02 network model).
  // Routes across several hops are not SimGrid's business: models walk NetPaths hop by hop, which
  // lets routing follow link failures (SimGrid routes are fixed once the platform is sealed).
  auto* zone = sg4::create_full_zone("world");
  hosts_.reserve(node_count());
  for (std::size_t i = 0; i < node_count(); ++i)
    hosts_.push_back(zone->create_host(node(i).path(), 1e9));
  links_.reserve(link_count());
  for (std::size_t i = 0; i < link_count(); ++i) {
    const auto& l = link(i);
    auto* sl = zone->create_link(l.path(), l.capacity_bps / 8.0); // SimGrid bandwidths are bytes/s
    sl->set_latency(l.latency);
    links_.push_back(sl);
  }
  std::set<std::pair<std::size_t, std::size_t>> routed;
  midpoints_.assign(link_count(), nullptr);
  for (std::size_t i = 0; i < link_count(); ++i) {
    std::size_t a = *find_node(link(i).a), b = *find_node(link(i).b);
    if (routed.emplace(std::min(a, b), std::max(a, b)).second) {
      zone->add_route(hosts_[a]->get_netpoint(), hosts_[b]->get_netpoint(), nullptr, nullptr,
                      {sg4::LinkInRoute(links_[i])}, true);
      continue;
    }
    sg4::Host* mid = zone->create_host(link(i).path() + "/mid", 1e9);
    sg4::Link* splice = zone->create_link(link(i).path() + "/splice", 1e15);
    splice->set_latency(0);
    zone->add_route(hosts_[a]->get_netpoint(), mid->get_netpoint(), nullptr, nullptr,
                    {sg4::LinkInRoute(links_[i])}, true);
    zone->add_route(mid->get_netpoint(), hosts_[b]->get_netpoint(), nullptr, nullptr,
                    {sg4::LinkInRoute(splice)}, true);
    midpoints_[i] = mid;
  }
  control_ = zone->create_host("outagesim-control", 1e9);
  zone->seal();
  // Whoever switches a node or link (the engine's handlers, a model, a state profile), SimGrid says
  // so after the switch: the state here follows, and its version moves.
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    node_of_host_[hosts_[i]] = i;
    state_.node_up[i] = hosts_[i]->is_on();
  }
  for (std::size_t i = 0; i < links_.size(); ++i) {
    link_of_sg_[links_[i]] = i;
    state_.link_up[i] = links_[i]->is_on();
  }
  // SimGrid's signals outlive the world (they are static and a link's cannot be disconnected): the
  // callbacks hold a weak reference and do nothing once the world is gone.
  listener_ = std::make_shared<World*>(this);
  std::weak_ptr<World*> weak = listener_;
  sg4::Host::on_state_change_cb([weak](const sg4::Host& h) {
    if (auto w = weak.lock()) (*w)->host_switched(h);
  });
  sg4::Link::on_state_change_cb([weak](const sg4::Link& l) {
    if (auto w = weak.lock()) (*w)->link_switched(l);
  });
}

World::~World() = default;

void World::host_switched(const sg4::Host& h) {
  auto it = node_of_host_.find(&h);
  if (it == node_of_host_.end()) return; // a midpoint, the control host
  const char up = h.is_on() ? 1 : 0;
  if (state_.node_up[it->second] == up) return;
  state_.node_up[it->second] = up;
  switched();
}

void World::link_switched(const sg4::Link& l) {
  auto it = link_of_sg_.find(&l);
  if (it == link_of_sg_.end()) return; // a splice
  const char up = l.is_on() ? 1 : 0;
  if (state_.link_up[it->second] == up) return;
  state_.link_up[it->second] = up;
  switched();
}

void World::switched() {
  ++version_;
}

void World::send_over(std::size_t li, std::size_t from, std::uint64_t bytes) const {
  std::size_t a = *find_node(link(li).a), b = *find_node(link(li).b);
  std::size_t to = from == a ? b : a;
  sg4::Host* mid = midpoints_.empty() ? nullptr : midpoints_[li];
  if (!mid) {
    sg4::Comm::sendto(hosts_[from], hosts_[to], bytes);
    return;
  }
  // The midpoint hangs between the link (on a's side) and a lossless splice (on b's side); both hops
  // are symmetric routes, so the same two transfers work in either direction.
  sg4::Comm::sendto(hosts_[from], mid, bytes);
  sg4::Comm::sendto(mid, hosts_[to], bytes);
}

std::optional<NetPath> World::shortest_path(std::size_t from, std::size_t to) const {
  if (!node_up(from) || !node_up(to)) return std::nullopt;
  // The whole traversal from `from` (memoised, shared with cut_from and other targets): the path to
  // `to` is the one a traversal stopped at `to` finds, since a settled node's path never changes.
  const auto r = reach_now(from);
  if (!r->reached(to)) return std::nullopt;
  return r->path_to(to);
}

std::vector<std::string> World::cut_from(std::size_t from, std::size_t to) const {
  std::set<std::string> cut;
  if (!node_up(to)) cut.insert(node(to).path());
  if (!node_up(from)) {
    cut.insert(node(from).path());
    return {cut.begin(), cut.end()};
  }
  // The down elements on the boundary of what `from` reaches; a down link between two reached nodes
  // did not cut anything.
  const Reach& r = *reach_now(from);
  for (std::size_t l : r.down_links)
    if (!r.reached(*find_node(link(l).a)) || !r.reached(*find_node(link(l).b))) cut.insert(link(l).path());
  for (std::size_t v : r.down_nodes)
    cut.insert(node(v).path());
  return {cut.begin(), cut.end()};
}

Reach World::reach(const WorldState& state, std::size_t from, const ReachOptions& options) const {
  return sim::reach(graph_, scenario_.links, state, from, options);
}

std::shared_ptr<const Reach> World::reach_now(std::size_t from, const ReachOptions& options) const {
  if (memo_version_ != version_) { // something switched: every answer may be wrong now
    memo_.clear();
    memo_index_.clear();
    memo_bytes_ = 0;
    memo_version_ = version_;
  }
  unsigned kinds = 0;
  for (LinkKind k : options.kinds)
    kinds |= 1u << static_cast<unsigned>(k);
  if (options.kinds.empty()) kinds = (1u << link_kind_names().size()) - 1; // every kind
  const ReachKey key{from, options.stop_at.value_or(Reach::npos), kinds};
  if (auto it = memo_index_.find(key); it != memo_index_.end()) {
    ++memo_stats_.hits;
    memo_.splice(memo_.begin(), memo_, it->second);
    return it->second->reach;
  }
  ++memo_stats_.misses;
  auto r = std::make_shared<const Reach>(reach(state_, from, options));
  const std::size_t bytes = sizeof(Reach) + 128 + // the entry, its index and the shared block
                            sizeof(double) * r->latency.capacity() +
                            sizeof(std::size_t) * (r->via_node.capacity() + r->via_link.capacity() +
                                                   r->down_links.capacity() + r->down_nodes.capacity());
  while (!memo_.empty() && memo_bytes_ + bytes > memo_limit_) {
    memo_bytes_ -= memo_.back().bytes;
    memo_index_.erase(memo_.back().key);
    memo_.pop_back();
    ++memo_stats_.dropped;
  }
  memo_.push_front({key, r, bytes});
  memo_index_[key] = memo_.begin();
  memo_bytes_ += bytes;
  return r;
}

World::ReachMemoStats World::reach_memo_stats() const {
  ReachMemoStats s = memo_stats_;
  s.entries = memo_version_ == version_ ? memo_.size() : 0;
  s.bytes = memo_version_ == version_ ? memo_bytes_ : 0;
  return s;
}

std::vector<std::string> World::boundary_paths(const Reach& r) const {
  std::vector<std::string> out;
  for (std::size_t l : r.down_links)
    out.push_back(link(l).path());
  for (std::size_t v : r.down_nodes)
    out.push_back(node(v).path());
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t World::latest_change_along(const Reach& r, std::size_t to) const {
  std::uint64_t latest = 0;
  for (std::size_t v = to; v != r.from; v = r.via_node[v])
    latest = std::max({latest, last_change(link(r.via_link[v]).path()), last_change(node(v).path())});
  return latest;
}

std::uint64_t World::latest_boundary_change(const Reach& r) const {
  std::uint64_t latest = 0;
  for (std::size_t l : r.down_links)
    latest = std::max(latest, last_change(link(l).path()));
  for (std::size_t v : r.down_nodes)
    latest = std::max(latest, last_change(node(v).path()));
  return latest;
}

std::vector<std::string> World::entity_paths() const {
  std::vector<std::string> out;
  for (const auto& n : scenario_.nodes)
    out.push_back(n.path());
  for (const auto& l : scenario_.links)
    out.push_back(l.path());
  for (const auto& s : scenario_.services)
    out.push_back("service:" + s.id);
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t World::last_change(const std::string& path) const {
  auto it = last_change_.find(path);
  return it == last_change_.end() ? 0 : it->second;
}

} // namespace outagesim::sim
