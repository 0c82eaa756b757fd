#include "sim/compare/Compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/run/Output.hpp"

namespace outagesim::sim {
namespace fs = std::filesystem;

namespace {

std::string num(double v, const char* fmt = "%.3f") {
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else if (c == '&')
      o += "&amp;";
    else
      o += c;
  }
  return o;
}

// Mean score share (score / weight) per signal row and hypothesis: the matrix of the picture.
std::vector<std::vector<double>> signal_matrix(const std::vector<HypothesisResult>& hs,
                                               const ObservedRecord& obs) {
  std::vector<std::vector<double>> m(obs.signals.size(), std::vector<double>(hs.size(), -1));
  for (std::size_t h = 0; h < hs.size(); ++h) {
    if (hs[h].scores.empty()) continue;
    for (std::size_t i = 0; i < obs.signals.size(); ++i) {
      double sum = 0;
      for (const auto& sc : hs[h].scores)
        sum += sc.signals[i].score / std::max(obs.signals[i].weight, 1e-9);
      m[i][h] = sum / double(hs[h].scores.size());
    }
  }
  return m;
}

std::string matrix_svg(const std::vector<HypothesisResult>& hs, const ObservedRecord& obs,
                       const std::vector<std::vector<double>>& m) {
  const int cell_w = 110, cell_h = 22, left = 330, top = 120;
  int w = std::max(left + cell_w * int(hs.size()) + 20, 720), h = top + cell_h * int(obs.signals.size()) + 40;
  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' width='" + std::to_string(w) + "' height='" +
                  std::to_string(h) + "' font-family='sans-serif' font-size='11'>\n";
  s += "<rect width='100%' height='100%' fill='white'/>\n";
  s += "<text x='10' y='20' font-size='14'>Signals (rows) by hypothesis (columns, best first)</text>\n";
  s += "<text x='10' y='38'>colour: share of each signal's weight scored, mean over seeds (green all, red "
       "none); text: the first seed's value</text>\n";
  for (std::size_t c = 0; c < hs.size(); ++c) {
    int x = left + int(c) * cell_w + cell_w / 2;
    s += "<text transform='translate(" + std::to_string(x) + "," + std::to_string(top - 8) +
         ") rotate(-30)' text-anchor='start'>" + xml_escape(hs[c].name) + "</text>\n";
  }
  for (std::size_t r = 0; r < obs.signals.size(); ++r) {
    int y = top + int(r) * cell_h;
    s += "<text x='" + std::to_string(left - 6) + "' y='" + std::to_string(y + 15) + "' text-anchor='end'>" +
         xml_escape(obs.signals[r].id + " " + obs.signals[r].subject) + "</text>\n";
    for (std::size_t c = 0; c < hs.size(); ++c) {
      double v = m[r][c];
      std::string fill = "#cccccc";
      if (v >= 0) {
        int red = int(std::lround(215 * (1 - v) + 26 * v)), green = int(std::lround(48 * (1 - v) + 152 * v)),
            blue = int(std::lround(39 * (1 - v) + 80 * v));
        fill = "rgb(" + std::to_string(red) + "," + std::to_string(green) + "," + std::to_string(blue) + ")";
      }
      int x = left + int(c) * cell_w;
      s += "<rect x='" + std::to_string(x) + "' y='" + std::to_string(y) + "' width='" +
           std::to_string(cell_w - 2) + "' height='" + std::to_string(cell_h - 2) + "' fill='" + fill + "'/>";
      // The value behind the colour says why a hypothesis loses: "never", "[nxdomain]", "15:43:57".
      std::string text = "n/a";
      if (v >= 0) {
        text = hs[c].scores.front().signals[r].simulated_text;
        if (text.size() > 17) text = text.substr(0, 15) + "..";
      }
      s += "<text x='" + std::to_string(x + cell_w / 2) + "' y='" + std::to_string(y + 15) +
           "' text-anchor='middle' fill='white'>" + xml_escape(text) + "</text>\n";
    }
  }
  s += "</svg>\n";
  return s;
}

} // namespace

