// The `outagesim` command: run, validate and inspect outage scenarios.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "models/Registry.hpp"
#include "outagesim/Version.hpp"
#include "sim/compare/Compare.hpp"
#include "sim/compare/Score.hpp"
#include "sim/explain/Explain.hpp"
#include "sim/report/Report.hpp"
#include "sim/run/Output.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/run/Runner.hpp"
#include "sim/scenario/Loader.hpp"
#include "sim/scenario/Reader.hpp"

namespace sim = outagesim::sim;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

const char* kDescription = R"(outagesim: replay large Internet outages and compare their explanations.

A scenario file (YAML) describes a topology (ASes, datacenters, links, DNS servers, resolvers, user
regions), services and a timeline of faults; `run` plays it on a SimGrid simulation and writes what
happened, region by region and minute by minute.)";

const char* kExamples = R"(
Examples:
  outagesim run scenarios/teaching/01-single-link-failure.yaml
  outagesim run scenarios/teaching/02-backbone-partition.yaml --out results/partition --seed 7
  outagesim run scenarios/facebook-2021/scenario.yaml --out results/fb && scripts/plot.py results/fb
  outagesim run SCENARIO --set models.probe.interval=10s --until +2h
  outagesim validate scenarios/teaching/*.yaml
  outagesim models
  outagesim routes --caida ../shared/data/caida/20180101.as-rel.txt.bz2 --origin 32934 --prefix 129.134.30.0/23
  outagesim score results/02-backbone-partition ../shared/data/observed/facebook-2021.signals.yaml
  outagesim explain results/facebook-2021 --region india --service whatsapp
  outagesim report results/facebook-2021 --observed ../shared/data/observed/facebook-2021.signals.yaml
  outagesim compare --observed OBS.signals.yaml scenarios/facebook-2021/hypotheses/*.yaml --seeds 3 -j 2

Outputs of `run` (in --out, default results/<scenario name>):
  events.jsonl   every event, with its simulated time, reason and cause (the event that led to it)
  events.txt     the same, one readable line each
  timeline.csv   tidy time series: time,region,service,metric,value (one row per sample interval)
  summary.json   scenario, seed, versions, outage periods per region, and the computed signals

Exit status: 0 success, 2 bad input (each problem printed as FILE:LINE:COL: error: ...), 1 internal error.)";

int print_diags(const sim::Diagnostics& d) {
  d.print(std::cerr);
  return d.has_errors() ? kExitBadInput : 0;
}

std::string default_out(const std::string& scenario_path) {
  return (std::filesystem::path("results") / std::filesystem::path(scenario_path).stem()).string();
}

// Reads a run's summary.json; problems are reported as FILE:LINE:COL errors.
std::optional<nlohmann::json> read_summary(const std::string& run_dir, sim::Diagnostics& d) {
  std::string path = (std::filesystem::path(run_dir) / "summary.json").string();
  auto file = std::make_shared<const std::string>(path);
  std::ifstream in(path);
  if (!in) {
    d.error(sim::Mark{file, 1, 1},
            "cannot read the run's summary; expected RUN_DIR to be the --out folder of a run");
    return std::nullopt;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    d.error(sim::Mark{file, line, col},
            "not valid JSON; expected the summary.json that `outagesim run` writes");
    return std::nullopt;
  }
}

int cmd_score(const std::string& run_dir, const std::string& observed_path) {
  sim::Diagnostics d;
  auto observed = sim::load_observed(observed_path, d);
  auto summary = read_summary(run_dir, d);
  if (!observed || !summary) return print_diags(d);
  sim::ScoreResult r = sim::score_run(*summary, *observed);
  std::cout << sim::score_table(r);
  sim::write_outputs_atomically(run_dir, {{"score.csv", sim::score_csv(r)}});
  std::cout << "written: " << (std::filesystem::path(run_dir) / "score.csv").string() << "\n";
  return 0;
}

int cmd_compare(sim::CompareOptions o, const std::vector<std::string>& sets) {
  sim::Diagnostics d;
  auto observed = sim::load_observed(o.observed, d);
  if (!observed) return print_diags(d);
  std::vector<bool> valid;
  bool any_invalid = false;
  for (const auto& h : o.hypotheses) {
    sim::Diagnostics hd;
    auto s = sim::load_scenario(h, sim::LoadOptions{sets}, outagesim::models::all(), hd);
    print_diags(hd);
    valid.push_back(s.has_value());
    if (!s) {
      std::cerr << h << ": invalid, not run (its runs count as failed)\n";
      any_invalid = true;
    }
  }
  std::error_code ec;
  o.program = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  auto ranked = sim::run_compare(o, *observed, valid);
  std::cout << sim::ranking_table(ranked) << "results: " << o.out
            << "/ (ranking.csv, signal_scores.csv, matrix.csv, matrix.svg, runs/)\n";
  bool any_ok = std::any_of(ranked.begin(), ranked.end(), [](const auto& h) { return h.runs_ok > 0; });
  if (any_invalid) return kExitBadInput;
  return any_ok ? 0 : kExitInternal;
}

void print_action(const sim::ActionDecl& a) {
  std::cout << "  action " << a.kind << ":* " << a.action << (a.undo.empty() ? "" : " (until: " + a.undo + ")");
  if (!a.params.empty()) std::cout << " with: " << sim::join(a.params);
  std::cout << "\n      " << a.doc << "\n";
}

void print_event(const sim::EventDecl& e) {
  std::cout << "  event " << e.type << " (subject: " << e.subject << ")\n      " << e.doc << "\n";
}

int cmd_explain(const std::string& run_dir, sim::ExplainOptions o, const std::string& at_text, bool json) {
  sim::Diagnostics d;
  auto run = sim::read_run(run_dir, d);
  if (!run) return print_diags(d);
  if (!at_text.empty()) {
    o.at = sim::parse_at(at_text, run->start_epoch);
    if (!o.at) {
      d.error(sim::Mark{std::make_shared<const std::string>("--at"), 1, 1},
              "'" + at_text + "' is not a time; expected HH:MM[:SS] (UTC, on the run's first day), +DURATION "
              "from the start (+41m) or a UTC time (2021-10-04T15:41:00Z)");
      return print_diags(d);
    }
  }
  auto x = sim::explain(*run, o, d);
  if (!x) return print_diags(d);
  if (json)
    std::cout << sim::explanation_json(*run, *x).dump(2) << "\n";
  else
    std::cout << sim::explanation_text(*run, *x);
  return 0;
}

int cmd_report(const std::string& dir, const std::string& observed_path) {
  sim::Diagnostics d;
  std::optional<std::string> html;
  if (sim::is_compare_dir(dir)) {
    if (!observed_path.empty())
      std::cerr << "outagesim report: --observed is ignored for a compare folder (it is scored already)\n";
    html = sim::compare_report(dir, d);
  } else {
    std::optional<sim::ObservedRecord> observed;
    if (!observed_path.empty()) {
      observed = sim::load_observed(observed_path, d);
      if (!observed) return print_diags(d);
    }
    html = sim::run_report(dir, observed ? &*observed : nullptr, d);
  }
  if (!html) return print_diags(d);
  sim::write_outputs_atomically(dir, {{"report.html", *html}});
  std::cout << "report: " << (std::filesystem::path(dir) / "report.html").string() << "\n";
  return 0;
}

int cmd_models() {
  for (const auto& m : outagesim::models::all()) {
    std::cout << m.name << ": " << m.doc << "\n";
    for (const auto& p : m.params) {
      std::cout << "  " << m.name << "." << p.name << " (" << sim::param_type_name(p.type);
      if (!p.unit.empty()) std::cout << ", " << p.unit;
      std::cout << ", default " << p.default_value << ")\n      " << p.doc << "\n";
    }
    auto services = [](const char* what, const std::vector<std::string>& list) {
      if (!list.empty()) std::cout << "  " << what << ": " << sim::join(list) << "\n";
    };
    services("offers", m.provides);
    services("needs", m.needs);
    services("uses when offered", m.uses);
    for (const auto& a : m.actions)
      print_action(a);
    for (const auto& e : m.events)
      print_event(e);
    if (m.params.empty())
      std::cout << "  no parameters; turn it off with models: {" << m.name << ": {enabled: false}}\n\n";
    else
      std::cout << "  set with: models: {" << m.name << ": {PARAM: VALUE}} in a scenario, or --set models."
                << m.name << ".PARAM=VALUE\n\n";
  }
  std::cout << "engine: actions on entities (fault timeline) and the events it emits\n";
  for (const auto& a : sim::core_action_decls())
    print_action(a);
  for (const auto& e : sim::core_event_decls())
    print_event(e);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "outagesim"};
  app.footer(kExamples);
  app.set_version_flag("--version", std::string("outagesim ") + outagesim::kVersion);
  app.require_subcommand(1);

  std::string scenario_path, out_dir, until_text, log_spec;
  std::vector<std::string> sets;
  std::uint64_t seed = 0;
  auto* run = app.add_subcommand("run", "Run a scenario and write its outputs");
  run->add_option("SCENARIO", scenario_path, "scenario file (YAML)")->required();
  run->add_option("--out,-o", out_dir, "output folder (default: results/<scenario file name>)");
  auto* seed_opt =
      run->add_option("--seed", seed, "random seed (overrides scenario.seed; same seed, same bytes)");
  run->add_option("--until", until_text, "stop early: +DURATION from the start (+2h) or UTC time");
  run->add_option("--set", sets,
                  "override a scenario value: KEY=VALUE with a dotted KEY (models.probe.interval=10s)")
      ->take_all();
  run->add_option("--log", log_spec,
                  "log levels per model, e.g. probe=debug or dns=debug,users=debug or debug: the model's "
                  "decisions with the simulated time in seconds (default: warnings only)");
  bool quiet = false;
  run->add_flag("--quiet,-q", quiet,
                "no progress on stderr (by default: one updating line on a terminal, otherwise a line every 10 s "
                "of a run that takes that long)");

  std::vector<std::string> validate_paths;
  auto* validate = app.add_subcommand("validate", "Check scenario files and report every problem");
  validate->add_option("SCENARIO", validate_paths, "scenario files")->required();
  validate->add_option("--set", sets, "override a scenario value: KEY=VALUE")->take_all();

  app.add_subcommand("models", "List every model parameter with its doc, default and unit");

  sim::CompareOptions compare_options;
  auto* compare = app.add_subcommand(
      "compare",
      "Run failure hypotheses with several seeds (worker processes), score each against an observed "
      "record, and rank them");
  compare->footer(
      "\nThe table: score, signals in window, the signals that contradict each hypothesis most, and (shows:)\n"
      "fault signatures its runs show that the record does not score. A signal whose event never happened\n"
      "in a run is 'never'; one a run cannot compute, 'missing'. Writes ranking.csv, signal_scores.csv,\n"
      "matrix.csv and matrix.svg (signal-by-hypothesis picture) in --out.");
  compare->add_option("--observed", compare_options.observed, "observed signals (.signals.yaml)")->required();
  compare->add_option("HYPOTHESIS", compare_options.hypotheses, "hypothesis scenario files")->required();
  compare->add_option("--seeds", compare_options.seeds, "seeds per hypothesis (1..N)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  compare->add_option("--jobs,-j", compare_options.jobs, "worker processes at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  compare->add_option("--out,-o", compare_options.out, "output folder")->capture_default_str();

  outagesim::bgp::RoutesOptions ro;
  std::uint32_t ro_origin = 0;
  std::uint64_t ro_seed = 0;
  auto* routes = app.add_subcommand(
      "routes",
      "Print every AS's converged best path to a prefix, one line per AS: ASN<TAB>path (show ip bgp)");
  routes->add_option("SCENARIO", ro.scenario, "scenario file with a bgp: section");
  routes->add_option("--caida", ro.caida,
                     "CAIDA as-rel file (serial-1 or -2, plain or .bz2) instead of a scenario");
  auto* ro_origin_opt = routes->add_option("--origin", ro_origin, "origin AS (with --caida)");
  routes->add_option("--prefix", ro.prefix, "prefix (default: 192.0.2.0/24, or the scenario's first)");
  routes->add_option("--at", ro.at, "scenario time: +DURATION or UTC (default: the start)");
  routes->add_option("--set", ro.sets, "override a scenario value: KEY=VALUE")->take_all();
  auto* ro_seed_opt = routes->add_option("--seed", ro_seed, "random seed (MRAI jitter)");

  std::string score_run_dir, score_observed;
  auto* score = app.add_subcommand(
      "score",
      "Score a run against an observed record: a table of signals (observed, window, simulated, match) and "
      "a total; writes RUN_DIR/score.csv");
  score->add_option("RUN_DIR", score_run_dir, "the --out folder of a run")->required();
  score->add_option("OBSERVED", score_observed, "observed signals (format: README, 'Scoring a run')")
      ->required();

  std::string explain_dir, explain_at;
  sim::ExplainOptions explain_options;
  bool explain_json = false;
  auto* explain = app.add_subcommand(
      "explain", "Why a region lost service, and what brought it back: causal chains from a run's events");
  explain->add_option("RUN_DIR", explain_dir, "the --out folder of a run (reads events.jsonl and summary.json)")
      ->required();
  explain->add_option("--region,-r", explain_options.region, "region id, as in summary.json (india)")->required();
  explain->add_option("--service,-s", explain_options.service, "one service (default: every service of the region)");
  explain->add_option("--at", explain_at,
                      "the outage going on at this time: HH:MM[:SS] UTC, +DURATION or a UTC time "
                      "(default: the region's longest outage)");
  explain->add_flag("--json", explain_json, "print the chains as JSON (for tools)");
  explain->footer(
      "\nEach chain starts at a root event (a timeline action, or an event with no recorded cause) and follows the\n"
      "events' cause links to what the region's users saw; one line per step: time (UTC), entity, event, reason.\n"
      "Events of the same type with the same cause are folded into one line (\"and 23 more resolver\"). Several\n"
      "root causes are ranked by how many of the region's failures they explain. Then the recovery chains: the\n"
      "action that brought each service back, through which stages, and when.\n\n"
      "Example: outagesim explain results/facebook-2021 --region india --service whatsapp --at 15:45");

  std::string report_dir, report_observed;
  auto* report = app.add_subcommand(
      "report", "Write one self-contained report.html (opens offline) for a run folder or a compare folder");
  report->add_option("DIR", report_dir, "the --out folder of a run, or of a compare")->required();
  report->add_option("--observed", report_observed, "observed signals (.signals.yaml): adds the score table");
  report->footer(
      "\nFor a run: the story (what failed, how far it spread, how it recovered), the scenario's lesson, when each\n"
      "region was down with the faults and recovery actions marked, BGP updates (with a zoom on the burst) and\n"
      "visibility, DNS load and failure answers, datacenter power, user reports, availability over time, each\n"
      "region's causal chain (explain) one click away, and the score table. For a compare folder: the ranking, the\n"
      "signal matrix and links to each run's report (written too). Charts: Chart.js from Debian's libjs-chart.js,\n"
      "inlined; the page makes no network request.\n\n"
      "Example: outagesim report results/facebook-2021 --observed ../shared/data/observed/facebook-2021.signals.yaml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }

  try {
    const auto& models = outagesim::models::all();
    if (app.got_subcommand("models")) return cmd_models();
    if (app.got_subcommand("score")) return cmd_score(score_run_dir, score_observed);
    if (app.got_subcommand("report")) return cmd_report(report_dir, report_observed);
    if (app.got_subcommand("explain")) return cmd_explain(explain_dir, explain_options, explain_at, explain_json);
    if (app.got_subcommand("routes")) {
      if (*ro_origin_opt) ro.origin = ro_origin;
      if (*ro_seed_opt) ro.seed = ro_seed;
      return outagesim::models::routes(ro, std::cout, std::cerr);
    }
    if (app.got_subcommand("compare")) return cmd_compare(compare_options, sets);
    if (app.got_subcommand("validate")) {
      int rc = 0;
      for (const auto& path : validate_paths) {
        sim::Diagnostics d;
        auto s = sim::load_scenario(path, sim::LoadOptions{sets}, models, d);
        print_diags(d);
        if (!s) {
          rc = kExitBadInput;
          continue;
        }
        sim::World w(*s); // builds the graph: the same checks a run makes before simulating
        std::cout << path << ": ok (" << s->nodes.size() << " nodes, " << s->links.size() << " links, "
                  << s->faults.size() << " timeline actions)\n";
      }
      return rc;
    }
    // run
    sim::configure_logging(log_spec);
    if (*seed_opt) sets.push_back("scenario.seed=" + std::to_string(seed));
    sim::Diagnostics d;
    auto s = sim::load_scenario(scenario_path, sim::LoadOptions{sets}, models, d);
    print_diags(d);
    if (!s) return kExitBadInput;
    sim::RunOptions options;
    if (!until_text.empty()) {
      sim::YamlNode n;
      n.kind = sim::YamlNode::Kind::Scalar;
      n.scalar = until_text;
      n.mark = sim::Mark{std::make_shared<const std::string>("--until"), 1, 1};
      sim::Diagnostics ud;
      options.until = sim::read_time(n, "--until", ud);
      if (!options.until) return print_diags(ud);
    }
    options.progress = !quiet && ::isatty(STDERR_FILENO);
    options.progress_lines = !quiet && !::isatty(STDERR_FILENO);
    if (out_dir.empty()) out_dir = default_out(scenario_path);
    sim::install_interrupt_cleanup();
    sim::RunResult r = sim::run_scenario(*s, models, options);
    std::vector<std::pair<std::string, std::string>> files = {{"events.jsonl", r.events_jsonl},
                                                              {"events.txt", r.events_txt},
                                                              {"timeline.csv", r.timeline_csv},
                                                              {"summary.json", r.summary.dump(2) + "\n"}};
    files.insert(files.end(), r.extra_files.begin(), r.extra_files.end());
    sim::write_outputs_atomically(out_dir, files);
    std::cout << r.human_summary << "results: " << out_dir
              << "/ (summary.json, events.jsonl, events.txt, timeline.csv)\n";
    return 0;
  } catch (const sim::InputError& e) {
    return print_diags(e.diagnostics);
  } catch (const std::exception& e) {
    std::cerr << "outagesim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
