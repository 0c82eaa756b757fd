// DnsCore, tracing: the texts of failure reasons and dns.trace events.
#include "models/dns/DnsCore.hpp"


#include "sim/events/EventLog.hpp"
#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

std::string DnsCore::reason_text(const Why& w) const {
  std::string text = names_[w.name].name + ": ";
  if (w.expired >= 0)
    text += "cached " + names_[std::size_t(w.expired)].name + " (TTL " + sim::format_duration(w.ttl) +
            ") expired at " + sim::format_offset(w.until) + "; ";
  return text + w.reason;
}

void DnsCore::trace(std::size_t r, std::size_t d, double t, const Plan& p, std::vector<std::string>& steps) {
  // The story without its timings: a new event only when the outcome or its reason changes.
  std::string key, outcome;
  if (p.p >= 1 - kEps) {
    key = std::string("answer ") + answer_name(p.rcode);
    outcome = key + " after " + ms_text(p.lat_ok);
  } else if (p.p <= kEps) {
    key = "SERVFAIL";
    outcome = key + " after " + ms_text(p.lat_fail);
  } else {
    key = "answers " + std::to_string(int(std::lround(100 * p.p))) + " % of tries, SERVFAIL otherwise";
    outcome = key;
  }
  if (!p.reason.empty()) {
    key += ": " + p.reason;
    outcome += ": " + p.reason;
  }
  if (key == trace_last_[r]) return;
  trace_last_[r] = key;
  steps.push_back(outcome);
  DnsEvent e{t, "dns.trace", config_.resolvers[r].node, config_.names[d].name, outcome, p.cause, {}};
  e.steps = std::move(steps);
  events_.push_back(std::move(e));
}

} // namespace outagesim::dns
