// World::reach_now memoises what a node reaches until a node or link switches; the state it reads is
// kept by SimGrid's state-change signals, not polled. A stale answer would be a silent wrong answer:
// these tests switch links and nodes every way a run does (turned off, turned back on, a host
// stopped and restarted, two switches within one instant, a switch from another actor) and check
// the memo answers for the new state each time.
#include <catch2/catch.hpp>

#include <simgrid/s4u.hpp>

#include <sstream>

#include "ChildRun.hpp"
#include "CompanyNetwork.hpp"
#include "sim/world/World.hpp"

using namespace outagesim::sim;
namespace sg4 = simgrid::s4u;

namespace {

// The company network (CompanyNetwork.hpp) without datacenter b: region:east to dc:a, north or south.
Scenario network() { return test::company_network(false); }

// One line per look: the latency from region:east to dc:a in µs (-1: unreached), the down links
// and nodes met, the state version, and whether the answer came from the memo.
struct Looker {
  const World& w;
  std::ostringstream out;
  std::uint64_t hits = 0;
  void look(const char* label, const ReachOptions& o = {}) {
    const auto before = w.reach_memo_stats().hits;
    const auto r = w.reach_now(0, o);
    const bool hit = w.reach_memo_stats().hits > before;
    // The memo's answer must be the traversal of the state now, whatever it remembered.
    const Reach fresh = w.reach(w.state(), 0, o);
    const bool same = fresh.latency == r->latency && fresh.via_node == r->via_node &&
                      fresh.down_links == r->down_links && fresh.down_nodes == r->down_nodes;
    out << label << " " << (r->reached(5) ? long(r->latency[5] * 1e6 + 0.5) : -1L) << " links";
    for (auto l : r->down_links)
      out << "," << l;
    out << " nodes";
    for (auto v : r->down_nodes)
      out << "," << v;
    out << " v" << w.state_version() << (hit ? " hit" : " miss") << (same ? "" : " STALE") << "\n";
  }
};

std::string run_in_engine(const std::function<void(World&, Looker&)>& body) {
  return outagesim::test::in_child([&]() -> std::optional<std::string> {
    int argc = 1;
    char arg0[] = "test";
    char* argv[] = {arg0, nullptr};
    sg4::Engine engine(&argc, argv);
    const Scenario s = network();
    World w(s);
    w.build_platform();
    Looker look{w, {}};
    sg4::Actor::create("test", w.control_host(), [&] { body(w, look); });
    engine.run();
    return look.out.str();
  });
}

} // namespace

TEST_CASE("world memo: a link turned off and on again is seen at once", "[world][memo]") {
  const std::string out = run_in_engine([](World& w, Looker& look) {
    look.look("start");
    look.look("again");
    w.sg_link(4)->turn_off(); // south-core: traffic takes the north route
    look.look("south-off");
    look.look("south-off-again");
    w.sg_link(2)->turn_off(); // and north-core: dc:a is cut off
    look.look("both-off");
    w.sg_link(4)->turn_on();
    look.look("south-on");
    w.sg_link(2)->turn_on();
    look.look("all-on");
  });
  CHECK(out == "start 3500 links nodes v0 miss\n"
               "again 3500 links nodes v0 hit\n"
               "south-off 5500 links,4 nodes v1 miss\n"
               "south-off-again 5500 links,4 nodes v1 hit\n"
               "both-off -1 links,2,4 nodes v2 miss\n"
               "south-on 3500 links,2 nodes v3 miss\n"
               "all-on 3500 links nodes v4 miss\n");
}

TEST_CASE("world memo: a node stopped and started again is seen at once", "[world][memo]") {
  const std::string out = run_in_engine([](World& w, Looker& look) {
    look.look("start");
    w.host(4)->turn_off(); // router:core
    look.out << "core up " << w.node_up(4) << "\n";
    look.look("core-off");
    w.host(4)->turn_on();
    look.look("core-on");
    w.host(3)->turn_off(); // router:south: the north route
    look.look("south-off");
  });
  CHECK(out == "start 3500 links nodes v0 miss\n"
               "core up 0\n"
               "core-off -1 links nodes,4 v1 miss\n"
               "core-on 3500 links nodes v2 miss\n"
               "south-off 5500 links nodes,3 v3 miss\n");
}

