// outagesim_bench_bgp: the BGP model's performance benchmark (issue 3).
//
//   outagesim_bench_bgp [CAIDA_FILE] [ORIGIN_ASN]       (env MRAI=seconds, default 30; MRAI=0 off;
//                                                      WRATE=0 lets withdrawals bypass MRAI; the
//                                                      default, as in the model, rate-limits them)
//   outagesim_bench_bgp synthetic:N [ORIGIN_ASN]        the same on generate_internet() with N ASes
//                                                      (seed 1; default origin: the stub AS with the
//                                                      most providers, lowest ASN first), for the
//                                                      scaling series (1000, 5000, 20000, 60000)
//
// Work: load the graph; announce 6 prefixes from the origin at t=0 and run to convergence; withdraw
// them all and run to convergence. The same work is then done by a minimal priority-queue
// path-vector loop written below (Gao-Rexford, MRAI, same delays; without MRAI, exports re-evaluated
// once per date as in the engine; no observers, no inputs, no policies), whose converged state must
// agree with the engine's. The last line is
//   bgp-bench: ases=N links=N load_s=X converge_s=X withdraw_s=X updates=N updates_per_s=X
//              rss_mib=N pq_ratio=X cpu_s=X us_per_update=X pq_ratio_wall=X engine_rss_mib=N
// (one line; the minimal loop follows the same WRATE setting, so it is always the same work)
// where converge_s / withdraw_s are wall seconds of the two phases, updates the UPDATE
// messages delivered (each may carry several prefixes), updates_per_s = updates / (converge_s +
// withdraw_s), rss_mib the peak resident set, pq_ratio = engine CPU time / minimal loop CPU time
// (CPU time of this process: on a loaded machine wall time counts the waits for a core too;
// pq_ratio_wall is the same with wall time), cpu_s the engine's CPU seconds for both phases and
// us_per_update = cpu_s / updates in microseconds, engine_rss_mib the peak resident set before the
// minimal loop runs (graph + engine; rss_mib includes the minimal loop's own memory).
//
// Default prefixes: AS32934's DNS prefixes 129.134.30.0/23, 129.134.31.0/24, 185.89.218.0/23,
// 185.89.219.0/24, its covering 129.134.0.0/17, and 157.240.0.0/16 (the block of facebook.com's
// web front-ends) as the sixth.
#include "models/bgp/BgpEngine.hpp"
#include "models/bgp/DatedQueue.hpp"
#include "models/bgp/Generator.hpp"
#include "models/bgp/TopologyLoader.hpp"
#include "sim/core/Rng.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>

using namespace outagesim::bgp;

namespace {

double wall() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

long peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  return -1;
}

// The minimal loop: one priority queue of dated messages and timers (the engine's DatedQueue, so
// that the ratio measures everything but the queue), flat arrays, incremental
// decision, valley-free export, per-session MRAI with jitter. All prefixes are handled one by one
// at every receiver, like the engine, but messages carry a bitmask of prefixes.
class MinimalLoop {
public:
  MinimalLoop(const AsGraph& g, int prefixes, double mrai, double proc, std::uint64_t seed, bool wrate)
      : g_(g), np_(prefixes), mrai_(mrai), proc_(proc), wrate_(wrate),
        rng_(outagesim::sim::rng_stream(seed, "bgp.mrai")) {
    const std::size_t m = g.slot_count(), n = g.as_count();
    nodes_.push_back({0, 0, 0});
    rib_in_.assign(m * np_, kNone);
    rib_out_.assign(m * np_, kNone);
    best_slot_.assign(n * np_, kNoSlot);
    best_path_.assign(n * np_, kNone);
    exp_.assign(n * np_, kNone);
    armed_.assign(m, 0);
    pending_.assign(m, 0);
    dirty_.assign(n, 0);
  }

  void originate(AsIndex origin, bool on) {
    origin_ = origin;
    on_ = on;
    changed_ = 0;
    for (int p = 0; p < np_; ++p) {
      if (on)
        set_best(origin, p, kLocal, 0);
      else
        rescan(origin, p);
    }
    export_all(origin);
  }

