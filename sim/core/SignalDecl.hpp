#pragma once
// A signal (../shared/design/SIGNALS.md) declared by the part that computes it: each model lists
// its own in its ModelInfo, the engine its own in sim/metrics/CoreSignals.cpp. The declarations make
// the catalogue that observed records and summaries are checked against, the `outagesim models`
// listing, and tell scoring what makes a value a signature of its fault class: no code outside the
// model names a model's signal.
#include <string>
#include <vector>

namespace outagesim::sim {

/// When a computed value is a signature of its fault class: `outagesim compare` names it among a
/// hypothesis's signatures when the observed record does not score that signal and subject.
struct SignatureRule {
  enum class When {
    Never,   ///< not a signature
    Above,   ///< a number greater than `threshold`
    AtLeast, ///< a number of at least `threshold`
    Below,   ///< a number less than `threshold`
    NonEmpty ///< a set with at least one item
  };
  When when = When::Never;
  double threshold = 0;
  /// Where its lines go among a run's signatures (lower first; the list is cut at a few lines, so
  /// the most specific evidence of a fault class goes first), then catalogue order.
  int rank = 0;
};

struct SignalDecl {
  std::string id;      ///< "bgp.valley_paths"
  std::string kind;    ///< time | number | ratio | bool | set | duration
  std::string subject; ///< kind of its subjects ("as", "prefix", "service", "name|resolver", ...)
  std::string unit;    ///< of a number ("MW", "1"; "" for none or where the kind says it)
  std::string doc;
  SignatureRule signature;

  /// Declares the value a signature when it is a number above `threshold` (and so on).
  SignalDecl& signature_when(SignatureRule::When when, double threshold, int rank) {
    signature = SignatureRule{when, threshold, rank};
    return *this;
  }
};

/// Starts a signal declaration.
inline SignalDecl signal_decl(std::string id, std::string kind, std::string subject, std::string unit,
                              std::string doc) {
  return SignalDecl{std::move(id), std::move(kind), std::move(subject), std::move(unit), std::move(doc), {}};
}

/// The kinds of subject `decl` is declared for ("name|resolver": name and resolver).
std::vector<std::string> subject_kinds(const SignalDecl& decl);

/// Whether a subject of kind `kind` (the part of "zone:example.com" before the colon) is one `decl`
/// is declared for; true when the declaration names no subject kind.
bool subject_kind_declared(const SignalDecl& decl, const std::string& kind);

/// The subjects `decl` takes, written as a reader would: "zone:NAME", "as:ASN or prefix:ADDR/LEN".
std::string subject_forms(const SignalDecl& decl);

/// Its subject kinds as words: "zone", "name or resolver".
std::string subject_kinds_text(const SignalDecl& decl);

/// The engine's own signals, computed from availability (sim/metrics/Signals.cpp).
const std::vector<SignalDecl>& core_signal_decls();

} // namespace outagesim::sim
