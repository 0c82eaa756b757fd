// The facilities section's keys, declared once (sim/scenario/Keys.hpp).
#include "models/datacenter/FacilitiesConfig.hpp"

namespace outagesim::datacenter {

using sim::key;
using VT = sim::ValueType;

namespace {
// The largest campuses draw about a gigawatt; five is beyond any one datacenter.
constexpr double kMaxDatacenterMw = 5000;
} // namespace

const sim::KeyDecl& facilities_section_key() {
  static const sim::KeyDecl k =
      key("facilities", VT::Map, "datacenters (capacity, power, restart) and the sites that front them")
          .keys(
              "facilities", "datacenters and sites",
              {key("load", VT::Number, "share of the datacenters' capacity the normal load uses")
                   .with_unit("1")
                   .with_default("0.6")
                   .range(0, 1),
               key("datacenters", VT::List, "datacenters that serve the services")
                   .unique_by("dc")
                   .keys("facilities datacenter", "one datacenter",
                         {key("dc", VT::String, "the topology datacenter (dc:ID)").names("dc").needed(),
                          key("capacity", VT::Number, "requests per second at full utilisation, warm caches")
                              .with_unit("requests/s")
                              .range(1, 1e12)
                              .needed(),
                          key("idle_mw", VT::Number, "power draw with no load")
                              .with_unit("MW")
                              .with_default("10")
                              .range(0, kMaxDatacenterMw),
                          key("peak_mw", VT::Number, "power draw at full utilisation")
                              .with_unit("MW")
                              .with_default("30")
                              .range(0, kMaxDatacenterMw),
                          key("restart", VT::Choice, "how it comes back after a crash")
                              .one_of({"all_at_once", "staged_fraction", "staged_region"})
                              .with_default("staged_fraction"),
                          key("stages", VT::Integer, "steps of a staged restart")
                              .with_default("4")
                              .range(1, 1000),
                          key("stage_interval", VT::Duration, "time between two restart steps")
                              .with_unit("s")
                              .with_default("10m")
                              .range(1, sim::kMaxRunSeconds),
                          key("warmup", VT::Duration, "time constant of cache warm-up while serving")
                              .with_unit("s")
                              .with_default("15m")
                              .range(1, sim::kMaxRunSeconds),
                          key("cache_decay", VT::Duration, "time constant of cache cooling while dark")
                              .with_unit("s")
                              .with_default("1h")
                              .range(1, sim::kMaxRunSeconds),
                          key("cold_cost", VT::Number,
                              "work of a request on a cold cache relative to a warm one")
                              .with_unit("1")
                              .with_default("3")
                              .range(1, 1000),
                          key("region_order", VT::Strings,
                              "regions in the order a staged_region restart serves them")
                              .names("region")}),
               key("sites", VT::List,
                   "sites (DNS or edge) that health-check datacenters and announce prefixes")
                   .unique_by("id")
                   .keys(
                       "facilities site", "one site",
                       {key("id", VT::String, "the site's id").needed(),
                        key("node", VT::String, "the topology node it runs on (KIND:ID)")
                            .names("node")
                            .needed(),
                        key("role", VT::Choice, "answers the services' names (dns) or fronts them (edge)")
                            .one_of({"dns", "edge"})
                            .needed(),
                        key("services", VT::Strings, "service ids it answers or fronts")
                            .names("service")
                            .needed(),
                        key("checks", VT::Strings, "datacenters its health check needs to reach (dc:ID)")
                            .names("dc"),
                        key("checks_answers", VT::Bool,
                            "a dns site's check also asks its servers and fails on a wrong answer (SERVFAIL, "
                            "REFUSED, none, a wrong address)")
                            .with_default("false"),
                        key("interval", VT::Duration, "health-check interval")
                            .with_unit("s")
                            .with_default("10s")
                            .range(0.1, 86400),
                        key("fail_after", VT::Integer, "failed checks before it withdraws")
                            .with_default("3")
                            .range(1, 1000),
                        key("recover_after", VT::Integer, "good checks before it announces again")
                            .with_default("3")
                            .range(1, 1000),
                        key("prefix", VT::String, "the IPv4 prefix it announces (a.b.c.d/len)"),
                        key("prefixes", VT::Strings, "several prefixes it announces (instead of prefix)"),
                        key("address", VT::String, "an IPv4 address of the site (route lookups)"),
                        key("origin", VT::String, "the BGP origin site name of its announcements"),
                        key("internal", VT::Strings, "link kinds that count as the operator's own network")
                            .with_default("[backbone, internal]")})});
  return k;
}

const std::vector<sim::SignalDecl>& datacenter_signal_decls() {
  static const std::vector<sim::SignalDecl> list = {
      sim::signal_decl("dc.power_dip", "number", "datacenter", "MW",
                       "largest drop in datacenter power draw (one datacenter, or all)"),
  };
  return list;
}

} // namespace outagesim::datacenter
