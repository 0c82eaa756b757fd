#include "sim/scenario/YamlTree.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace outagesim::sim {

const YamlNode* YamlNode::find(const std::string& key) const {
  for (const auto& e : entries)
    if (e.key == key) return e.value.get();
  return nullptr;
}

YamlNode::Entry* YamlNode::find_entry(const std::string& key) {
  for (auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

const char* YamlNode::kind_name() const {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Scalar:
    return "a scalar";
  case Kind::Sequence:
    return "a sequence";
  case Kind::Map:
    return "a mapping";
  }
  return "?";
}

YamlPtr YamlNode::clone() const {
  auto n = std::make_shared<YamlNode>();
  n->kind = kind;
  n->mark = mark;
  n->scalar = scalar;
  n->quoted = quoted;
  for (const auto& i : items)
    n->items.push_back(i->clone());
  for (const auto& e : entries)
    n->entries.push_back({e.key, e.key_mark, e.value->clone()});
  return n;
}

namespace {

// Thrown out of the event handler to stop parsing at the first fatal problem.
struct Abort {};

class TreeBuilder : public YAML::EventHandler {
public:
  TreeBuilder(std::shared_ptr<const std::string> file, const std::string& text, Diagnostics& diags,
              const YamlLimits& limits)
      : file_(std::move(file)), text_(text), diags_(diags), limits_(limits) {}

  /// Where the document started (for "more than one document").
  Mark doc_mark() const { return doc_mark_; }

  YamlPtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark& m) override { doc_mark_ = mark_of(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto n = make(m, YamlNode::Kind::Null);
    add(n, anchor, 1);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(m, "alias to an unknown anchor");
    // Aliases share the anchored subtree; what counts is the size once expanded.
    add(it->second, 0, sizes_[anchor]);
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_tag(m, tag);
    if (tag == "!") check_closed_quote(m);
    auto n = make(m, YamlNode::Kind::Scalar);
    n->scalar = value;
    n->quoted = tag == "!";
    add(n, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    check_tag(m, tag);
    open(make(m, YamlNode::Kind::Sequence), anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    check_tag(m, tag);
    open(make(m, YamlNode::Kind::Map), anchor);
  }
  void OnMapEnd() override { close(); }

private:
  struct Frame {
    YamlPtr node;
    YAML::anchor_t anchor;
    std::size_t nodes_at_open;
    bool have_key = false;
    std::string key;
    Mark key_mark;
    std::map<std::string, Mark> seen;
  };

  Mark mark_of(const YAML::Mark& m) const { return Mark{file_, m.line + 1, m.column + 1}; }

  [[noreturn]] void fail(const YAML::Mark& m, std::string msg) {
    diags_.error(mark_of(m), std::move(msg));
    throw Abort{};
  }

  // yaml-cpp 0.7 lets a quoted scalar that is never closed run to the end of the file when the file
  // ends with a newline; catch it here, from the source text.
  void check_closed_quote(const YAML::Mark& m) {
    if (m.pos < 0 || static_cast<std::size_t>(m.pos) >= text_.size()) return;
    char q = text_[static_cast<std::size_t>(m.pos)];
    if (q != '"' && q != '\'') return;
    for (std::size_t i = static_cast<std::size_t>(m.pos) + 1; i < text_.size(); ++i) {
      if (q == '"' && text_[i] == '\\') {
        ++i;
        continue;
      }
      if (text_[i] != q) continue;
      if (q == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
        ++i;
        continue;
      }
      return;
    }
    fail(m, std::string("YAML syntax: this quoted string is never closed; expected a closing ") + q +
                " before the end of the file");
  }

  void check_tag(const YAML::Mark& m, const std::string& tag) {
    if (!tag.empty() && tag != "?" && tag != "!")
      fail(m, "YAML tag '" + tag + "' is not supported; expected plain values");
  }

  YamlPtr make(const YAML::Mark& m, YamlNode::Kind k) {
    auto n = std::make_shared<YamlNode>();
    n->kind = k;
    n->mark = mark_of(m);
    last_mark_ = m;
    return n;
  }

  void count(std::size_t n) {
    total_nodes_ += n;
    if (total_nodes_ > limits_.max_nodes)
      fail(last_mark_, "document expands to more than " + std::to_string(limits_.max_nodes) +
                           " nodes (alias expansion or a huge file); expected a scenario of sane size");
  }

  void add(const YamlPtr& n, YAML::anchor_t anchor, std::size_t expanded) {
    count(expanded);
    if (anchor) {
      anchors_[anchor] = n;
      sizes_[anchor] = expanded;
    }
    attach(n);
  }

  void attach(const YamlPtr& n) {
    if (stack_.empty()) {
      root_ = n;
      return;
    }
    Frame& f = stack_.back();
    if (f.node->kind == YamlNode::Kind::Sequence) {
      f.node->items.push_back(n);
      return;
    }
    if (!f.have_key) {
      if (n->kind != YamlNode::Kind::Scalar)
        fail(last_mark_, std::string("mapping key is ") + n->kind_name() + "; expected a plain scalar key");
      auto dup = f.seen.find(n->scalar);
      if (dup != f.seen.end()) {
        diags_.error(n->mark, "duplicate key '" + n->scalar + "' (first given at line " +
                                  std::to_string(dup->second.line) + "); expected each key once");
      } else {
        f.seen.emplace(n->scalar, n->mark);
      }
      f.have_key = true;
      f.key = n->scalar;
      f.key_mark = n->mark;
      return;
    }
    f.have_key = false;
    // yaml-cpp marks an empty value at the next token; the key is where the user looks.
    if (n->kind == YamlNode::Kind::Null) n->mark = f.key_mark;
    if (f.seen.count(f.key) && f.seen[f.key].line == f.key_mark.line && f.seen[f.key].col == f.key_mark.col)
      f.node->entries.push_back({f.key, f.key_mark, n});
  }

  void open(const YamlPtr& n, YAML::anchor_t anchor) {
    count(1);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      fail(last_mark_, "nesting deeper than " + std::to_string(limits_.max_depth) +
                           " levels; expected a scenario of sane shape");
    attach(n);
    stack_.push_back(Frame{n, anchor, total_nodes_});
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor) {
      anchors_[f.anchor] = f.node;
      sizes_[f.anchor] = total_nodes_ - f.nodes_at_open + 1;
    }
  }

  std::shared_ptr<const std::string> file_;
  const std::string& text_;
  Mark doc_mark_;
  Diagnostics& diags_;
  const YamlLimits& limits_;
  YamlPtr root_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, YamlPtr> anchors_;
  std::map<YAML::anchor_t, std::size_t> sizes_;
  std::size_t total_nodes_ = 0;
  YAML::Mark last_mark_;
};

// yaml-cpp's messages say what it found; add what it expected, for the common cases.
std::string syntax_hint(const std::string& msg) {
  static const std::pair<const char*, const char*> hints[] = {
      {"illegal flow end", "; expected a ] or } only to close an open [ or {"},
      {"end of map flow not found", "; expected a } to close the {"},
      {"end of sequence flow not found", "; expected a ] to close the ["},
      {"end of map not found", "; expected the keys of one mapping at the same indentation"},
      {"end of sequence not found", "; expected the items of one list at the same indentation"},
      {"illegal map value", "; expected KEY: VALUE with spaces for indentation"},
      {"the referenced anchor is not defined", "; expected an &anchor defined before its *alias"},
      {"illegal EOF in scalar", "; expected the closing quote"},
  };
  for (const auto& [m, h] : hints)
    if (msg.find(m) != std::string::npos) return h;
  return "; expected valid YAML";
}

// Rejects bytes that cannot be YAML text: NUL and other control characters, invalid UTF-8.
bool check_text(const std::string& text, const std::shared_ptr<const std::string>& file, Diagnostics& diags) {
  int line = 1, col = 1;
  bool at_line_start = true; // only blanks so far on this line
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    bool ok = true;
    if (c < 0x80) {
      ok = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
      if (c == 0x7f) ok = false;
    } else if ((c >> 5) == 0x6) {
      len = 2;
    } else if ((c >> 4) == 0xe) {
      len = 3;
    } else if ((c >> 3) == 0x1e) {
      len = 4;
    } else {
      ok = false;
    }
    if (ok && len > 1) {
      if (i + len > text.size()) ok = false;
      for (std::size_t k = 1; ok && k < len; ++k)
        if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) ok = false;
      if (ok && len == 2 && c < 0xc2) ok = false; // overlong
    }
    if (!ok) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02x", c);
      diags.error(Mark{file, line, col},
                  std::string("byte ") + buf + " is not text; expected a UTF-8 YAML file");
      return false;
    }
    if (c == '\t' && at_line_start) {
      diags.error(Mark{file, line, col},
                  "tab in indentation; expected spaces (YAML does not allow tabs there)");
      return false;
    }
    if (c != ' ' && c != '\t') at_line_start = false;
    if (c == '\n') {
      at_line_start = true;
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += len;
  }
  return true;
}

} // namespace

