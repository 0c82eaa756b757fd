#include "sim/scenario/Reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <unordered_map>

namespace outagesim::sim {

std::string join(const std::vector<std::string>& names, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += names[i];
  }
  return out;
}

namespace {

bool expect_scalar(const YamlNode& n, const std::string& what, const char* expected, Diagnostics& d) {
  if (n.kind == YamlNode::Kind::Scalar) return true;
  d.error(n.mark, what + " is " + n.kind_name() + "; expected " + expected);
  return false;
}

std::string quote(const std::string& s) {
  std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  return "'" + shown + "'";
}

std::string fmt_number(double v) {
  if (v <= -1e299) return "-inf";
  if (v >= 1e299) return "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "1e300s", "2.5E3ms": a number and a duration unit, but the number in exponent form, which
// durations do not take (the generic "expected a duration with a unit" would mislead).
bool written_with_exponent(const std::string& s) {
  for (const char* unit : {"ms", "min", "s", "m", "h", "d"}) {
    std::string u(unit);
    if (s.size() > u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) {
      std::string number = s.substr(0, s.size() - u.size());
      if (number.find_first_of("eE") == std::string::npos) return false;
      return std::all_of(number.begin(), number.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
      }) && std::isdigit(static_cast<unsigned char>(number[0]));
    }
  }
  return false;
}

} // namespace

std::optional<double> parse_double(const std::string& s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  const char* b = s.c_str();
  char* e = nullptr;
  errno = 0;
  double v = std::strtod(b, &e);
  if (e != b + s.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  // strtod accepts hex floats and "inf"/"nan": allow only decimal numbers.
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' ||
          c == 'E' || c == '_'))
      return std::nullopt;
  return v;
}

namespace {
const std::pair<const char*, double> kBandwidthUnits[] = {
    {"Tbps", 1e12}, {"Gbps", 1e9}, {"Mbps", 1e6}, {"kbps", 1e3}, {"bps", 1}};

// A well-formed bandwidth whose value is beyond kMaxBandwidth (or overflows).
bool bandwidth_too_large(const std::string& s) {
  for (const auto& [u, scale] : kBandwidthUnits) {
    std::string unit(u);
    if (s.size() > unit.size() && s.compare(s.size() - unit.size(), unit.size(), unit) == 0) {
      auto v = parse_double(s.substr(0, s.size() - unit.size()));
      return v && !(std::abs(*v * scale) <= kMaxBandwidth);
    }
  }
  return false;
}
} // namespace

