#include <catch2/catch.hpp>

#include <algorithm>

#include "CompanyNetwork.hpp"
#include "sim/world/World.hpp"

using namespace outagesim::sim;

// The world's one traversal (sim/world/Traversal.hpp, through World::reach), on plain state: no
// SimGrid platform.
namespace {

Scenario network() { return test::company_network(true); }

WorldState all_up(const World& w) {
  return {std::vector<char>(w.node_count(), 1), std::vector<char>(w.link_count(), 1)};
}

std::size_t node(const World& w, const char* path) {
  return *w.find_node(path);
}
std::size_t link(const World& w, const char* id) {
  return *w.find_link(id);
}

} // namespace

TEST_CASE("traversal: the shortest way from a region to its datacenters", "[world]") {
  const Scenario s = network();
  const World w(s);
  const Reach r = w.reach(all_up(w), node(w, "region:east"));
  CHECK(r.latency[node(w, "dc:a")] == Approx(0.0035)); // access, south route, dc link
  CHECK(r.latency[node(w, "dc:b")] == Approx(0.006));
  const NetPath p = r.path_to(node(w, "dc:a"));
  CHECK(p.nodes == std::vector<std::size_t>{0, 1, 3, 4, 5});
  CHECK(p.links == std::vector<std::size_t>{0, 3, 4, 5});
  CHECK(r.down_links.empty());
  CHECK(r.down_nodes.empty());
}

TEST_CASE("traversal: a cut backbone route moves traffic to the other one", "[world]") {
  const Scenario s = network();
  const World w(s);
  WorldState st = all_up(w);
  st.link_up[link(w, "backbone/south-core")] = 0;
  const Reach r = w.reach(st, node(w, "region:east"));
  CHECK(r.latency[node(w, "dc:a")] == Approx(0.0055)); // now over north
  CHECK(r.down_links == std::vector<std::size_t>{link(w, "backbone/south-core")});
  // Both ends are still reached: it cut nothing off.
  CHECK(w.boundary_paths(r) == std::vector<std::string>{"link:backbone/south-core"});
}

TEST_CASE("traversal: both backbone routes cut, the core is unreachable and the cut is named", "[world]") {
  const Scenario s = network();
  const World w(s);
  WorldState st = all_up(w);
  st.link_up[link(w, "backbone/north-core")] = 0;
  st.link_up[link(w, "backbone/edge-south")] = 0;
  const Reach r = w.reach(st, node(w, "region:east"));
  CHECK_FALSE(r.reached(node(w, "dc:a")));
  CHECK_FALSE(r.reached(node(w, "router:core")));
  CHECK(r.reached(node(w, "dc:b")));
  CHECK(w.boundary_paths(r) ==
        std::vector<std::string>{"link:backbone/edge-south", "link:backbone/north-core"});
}

TEST_CASE("traversal: a down node is met over an up link and stops the way", "[world]") {
  const Scenario s = network();
  const World w(s);
  WorldState st = all_up(w);
  st.node_up[node(w, "router:core")] = 0;
  const Reach r = w.reach(st, node(w, "region:east"));
  CHECK_FALSE(r.reached(node(w, "dc:a")));
  CHECK(r.down_nodes == std::vector<std::size_t>{node(w, "router:core")});
  CHECK(r.down_links.empty());
}

TEST_CASE("traversal: a down source reaches nothing", "[world]") {
  const Scenario s = network();
  const World w(s);
  WorldState st = all_up(w);
  st.node_up[node(w, "region:east")] = 0;
  const Reach r = w.reach(st, node(w, "region:east"));
  for (std::size_t v = 0; v < w.node_count(); ++v)
    CHECK_FALSE(r.reached(v));
  CHECK(r.down_nodes.empty());
}

TEST_CASE("traversal: link kinds restrict the way, and links of other kinds are not a cut", "[world]") {
  const Scenario s = network();
  const World w(s);
  WorldState st = all_up(w);
  st.link_up[link(w, "backbone/edge-north")] = 0;
  ReachOptions internet;
  internet.kinds = {LinkKind::Access, LinkKind::Transit};
  const Reach r = w.reach(st, node(w, "region:east"), internet);
  CHECK(r.reached(node(w, "dc:b")));
  CHECK_FALSE(r.reached(node(w, "dc:a"))); // only over the backbone
  CHECK(r.down_links.empty());             // the down backbone link is not part of this view
}

TEST_CASE("traversal: equal-latency paths resolve to the predecessor settled first, and stop_at agrees",
          "[world]") {
  Scenario s = network();
  // Both backbone routes 1/256 s long, in exact binary fractions: north (node 2, 1/512 s from the
  // edge) and south (node 3, 1/1024 s) tie into the core; south is settled first and wins.
  s.links[0].latency = 0;
  s.links[1].latency = s.links[2].latency = 1.0 / 512;
  s.links[3].latency = 1.0 / 1024;
  s.links[4].latency = 3.0 / 1024;
  const World w(s);
  const Reach r = w.reach(all_up(w), node(w, "region:east"));
  CHECK(r.via_node[node(w, "router:core")] == node(w, "router:south"));
  ReachOptions stop;
  stop.stop_at = node(w, "dc:a");
  const Reach early = w.reach(all_up(w), node(w, "region:east"), stop);
  CHECK(early.path_to(node(w, "dc:a")).nodes == r.path_to(node(w, "dc:a")).nodes);
}

TEST_CASE("traversal: zero-latency links never make a path loop", "[world]") {
  // src -1ms- x -0- v -0- u -1ms- w: World::shortest_path's old tie rule (lower index wins, even for
  // a node already settled) let u and v point at each other, and the path to w never ended.
  Scenario s;
  for (const char* id : {"src", "u", "v", "x", "w"}) {
    NodeSpec n;
    n.kind = EntityKind::Router;
    n.id = id;
    s.nodes.push_back(n);
  }
  auto link = [&](const char* id, const char* a, const char* b, double latency) {
    LinkSpec l;
    l.id = id;
    l.a = a;
    l.b = b;
    l.latency = latency;
    s.links.push_back(l);
  };
  link("src-x", "router:src", "router:x", 0.001);
  link("x-v", "router:x", "router:v", 0);
  link("v-u", "router:v", "router:u", 0);
  link("u-w", "router:u", "router:w", 0.001);
  const World w(s);
  auto p = w.shortest_path(0, node(w, "router:w"));
  REQUIRE(p);
  CHECK(p->nodes.size() == 5);
  CHECK(p->latency == Approx(0.002));
}

TEST_CASE("traversal: latest changes along a path and at the boundary", "[world]") {
  const Scenario s = network();
  World w(s);
  w.set_last_change("link:backbone/south-core", 7); // came back up at event 7
  w.set_last_change("link:backbone/edge-north", 9); // went down at event 9
  WorldState st = all_up(w);
  st.link_up[link(w, "backbone/edge-north")] = 0;
  const Reach r = w.reach(st, node(w, "region:east"));
  CHECK(w.latest_change_along(r, node(w, "dc:a")) == 7);
  CHECK(w.latest_change_along(r, node(w, "dc:b")) == 0);
  CHECK(w.latest_boundary_change(r) == 9);
}

TEST_CASE("world: cut_from names what cut a place off, not a down link inside what it reaches", "[world]") {
  const Scenario s = network();
  const World w(s); // no platform: everything is up
  CHECK(w.cut_from(node(w, "region:east"), node(w, "dc:a")).empty());
  auto p = w.shortest_path(node(w, "region:east"), node(w, "dc:a"));
  REQUIRE(p);
  CHECK(p->latency == Approx(0.0035));
}