YamlPtr parse_yaml_text(const std::string& text, const std::string& name, Diagnostics& diags,
                        const YamlLimits& limits) {
  auto file = std::make_shared<const std::string>(name);
  if (text.size() > limits.max_bytes) {
    diags.error(Mark{file, 1, 1}, "file is " + std::to_string(text.size()) + " bytes; expected at most " +
                                      std::to_string(limits.max_bytes) + " bytes for a scenario");
    return nullptr;
  }
  if (!check_text(text, file, diags)) return nullptr;
  std::istringstream in(text);
  TreeBuilder builder(file, text, diags, limits);
  int before = diags.error_count();
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder))
      return std::make_shared<YamlNode>(YamlNode{YamlNode::Kind::Null, {file, 1, 1}});
    YamlPtr root = builder.root();
    TreeBuilder second(file, text, diags, limits);
    if (parser.HandleNextDocument(second)) {
      diags.error(second.doc_mark(),
                  "more than one YAML document ('---'); expected a single scenario document");
      return nullptr;
    }
    if (diags.error_count() > before) return nullptr;
    if (!root) root = std::make_shared<YamlNode>(YamlNode{YamlNode::Kind::Null, {file, 1, 1}});
    return root;
  } catch (const Abort&) {
    return nullptr;
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg;
    diags.error(Mark{file, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + msg + syntax_hint(msg));
    return nullptr;
  } catch (const std::exception& e) {
    diags.error(Mark{file, 1, 1}, std::string("cannot parse YAML: ") + e.what());
    return nullptr;
  }
}

