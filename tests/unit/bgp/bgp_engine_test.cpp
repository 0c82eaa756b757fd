// BgpEngine on hand-checked textbook topologies: decision (customer > peer > provider, length,
// lowest neighbour ASN), valley-free export, policies, sessions, leaks, observers, data plane,
// the routes printout and determinism.
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/Generator.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

using namespace outagesim::bgp;

namespace {

using Path = std::vector<Asn>;
const Prefix kP = *Prefix::parse("10.0.0.0/16");

// Textbook graph T (providers above their customers, '=' is peering):
//
//          1 ========= 2 ===== 14      1 provides 3, 4 and 10; 2 provides 5
//        / | |          |
//       3  4 10 == 11   5              11 provides 12, 12 provides 13
//        | |       |
//          6 ----- 12 -- 13            6 is the origin; its providers are 3, 4 and 13
AsGraph textbook() {
  AsGraphBuilder b;
  auto pc = [&](Asn p, Asn c) { b.add_link(p, c, Relationship::Customer); };
  pc(1, 3);
  pc(1, 4);
  pc(1, 10);
  pc(3, 6);
  pc(4, 6);
  pc(2, 5);
  pc(13, 6);
  pc(12, 13);
  pc(11, 12);
  b.add_link(1, 2, Relationship::Peer);
  b.add_link(2, 14, Relationship::Peer);
  b.add_link(10, 11, Relationship::Peer);
  return b.build();
}

struct Recorder : BgpObserver {
  std::vector<BestPathChange> changes;
  std::vector<UpdateReceived> updates;
  void on_best_path_change(const BestPathChange& c) override { changes.push_back(c); }
  void on_update_received(const UpdateReceived& u) override { updates.push_back(u); }
};

std::optional<Path> bp(const BgpEngine& e, Asn a, const Prefix& p = kP) {
  return e.best_path(a, p);
}

} // namespace

TEST_CASE("Textbook: customer > peer > provider, then length, then lowest neighbour ASN", "[bgp]") {
  AsGraph g = textbook();
  for (double mrai : {0.0, 30.0}) {
    BgpParams params;
    params.mrai_s = mrai;
    BgpEngine e(g, params);
    e.announce(6, kP, 0);
    REQUIRE(e.run_to_convergence());
    CHECK(bp(e, 6) == Path{6});
    CHECK(bp(e, 3) == Path{6});
    CHECK(bp(e, 1) == Path{3, 6}); // tie 3 vs 4 broken by the lower ASN
    CHECK(e.explain(1, kP).reason == SelectionReason::NeighborAsn);
    CHECK(bp(e, 2) == Path{1, 3, 6});        // peer route
    CHECK(bp(e, 5) == Path{2, 1, 3, 6});     // provider route
    CHECK(bp(e, 10) == Path{11, 12, 13, 6}); // peer route beats a shorter provider route
    CHECK(e.explain(10, kP).reason == SelectionReason::LocalPref);
    CHECK(*e.explain(10, kP).runner_up == 1);
    CHECK(bp(e, 11) == Path{12, 13, 6});
    CHECK_FALSE(bp(e, 14)); // peer routes are not exported to peers
    CHECK(e.explain(14, kP).reason == SelectionReason::NoRoute);
    CHECK(e.explain(6, kP).reason == SelectionReason::Local);
    CHECK(e.explain(12, kP).reason == SelectionReason::OnlyRoute);
  }
}

TEST_CASE("The routes printout: sorted by ASN, neighbour first, origin prints itself, '-' for none",
          "[bgp]") {
  AsGraph g = textbook();
  BgpEngine e(g);
  e.announce(6, kP, 0);
  e.run_to_convergence();
  std::ostringstream out;
  write_routes(out, e, kP);
  CHECK(out.str() == "1\t3 6\n2\t1 3 6\n3\t6\n4\t6\n5\t2 1 3 6\n6\t6\n10\t11 12 13 6\n11\t12 13 6\n"
                     "12\t13 6\n13\t6\n14\t-\n");
}

TEST_CASE("Data plane follows best routes hop by hop", "[bgp]") {
  AsGraph g = textbook();
  BgpEngine e(g);
  e.announce(6, kP, 0);
  e.run_to_convergence();
  auto r = e.route_lookup(5, *parse_ipv4("10.0.1.1"));
  CHECK(r.status == LookupStatus::Delivered);
  CHECK(r.path == Path{5, 2, 1, 3, 6});
  CHECK(e.route_lookup(14, *parse_ipv4("10.0.1.1")).status == LookupStatus::NoRoute);
  CHECK(e.route_lookup(5, *parse_ipv4("10.1.0.1")).status == LookupStatus::NoRoute);
  CHECK(e.route_lookup(6, *parse_ipv4("10.0.0.1")).path == Path{6});
}

