#pragma once
// The attacks on one DNS site, kept per timeline entry so that they add up: two botnets on one site,
// or a wildcard entry over every site plus a heavier one on a few, sum; the end of one (`until:`)
// leaves the others running. Engine-free.
#include <map>
#include <string>

namespace outagesim::dns {

class AttackShares {
public:
  struct Attack {
    double rate = 0;  ///< queries/s per server address at the site
    double flood = 0; ///< non-query traffic, bits/s
  };
  /// The entry `fault` attacks with `a` (replacing its earlier share, if any).
  void start(const std::string& fault, Attack a) { shares_[fault] = a; }
  /// The entry `fault` ends; the others go on.
  void end(const std::string& fault) { shares_.erase(fault); }
  /// Every attack ends (a `calm` entry of its own).
  void clear() { shares_.clear(); }
  /// What the site receives now: the sum of the running attacks.
  Attack total() const {
    Attack t;
    for (const auto& [fault, a] : shares_) {
      t.rate += a.rate;
      t.flood += a.flood;
    }
    return t;
  }

private:
  std::map<std::string, Attack> shares_;
};

} // namespace outagesim::dns