std::vector<HypothesisResult> run_compare(const CompareOptions& o, const ObservedRecord& observed,
                                          const std::vector<bool>& valid) {
  std::vector<HypothesisResult> hs;
  for (std::size_t i = 0; i < o.hypotheses.size(); ++i) {
    HypothesisResult h;
    h.file = o.hypotheses[i];
    h.name = fs::path(h.file).stem().string();
    if (h.name == "scenario") h.name = fs::path(h.file).parent_path().filename().string();
    h.valid = valid[i];
    hs.push_back(h);
  }
  // Names must be unique: they name the run folders.
  std::map<std::string, int> seen;
  for (auto& h : hs)
    if (seen[h.name]++) h.name += "-" + std::to_string(seen[h.name]);

  std::vector<RunSpec> specs;
  std::vector<std::size_t> spec_hypothesis;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (!hs[i].valid) continue;
    for (int s = 1; s <= o.seeds; ++s) {
      RunSpec spec;
      spec.label = hs[i].name + " seed " + std::to_string(s);
      spec.scenario = hs[i].file;
      spec.sets = o.sets;
      spec.seed = s;
      spec.dir = (fs::path(o.out) / "runs" / hs[i].name / ("seed-" + std::to_string(s))).string();
      specs.push_back(spec);
      spec_hypothesis.push_back(i);
    }
  }
  RunnerOptions runner = o.runner;
  runner.tool = "compare";
  std::vector<RunOutcome> outcomes = run_all(specs, runner);
  if (Cluster::rank() != 0) return {}; // an MPI rank other than 0: rank 0 writes
  // Score, in a fixed order (hypothesis, seed) whatever order the workers finished in.
  std::vector<std::string> run_rows(hs.size());
  for (std::size_t k = 0; k < specs.size(); ++k) {
    auto& h = hs[spec_hypothesis[k]];
    const RunSpec& j = specs[k];
    RunOutcome& r = outcomes[k];
    nlohmann::json summary;
    if (r.status == RunStatus::Ok) {
      try {
        summary = nlohmann::json::parse(r.summary);
      } catch (const std::exception&) {
        r.status = RunStatus::Failed;
        r.detail = "its summary.json is not valid JSON";
      }
    }
    std::string detail = r.detail;
    for (auto& ch : detail)
      if (ch == '"') ch = '\'';
    run_rows[spec_hypothesis[k]] += h.name + "," + std::to_string(j.seed) + "," + status_name(r.status) +
                                    ",\"" + detail + "\",\"" +
                                    fs::path(j.dir).lexically_relative(o.out).string() + ".log\"\n";
    if (r.status != RunStatus::Ok) {
      ++h.runs_failed;
      h.failures.push_back("seed " + std::to_string(j.seed) + ": " + status_name(r.status) + " (" + r.detail +
                           ")");
      auto c = std::find_if(h.failure_counts.begin(), h.failure_counts.end(),
                            [&](const auto& p) { return p.first == status_name(r.status); });
      if (c == h.failure_counts.end())
        h.failure_counts.emplace_back(status_name(r.status), 1);
      else
        ++c->second;
      continue;
    }
    ++h.runs_ok;
    if (h.scores.empty()) h.signatures = signatures(summary, observed, o.signals);
    h.scores.push_back(score_run(summary, observed));
    h.seeds.push_back(j.seed);
  }
  std::string runs_csv = "hypothesis,seed,status,detail,log\n";
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (!hs[i].valid)
      for (int s = 1; s <= o.seeds; ++s)
        run_rows[i] +=
            hs[i].name + "," + std::to_string(s) + ",invalid,\"failed validation: not run\",\"\"\n";
    runs_csv += run_rows[i];
  }
  for (auto& h : hs) {
    if (h.scores.empty()) continue;
    h.min = 1e9;
    h.max = -1e9;
    double sum = 0, matched = 0;
    for (const auto& s : h.scores) {
      sum += s.total;
      matched += s.matched;
      h.min = std::min(h.min, s.total);
      h.max = std::max(h.max, s.total);
    }
    h.mean = sum / double(h.scores.size());
    h.matched_mean = matched / double(h.scores.size());
    // Contradictions: signals with the largest mean lost weight.
    std::vector<std::pair<double, std::size_t>> loss;
    for (std::size_t i = 0; i < observed.signals.size(); ++i) {
      double l = 0;
      for (const auto& s : h.scores)
        l += observed.signals[i].weight - s.signals[i].score;
      if (l > 1e-9) loss.emplace_back(-l, i);
    }
    std::sort(loss.begin(), loss.end());
    for (std::size_t k = 0; k < loss.size() && k < 3; ++k) {
      const auto& sig = observed.signals[loss[k].second];
      const auto& first = h.scores.front().signals[loss[k].second];
      h.contradictions.push_back(sig.id + " " + sig.subject + " (observed " + sig.observed_text + ", got " +
                                 first.simulated_text + ")");
    }
  }
  std::vector<HypothesisResult> ranked = hs;
  std::stable_sort(ranked.begin(), ranked.end(), [](const HypothesisResult& a, const HypothesisResult& b) {
    if (a.scores.empty() != b.scores.empty()) return !a.scores.empty();
    return a.mean > b.mean;
  });

  std::string ranking =
      "rank,hypothesis,file,runs_ok,runs_failed,score_mean,score_min,score_max,matched_mean,"
      "signals,contradictions,signatures\n";
  // A quoted CSV cell of "; "-joined items (double quotes inside become single ones).
  auto joined_cell = [](const std::vector<std::string>& items) {
    std::string cell = "\"";
    for (std::size_t k = 0; k < items.size(); ++k) {
      std::string c = items[k];
      for (auto& ch : c)
        if (ch == '"') ch = '\'';
      cell += (k ? "; " : "") + c;
    }
    return cell + "\"";
  };
  for (std::size_t r = 0; r < ranked.size(); ++r) {
    const auto& h = ranked[r];
    ranking += std::to_string(r + 1) + "," + h.name + ",\"" + h.file + "\"," + std::to_string(h.runs_ok) +
               "," + std::to_string(h.runs_failed + (h.valid ? 0 : o.seeds)) + "," + num(h.mean) + "," +
               num(h.min) + "," + num(h.max) + "," + num(h.matched_mean, "%.2f") + "," +
               std::to_string(observed.signals.size()) + "," + joined_cell(h.contradictions) + "," +
               joined_cell(h.signatures) + "\n";
  }
  std::string per_signal =
      "hypothesis,seed,signal,subject,observed,simulated,in_window,distance_windows,weight,score\n";
  for (const auto& h : hs)
    for (std::size_t k = 0; k < h.scores.size(); ++k)
      for (const auto& s : h.scores[k].signals)
        per_signal += h.name + "," + std::to_string(h.seeds[k]) + "," + s.observed->id + "," +
                      s.observed->subject + ",\"" + s.observed->observed_text + "\",\"" + s.simulated_text +
                      "\"," +
                      (s.missing     ? "missing"
                       : s.in_window ? "true"
                                     : "false") +
                      "," + (s.missing || s.never || s.observed->never ? std::string() : num(s.distance)) +
                      "," + num(s.observed->weight, "%g") + "," + num(s.score) + "\n";
  auto m = signal_matrix(ranked, observed);
  std::string matrix = "signal,subject";
  for (const auto& h : ranked)
    matrix += "," + h.name;
  matrix += "\n";
  for (std::size_t i = 0; i < observed.signals.size(); ++i) {
    matrix += observed.signals[i].id + "," + observed.signals[i].subject;
    for (std::size_t c = 0; c < ranked.size(); ++c)
      matrix += "," + (m[i][c] >= 0 ? num(m[i][c]) : std::string(""));
    matrix += "\n";
  }
  write_outputs_atomically(o.out, {{"ranking.csv", ranking},
                                   {"signal_scores.csv", per_signal},
                                   {"matrix.csv", matrix},
                                   {"matrix.svg", matrix_svg(ranked, observed, m)},
                                   {"runs.csv", runs_csv}});
  return ranked;
}