TEST_CASE("Policies: prepend, export filter, local-pref override", "[bgp]") {
  AsGraph g = textbook();
  BgpEngine e(g);
  e.announce(6, kP, 0);
  e.run_to_convergence();
  e.set_prepend(6, 3, 2, e.now());
  e.run_to_convergence();
  CHECK(bp(e, 3) == Path{6, 6, 6});
  CHECK(bp(e, 1) == Path{4, 6});
  e.set_prepend(6, 3, 0, e.now());
  e.set_export(6, 4, false, e.now());
  e.run_to_convergence();
  CHECK(bp(e, 1) == Path{3, 6});
  CHECK(bp(e, 4) == Path{1, 3, 6});
  Recorder rec;
  e.set_observer(&rec);
  e.set_local_pref(10, 1, 400, e.now());
  e.run_to_convergence();
  CHECK(bp(e, 10) == Path{1, 3, 6});
  REQUIRE_FALSE(rec.changes.empty());
  CHECK(rec.changes.front().asn == 10);
  CHECK(rec.changes.front().cause == ChangeCause::PolicyChange);
}

TEST_CASE("Session down/up reroutes and restores, with reasons", "[bgp]") {
  AsGraph g = textbook();
  BgpEngine e(g);
  e.announce(6, kP, 0);
  e.run_to_convergence();
  Recorder rec;
  e.set_observer(&rec);
  e.session_down(3, 6, e.now());
  e.run_to_convergence();
  CHECK(bp(e, 1) == Path{4, 6});
  CHECK(bp(e, 3) == Path{1, 4, 6});
  bool saw_session_down = false;
  for (const auto& c : rec.changes)
    if (c.asn == 3 && c.cause == ChangeCause::SessionDown && c.from == 6) saw_session_down = true;
  CHECK(saw_session_down);
  e.session_up(3, 6, e.now() + 5);
  e.run_to_convergence();
  CHECK(bp(e, 3) == Path{6});
  CHECK(bp(e, 1) == Path{3, 6});
  CHECK_THROWS_AS(e.session_down(3, 5, e.now()), std::invalid_argument);
  CHECK_THROWS_AS(e.announce(99, kP, e.now()), std::invalid_argument);
  CHECK_THROWS_AS(e.announce(6, kP, e.now() - 1), std::invalid_argument);
}

TEST_CASE("Withdrawal: every AS loses the route; observers see causes and vantage updates", "[bgp]") {
  AsGraph g = textbook();
  BgpEngine e(g);
  Recorder rec;
  e.set_observer(&rec);
  e.watch(5);
  e.announce(6, kP, 0);
  e.run_to_convergence();
  CHECK(e.announcements_received(5) >= 1);
  e.withdraw(6, kP, e.now());
  e.run_to_convergence();
  for (Asn a : g.asns())
    CHECK_FALSE(bp(e, a));
  CHECK(e.withdrawals_received(5) >= 1);
  bool origin_withdrawn = false, withdrawal_from = false;
  for (const auto& c : rec.changes) {
    origin_withdrawn |= c.asn == 6 && c.cause == ChangeCause::OriginWithdrawn;
    withdrawal_from |= c.cause == ChangeCause::WithdrawalFrom && c.new_path == kNoPath;
  }
  CHECK(origin_withdrawn);
  CHECK(withdrawal_from);
  for (const auto& u : rec.updates)
    CHECK(u.asn == 5);
  CHECK(rec.updates.back().withdrawal);
}

TEST_CASE("Anycast: each site withdraws its own announcement", "[bgp]") {
  AsGraph g = textbook();
  BgpEngine e(g);
  e.announce(6, kP, 0, 0);
  e.announce(6, kP, 0, 1);
  e.announce(14, kP, 0);
  e.run_to_convergence();
  CHECK(bp(e, 2) == Path{14}); // peer route of length 1 beats 1's longer one
  CHECK(bp(e, 1) == Path{3, 6});
  e.withdraw(6, kP, e.now(), 0);
  e.run_to_convergence();
  CHECK(bp(e, 1) == Path{3, 6}); // site 1 still announces
  e.withdraw(6, kP, e.now(), 1);
  e.run_to_convergence();
  CHECK(bp(e, 2) == Path{14});
  CHECK_FALSE(bp(e, 1)); // 14's route is a peer route of 2: not exported to 2's peer 1
  CHECK(bp(e, 5) == Path{2, 14});
}

