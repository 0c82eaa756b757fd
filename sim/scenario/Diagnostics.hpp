#pragma once
// Problems found in input files, each with the place it was found. Loading and validation collect
// every problem of a file (not just the first) and report them as
// `FILE:LINE:COL: error: what is wrong, and what was expected`.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace outagesim::sim {

/// A place in an input file. Lines and columns are 1-based; 0 means "the whole file".
struct Mark {
  std::shared_ptr<const std::string> file;
  int line = 0;
  int col = 0;

  std::string str() const;
};

/// One reported problem.
struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  Mark mark;
  std::string message;

  /// `FILE:LINE:COL: error: message`.
  std::string str() const;
};

/// Collects diagnostics in the order they were found.
class Diagnostics {
public:
  void error(const Mark& mark, std::string message);
  void warning(const Mark& mark, std::string message);
  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  /// Orders diagnostics by file, line and column (stable), as a reader goes through the file.
  void sort();
  /// Writes every diagnostic, one per line.
  void print(std::ostream& os) const;

private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

/// Thrown when input is bad enough that going on makes no sense; carries what was collected.
struct InputError : std::exception {
  explicit InputError(Diagnostics d) : diagnostics(std::move(d)) {}
  const char* what() const noexcept override { return "invalid input"; }
  Diagnostics diagnostics;
};

} // namespace outagesim::sim
