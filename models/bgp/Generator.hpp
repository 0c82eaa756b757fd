#pragma once
// A seeded synthetic Internet-like AS graph for users without CAIDA data and for tests.
//
// Shape (positions are creation order; providers always come earlier, so the customer-provider
// hierarchy is acyclic and Gao-Rexford safe):
//   tier-1 clique  : all pairs peer
//   transit tier   : each has 1-3 providers among tier-1 and earlier transit ASes, chosen by
//                    preferential attachment (ASes with more customers attract more)
//   stubs          : 1 provider, or 2-3 (multi-homed) with multihome_probability
//   peering        : random transit-transit peer links (about peers_per_transit each)
// AS numbers are distinct random values (so the lowest-ASN tie-break is not correlated with the
// tier), link delays uniform in [min_delay_s, max_delay_s]. Same params => same graph, bit for bit.
#include "models/bgp/AsGraph.hpp"

#include <cstdint>

namespace outagesim::bgp {

/// Parameters of generate_internet().
struct GeneratorParams {
  std::size_t as_count = 1000;        ///< total ASes (>= 2)
  std::uint64_t seed = 1;             ///< run seed (stream "bgp.generator")
  std::size_t tier1_count = 0;        ///< size of the tier-1 clique; 0 = auto (n/100 clamped to 3..12)
  double transit_fraction = 0.15;     ///< fraction of non-tier-1 ASes that are transit providers
  double multihome_probability = 0.6; ///< probability that a stub has more than one provider
  double peers_per_transit = 2.0;     ///< mean number of peer links a transit AS initiates
  double min_delay_s = 0.002;         ///< link delay range, seconds
  double max_delay_s = 0.030;
};

/// Builds the synthetic graph described above. Deterministic in `params`.
AsGraph generate_internet(const GeneratorParams& params);

} // namespace outagesim::bgp