TEST_CASE("world memo: two switches within one instant, and a switch by another actor", "[world][memo]") {
  const std::string out = run_in_engine([](World& w, Looker& look) {
    look.look("start");
    // Down and up again before anyone looks: the state is as it was, the version moved (twice).
    w.sg_link(3)->turn_off();
    w.sg_link(3)->turn_on();
    look.look("flap");
    // Switching what is already so changes nothing.
    w.sg_link(3)->turn_on();
    look.look("noop");
    // Another actor (as a model or the fault player would) cuts the access link later.
    sg4::Actor::create("other", w.control_host(), [&w] {
      sg4::this_actor::sleep_for(5);
      w.sg_link(0)->turn_off();
    });
    sg4::this_actor::sleep_for(10);
    look.look("access-off");
  });
  CHECK(out == "start 3500 links nodes v0 miss\n"
               "flap 3500 links nodes v2 miss\n"
               "noop 3500 links nodes v2 hit\n"
               "access-off -1 links,0 nodes v3 miss\n");
}

TEST_CASE("world memo: options are part of the key", "[world][memo]") {
  const std::string out = run_in_engine([](World& w, Looker& look) {
    ReachOptions access_only;
    access_only.kinds = {LinkKind::Access};
    ReachOptions all_kinds;
    all_kinds.kinds = {LinkKind::Internal, LinkKind::Access, LinkKind::Backbone, LinkKind::Peering,
                       LinkKind::Transit};
    look.look("all");
    look.look("access", access_only);
    look.look("all-listed", all_kinds); // every kind listed is the same question as none listed
    look.look("access-again", access_only);
    w.sg_link(0)->turn_off();
    look.look("access-off", access_only);
  });
  CHECK(out == "all 3500 links nodes v0 miss\n"
               "access -1 links nodes v0 miss\n"
               "all-listed 3500 links nodes v0 hit\n"
               "access-again -1 links nodes v0 hit\n"
               "access-off -1 links,0 nodes v1 miss\n");
}

TEST_CASE("world memo: memory is bounded, and an answer held stays valid", "[world][memo]") {
  const Scenario s = network();
  World w(s); // no platform: the state is all up, version 0
  std::shared_ptr<const Reach> held = w.reach_now(0);
  const std::size_t one = w.reach_memo_stats().bytes;
  REQUIRE(one > 0);
  w.set_reach_memo_limit(3 * one);
  for (std::size_t from = 1; from < w.node_count(); ++from)
    w.reach_now(from);
  const auto st = w.reach_memo_stats();
  CHECK(st.entries == 3);
  CHECK(st.bytes <= 3 * one);
  CHECK(st.dropped == 3); // 6 answers asked, 3 kept
  CHECK(held->latency[5] == Approx(0.0035)); // evicted from the memo, still whole for its holder
  // The most recently used stay: node 5's answer is a hit, node 0's is asked again.
  w.reach_now(5);
  CHECK(w.reach_memo_stats().hits == 1);
  w.reach_now(0);
  CHECK(w.reach_memo_stats().misses == 7);
}

TEST_CASE("world memo: shortest paths and cuts answer from the memo as before", "[world][memo]") {
  const std::string out = run_in_engine([](World& w, Looker& look) {
    auto p = w.shortest_path(0, 5);
    look.out << "path";
    for (auto v : p->nodes)
      look.out << " " << v;
    look.out << "\n";
    w.sg_link(4)->turn_off();
    p = w.shortest_path(0, 5);
    look.out << "path";
    for (auto v : p->nodes)
      look.out << " " << v;
    look.out << "\n";
    w.sg_link(2)->turn_off();
    look.out << "path " << (w.shortest_path(0, 5) ? "some" : "none") << "\ncut";
    for (const auto& c : w.cut_from(0, 5))
      look.out << " " << c;
    look.out << "\n";
  });
  CHECK(out == "path 0 1 3 4 5\n"
               "path 0 1 2 4 5\n"
               "path none\n"
               "cut link:backbone/north-core link:backbone/south-core\n");
}