  std::uint64_t run() {
    while (!q_.empty()) {
      Ev e = q_.top();
      q_.pop();
      now_ = e.time;
      if (e.path == kTimer)
        timer(e.slot);
      else if (e.path == kFlush)
        flush_dates();
      else
        deliver(e.slot, e.path, e.mask);
    }
    return messages_;
  }
  SlotIndex best_slot(AsIndex v, int p) const { return best_slot_[v * np_ + p]; }
  static constexpr SlotIndex kNoSlot = 0xFFFFFFFF, kLocal = 0xFFFFFFFE;

private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF, kTimer = 0xFFFFFFFE, kFlush = 0xFFFFFFFD;
  struct Node {
    AsIndex as;
    std::uint32_t tail, len;
  };
  struct Ev {
    double time;
    std::uint64_t seq;
    SlotIndex slot;
    std::uint32_t path;
    std::uint32_t mask;
  };
  struct Later { // x comes after y: by date, then first pushed first
    bool operator()(const Ev& x, const Ev& y) const { return x.time != y.time ? x.time > y.time : x.seq > y.seq; }
  };
  std::uint64_t key(SlotIndex s, std::uint32_t path) const {
    Relationship r = g_.relationship(s);
    std::uint64_t cls = r == Relationship::Customer || r == Relationship::Sibling ? 0
                        : r == Relationship::Peer                                 ? 1
                                                                                  : 2;
    return cls << 48 | static_cast<std::uint64_t>(nodes_[path].len) << 32 | s;
  }
  bool has(std::uint32_t path, AsIndex v) const {
    for (; path != 0; path = nodes_[path].tail)
      if (nodes_[path].as == v) return true;
    return false;
  }
  void set_best(AsIndex v, int p, SlotIndex s, std::uint32_t path) {
    std::size_t i = v * np_ + p;
    if (best_slot_[i] == s && best_path_[i] == path) return;
    best_slot_[i] = s;
    best_path_[i] = path;
    if (path == kNone)
      exp_[i] = kNone;
    else if (cache_from_ == path)
      exp_[i] = cache_to_;
    else {
      nodes_.push_back({v, path, nodes_[path].len + 1});
      cache_from_ = path;
      cache_to_ = exp_[i] = static_cast<std::uint32_t>(nodes_.size() - 1);
    }
    changed_ |= 1u << p;
  }
  void rescan(AsIndex v, int p) {
    if (on_ && v == origin_) return set_best(v, p, kLocal, 0);
    SlotIndex best = kNoSlot;
    std::uint64_t bk = ~0ull;
    for (SlotIndex s = g_.slot_begin(v); s < g_.slot_end(v); ++s) {
      std::uint32_t path = rib_in_[s * np_ + p];
      if (path != kNone && key(s, path) < bk) bk = key(s, path), best = s;
    }
    set_best(v, p, best, best == kNoSlot ? kNone : rib_in_[best * np_ + p]);
  }
  void deliver(SlotIndex r, std::uint32_t path, std::uint32_t mask) {
    ++messages_;
    AsIndex v = g_.owner(r);
    if (path != kNone && has(path, v)) path = kNone;
    changed_ = 0;
    cache_from_ = kNone;
    for (int p = 0; p < np_; ++p) {
      if (!(mask >> p & 1)) continue;
      std::uint32_t& in = rib_in_[r * np_ + p];
      std::uint32_t old = in;
      if (old == path) continue;
      in = path;
      if (on_ && v == origin_) continue;
      std::size_t i = v * np_ + p;
      SlotIndex b = best_slot_[i];
      if (b == r) {
        if (path != kNone && nodes_[path].len <= nodes_[old].len)
          set_best(v, p, r, path);
        else
          rescan(v, p);
      } else if (path != kNone && (b == kNoSlot || key(r, path) < key(b, best_path_[i]))) {
        set_best(v, p, r, path);
      }
    }
    if (!changed_) return;
    if (mrai_ > 0) return export_all(v);
    // No MRAI: the export waits for the end of the date (as in the engine), for all ASes at once.
    if (dirty_list_.empty()) q_.push(Ev{now_, seq_++, 0, kFlush, 0});
    if (!dirty_[v]) dirty_list_.push_back(v);
    dirty_[v] |= changed_;
  }
  void flush_dates() {
    std::sort(dirty_list_.begin(), dirty_list_.end());
    for (AsIndex v : dirty_list_) {
      changed_ = dirty_[v];
      dirty_[v] = 0;
      export_all(v);
    }
    dirty_list_.clear();
  }
  std::uint32_t desired(AsIndex v, int p, SlotIndex s) const {
    std::size_t i = v * np_ + p;
    SlotIndex b = best_slot_[i];
    if (b == kNoSlot || b == s) return kNone;
    if (b != kLocal) {
      Relationship rb = g_.relationship(b), rs = g_.relationship(s);
      bool from_cust = rb == Relationship::Customer || rb == Relationship::Sibling;
      bool to_cust = rs == Relationship::Customer || rs == Relationship::Sibling;
      if (!from_cust && !to_cust) return kNone;
    }
    return exp_[i];
  }
  void export_all(AsIndex v) {
    for (SlotIndex s = g_.slot_begin(v); s < g_.slot_end(v); ++s) {
      batch_n_ = 0;
      for (int p = 0; p < np_; ++p) {
        if (!(changed_ >> p & 1)) continue;
        std::uint32_t d = desired(v, p, s);
        std::uint32_t& out = rib_out_[s * np_ + p];
        if (armed_[s] && (d != kNone || wrate_)) {
          if (d != out) pending_[s] |= 1u << p;
          continue;
        }
        pending_[s] &= ~(1u << p);
        if (d != out) add(d, p), out = d;
      }
      flush(s);
    }
  }
  void add(std::uint32_t path, int p) {
    for (int k = 0; k < batch_n_; ++k)
      if (batch_[k].first == path) return void(batch_[k].second |= 1u << p);
    batch_[batch_n_++] = {path, 1u << p};
  }
  void flush(SlotIndex s) {
    bool arm = false;
    for (int k = 0; k < batch_n_; ++k) {
      q_.push(Ev{now_ + g_.delay(s) + proc_, seq_++, g_.reverse_slot(s), batch_[k].first, batch_[k].second});
      arm |= batch_[k].first != kNone || wrate_;
    }
    if (arm && mrai_ > 0 && !armed_[s]) {
      armed_[s] = 1;
      q_.push(Ev{now_ + mrai_ * (0.75 + 0.25 * outagesim::sim::uniform01(rng_)), seq_++, s, kTimer, 0});
    }
  }
  void timer(SlotIndex s) {
    armed_[s] = 0;
    AsIndex v = g_.owner(s);
    batch_n_ = 0;
    for (int p = 0; p < np_; ++p) {
      if (!(pending_[s] >> p & 1)) continue;
      std::uint32_t d = desired(v, p, s);
      std::uint32_t& out = rib_out_[s * np_ + p];
      if (d != out) add(d, p), out = d;
    }
    pending_[s] = 0;
    flush(s);
  }

