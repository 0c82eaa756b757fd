#include "sim/core/Time.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace outagesim::sim {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

} // namespace

std::optional<Seconds> parse_duration(std::string_view text) {
  if (text == "0") return 0.0;
  if (text.empty()) return std::nullopt;
  double total = 0;
  std::size_t i = 0;
  int parts = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (is_digit(text[i]) || text[i] == '.'))
      ++i;
    if (start == i || i - start > 15) return std::nullopt;
    std::string number(text.substr(start, i - start));
    if (number.find('.') != number.rfind('.') || number.front() == '.' || number.back() == '.')
      return std::nullopt;
    double value = std::stod(number);
    std::size_t ustart = i;
    while (i < text.size() && !is_digit(text[i]) && text[i] != '.')
      ++i;
    std::string_view unit = text.substr(ustart, i - ustart);
    double scale;
    if (unit == "ms")
      scale = 1e-3;
    else if (unit == "s")
      scale = 1;
    else if (unit == "m" || unit == "min")
      scale = 60;
    else if (unit == "h")
      scale = 3600;
    else if (unit == "d")
      scale = 86400;
    else
      return std::nullopt;
    total += value * scale;
    ++parts;
  }
  if (parts == 0 || !std::isfinite(total)) return std::nullopt;
  return total;
}

std::optional<std::int64_t> parse_utc(std::string_view t) {
  // YYYY-MM-DDTHH:MM[:SS]Z
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > t.size()) return false;
    int v = 0;
    for (std::size_t k = pos; k < pos + len; ++k) {
      if (!is_digit(t[k])) return false;
      v = v * 10 + (t[k] - '0');
    }
    out = v;
    return true;
  };
  int y, mo, d, h, mi, s = 0;
  if (!num(0, 4, y) || t.size() < 17 || t[4] != '-' || !num(5, 2, mo) || t[7] != '-' || !num(8, 2, d) ||
      (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !num(11, 2, h) || t[13] != ':' || !num(14, 2, mi))
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < t.size() && t[pos] == ':') {
    if (!num(pos + 1, 2, s)) return std::nullopt;
    pos += 3;
  }
  if (pos + 1 != t.size() || (t[pos] != 'Z' && t[pos] != 'z')) return std::nullopt;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1) return std::nullopt;
  int maxd = mdays[mo - 1] + (mo == 2 && leap(y) ? 1 : 0);
  if (d > maxd || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + s;
}

std::string format_utc(double epoch_seconds) {
  double whole = std::floor(epoch_seconds);
  long ms = std::lround((epoch_seconds - whole) * 1000.0);
  if (ms >= 1000) {
    whole += 1;
    ms -= 1000;
  }
  std::time_t tt = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  if (ms == 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string format_duration(Seconds s) {
  if (s < 0) return "-" + format_duration(-s);
  if (s == 0) return "0s";
  std::string out;
  double rest = s;
  long days = static_cast<long>(rest / 86400);
  rest -= days * 86400.0;
  long hours = static_cast<long>(rest / 3600);
  rest -= hours * 3600.0;
  long mins = static_cast<long>(rest / 60);
  rest -= mins * 60.0;
  if (days) out += std::to_string(days) + "d";
  if (hours) out += std::to_string(hours) + "h";
  if (mins) out += std::to_string(mins) + "m";
  if (rest > 1e-9) {
    char buf[32];
    if (std::fabs(rest - std::round(rest)) < 1e-9)
      std::snprintf(buf, sizeof buf, "%lds", std::lround(rest));
    else
      std::snprintf(buf, sizeof buf, "%gs", rest);
    out += buf;
  }
  return out;
}

} // namespace outagesim::sim
