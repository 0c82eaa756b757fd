#include "sim/compare/Observed.hpp"

#include <algorithm>

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
    if (n.kind == YamlNode::Kind::Scalar) {
      std::string t = n.scalar;
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

std::optional<ObservedRecord> load_observed(const std::string& path, Diagnostics& d) {
  YamlPtr root = parse_yaml_file(path, d);
  if (!root) return std::nullopt;
  ObservedRecord rec;
  MapReader top(root.get(), "observed record", d);
  if (!top.is_map()) return std::nullopt;
  if (auto v = top.string("case")) rec.name = *v;
  const YamlNode* date = top.get("date", true);
  if (date) {
    auto v = read_string(*date, "observed record 'date'", d);
    if (v && parse_utc(*v + "T00:00:00Z"))
      rec.date = *v;
    else if (v)
      d.error(date->mark, "observed record 'date' is '" + *v + "'; expected a day such as 2021-10-04");
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
  d.sort();
  if (d.has_errors()) return std::nullopt;
  return rec;
}

} // namespace outagesim::sim
