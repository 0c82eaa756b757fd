#pragma once
// Helpers shared by the DNS core's unit tests.
#include <algorithm>
#include <vector>

#include "models/dns/DnsCore.hpp"

namespace outagesim::dns::test {

/// One region of 1000 people at UTC.
inline std::vector<RegionInfo> one_region() {
  return {{"region:x", 1000, 0}};
}

/// Runs the core over [from, to) in steps of `dt` seconds.
inline void run(DnsCore& core, double from, double to, double dt = 10) {
  for (double t = from; t < to - 1e-9; t += dt)
    core.step(t, std::min(t + dt, to));
}

} // namespace outagesim::dns::test
