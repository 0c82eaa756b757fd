#include "models/dns/SiteReach.hpp"

#include <algorithm>

#include "models/dns/RouteReach.hpp"

namespace outagesim::dns {

Reach reach_site(const SiteReachInput& in) {
  Reach out;
  if (!in.site_up) {
    out.reason = "site " + in.site_path + " is down";
    out.cause = in.site_change;
    return out;
  }
  if (in.route) return reach_over_route(*in.route, in.site_asn, in.site_path, in.latency, in.withdrawn);
  if (in.withdrawn) {
    out.reason = "site " + in.site_path + " withdrew its anycast announcement";
    out.cause = *in.withdrawn;
    return out;
  }
  if (in.latency) {
    out.ok = true;
    out.latency = *in.latency;
    return out;
  }
  out.reason = "no path";
  if (!in.cut.empty())
    out.reason += "; cut off by " + in.cut.front().first + (in.cut.size() > 1 ? " and others" : "");
  for (const auto& [path, cause] : in.cut)
    out.cause = std::max(out.cause, cause);
  return out;
}

} // namespace outagesim::dns
