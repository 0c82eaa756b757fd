#pragma once
// Helpers shared by the DNS core's unit tests.
#include <algorithm>
#include <vector>

#include "models/dns/DnsCore.hpp"
#include "models/dns/DnsModel.hpp"
#include "sim/scenario/Loader.hpp"

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

/// Loads a scenario text (as t.yaml) with the DNS model only; returns every diagnostic, one per line,
/// and whether it loaded.
inline std::pair<bool, std::string> load_with_dns(const std::string& text) {
  std::vector<outagesim::sim::ModelInfo> models = {dns_model_info()};
  outagesim::sim::Diagnostics d;
  auto s = outagesim::sim::load_scenario_text(text, "t.yaml", {}, models, d);
  std::string all;
  for (const auto& x : d.all())
    all += x.str() + "\n";
  return {s.has_value(), all};
}

} // namespace outagesim::dns::test
