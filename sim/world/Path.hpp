#pragma once
// Entity paths: "KIND:ID" such as "as:32934", "dc:prineville", "link:backbone/prn-ftw". A pattern may
// hold `*` (any run of characters, '/' included) and `?` (one character) in its id part:
// "link:backbone/*" names every backbone link.
#include <string>
#include <string_view>

namespace outagesim::sim {

/// Glob match of `text` against `pattern` (`*` and `?`), linear in practice.
bool glob_match(std::string_view pattern, std::string_view text);

/// Splits "kind:id" at the first ':'; returns false if there is none or either part is empty.
bool split_path(std::string_view path, std::string& kind, std::string& id);

/// True if `id` is a valid entity id: letters, digits and . _ - / (no wildcards, no ':').
bool valid_entity_id(std::string_view id);

} // namespace outagesim::sim
