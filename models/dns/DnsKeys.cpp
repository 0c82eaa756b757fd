// The dns section's keys, declared once (sim/scenario/Keys.hpp).
#include "models/dns/DnsConfig.hpp"

namespace outagesim::dns {

using sim::key;
using VT = sim::ValueType;

const sim::KeyDecl& dns_section_key() {
  static const sim::KeyDecl k =
      key("dns", VT::Map, "authoritative servers, zones, resolvers, clients and the names they look up")
          .keys(
              "dns", "the DNS world",
              {key("servers", VT::List, "authoritative DNS servers (one id, several anycast sites)")
                   .unique_by("id")
                   .keys("dns server", "an authoritative server",
                         {key("id", VT::String, "the server's id (zones name it)").needed(),
                          key("sites", VT::Strings, "the dns nodes (dns:ID) it answers from")
                              .names("dns")
                              .needed(),
                          key("address", VT::String, "its IPv4 address (route lookups)"),
                          key("capacity", VT::Number, "queries per second a site answers")
                              .with_unit("queries/s")
                              .with_default("100000")
                              .range(1, 1e12)}),
               key("zones", VT::List, "zones, their servers and records")
                   .unique_by("name")
                   .keys("dns zone", "a zone",
                         {key("name", VT::String, "the zone's name (facebook.com)").needed(),
                          key("servers", VT::Strings, "ids of the servers that answer it").needed(),
                          key("ns_ttl", VT::Duration, "TTL of its NS records")
                              .with_unit("s")
                              .with_default("2d")
                              .range(1, sim::kMaxRunSeconds),
                          key("negative_ttl", VT::Duration, "how long a negative answer is cached")
                              .with_unit("s")
                              .with_default("15m")
                              .range(1, sim::kMaxRunSeconds),
                          key("records", VT::List, "its records (one per owner name)")
                              .unique_by("name")
                              .keys("dns record", "a record",
                                    {key("name", VT::String, "owner name, inside the zone").needed(),
                                     key("type", VT::Choice, "record type").one_of({"A", "CNAME"}).needed(),
                                     key("ttl", VT::Duration, "time to live")
                                         .with_unit("s")
                                         .range(1, sim::kMaxRunSeconds)
                                         .needed(),
                                     key("target", VT::String, "the CNAME's target name")})}),
               key("resolvers", VT::List, "recursive resolvers on topology resolver nodes")
                   .unique_by("node")
                   .keys("dns resolver", "a recursive resolver",
                         {key("node", VT::String, "its node (resolver:ID)").names("resolver").needed(),
                          key("group", VT::Choice, "kind of resolver")
                              .one_of({"isp", "public"})
                              .with_default("isp"),
                          key("capacity", VT::Number,
                              "client queries per second it answers (the rest are dropped)")
                              .with_unit("queries/s")
                              .with_default("100000")
                              .range(1, 1e12),
                          key("serve_stale", VT::Bool, "serves expired data when servers are gone (RFC 8767)")
                              .with_default("false"),
                          key("servfail_ttl", VT::Duration,
                              "how long a SERVFAIL is cached (0: not cached; at most 5m, RFC 2308 section 7.1)")
                              .with_unit("s")
                              .with_default("1s")
                              .range(0, 300),
                          key("refetch_delegation", VT::Bool,
                              "asks the parent again for a zone whose NS set failed")
                              .with_default("false"),
                          key("instances", VT::Integer, "independent caches behind the node")
                              .with_default("1")
                              .range(1, 100000)}),
               key("clients", VT::List, "regions' stub clients and the resolvers they use")
                   .unique_by("region")
                   .keys("dns client", "the clients of one region",
                         {key("region", VT::String, "the region (region:ID)").names("region").needed(),
                          key("via", VT::List, "resolvers and the share of queries each gets (add up to 1)")
                              .needed()
                              .keys("dns client 'via' item", "one resolver of the region",
                                    {key("resolver", VT::String, "a dns resolver (resolver:ID)")
                                         .names("resolver")
                                         .needed(),
                                     key("share", VT::Number, "share of the region's queries")
                                         .with_unit("1")
                                         .with_default("1")
                                         .range(0, 1)})}),
               key("names", VT::List, "the names clients look up, and how often")
                   .unique_by("name")
                   .keys("dns name", "a looked-up name",
                         {key("name", VT::String, "the name").needed(),
                          key("rate", VT::Number,
                              "lookups per second per client region when users' demand is absent")
                              .with_unit("queries/s")
                              .range(0, 1e6)
                              .needed()})});
  return k;
}

const std::vector<sim::SignalDecl>& dns_signal_decls() {
  using sim::signal_decl;
  using W = sim::SignatureRule::When;
  static const std::vector<sim::SignalDecl> list = {
      signal_decl("dns.resolution_fail_start", "time", "name", "",
                  "first time at least 50 % of resolutions of the name through the resolvers fail"),
      signal_decl("dns.failure_answer", "set", "name", "",
                  "what failing users get: servfail, timeout, wrong_address, nxdomain"),
      signal_decl("dns.resolution_recovered", "time", "name", "",
                  "first time after the failure that at least 95 % of resolutions succeed again"),
      signal_decl("resolver.query_multiplier_peak", "number", "resolver", "1",
                  "peak query rate at the resolvers over their rate at the same time without the fault"),
      signal_decl("tld.query_multiplier_peak", "number", "name", "1",
                  "same, at the TLD servers, for the name's delegation"),
      // Ten times the normal legitimate load at the authoritative servers: a retry storm.
      signal_decl("auth.query_multiplier_peak", "number", "name", "1",
                  "peak rate of legitimate queries (resolvers' tries and retries) at the name's authoritative "
                  "servers over their normal rate; attack queries are not counted (auth.attack_bps_peak)")
          .signature_when(W::AtLeast, 10, 4),
      // Attack traffic at the servers: evidence of a DDoS itself (a retry storm, above, follows many
      // faults), so it goes before the multipliers among a run's signatures.
      signal_decl("auth.attack_bps_peak", "number", "name", "bit/s",
                  "peak attack traffic sent to the sites of the name's authoritative servers: attack queries "
                  "and junk floods, in bits per second as DDoS reports give it (0: no attack)")
          .signature_when(W::Above, 0, 3),
      signal_decl("dns.retry_amplification", "number", "zone", "1",
                  "peak over 15 min of the zone's query load over its legitimate load (retries)"),
  };
  return list;
}

} // namespace outagesim::dns
