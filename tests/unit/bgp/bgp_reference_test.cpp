// The timed engine against an independent static Gao-Rexford computation (the staged BFS of the
// literature: customer routes up the hierarchy, one peer hop, then provider routes down), on
// seeded random graphs, with and without MRAI; and hijacks (equally specific and more specific).
// All randomness is seeded (std::mt19937_64 with fixed seeds), so failures reproduce.
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/Generator.hpp"
#include "models/bgp/TopologyLoader.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <set>

using namespace outagesim::bgp;

namespace {

using Path = std::vector<Asn>;
const Prefix kP = *Prefix::parse("10.0.0.0/16");

// ---- The reference: static, written independently of the engine (ties by ASN, not by slot).
struct RefRoute {
  bool has = false;
  bool origin = false;
  AsIndex next = 0;
  unsigned len = 0;
};

std::vector<RefRoute> reference(const AsGraph& g, const std::vector<AsIndex>& origins) {
  const std::size_t n = g.as_count();
  std::vector<RefRoute> r(n);
  std::vector<int> cls(n, -1); // 0 customer/origin, 1 peer, 2 provider
  auto better = [&](unsigned len, AsIndex via, const RefRoute& cur) {
    return !cur.has || len < cur.len || (len == cur.len && g.asn(via) < g.asn(cur.next));
  };
  // Stage 1: customer routes climb provider links, level by level (level = path length).
  std::vector<AsIndex> frontier;
  for (AsIndex o : origins) {
    r[o] = RefRoute{true, true, o, 0};
    cls[o] = 0;
    frontier.push_back(o);
  }
  while (!frontier.empty()) {
    std::vector<RefRoute> cand(n);
    std::vector<AsIndex> touched;
    for (AsIndex u : frontier)
      for (SlotIndex s = g.slot_begin(u); s < g.slot_end(u); ++s) {
        if (g.relationship(s) != Relationship::Provider) continue;
        AsIndex w = g.neighbor(s);
        if (cls[w] != -1) continue;
        if (!cand[w].has) touched.push_back(w);
        if (better(r[u].len + 1, u, cand[w])) cand[w] = RefRoute{true, false, u, r[u].len + 1};
      }
    frontier.clear();
    for (AsIndex w : touched) {
      r[w] = cand[w];
      cls[w] = 0;
      frontier.push_back(w);
    }
  }
  // Stage 2: one peer hop from an AS holding a customer (or own) route.
  std::vector<RefRoute> peer(n);
  for (AsIndex u = 0; u < n; ++u) {
    if (cls[u] != 0) continue;
    for (SlotIndex s = g.slot_begin(u); s < g.slot_end(u); ++s) {
      if (g.relationship(s) != Relationship::Peer) continue;
      AsIndex w = g.neighbor(s);
      if (cls[w] != -1) continue;
      if (better(r[u].len + 1, u, peer[w])) peer[w] = RefRoute{true, false, u, r[u].len + 1};
    }
  }
  for (AsIndex w = 0; w < n; ++w)
    if (peer[w].has) r[w] = peer[w], cls[w] = 1;
  // Stage 3: provider routes descend customer links, by increasing length.
  std::vector<std::vector<AsIndex>> bucket(1);
  for (AsIndex v = 0; v < n; ++v)
    if (r[v].has) {
      if (bucket.size() <= r[v].len) bucket.resize(r[v].len + 1);
      bucket[r[v].len].push_back(v);
    }
  for (std::size_t len = 0; len < bucket.size(); ++len) {
    std::vector<RefRoute> cand(n);
    std::vector<AsIndex> touched;
    for (AsIndex u : bucket[len])
      for (SlotIndex s = g.slot_begin(u); s < g.slot_end(u); ++s) {
        if (g.relationship(s) != Relationship::Customer) continue;
        AsIndex c = g.neighbor(s);
        if (cls[c] != -1) continue;
        if (!cand[c].has) touched.push_back(c);
        if (better(static_cast<unsigned>(len) + 1, u, cand[c]))
          cand[c] = RefRoute{true, false, u, static_cast<unsigned>(len) + 1};
      }
    if (!touched.empty() && bucket.size() <= len + 1) bucket.resize(len + 2);
    for (AsIndex c : touched) {
      r[c] = cand[c];
      cls[c] = 2;
      bucket[len + 1].push_back(c);
    }
  }
  return r;
}

// The reference path as the routes printout shows it: origin -> [origin], else neighbour..origin.
std::optional<Path> ref_path(const AsGraph& g, const std::vector<RefRoute>& r, AsIndex v) {
  if (!r[v].has) return std::nullopt;
  if (r[v].origin) return Path{g.asn(v)};
  Path p;
  while (!r[v].origin) {
    v = r[v].next;
    p.push_back(g.asn(v));
  }
  return p;
}

// Small random Gao-Rexford graphs, independent of the generator: a random DAG of providers plus
// random peer links, random ASNs, possibly disconnected parts.
AsGraph random_graph(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::size_t n = 5 + rng() % 40;
  std::vector<Asn> asn;
  std::set<Asn> used;
  while (asn.size() < n) {
    Asn a = static_cast<Asn>(1 + rng() % 1000);
    if (used.insert(a).second) asn.push_back(a);
  }
  AsGraphBuilder b;
  std::set<std::pair<std::size_t, std::size_t>> linked;
  for (std::size_t i = 0; i < n; ++i)
    b.add_as(asn[i]);
  for (std::size_t i = 1; i < n; ++i) {
    std::size_t k = rng() % 3;
    for (std::size_t j = 0; j < k; ++j) {
      std::size_t p = rng() % i;
      if (linked.insert({p, i}).second)
        b.add_link(asn[p], asn[i], Relationship::Customer, 0.001 * static_cast<double>(1 + rng() % 50));
    }
  }
  for (std::size_t j = 0; j < n / 3; ++j) {
    std::size_t x = rng() % n, y = rng() % n;
    if (x == y) continue;
    if (linked.insert({std::min(x, y), std::max(x, y)}).second)
      b.add_link(asn[x], asn[y], Relationship::Peer, 0.001 * static_cast<double>(1 + rng() % 50));
  }
  return b.build();
}

// Compares every AS's converged path with the reference; returns the number of mismatches.
std::size_t compare(const BgpEngine& e, const std::vector<RefRoute>& ref, const Prefix& p) {
  const AsGraph& g = e.graph();
  std::size_t bad = 0;
  for (AsIndex v = 0; v < g.as_count(); ++v) {
    auto got = e.best_path(g.asn(v), p);
    auto want = ref_path(g, ref, v);
    if (got != want) {
      ++bad;
      if (bad <= 3) {
        std::string gs = got ? "" : "-", ws = want ? "" : "-";
        if (got)
          for (Asn a : *got)
            gs += std::to_string(a) + " ";
        if (want)
          for (Asn a : *want)
            ws += std::to_string(a) + " ";
        UNSCOPED_INFO("AS" << g.asn(v) << " engine [" << gs << "] reference [" << ws << "]");
      }
    }
  }
  return bad;
}

} // namespace

