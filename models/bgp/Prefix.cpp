#include "models/bgp/Prefix.hpp"

namespace outagesim::bgp {
namespace {

// Parses a decimal number of at most `max_digits` digits starting at text[pos]; advances pos.
bool parse_number(std::string_view text, std::size_t& pos, unsigned max_digits, unsigned& out) {
  std::size_t start = pos;
  unsigned v = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < max_digits) {
    v = v * 10 + static_cast<unsigned>(text[pos] - '0');
    ++pos;
  }
  if (pos == start) return false;
  if (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') return false; // too many digits
  out = v;
  return true;
}

} // namespace

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  std::size_t pos = 0;
  Ipv4 a = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    unsigned octet;
    if (!parse_number(text, pos, 3, octet) || octet > 255) return std::nullopt;
    a = (a << 8) | octet;
  }
  if (pos != text.size()) return std::nullopt;
  return a;
}

std::string format_ipv4(Ipv4 a) {
  // Digits by hand (no printf: route lookups format addresses on their hot path).
  char buf[16];
  char* out = buf;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const unsigned octet = (a >> shift) & 255u;
    if (octet >= 100) *out++ = static_cast<char>('0' + octet / 100);
    if (octet >= 10) *out++ = static_cast<char>('0' + octet / 10 % 10);
    *out++ = static_cast<char>('0' + octet % 10);
    if (shift) *out++ = '.';
  }
  return std::string(buf, out);
}

Prefix Prefix::make(Ipv4 address, unsigned length) {
  Prefix p;
  p.length = static_cast<std::uint8_t>(length > 32 ? 32 : length);
  p.address = address & p.mask();
  return p;
}

std::optional<Prefix> Prefix::parse(std::string_view text) {
  std::size_t slash = text.find('/');
  auto addr = parse_ipv4(text.substr(0, slash));
  if (!addr) return std::nullopt;
  unsigned len = 32;
  if (slash != std::string_view::npos) {
    std::size_t pos = slash + 1;
    if (!parse_number(text, pos, 2, len) || pos != text.size() || len > 32) return std::nullopt;
  }
  Prefix p = make(*addr, len);
  if (p.address != *addr) return std::nullopt; // host bits set
  return p;
}

std::string Prefix::to_string() const {
  return format_ipv4(address) + "/" + std::to_string(length);
}

} // namespace outagesim::bgp
