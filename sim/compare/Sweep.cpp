#include "sim/compare/Sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/compare/Score.hpp"
#include "sim/core/Time.hpp"
#include "sim/run/Output.hpp"

namespace outagesim::sim {
namespace fs = std::filesystem;

namespace {

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    std::size_t at = s.find(sep, from);
    out.push_back(s.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) return out;
    from = at + 1;
  }
}

std::optional<double> plain_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A CSV cell: quoted when it holds a comma, a quote or a line break (quotes doubled).
std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s)
    o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

// "2021-10-04T15:39:00Z" or "...:00.250Z" as seconds since the Unix epoch.
std::optional<double> utc_seconds(const std::string& text) {
  std::size_t dot = text.find('.');
  if (dot == std::string::npos) {
    auto v = parse_utc(text);
    return v ? std::optional<double>(double(*v)) : std::nullopt;
  }
  auto whole = parse_utc(text.substr(0, dot) + "Z");
  if (!whole || text.back() != 'Z') return std::nullopt;
  auto frac = plain_number("0" + text.substr(dot, text.size() - dot - 1));
  if (!frac) return std::nullopt;
  return double(*whole) + *frac;
}

// One measure (a column): the score, or a signal of one subject.
struct Measure {
  std::string name; ///< column name: score, outage.duration[service:x]
  std::string id, subject;
  std::string kind; ///< signal kind (time, duration, ratio, number, bool, set); "score"
};

int measure_rank(const std::string& id) {
  if (id == "outage.duration") return 0;
  if (id == "regions.fraction_down_at_peak") return 1;
  return 2;
}

// The text of one signal value in sweep.csv, and its number for the per-point summary (times as
// epoch seconds, bools 0/1; none for sets and "never").
std::pair<std::string, std::optional<double>> value_of(const nlohmann::json& v, const std::string& kind) {
  if (v.is_null()) return {"never", std::nullopt};
  if (v.is_boolean()) return {v.get<bool>() ? "true" : "false", v.get<bool>() ? 1.0 : 0.0};
  if (v.is_number()) return {num(v.get<double>()), v.get<double>()};
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (kind == "time") return {s, utc_seconds(s)};
    return {s, plain_number(s)};
  }
  if (v.is_array()) {
    std::string s;
    for (const auto& e : v)
      s += (s.empty() ? "" : ";") + (e.is_string() ? e.get<std::string>() : e.dump());
    return {s, std::nullopt};
  }
  return {v.dump(), std::nullopt};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

std::optional<VaryAxis> parse_vary(const std::string& text, std::string& error, std::size_t max_values) {
  std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    error = "'" + text + "' is not KEY=VALUES; expected KEY=V1,V2,... or KEY=FROM..TO:STEP";
    return std::nullopt;
  }
  VaryAxis axis;
  axis.key = text.substr(0, eq);
  for (const auto& k : split(axis.key, '+'))
    if (k.empty()) {
      error = "'" + axis.key + "' has an empty key; expected KEY or KEY1+KEY2 (keys set to the same values)";
      return std::nullopt;
    }
  std::string values = text.substr(eq + 1);
  std::size_t dots = values.find("..");
  if (dots != std::string::npos && values.find(',') == std::string::npos) {
    std::size_t colon = values.find(':', dots);
    std::string from = values.substr(0, dots);
    std::string to =
        values.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2);
    std::string step = colon == std::string::npos ? "" : values.substr(colon + 1);
    auto a = plain_number(from), b = plain_number(to), s = plain_number(step);
    bool durations = false;
    if (!a || !b || !s) {
      auto da = parse_duration(from), db = parse_duration(to), ds = parse_duration(step);
      if (da && db && ds && !plain_number(step)) {
        a = da, b = db, s = ds;
        durations = true;
      } else {
        error = "range '" + values + "' of " + axis.key +
                " is not FROM..TO:STEP; expected numbers (0..1:0.25) or durations with units (1m..10m:3m)";
        return std::nullopt;
      }
    }
    if (!(*s > 0) || *b < *a) {
      error =
          "range '" + values + "' of " + axis.key + " goes nowhere; expected FROM <= TO and a STEP above 0";
      return std::nullopt;
    }
    double n = std::floor((*b - *a) / *s + 1e-9);
    if (n + 1 > double(max_values)) {
      error = "range '" + values + "' of " + axis.key + " has " + num(n + 1) + " values; expected at most " +
              std::to_string(max_values);
      return std::nullopt;
    }
    for (long i = 0; i <= long(n); ++i) {
      double v = *a + double(i) * *s;
      if (std::fabs(v) < 1e-12 * std::max(1.0, std::fabs(*s))) v = 0;
      // Twelve significant digits: 0..1:0.1 gives 0.3, not 0.30000000000000004.
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.12g", v);
      axis.values.push_back(durations ? format_duration(std::stod(buf)) : std::string(buf));
    }
    return axis;
  }
  axis.values = split(values, ',');
  std::set<std::string> seen;
  for (const auto& v : axis.values) {
    if (v.empty()) {
      error =
          "an empty value in '" + values + "' of " + axis.key + "; expected V1,V2,... without empty items";
      return std::nullopt;
    }
    if (!seen.insert(v).second) {
      error = "value '" + v + "' of " + axis.key + " is given twice; expected each value once";
      return std::nullopt;
    }
  }
  if (axis.values.size() > max_values) {
    error = axis.key + " has " + std::to_string(axis.values.size()) + " values; expected at most " +
            std::to_string(max_values);
    return std::nullopt;
  }
  return axis;
}

