#include "sim/explain/RunRecord.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/core/Time.hpp"

namespace outagesim::sim {

namespace {

Mark mark_at(const std::shared_ptr<const std::string>& file, const std::string& text, std::size_t byte,
             int first_line = 1) {
  int line = first_line, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return Mark{file, line, col};
}

std::optional<double> offset_of(const nlohmann::json& v, std::int64_t start_epoch) {
  if (!v.is_string()) return std::nullopt;
  auto e = parse_utc(v.get<std::string>());
  if (!e) return std::nullopt;
  return double(*e - start_epoch);
}

} // namespace

std::optional<nlohmann::json> read_json_file(const std::string& path, const std::string& expected,
                                             Diagnostics& d) {
  auto file = std::make_shared<const std::string>(path);
  std::ifstream in(path);
  if (!in) {
    d.error(Mark{file, 1, 1}, "cannot read the file; expected " + expected);
    return std::nullopt;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    d.error(mark_at(file, text, e.byte ? e.byte - 1 : 0), "not valid JSON; expected " + expected);
    return std::nullopt;
  }
}

std::optional<RunRecord> read_run(const std::string& dir, Diagnostics& d) {
  namespace fs = std::filesystem;
  RunRecord r;
  r.dir = dir;
  std::string summary_path = (fs::path(dir) / "summary.json").string();
  auto summary =
      read_json_file(summary_path, "the summary.json that `outagesim run` writes in its --out folder", d);
  if (!summary) return std::nullopt;
  auto sfile = std::make_shared<const std::string>(summary_path);
  auto bad_summary = [&](const std::string& what) {
    d.error(Mark{sfile, 1, 1}, what + "; expected the summary.json that `outagesim run` writes");
    return std::nullopt;
  };
  if (!summary->is_object()) return bad_summary("not a JSON object");
  r.summary = *summary;
  auto start = summary->contains("start") && (*summary)["start"].is_string()
                   ? parse_utc((*summary)["start"].get<std::string>())
                   : std::nullopt;
  if (!start) return bad_summary("no \"start\" time (UTC)");
  r.start_epoch = *start;
  auto end = summary->contains("end") ? offset_of((*summary)["end"], r.start_epoch) : std::nullopt;
  if (!end) return bad_summary("no \"end\" time (UTC)");
  r.end = *end;
  if (summary->contains("regions")) {
    const auto& regions = (*summary)["regions"];
    if (!regions.is_object()) return bad_summary("\"regions\" is not an object");
    for (const auto& [region, per_service] : regions.items()) {
      auto& services = r.services[region];
      auto& periods = r.outages[region];
      if (!per_service.is_object()) return bad_summary("regions." + region + " is not an object");
      for (const auto& [service, list] : per_service.items()) {
        services.push_back(service);
        if (!list.is_array()) return bad_summary("regions." + region + "." + service + " is not a list");
        for (const auto& p : list) {
          auto s = p.is_object() && p.contains("start") ? offset_of(p["start"], r.start_epoch) : std::nullopt;
          if (!s)
            return bad_summary("an outage period of regions." + region + "." + service + " has no start");
          OutagePeriod op{service, *s, r.end, true};
          if (p.contains("end") && !p["end"].is_null()) {
            auto e = offset_of(p["end"], r.start_epoch);
            if (!e)
              return bad_summary("an outage period of regions." + region + "." + service + " has a bad end");
            op.end = *e;
          } else {
            op.recovered = false;
          }
          periods.push_back(op);
        }
      }
      std::stable_sort(periods.begin(), periods.end(),
                       [](const OutagePeriod& a, const OutagePeriod& b) { return a.start < b.start; });
    }
  }

  std::string events_path = (fs::path(dir) / "events.jsonl").string();
  auto efile = std::make_shared<const std::string>(events_path);
  std::ifstream in(events_path);
  if (!in) {
    d.error(Mark{efile, 1, 1}, "cannot read the file; expected the events.jsonl that `outagesim run` writes");
    return std::nullopt;
  }
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      d.error(Mark{efile, lineno, int(e.byte ? e.byte : 1)},
              "not valid JSON; expected one event object per line");
      return std::nullopt;
    }
    auto want = [&](const char* key, bool number) {
      return j.is_object() && j.contains(key) && (number ? j[key].is_number() : j[key].is_string());
    };
    if (!want("id", true) || !want("t", true) || !want("utc", false) || !want("type", false) ||
        !want("subject", false)) {
      d.error(Mark{efile, lineno, 1},
              "not an event; expected an object with id, t, utc, type, subject, reason, cause");
      return std::nullopt;
    }
    RecordedEvent e;
    e.id = j["id"].get<std::uint64_t>();
    e.t = j["t"].get<double>();
    e.utc = j["utc"].get<std::string>();
    e.type = j["type"].get<std::string>();
    e.subject = j["subject"].get<std::string>();
    if (j.contains("reason") && j["reason"].is_string()) e.reason = j["reason"].get<std::string>();
    if (j.contains("cause") && j["cause"].is_number_unsigned()) e.cause = j["cause"].get<std::uint64_t>();
    if (j.contains("data") && j["data"].is_object() && j["data"].contains("service") &&
        j["data"]["service"].is_string())
      e.service = j["data"]["service"].get<std::string>();
    if (e.id != r.events.size() + 1) {
      d.error(Mark{efile, lineno, 1}, "event id " + std::to_string(e.id) + " out of order; expected " +
                                          std::to_string(r.events.size() + 1) + " (ids count up from 1)");
      return std::nullopt;
    }
    if (e.cause >= e.id) {
      d.error(Mark{efile, lineno, 1}, "event #" + std::to_string(e.id) + " names a cause (#" +
                                          std::to_string(e.cause) + ") that does not come before it");
      return std::nullopt;
    }
    r.events.push_back(std::move(e));
  }
  return r;
}

int event_polarity(const std::string& type) {
  static const std::set<std::string> failure = {
      "lost",        "down",      "fail",       "failed",  "failure",   "start",   "started",
      "dark",        "withdrawn", "withdraw",   "blocked", "congested", "crash",   "crashed",
      "unreachable", "degraded",  "broken",     "timeout", "deleted",   "removed", "poisoned",
      "hijacked",    "leaked",    "overloaded", "stopped"};
  static const std::set<std::string> recovery = {"restored",    "up",      "recovered", "end",     "ended",
                                                 "announced",   "cleared", "back",      "restore", "works",
                                                 "reconnected", "resumed", "healthy"};
  std::string last = type.substr(type.rfind('.') == std::string::npos ? 0 : type.rfind('.') + 1);
  int p = 0;
  std::size_t i = 0;
  while (i <= last.size()) {
    std::size_t j = last.find('_', i);
    if (j == std::string::npos) j = last.size();
    std::string word = last.substr(i, j - i);
    if (recovery.count(word)) p = -1; // "restore_failed" reads by its last word
    if (failure.count(word)) p = 1;
    i = j + 1;
  }
  return p;
}

std::string clock_of(const std::string& utc, const std::string& day) {
  // "2021-10-04T15:39:00.250Z"
  if (utc.size() < 20 || utc[10] != 'T') return utc;
  std::string clock = utc.substr(11, utc.size() - 12);
  if (!day.empty() && utc.compare(0, 10, day) != 0) return utc.substr(0, 10) + " " + clock;
  return clock;
}

} // namespace outagesim::sim
