// DatedQueue pops exactly what a binary heap over the same events pops (date, then sequence
// number), whatever the mix of dates: ties, dates in the current bucket pushed while it is read,
// the ring's range and beyond it (far dates, +infinity), and a queue that empties and starts again.
#include "models/bgp/DatedQueue.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <queue>
#include <random>
#include <vector>

using namespace outagesim::bgp;

namespace {

struct Ev {
  double time;
  std::uint64_t seq;
};
struct Later {
  bool operator()(const Ev& x, const Ev& y) const {
    return x.time != y.time ? x.time > y.time : x.seq > y.seq;
  }
};

// Pushes and pops the same events into both queues, the pushes dated from the last popped date
// by `gap`, and checks every pop; returns the number of events popped.
template <class Gap> std::size_t check_against_heap(std::mt19937_64& rng, std::size_t pushes, Gap gap) {
  DatedQueue<Ev, Later> q;
  std::priority_queue<Ev, std::vector<Ev>, Later> ref;
  double now = 0;
  std::uint64_t seq = 0;
  std::size_t popped = 0;
  std::uniform_int_distribution<int> burst(0, 4);
  while (seq < pushes || !ref.empty()) {
    for (int k = burst(rng); k > 0 && seq < pushes; --k) {
      const Ev e{now + gap(rng), seq++};
      q.push(e);
      ref.push(e);
    }
    for (int k = burst(rng); k > 0 && !ref.empty(); --k) {
      REQUIRE(q.size() == ref.size());
      const Ev a = q.top(), b = ref.top();
      REQUIRE(a.seq == b.seq);
      REQUIRE(a.time == b.time);
      q.pop();
      ref.pop();
      now = a.time;
      ++popped;
    }
  }
  REQUIRE(q.empty());
  return popped;
}

} // namespace

TEST_CASE("DatedQueue pops in a binary heap's order", "[bgp][queue]") {
  std::mt19937_64 rng(7);
  SECTION("deliveries and MRAI timers (ties at equal dates)") {
    std::uniform_real_distribution<double> jitter(0.75, 1.0);
    std::bernoulli_distribution timer(0.3), tie(0.2);
    auto gap = [&](std::mt19937_64& r) {
      if (tie(r)) return 0.011; // many events at one date: FIFO among them
      return timer(r) ? 30 * jitter(r) : 0.001 + 0.01 * std::uniform_real_distribution<double>(0, 1)(r);
    };
    CHECK(check_against_heap(rng, 20000, gap) == 20000);
  }
  SECTION("dates now, within a bucket, beyond the ring and at +infinity") {
    const double inf = std::numeric_limits<double>::infinity();
    std::discrete_distribution<int> kind({3, 3, 2, 1, 1, 1});
    auto gap = [&](std::mt19937_64& r) {
      switch (kind(r)) {
      case 0:
        return 0.0; // dated now
      case 1:
        return std::uniform_real_distribution<double>(0, 1.0 / 64)(r);
      case 2:
        return std::uniform_real_distribution<double>(0, 70)(r); // the ring spans 64 s
      case 3:
        return std::uniform_real_distribution<double>(60, 5000)(r); // beyond it
      case 4:
        return 1e17; // the last bucket
      }
      return inf;
    };
    CHECK(check_against_heap(rng, 20000, gap) == 20000);
  }
  SECTION("sparse events: the queue empties and restarts far later") {
    auto gap = [](std::mt19937_64& r) { return std::uniform_real_distribution<double>(100, 10000)(r); };
    CHECK(check_against_heap(rng, 3000, gap) == 3000);
  }
}
