#pragma once
// An observed record: what the world measured during a real outage, as signals with windows, in the
// format of ../shared/data/observed/*.signals.yaml (documented in README.md, "Scoring a run"):
//
//   case: facebook-2021-10-04        # a name
//   date: 2021-10-04                 # the UTC day that HH:MM[:SS] times refer to
//   signals:
//     - id: traffic.drop_start       # a signal id (../shared/design/SIGNALS.md)
//       subject: service:facebook    # what it is about
//       kind: time                   # time | number | ratio | bool | set | duration
//       observed: "15:39"            # the measured value
//       window: ["15:37", "15:42"]   # inclusive range that counts as a match (not for bool, set)
//                                    # (time and duration may be observed: never, with no window:
//                                    # the event did not happen; it matches a run where it did not)
//       weight: 1                    # optional, default 1
//       source: Kentik ...           # where the value comes from
//
// Other top-level keys (fault_class, victim_as, notes) are accepted as information.
#include <optional>
#include <string>
#include <vector>

#include "sim/core/SignalDecl.hpp"
#include "sim/scenario/Diagnostics.hpp"

namespace outagesim::sim {

/// One observed signal, values normalised: times as seconds since the Unix epoch, durations in
/// seconds, bools as 0/1, sets as sorted strings.
struct ObservedSignal {
  std::string id, subject, kind, source;
  double value = 0;
  std::vector<std::string> set; ///< kind set
  double low = 0, high = 0;     ///< window (times, numbers, durations)
  bool has_window = false;
  bool never = false;           ///< observed: never (time, duration): the event did not happen
  double weight = 1;
  std::string observed_text, window_text; ///< as written, for tables
  Mark mark;
  Mark subject_mark; ///< where its subject is written
};


struct ObservedRecord {
  std::string name;
  std::string date;
  std::vector<ObservedSignal> signals;
};

/// Reads and checks an observed record; problems go to `diags` as FILE:LINE:COL errors: besides the
/// format, a signal id outside `catalog` (when not empty) or of another kind than its declaration, a
/// signal without a subject or not of the form KIND:ID, the same id and subject twice, no signals at
/// all, all weights zero, times with a zone or offset (the record is in UTC).
std::optional<ObservedRecord> load_observed(const std::string& path, Diagnostics& diags,
                                            const std::vector<SignalDecl>& catalog = {});
/// Checks that every signal of `record` is about a subject a run can compute: one of `subjects`
/// (KIND:ID, as summary.json's `subjects` and signal_subjects() list them) of the `scenarios` the
/// record is scored against (several for `compare`: a subject one of them has is enough). A subject no
/// run could ever compute (`zone:nosuch`, a region, AS or prefix the scenario does not have) would
/// only score "missing"; it is an error at the subject, naming what exists. Problems go to `diags`.
void check_observed_subjects(const ObservedRecord& record, const std::vector<std::string>& subjects,
                             std::size_t scenarios, Diagnostics& diags);

/// Same, from text in memory; `path` names it in messages.
std::optional<ObservedRecord> load_observed_text(const std::string& text, const std::string& path,
                                                 Diagnostics& diags, const std::vector<SignalDecl>& catalog = {});

} // namespace outagesim::sim
