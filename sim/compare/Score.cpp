#include "sim/compare/Score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/core/Time.hpp"
#include "sim/scenario/Reader.hpp"
#include "sim/scenario/YamlTree.hpp"

namespace outagesim::sim {
namespace {

std::string number_text(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Seconds since the epoch of a summary time ("2021-10-04T15:39:00Z", fractions allowed).
std::optional<double> summary_time(const std::string& text) {
  std::string t = text;
  double frac = 0;
  auto dot = t.find('.');
  if (dot != std::string::npos && !t.empty() && t.back() == 'Z') {
    frac = std::stod("0" + t.substr(dot, t.size() - 1 - dot));
    t = t.substr(0, dot) + "Z";
  }
  auto e = parse_utc(t);
  if (!e) return std::nullopt;
  return double(*e) + frac;
}

std::string time_text(double epoch) {
  std::string s = format_utc(epoch); // 2021-10-04T15:39:00Z
  return s.size() >= 19 ? s.substr(11, s.size() - 12) : s;
}

bool plain_null(const YamlNode& n) {
  return n.kind == YamlNode::Kind::Null || (n.kind == YamlNode::Kind::Scalar && !n.quoted && n.scalar == "null");
}

// One computed value of `kind`, as summary.json holds it.
void check_value(const YamlNode& v, const std::string& kind, const std::string& what, Diagnostics& d) {
  if (plain_null(v)) return; // the event never happened
  bool scalar = v.kind == YamlNode::Kind::Scalar;
  if (kind == "time") {
    if (!scalar || !v.quoted) {
      d.error(v.mark, what + " is " + (scalar ? "a number" : v.kind_name()) +
                          "; expected a UTC time as text, such as \"2021-10-04T15:39:00Z\", or null");
    } else if (!summary_time(v.scalar)) {
      d.error(v.mark, what + " '" + v.scalar + "' is not a UTC time; expected YYYY-MM-DDTHH:MM:SS[.fff]Z " +
                          "(no zone or offset)");
    }
  } else if (kind == "number" || kind == "ratio" || kind == "duration") {
    auto x = scalar && !v.quoted ? parse_double(v.scalar) : std::nullopt;
    if (!x)
      d.error(v.mark, what + " is " + (scalar ? "'" + v.scalar + "'" : std::string(v.kind_name())) +
                          "; expected a " + (kind == "duration" ? "duration in seconds" : "number") + ", or null");
    else if (kind == "ratio" && (*x < 0 || *x > 1))
      d.error(v.mark, what + " is " + v.scalar + "; expected a ratio between 0 and 1");
    else if (kind == "duration" && *x < 0)
      d.error(v.mark, what + " is " + v.scalar + "; expected a duration of 0 s or more");
  } else if (kind == "bool") {
    if (!scalar || v.quoted || (v.scalar != "true" && v.scalar != "false"))
      d.error(v.mark, what + " is not true or false; expected a bool");
  } else if (kind == "set") {
    if (v.kind != YamlNode::Kind::Sequence) {
      d.error(v.mark, what + " is " + v.kind_name() + "; expected a list such as [\"servfail\"]");
    } else {
      for (const auto& item : v.items)
        if (item->kind != YamlNode::Kind::Scalar)
          d.error(item->mark, what + " has an item that is " + item->kind_name() + "; expected text or numbers");
    }
  }
}

// The subjects of one summary signal: {subject: {kind, value}}, each of the kind `decl` declares
// (when the catalogue knows it) and its value of that kind.
void check_signal(const std::string& id, const YamlNode& subjects, const SignalDecl* decl, Diagnostics& d) {
  static const std::vector<std::string> kinds = {"time", "number", "ratio", "bool", "set", "duration"};
  if (subjects.kind != YamlNode::Kind::Map) {
    d.error(subjects.mark, "summary signal " + id + " is " + subjects.kind_name() +
                               "; expected an object {subject: {kind, value}}");
    return;
  }
  for (const auto& se : subjects.entries) {
    const YamlNode& entry = *se.value;
    std::string what = "summary signal " + id + " " + se.key;
    const std::string subject_kind = se.key.substr(0, se.key.find(':'));
    if (decl && !subject_kind_declared(*decl, subject_kind)) {
      d.error(se.key_mark, what + ": the subject is of kind " + subject_kind + "; expected " +
                               subject_forms(*decl) + " (" + id + " is declared per " +
                               subject_kinds_text(*decl) + ")");
      continue;
    }
    if (entry.kind != YamlNode::Kind::Map) {
      d.error(entry.mark, what + " is " + entry.kind_name() + "; expected an object {kind, value}");
      continue;
    }
    const YamlNode* kind = entry.find("kind");
    const YamlNode* value = entry.find("value");
    if (!kind || !value) {
      d.error(entry.mark, what + " has no '" + std::string(kind ? "value" : "kind") + "'; expected {kind, value}");
      continue;
    }
    if (kind->kind != YamlNode::Kind::Scalar || std::find(kinds.begin(), kinds.end(), kind->scalar) == kinds.end()) {
      d.error(kind->mark, what + " kind is not one of " + join(kinds) + "; expected one of them");
      continue;
    }
    if (decl && decl->kind != kind->scalar) {
      d.error(kind->mark, what + " kind is " + kind->scalar + "; expected " + decl->kind + ", as " + id +
                              " is declared");
      continue;
    }
    check_value(*value, kind->scalar, what + " value", d);
  }
}

} // namespace

std::optional<nlohmann::json> check_summary(const std::string& text, const std::string& path, Diagnostics& d,
                                            const std::vector<SignalDecl>& catalog) {
  auto file = std::make_shared<const std::string>(path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    d.error(Mark{file, line, col}, "not valid JSON; expected the summary.json that `outagesim run` writes");
    return std::nullopt;
  }
  // The same text as a tree with places, for the shape checks (JSON is YAML).
  YamlPtr root = parse_yaml_text(text, path, d);
  if (!root) return std::nullopt;
  if (root->kind != YamlNode::Kind::Map || !j.is_object()) {
    d.error(root->mark, std::string("summary is ") + root->kind_name() +
                            "; expected the JSON object that `outagesim run` writes");
    return std::nullopt;
  }
  const YamlNode* signals = root->find("signals");
  if (!signals) {
    d.error(root->mark, "summary has no 'signals'; expected the summary.json of `outagesim run`, which has them");
    return std::nullopt;
  }
  if (signals->kind != YamlNode::Kind::Map) {
    d.error(signals->mark, std::string("summary 'signals' is ") + signals->kind_name() +
                               "; expected an object {id: {subject: {kind, value}}}");
    return std::nullopt;
  }
  if (const YamlNode* subjects = root->find("subjects")) {
    if (subjects->kind != YamlNode::Kind::Sequence) {
      d.error(subjects->mark, std::string("summary 'subjects' is ") + subjects->kind_name() +
                                  "; expected a list of KIND:ID such as [\"service:facebook\"]");
    } else {
      for (const auto& item : subjects->items) {
        const bool text = item->kind == YamlNode::Kind::Scalar && item->quoted;
        const auto colon = text ? item->scalar.find(':') : std::string::npos;
        if (!text || colon == std::string::npos || colon == 0 || colon + 1 == item->scalar.size())
          d.error(item->mark,
                  "summary 'subjects' has an item that is not KIND:ID text; expected text such as "
                  "\"zone:example.com\"");
      }
    }
  }
  for (const auto& e : signals->entries) {
    auto decl = std::find_if(catalog.begin(), catalog.end(), [&](const SignalDecl& s) { return s.id == e.key; });
    if (!catalog.empty() && decl == catalog.end())
      d.error(e.key_mark, "summary signal " + e.key +
                              " is not a signal of this outagesim; expected one that `outagesim models` lists");
    else
      check_signal(e.key, *e.value, decl == catalog.end() ? nullptr : &*decl, d);
  }
  if (d.has_errors()) return std::nullopt;
  return j;
}

std::optional<std::vector<std::string>> summary_subjects(const nlohmann::json& summary) {
  auto it = summary.find("subjects");
  if (it == summary.end() || !it->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& s : *it)
    if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

ScoreResult score_run(const nlohmann::json& summary, const ObservedRecord& observed) {
  ScoreResult r;
  double weights = 0, total = 0;
  for (const auto& o : observed.signals) {
    SignalScore s;
    s.observed = &o;
    weights += o.weight;
    const nlohmann::json* v = nullptr;
    auto sig = summary.find("signals");
    if (sig != summary.end() && sig->is_object()) {
      auto by_id = sig->find(o.id);
      if (by_id != sig->end() && by_id->is_object()) {
        auto entry = by_id->find(o.subject);
        if (entry != by_id->end() && entry->is_object() && entry->contains("value")) v = &(*entry)["value"];
      }
    }
    std::optional<double> x;
    if (v && v->is_null()) {
      s.missing = false;
      s.never = true;
      s.simulated_text = "never";
      s.in_window = o.never;
    } else if (v && o.kind == "time" && v->is_string()) {
      x = summary_time(v->get<std::string>());
      if (x) s.simulated_text = time_text(*x);
    } else if (v && o.kind == "bool" && v->is_boolean()) {
      bool b = v->get<bool>();
      s.missing = false;
      s.simulated_text = b ? "true" : "false";
      s.in_window = (b ? 1.0 : 0.0) == o.value;
    } else if (v && o.kind == "set" && v->is_array()) {
      std::vector<std::string> got;
      for (const auto& e : *v)
        got.push_back(e.is_string() ? e.get<std::string>() : e.dump()); // ASNs are numbers
      std::sort(got.begin(), got.end());
      s.missing = false;
      s.simulated_text = "[" + join(got) + "]";
      s.in_window = got == o.set;
    } else if (v && v->is_number()) {
      x = v->get<double>();
      s.simulated_text = o.kind == "duration" ? format_duration(*x) : number_text(*x);
    }
    if (x) {
      s.missing = false;
      if (o.never) {
        // Observed never, but it happened in the run: no match, and no partial score either.
      } else if (*x >= o.low && *x <= o.high) {
        s.in_window = true;
      } else {
        double width = std::max(o.high - o.low, 1e-9);
        s.distance = (*x < o.low ? o.low - *x : *x - o.high) / width;
      }
    }
    if (s.missing) {
      s.simulated_text = "missing";
      ++r.missing;
    } else if (s.in_window) {
      s.score = o.weight;
      ++r.matched;
    } else if (s.never) {
      ++r.never;
    } else if (o.kind != "bool" && o.kind != "set" && !o.never) {
      s.score = o.weight * std::max(0.0, 1.0 - s.distance);
    }
    total += s.score;
    r.signals.push_back(s);
  }
  r.total = weights > 0 ? total / weights : 0;
  return r;
}

namespace {

bool is_signature(const SignatureRule& rule, const nlohmann::json& v) {
  using W = SignatureRule::When;
  switch (rule.when) {
  case W::Never:
    return false;
  case W::Above:
    return v.is_number() && v.get<double>() > rule.threshold;
  case W::AtLeast:
    return v.is_number() && v.get<double>() >= rule.threshold;
  case W::Below:
    return v.is_number() && v.get<double>() < rule.threshold;
  case W::NonEmpty:
    return v.is_array() && !v.empty();
  }
  return false;
}

std::string value_text(const nlohmann::json& v) {
  if (!v.is_array()) return number_text(v.get<double>());
  std::vector<std::string> items;
  for (const auto& e : v)
    items.push_back(e.is_string() ? e.get<std::string>() : e.dump()); // ASNs are numbers
  return "[" + join(items) + "]";
}

} // namespace

std::vector<std::string> signatures(const nlohmann::json& summary, const ObservedRecord& observed,
                                    const std::vector<SignalDecl>& catalog, std::size_t most) {
  // The declared signature rules, by rank (then catalogue order).
  std::vector<const SignalDecl*> rules;
  for (const auto& s : catalog)
    if (s.signature.when != SignatureRule::When::Never) rules.push_back(&s);
  std::stable_sort(rules.begin(), rules.end(), [](const SignalDecl* a, const SignalDecl* b) {
    return a->signature.rank < b->signature.rank;
  });
  std::vector<std::string> out;
  if (!summary.contains("signals")) return out;
  const auto& all = summary["signals"];
  for (const SignalDecl* rule : rules) {
    if (!all.contains(rule->id)) continue;
    for (const auto& [key, entry] : all[rule->id].items()) {
      if (out.size() >= most) return out;
      const std::string& subject = key; // a structured binding cannot be captured in C++17 (clang)
      bool scored = std::any_of(observed.signals.begin(), observed.signals.end(), [&](const ObservedSignal& o) {
        return o.id == rule->id && o.subject == subject;
      });
      if (scored || !entry.contains("value") || !is_signature(rule->signature, entry["value"])) continue;
      out.push_back(rule->id + " " + subject + " = " + value_text(entry["value"]));
    }
  }
  return out;
}

std::string aligned_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string score_table(const ScoreResult& r) {
  std::vector<std::vector<std::string>> rows = {
      {"signal", "subject", "observed", "window", "simulated", "match"}};
  for (const auto& s : r.signals) {
    const auto& o = *s.observed;
    std::string match = s.missing     ? "MISSING"
                        : s.in_window ? "yes"
                        : s.never     ? "no, never happened"
                        : o.never     ? "no, happened"
                        : (o.kind == "bool" || o.kind == "set")
                            ? "no"
                            : "no, " + number_text(s.distance) + " windows out";
    rows.push_back({o.id, o.subject, o.observed_text, o.window_text.empty() ? "exact" : o.window_text,
                    s.simulated_text, match});
  }
  std::string out = aligned_table(rows);
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "total: %d of %zu signals in window, %d missing, %d never happened; score %.3f (weighted, "
                "0..1)\n",
                r.matched, r.signals.size(), r.missing, r.never, r.total);
  return out + buf;
}

std::string score_csv(const ScoreResult& r) {
  auto q = [](const std::string& s) {
    std::string o = "\"";
    for (char c : s)
      o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
  };
  std::string out = "signal,subject,kind,observed,window,simulated,in_window,distance_windows,weight,score\n";
  for (const auto& s : r.signals) {
    const auto& o = *s.observed;
    out += o.id + "," + q(o.subject) + "," + o.kind + "," + q(o.observed_text) + "," + q(o.window_text) +
           "," + q(s.simulated_text) + "," +
           (s.missing     ? "missing"
            : s.in_window ? "true"
                          : "false") +
           "," + (s.missing || s.never || o.never ? "" : number_text(s.distance)) + "," + number_text(o.weight) + "," +
           number_text(s.score) + "\n";
  }
  return out;
}

} // namespace outagesim::sim
