#include "sim/report/Report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/compare/Score.hpp"
#include "sim/core/Time.hpp"
#include "sim/explain/Explain.hpp"
#include "sim/run/Output.hpp"

namespace outagesim::sim {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

std::string esc(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&':
      o += "&amp;";
      break;
    case '<':
      o += "&lt;";
      break;
    case '>':
      o += "&gt;";
      break;
    case '"':
      o += "&quot;";
      break;
    default:
      o += c;
    }
  }
  return o;
}

// JSON inside <script type="application/json">: "</" must not close the element.
std::string script_json(const ojson& j) {
  std::string s = j.dump();
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      o += "<\\/";
      ++i;
    } else {
      o += s[i];
    }
  }
  return o;
}

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(csv_fields(line));
  return rows;
}

std::string
html_table(const std::vector<std::vector<std::string>>& rows, const std::string& cls = "",
           const std::function<std::string(std::size_t, std::size_t, const std::string&)>& cell = {}) {
  if (rows.empty()) return "";
  std::string h = "<table class=\"" + cls + "\"><thead><tr>";
  for (const auto& c : rows[0])
    h += "<th>" + esc(c) + "</th>";
  h += "</tr></thead><tbody>";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    h += "<tr>";
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      h += cell ? cell(r, c, rows[r][c]) : "<td>" + esc(rows[r][c]) + "</td>";
    h += "</tr>";
  }
  return h + "</tbody></table>";
}

// A chart of the timeline: which series it takes (label, or "" to skip), how they add up, its unit.
struct Section {
  const char* id;
  const char* title;
  const char* unit;
  bool log;
  bool mean; // mean over the matching rows of a label (else their sum)
  std::function<std::string(const std::string& region, const std::string& service, const std::string& metric)>
      label;
  const char* off; // what it means when the run has none of it
};

bool ends_with(const std::string& s, const std::string& e) {
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}
bool starts_with(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}

// The report's charts of timeline series, by metric name (the models' output vocabulary, README).
const std::vector<Section>& sections() {
  static const std::vector<Section> s = {
      {"bgp", "BGP updates seen by the vantage ASes, all prefixes together", "updates per sample interval",
       false, false,
       [](const std::string&, const std::string&, const std::string& m) {
         if (m == "bgp.withdrawals") return std::string("withdrawals");
         if (m == "bgp.announcements") return std::string("announcements");
         return std::string();
       },
       "no BGP in this run (the bgp model is off or has no vantages)"},
      {"visibility", "prefix visibility", "share of vantages with a route (0-1)", false, true,
       [](const std::string&, const std::string& sv, const std::string& m) {
         return m == "bgp.visibility" ? sv.substr(sv.find(':') + 1) : std::string();
       },
       "no BGP in this run"},
      {"dns", "DNS at the recursive resolvers (all resolvers together): load and failure answers",
       "answers or queries per second (log scale)", true, false,
       [](const std::string& r, const std::string&, const std::string& m) {
         if (!starts_with(r, "resolver:") || !ends_with(m, "_per_s")) return std::string();
         return m.substr(0, m.size() - 6);
       },
       "no DNS in this run (the dns model is off)"},
      {"power", "datacenter power draw", "MW", false, false,
       [](const std::string&, const std::string&, const std::string& m) {
         if (m == "dc.power_mw") return std::string("total");
         if (starts_with(m, "dc.") && ends_with(m, ".power_mw")) return m.substr(3, m.size() - 12);
         return std::string();
       },
       "no datacenter power in this run (the datacenter model is off)"},
      {"reports", "user outage reports (Downdetector-like)", "reports per sample interval", false, false,
       [](const std::string&, const std::string& sv, const std::string& m) {
         return m == "users.reports" ? sv : std::string();
       },
       "no user reports in this run (the users model is off)"},
      {"availability", "availability per service, mean over regions",
       "share of requests or probes answered (0-1)", false, true,
       [](const std::string& r, const std::string& sv, const std::string& m) {
         return m == "availability" && !r.empty() ? sv : std::string();
       },
       "no availability series"},
  };
  return s;
}

