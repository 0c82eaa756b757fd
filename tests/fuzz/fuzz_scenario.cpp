// libFuzzer target: the scenario loader (YAML tree, includes, --set-free validation, every model's
// sections) and the graph a validated scenario builds. Any input must end in a scenario or in
// diagnostics: an uncaught exception, a crash or a sanitizer report is a bug. See scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/Registry.hpp"
#include "sim/scenario/Loader.hpp"
#include "sim/world/World.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sim = outagesim::sim;
  std::string text(reinterpret_cast<const char*>(data), size);
  sim::Diagnostics d;
  try {
    auto s = sim::load_scenario_text(text, "fuzz.yaml", sim::LoadOptions{}, outagesim::models::all(), d);
    if (s) sim::World w(*s);
  } catch (const sim::InputError&) {
    // reported as diagnostics, exit 2: fine
  }
  return 0;
}
