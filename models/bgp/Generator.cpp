#include "models/bgp/Generator.hpp"

#include "sim/core/Rng.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace outagesim::bgp {

AsGraph generate_internet(const GeneratorParams& params) {
  auto rng = sim::rng_stream(params.seed, "bgp.generator");
  auto uniform = [&](std::size_t n) {
    return static_cast<std::size_t>(sim::uniform01(rng) * static_cast<double>(n));
  };
  const std::size_t n = std::max<std::size_t>(params.as_count, 2);
  std::size_t tier1 = params.tier1_count ? params.tier1_count : std::clamp<std::size_t>(n / 100, 3, 12);
  tier1 = std::min(tier1, n);
  const std::size_t transit = std::min(
      n - tier1, static_cast<std::size_t>(params.transit_fraction * static_cast<double>(n - tier1) + 0.5));

  // Distinct random ASNs.
  std::vector<Asn> asn(n);
  {
    const std::uint64_t range = std::max<std::uint64_t>(64511, 8 * n);
    std::unordered_set<Asn> used;
    for (std::size_t i = 0; i < n; ++i) {
      Asn a;
      do
        a = static_cast<Asn>(1 + rng() % range);
      while (!used.insert(a).second);
      asn[i] = a;
    }
  }
  auto delay = [&] {
    return params.min_delay_s + (params.max_delay_s - params.min_delay_s) * sim::uniform01(rng);
  };

  AsGraphBuilder b;
  std::set<std::pair<std::size_t, std::size_t>> linked; // (min pos, max pos)
  auto link = [&](std::size_t x, std::size_t y, Relationship y_is) {
    if (x == y || !linked.insert({std::min(x, y), std::max(x, y)}).second) return false;
    b.add_link(asn[x], asn[y], y_is, delay());
    return true;
  };
  for (std::size_t i = 0; i < n; ++i)
    b.add_as(asn[i]);
  for (std::size_t i = 0; i < tier1; ++i)
    for (std::size_t j = i + 1; j < tier1; ++j)
      link(i, j, Relationship::Peer);

  // Preferential attachment: each provider appears once plus once per customer it has.
  std::vector<std::size_t> attach;
  for (std::size_t i = 0; i < tier1; ++i)
    attach.push_back(i);
  // The first provider by preferential attachment; for a transit AS, each further one uniformly
  // among the tier-1 and the transit ASes created before it (a regional upstream).
  auto pick_providers = [&](std::size_t self, std::size_t count) {
    std::vector<std::size_t> chosen;
    const bool transit_as = self < tier1 + transit;
    for (int tries = 0; chosen.size() < count && tries < 64; ++tries) {
      std::size_t p = transit_as && !chosen.empty() ? uniform(self) : attach[uniform(attach.size())];
      if (std::find(chosen.begin(), chosen.end(), p) == chosen.end() && p != self) chosen.push_back(p);
    }
    for (std::size_t p : chosen)
      if (link(p, self, Relationship::Customer)) attach.push_back(p);
  };
  for (std::size_t i = tier1; i < tier1 + transit; ++i) {
    // Providers per transit AS: the distribution measured on CAIDA 2018-01-01 (ASes with both
    // customers and providers): 1: 23.2 %, 2: 31.6 %, 3: 20.7 %, 4: 11.4 %, 5: 5.5 %, 6 or more: 7.5 %.
    static constexpr double kCumulative[] = {0.232, 0.548, 0.755, 0.869, 0.924};
    const double u = sim::uniform01(rng);
    std::size_t k = 1;
    while (k < 6 && u > kCumulative[k - 1])
      ++k;
    pick_providers(i, k);
    attach.push_back(i);
  }
  for (std::size_t i = tier1 + transit; i < n; ++i) {
    std::size_t k = 1;
    if (sim::uniform01(rng) < params.multihome_probability) k = 2 + (sim::uniform01(rng) < 0.2);
    pick_providers(i, k);
  }
  // Peering among transit ASes (and tier-1 with large transit, occasionally).
  if (transit >= 2) {
    for (std::size_t i = tier1; i < tier1 + transit; ++i) {
      double want = params.peers_per_transit * 0.5;
      std::size_t k = static_cast<std::size_t>(want) +
                      (sim::uniform01(rng) < want - static_cast<double>(static_cast<std::size_t>(want)));
      for (std::size_t j = 0; j < k; ++j)
        link(i, tier1 + uniform(transit), Relationship::Peer);
    }
  }
  return b.build();
}

} // namespace outagesim::bgp
