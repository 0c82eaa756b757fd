#pragma once
// A YAML document as a small tree whose every node knows where it came from (file, line, column).
// Built from yaml-cpp's event parser rather than yaml-cpp's Node, so that the loader can report
// duplicate keys, bound the cost of hostile input (size, nesting depth, alias expansion) and keep the
// origin of every value through includes and overrides.
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/Diagnostics.hpp"

namespace outagesim::sim {

struct YamlNode;
using YamlPtr = std::shared_ptr<YamlNode>;

/// One node of a parsed YAML document.
struct YamlNode {
  enum class Kind { Null, Scalar, Sequence, Map };
  struct Entry {
    std::string key;
    Mark key_mark;
    YamlPtr value;
  };

  Kind kind = Kind::Null;
  Mark mark;
  std::string scalar;         ///< text of a Scalar
  bool quoted = false;        ///< the scalar was quoted ("..." or '...')
  std::vector<YamlPtr> items; ///< elements of a Sequence
  std::vector<Entry> entries; ///< entries of a Map, in file order

  /// The value of `key` in a Map, or nullptr.
  const YamlNode* find(const std::string& key) const;
  Entry* find_entry(const std::string& key);
  /// "a mapping", "a sequence", "a scalar", "null": for error messages.
  const char* kind_name() const;
  /// A deep copy (aliases are expanded into separate copies).
  YamlPtr clone() const;
};

/// Limits that keep hostile input from exhausting the machine.
struct YamlLimits {
  std::size_t max_bytes = 16u << 20; ///< 16 MiB per file
  int max_depth = 64;                ///< nesting of mappings and sequences
  std::size_t max_nodes = 2'000'000; ///< nodes after alias expansion
};

/// Parses one YAML document from a file. Problems go to `diags`; returns nullptr when the file could
/// not be read or parsed. An empty file gives a Null node.
YamlPtr parse_yaml_file(const std::string& path, Diagnostics& diags, const YamlLimits& limits = {});

/// Reads a whole regular file of at most `max_bytes` into `text` (a FIFO, device or folder is
/// refused without reading); problems go to `diags` at FILE:1:1.
bool read_regular_file(const std::string& path, std::size_t max_bytes, std::string& text, Diagnostics& diags);

/// Same, from text in memory; `name` stands for the file name in marks.
YamlPtr parse_yaml_text(const std::string& text, const std::string& name, Diagnostics& diags,
                        const YamlLimits& limits = {});

} // namespace outagesim::sim
