#include "sim/core/Params.hpp"

#include <stdexcept>

namespace outagesim::sim {

double ParamValues::number(const std::string& name) const {
  auto it = numbers_.find(name);
  if (it == numbers_.end()) throw std::logic_error("undeclared numeric parameter: " + name);
  return it->second;
}

const std::string& ParamValues::text(const std::string& name) const {
  auto it = texts_.find(name);
  if (it == texts_.end()) throw std::logic_error("undeclared text parameter: " + name);
  return it->second;
}

const char* param_type_name(ParamType t) {
  switch (t) {
  case ParamType::Duration:
    return "duration";
  case ParamType::Number:
    return "number";
  case ParamType::Integer:
    return "integer";
  case ParamType::Bool:
    return "bool";
  case ParamType::Text:
    return "text";
  }
  return "?";
}

} // namespace outagesim::sim
