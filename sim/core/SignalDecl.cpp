#include "sim/core/SignalDecl.hpp"

namespace outagesim::sim {

std::vector<std::string> subject_kinds(const SignalDecl& decl) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= decl.subject.size() && !decl.subject.empty()) {
    std::size_t bar = decl.subject.find('|', from);
    if (bar == std::string::npos) bar = decl.subject.size();
    out.push_back(decl.subject.substr(from, bar - from));
    from = bar + 1;
  }
  return out;
}

bool subject_kind_declared(const SignalDecl& decl, const std::string& kind) {
  auto kinds = subject_kinds(decl);
  if (kinds.empty()) return true;
  for (const auto& k : kinds)
    if (k == kind) return true;
  return false;
}

namespace {
std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return out;
}
} // namespace

std::string subject_forms(const SignalDecl& decl) {
  std::vector<std::string> forms;
  for (const auto& k : subject_kinds(decl))
    forms.push_back(k + (k == "as" ? ":ASN" : k == "prefix" ? ":ADDR/LEN" : ":NAME"));
  return joined(forms);
}

std::string subject_kinds_text(const SignalDecl& decl) {
  return joined(subject_kinds(decl));
}

} // namespace outagesim::sim
