#pragma once
// Simulated time and durations. All simulated times are seconds (double) since the scenario start;
// absolute UTC appears only at the edges (scenario files and outputs), converted with the scenario's
// start epoch.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace outagesim::sim {

/// Seconds since the scenario start (simulated time).
using SimTime = double;
/// A span of simulated time, in seconds.
using Seconds = double;

/// Parses a duration with units: "90s", "15m", "6h", "1d", "250ms", "1h30m", "15m40s".
/// A bare "0" is accepted. Returns nullopt on anything else (no unit, negative, garbage).
std::optional<Seconds> parse_duration(std::string_view text);

/// Parses an absolute UTC time "2021-10-04T15:39:00Z" (seconds optional, "Z" required) into
/// seconds since the Unix epoch.
std::optional<std::int64_t> parse_utc(std::string_view text);

/// Formats seconds since the Unix epoch as "2021-10-04T15:39:00Z" (fractions of a second, if any,
/// with millisecond precision: "2021-10-04T15:39:00.250Z").
std::string format_utc(double epoch_seconds);

/// Formats a duration compactly: "1h30m", "15m40s", "0.25s", "0s".
std::string format_duration(Seconds s);

} // namespace outagesim::sim
