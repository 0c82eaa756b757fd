// The users section's keys, declared once (sim/scenario/Keys.hpp).
#include "models/users/UsersConfig.hpp"

namespace outagesim::users {

using sim::key;
using VT = sim::ValueType;

const sim::KeyDecl& users_section_key() {
  static const sim::KeyDecl k =
      key("users", VT::Map,
          "people in regions using the services: online users, requests, reports, switching")
          .keys(
              "users", "people in regions using the services",
              {key("regions", VT::Strings, "region ids whose people use the services (default: every region)")
                   .names("region")
                   .each_once(),
               key("diurnal", VT::Numbers, "24 shares of peak activity, one per local hour 0..23")
                   .range(0, 1),
               key("resolvers", VT::List, "how users reach DNS: shares of resolver kinds (add up to 1)")
                   .keys("users resolver", "one kind of resolver and the share of users on it",
                         {key("kind", VT::Choice, "resolver kind").one_of({"isp", "public"}).needed(),
                          key("share", VT::Number, "share of users").with_unit("1").range(0, 1).needed(),
                          key("serve_stale", VT::Bool, "answers from an expired cache when servers are gone")
                              .with_default("false")}),
               key("apps", VT::List, "the apps people use, one per service")
                   .unique_by("service")
                   .keys(
                       "users app", "an app and its users' behaviour",
                       {key("service", VT::String, "the service it uses").names("service").needed(),
                        key("name", VT::String, "display name"),
                        key("adoption", VT::Number, "share of a region's population that uses it")
                            .with_unit("1")
                            .with_default("0.5")
                            .range(0, 1),
                        key("peak_active", VT::Number, "share of adopters online at the busiest hour")
                            .with_unit("1")
                            .with_default("0.3")
                            .range(0, 1),
                        key("requests_per_hour", VT::Number, "requests per online user per hour")
                            .with_unit("1/h")
                            .with_default("36")
                            .range(0, 100000),
                        key("retries", VT::Integer, "retries of a failed request")
                            .with_default("3")
                            .range(0, 100),
                        key("backoff", VT::Duration, "wait before the first retry (doubles per retry)")
                            .with_unit("s")
                            .with_default("2s")
                            .range(0, 86400),
                        key("give_up", VT::Duration, "wait after the last failed retry before trying again")
                            .with_unit("s")
                            .with_default("2m")
                            .range(1, sim::kMaxRunSeconds),
                        key("dns_ttl", VT::Duration, "how long an answer stays in the stub cache")
                            .with_unit("s")
                            .with_default("5m")
                            .range(1, sim::kMaxRunSeconds),
                        key("session", VT::Duration, "mean online session")
                            .with_unit("s")
                            .with_default("20m")
                            .range(1, sim::kMaxRunSeconds),
                        key("report_share", VT::Number, "share of affected users who report the outage")
                            .with_unit("1")
                            .with_default("0.005")
                            .range(0, 1),
                        key("report_delay", VT::Duration, "mean delay before an affected user reports")
                            .with_unit("s")
                            .with_default("20m")
                            .range(1, sim::kMaxRunSeconds),
                        key("switch_share", VT::Number, "share of failing users who switch to an alternative")
                            .with_unit("1")
                            .with_default("0.05")
                            .range(0, 1),
                        key("switch_delay", VT::Duration, "mean wait of a failing user before switching")
                            .with_unit("s")
                            .with_default("1h")
                            .range(1, sim::kMaxRunSeconds),
                        key("return_delay", VT::Duration, "mean time a switched user takes to come back")
                            .with_unit("s")
                            .with_default("2h")
                            .range(1, sim::kMaxRunSeconds),
                        key("bytes_per_request", VT::Number, "bytes a request moves")
                            .with_unit("B")
                            .with_default("250000")
                            .range(0, 1e10)})});
  return k;
}

const std::vector<sim::SignalDecl>& users_signal_decls() {
  static const std::vector<sim::SignalDecl> list = {
      sim::signal_decl("users.reports_total", "number", "service", "1",
                       "outage reports filed by users (a Downdetector-like count: active users who fail and report)"),
      sim::signal_decl("traffic.hijacked_share", "ratio", "service", "1",
                       "peak share of the population whose traffic an unauthorised origin attracts: its requests, "
                       "or its DNS queries for the service's name (a hijack of the name's servers)")
          // Any share at all: traffic went where no authorised origin is (a hijack, an interception
          // included), beside bgp.new_origins (rank 3: which origins; this one: what they attracted).
          .signature_when(sim::SignatureRule::When::Above, 0, 3),
  };
  return list;
}

} // namespace outagesim::users