std::string ranking_table(const std::vector<HypothesisResult>& ranked) {
  std::vector<std::vector<std::string>> rows = {
      {"rank", "hypothesis", "score (mean, min-max)", "in window", "runs",
       "most contradicted by; shows: what it also shows that the record does not score"}};
  for (std::size_t r = 0; r < ranked.size(); ++r) {
    const auto& h = ranked[r];
    std::string all_failed = "all runs failed";
    if (h.failure_counts.size() == 1 && h.failure_counts.front().first != "failed")
      all_failed = "all runs " + h.failure_counts.front().first;
    std::string score = h.scores.empty() ? (h.valid ? all_failed : "invalid scenario")
                                         : num(h.mean) + " (" + num(h.min) + "-" + num(h.max) + ")";
    std::string runs = std::to_string(h.runs_ok) + " ok";
    for (const auto& [status, n] : h.failure_counts)
      runs += ", " + std::to_string(n) + " " + status;
    std::vector<std::string> lines = h.contradictions;
    for (const auto& s : h.signatures)
      lines.push_back("shows: " + s);
    rows.push_back({std::to_string(r + 1), h.name, score,
                    h.scores.empty() ? "-" : num(h.matched_mean, "%.1f"), runs,
                    lines.empty() ? "-" : lines.front()});
    for (std::size_t k = 1; k < lines.size(); ++k)
      rows.push_back({"", "", "", "", "", lines[k]});
  }
  return aligned_table(rows);
}

} // namespace outagesim::sim
