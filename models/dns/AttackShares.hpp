#pragma once
// The attacks on one DNS site, kept per timeline entry so that they add up: two botnets on one site,
// or a wildcard entry over every site plus a heavier one on a few, sum; the end of one (`until:`)
// leaves the others running. Each attack has a shape in time: a ramp from nothing to its peak, waves
// (on for wave_on, off for wave_off, again and again while the entry lasts: a botnet's operators
// moving it between targets), and mitigation: a scrubbing service that, from scrub_after after the
// start, drops the share `scrub` of the attack's traffic before it reaches the site's links.
// Engine-free.
#include <cmath>
#include <map>
#include <string>

namespace outagesim::dns {

class AttackShares {
public:
  struct Attack {
    double rate = 0;                  ///< queries/s per server address at the site, at the peak
    double flood = 0;                 ///< non-query traffic, bits/s, at the peak
    double start = 0;                 ///< seconds: when the entry began
    double ramp = 0;                  ///< seconds from nothing to the peak (of the attack, and of every wave)
    double wave_on = 0, wave_off = 0; ///< seconds; wave_on 0: one wave for as long as the entry lasts
    double scrub = 0;                 ///< share of the attack's traffic dropped by scrubbing, 0..1
    double scrub_after = -1;          ///< seconds after the start when scrubbing begins; < 0: never
    /// With a botnet footprint (sources by region): the share of the botnet's traffic that anycast
    /// routing brings to this site now (the model recomputes it every step); 1 without a footprint.
    double catchment = 1;
    bool footprint = false;

    /// Share of the peak sent at time t (0..1): ramp, waves.
    double level(double t) const {
      double tau = t - start;
      if (tau < 0) return 0;
      if (wave_on > 0 && wave_off > 0) {
        tau = std::fmod(tau, wave_on + wave_off);
        if (tau >= wave_on) return 0;
      }
      return ramp > 0 ? std::min(1.0, tau / ramp) : 1.0;
    }
    /// Whether a wave is on at time t (ramping up or at its peak).
    bool in_wave(double t) const {
      const double tau = t - start;
      if (tau < 0) return false;
      return !(wave_on > 0 && wave_off > 0) || std::fmod(tau, wave_on + wave_off) < wave_on;
    }
    /// Share of what is sent that passes the scrubbing at time t.
    double passed(double t) const { return scrubbing(t) ? 1 - scrub : 1.0; }
    bool scrubbing(double t) const { return scrub > 0 && scrub_after >= 0 && t - start >= scrub_after; }
    /// Whether its traffic changes over time (the model then refreshes it every step).
    bool shaped() const {
      return footprint || ramp > 0 || (wave_on > 0 && wave_off > 0) || (scrub > 0 && scrub_after >= 0);
    }
  };
  /// What a site receives at one instant.
  struct Load {
    double rate = 0, flood = 0;
    bool on = false;        ///< some attack is in a wave now (ramping up or at its peak)
    bool scrubbing = false; ///< some attack is being scrubbed now
  };
  /// The entry `fault` attacks with `a` (replacing its earlier share, if any).
  void start(const std::string& fault, Attack a) { shares_[fault] = a; }
  /// The entry `fault` ends; the others go on.
  void end(const std::string& fault) { shares_.erase(fault); }
  /// Every attack ends (a `calm` entry of its own).
  void clear() { shares_.clear(); }
  bool empty() const { return shares_.empty(); }
  /// Every running attack by its entry (to refresh footprints' catchments).
  std::map<std::string, Attack>& attacks() { return shares_; }
  bool shaped() const {
    for (const auto& [fault, a] : shares_)
      if (a.shaped()) return true;
    return false;
  }
  /// What the site receives at time t: the sum of the running attacks, shaped and scrubbed.
  Load at(double t) const {
    Load l;
    for (const auto& [fault, a] : shares_) {
      const double f = a.level(t) * a.passed(t) * a.catchment;
      l.rate += a.rate * f;
      l.flood += a.flood * f;
      l.on = l.on || a.in_wave(t);
      l.scrubbing = l.scrubbing || a.scrubbing(t);
    }
    return l;
  }
  /// The peak of every running attack, unshaped (what the entries ask for; a footprint's share of
  /// it here as it is now).
  Load total() const {
    Load l;
    for (const auto& [fault, a] : shares_) {
      l.rate += a.rate * a.catchment;
      l.flood += a.flood * a.catchment;
      l.on = true;
    }
    return l;
  }

private:
  std::map<std::string, Attack> shares_;
};

} // namespace outagesim::dns
