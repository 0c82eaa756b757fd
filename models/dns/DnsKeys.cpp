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
                              .with_default("2d"),
                          key("negative_ttl", VT::Duration, "how long a negative answer is cached")
                              .with_unit("s")
                              .with_default("15m"),
                          key("records", VT::List, "its records")
                              .keys("dns record", "a record",
                                    {key("name", VT::String, "owner name, inside the zone").needed(),
                                     key("type", VT::Choice, "record type").one_of({"A", "CNAME"}).needed(),
                                     key("ttl", VT::Duration, "time to live").with_unit("s").needed(),
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
                          key("servfail_ttl", VT::Duration, "how long a SERVFAIL is cached (0: not cached)")
                              .with_unit("s")
                              .with_default("1s"),
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

} // namespace outagesim::dns
