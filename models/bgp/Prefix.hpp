#pragma once
// IPv4 addresses and prefixes for the BGP model: parsing, formatting, containment and the
// longest-prefix-match order used by the data plane.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace outagesim::bgp {

/// An IPv4 address in host byte order ("129.134.30.12" is 0x81861E0C).
using Ipv4 = std::uint32_t;

/// Parses dotted-quad "a.b.c.d" (each 0..255, no leading '+', no spaces). nullopt on anything else.
std::optional<Ipv4> parse_ipv4(std::string_view text);

/// Formats an address as dotted quad.
std::string format_ipv4(Ipv4 address);

/// An IPv4 prefix "address/length". Host bits are always zero (parse rejects them, make() clears
/// them), so two equal prefixes compare equal field by field.
struct Prefix {
  Ipv4 address = 0;        ///< network address, host bits zero
  std::uint8_t length = 0; ///< 0..32

  /// Builds a prefix, clearing the host bits of `address`. `length` must be <= 32.
  static Prefix make(Ipv4 address, unsigned length);
  /// Parses "a.b.c.d/len" strictly: len 0..32, host bits must be zero ("10.0.0.1/8" is rejected,
  /// since in a scenario file it is almost always a typo). A bare address means /32.
  static std::optional<Prefix> parse(std::string_view text);

  /// Network mask of this length (0 for /0).
  Ipv4 mask() const { return length == 0 ? 0u : ~0u << (32 - length); }
  /// True if `a` falls inside this prefix.
  bool contains(Ipv4 a) const { return (a & mask()) == address; }
  /// True if `other` is this prefix or a more-specific of it.
  bool covers(const Prefix& other) const { return other.length >= length && contains(other.address); }
  /// "a.b.c.d/len".
  std::string to_string() const;

  friend bool operator==(const Prefix& a, const Prefix& b) {
    return a.address == b.address && a.length == b.length;
  }
  friend bool operator!=(const Prefix& a, const Prefix& b) { return !(a == b); }
  /// Orders by address, then shorter first: a stable, readable order for outputs.
  friend bool operator<(const Prefix& a, const Prefix& b) {
    return a.address != b.address ? a.address < b.address : a.length < b.length;
  }
};

} // namespace outagesim::bgp
