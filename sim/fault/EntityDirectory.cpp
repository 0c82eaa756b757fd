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
  std::vector<std::string> out;
  for (const auto& p : paths_)
    if (glob_match(pattern, p)) out.push_back(p);
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
