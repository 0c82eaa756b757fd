#include "sim/world/Path.hpp"

namespace outagesim::sim {

bool glob_match(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

bool split_path(std::string_view path, std::string& kind, std::string& id) {
  auto c = path.find(':');
  if (c == std::string_view::npos || c == 0 || c + 1 >= path.size()) return false;
  kind = std::string(path.substr(0, c));
  id = std::string(path.substr(c + 1));
  return true;
}

bool valid_entity_id(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

} // namespace outagesim::sim
