#!/usr/bin/env bash
# Second command of the README (and CI's): installs what is missing, builds, and runs every test:
# first the Release build, then the unit tests and the bad-input corpus again under ASan+UBSan, then
# each libFuzzer target for 20 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
"$root/scripts/deps.sh"
"$root/scripts/build.sh" "$root/build"
(cd "$root/build" && ctest --output-on-failure -j "$jobs")
if [ "${OUTAGESIM_SKIP_SANITIZE:-0}" != 1 ]; then
  # Only what the sanitized tests run (the CLI for the bad-input corpus, and the unit tests).
  cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOUTAGESIM_SANITIZE=ON >/dev/null
  cmake --build "$root/build-asan" -j "$jobs" --target outagesim outagesim_tests
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$jobs" -L "unit|bad")
fi
# The parsers under libFuzzer, briefly (scripts/fuzz.sh; OUTAGESIM_FUZZ_SECONDS=0 skips it).
fuzz_seconds=${OUTAGESIM_FUZZ_SECONDS:-20}
if [ "$fuzz_seconds" != 0 ]; then
  "$root/scripts/fuzz.sh" "$fuzz_seconds"
fi
echo "outagesim: all tests passed"
