// libFuzzer target: the AS-relationship reader (CAIDA as-rel, plain or bzip2, serial 1 and 2).
// Any input must end in a graph or a TopologyError: an uncaught exception, a crash or a sanitizer
// report is a bug. See scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/bgp/TopologyLoader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace bgp = outagesim::bgp;
  try {
    std::string text = bgp::decode_maybe_bz2(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
    bgp::LoadedTopology t = bgp::parse_caida(text, "fuzz.txt");
    (void)t;
  } catch (const bgp::TopologyError&) {
    // reported with file:line:col, exit 2: fine
  }
  return 0;
}