std::optional<double> parse_bandwidth(const std::string& s) {
  static const std::pair<const char*, double> units[] = {
      {"Tbps", 1e12}, {"Gbps", 1e9}, {"Mbps", 1e6}, {"kbps", 1e3}, {"bps", 1}};
  for (const auto& [u, scale] : units) {
    std::string unit(u);
    if (s.size() > unit.size() && s.compare(s.size() - unit.size(), unit.size(), unit) == 0) {
      auto v = parse_double(s.substr(0, s.size() - unit.size()));
      // Finite and at most a petabit per second: no larger value means anything, and an infinite
      // or 1e308 rate must never reach SimGrid.
      if (v && std::isfinite(*v * scale) && std::abs(*v * scale) <= kMaxBandwidth) return *v * scale;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_string(const YamlNode& n, const std::string& what, Diagnostics& d) {
  if (!expect_scalar(n, what, "a string", d)) return std::nullopt;
  return n.scalar;
}

std::optional<double> read_number(const YamlNode& n, const std::string& what, Diagnostics& d, double min,
                                  double max) {
  if (!expect_scalar(n, what, "a number", d)) return std::nullopt;
  auto v = parse_double(n.scalar);
  if (!v) {
    d.error(n.mark, what + " is " + quote(n.scalar) + "; expected a number");
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    d.error(n.mark, what + " is " + n.scalar + "; expected a number between " + fmt_number(min) + " and " +
                        fmt_number(max));
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> read_integer(const YamlNode& n, const std::string& what, Diagnostics& d,
                                         std::int64_t min, std::int64_t max) {
  if (!expect_scalar(n, what, "an integer", d)) return std::nullopt;
  const std::string& s = n.scalar;
  bool digits =
      !s.empty() && s.size() <= 19 &&
      std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      s != "-";
  if (!digits) {
    d.error(n.mark, what + " is " + quote(s) + "; expected an integer");
    return std::nullopt;
  }
  std::int64_t v = std::strtoll(s.c_str(), nullptr, 10);
  if (v < min || v > max) {
    d.error(n.mark, what + " is " + s + "; expected an integer between " + std::to_string(min) + " and " +
                        std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> read_bool(const YamlNode& n, const std::string& what, Diagnostics& d) {
  if (!expect_scalar(n, what, "true or false", d)) return std::nullopt;
  if (n.scalar == "true" || n.scalar == "yes" || n.scalar == "on") return true;
  if (n.scalar == "false" || n.scalar == "no" || n.scalar == "off") return false;
  d.error(n.mark, what + " is " + quote(n.scalar) + "; expected true or false");
  return std::nullopt;
}

std::optional<Seconds> read_duration(const YamlNode& n, const std::string& what, Diagnostics& d) {
  if (!expect_scalar(n, what, "a duration such as 90s, 15m, 6h", d)) return std::nullopt;
  if (!n.scalar.empty() && n.scalar[0] == '-') {
    d.error(n.mark,
            what + " is negative (" + n.scalar + "); expected a duration of zero or more, such as 90s");
    return std::nullopt;
  }
  auto v = parse_duration(n.scalar);
  if (!v && written_with_exponent(n.scalar)) {
    d.error(n.mark, what + " is " + quote(n.scalar) +
                        "; expected plain digits before the unit (no exponent), such as 90s, 1.5h, 2d");
    return std::nullopt;
  }
  if (!v) {
    d.error(n.mark, what + " is " + quote(n.scalar) +
                        "; expected a duration with a unit (ms, s, m, h, d), such as 90s, 15m, 1h30m");
    return std::nullopt;
  }
  return v;
}

std::optional<TimeSpec> read_time(const YamlNode& n, const std::string& what, Diagnostics& d) {
  const char* expected = "a time: +DURATION from the scenario start (+15m) or UTC (2021-10-04T15:39:00Z)";
  if (!expect_scalar(n, what, expected, d)) return std::nullopt;
  const std::string& s = n.scalar;
  if (!s.empty() && s[0] == '+') {
    auto v = parse_duration(std::string_view(s).substr(1));
    if (v) return TimeSpec{true, *v};
  } else if (!s.empty() && s[0] == '-') {
    d.error(n.mark, what + " is " + quote(s) + " (before the scenario start); expected " + expected);
    return std::nullopt;
  } else if (auto e = parse_utc(s)) {
    return TimeSpec{false, double(*e)};
  }
  d.error(n.mark, what + " is " + quote(s) + "; expected " + expected);
  return std::nullopt;
}

std::optional<double> read_bandwidth(const YamlNode& n, const std::string& what, Diagnostics& d) {
  const char* expected = "a bandwidth such as 10Gbps, 100Mbps, 64kbps";
  if (!expect_scalar(n, what, expected, d)) return std::nullopt;
  const std::string& s = n.scalar;
  if (auto v = parse_bandwidth(s); v && *v > 0) return v;
  if (bandwidth_too_large(s)) {
    d.error(n.mark, what + " is " + quote(s) + "; expected a bandwidth of at most 1000Tbps (1 Pbps)");
    return std::nullopt;
  }
  d.error(n.mark, what + " is " + quote(s) + "; expected " + expected + " (positive)");
  return std::nullopt;
}

std::optional<std::string> read_choice(const YamlNode& n, const std::string& what,
                                       const std::vector<std::string>& choices, Diagnostics& d) {
  std::string expected = "one of: " + join(choices);
  if (!expect_scalar(n, what, expected.c_str(), d)) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), n.scalar) != choices.end()) return n.scalar;
  d.error(n.mark, what + " is " + quote(n.scalar) + "; expected " + expected);
  return std::nullopt;
}

bool read_param(const YamlNode& n, const ParamDecl& decl, const std::string& what, Diagnostics& d,
                ParamValues& out) {
  switch (decl.type) {
  case ParamType::Duration: {
    auto v = read_duration(n, what, d);
    if (!v) return false;
    if (*v < decl.min || *v > decl.max) {
      d.error(n.mark, what + " is " + n.scalar + "; expected a duration between " +
                          format_duration(decl.min) + " and " + format_duration(decl.max));
      return false;
    }
    out.set(decl.name, *v);
    return true;
  }
  case ParamType::Number: {
    auto v = read_number(n, what, d, decl.min, decl.max);
    if (!v) return false;
    out.set(decl.name, *v);
    return true;
  }
  case ParamType::Integer: {
    auto v = read_integer(n, what, d, static_cast<std::int64_t>(std::max(decl.min, -9e15)),
                          static_cast<std::int64_t>(std::min(decl.max, 9e15)));
    if (!v) return false;
    out.set(decl.name, static_cast<double>(*v));
    return true;
  }
  case ParamType::Bool: {
    auto v = read_bool(n, what, d);
    if (!v) return false;
    out.set(decl.name, *v ? 1.0 : 0.0);
    return true;
  }
  case ParamType::Text: {
    auto v = read_string(n, what, d);
    if (!v) return false;
    out.set_text(decl.name, *v);
    return true;
  }
  }
  return false;
}

MapReader::MapReader(const YamlNode* node, std::string what, Diagnostics& d)
    : node_(node), what_(std::move(what)), d_(d), mark_(node ? node->mark : Mark{}),
      ok_(node && node->kind == YamlNode::Kind::Map) {
  if (node && !ok_) d_.error(node->mark, what_ + " is " + node->kind_name() + "; expected a mapping of keys");
}

MapReader::MapReader(const YamlNode* node, std::string what, Diagnostics& d, const NodeDecl& decl)
    : MapReader(node, std::move(what), d) {
  decl_ = &decl;
}

const YamlNode* MapReader::list(const std::string& key) {
  const YamlNode* n = get(key);
  if (!n || n->kind == YamlNode::Kind::Null) return nullptr;
  if (n->kind != YamlNode::Kind::Sequence) {
    d_.error(n->mark, field(key) + " is " + n->kind_name() + "; expected a list");
    return nullptr;
  }
  return n;
}

std::string MapReader::field(const std::string& key) const {
  // "link 'l1' latency" when the mapping is named, "link 'latency'" when not.
  if (!what_.empty() && what_.back() == '\'') return what_ + " " + key;
  return what_ + " '" + key + "'";
}

const YamlNode* MapReader::get(const std::string& key, bool required) {
  if (decl_ && !decl_->find(key))
    throw std::logic_error("key '" + key + "' of " + decl_->what +
                           " is read but not declared (sim/scenario/Keys.hpp)");
  known_.push_back(key);
  if (!ok_) return nullptr;
  const YamlNode* v = node_->find(key);
  if (!v && required) d_.error(mark_, what_ + " has no '" + key + "'; expected the key '" + key + ":'");
  if (const KeyDecl* k = declared(key); v && k && !k->unique.empty()) check_unique(key, *k, *v);
  return v;
}

void MapReader::check_unique(const std::string& key, const KeyDecl& k, const YamlNode& v) {
  if (v.kind != YamlNode::Kind::Sequence) return;
  if (std::find(unique_checked_.begin(), unique_checked_.end(), key) != unique_checked_.end()) return;
  unique_checked_.push_back(key);
  bool self = k.unique == ".";
  // The kind of entity the compared value names: "dc:west" and "west" are the same datacenter.
  std::string refers = self ? k.refers : (k.node && k.node->find(k.unique) ? k.node->find(k.unique)->refers : "");
  bool bare_items = std::find(k.also.begin(), k.also.end(), ValueType::Integer) != k.also.end();
  std::unordered_map<std::string, Mark> seen; // a long list stays linear (hostile input)
  seen.reserve(v.items.size());
  for (const auto& item : v.items) {
    const YamlNode* value = nullptr;
    if (self || (bare_items && item->kind == YamlNode::Kind::Scalar))
      value = item.get();
    else if (item->kind == YamlNode::Kind::Map)
      value = item->find(k.unique);
    if (!value || value->kind != YamlNode::Kind::Scalar) continue; // reported by the item's reader
    std::string text = value->scalar;
    if (!refers.empty() && text.rfind(refers + ":", 0) == 0) text = text.substr(refers.size() + 1);
    auto [first, fresh] = seen.emplace(std::move(text), value->mark);
    if (fresh) continue;
    const Mark& m = first->second;
    std::string where = m.file && value->mark.file && *m.file == *value->mark.file
                            ? "line " + std::to_string(m.line) + ", column " + std::to_string(m.col)
                            : m.str();
    std::string what = self ? "" : k.unique + " ";
    d_.error(value->mark, field(key) + " repeats " + what + quote(value->scalar) + " (first at " + where +
                              "); expected each " + (self ? "item" : k.unique) + " once");
  }
}

#define OUTAGESIM_READER_GETTER(NAME, TYPE, CALL)                                                            \
  std::optional<TYPE> MapReader::NAME(const std::string& key, bool required) {                               \
    const YamlNode* v = get(key, required);                                                                  \
    if (!v) return std::nullopt;                                                                             \
    return CALL(*v, field(key), d_);                                                                         \
  }
OUTAGESIM_READER_GETTER(string, std::string, read_string)
OUTAGESIM_READER_GETTER(boolean, bool, read_bool)
OUTAGESIM_READER_GETTER(time, TimeSpec, read_time)
OUTAGESIM_READER_GETTER(bandwidth, double, read_bandwidth)
#undef OUTAGESIM_READER_GETTER

std::optional<double> MapReader::number(const std::string& key, bool required, double min, double max) {
  const YamlNode* v = get(key, required);
  if (!v) return std::nullopt;
  if (const KeyDecl* k = declared(key)) {
    min = std::max(min, k->min);
    max = std::min(max, k->max);
  }
  return read_number(*v, field(key), d_, min, max);
}

std::optional<std::int64_t> MapReader::integer(const std::string& key, bool required, std::int64_t min,
                                               std::int64_t max) {
  const YamlNode* v = get(key, required);
  if (!v) return std::nullopt;
  if (const KeyDecl* k = declared(key)) {
    min = std::max(min, static_cast<std::int64_t>(std::max(k->min, -9e18)));
    max = std::min(max, static_cast<std::int64_t>(std::min(k->max, 9e18)));
  }
  return read_integer(*v, field(key), d_, min, max);
}

std::optional<Seconds> MapReader::duration(const std::string& key, bool required) {
  const YamlNode* v = get(key, required);
  if (!v) return std::nullopt;
  auto x = read_duration(*v, field(key), d_);
  const KeyDecl* k = declared(key);
  if (!x || !k || (*x >= k->min && *x <= k->max)) return x;
  std::string range = k->max >= 1e299   ? "of at least " + format_duration(k->min)
                      : k->min <= -1e299 ? "of at most " + format_duration(k->max)
                                         : "between " + format_duration(k->min) + " and " + format_duration(k->max);
  d_.error(v->mark, field(key) + " is " + v->scalar + "; expected a duration " + range);
  return std::nullopt;
}

std::optional<std::string> MapReader::choice(const std::string& key, const std::vector<std::string>& choices,
                                             bool required) {
  const YamlNode* v = get(key, required);
  if (!v) return std::nullopt;
  return read_choice(*v, field(key), choices, d_);
}

std::optional<std::vector<std::pair<std::string, Mark>>> MapReader::strings(const std::string& key,
                                                                            bool required) {
  const YamlNode* v = get(key, required);
  if (!v) return std::nullopt;
  std::vector<std::pair<std::string, Mark>> out;
  std::string what = field(key);
  if (v->kind == YamlNode::Kind::Scalar) {
    out.emplace_back(v->scalar, v->mark);
    return out;
  }
  if (v->kind != YamlNode::Kind::Sequence) {
    d_.error(v->mark, what + " is " + v->kind_name() + "; expected a list of strings");
    return std::nullopt;
  }
  for (const auto& item : v->items) {
    auto s = read_string(*item, what + " item", d_);
    if (!s) return std::nullopt;
    out.emplace_back(*s, item->mark);
  }
  return out;
}

void MapReader::finish() {
  if (!ok_) return;
  for (const auto& e : node_->entries) {
    if (decl_) {
      if (decl_->find(e.key)) continue;
      d_.error(e.key_mark,
               "unknown key '" + e.key + "' in " + what_ + "; expected one of: " + join(decl_->names()));
      continue;
    }
    if (std::find(known_.begin(), known_.end(), e.key) != known_.end()) continue;
    std::vector<std::string> valid = known_;
    std::sort(valid.begin(), valid.end());
    valid.erase(std::unique(valid.begin(), valid.end()), valid.end());
    d_.error(e.key_mark, "unknown key '" + e.key + "' in " + what_ + "; expected one of: " + join(valid));
  }
}

} // namespace outagesim::sim
