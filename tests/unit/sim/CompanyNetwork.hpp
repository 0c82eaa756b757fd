#pragma once
// A small company network for the world's tests (traversal, memo): users of region east come in over
// an access link to the edge router, two backbone routes (north 2+2 ms, south 1+1 ms) lead to the core
// router and datacenter a; with `with_transit`, datacenter b hangs off the edge router over the
// Internet (transit 5 ms), as node 6 and link 6 (the other indices are the same either way).
//
//   region:east --access 1ms-- router:edge --backbone 2ms-- router:north --backbone 2ms-- router:core -- dc:a
//                                  |  \--backbone 1ms-- router:south --backbone 1ms--/     (internal 0.5ms)
//                                  \--transit 5ms-- dc:b
#include "sim/scenario/Scenario.hpp"

namespace outagesim::sim::test {

inline Scenario company_network(bool with_transit) {
  Scenario s;
  auto node = [&](EntityKind k, const char* id) {
    NodeSpec n;
    n.kind = k;
    n.id = id;
    s.nodes.push_back(n);
  };
  node(EntityKind::Region, "east");  // 0
  node(EntityKind::Router, "edge");  // 1
  node(EntityKind::Router, "north"); // 2
  node(EntityKind::Router, "south"); // 3
  node(EntityKind::Router, "core");  // 4
  node(EntityKind::Datacenter, "a"); // 5
  if (with_transit) node(EntityKind::Datacenter, "b"); // 6
  auto link = [&](const char* id, const char* a, const char* b, double latency, LinkKind kind) {
    LinkSpec l;
    l.id = id;
    l.a = a;
    l.b = b;
    l.latency = latency;
    l.kind = kind;
    s.links.push_back(l);
  };
  link("access/east", "region:east", "router:edge", 0.001, LinkKind::Access);            // 0
  link("backbone/edge-north", "router:edge", "router:north", 0.002, LinkKind::Backbone); // 1
  link("backbone/north-core", "router:north", "router:core", 0.002, LinkKind::Backbone); // 2
  link("backbone/edge-south", "router:edge", "router:south", 0.001, LinkKind::Backbone); // 3
  link("backbone/south-core", "router:south", "router:core", 0.001, LinkKind::Backbone); // 4
  link("dc/a", "router:core", "dc:a", 0.0005, LinkKind::Internal);                       // 5
  if (with_transit) link("transit/b", "router:edge", "dc:b", 0.005, LinkKind::Transit);  // 6
  return s;
}

} // namespace outagesim::sim::test
