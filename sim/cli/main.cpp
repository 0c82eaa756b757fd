// The `outagesim` command: run, validate and inspect outage scenarios.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "models/Registry.hpp"
#include "outagesim/Version.hpp"
#include "sim/compare/Compare.hpp"
#include "sim/compare/JobRunner.hpp"
#include "sim/compare/Score.hpp"
#include "sim/compare/Sweep.hpp"
#include "sim/explain/Explain.hpp"
#include "sim/report/Report.hpp"
#include "sim/run/Output.hpp"
#include "sim/run/RunContext.hpp"
#include "sim/run/Runner.hpp"
#include "sim/run/Schema.hpp"
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
  outagesim score results/facebook-2021 ../shared/data/observed/facebook-2021.signals.yaml
  outagesim explain results/facebook-2021 --region india --service whatsapp
  outagesim report results/facebook-2021 --observed ../shared/data/observed/facebook-2021.signals.yaml
  outagesim compare --observed OBS.signals.yaml scenarios/facebook-2021/hypotheses/*.yaml --seeds 3 -j 2
  outagesim sweep scenarios/teaching/03-dns-caching-and-ttl.yaml --vary dns.resolvers.0.serve_stale=false,true \
      --vary dns.zones.1.records.1.ttl=60s,10m,1h --seeds 2 --out results/sweep-ttl
  mpirun -np 4 outagesim compare ...   (or sweep: the runs are shared out over the ranks; see README)

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
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    d.error(sim::Mark{std::make_shared<const std::string>(path), 1, 1},
            "no such file; expected RUN_DIR to be the --out folder of a run");
    return std::nullopt;
  }
  std::string text;
  if (!sim::read_regular_file(path, std::size_t(256) << 20, text, d)) return std::nullopt;
  return sim::check_summary(text, path, d, outagesim::models::signal_catalog());
}

// What `run` does once its scenario is loaded: runs it, replaces `out_dir` as a whole and prints
// where. Also what each run of compare and sweep does (forked by the run server, see JobRunner.hpp).
int run_loaded(const sim::Scenario& s, const sim::RunOptions& options, const std::string& out_dir) {
  try {
    sim::check_output_folder(out_dir);
  } catch (const std::invalid_argument& e) {
    sim::Diagnostics od;
    od.error(sim::Mark{std::make_shared<const std::string>("--out"), 1, 1}, e.what());
    return print_diags(od);
  }
  sim::install_interrupt_cleanup();
  sim::RunResult r = sim::run_scenario(s, outagesim::models::all(), options);
  std::vector<std::pair<std::string, std::string>> files = {{"events.jsonl", r.events_jsonl},
                                                            {"events.txt", r.events_txt},
                                                            {"timeline.csv", r.timeline_csv},
                                                            {"summary.json", r.summary.dump(2) + "\n"}};
  files.insert(files.end(), r.extra_files.begin(), r.extra_files.end());
  sim::install_interrupt_cleanup(); // the engine is gone; its handler must not be left in place
  sim::replace_output_folder(out_dir, files);
  std::cout << r.human_summary << "results: " << out_dir
            << "/ (summary.json, events.jsonl, events.txt, timeline.csv)\n";
  return 0;
}

// A run of compare or sweep, in its forked process: `run SCENARIO --seed N --out DIR --progress`
// with the scenario loaded already; the same messages and exit status.
int served_run(const sim::Scenario& s, const std::string& dir) {
  try {
    sim::RunOptions options;
    options.progress = true; // the end of a stopped run's log says how far it got
    return run_loaded(s, options, dir);
  } catch (const sim::InputError& e) {
    return print_diags(e.diagnostics);
  } catch (const std::exception& e) {
    std::cerr << "outagesim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}

int cmd_score(const std::string& run_dir, const std::string& observed_path) {
  sim::Diagnostics d;
  auto observed = sim::load_observed(observed_path, d, outagesim::models::signal_catalog());
  auto summary = read_summary(run_dir, d);
  if (!observed || !summary) return print_diags(d);
  if (auto subjects = sim::summary_subjects(*summary)) {
    sim::check_observed_subjects(*observed, *subjects, 1, d);
    if (d.has_errors()) return print_diags(d);
  }
  sim::ScoreResult r = sim::score_run(*summary, *observed);
  std::cout << sim::score_table(r);
  sim::install_interrupt_cleanup();
  sim::write_outputs_atomically(run_dir, {{"score.csv", sim::score_csv(r)}});
  std::cout << "written: " << (std::filesystem::path(run_dir) / "score.csv").string() << "\n";
  return 0;
}

// Limits and progress of the job runner, from the command line; false (message printed) on bad text.
struct RunnerFlags {
  std::string timeout = "6h", memory = "16GiB";
  int jobs = 2;
  bool jobs_given = false, quiet = false;
};

bool runner_options(const RunnerFlags& f, sim::RunnerOptions& o) {
  o.timeout = sim::parse_run_timeout(f.timeout);
  if (o.timeout < 0) {
    std::cerr << "--run-timeout: '" << f.timeout << "' is not a duration; expected a duration with a unit "
              << "(90s, 30m, 6h) or none\n";
    return false;
  }
  o.memory = sim::parse_run_memory(f.memory);
  if (o.memory < 0) {
    std::cerr << "--run-memory: '" << f.memory
              << "' is not a size; expected bytes with a unit (512MiB, 4GiB, 8G, 2GB) or none\n";
    return false;
  }
  // Under MPI each rank is a slot of its own: one run at a time per rank unless -j says otherwise.
  o.jobs = f.jobs_given || sim::Cluster::size() == 1 ? f.jobs : 1;
  o.quiet = f.quiet;
  std::error_code ec;
  o.program = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  return true;
}

int cmd_compare(sim::CompareOptions o, const std::vector<std::string>& sets, const RunnerFlags& flags) {
  const bool root = sim::Cluster::rank() == 0;
  if (!runner_options(flags, o.runner)) return kExitBadInput;
  sim::Diagnostics d;
  auto observed = sim::load_observed(o.observed, d, outagesim::models::signal_catalog());
  if (!observed) return root ? print_diags(d) : kExitBadInput;
  std::vector<bool> valid;
  bool any_invalid = false;
  std::vector<std::string> subjects; // what any valid hypothesis's runs can compute signals about
  std::size_t loaded = 0;
  for (const auto& h : o.hypotheses) {
    sim::Diagnostics hd;
    auto s = sim::load_scenario(h, sim::LoadOptions{sets}, outagesim::models::all(), hd);
    if (root) print_diags(hd);
    valid.push_back(s.has_value());
    if (!s) {
      if (root) std::cerr << h << ": invalid, not run (its runs count as failed)\n";
      any_invalid = true;
    } else {
      auto mine = sim::signal_subjects(outagesim::models::all(), *s);
      subjects.insert(subjects.end(), mine.begin(), mine.end());
      ++loaded;
    }
  }
  // A subject no hypothesis has could only score "missing" in every run: refused before any run.
  if (loaded > 0) {
    std::sort(subjects.begin(), subjects.end());
    subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
    sim::check_observed_subjects(*observed, subjects, loaded, d);
    if (d.has_errors()) return root ? print_diags(d) : kExitBadInput;
  }
  o.sets = sets;
  o.signals = outagesim::models::signal_catalog();
  auto ranked = sim::run_compare(o, *observed, valid);
  if (!root) return 0;
  std::cout << sim::ranking_table(ranked) << "results: " << o.out
            << "/ (ranking.csv, signal_scores.csv, matrix.csv, matrix.svg, runs.csv, runs/)\n";
  bool any_ok = std::any_of(ranked.begin(), ranked.end(), [](const auto& h) { return h.runs_ok > 0; });
  if (any_invalid) return kExitBadInput;
  return any_ok ? 0 : kExitInternal;
}

int cmd_sweep(sim::SweepOptions o, const std::vector<std::string>& vary, const std::string& observed_path,
              const std::vector<std::string>& sets, const RunnerFlags& flags) {
  const bool root = sim::Cluster::rank() == 0;
  if (!runner_options(flags, o.runner)) return kExitBadInput;
  std::size_t points = 1;
  for (const auto& v : vary) {
    std::string error;
    auto axis = sim::parse_vary(v, error);
    if (!axis) {
      if (root) std::cerr << "--vary: " << error << "\n";
      return kExitBadInput;
    }
    for (const auto& a : o.axes)
      if (a.key == axis->key) {
        if (root) std::cerr << "--vary: " << axis->key << " is varied twice; expected each KEY once\n";
        return kExitBadInput;
      }
    points *= axis->values.size();
    if (points > 100000) {
      if (root) std::cerr << "--vary: more than 100000 points; expected fewer values\n";
      return kExitBadInput;
    }
    o.axes.push_back(*axis);
  }
  std::optional<sim::ObservedRecord> observed;
  if (!observed_path.empty()) {
    sim::Diagnostics d;
    observed = sim::load_observed(observed_path, d, outagesim::models::signal_catalog());
    if (!observed) return root ? print_diags(d) : kExitBadInput;
  }
  if (o.out.empty()) {
    std::string stem = std::filesystem::path(o.scenario).stem().string();
    o.out = (std::filesystem::path("results") / ("sweep-" + stem)).string();
  }
  o.sets = sets;
  // Every point is loaded and validated here: a value a key does not accept is a FILE:LINE:COL error
  // (the file being --set KEY=VALUE), and that point is not run.
  std::vector<bool> valid;
  bool any_invalid = false;
  std::vector<std::string> subjects; // what any valid point's runs can compute signals about
  std::size_t loaded = 0;
  auto all_points = sim::sweep_points(o.axes);
  for (const auto& p : all_points) {
    sim::Diagnostics pd;
    auto with = sets;
    with.insert(with.end(), p.begin(), p.end());
    auto s = sim::load_scenario(o.scenario, sim::LoadOptions{with}, outagesim::models::all(), pd);
    if (root) print_diags(pd);
    valid.push_back(s.has_value());
    if (!s) {
      any_invalid = true;
    } else if (observed) {
      auto mine = sim::signal_subjects(outagesim::models::all(), *s);
      subjects.insert(subjects.end(), mine.begin(), mine.end());
      ++loaded;
    }
  }
  if (std::none_of(valid.begin(), valid.end(), [](bool v) { return v; })) {
    if (root) std::cerr << "sweep: no point is a valid scenario; nothing run, nothing written\n";
    return kExitBadInput;
  }
  if (observed && loaded > 0) {
    std::sort(subjects.begin(), subjects.end());
    subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
    sim::Diagnostics d;
    sim::check_observed_subjects(*observed, subjects, loaded, d);
    if (d.has_errors()) return root ? print_diags(d) : kExitBadInput;
  }
  auto r = sim::run_sweep(o, observed ? &*observed : nullptr, valid);
  if (!r.root) return 0;
  std::cout << "sweep: " << all_points.size() << " points x " << o.seeds << " seeds: " << r.runs_ok
            << " runs ok";
  if (r.runs_failed) std::cout << ", " << r.runs_failed << " failed (see above and runs/)";
  if (r.points_invalid) std::cout << ", " << r.points_invalid << " points invalid (not run)";
  std::cout << "\nresults: " << o.out << "/ (sweep.csv, sweep_points.csv, runs/); draw them with "
            << "python3 scripts/plot_sweep.py " << o.out << "\n";
  if (any_invalid) return kExitBadInput;
  return r.runs_failed || r.runs_ok == 0 ? kExitInternal : 0;
}

void print_action(const sim::ActionDecl& a) {
  std::cout << "  action " << a.kind << ":* " << a.action << (a.undo.empty() ? "" : " (until: " + a.undo + ")");
  if (!a.params.empty()) std::cout << " with: " << sim::join(a.params);
  std::cout << "\n      " << a.doc << "\n";
}

void print_event(const sim::EventDecl& e) {
  std::cout << "  event " << e.type << " (subject: " << e.subject << ")\n      " << e.doc << "\n";
}

void print_signal(const sim::SignalDecl& s) {
  using W = sim::SignatureRule::When;
  const auto& r = s.signature;
  char threshold[32];
  std::snprintf(threshold, sizeof threshold, "%g", r.threshold);
  std::string signature = r.when == W::Above      ? std::string("; a signature above ") + threshold
                          : r.when == W::AtLeast  ? std::string("; a signature from ") + threshold
                          : r.when == W::Below    ? std::string("; a signature below ") + threshold
                          : r.when == W::NonEmpty ? std::string("; a signature when not empty")
                                                  : std::string();
  bool unit = !s.unit.empty() && s.unit != "1" && s.unit != "s";
  std::cout << "  signal " << s.id << " (" << s.kind << (unit ? ", " + s.unit : "") << ", subject: " << s.subject
            << signature << ")\n      " << s.doc << "\n";
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
      observed = sim::load_observed(observed_path, d, outagesim::models::signal_catalog());
      if (!observed) return print_diags(d);
      auto summary = read_summary(dir, d);
      if (!summary) return print_diags(d);
      if (auto subjects = sim::summary_subjects(*summary)) {
        sim::check_observed_subjects(*observed, *subjects, 1, d);
        if (d.has_errors()) return print_diags(d);
      }
    }
    html = sim::run_report(dir, observed ? &*observed : nullptr, d);
  }
  if (!html) return print_diags(d);
  sim::install_interrupt_cleanup();
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
    for (const auto& sec : m.sections) {
      std::cout << "  section " << sec.name << ": (" << sim::key_summary(sec) << ")\n      " << sec.doc
                << "\n";
      if (sec.node) sim::print_keys(std::cout, *sec.node, sec.name, 4);
    }
    services("offers", m.provides);
    services("needs", m.needs);
    services("uses when offered", m.uses);
    for (const auto& a : m.actions)
      print_action(a);
    for (const auto& e : m.events)
      print_event(e);
    for (const auto& s : m.signals)
      print_signal(s);
    if (m.params.empty())
      std::cout << "  no parameters; turn it off with models: {" << m.name << ": {enabled: false}}\n\n";
    else
      std::cout << "  set with: models: {" << m.name << ": {PARAM: VALUE}} in a scenario, or --set models."
                << m.name << ".PARAM=VALUE\n\n";
  }
  std::cout << "engine: the scenario's own sections, actions on entities (fault timeline) and the events it "
               "emits\n";
  for (const auto& sec : sim::core_section_keys()) {
    std::cout << "  section " << sec.name << ": (" << sim::key_summary(sec) << ")\n      " << sec.doc << "\n";
    if (sec.node) sim::print_keys(std::cout, *sec.node, sec.name, 4);
  }
  for (const auto& a : sim::core_action_decls())
    print_action(a);
  for (const auto& e : sim::core_event_decls())
    print_event(e);
  for (const auto& s : sim::core_signal_decls())
    print_signal(s);
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
  bool run_progress = false;
  run->add_flag("--progress", run_progress,
                "the updating progress line even when stderr is not a terminal (compare and sweep ask for it in "
                "each run's log: the end of the log of a stopped run says how far it got)");
  sim::LoadOptions budgets;
  auto add_budgets = [&budgets](CLI::App* cmd) {
    cmd->add_option("--max-rows", budgets.max_rows,
                    "refuse a scenario that would record more timeline rows (regions x services x samples)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--max-actions", budgets.max_actions,
                    "refuse a timeline that would apply more entity actions (entries x entities matched)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
  };
  add_budgets(run);

  std::vector<std::string> validate_paths;
  auto* validate = app.add_subcommand("validate", "Check scenario files and report every problem");
  validate->add_option("SCENARIO", validate_paths, "scenario files")->required();
  validate->add_option("--set", sets, "override a scenario value: KEY=VALUE")->take_all();
  add_budgets(validate);

  app.add_subcommand("models", "List every model: its sections' keys, parameters, actions, events and signals");
  app.add_subcommand("schema",
                     "Print the JSON Schema (draft 2020-12) of scenario files, for YAML editors: "
                     "outagesim schema > outagesim.schema.json");

  sim::CompareOptions compare_options;
  auto* compare = app.add_subcommand(
      "compare",
      "Run failure hypotheses with several seeds (worker processes), score each against an observed "
      "record, and rank them");
  compare->footer(
      "\nThe table: score, signals in window, the signals that contradict each hypothesis most, and (shows:)\n"
      "fault signatures its runs show that the record does not score. A signal whose event never happened\n"
      "in a run is 'never'; one a run cannot compute, 'missing'. Writes ranking.csv, signal_scores.csv,\n"
      "matrix.csv and matrix.svg (signal-by-hypothesis picture) and runs.csv (each run's status: ok, failed,\n"
      "timed out, out of memory, invalid; why; its log) in --out. A run past --run-timeout or --run-memory\n"
      "is stopped and reported with the end of its log; the others are still ranked.\n"
      "Under mpirun (built with Open MPI) the runs are shared out over the ranks; rank 0 writes the outputs.");
  compare->add_option("--observed", compare_options.observed, "observed signals (.signals.yaml)")->required();
  compare->add_option("HYPOTHESIS", compare_options.hypotheses, "hypothesis scenario files")->required();
  compare->add_option("--seeds", compare_options.seeds, "seeds per hypothesis (1..N)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  compare->add_option("--out,-o", compare_options.out, "output folder")->capture_default_str();
  RunnerFlags runner_flags;
  // The job runner's options, shared by compare and sweep.
  auto add_runner_options = [&](CLI::App* cmd) {
    cmd->add_option("--jobs,-j", runner_flags.jobs,
                    "runs at once (worker processes; under mpirun: per rank, default 1)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    cmd->add_option("--run-timeout", runner_flags.timeout,
                    "wall time limit per run (90s, 2h; none): a run past it is stopped, reported as timed out")
        ->capture_default_str();
    cmd->add_option("--run-memory", runner_flags.memory,
                    "resident memory limit per run (512MiB, 4GiB; none): a run above it is stopped and "
                    "reported as out of memory")
        ->capture_default_str();
    cmd->add_flag("--quiet,-q", runner_flags.quiet,
                  "no progress line per finished run (failures are still reported)");
    cmd->add_option("--set", sets, "override a value of every scenario run: KEY=VALUE (repeat for more)")
        ->take_all()
        ->allow_extra_args(false); // one KEY=VALUE per --set: hypotheses may follow
  };
  add_runner_options(compare);

  sim::SweepOptions sweep_options;
  std::vector<std::string> sweep_vary;
  std::string sweep_observed;
  auto* sweep = app.add_subcommand(
      "sweep",
      "What-if study: run a scenario at every combination of varied values (any --set path), several "
      "seeds each, and tabulate the signals (and a score against an observed record)");
  sweep->footer(
      "\nExamples:\n"
      "  outagesim sweep scenarios/teaching/03-dns-caching-and-ttl.yaml \\\n"
      "      --vary dns.resolvers.0.serve_stale=false,true --vary dns.zones.1.records.1.ttl=1m..31m:10m\n"
      "  mpirun -np 8 outagesim sweep SCENARIO --vary KEY=0..1:0.1 --seeds 5 --out results/what-if\n"
      "\nValues: a list (V1,V2,...: numbers, durations such as 5m,1h,1d, words, true/false) or a range of\n"
      "numbers FROM..TO:STEP (0..1:0.1) or of durations (1m..10m:3m); TO is included when a step lands on it.\n"
      "Every combination is a point (p001, p002, ...: the first --vary varies slowest). Writes, in --out:\n"
      "  sweep.csv         one row per point and seed: point, the varied values, seed, status (ok, failed,\n"
      "                    timed out, out of memory, invalid), score (with --observed), then every signal of\n"
      "                    summary.json as ID[SUBJECT] (outage.duration and regions.fraction_down_at_peak\n"
      "                    first; times in UTC, durations in seconds, never: the event did not happen)\n"
      "  sweep_points.csv  per point and numeric measure: median, min and max over the seeds\n"
      "  runs/pNNN/seed-S  each run's outputs, and seed-S.log its messages\n"
      "A point whose value a key refuses is reported as FILE:LINE:COL (exit 2) and the others still run;\n"
      "a run that fails is reported with its log and the rest written (exit 1).\n"
      "Draw: python3 scripts/plot_sweep.py DIR (each measure against each varied key).");
  sweep->add_option("SCENARIO", sweep_options.scenario, "scenario file")->required();
  sweep->add_option("--vary", sweep_vary, "KEY=V1,V2,... or KEY=FROM..TO:STEP (repeat for more keys)")
      ->required()
      ->take_all()
      ->allow_extra_args(false); // one KEY=VALUES per --vary: SCENARIO may follow
  sweep->add_option("--seeds", sweep_options.seeds, "seeds per point (1..N)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sweep->add_option("--observed", sweep_observed, "observed signals (.signals.yaml): adds a score column");
  sweep->add_option("--out,-o", sweep_options.out, "output folder (default: results/sweep-<scenario name>)");
  add_runner_options(sweep);

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

  // The run server of compare and sweep (sim/compare/JobRunner.hpp): started by them, not by people.
  auto* serve_runs = app.add_subcommand("serve-runs", "(internal) the run server of compare and sweep");
  serve_runs->group("");

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
    if (app.got_subcommand("serve-runs")) {
      sim::configure_logging("");
      return sim::serve_runs(models, served_run);
    }
    if (app.got_subcommand("schema")) {
      std::cout << sim::scenario_schema(models).dump(2) << "\n";
      return 0;
    }
    if (app.got_subcommand("score")) return cmd_score(score_run_dir, score_observed);
    if (app.got_subcommand("report")) return cmd_report(report_dir, report_observed);
    if (app.got_subcommand("explain")) return cmd_explain(explain_dir, explain_options, explain_at, explain_json);
    if (app.got_subcommand("routes")) {
      if (*ro_origin_opt) ro.origin = ro_origin;
      if (*ro_seed_opt) ro.seed = ro_seed;
      return outagesim::models::routes(ro, std::cout, std::cerr);
    }
    if (app.got_subcommand("compare") || app.got_subcommand("sweep")) {
      runner_flags.jobs_given = compare->count("--jobs") + sweep->count("--jobs") > 0;
      if (sim::Cluster::launched()) {
        const char* n = std::getenv("OMPI_COMM_WORLD_SIZE");
        if (!n) n = std::getenv("PMI_SIZE");
        if (!sim::Cluster::available() && n && std::atoi(n) > 1) {
          std::cerr << "outagesim: started by mpirun with " << n << " processes, but this build has no MPI "
                    << "support: each would run the whole job. Run it without mpirun (-j N), or install "
                    << "libopenmpi-dev and rebuild.\n";
          return kExitBadInput;
        }
        sim::Cluster::start(&argc, &argv);
      }
      int rc = app.got_subcommand("compare")
                   ? cmd_compare(compare_options, sets, runner_flags)
                   : cmd_sweep(sweep_options, sweep_vary, sweep_observed, sets, runner_flags);
      sim::Cluster::finish();
      return rc;
    }
    if (app.got_subcommand("validate")) {
      int rc = 0;
      for (const auto& path : validate_paths) {
        sim::Diagnostics d;
        sim::LoadOptions lo = budgets;
        lo.sets = sets;
        auto s = sim::load_scenario(path, lo, models, d);
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
    sim::stop_with_parent();
    sim::configure_logging(log_spec);
    if (*seed_opt) sets.push_back("scenario.seed=" + std::to_string(seed));
    sim::Diagnostics d;
    sim::LoadOptions lo = budgets;
    lo.sets = sets;
    auto s = sim::load_scenario(scenario_path, lo, models, d);
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
    const bool tty = ::isatty(STDERR_FILENO);
    options.progress = !quiet && (run_progress || tty);
    options.progress_lines = !quiet && !run_progress && !tty;
    if (out_dir.empty()) out_dir = default_out(scenario_path);
    return run_loaded(*s, options, out_dir);
  } catch (const sim::InputError& e) {
    return print_diags(e.diagnostics);
  } catch (const std::exception& e) {
    std::cerr << "outagesim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