TEST_CASE("Route leak: a multi-homed customer re-exports its provider route", "[bgp]") {
  // 1 = 2 peers; 3 and 5 are customers of 1; 9 (origin) and 5 are customers of 2.
  AsGraphBuilder b;
  b.add_link(1, 2, Relationship::Peer);
  b.add_link(1, 3, Relationship::Customer);
  b.add_link(1, 5, Relationship::Customer);
  b.add_link(2, 9, Relationship::Customer);
  b.add_link(2, 5, Relationship::Customer);
  AsGraph g = b.build();
  BgpEngine e(g);
  e.announce(9, kP, 0);
  e.run_to_convergence();
  CHECK(bp(e, 1) == Path{2, 9});
  CHECK(bp(e, 3) == Path{1, 2, 9});
  e.leak(5, e.now());
  e.run_to_convergence();
  CHECK(bp(e, 1) == Path{5, 2, 9}); // the leaked route arrives from a customer: preferred
  CHECK(e.route_lookup(3, *parse_ipv4("10.0.0.1")).path == Path{3, 1, 5, 2, 9});
  e.leak(5, e.now(), false);
  e.run_to_convergence();
  CHECK(bp(e, 1) == Path{2, 9});
}

TEST_CASE("Siblings exchange everything and are preferred like customers", "[bgp]") {
  AsGraphBuilder b;
  b.add_link(1, 2, Relationship::Sibling);
  b.add_link(3, 1, Relationship::Customer); // 3 provides 1
  b.add_link(4, 2, Relationship::Customer); // 4 provides 2
  b.add_link(4, 9, Relationship::Customer);
  AsGraph g = b.build();
  BgpEngine e(g);
  e.announce(9, kP, 0);
  e.run_to_convergence();
  CHECK(bp(e, 2) == Path{4, 9});
  CHECK(bp(e, 1) == Path{2, 4, 9}); // from a sibling: exported to its provider too
  CHECK(bp(e, 3) == Path{1, 2, 4, 9});
}

TEST_CASE("Runs are deterministic for a seed; run_until steps agree with one run", "[bgp]") {
  GeneratorParams gp;
  gp.as_count = 200;
  gp.seed = 3;
  AsGraph g = generate_internet(gp);
  auto run = [&](bool stepped) {
    BgpEngine e(g);
    Recorder rec;
    e.set_observer(&rec);
    e.announce(g.asn(150), kP, 0);
    e.announce(g.asn(150), *Prefix::parse("10.0.1.0/24"), 0);
    if (stepped) {
      while (e.next_event_time() < 1e9)
        e.run_until(e.next_event_time() + 0.5);
    } else {
      e.run_to_convergence();
    }
    REQUIRE(e.now() < 5000);
    e.withdraw(g.asn(150), kP, 5000);
    e.run_to_convergence();
    std::ostringstream s;
    for (const auto& c : rec.changes)
      s << c.time << ' ' << c.asn << ' ' << c.prefix.to_string() << ' ' << c.new_path << ' '
        << to_string(c.cause) << ' ' << c.from << '\n';
    return s.str();
  };
  const std::string a = run(false);
  CHECK(a == run(false));
  CHECK(a == run(true));
  CHECK(a.size() > 1000);
}

TEST_CASE("An embedding clock may wake only at quiet_until(): same changes, observed ones on time", "[bgp]") {
  GeneratorParams gp;
  gp.as_count = 300;
  gp.seed = 5;
  AsGraph g = generate_internet(gp);
  const std::vector<Asn> observed = {g.asn(7), g.asn(120), g.asn(299)};
  // The clock of the embedding (SimGrid's in BgpModel) when the engine calls the observer.
  struct ClockRecorder : Recorder {
    const double* clock = nullptr;
    std::vector<Asn> observed;
    int late = 0; // observed changes processed after their date
    void on_best_path_change(const BestPathChange& c) override {
      Recorder::on_best_path_change(c);
      if (std::find(observed.begin(), observed.end(), c.asn) != observed.end() && c.time != *clock) ++late;
    }
    void on_update_received(const UpdateReceived& u) override {
      Recorder::on_update_received(u);
      if (u.time != *clock) ++late;
    }
  };
  auto run = [&](bool batched, int& wakes, int& late) {
    BgpParams params;
    params.mrai_s = 5;
    BgpEngine e(g, params);
    double clock = 0;
    ClockRecorder rec;
    rec.clock = &clock;
    rec.observed = observed;
    e.set_observer(&rec);
    for (Asn a : observed) {
      e.observe(a);
      e.watch(a);
    }
    e.announce(g.asn(150), kP, 0);
    e.announce(g.asn(150), *Prefix::parse("10.0.1.0/24"), 0);
    e.withdraw(g.asn(150), kP, 400);
    e.session_down(g.asn(150), g.asn(g.neighbor(g.slot_begin(*g.index_of(g.asn(150))))), 401.5);
    while (std::isfinite(e.next_event_time())) {
      clock = batched ? e.quiet_until() : e.next_event_time();
      REQUIRE(clock >= e.next_event_time());
      e.run_until(clock);
      ++wakes;
    }
    late = rec.late;
    std::ostringstream s;
    for (const auto& c : rec.changes)
      s << c.time << ' ' << c.asn << ' ' << c.prefix.to_string() << ' ' << c.new_path << ' '
        << to_string(c.cause) << ' ' << c.from << '\n';
    s << rec.updates.size();
    return s.str();
  };
  int wakes_each = 0, wakes_batched = 0, late_each = 0, late_batched = 0;
  const std::string each = run(false, wakes_each, late_each);
  const std::string batched = run(true, wakes_batched, late_batched);
  CHECK(each == batched);
  CHECK(each.size() > 1000);
  CHECK(late_each == 0);
  CHECK(late_batched == 0);
  CHECK(wakes_batched * 2 < wakes_each);
}