YamlPtr parse_yaml_file(const std::string& path, Diagnostics& diags, const YamlLimits& limits) {
  auto file = std::make_shared<const std::string>(path);
  std::string text;
  if (!read_regular_file(path, limits.max_bytes, text, diags)) return nullptr;
  return parse_yaml_text(text, path, diags, limits);
}

bool read_regular_file(const std::string& path, std::size_t max_bytes, std::string& text, Diagnostics& diags) {
  auto file = std::make_shared<const std::string>(path);
  // Opened without blocking, then checked: a FIFO, a device or a folder is refused, never read
  // (a FIFO would wait for a writer forever, /dev/zero never ends).
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    diags.error(Mark{file, 1, 1}, err == ENOENT ? "no such file; expected a readable file"
                                                : std::string("cannot open file (") + std::strerror(err) +
                                                      "); expected a readable file");
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    const char* what = S_ISDIR(st.st_mode)    ? "a folder"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    diags.error(Mark{file, 1, 1}, std::string("is ") + what + "; expected a regular file");
    return false;
  }
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    ::close(fd);
    diags.error(Mark{file, 1, 1}, "file is " + std::to_string(size) + " bytes; expected at most " +
                                      std::to_string(max_bytes) + " bytes for a scenario");
    return false;
  }
  text.assign(static_cast<std::size_t>(size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != text.size()) {
    diags.error(Mark{file, 1, 1}, "read error (the file changed while read); expected a readable file");
    return false;
  }
  return true;
}

} // namespace outagesim::sim