struct Series {
  std::map<std::string, std::map<long long, std::pair<double, int>>> lines; // label -> t -> (sum, n)
};

// The header comment of a scenario file (its "what it shows / what to look at"), or "".
std::string lesson_of(const std::string& file) {
  auto text = slurp(file);
  if (!text) return "";
  std::istringstream in(*text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '#') break;
    std::string t = line.substr(1);
    if (!t.empty() && t[0] == ' ') t = t.substr(1);
    out += t + "\n";
  }
  return out;
}

const char* kStyle = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px;color:#222}
h1{font-size:22px;margin:14px 0 4px} h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ddd}
.meta{color:#666} .story{background:#f6f8fa;border-left:4px solid #0366d6;padding:8px 12px}
.lesson{background:#fffbe6;border-left:4px solid #d4a106;padding:8px 12px;white-space:pre-wrap;font-size:13px}
.chart{position:relative;height:300px} .chart.tall{height:520px} .off{color:#a00;font-style:italic}
table{border-collapse:collapse;font-size:12px;margin:6px 0} td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
pre{font-size:11.5px;background:#fafafa;padding:6px;overflow-x:auto;white-space:pre} details{margin:2px 0}
summary{cursor:pointer} .good{background:#c8e6c9} .mid{background:#fff3c4} .bad{background:#ffcdd2}
#status{color:#a00}
)";

// Draws every chart of R.charts with Chart.js; errors land in #status (the tests read it).
const char* kScript = R"(
(function(){
const R = JSON.parse(document.getElementById('report-data').textContent);
const status = document.getElementById('status');
const errors = [];
window.addEventListener('error', e => { errors.push(String(e.message)); status.textContent = errors.join('; '); });
document.addEventListener('securitypolicyviolation', e => { errors.push('blocked ' + e.blockedURI); status.textContent = errors.join('; '); });
const clock = s => new Date((R.start + s) * 1000).toISOString().substr(11, 5);
const colors = ['#1f77b4','#ff7f0e','#2ca02c','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf','#d62728'];
function markerSets(yAxis, y0, y1, from, to) {
  const out = []; const seen = {};
  for (const m of R.markers) {
    if (from !== undefined && (m.t < from || m.t > to)) continue;
    const name = m.kind === 'fault' ? 'faults (timeline actions)' : 'recovery actions';
    out.push({type:'line', label: seen[m.kind] ? m.label : name + ': ' + m.label, yAxisID: yAxis,
      data:[{x:m.t,y:y0},{x:m.t,y:y1}], borderColor: m.kind === 'fault' ? '#d62728' : '#2ca02c',
      borderDash:[5,3], borderWidth:1.5, pointRadius:0, legendFirst: !seen[m.kind]});
    seen[m.kind] = true;
  }
  return out;
}
const legend = {labels:{boxWidth:12, filter:(item, data) => { const d = data.datasets[item.datasetIndex]; return d.legendFirst !== false; },
  generateLabels: undefined}};
function timeAxis(from, to) {
  const steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  const step = steps.find(s => (to - from) / s <= 12) || 86400;
  return {type:'linear', min: from, max: to, title:{display:true, text:'time (UTC)'},
    afterBuildTicks: axis => { const t = []; for (let v = Math.ceil((R.start + from) / step) * step - R.start; v <= to; v += step) t.push({value: v}); axis.ticks = t; },
    ticks:{callback: v => clock(v)}};
}
function lineChart(c) {
  const sets = c.lines.map((l, i) => ({label: l.label, data: l.pts.map(p => ({x:p[0], y:p[1]})),
    borderColor: colors[i % colors.length], backgroundColor: colors[i % colors.length], borderWidth:1.5,
    pointRadius:0, yAxisID:'y'}));
  const from = c.from !== undefined ? c.from : 0, to = c.to !== undefined ? c.to : R.end;
  const cfg = {type:'line', data:{datasets: sets.concat(markerSets('marks', 0, 1, from, to))},
    options:{animation:false, responsive:true, maintainAspectRatio:false, parsing:true, normalized:true,
      plugins:{legend: {labels:{boxWidth:12, filter:(item, data) => data.datasets[item.datasetIndex].legendFirst !== false}},
        title:{display:true, text:c.title}},
      scales:{x: timeAxis(from, to),
        y:{type: c.log ? 'logarithmic' : 'linear', beginAtZero: !c.log, title:{display:true, text:c.unit}},
        marks:{display:false, min:0, max:1}}}};
  if (c.ymax !== undefined) cfg.options.scales.y.max = c.ymax;
  new Chart(document.getElementById(c.id), cfg);
}
// One row per region, one lane per service inside it (the bars of one dataset per service are
// grouped: each service keeps its own slot, in the same order in every row, so no service hides
// another); grid lines between the rows.
function gantt(g) {
  const sets = g.services.map((s, i) => ({type:'bar', label: s + ' down', grouped:true,
    data: g.periods.filter(p => p.service === s).map(p => ({y:p.region, x:[p.start, p.end]})),
    backgroundColor: colors[i % colors.length], borderColor: colors[i % colors.length], borderWidth:0,
    barPercentage: 0.92, categoryPercentage: 0.9}));
  const first = g.regions[0], last = g.regions[g.regions.length - 1];
  const cfg = {type:'bar', data:{labels: g.regions, datasets: sets.concat(markerSets('y', first, last))},
    options:{indexAxis:'y', animation:false, responsive:true, maintainAspectRatio:false,
      plugins:{legend:{labels:{boxWidth:12, filter:(item, data) => data.datasets[item.datasetIndex].legendFirst !== false}},
        title:{display:true, text:'when each region was down (availability below 50 %), per service'},
        tooltip:{callbacks:{label: ctx => { const v = ctx.raw.x; return Array.isArray(v) ? ctx.dataset.label + ' ' + clock(v[0]) + '-' + clock(v[1]) : ctx.dataset.label; }}}},
      scales:{x: timeAxis(0, R.end), y:{type:'category', labels: g.regions, offset:true,
        grid:{offset:true, color:'#bbb'}, ticks:{autoSkip:false, font:{size:10}}}}}};
  checkLanes(new Chart(document.getElementById('gantt'), cfg));
}
// As drawn: two services' bars in one region's row never overlap (each has its own lane); a
// drawing that breaks this says so in #status (the report tests read it).
function checkLanes(chart) {
  const rows = {};
  chart.data.datasets.forEach((d, i) => {
    if (d.type !== 'bar') return;
    chart.getDatasetMeta(i).data.forEach((el, j) => {
      const p = el.getProps(['y', 'height'], true), region = d.data[j].y;
      (rows[region] = rows[region] || []).push({i, top: p.y - p.height / 2, bottom: p.y + p.height / 2});
    });
  });
  for (const [region, bars] of Object.entries(rows))
    for (const a of bars)
      for (const b of bars)
        if (a.i < b.i && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          throw new Error('outage chart: ' + chart.data.datasets[a.i].label + ' and ' +
                          chart.data.datasets[b.i].label + ' overlap in the row of ' + region);
}
try {
  if (R.gantt) gantt(R.gantt);
  for (const c of R.charts) lineChart(c);
  document.body.setAttribute('data-charts', String(R.charts.length + (R.gantt ? 1 : 0)));
} catch (e) { errors.push(String(e && e.stack || e)); status.textContent = errors.join('; '); }
document.body.setAttribute('data-status', errors.length ? 'error' : 'ok');
})();
)";

std::string page(const std::string& title, const std::string& body, const ojson& data, bool charts) {
  std::string lib;
  if (charts) {
    auto js = slurp(chartjs_path());
    lib = js ? *js : "";
  }
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
                  "'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n<title>" +
                  esc(title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n" + body +
                  "\n<p id=\"status\"></p>\n";
  if (charts) {
    h += "<script>" + lib + "</script>\n";
    h += "<script type=\"application/json\" id=\"report-data\">" + script_json(data) + "</script>\n";
    h += std::string("<script>") + kScript + "</script>\n";
  }
  return h + "</body></html>\n";
}

} // namespace

std::string chartjs_path() {
  if (const char* p = std::getenv("OUTAGESIM_CHARTJS")) return p;
  return "/usr/share/javascript/chart.js/chart.min.js";
}

bool is_compare_dir(const std::string& dir) {
  return fs::exists(fs::path(dir) / "ranking.csv");
}

std::optional<std::string> run_report(const std::string& run_dir, const ObservedRecord* observed,
                                      Diagnostics& d) {
  auto run = read_run(run_dir, d);
  if (!run) return std::nullopt;
  if (!fs::exists(chartjs_path())) {
    d.error(
        Mark{std::make_shared<const std::string>(chartjs_path()), 1, 1},
        "the chart library is missing; expected Debian's libjs-chart.js (apt-get install libjs-chart.js, or "
        "scripts/deps.sh)");
    return std::nullopt;
  }
  const auto& sum = run->summary;
  std::string name = sum.value("scenario", std::string("run"));
  std::string day = format_utc(double(run->start_epoch)).substr(0, 10);
  auto at = [&](double t) { return clock_of(format_utc(double(run->start_epoch) + t), day); };

  // Timeline series, aggregated per chart.
  std::vector<Series> series(sections().size());
  {
    std::ifstream in((fs::path(run_dir) / "timeline.csv").string());
    std::string line;
    std::getline(in, line); // header
    std::string last_time_text;
    long long t = 0;
    while (std::getline(in, line)) {
      auto f = csv_fields(line);
      if (f.size() < 5) continue;
      if (f[0] != last_time_text) {
        auto e = parse_utc(f[0]);
        if (!e) continue;
        t = *e - run->start_epoch;
        last_time_text = f[0];
      }
      double v = std::strtod(f[4].c_str(), nullptr);
      for (std::size_t i = 0; i < sections().size(); ++i) {
        std::string label = sections()[i].label(f[1], f[2], f[3]);
        if (label.empty()) continue;
        auto& cell = series[i].lines[label][t];
        cell.first += v;
        cell.second += 1;
      }
    }
  }

  // Markers: timeline actions (events with no cause), and recovery actions (a recovery that follows
  // from an event that is not itself a recovery: link.up after an operator's step).
  ojson markers = ojson::array();
  {
    std::set<std::uint64_t> seen_cause;
    for (const auto& e : run->events) {
      bool root = e.cause == 0;
      const RecordedEvent* c = run->find(e.cause);
      bool recovery_action = !root && event_polarity(e.type) < 0 && c && event_polarity(c->type) >= 0 &&
                             c->cause != 0 && !seen_cause.count(e.cause);
      if (!root && !recovery_action) continue;
      if (root && event_polarity(e.type) != 0 && e.type.find("fault") == std::string::npos) continue;
      // A root's kind: what its effects do (link.down: a fault; link.up: a recovery).
      int pol = event_polarity(e.type);
      if (root)
        for (const auto& k : run->events)
          if (k.cause == e.id) {
            pol = event_polarity(k.type);
            if (pol) break;
          }
      if (root && e.type == "fault.ended") pol = -1;
      if (recovery_action) seen_cause.insert(e.cause);
      std::string label =
          at(e.t) + " " + e.subject + " " + (recovery_action ? e.type + " (" + e.reason + ")" : e.reason);
      if (label.size() > 110) label = label.substr(0, 107) + "...";
      markers.push_back({{"t", e.t}, {"kind", pol < 0 ? "recovery" : "fault"}, {"label", label}});
    }
  }

  // Charts: one per section with data, plus the zoom on the BGP burst.
  ojson charts = ojson::array();
  std::string body;
  body += "<h1>outagesim report: " + esc(name) + "</h1>\n<p class=\"meta\">" +
          esc(sum.value("file", std::string())) + ", seed " +
          esc(sum.contains("seed") ? sum["seed"].dump() : "?") + ", " +
          esc(sum.value("start", std::string())) + " to " + esc(sum.value("end", std::string())) + ", " +
          std::to_string(run->events.size()) + " events. Folder: " + esc(run_dir) + "</p>\n";
  std::string lesson = lesson_of(sum.value("file", std::string()));

  // The story.
  std::string story;
  {
    const RecordedEvent* first = nullptr;
    for (const auto& e : run->events)
      if (e.cause == 0) {
        first = &e;
        break;
      }
    std::size_t regions = run->outages.size(), down = 0;
    double worst_end = 0;
    bool all_back = true;
    for (const auto& [r, ps] : run->outages) {
      if (!ps.empty()) ++down;
      for (const auto& p : ps) {
        worst_end = std::max(worst_end, p.end);
        if (!p.recovered) all_back = false;
      }
    }
    std::size_t failures = 0, recoveries = 0;
    for (const auto& e : run->events) {
      int p = event_polarity(e.type);
      failures += p > 0;
      recoveries += p < 0;
    }
    if (first)
      story += "<b>What failed.</b> At " + at(first->t) + " UTC, " + esc(first->type) + " on <code>" +
               esc(first->subject) + "</code>: " + esc(first->reason) + ". ";
    story += "<b>How far it spread.</b> " + std::to_string(down) + " of " + std::to_string(regions) +
             " user regions lost at least one service; the run records " + std::to_string(failures) +
             " failure events and " + std::to_string(recoveries) + " recoveries. ";
    if (down) {
      story += "<b>How it recovered.</b> ";
      if (all_back)
        story += "every region was back by " + at(worst_end) + " UTC";
      else
        story += "some regions were still down when the run ended (" + at(run->end) + " UTC)";
      story += "; the recovery actions are the green marks below. ";
    }
    if (sum.contains("signals") && sum["signals"].contains("regions.fraction_down_at_peak"))
      for (const auto& [subject, v] : sum["signals"]["regions.fraction_down_at_peak"].items())
        if (v.contains("value") && v["value"].is_number())
          story += esc(subject) + ": " + std::to_string(int(std::round(v["value"].get<double>() * 100))) +
                   " % of users' regions down at the peak. ";
  }
  body += "<div class=\"story\">" + story + "</div>\n";
  if (!lesson.empty())
    body +=
        "<h2>What to look at (the scenario's lesson)</h2><div class=\"lesson\">" + esc(lesson) + "</div>\n";

  // Availability per region: outage periods, faults and recovery actions marked.
  ojson gantt;
  {
    std::set<std::string> services;
    ojson periods = ojson::array();
    ojson regions = ojson::array();
    for (const auto& [r, ps] : run->outages) {
      regions.push_back(r);
      for (const auto& p : ps) {
        services.insert(p.service);
        periods.push_back({{"region", r}, {"service", p.service}, {"start", p.start}, {"end", p.end}});
      }
    }
    body += "<h2>Availability per region</h2>\n";
    if (run->outages.empty()) {
      body += "<p class=\"off\">no user region in this run (no probe or users model)</p>\n";
    } else {
      gantt = {{"regions", regions},
               {"services", ojson(std::vector<std::string>(services.begin(), services.end()))},
               {"periods", periods}};
      body += "<p>Bars: a region's outage periods (availability below 50 %, per sample interval), one lane "
              "per service within each region's row (its colour in the legend). Red dashed lines: "
              "faults of the timeline; green: recovery actions (hover for what they were).</p>\n";
      // Each region's row holds a lane of at least 7 px per service (18 px at the least).
      const std::size_t row = std::max<std::size_t>(18, 4 + 7 * services.size());
      body += "<div class=\"chart tall\" style=\"height:" +
              std::to_string(std::max<std::size_t>(260, 90 + row * regions.size())) +
              "px\"><canvas id=\"gantt\"></canvas></div>\n";
    }
  }

  auto add_chart = [&](const std::string& id, const Section& s, const Series& se, std::optional<double> from,
                       std::optional<double> to, const std::string& title) {
    ojson c;
    c["id"] = id;
    c["title"] = title;
    c["unit"] = s.unit;
    c["log"] = s.log;
    if (from) c["from"] = *from;
    if (to) c["to"] = *to;
    if (std::string(s.id) == "visibility" || std::string(s.id) == "availability") c["ymax"] = 1;
    c["lines"] = ojson::array();
    for (const auto& [label, pts] : se.lines) {
      ojson arr = ojson::array();
      for (const auto& [t, v] : pts) {
        if (from && (t < *from || t > *to)) continue;
        double y = s.mean ? v.first / v.second : v.first;
        if (s.log && y <= 0) continue;
        arr.push_back({t, std::round(y * 1000) / 1000});
      }
      c["lines"].push_back({{"label", label}, {"pts", arr}});
    }
    charts.push_back(c);
    body += "<div class=\"chart\"><canvas id=\"" + id + "\"></canvas></div>\n";
  };
  const char* headings[] = {"BGP", "", "DNS", "Datacenters", "Users", ""};
  for (std::size_t i = 0; i < sections().size(); ++i) {
    const Section& s = sections()[i];
    if (headings[i][0]) body += std::string("<h2>") + headings[i] + "</h2>\n";
    if (std::string(s.id) == "availability") body += "<h2>Availability over time</h2>\n";
    if (series[i].lines.empty()) {
      body += std::string("<p class=\"off\">") + s.title + ": " + s.off + "</p>\n";
      continue;
    }
    add_chart(s.id, s, series[i], std::nullopt, std::nullopt, s.title);
    if (std::string(s.id) == "bgp") {
      // Zoom on the burst: the busiest interval, and the span around it while updates keep coming.
      std::map<long long, double> total;
      for (const auto& [label, pts] : series[i].lines)
        for (const auto& [t, v] : pts)
          total[t] += v.first;
      auto peak = std::max_element(total.begin(), total.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      if (peak != total.end() && peak->second > 0) {
        long long lo = peak->first, hi = peak->first;
        for (auto it = total.find(lo); it != total.begin() && std::prev(it)->second > 0;)
          lo = (--it)->first;
        for (auto it = total.find(hi); std::next(it) != total.end() && std::next(it)->second > 0;)
          hi = (++it)->first;
        double pad = std::max<double>(300, (hi - lo) * 0.3);
        double from = std::max(0.0, lo - pad), to = std::min(run->end, hi + pad);
        add_chart("bgp-zoom", s, series[i], from, to,
                  "zoom on the burst: " + at(double(lo)) + "-" + at(double(hi)) + " UTC (" +
                      std::to_string(long(std::round(peak->second))) + " updates in the busiest interval)");
      }
    }
  }

  // Each region's causal chain, one click away.
  body += "<h2>Why each region went down, and what brought it back (outagesim explain)</h2>\n";
  std::size_t explained = 0;
  for (const auto& [r, ps] : run->outages) {
    if (ps.empty()) continue;
    Diagnostics xd;
    ExplainOptions o;
    o.region = r;
    auto x = explain(*run, o, xd);
    if (!x) continue;
    ++explained;
    std::string headline =
        r + ": down " + at(x->start) + "-" + (x->recovered ? at(x->end) : std::string("end of run"));
    if (!x->causes.empty())
      headline +=
          ", " + std::to_string(x->causes.size()) + (x->causes.size() == 1 ? " root cause" : " root causes");
    body += "<details id=\"explain-" + esc(r) + "\"><summary>" + esc(headline) + "</summary><pre>" +
            esc(explanation_text(*run, *x)) + "</pre></details>\n";
  }
  if (!explained) body += "<p>no region lost service in this run.</p>\n";

  // The score against an observed record.
  if (observed) {
    ScoreResult r = score_run(sum, *observed);
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(score_csv(r));
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) rows.push_back(csv_fields(line));
    char total[96];
    std::snprintf(total, sizeof total, "total %.3f: %d of %zu signals in window, %d missing", r.total,
                  r.matched, r.signals.size(), r.missing);
    body += "<h2>Score against the observed record (" + esc(observed->name) + ")</h2><p>" + total + "</p>" +
            html_table(rows, "score") + "\n";
  } else if (fs::exists(fs::path(run_dir) / "score.csv")) {
    body += "<h2>Score (score.csv of `outagesim score`)</h2>" +
            html_table(read_csv((fs::path(run_dir) / "score.csv").string())) + "\n";
  }
  body +=
      "<p class=\"meta\">Files: events.txt (the story, one line per event), events.jsonl, timeline.csv, "
      "summary.json. Made by outagesim report; charts by Chart.js (Debian libjs-chart.js), inlined.</p>\n";

  ojson data;
  data["start"] = run->start_epoch;
  data["end"] = run->end;
  data["markers"] = markers;
  data["charts"] = charts;
  data["gantt"] = gantt;
  return page("outagesim: " + name, body, data, true);
}

std::optional<std::string> compare_report(const std::string& dir, Diagnostics& d) {
  auto ranking = read_csv((fs::path(dir) / "ranking.csv").string());
  if (ranking.size() < 1 || ranking[0].empty() || ranking[0][0] != "rank") {
    d.error(Mark{std::make_shared<const std::string>((fs::path(dir) / "ranking.csv").string()), 1, 1},
            "not a ranking; expected the ranking.csv that `outagesim compare` writes");
    return std::nullopt;
  }
  std::string body = "<h1>outagesim compare report</h1>\n<p class=\"meta\">Folder: " + esc(dir) + "</p>\n";
  body +=
      "<div class=\"story\">Each hypothesis was run with every seed and scored against the observed record; "
      "the ranking orders them by mean score. A score of 1 means every observed signal fell in its window. "
      "<b>contradictions</b>: the signals that speak most against a hypothesis; <b>signatures</b>: what its "
      "runs "
      "show that the record does not score (what to look for next in the real data).</div>\n";
  body += "<h2>Ranking</h2>" + html_table(ranking, "ranking") + "\n";
  auto matrix = read_csv((fs::path(dir) / "matrix.csv").string());
  if (!matrix.empty()) {
    body +=
        "<h2>Signal matrix</h2><p>Score of each observed signal (0-1, mean over seeds) per hypothesis: green "
        "in window, yellow near, red far or missing.</p>" +
        html_table(matrix, "matrix",
                   [](std::size_t, std::size_t c, const std::string& v) {
                     if (c < 2) return "<td>" + esc(v) + "</td>";
                     char* end = nullptr;
                     double x = std::strtod(v.c_str(), &end);
                     std::string cls = end == v.c_str() ? "bad" : x >= 0.999 ? "good" : x > 0 ? "mid" : "bad";
                     return "<td class=\"" + cls + "\">" + esc(v) + "</td>";
                   }) +
        "\n";
  }
  // Each run's report, linked.
  body += "<h2>Each run's report</h2><ul>\n";
  std::vector<fs::path> runs;
  if (fs::exists(fs::path(dir) / "runs"))
    for (const auto& h : fs::directory_iterator(fs::path(dir) / "runs"))
      if (h.is_directory())
        for (const auto& s : fs::directory_iterator(h.path()))
          if (s.is_directory() && fs::exists(s.path() / "summary.json")) runs.push_back(s.path());
  std::sort(runs.begin(), runs.end());
  for (const auto& r : runs) {
    Diagnostics rd;
    auto html = run_report(r.string(), nullptr, rd);
    std::string rel = fs::relative(r, dir).string();
    if (!html) {
      body += "<li>" + esc(rel) + ": no report (" + esc(rd.all().empty() ? "" : rd.all().front().message) +
              ")</li>\n";
      continue;
    }
    write_outputs_atomically(r.string(), {{"report.html", *html}});
    body += "<li><a href=\"" + esc(rel) + "/report.html\">" + esc(rel) + "</a></li>\n";
  }
  body += "</ul>\n";
  ojson data = {
      {"start", 0}, {"end", 0}, {"markers", ojson::array()}, {"charts", ojson::array()}, {"gantt", nullptr}};
  return page("outagesim compare report", body, data, true);
}

} // namespace outagesim::sim
