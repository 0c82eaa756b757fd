#include "models/bgp/TransitLoad.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace outagesim::bgp {

std::string format_bps(double bps) {
  static const std::pair<double, const char*> kUnits[] = {
      {1e12, "Tbps"}, {1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "kbps"}, {1, "bps"}};
  for (const auto& [scale, unit] : kUnits)
    if (std::fabs(bps) >= scale || scale == 1) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3g %s", bps / scale, unit);
      return buf;
    }
  return "0 bps";
}

bool TransitLoad::advance(double t) {
  if (!open_ || t <= tick_) return false;
  previous_.swap(current_);
  // current_ holds the tick closed before: does delivery() read anything else now?
  for (const auto& [asn, cap] : capacity_) {
    auto was = current_.find(asn), now = previous_.find(asn);
    const double a = was == current_.end() ? 0 : was->second, b = now == previous_.end() ? 0 : now->second;
    if ((a > cap || b > cap) && a != b) {
      ++delivery_version_;
      break;
    }
  }
  current_.clear();
  texts_.clear();
  open_ = false;
  return true;
}

bool TransitLoad::offer(double t, const std::vector<Asn>& path, double bits_per_s) {
  const bool closed = advance(t);
  if (!open_) {
    open_ = true;
    tick_ = t;
  }
  if (capacity_.empty() || path.size() < 3 || !(bits_per_s > 0)) return closed;
  for (std::size_t i = 1; i + 1 < path.size(); ++i)
    if (capacity_.count(path[i])) current_[path[i]] += bits_per_s;
  return closed;
}

TransitLoad::Congestion TransitLoad::congestion(Asn asn) const {
  Congestion c;
  auto cap = capacity_.find(asn);
  if (cap == capacity_.end()) return c;
  c.capacity_bps = cap->second;
  if (auto it = previous_.find(asn); it != previous_.end()) c.load_bps = it->second;
  if (c.load_bps > c.capacity_bps) c.delivered = c.capacity_bps / c.load_bps;
  return c;
}

TransitLoad::Delivery TransitLoad::delivery(const std::vector<Asn>& path) const {
  Delivery d;
  if (capacity_.empty()) return d;
  for (std::size_t i = 1; i + 1 < path.size(); ++i) {
    // An AS listed twice (prepends are not in data-plane paths, but be safe) counts once.
    if (std::find(path.begin() + 1, path.begin() + static_cast<std::ptrdiff_t>(i), path[i]) !=
        path.begin() + static_cast<std::ptrdiff_t>(i))
      continue;
    const Congestion c = congestion(path[i]);
    if (c.delivered >= 1) continue;
    d.delivered *= c.delivered;
    // The text of an AS is the same for every path of the closed tick: formatted once per tick.
    auto text = texts_.find(path[i]);
    if (text == texts_.end())
      text = texts_
                 .emplace(path[i], "AS" + std::to_string(path[i]) + " congested: " + format_bps(c.load_bps) +
                                       " offered to " + format_bps(c.capacity_bps))
                 .first;
    if (!d.reason.empty()) d.reason += "; ";
    d.reason += text->second;
  }
  return d;
}

} // namespace outagesim::bgp
