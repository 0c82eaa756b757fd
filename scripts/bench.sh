#!/usr/bin/env bash
# BGP model benchmark (issue 3): builds outagesim_bench_bgp in Release into build/ and runs it.
#   scripts/bench.sh [CAIDA_FILE | synthetic:N] [ORIGIN_ASN]
# Defaults: ../shared/data/caida/20180101.as-rel.txt.bz2 and AS32934; synthetic:N generates a graph
# of N ASes (seed 1) and picks its stub AS with the most providers as the origin (the scaling series:
# synthetic:1000, 5000, 20000, 60000). Environment: MRAI=seconds (default 30; MRAI=0 disables it);
# WRATE=0 lets withdrawals bypass MRAI (the default rate-limits them).
# The last line printed is:
#   bgp-bench: ases=N links=N load_s=X converge_s=X withdraw_s=X updates=N updates_per_s=X rss_mib=N
#              pq_ratio=X cpu_s=X us_per_update=X pq_ratio_wall=X engine_rss_mib=N
# pq_ratio is CPU time (engine / minimal loop, same run); cpu_s, us_per_update and engine_rss_mib
# (peak before the minimal loop runs) are the engine's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="${1:-$root/../shared/data/caida/20180101.as-rel.txt.bz2}"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --target outagesim_bench_bgp -j "$(nproc)" >/dev/null
exec "$root/build/outagesim_bench_bgp" "$file" ${2:+"$2"}
