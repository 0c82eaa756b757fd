#include "sim/scenario/Diagnostics.hpp"

#include <algorithm>

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

void Diagnostics::sort() {
  // Files keep the order they were first reported in; within a file, problems go top to bottom.
  std::vector<std::string> files;
  for (const auto& d : items_) {
    std::string f = d.mark.file ? *d.mark.file : std::string();
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  }
  auto rank = [&](const Diagnostic& d) {
    std::string f = d.mark.file ? *d.mark.file : std::string();
    return std::find(files.begin(), files.end(), f) - files.begin();
  };
  std::stable_sort(items_.begin(), items_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    auto ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    return a.mark.line != b.mark.line ? a.mark.line < b.mark.line : a.mark.col < b.mark.col;
  });
}

void Diagnostics::print(std::ostream& os) const {
  for (const auto& d : items_)
    os << d.str() << '\n';
}

} // namespace outagesim::sim
