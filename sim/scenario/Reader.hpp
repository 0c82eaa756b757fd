#pragma once
// Typed reading of YAML nodes with diagnostics. A MapReader reads the keys of one mapping; every key
// it is asked about becomes a valid key, and finish() reports any other key as unknown, listing the
// valid ones (a mistyped key must never be silently ignored).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/Params.hpp"
#include "sim/core/Time.hpp"
#include "sim/scenario/Keys.hpp"
#include "sim/scenario/YamlTree.hpp"

namespace outagesim::sim {

/// A time as written in a scenario: relative to the scenario start ("+15m") or absolute UTC.
struct TimeSpec {
  bool relative = true;
  double value = 0; ///< seconds since start if relative, else seconds since the Unix epoch
  /// Seconds since the scenario start.
  double resolve(std::int64_t start_epoch) const { return relative ? value : value - double(start_epoch); }
};

// Scalar text without diagnostics (for values kept as text and checked at load time).
/// A decimal number ("7.5e7"; no hex, inf or nan), nullopt otherwise.
std::optional<double> parse_double(const std::string& s);
/// The largest bandwidth accepted anywhere, in bits per second (1 Pbps).
constexpr double kMaxBandwidth = 1e15;
/// Bits per second from "100Gbps", "10Mbps", "1.5kbps", "64bps" (any sign, magnitude at most
/// kMaxBandwidth), nullopt otherwise.
std::optional<double> parse_bandwidth(const std::string& s);

// Scalar conversions; each reports "expected ..." at the node's mark on failure.
std::optional<std::string> read_string(const YamlNode& n, const std::string& what, Diagnostics& d);
std::optional<double> read_number(const YamlNode& n, const std::string& what, Diagnostics& d,
                                  double min = -1e300, double max = 1e300);
std::optional<std::int64_t> read_integer(const YamlNode& n, const std::string& what, Diagnostics& d,
                                         std::int64_t min, std::int64_t max);
std::optional<bool> read_bool(const YamlNode& n, const std::string& what, Diagnostics& d);
std::optional<Seconds> read_duration(const YamlNode& n, const std::string& what, Diagnostics& d);
std::optional<TimeSpec> read_time(const YamlNode& n, const std::string& what, Diagnostics& d);
/// Bits per second from "100Gbps", "10Mbps", "1.5kbps", "64bps".
std::optional<double> read_bandwidth(const YamlNode& n, const std::string& what, Diagnostics& d);
std::optional<std::string> read_choice(const YamlNode& n, const std::string& what,
                                       const std::vector<std::string>& choices, Diagnostics& d);
/// Reads a parameter value by its declaration (durations in seconds, bools as 0/1).
bool read_param(const YamlNode& n, const ParamDecl& decl, const std::string& what, Diagnostics& d,
                ParamValues& out);

/// Joins names as "a, b, c".
std::string join(const std::vector<std::string>& names, const char* sep = ", ");

/// Reads the keys of one mapping.
class MapReader {
public:
  /// `what` names the mapping in messages ("link 'backbone/a-b'", "scenario").
  MapReader(const YamlNode* node, std::string what, Diagnostics& d);
  /// A reader of a declared mapping: only the keys of `decl` are valid (finish() lists them), and
  /// asking for a key `decl` does not declare is a programming error (std::logic_error). The
  /// declaration also drives validation: numbers, integers and durations outside the declared
  /// range are errors, and a list declared unique_by reports an item that repeats a value.
  MapReader(const YamlNode* node, std::string what, Diagnostics& d, const NodeDecl& decl);

  bool is_map() const { return ok_; }
  const std::string& what() const { return what_; }
  const Mark& mark() const { return mark_; }
  /// The value of `key`, declaring it valid; reports a missing required key.
  const YamlNode* get(const std::string& key, bool required = false);

  std::optional<std::string> string(const std::string& key, bool required = false);
  std::optional<double> number(const std::string& key, bool required = false, double min = -1e300,
                               double max = 1e300);
  std::optional<std::int64_t> integer(const std::string& key, bool required, std::int64_t min,
                                      std::int64_t max);
  std::optional<bool> boolean(const std::string& key, bool required = false);
  std::optional<Seconds> duration(const std::string& key, bool required = false);
  std::optional<TimeSpec> time(const std::string& key, bool required = false);
  std::optional<double> bandwidth(const std::string& key, bool required = false);
  std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& choices,
                                    bool required = false);
  /// A sequence of strings (a single string is accepted as a one-element list).
  std::optional<std::vector<std::pair<std::string, Mark>>> strings(const std::string& key,
                                                                   bool required = false);

  /// A list under `key`: nullptr when absent or null; an error (and nullptr) when not a sequence.
  const YamlNode* list(const std::string& key);
  /// Calls `f(item)` for each item of the list under `key` (see list()).
  template <class F> void each(const std::string& key, F f) {
    if (const YamlNode* n = list(key))
      for (const auto& item : n->items)
        f(*item);
  }
  /// How a key of this mapping is named in messages.
  std::string field(const std::string& key) const;
  /// Reports every key that is not declared (or, without a declaration, that no getter asked for).
  void finish();

private:
  const YamlNode* node_;
  std::string what_;
  Diagnostics& d_;
  Mark mark_;
  bool ok_;
  const NodeDecl* decl_ = nullptr;
  std::vector<std::string> known_;
  std::vector<std::string> unique_checked_; ///< declared-unique lists already checked
  /// The declaration of `key` when this reader has one (nullptr otherwise).
  const KeyDecl* declared(const std::string& key) const { return decl_ ? decl_->find(key) : nullptr; }
  /// Reports items of the list `v` under `key` that repeat a value its declaration says is unique.
  void check_unique(const std::string& key, const KeyDecl& k, const YamlNode& v);
};

} // namespace outagesim::sim
