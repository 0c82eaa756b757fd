#include "sim/scenario/Diagnostics.hpp"

namespace outagesim::sim {

std::string Mark::str() const {
  std::string s = file ? *file : std::string("<input>");
  if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(col > 0 ? col : 1);
  return s;
}

std::string Diagnostic::str() const {
  return mark.str() + (severity == Severity::Error ? ": error: " : ": warning: ") + message;
}

void Diagnostics::error(const Mark& mark, std::string message) {
  items_.push_back({Diagnostic::Severity::Error, mark, std::move(message)});
  ++errors_;
}

void Diagnostics::warning(const Mark& mark, std::string message) {
  items_.push_back({Diagnostic::Severity::Warning, mark, std::move(message)});
}

void Diagnostics::print(std::ostream& os) const {
  for (const auto& d : items_)
    os << d.str() << '\n';
}

} // namespace outagesim::sim