TEST_CASE("BGP parameters are declared once and read back", "[bgp]") {
  const auto& decls = bgp_param_decls();
  REQUIRE(decls.size() == 5);
  CHECK(decls[4].name == "hold_time");
  CHECK(decls[0].name == "mrai");
  CHECK(decls[0].default_value == "30s");
  CHECK(decls[2].name == "mrai_on_withdrawals");
  CHECK(decls[2].default_value == "true"); // WRATE by default: Tdown in minutes
  outagesim::sim::ParamValues v;
  v.set("mrai", 15);
  v.set("mrai_jitter", 0);
  v.set("mrai_on_withdrawals", 1);
  v.set("processing_delay", 0.002);
  BgpParams p = bgp_params_from(v, 9);
  CHECK(p.mrai_s == 15);
  CHECK_FALSE(p.mrai_jitter);
  CHECK(p.mrai_on_withdrawals);
  CHECK(p.processing_delay_s == 0.002);
  CHECK(p.seed == 9);
}

TEST_CASE("MRAI 0: one update per session and prefix per instant, the AS's last state of it", "[bgp][coalesce]") {
  // 1 originates; 2 and 3 are its providers and customers of 4; 5 is 4's customer. All links have the
  // same delay, so 4 hears 2 and 3 at the same instant (2 first: 1 sends in ASN order) and prefers 3
  // (local-pref). Its best changes twice in that instant; 5 must receive only the last state.
  AsGraphBuilder b;
  auto pc = [&](Asn p, Asn c) { b.add_link(p, c, Relationship::Customer); };
  pc(2, 1);
  pc(3, 1);
  pc(4, 2);
  pc(4, 3);
  pc(4, 5);
  AsGraph g = b.build();
  const double hop = kDefaultLinkDelay + BgpParams{}.processing_delay_s;
  for (double mrai : {0.0, 30.0}) {
    INFO("mrai " << mrai);
    BgpParams params;
    params.mrai_s = mrai;
    params.mrai_jitter = false;
    BgpEngine e(g, params);
    Recorder rec;
    e.set_observer(&rec);
    e.watch(5);
    e.set_local_pref(4, 3, 500, 0);
    e.announce(1, kP, 0);
    REQUIRE(e.run_to_convergence());
    std::vector<Path> at4;
    for (const auto& c : rec.changes)
      if (c.asn == 4) at4.push_back(e.path_asns(c.new_path));
    CHECK(at4 == std::vector<Path>{{2, 1}, {3, 1}}); // 4 itself goes through both, at one instant
    std::vector<std::pair<double, Path>> at5;
    for (const auto& u : rec.updates)
      at5.emplace_back(u.time, e.path_asns(u.path));
    CHECK(bp(e, 5) == Path{4, 3, 1});
    if (mrai == 0) {
      // Only 4's last state of the instant leaves: one update, [4 3 1], one hop after 4 heard it.
      REQUIRE(at5.size() == 1);
      CHECK(at5[0].first == Approx(3 * hop));
      CHECK(at5[0].second == Path{4, 3, 1});
    } else {
      // With MRAI the first change leaves at once and the second waits for the timer (30 s).
      REQUIRE(at5.size() == 2);
      CHECK(at5[0].second == Path{4, 2, 1});
      CHECK(at5[1].second == Path{4, 3, 1});
      CHECK(at5[1].first == Approx(2 * hop + 30 + hop));
    }
  }
}
