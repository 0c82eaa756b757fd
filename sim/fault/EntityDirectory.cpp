#include "sim/fault/EntityDirectory.hpp"

#include <algorithm>

#include "sim/world/Path.hpp"

namespace outagesim::sim {

void EntityDirectory::add_entities(const std::vector<std::string>& paths) {
  paths_.insert(paths_.end(), paths.begin(), paths.end());
  std::sort(paths_.begin(), paths_.end());
  paths_.erase(std::unique(paths_.begin(), paths_.end()), paths_.end());
}

void EntityDirectory::on(const std::string& kind, const std::string& action, ActionHandler handler) {
  handlers_[{kind, action}] = std::move(handler);
}

void EntityDirectory::add_matcher(const std::string& kind,
                                  std::function<std::vector<std::string>(const std::string&)> matcher) {
  matchers_[kind] = std::move(matcher);
}

std::vector<std::string> EntityDirectory::match(const std::string& pattern) const {
  std::string kind, id;
  if (split_path(pattern, kind, id)) {
    auto m = matchers_.find(kind);
    if (m != matchers_.end()) return m->second(pattern);
  }
  // Only the paths that share the pattern's literal start (paths_ is sorted).
  std::vector<std::string> out;
  std::string literal = pattern.substr(0, pattern.find_first_of("*?"));
  for (auto it = std::lower_bound(paths_.begin(), paths_.end(), literal);
       it != paths_.end() && it->compare(0, literal.size(), literal) == 0; ++it)
    if (glob_match(pattern, *it)) out.push_back(*it);
  return out;
}

std::uint64_t EntityDirectory::apply(const std::string& path, const ActionRequest& request) const {
  std::string kind, id;
  if (!split_path(path, kind, id)) return 0;
  auto it = handlers_.find({kind, request.action});
  if (it == handlers_.end()) return 0;
  return it->second(path, request);
}

bool EntityDirectory::supports(const std::string& kind, const std::string& action) const {
  return handlers_.count({kind, action}) > 0;
}

} // namespace outagesim::sim
