#!/usr/bin/env bash
# First command of the README: installs what is missing, builds (Release), runs the default
# scenario, draws its pictures and writes its report.html, whose path it prints last.
# Usage: scripts/run.sh [SCENARIO] [outagesim run options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
"$root/scripts/build.sh" "$root/build" >/dev/null
default="$root/scenarios/teaching/02-backbone-partition.yaml"
[ -f "$root/scenarios/facebook-2021/scenario.yaml" ] && default="$root/scenarios/facebook-2021/scenario.yaml"
scenario=${1:-$default}
shift || true
name=$(basename "$scenario" .yaml)
[ "$name" = scenario ] && name=$(basename "$(dirname "$scenario")")
out="$root/results/$name"
"$root/build/outagesim" run "$scenario" --out "$out" "$@"
if [ -f "$root/scripts/plot.py" ]; then
  /usr/bin/python3 "$root/scripts/plot.py" "$out" >/dev/null && echo "pictures: $out/*.png"
fi
echo "results are in $out"
"$root/build/outagesim" report "$out" >/dev/null
echo "report: $out/report.html   (open it in a browser; it works offline)"
