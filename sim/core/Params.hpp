#pragma once
// Model parameters declared once, with their doc, default and unit. `outagesim models` and the
// scenario loader both read these declarations; nothing else lists a model's parameters.
#include <map>
#include <string>
#include <vector>

namespace outagesim::sim {

/// What kind of value a parameter takes, and so how it is parsed from YAML or `--set`.
enum class ParamType { Duration, Number, Integer, Bool, Text };

/// One declared parameter.
struct ParamDecl {
  std::string name; ///< key under `models: {MODEL: {...}}`
  ParamType type;
  std::string default_value; ///< as written in a scenario ("30s", "0.5", "true")
  std::string unit;          ///< "s", "1", "queries/s", ... ("" for none)
  std::string doc;           ///< one line
  double min = -1e300;       ///< inclusive range for numbers and durations (seconds)
  double max = 1e300;
};

/// Parameter values of one model after defaults and scenario overrides, already checked.
class ParamValues {
public:
  void set(const std::string& name, double v) { numbers_[name] = v; }
  void set_text(const std::string& name, std::string v) { texts_[name] = std::move(v); }
  /// Durations are in seconds; bools are 0 or 1.
  double number(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  bool flag(const std::string& name) const { return number(name) != 0; }

private:
  std::map<std::string, double> numbers_;
  std::map<std::string, std::string> texts_;
};

const char* param_type_name(ParamType t);

} // namespace outagesim::sim
