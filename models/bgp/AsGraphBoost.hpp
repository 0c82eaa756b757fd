#pragma once
// A Boost.Graph view of an AsGraph, for algorithms the BGP engine does not need on its hot path
// (components, shortest paths, the world builder). The view is a copy in Boost's own CSR type, with
// the same vertex numbering (AsIndex) and one directed edge per slot.
#include "models/bgp/AsGraph.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>

namespace outagesim::bgp {

/// Vertex bundle of the Boost view.
struct BoostAsVertex {
  Asn asn = 0;
};

/// Edge bundle of the Boost view: one directed edge per slot (owner -> neighbour).
struct BoostAsEdge {
  Relationship rel = Relationship::Peer; ///< what the target is to the source
  double delay_s = kDefaultLinkDelay;
};

/// Boost.Graph CSR with bundled properties; vertex i is AsIndex i.
using BoostAsGraph = boost::compressed_sparse_row_graph<boost::directedS, BoostAsVertex, BoostAsEdge>;

/// Copies `graph` into a Boost.Graph CSR (edges in slot order).
BoostAsGraph to_boost_graph(const AsGraph& graph);

} // namespace outagesim::bgp
