#include <catch2/catch.hpp>

#include "models/probe/ProbeTracker.hpp"

using outagesim::probe::ProbeTracker;

TEST_CASE("probe tracker reports state changes only", "[probe]") {
  ProbeTracker t;
  CHECK(t.state("r", "s") == ProbeTracker::State::Unknown);
  CHECK(*t.record("r", "s", true, 0.01) == ProbeTracker::State::Up);
  CHECK_FALSE(t.record("r", "s", true, 0.01));
  CHECK(*t.record("r", "s", false, 0) == ProbeTracker::State::Down);
  CHECK_FALSE(t.record("r", "s", false, 0));
  CHECK(*t.record("r", "s", true, 0.03) == ProbeTracker::State::Up);
}

TEST_CASE("probe tracker availability per interval", "[probe]") {
  ProbeTracker t;
  CHECK(t.close_interval("r", "s") == 1.0); // nothing probed yet: assume reachable
  t.record("r", "s", true, 0.010);
  t.record("r", "s", false, 0);
  t.record("r", "s", true, 0.030);
  t.record("r", "s", false, 0);
  double rtt = 0;
  CHECK(t.close_interval("r", "s", &rtt) == 0.5);
  CHECK(rtt == Approx(0.020));
  // An interval without a finished probe keeps the last availability.
  CHECK(t.close_interval("r", "s", &rtt) == 0.5);
  CHECK(rtt < 0);
}
