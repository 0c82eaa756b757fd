// libFuzzer target: what `outagesim score` reads: an observed record (.signals.yaml) and a run's
// summary.json, and the scoring of one against the other. Any input must end in a record, a summary
// or diagnostics: an uncaught exception, a crash or a sanitizer report is a bug. See scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/Registry.hpp"
#include "sim/compare/Observed.hpp"
#include "sim/compare/Score.hpp"

namespace sim = outagesim::sim;

namespace {
const char* kRecord = R"(date: 2021-10-04
signals:
  - {id: traffic.drop_start, subject: service:facebook, kind: time, observed: "15:39", window: ["15:37", "15:42"]}
  - {id: dns.failure_answer, subject: name:facebook.com, kind: set, observed: [servfail]}
  - {id: bgp.prefix_stays_visible, subject: prefix:129.134.30.0/23, kind: bool, observed: false}
  - {id: regions.fraction_down_at_peak, subject: service:facebook, kind: ratio, observed: 0.9, window: [0.8, 1]}
  - {id: outage.duration, subject: service:facebook, kind: duration, observed: never}
)";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const auto& catalog = outagesim::models::signal_catalog();
  sim::Diagnostics d1, d2, d3;
  // The input as an observed record, scored against an empty summary.
  if (auto rec = sim::load_observed_text(text, "fuzz.signals.yaml", d1, catalog)) {
    sim::ScoreResult r = sim::score_run(nlohmann::json::object(), *rec);
    (void)sim::score_table(r);
    (void)sim::score_csv(r);
  }
  // The input as a summary.json, scored against a fixed record.
  if (auto summary = sim::check_summary(text, "fuzz/summary.json", d2, catalog)) {
    static const auto record = sim::load_observed_text(kRecord, "record.signals.yaml", d3, catalog);
    if (record) {
      sim::ScoreResult r = sim::score_run(*summary, *record);
      (void)sim::score_table(r);
      (void)sim::signatures(*summary, *record, catalog);
    }
  }
  return 0;
}