TEST_CASE("Converged paths equal the staged-BFS reference on 240 seeded random graphs", "[bgp]") {
  std::size_t graphs = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    GeneratorParams gp;
    gp.seed = seed;
    gp.as_count = 30 + (seed * 37) % 150;
    AsGraph gen = generate_internet(gp);
    AsGraph rnd = random_graph(seed);
    for (const AsGraph* g : {&gen, &rnd}) {
      std::mt19937_64 pick(seed);
      const AsIndex origin = static_cast<AsIndex>(pick() % g->as_count());
      const auto ref = reference(*g, {origin});
      for (double mrai : {0.0, 30.0}) {
        BgpParams params;
        params.mrai_s = mrai;
        params.seed = seed;
        BgpEngine e(*g, params);
        e.announce(g->asn(origin), kP, 0);
        REQUIRE(e.run_to_convergence());
        INFO("seed " << seed << " graph " << (g == &gen ? "generated" : "random") << " mrai " << mrai);
        CHECK(compare(e, ref, kP) == 0);
        // History does not matter: withdraw, re-announce, converge to the same state.
        if (seed % 4 == 0) {
          e.withdraw(g->asn(origin), kP, e.now() + 1);
          e.announce(g->asn(origin), kP, e.now() + 100);
          REQUIRE(e.run_to_convergence());
          CHECK(compare(e, ref, kP) == 0);
        }
        ++graphs;
      }
    }
  }
  CHECK(graphs == 240);
}

