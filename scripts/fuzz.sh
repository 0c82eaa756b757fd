#!/usr/bin/env bash
# Fuzzes the parsers with libFuzzer (clang + libclang-rt from Debian), ASan and UBSan:
#   fuzz_scenario  the scenario loader (every model's sections) and the graph it builds
#   fuzz_observed  observed records (.signals.yaml) and run summaries (summary.json), and scoring
#   fuzz_asrel     the AS-relationship reader (CAIDA as-rel, plain or .bz2)
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default 60 s per target, all targets)
# Builds in build-fuzz/ (OUTAGESIM_FUZZ=ON), seeds each corpus from the repository's scenarios and
# tests (and ../shared/data where present), runs each target for SECONDS and prints its executions.
# A crash leaves its input in build-fuzz/crashes/TARGET/ and makes the script fail: turn it into a
# tests/bad case. The grown corpora are kept in build-fuzz/corpus/ for the next run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_scenario fuzz_observed fuzz_asrel)
dir=${OUTAGESIM_FUZZ_DIR:-"$root/build-fuzz"}
jobs=$(nproc 2>/dev/null || echo 2)
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (scripts/deps.sh installs it)" >&2; exit 1; }

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOUTAGESIM_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$dir" -j "$jobs" --target "${targets[@]}" >/dev/null

seed() { # seed TARGET FILE...: copies the files that exist into the target's corpus
  local t=$1
  shift
  mkdir -p "$dir/corpus/$t"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/corpus/$t/$(echo "$f" | md5sum | cut -c1-16)-$(basename "$f")"
  done
  return 0
}
shopt -s nullglob
seed fuzz_scenario "$root"/scenarios/*/*.yaml "$root"/scenarios/*/*/*.yaml "$root"/tests/bad/*.yaml \
  "$root"/tests/bad/inc/*.yaml "$root"/tests/golden/*/*.yaml
seed fuzz_observed "$root"/tests/bad/*.signals.yaml "$root"/tests/bad/*.json "$root"/tests/bad/inc/*.yaml \
  "$root"/tests/bad/inc/run/summary.json "$root"/../shared/data/observed/*.yaml
mkdir -p "$dir/seeds"
printf '# serial-1\n1|2|-1\n2|3|0\n3|4|-1\n' >"$dir/seeds/serial1.txt"
printf '# serial-2\n1|2|-1|bgp\n2|3|0|mlp\n' >"$dir/seeds/serial2.txt"
bzip2 -c "$dir/seeds/serial1.txt" >"$dir/seeds/serial1.txt.bz2"
for f in "$root"/../shared/data/caida/*.as-rel*.bz2; do
  bzcat "$f" | head -c 4000 >"$dir/seeds/caida-head.txt" || true
done
seed fuzz_asrel "$dir"/seeds/*

status=0
for t in "${targets[@]}"; do
  mkdir -p "$dir/crashes/$t"
  log="$dir/$t.log"
  set +e
  "$dir/tests/fuzz/$t" "$dir/corpus/$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/crashes/$t/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ $rc -ne 0 ]; then
    echo "$t: FAILED after ${seconds}s ($execs executions); input in $dir/crashes/$t/, log $log" >&2
    grep -m5 'ERROR\|SUMMARY' "$log" >&2 || true
    status=1
  else
    echo "$t: $execs executions in ${seconds}s, no crash (corpus: $(ls "$dir/corpus/$t" | wc -l) inputs)"
  fi
done
exit $status