std::vector<std::vector<std::string>> sweep_points(const std::vector<VaryAxis>& axes) {
  std::vector<std::vector<std::string>> points = {{}};
  for (const auto& axis : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& p : points)
      for (const auto& v : axis.values) {
        auto q = p;
        for (const auto& k : split(axis.key, '+'))
          q.push_back(k + "=" + v);
        next.push_back(q);
      }
    points = next;
  }
  return points;
}

SweepResult run_sweep(const SweepOptions& o, const ObservedRecord* observed, const std::vector<bool>& valid) {
  SweepResult result;
  auto points = sweep_points(o.axes);
  const int width = points.size() >= 1000 ? int(std::to_string(points.size()).size()) : 3;
  std::vector<std::string> point_ids;
  for (std::size_t p = 0; p < points.size(); ++p) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "p%0*zu", width, p + 1);
    point_ids.push_back(buf);
  }

  // The value of each axis at each point (the first axis slowest).
  std::vector<std::vector<std::string>> point_values(points.size());
  for (std::size_t p = 0, stride = points.size(); p < points.size(); ++p, stride = points.size())
    for (const auto& axis : o.axes) {
      stride /= axis.values.size();
      point_values[p].push_back(axis.values[(p / stride) % axis.values.size()]);
    }
  std::vector<RunSpec> specs;
  std::vector<std::pair<std::size_t, int>> spec_of; // (point, seed)
  for (std::size_t p = 0; p < points.size(); ++p) {
    if (!valid[p]) continue;
    for (int s = 1; s <= o.seeds; ++s) {
      RunSpec spec;
      // "KEY=VALUE ..." per axis; a KEY1+KEY2 axis shown as "KEY1+1 more".
      std::string values;
      for (std::size_t a = 0; a < o.axes.size(); ++a) {
        auto keys = split(o.axes[a].key, '+');
        std::string key =
            keys.size() > 1 ? keys[0] + "+" + std::to_string(keys.size() - 1) + " more" : keys[0];
        values += (a ? " " : "") + key + "=" + point_values[p][a];
      }
      spec.label = point_ids[p] + " (" + values + ") seed " + std::to_string(s);
      spec.scenario = o.scenario;
      spec.sets = o.sets;
      spec.sets.insert(spec.sets.end(), points[p].begin(), points[p].end());
      spec.seed = s;
      spec.dir = (fs::path(o.out) / "runs" / point_ids[p] / ("seed-" + std::to_string(s))).string();
      specs.push_back(spec);
      spec_of.emplace_back(p, s);
    }
  }
  RunnerOptions runner = o.runner;
  runner.tool = "sweep";
  std::vector<RunOutcome> outcomes = run_all(specs, runner);
  if (Cluster::rank() != 0) { // an MPI rank other than 0: rank 0 writes
    result.root = false;
    return result;
  }

  // Parse every summary; collect the measures (columns) over all runs, in a fixed order.
  std::vector<nlohmann::json> summaries(specs.size());
  std::map<std::pair<std::string, std::string>, std::string> kinds; // (id, subject) -> kind
  for (std::size_t k = 0; k < specs.size(); ++k) {
    if (outcomes[k].status != RunStatus::Ok) continue;
    try {
      summaries[k] = nlohmann::json::parse(outcomes[k].summary);
    } catch (const std::exception&) {
      outcomes[k].status = RunStatus::Failed;
      outcomes[k].detail = "its summary.json is not valid JSON";
      std::fprintf(stderr, "sweep: %s: %s\n", specs[k].label.c_str(), outcomes[k].detail.c_str());
      continue;
    }
    if (!summaries[k].contains("signals") || !summaries[k]["signals"].is_object()) continue;
    for (const auto& [id, by_subject] : summaries[k]["signals"].items())
      if (by_subject.is_object())
        for (const auto& [subject, sv] : by_subject.items())
          kinds[{id, subject}] = sv.is_object() && sv.contains("kind") && sv["kind"].is_string()
                                     ? sv["kind"].get<std::string>()
                                     : "";
  }
  std::vector<Measure> measures;
  if (observed) measures.push_back({"score", "", "", "score"});
  std::vector<Measure> signal_measures;
  for (const auto& [key, kind] : kinds)
    signal_measures.push_back({key.first + "[" + key.second + "]", key.first, key.second, kind});
  std::stable_sort(signal_measures.begin(), signal_measures.end(), [](const Measure& a, const Measure& b) {
    return measure_rank(a.id) < measure_rank(b.id);
  });
  measures.insert(measures.end(), signal_measures.begin(), signal_measures.end());

  // sweep.csv: one row per point and seed.
  std::string head = "point";
  for (const auto& axis : o.axes)
    head += "," + cell(axis.key);
  head += ",seed,status";
  std::string sweep = head;
  for (const auto& m : measures)
    sweep += "," + cell(m.name);
  sweep += "\n";
  // values[point][measure] -> numbers over the seeds that computed them
  std::vector<std::vector<std::vector<double>>> numbers(points.size(),
                                                        std::vector<std::vector<double>>(measures.size()));
  std::vector<int> ok_runs(points.size(), 0);
  auto point_cells = [&](std::size_t p) {
    std::string s = point_ids[p];
    for (const auto& v : point_values[p])
      s += "," + cell(v);
    return s;
  };
  std::size_t k = 0;
  for (std::size_t p = 0; p < points.size(); ++p) {
    if (!valid[p]) {
      ++result.points_invalid;
      for (int s = 1; s <= o.seeds; ++s) {
        sweep += point_cells(p) + "," + std::to_string(s) + ",invalid";
        sweep += std::string(measures.size(), ',') + "\n";
      }
      continue;
    }
    for (; k < specs.size() && spec_of[k].first == p; ++k) {
      const RunOutcome& r = outcomes[k];
      sweep += point_cells(p) + "," + std::to_string(spec_of[k].second) + "," + status_name(r.status);
      if (r.status != RunStatus::Ok) {
        ++result.runs_failed;
        sweep += std::string(measures.size(), ',') + "\n";
        continue;
      }
      ++result.runs_ok;
      ++ok_runs[p];
      const nlohmann::json& summary = summaries[k];
      for (std::size_t m = 0; m < measures.size(); ++m) {
        const Measure& me = measures[m];
        std::string text;
        std::optional<double> v;
        if (me.kind == "score") {
          double total = score_run(summary, *observed).total;
          char buf[24];
          std::snprintf(buf, sizeof buf, "%.3f", total);
          text = buf;
          v = std::stod(buf);
        } else {
          const auto& sig = summary["signals"];
          if (sig.contains(me.id) && sig[me.id].is_object() && sig[me.id].contains(me.subject)) {
            const auto& sv = sig[me.id][me.subject];
            std::tie(text, v) =
                value_of(sv.is_object() && sv.contains("value") ? sv["value"] : nlohmann::json(), me.kind);
          }
        }
        sweep += "," + cell(text);
        if (v) numbers[p][m].push_back(*v);
      }
      sweep += "\n";
    }
  }

  // sweep_points.csv: per point and numeric measure, the median, min and max over its seeds.
  std::string per_point = "point";
  for (const auto& axis : o.axes)
    per_point += "," + cell(axis.key);
  per_point += ",measure,kind,runs_ok,values,median,min,max\n";
  for (std::size_t p = 0; p < points.size(); ++p)
    for (std::size_t m = 0; m < measures.size(); ++m) {
      const auto& v = numbers[p][m];
      if (v.empty()) continue;
      auto shown = [&](double x) {
        if (measures[m].kind == "time") return format_utc(x);
        if (measures[m].kind == "score") {
          char buf[24];
          std::snprintf(buf, sizeof buf, "%.3f", x);
          return std::string(buf);
        }
        return num(x);
      };
      per_point += point_cells(p) + "," + cell(measures[m].name) + "," + measures[m].kind + "," +
                   std::to_string(ok_runs[p]) + "," + std::to_string(v.size()) + "," + shown(median(v)) +
                   "," + shown(*std::min_element(v.begin(), v.end())) + "," +
                   shown(*std::max_element(v.begin(), v.end())) + "\n";
    }
  write_outputs_atomically(o.out, {{"sweep.csv", sweep}, {"sweep_points.csv", per_point}});
  return result;
}

} // namespace outagesim::sim