  const AsGraph& g_;
  int np_;
  double mrai_, proc_;
  bool wrate_;
  std::mt19937_64 rng_;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> rib_in_, rib_out_, best_path_, exp_;
  std::vector<SlotIndex> best_slot_;
  std::vector<std::uint8_t> armed_;
  std::vector<std::uint32_t> pending_;
  std::vector<std::uint32_t> dirty_; // by AS: prefixes whose export waits for the date's end (MRAI 0)
  std::vector<AsIndex> dirty_list_;
  DatedQueue<Ev, Later> q_; // the engine's queue (DatedQueue.hpp): the bound measures the rest
  double now_ = 0;
  std::uint64_t seq_ = 0, messages_ = 0;
  AsIndex origin_ = 0;
  bool on_ = false;
  std::uint32_t changed_ = 0, cache_from_ = kNone, cache_to_ = kNone;
  std::pair<std::uint32_t, std::uint32_t> batch_[33];
  int batch_n_ = 0;
};

} // namespace

int main(int argc, char** argv) {
  std::string file = argc > 1 ? argv[1] : std::string(OUTAGESIM_BENCH_DEFAULT_CAIDA);
  if (file == "-h" || file == "--help") {
    std::cout
        << "usage: outagesim_bench_bgp [CAIDA_FILE | synthetic:N] [ORIGIN_ASN]\n"
           "  Announces then withdraws 6 prefixes from ORIGIN_ASN (default AS32934 on CAIDA data; on\n"
           "  synthetic:N, a graph of N ASes from the generator, the stub AS with the most providers)\n"
           "  and times the engine against a minimal priority-queue loop doing the same work.\n"
           "  Environment: MRAI=seconds (default 30, 0 disables), WRATE=0 (withdrawals bypass MRAI).\n"
           "  Last line: bgp-bench: ases= links= load_s= converge_s= withdraw_s= updates= updates_per_s=\n"
           "  rss_mib= pq_ratio= cpu_s= us_per_update= pq_ratio_wall= engine_rss_mib= (pq_ratio: CPU\n"
           "  time ratio; engine_rss_mib: peak before the minimal loop runs).\n";
    return 0;
  }
  const bool synthetic = file.rfind("synthetic:", 0) == 0;
  Asn origin = argc > 2 ? static_cast<Asn>(std::strtoul(argv[2], nullptr, 10)) : (synthetic ? 0 : 32934);
  double mrai = 30.0;
  if (const char* e = std::getenv("MRAI")) mrai = std::atof(e);
  const char* prefix_text[] = {"129.134.30.0/23", "129.134.31.0/24", "185.89.218.0/23",
                               "185.89.219.0/24", "129.134.0.0/17",  "157.240.0.0/16"};

  double t0 = wall();
  LoadedTopology topo;
  if (synthetic) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(file.c_str() + 10, &end, 10);
    if (n < 2 || *end != '\0') {
      std::cerr << "error: " << file << ": expected synthetic:N with N >= 2 ASes\n";
      return 2;
    }
    GeneratorParams gp;
    gp.as_count = n;
    topo.graph = generate_internet(gp);
    if (origin == 0) {
      // A multi-homed stub (no customers), the one with the most providers, lowest ASN first.
      const AsGraph& g = topo.graph;
      std::size_t best = 0;
      for (AsIndex v = 0; v < g.as_count(); ++v) {
        std::size_t providers = 0, customers = 0;
        for (SlotIndex s = g.slot_begin(v); s < g.slot_end(v); ++s) {
          providers += g.relationship(s) == Relationship::Provider;
          customers += g.relationship(s) == Relationship::Customer;
        }
        if (customers == 0 && providers > best) best = providers, origin = g.asn(v);
      }
    }
  } else {
    try {
      topo = load_caida(file);
    } catch (const TopologyError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 2;
    }
  }
  const double load_s = wall() - t0;
  for (const auto& w : topo.warnings)
    std::cerr << "warning: " << w << "\n";
  const AsGraph& g = topo.graph;
  if (!g.index_of(origin)) {
    std::cerr << "error: origin AS" << origin << " is not in " << file << "\n";
    return 2;
  }

  BgpParams params;
  params.mrai_s = mrai;
  if (const char* e = std::getenv("WRATE")) params.mrai_on_withdrawals = std::atoi(e) != 0;
  BgpEngine engine(g, params);
  std::vector<Prefix> prefixes;
  for (const char* t : prefix_text)
    prefixes.push_back(*Prefix::parse(t));

  t0 = wall();
  double c0 = cpu();
  for (const auto& p : prefixes)
    engine.announce(origin, p, 0.0);
  engine.run_to_convergence();
  const double converge_s = wall() - t0;
  double engine_cpu = cpu() - c0;
  const double announce_sim = engine.last_change_time();
  const std::uint64_t announce_msgs = engine.messages_delivered();
  std::size_t reached = 0;
  for (AsIndex v = 0; v < g.as_count(); ++v)
    reached += engine.best_path_id(v, 0) != kNoPath;

  // The engine's announce state (next hop per AS for the first prefix), for the comparison below.
  constexpr AsIndex kNone = 0xFFFFFFFFu, kSelf = 0xFFFFFFFEu;
  std::vector<AsIndex> announced_next(g.as_count(), kNone);
  for (AsIndex v = 0; v < g.as_count(); ++v) {
    const PathId bp = engine.best_path_id(v, 0);
    if (bp != kNoPath) announced_next[v] = bp == kEmptyPath ? kSelf : engine.paths().head(bp);
  }
  const double withdraw_at = engine.now();
  t0 = wall();
  c0 = cpu();
  for (const auto& p : prefixes)
    engine.withdraw(origin, p, withdraw_at);
  engine.run_to_convergence();
  const double withdraw_s = wall() - t0;
  engine_cpu += cpu() - c0;
  const double withdraw_sim = engine.last_change_time() - withdraw_at;
  std::size_t left = 0;
  for (AsIndex v = 0; v < g.as_count(); ++v)
    left += engine.best_path_id(v, 0) != kNoPath;
  const long engine_rss_mib = peak_rss_mib(); // before the minimal loop allocates anything

  // The minimal loop does the same work; its announce state must agree with the engine's, AS by AS.
  MinimalLoop base(g, static_cast<int>(prefixes.size()), mrai, params.processing_delay_s, params.seed,
                   params.mrai_on_withdrawals);
  double b0 = wall();
  c0 = cpu();
  base.originate(*g.index_of(origin), true);
  std::uint64_t base_msgs = base.run();
  double base_s = wall() - b0;
  double base_cpu = cpu() - c0;
  std::size_t disagree = 0;
  for (AsIndex v = 0; v < g.as_count(); ++v) {
    const SlotIndex bs = base.best_slot(v, 0);
    const bool engine_none = announced_next[v] == kNone, base_none = bs == MinimalLoop::kNoSlot;
    if (engine_none != base_none)
      ++disagree;
    else if (!engine_none && announced_next[v] != kSelf && g.neighbor(bs) != announced_next[v])
      ++disagree;
  }

  b0 = wall();
  c0 = cpu();
  base.originate(*g.index_of(origin), false);
  base_msgs = base.run();
  base_s += wall() - b0;
  base_cpu += cpu() - c0;

  const std::uint64_t updates = engine.messages_delivered();
  const double work_s = converge_s + withdraw_s;
  std::printf("bgp-bench-info: file=%s origin=%u mrai_s=%g wrate=%d prefixes=%zu reached=%zu/%zu "
              "announce_sim_s=%.3f withdraw_sim_s=%.3f announce_updates=%llu withdraw_updates=%llu "
              "prefix_updates=%llu best_changes=%llu paths=%zu left_after_withdraw=%zu "
              "baseline_s=%.3f baseline_cpu_s=%.3f baseline_updates=%llu baseline_disagree=%zu\n",
              file.c_str(), origin, mrai, params.mrai_on_withdrawals ? 1 : 0, prefixes.size(), reached,
              g.as_count(), announce_sim, withdraw_sim, static_cast<unsigned long long>(announce_msgs),
              static_cast<unsigned long long>(updates - announce_msgs),
              static_cast<unsigned long long>(engine.prefix_updates_delivered()),
              static_cast<unsigned long long>(engine.best_path_changes()), engine.paths().size(), left,
              base_s, base_cpu, static_cast<unsigned long long>(base_msgs), disagree);
  std::printf("bgp-bench: ases=%zu links=%zu load_s=%.3f converge_s=%.3f withdraw_s=%.3f updates=%llu "
              "updates_per_s=%.0f rss_mib=%ld pq_ratio=%.2f cpu_s=%.3f us_per_update=%.3f pq_ratio_wall=%.2f "
              "engine_rss_mib=%ld\n",
              g.as_count(), g.link_count(), load_s, converge_s, withdraw_s,
              static_cast<unsigned long long>(updates),
              work_s > 0 ? static_cast<double>(updates) / work_s : 0.0, peak_rss_mib(),
              base_cpu > 0 ? engine_cpu / base_cpu : 0.0, engine_cpu,
              updates > 0 ? 1e6 * engine_cpu / static_cast<double>(updates) : 0.0,
              base_s > 0 ? work_s / base_s : 0.0, engine_rss_mib);
  return 0;
}
