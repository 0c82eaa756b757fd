#include "sim/run/Schema.hpp"

#include <cstdio>

#include "sim/scenario/Reader.hpp"

namespace outagesim::sim {

namespace {

using json = nlohmann::json;

// parse_duration: one or more NUMBER UNIT parts ("1h30m", "1.5s"), or "0".
const char* kDurationPart = "[0-9]+(\\.[0-9]+)?(ms|s|min|m|h|d)";

const char* kNumberPattern = "^[-+]?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?$";

std::string duration_pattern() {
  return std::string("^(0|(") + kDurationPart + ")+)$";
}

std::string time_pattern() {
  return std::string("^(\\+(0|(") + kDurationPart +
         ")+)|[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2})?[Zz])$";
}

std::string bandwidth_pattern() {
  return "^[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?(Tbps|Gbps|Mbps|kbps|bps)$";
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

bool has_min(const KeyDecl& k) {
  return k.min > -1e299;
}
bool has_max(const KeyDecl& k) {
  return k.max < 1e299;
}

void add_range(json& j, const KeyDecl& k) {
  if (has_min(k)) j["minimum"] = k.min;
  if (has_max(k)) j["maximum"] = k.max;
}

json node_schema(const NodeDecl& node);

json scalar_schema(ValueType t, const KeyDecl& k) {
  switch (t) {
  case ValueType::String:
    return json{{"type", json::array({"string", "number"})}};
  case ValueType::Number: {
    // YAML 1.1 readers take 1e5 for a string; outagesim reads it as the number it is.
    json j{{"type", "number"}};
    add_range(j, k);
    return json{{"anyOf", json::array({j, json{{"type", "string"}, {"pattern", kNumberPattern}}})}};
  }
  case ValueType::Integer: {
    json j{{"type", "integer"}};
    add_range(j, k);
    return j;
  }
  case ValueType::Bool:
    return json{{"anyOf", json::array({json{{"type", "boolean"}},
                                       json{{"enum", json::array({"yes", "no", "on", "off"})}}})}};
  case ValueType::Duration:
    return json{{"anyOf", json::array({json{{"type", "string"}, {"pattern", duration_pattern()}},
                                       json{{"const", 0}}})}};
  case ValueType::Time:
    return json{{"type", "string"}, {"pattern", time_pattern()}};
  case ValueType::Bandwidth:
    return json{{"type", "string"}, {"pattern", bandwidth_pattern()}};
  case ValueType::Choice:
    return json{{"enum", k.choices}};
  default:
    break;
  }
  return json::object();
}

json value_schema(ValueType t, const KeyDecl& k) {
  switch (t) {
  case ValueType::Strings: {
    json item = scalar_schema(ValueType::String, k);
    json list{{"type", "array"}, {"items", item}};
    if (k.unique == ".") list["uniqueItems"] = true; // each_once
    return json{{"anyOf", json::array({item, list})}};
  }
  case ValueType::Numbers:
    return json{{"type", "array"}, {"items", scalar_schema(ValueType::Number, k)}};
  case ValueType::Integers:
    return json{{"type", "array"}, {"items", scalar_schema(ValueType::Integer, k)}};
  case ValueType::Map:
    if (k.node) return node_schema(*k.node);
    return json{{"type", "object"},
                {"additionalProperties", json{{"type", json::array({"string", "number", "boolean"})}}}};
  case ValueType::List: {
    json item = k.node ? node_schema(*k.node) : json::object();
    if (k.node)
      item["properties"]["remove"] = json{{"type", "boolean"},
                                          {"description", "in a scenario that includes another: drop the "
                                                          "included item with this id"}};
    if (!k.also.empty()) {
      json any = json::array({item});
      for (ValueType a : k.also) {
        KeyDecl plain = k;
        any.push_back(scalar_schema(a, plain));
      }
      item = json{{"anyOf", any}};
    }
    return json{{"type", "array"}, {"items", item}};
  }
  default:
    return scalar_schema(t, k);
  }
}

json key_schema(const KeyDecl& k) {
  json j = value_schema(k.type, k);
  if (k.type == ValueType::Map && !k.also.empty()) {
    json any = json::array({j});
    for (ValueType a : k.also)
      any.push_back(value_schema(a, k));
    j = json{{"anyOf", any}};
  }
  std::string desc = k.doc;
  std::string summary = key_summary(k);
  if (!summary.empty()) desc += " (" + summary + ")";
  j["description"] = desc;
  if (!k.default_value.empty()) j["default"] = k.default_value;
  // A key set to null removes it when merging an include (RFC 7386 merge patch).
  return json{{"anyOf", json::array({j, json{{"type", "null"}}})}, {"description", desc}};
}

json node_schema(const NodeDecl& node) {
  json props = json::object();
  for (const auto& k : node.keys)
    props[k.name] = key_schema(k);
  return json{
      {"type", "object"}, {"description", node.doc}, {"properties", props}, {"additionalProperties", false}};
}

void print_node(std::ostream& out, const NodeDecl& node, const std::string& prefix, int indent) {
  std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& k : node.keys) {
    std::string path = prefix.empty() ? k.name : prefix + "." + k.name;
    out << pad << path << " (" << key_summary(k) << ")\n" << pad << "    " << k.doc << "\n";
    if (k.node) print_node(out, *k.node, path + (k.type == ValueType::List ? "[]" : ""), indent);
  }
}

} // namespace

std::string key_summary(const KeyDecl& k) {
  std::vector<std::string> parts;
  std::string type = value_type_name(k.type);
  for (ValueType a : k.also)
    type += " or " + std::string(value_type_name(a));
  parts.push_back(type);
  if (k.type == ValueType::Choice) parts.push_back("one of " + join(k.choices, "|"));
  if (!k.unit.empty() && k.unit != "s") parts.push_back(k.unit);
  if (k.required) parts.push_back("required");
  if (!k.default_value.empty()) parts.push_back("default " + k.default_value);
  if (has_min(k) || has_max(k))
    parts.push_back("range " + (has_min(k) ? fmt(k.min) : std::string("-inf")) + ".." +
                    (has_max(k) ? fmt(k.max) : std::string("inf")));
  if (!k.refers.empty()) parts.push_back("names " + k.refers);
  if (k.unique == ".")
    parts.push_back("each item once");
  else if (!k.unique.empty())
    parts.push_back("unique " + k.unique);
  return join(parts, ", ");
}

void print_keys(std::ostream& out, const NodeDecl& node, const std::string& prefix, int indent) {
  print_node(out, node, prefix, indent);
}

nlohmann::json scenario_schema(const std::vector<ModelInfo>& models) {
  NodeDecl file = scenario_file_decl(models);
  json j = node_schema(file);
  j["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  j["$id"] = "https://outagesim.invalid/outagesim.schema.json";
  j["title"] = "outagesim scenario";
  j["description"] =
      "A scenario of outagesim (generated by `outagesim schema` from the declared keys; a required "
      "key is marked in its description, since included files and --set may complete a file).";
  return j;
}

} // namespace outagesim::sim
