#include "sim/events/EventLog.hpp"

#include <cmath>
#include <cstdio>

namespace outagesim::sim {

std::uint64_t EventLog::emit(Event e) {
  e.id = events_.size() + 1;
  events_.push_back(std::move(e));
  return events_.back().id;
}

std::vector<const Event*> EventLog::chain(std::uint64_t id) const {
  std::vector<const Event*> out;
  while (const Event* e = find(id)) {
    out.push_back(e);
    if (e->cause >= e->id) break; // causes always precede effects
    id = e->cause;
  }
  return out;
}

std::string format_offset(SimTime t) {
  double ms_total = std::round(t * 1000.0);
  long long ms = static_cast<long long>(ms_total);
  long long h = ms / 3600000;
  ms -= h * 3600000;
  long long m = ms / 60000;
  ms -= m * 60000;
  long long s = ms / 1000;
  ms -= s * 1000;
  char buf[48];
  if (ms)
    std::snprintf(buf, sizeof buf, "+%lldh%02lldm%02lld.%03llds", h, m, s, ms);
  else
    std::snprintf(buf, sizeof buf, "+%lldh%02lldm%02llds", h, m, s);
  return buf;
}

std::string event_to_json(const Event& e, std::int64_t start_epoch) {
  nlohmann::ordered_json j;
  j["id"] = e.id;
  j["t"] = std::round(e.time * 1e6) / 1e6;
  j["utc"] = format_utc(double(start_epoch) + e.time);
  j["type"] = e.type;
  j["subject"] = e.subject;
  j["reason"] = e.reason;
  if (e.cause) j["cause"] = e.cause;
  if (!e.data.empty()) j["data"] = e.data;
  return j.dump();
}

std::string event_to_text(const Event& e) {
  std::string s = "#" + std::to_string(e.id) + " " + format_offset(e.time) + " " + e.type + " " + e.subject;
  if (!e.reason.empty()) s += " : " + e.reason;
  if (e.cause) s += " [cause #" + std::to_string(e.cause) + "]";
  return s;
}

} // namespace outagesim::sim
