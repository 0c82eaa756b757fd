// Path exploration and MRAI, as relations the literature states (Labovitz et al. 2000, "Delayed
// Internet routing convergence"; Griffin and Premore 2001, "An experimental analysis of BGP
// convergence time"), never exact numbers:
//  - after a withdrawal (Tdown) routers explore stale alternate paths: convergence takes much
//    longer than after an announcement (Tup) and sends more updates;
//  - without MRAI that exploration floods many more updates; MRAI trades updates for time.
// Fixed seeds throughout.
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/Generator.hpp"

#include <catch2/catch.hpp>

using namespace outagesim::bgp;

namespace {

const Prefix kP = *Prefix::parse("10.0.0.0/16");

struct Phases {
  double t_up = 0, t_down = 0;
  std::uint64_t updates_up = 0, updates_down = 0;
};

Phases announce_then_withdraw(const AsGraph& g, Asn origin, BgpParams params) {
  BgpEngine e(g, params);
  Phases r;
  e.announce(origin, kP, 0);
  REQUIRE(e.run_to_convergence());
  r.t_up = e.last_change_time();
  r.updates_up = e.messages_delivered();
  const double at = e.now() + 1;
  e.withdraw(origin, kP, at);
  REQUIRE(e.run_to_convergence());
  r.t_down = e.last_change_time() - at;
  r.updates_down = e.messages_delivered() - r.updates_up;
  for (Asn a : g.asns())
    REQUIRE_FALSE(e.best_path(a, kP));
  return r;
}

// Labovitz's clique: n ASes all connected, shortest-path routing (siblings: everything is exported,
// every route equally preferred).
AsGraph clique(int n) {
  AsGraphBuilder b;
  for (int i = 1; i <= n; ++i)
    for (int j = i + 1; j <= n; ++j)
      b.add_link(i, j, Relationship::Sibling, 0.002 + 0.001 * ((i * j) % 7));
  return b.build();
}

} // namespace

TEST_CASE("Clique: Tdown explores paths, is much slower than Tup and costs more updates", "[bgp]") {
  AsGraph g = clique(10);
  BgpParams with_mrai;
  with_mrai.seed = 11;
  BgpParams no_mrai = with_mrai;
  no_mrai.mrai_s = 0;
  Phases m30 = announce_then_withdraw(g, 1, with_mrai);
  Phases m0 = announce_then_withdraw(g, 1, no_mrai);
  INFO("MRAI 30: Tup " << m30.t_up << " s, " << m30.updates_up << " updates; Tdown " << m30.t_down << " s, "
                       << m30.updates_down << " updates");
  INFO("MRAI 0 : Tup " << m0.t_up << " s, " << m0.updates_up << " updates; Tdown " << m0.t_down << " s, "
                       << m0.updates_down << " updates");
  CHECK(m30.t_down > 10 * m30.t_up);        // exploration paced by MRAI rounds
  CHECK(m30.t_down > 2 * with_mrai.mrai_s); // several rounds, not one
  CHECK(m30.updates_down > m30.updates_up);
  CHECK(m0.updates_down > 2 * m30.updates_down); // no MRAI: many more updates...
  CHECK(m0.t_down < m30.t_down);                 // ...but sooner, with fast links and routers
  CHECK(m0.updates_down > m0.updates_up);
}

TEST_CASE("Internet-like graph: withdrawal costs more updates; MRAI 0 floods; WRATE slows Tdown", "[bgp]") {
  for (std::uint64_t seed : {1, 2, 3}) {
    GeneratorParams gp;
    gp.as_count = 400;
    gp.seed = seed;
    AsGraph g = generate_internet(gp);
    const Asn origin = g.asn(static_cast<AsIndex>(g.as_count() - 1)); // some stub
    BgpParams wrate; // the default: MRAI 30 s on withdrawals too
    wrate.seed = seed;
    REQUIRE(wrate.mrai_on_withdrawals);
    BgpParams p30 = wrate; // withdrawals bypass MRAI (RFC 4271 text)
    p30.mrai_on_withdrawals = false;
    BgpParams p0 = p30;
    p0.mrai_s = 0;
    Phases m30 = announce_then_withdraw(g, origin, p30);
    Phases m0 = announce_then_withdraw(g, origin, p0);
    Phases w = announce_then_withdraw(g, origin, wrate);
    INFO("seed " << seed << " MRAI 30: up " << m30.t_up << " s / " << m30.updates_up << ", down "
                 << m30.t_down << " s / " << m30.updates_down << "; MRAI 0: up " << m0.t_up << " / "
                 << m0.updates_up << ", down " << m0.t_down << " / " << m0.updates_down << "; WRATE: up "
                 << w.t_up << " / " << w.updates_up << ", down " << w.t_down << " / " << w.updates_down);
    CHECK(m30.updates_down > m30.updates_up);
    CHECK(m0.updates_down > m30.updates_down);
    CHECK(m0.updates_down > m0.updates_up);
    CHECK(w.t_down > 1.5 * w.t_up); // with WRATE, exploration is paced by MRAI rounds
    CHECK(w.t_down > m30.t_down);
  }
}
