// The bgp section's keys, declared once (sim/scenario/Keys.hpp).
#include "models/bgp/BgpConfig.hpp"

namespace outagesim::bgp {

using sim::key;
using VT = sim::ValueType;

namespace {
constexpr double kMaxAsn = 4294967295.0;
sim::KeyDecl asn_key(const char* name, const char* doc) {
  return key(name, VT::Integer, doc).range(1, kMaxAsn).names("as");
}
} // namespace

const sim::KeyDecl& bgp_section_key() {
  static const sim::KeyDecl k =
      key("bgp", VT::Map,
          "the inter-domain routing world: AS graph, prefixes and their origins, vantage points")
          .keys(
              "bgp", "the BGP world",
              {key("topology", VT::Map, "where the AS graph comes from (one of synthetic, caida)")
                   .keys("bgp.topology", "the AS graph's source",
                         {key("synthetic", VT::Map, "a generated Internet-like AS graph")
                              .keys("bgp.topology.synthetic", "a generated AS graph",
                                    {key("ases", VT::Integer, "number of ASes").range(2, 200000).needed(),
                                     key("seed", VT::Integer, "generator seed")
                                         .with_default("1")
                                         .range(0, kMaxAsn)}),
                          key("caida", VT::String,
                              "a CAIDA as-rel file (.txt or .bz2), relative to the scenario")}),
               key("links", VT::List, "inline AS relationships (added to the topology's)")
                   .keys("bgp.links item", "one AS relationship",
                         {asn_key("a", "one AS").needed(), asn_key("b", "the other AS").needed(),
                          key("rel", VT::Choice, "what b is to a")
                              .one_of({"customer", "provider", "peer", "sibling"})
                              .needed(),
                          key("delay", VT::Duration, "propagation delay of the session")
                              .with_unit("s")
                              .range(0, 60)}),
               key("prefixes", VT::List, "announced prefixes and the ASes (sites) that originate them")
                   .unique_by("prefix")
                   .keys(
                       "bgp.prefixes item", "one prefix",
                       {key("prefix", VT::String, "an IPv4 prefix a.b.c.d/len (129.134.30.0/23)").needed(),
                        key("origins", VT::List, "origin ASes: an AS number, or {as, site} for anycast sites")
                            .needed()
                            .or_also(VT::Integer)
                            .keys("bgp.prefixes origin", "one origin site",
                                  {asn_key("as", "the origin AS").needed(),
                                   key("site", VT::String, "the site's name (default: the AS number)")})}),
               key("vantages", VT::Map, "route collectors' peers: AS numbers, or {count, seed} to draw them")
                   .or_also(VT::Integers)
                   .names("as")
                   .keys("bgp.vantages", "vantage points drawn at random",
                         {key("count", VT::Integer, "how many").range(1, 100000).needed(),
                          key("seed", VT::Integer, "draw seed").range(0, kMaxAsn)}),
               key("victims", VT::Integers, "ASes whose reachability is followed")
                   .range(1, kMaxAsn)
                   .names("as"),
               key("policies", VT::List, "routing policy changes of one AS")
                   .keys("bgp.policies item", "one policy",
                         {asn_key("as", "the AS applying it").needed(),
                          asn_key("neighbor", "the neighbour it applies to (needed for local_pref)"),
                          key("local_pref", VT::Integer, "LOCAL_PREF of routes from the neighbour")
                              .range(0, 65535),
                          key("prepend", VT::Integer, "times the AS prepends itself on export").range(0, 32),
                          key("export", VT::Bool, "export routes the valley-free rule would not")}),
               key("roas", VT::List, "RPKI route origin authorisations (RFC 6811)")
                   .keys("bgp.roas item", "one ROA",
                         {key("prefix", VT::String, "the authorised IPv4 prefix a.b.c.d/len").needed(),
                          asn_key("origin", "the AS allowed to originate it").needed(),
                          key("max_length", VT::Integer,
                              "longest prefix length covered (default: the prefix's)")
                              .range(0, 32)}),
               key("import", VT::List, "import policies of an AS: route origin validation, filters, limits")
                   .keys(
                       "bgp.import item", "one AS's import policy",
                       {asn_key("as", "the AS applying it").needed(),
                        asn_key("neighbor", "the one session max_prefix applies to (default: every session)"),
                        key("rov", VT::Choice, "drop RPKI-invalid routes, or accept them all")
                            .one_of({"drop_invalid", "accept_all"}),
                        key("customer_filter", VT::Bool, "accept from customers only prefixes of their cone"),
                        key("max_prefix", VT::Integer, "prefixes a session may send before it is torn down")
                            .range(1, 100000000)}),
               key("rov_adoption", VT::Map, "seeded share of ASes per tier that drop RPKI-invalid routes")
                   .keys("bgp.rov_adoption", "ROV adoption by tier",
                         {key("tier1", VT::Number, "share of tier-1 ASes (no provider)")
                              .with_unit("1")
                              .with_default("0")
                              .range(0, 1),
                          key("transit", VT::Number, "share of transit ASes")
                              .with_unit("1")
                              .with_default("0")
                              .range(0, 1),
                          key("stub", VT::Number, "share of stub ASes (no customer)")
                              .with_unit("1")
                              .with_default("0")
                              .range(0, 1),
                          key("seed", VT::Integer, "draw seed (independent of the run seed)")
                              .range(0, kMaxAsn)}),
               key("transit_capacity", VT::List, "capacity of transit ASes, for the transit load signal")
                   .unique_by("as")
                   .keys("bgp.transit_capacity item", "one AS's capacity",
                         {asn_key("as", "the AS").needed(),
                          key("capacity", VT::Bandwidth, "its capacity").with_unit("bit/s").needed()})});
  return k;
}

const std::vector<sim::SignalDecl>& bgp_signal_decls() {
  using sim::signal_decl;
  using W = sim::SignatureRule::When;
  static const std::vector<sim::SignalDecl> list = {
      signal_decl("bgp.withdrawal_burst_start", "time", "as", "",
                  "first withdrawal of the subject AS's prefix seen by a vantage (route-collector) AS"),
      signal_decl("bgp.burst_kind", "set", "as", "",
                  "kinds of change seen for the victim's prefixes in the first 30 min: withdrawal, "
                  "announcement, path_change"),
      // An origin that is not the prefix's: a hijack.
      signal_decl("bgp.new_origins", "set", "prefix", "",
                  "ASes other than the legitimate origins that originate the prefix (or a more-specific)")
          .signature_when(W::NonEmpty, 0, 3),
      signal_decl("bgp.prefix_gone", "time", "prefix", "",
                  "first time fewer than 5 % of vantage ASes hold any route to the prefix"),
      signal_decl("bgp.prefix_stays_visible", "bool", "prefix", "",
                  "at least 95 % of vantage ASes hold a route to the prefix at all times"),
      // Any vantage on a valley path: a route leak.
      signal_decl("bgp.valley_paths", "number", "as", "1",
                  "peak count of vantage ASes whose best path to a victim prefix violates valley-free export")
          .signature_when(W::Above, 0, 1),
      signal_decl("bgp.reannounce_start", "time", "as|prefix", "",
                  "first announcement of a withdrawn victim prefix after bgp.prefix_gone (per victim AS: "
                  "its first prefix back; per prefix)"),
      // A transit AS that delivered less than it was offered: overload (a leak's, or an attack's).
      signal_decl("bgp.transit_delivered_min", "ratio", "as", "1",
                  "lowest share of its offered traffic a transit AS with declared capacity delivered")
          .signature_when(W::Below, 1, 2),
  };
  return list;
}

} // namespace outagesim::bgp
