#include "sim/compare/Observed.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/core/Time.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/scenario/YamlTree.hpp"

namespace outagesim::sim {
namespace {

const std::vector<std::string> kKinds = {"time", "number", "ratio", "bool", "set", "duration"};

// A value of `kind` from a scalar node; times are HH:MM[:SS] on `date`.
std::optional<double> read_value(const YamlNode& n, const std::string& kind, const std::string& date,
                                 const std::string& what, Diagnostics& d) {
  if (kind == "time") {
    if (date.empty()) return std::nullopt; // no valid 'date': reported once, there
    if (n.kind == YamlNode::Kind::Scalar) {
      std::string t = n.scalar;
      if (t.find_first_of("+-TZz ") != std::string::npos || (t.size() > 8 && t[2] == ':')) {
        d.error(n.mark, what + " '" + t +
                            "' carries a date, zone or offset; expected HH:MM or HH:MM:SS in UTC (the record's "
                            "'date' gives the day)");
        return std::nullopt;
      }
      if (t.size() == 5) t += ":00";
      if (auto e = parse_utc(date + "T" + t + "Z")) return double(*e);
    }
    d.error(n.mark, what + " is not a time of day; expected HH:MM or HH:MM:SS (UTC, on the record's date)");
    return std::nullopt;
  }
  if (kind == "duration") return read_duration(n, what, d);
  if (kind == "ratio") return read_number(n, what, d, 0, 1);
  return read_number(n, what, d);
}

} // namespace

void check_observed_subjects(const ObservedRecord& record, const std::vector<std::string>& subjects,
                             std::size_t scenarios, Diagnostics& d) {
  std::set<std::string> known(subjects.begin(), subjects.end());
  for (const auto& s : record.signals) {
    if (known.count(s.subject)) continue;
    const std::string kind = s.subject.substr(0, s.subject.find(':'));
    std::vector<std::string> same;
    for (const auto& k : subjects)
      if (k.compare(0, kind.size() + 1, kind + ":") == 0) same.push_back(k);
    const std::string where =
        scenarios > 1 ? "in none of the " + std::to_string(scenarios) + " scenarios" : "not in the scenario";
    std::string expected;
    if (same.empty()) {
      expected = std::string("expected a subject ") +
                 (scenarios > 1 ? "one of them has, and none has " : "it has, and it has no ") + kind +
                 " subjects (no model computes " + kind + " signals there)";
    } else {
      const std::size_t shown = std::min<std::size_t>(same.size(), 12);
      std::vector<std::string> list(same.begin(), same.begin() + std::ptrdiff_t(shown));
      expected = "expected one of " + join(list) +
                 (same.size() > shown ? " (and " + std::to_string(same.size() - shown) + " more)" : "");
    }
    d.error(s.subject_mark, "signal " + s.id + " subject '" + s.subject + "' is " + where +
                                ": no run can compute it; " + expected);
  }
  d.sort();
}

std::optional<ObservedRecord> load_observed(const std::string& path, Diagnostics& d,
                                            const std::vector<SignalDecl>& catalog) {
  std::string text;
  if (!read_regular_file(path, YamlLimits{}.max_bytes, text, d)) return std::nullopt;
  return load_observed_text(text, path, d, catalog);
}

std::optional<ObservedRecord> load_observed_text(const std::string& text, const std::string& path, Diagnostics& d,
                                                 const std::vector<SignalDecl>& catalog) {
  YamlPtr root = parse_yaml_text(text, path, d);
  if (!root) return std::nullopt;
  ObservedRecord rec;
  MapReader top(root.get(), "observed record", d);
  if (!top.is_map()) return std::nullopt;
  if (auto v = top.string("case")) rec.name = *v;
  const YamlNode* date = top.get("date", true);
  if (date) {
    auto v = read_string(*date, "observed record 'date'", d);
    if (v && v->size() == 10 && parse_utc(*v + "T00:00:00Z"))
      rec.date = *v;
    else if (v)
      d.error(date->mark, "observed record 'date' is '" + *v +
                              "'; expected a UTC day such as 2021-10-04 (no time, zone or offset)");
  }
  for (const char* info : {"fault_class", "victim_as", "notes", "description"})
    top.get(info);
  const YamlNode* signals = top.get("signals", true);
  top.finish();
  if (!signals) return std::nullopt;
  if (signals->kind != YamlNode::Kind::Sequence) {
    d.error(signals->mark,
            std::string("observed record 'signals' is ") + signals->kind_name() + "; expected a list");
    return std::nullopt;
  }
  if (signals->items.empty())
    d.error(signals->mark, "observed record has no signals; expected at least one to score a run by");
  std::map<std::pair<std::string, std::string>, int> seen; // (id, subject) -> line of its first entry
  bool any_weight = false;
  for (const auto& item : signals->items) {
    MapReader r(item.get(), "observed signal", d);
    if (!r.is_map()) continue;
    ObservedSignal s;
    s.mark = item->mark;
    auto id = r.string("id", true);
    auto subject = r.string("subject");
    auto kind = r.choice("kind", kKinds, true);
    const YamlNode* observed = r.get("observed", true);
    const YamlNode* window = r.get("window");
    if (auto w = r.number("weight", false, 0, 1000)) s.weight = *w;
    if (auto src = r.string("source")) s.source = *src;
    r.finish();
    if (!id || !kind || !observed) continue;
    s.id = *id;
    s.subject = subject ? *subject : "";
    s.kind = *kind;
    std::string what = "signal " + s.id + " 'observed'";
    bool ok = true;
    const YamlNode* id_node = r.get("id");
    const YamlNode* kind_node = r.get("kind");
    auto decl =
        std::find_if(catalog.begin(), catalog.end(), [&](const SignalDecl& c) { return c.id == s.id; });
    if (!catalog.empty()) {
      if (decl == catalog.end()) {
        std::vector<std::string> ids, near;
        std::string family = s.id.substr(0, s.id.find('.') + 1);
        for (const auto& c : catalog) {
          ids.push_back(c.id);
          if (!family.empty() && c.id.compare(0, family.size(), family) == 0) near.push_back(c.id);
        }
        d.error(id_node->mark, "unknown signal '" + s.id + "'; expected one of " + join(near.empty() ? ids : near) +
                                   " (../shared/design/SIGNALS.md)");
        ok = false;
      } else if (decl->kind != s.kind) {
        d.error(kind_node->mark, "signal " + s.id + " is of kind " + decl->kind + ", not " + s.kind +
                                     "; expected kind: " + decl->kind);
        ok = false;
      }
    }
    const YamlNode* subject_node = r.get("subject");
    s.subject_mark = subject_node ? subject_node->mark : item->mark;
    if (!subject) {
      if (!subject_node) d.error(item->mark, "signal " + s.id + " has no 'subject'; expected what it is about, "
                                                          "such as service:facebook or as:32934");
      ok = false;
    } else {
      auto colon = s.subject.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == s.subject.size() ||
          s.subject.find_first_of(" \t") != std::string::npos) {
        d.error(subject_node->mark, "signal " + s.id + " subject '" + s.subject +
                                        "' is not KIND:ID; expected e.g. service:facebook, as:32934, name:facebook.com");
        ok = false;
      } else if (decl != catalog.end() && !decl->subject.empty() &&
                 !subject_kind_declared(*decl, s.subject.substr(0, colon))) {
        d.error(subject_node->mark, "signal " + s.id + " subject '" + s.subject + "' is of kind " +
                                        s.subject.substr(0, colon) + "; expected " + subject_forms(*decl) + " (" +
                                        s.id + " is declared per " + subject_kinds_text(*decl) + ")");
        ok = false;
      } else {
        auto [at, fresh] = seen.emplace(std::make_pair(s.id, s.subject), item->mark.line);
        if (!fresh) {
          d.error(item->mark, "signal " + s.id + " for " + s.subject + " is given twice (first at line " +
                                  std::to_string(at->second) + "); expected each id and subject once");
          ok = false;
        }
      }
    }
    if (s.weight > 0) any_weight = true;
    if (s.kind == "bool") {
      auto b = read_bool(*observed, what, d);
      ok = b.has_value();
      s.value = b && *b ? 1 : 0;
      s.observed_text = b ? (*b ? "true" : "false") : "";
    } else if (s.kind == "set") {
      if (observed->kind != YamlNode::Kind::Sequence) {
        d.error(observed->mark,
                what + " is " + observed->kind_name() + "; expected a list such as [servfail]");
        ok = false;
      } else {
        for (const auto& x : observed->items)
          if (auto v = read_string(*x, what + " item", d)) s.set.push_back(*v);
        std::sort(s.set.begin(), s.set.end());
        s.observed_text = "[" + join(s.set) + "]";
      }
    } else if ((s.kind == "time" || s.kind == "duration") && observed->kind == YamlNode::Kind::Scalar &&
               observed->scalar == "never") {
      s.never = true;
      s.observed_text = "never";
      if (window) {
        d.error(window->mark, "signal " + s.id + " is observed 'never' and has a 'window'; expected none");
        ok = false;
      }
    } else {
      auto v = read_value(*observed, s.kind, rec.date, what, d);
      ok = v.has_value();
      if (v) s.value = *v;
      s.observed_text = observed->kind == YamlNode::Kind::Scalar ? observed->scalar : "";
      if (!window) {
        d.error(item->mark,
                "signal " + s.id + " of kind " + s.kind + " has no 'window'; expected [low, high]");
        ok = false;
      }
    }
    if (window && (s.kind == "bool" || s.kind == "set")) {
      d.error(window->mark,
              "signal " + s.id + " of kind " + s.kind + " has a 'window'; expected none (exact match)");
      ok = false;
    } else if (window && !s.never) {
      if (window->kind != YamlNode::Kind::Sequence || window->items.size() != 2) {
        d.error(window->mark, "signal " + s.id + " 'window' is not [low, high]; expected two values");
        ok = false;
      } else {
        auto lo = read_value(*window->items[0], s.kind, rec.date, "signal " + s.id + " window low", d);
        auto hi = read_value(*window->items[1], s.kind, rec.date, "signal " + s.id + " window high", d);
        if (lo && hi && *lo > *hi) {
          d.error(window->mark, "signal " + s.id + " window is reversed; expected low <= high");
          ok = false;
        } else if (lo && hi) {
          s.low = *lo;
          s.high = *hi;
          s.has_window = true;
          s.window_text = "[" + window->items[0]->scalar + ", " + window->items[1]->scalar + "]";
        } else {
          ok = false;
        }
      }
    }
    if (ok) rec.signals.push_back(s);
  }
  if (!signals->items.empty() && !any_weight && !d.has_errors())
    d.error(signals->mark, "every signal has weight 0; expected at least one weight above 0 (the score is "
                           "the weighted share of signals in window)");
  d.sort();
  if (d.has_errors()) return std::nullopt;
  return rec;
}

} // namespace outagesim::sim
