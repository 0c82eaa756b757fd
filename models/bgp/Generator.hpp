#pragma once
// A seeded synthetic Internet-like AS graph for users without CAIDA data and for tests.
//
// Shape (positions are creation order; providers always come earlier, so the customer-provider
// hierarchy is acyclic and Gao-Rexford safe):
//   tier-1 clique  : all pairs peer
//   transit tier   : each has 1-6 providers, as many as CAIDA 2018 transit ASes have (1: 23 %,
//                    2: 32 %, 3: 21 %, 4: 11 %, 5: 6 %, 6+: 8 %); the first by preferential
//                    attachment (ASes with more customers attract more), the others uniformly among
//                    the tier-1 and earlier transit ASes (regional upstreams)
//   stubs          : 1 provider, or 2-3 (multi-homed) with multihome_probability
//   peering        : random transit-transit peer links (about peers_per_transit each)
//
// Why the transit tier looks like this: withdrawal convergence (path exploration) walks through the
// alternative paths to the origin, ever longer ones, one MRAI round each, so its duration follows the
// depth of the transit hierarchy and the number of upstreams per transit AS (Labovitz et al.,
// "The impact of Internet policy and topology on delayed routing convergence", INFOCOM 2001).
// Measured with the same engine (MRAI 30 s, WRATE), AS32934's /23s withdrawn, time until fewer than
// 5 % of all ASes hold a route: CAIDA 2018 (60k ASes; transit ASes have 2.86 providers on average,
// longest provider chains of 10-30 hops for half the ASes) 343 s, 12.5 best-path changes per AS;
// the former shape here (1-3 providers, all by preferential attachment: mean 1.82, chains mostly
// under 7 hops) 111 s, 4.3 changes, whatever its size (20k ASes: 129 s) or peering density
// (peer links carry no route of a stub attached to tier-1s only). Denser transit-transit peering
// alone changes nothing for such a stub.
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