namespace {
// Two different ASes drawn with a seed: the legitimate origin and the hijacker.
std::pair<AsIndex, AsIndex> pick_origin_and_hijacker(const AsGraph& g, std::uint64_t seed) {
  std::mt19937_64 pick(seed);
  const auto n = static_cast<AsIndex>(g.as_count());
  const AsIndex legit = static_cast<AsIndex>(pick() % n);
  AsIndex hijacker = static_cast<AsIndex>(pick() % n);
  if (hijacker == legit) hijacker = (hijacker + 1) % n;
  return {legit, hijacker};
}
} // namespace

TEST_CASE("Equally specific hijack captures exactly the ASes that prefer it (reference)", "[bgp]") {
  std::size_t captured_total = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    GeneratorParams gp;
    gp.seed = 100 + seed;
    gp.as_count = 150;
    AsGraph g = generate_internet(gp);
    const auto [legit, hijacker] = pick_origin_and_hijacker(g, seed);
    BgpParams params;
    params.seed = seed;
    params.mrai_s = seed % 2 ? 30.0 : 0.0;
    BgpEngine e(g, params);
    e.announce(g.asn(legit), kP, 0);
    REQUIRE(e.run_to_convergence());
    e.hijack(g.asn(hijacker), kP, e.now() + 10);
    REQUIRE(e.run_to_convergence());
    CHECK(e.is_hijacker(g.asn(hijacker), kP));
    const auto ref = reference(g, {legit, hijacker});
    CHECK(compare(e, ref, kP) == 0);
    for (AsIndex v = 0; v < g.as_count(); ++v) {
      auto path = e.best_path(g.asn(v), kP);
      auto lookup = e.route_lookup(g.asn(v), *parse_ipv4("10.0.3.4"));
      if (!path) {
        CHECK(lookup.status == LookupStatus::NoRoute);
        continue;
      }
      CHECK(lookup.status == LookupStatus::Delivered);
      CHECK(lookup.path.back() == path->back()); // the data plane ends where the path says
      captured_total += path->back() == g.asn(hijacker);
    }
  }
  CHECK(captured_total > 100);
}

TEST_CASE("More-specific hijack captures every AS that takes it", "[bgp]") {
  const Prefix more = *Prefix::parse("10.0.5.0/24");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    GeneratorParams gp;
    gp.seed = 200 + seed;
    gp.as_count = 150;
    AsGraph g = generate_internet(gp);
    const auto [legit, hijacker] = pick_origin_and_hijacker(g, seed);
    BgpEngine e(g);
    e.announce(g.asn(legit), kP, 0);
    e.hijack(g.asn(hijacker), more, 60);
    REQUIRE(e.run_to_convergence());
    const auto ref_more = reference(g, {hijacker});
    CHECK(compare(e, ref_more, more) == 0);
    std::size_t took = 0;
    for (AsIndex v = 0; v < g.as_count(); ++v) {
      const Asn a = g.asn(v);
      auto in_more = e.route_lookup(a, *parse_ipv4("10.0.5.9"));
      auto outside = e.route_lookup(a, *parse_ipv4("10.0.6.9"));
      if (e.best_path(a, more)) {
        ++took;
        CHECK(in_more.status == LookupStatus::Delivered);
        CHECK(in_more.path.back() == g.asn(hijacker));
      } else if (e.best_path(a, kP)) {
        CHECK(in_more.path.back() == g.asn(legit));
      }
      if (e.best_path(a, kP)) {
        CHECK(outside.status == LookupStatus::Delivered);
        CHECK(outside.path.back() == g.asn(legit));
      }
    }
    CHECK(took > g.as_count() / 2);
  }
}

TEST_CASE("Real graphs: CAIDA 2018 and subra-2004 converge to the reference", "[bgp][shared]") {
  const std::string dir = std::string(OUTAGESIM_SHARED_DIR) + "/data/";
  const std::pair<std::string, Asn> cases[] = {{dir + "subra-2004/subra-2004.as-rel.txt", 7018},
                                               {dir + "caida/20180101.as-rel.txt.bz2", 32934}};
  for (const auto& [file, origin] : cases) {
    if (!std::filesystem::exists(file)) {
      WARN("skipped: " << file << " not found");
      continue;
    }
    auto topo = load_caida(file);
    BgpEngine e(topo.graph);
    e.announce(origin, kP, 0);
    REQUIRE(e.run_to_convergence());
    INFO(file);
    CHECK(compare(e, reference(topo.graph, {*topo.graph.index_of(origin)}), kP) == 0);
  }
}
