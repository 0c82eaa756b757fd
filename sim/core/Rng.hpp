#pragma once
// Seeded random streams. Every consumer of randomness asks for a named stream; a stream depends only
// on the run's seed and its name, so adding a model never shifts another model's random numbers.
#include <cstdint>
#include <random>
#include <string_view>

namespace outagesim::sim {

/// SplitMix64 step: a good 64-bit mixer for deriving seeds.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// FNV-1a hash of a name (stable across platforms and runs, unlike std::hash).
constexpr std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

/// Derives the named stream of a run seed.
inline std::mt19937_64 rng_stream(std::uint64_t seed, std::string_view name) {
  return std::mt19937_64(splitmix64(seed ^ splitmix64(stable_hash(name))));
}

/// Uniform double in [0, 1) from a 64-bit generator, identical on every platform
/// (std::uniform_real_distribution is not specified bit for bit).
inline double uniform01(std::mt19937_64& g) {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

} // namespace outagesim::sim
