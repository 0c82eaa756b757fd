#pragma once
// Every key a scenario may hold, declared once: its type, unit, default, range, doc, the kind of
// entity it names and whether the ids of a list must be unique. The declarations drive the readers
// (a MapReader given a NodeDecl rejects any other key and lists the declared ones), uniqueness of
// ids, the `outagesim models` listing and the JSON Schema of `outagesim schema`.
#include <memory>
#include <string>
#include <vector>

#include "sim/core/Params.hpp"

namespace outagesim::sim {

/// The type of a key's value as written in YAML.
enum class ValueType {
  String,    ///< any scalar, kept as text
  Number,    ///< a decimal number
  Integer,   ///< an integer
  Bool,      ///< true/false (yes/no, on/off)
  Duration,  ///< "90s", "15m", "1h30m"
  Time,      ///< "+15m" from the start, or UTC "2021-10-04T15:39:00Z"
  Bandwidth, ///< "10Gbps", "100Mbps"
  Choice,    ///< one of `choices`
  Strings,   ///< a list of strings (one string is read as a list of one)
  Numbers,   ///< a list of numbers
  Integers,  ///< a list of integers
  Map,       ///< a mapping: the keys of `node` (or any scalar values when `node` is null)
  List,      ///< a list of mappings with the keys of `node`
};

const char* value_type_name(ValueType t);

struct NodeDecl;

/// One declared key.
struct KeyDecl {
  std::string name;
  ValueType type = ValueType::String;
  std::string doc;
  std::string unit;          ///< "s", "rps", "MW", "1" ... ("" for none)
  std::string default_value; ///< as written in a scenario ("" for none)
  double min = -1e300;       ///< inclusive range of numbers, integers (and their lists)
  double max = 1e300;
  bool required = false;
  std::vector<std::string> choices; ///< for Choice
  std::string refers;               ///< kind of entity the value names ("node", "dc", "service", "as", ...)
  /// List: the item key whose values must differ across items; Strings, Integers: "." when the
  /// items themselves must differ. The reader enforces it (a value naming an entity of kind
  /// `refers` is compared without its "KIND:" prefix).
  std::string unique;
  ///< Other forms the value may take: for a Map, "Integers" (a list of AS numbers instead); for a
  ///< List, "Integer" (an item may be a bare integer instead of a mapping).
  std::vector<ValueType> also;
  std::shared_ptr<const NodeDecl> node; ///< Map/List: the keys of the mapping, or of each item

  // Fluent setters for declaration tables.
  KeyDecl& with_unit(std::string u) {
    unit = std::move(u);
    return *this;
  }
  KeyDecl& with_default(std::string v) {
    default_value = std::move(v);
    return *this;
  }
  KeyDecl& range(double lo, double hi) {
    min = lo;
    max = hi;
    return *this;
  }
  KeyDecl& at_least(double lo) {
    min = lo;
    return *this;
  }
  KeyDecl& needed() {
    required = true;
    return *this;
  }
  KeyDecl& one_of(std::vector<std::string> c) {
    choices = std::move(c);
    return *this;
  }
  KeyDecl& names(std::string kind) {
    refers = std::move(kind);
    return *this;
  }
  KeyDecl& unique_by(std::string key) {
    unique = std::move(key);
    return *this;
  }
  /// Strings, Integers: no item may be given twice.
  KeyDecl& each_once() {
    unique = ".";
    return *this;
  }
  KeyDecl& or_also(ValueType t) {
    also.push_back(t);
    return *this;
  }
  KeyDecl& keys(std::string what, std::string node_doc, std::vector<KeyDecl> k);
};

/// The keys of one mapping.
struct NodeDecl {
  std::string what; ///< how messages and listings name it ("bgp.links item")
  std::string doc;
  std::vector<KeyDecl> keys;
  const KeyDecl* find(const std::string& name) const;
  /// The node of key `name` (a Map or List key); throws std::logic_error when it has none.
  const NodeDecl& child(const std::string& name) const;
  /// The declared key names, sorted.
  std::vector<std::string> names() const;
};

/// The longest run a scenario may ask for (scenario.duration): the bound of time constants, delays
/// and TTLs that have no tighter natural one (a TTL longer than any run never expires in one).
constexpr double kMaxRunSeconds = 366 * 86400.0;

/// Starts a key declaration.
KeyDecl key(std::string name, ValueType type, std::string doc);

/// The declaration of a model parameter as a key (for `models: {MODEL: {...}}`).
KeyDecl param_key(const ParamDecl& p);
ValueType param_value_type(ParamType t);

/// The core scenario's sections: scenario, topology, services, faults (models and the models' own
/// sections are added from the ModelInfos).
const std::vector<KeyDecl>& core_section_keys();
const NodeDecl& core_section(const std::string& name);

} // namespace outagesim::sim
