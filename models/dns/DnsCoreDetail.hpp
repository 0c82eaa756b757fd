#pragma once
// Small helpers shared by the pieces of DnsCore (DnsCore*.cpp): tolerances, answer mixes and the
// texts of events and traces. Internal to the DNS model.
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "models/dns/DnsConfig.hpp"
#include "models/dns/ResolverCache.hpp"

namespace outagesim::dns::detail {

inline constexpr double kEps = 1e-9;
inline constexpr int kMaxChain = 12;

inline bool in_zone(const std::string& name, const std::string& zone) {
  if (name == zone) return true;
  return name.size() > zone.size() && name.compare(name.size() - zone.size(), zone.size(), zone) == 0 &&
         name[name.size() - zone.size() - 1] == '.';
}

inline void add_answer(std::array<double, kAnswerKinds>& out, Answer a, double count) {
  out[static_cast<std::size_t>(a)] += count;
}

// "300 Gbps", "1.5 Mbps": three significant digits at most.
inline std::string bps_text(double bps) {
  static const std::pair<double, const char*> units[] = {
      {1e12, "Tbps"}, {1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "kbps"}, {1, "bps"}};
  for (const auto& [scale, unit] : units)
    if (bps >= scale || scale == 1) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g %s", bps / scale, unit);
      return buf;
    }
  return "";
}

inline std::string percent_text(double share) {
  return std::to_string(static_cast<int>(std::lround(100 * share))) + " %";
}

inline std::string ms_text(double seconds) {
  return std::to_string(static_cast<long>(std::lround(seconds * 1000))) + " ms";
}

// The commonest failing answer of a mix (SERVFAIL on ties).
inline Answer worst_failure(const std::array<double, kAnswerKinds>& out) {
  Answer worst = Answer::ServFail;
  for (Answer a : {Answer::Timeout, Answer::NxDomain, Answer::WrongAddress})
    if (out[static_cast<std::size_t>(a)] > out[static_cast<std::size_t>(worst)]) worst = a;
  return worst;
}

} // namespace outagesim::dns::detail
