#!/usr/bin/env bash
# Measures `outagesim validate` on a generated scenario of N links and N wildcard timeline entries
# (each entry matches one link by a pattern; one entry matches all of them), the case that was
# quadratic (faults x entities). Prints the wall time of each binary given.
# Usage: scripts/bench-validate.sh [N] [OUTAGESIM...]   (default 20000, build/outagesim)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20000}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$root/build/outagesim")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$n" >"$dir/big.yaml" <<'PY'
import sys
n = int(sys.argv[1])
print("scenario: {name: bench-validate, start: 2021-10-04T08:00:00Z, duration: 1d}")
print("topology:\n  datacenters: [{id: central}]\n  regions: [{id: town}]\n  links:")
for i in range(n):
    print(f"    - {{id: bb/l{i:06d}, between: [dc:central, region:town], latency: 5ms}}")
print("services: [{id: web, served_from: [dc:central]}]\nfaults:")
print("  - {at: +1m, target: 'link:bb/*', action: down, for: 1m}")
for i in range(n - 1):
    print(f"  - {{at: +{10 + i % 1000}m, target: 'link:bb/l{i:06d}*', action: down, for: 1m}}")
PY
echo "scenario: $n links, $n wildcard timeline entries ($(wc -c <"$dir/big.yaml") bytes)"
for b in "${bins[@]}"; do
  start=$(date +%s.%N)
  set +e
  "$b" validate "$dir/big.yaml" --max-actions 1e12 >/dev/null 2>"$dir/err" || "$b" validate "$dir/big.yaml" >/dev/null 2>"$dir/err"
  rc=$?
  set -e
  end=$(date +%s.%N)
  printf '%s: %.2f s (exit %d)\n' "$b" "$(echo "$end - $start" | bc)" "$rc"
done
