#!/usr/bin/env bash
# Benchmarks. Figures are printed, never asserted (speed is not a test).
#
#   scripts/bench.sh [CAIDA_FILE] [ORIGIN_ASN]      BGP model benchmark (issue 3), as before
#   scripts/bench.sh suite [FIGURE...]             every figure of issue 19 in one run (below)
#   scripts/bench.sh --help
#
# BGP benchmark: builds outagesim_bench_bgp in Release into build/ and runs it.
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
#
# Suite: FIGUREs (default all, in this order):
#   caida     CAIDA 2018 announce + withdraw of 6 prefixes with MRAI: best of BENCH_REPEAT runs,
#             seconds of the two phases, the in-run bound pq_ratio (engine / minimal loop), RSS
#   nomrai    the same without MRAI (MRAI=0): seconds, updates, peak RSS (one run)
#   scaling   the same work on 1k / 5k / 20k ASes of the CAIDA file (scripts/bench_inputs.py
#             subgraph: a sample closed under provider-of) and on all of it: µs per update
#   replay    the default 2021 replay (scenarios/facebook-2021/scenario.yaml): best of BENCH_REPEAT
#   regions   the replay with its 25 user regions cloned to 100 and 250 (scripts/bench_inputs.py
#             regions): CPU and MiB, per region and per added region
#   caida-replay  scenarios/facebook-2021/caida.yaml (the replay on CAIDA's graph)
#   compare   compare of the six 2021 hypotheses x BENCH_SEEDS seeds (10) on BENCH_JOBS jobs (2)
#   compare-fixed  the same with the timeline emptied and 1 minute simulated (--set faults=[]
#             --set scenario.duration=1m): the CPU a run costs besides simulating (start, load,
#             setup, BGP warm-up, outputs), per run
# Environment:
#   OUTAGESIM_BUILD  folder holding outagesim and outagesim_bench_bgp (default: build/ of this
#                    repository, built in Release first). Another folder is used as it is (never
#                    built), e.g. OUTAGESIM_BUILD=/elsewhere/build for "before" figures.
#   OUTAGESIM_DATA   the shared data folder (default ../shared/data beside the repository); figures
#                    that need its files are skipped, saying so, when they are absent
#   BENCH_REPEAT     runs of the short figures, the best kept (default 3)
#   BENCH_TMP        work folder (default a new one under /tmp, removed at the end)
# Output: one line per measurement as it ends, then a table; one machine-readable line per figure:
#   bench: figure=NAME k=v ...
# Times: wall_s is elapsed seconds, cpu_s user+sys seconds of the process and of the runs it waited
# for (from /usr/bin/time, Debian package `time`); rss_mib the peak resident set of the largest
# process. On a loaded machine compare cpu_s, and run the "before" build alternately. The
# µs per update of the BGP figures: us_per_update from the benchmark's own (wall) phase timers,
# loading and the minimal loop excluded; cpu_us_per_update the engine's CPU time per update (the
# benchmark's own figure when its line has cpu_s; from an older benchmark, the process CPU time
# times the engine's share of the wall time: an estimate), steadier on a loaded machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  suite) shift ;;
  *)
    file="${1:-$root/../shared/data/caida/20180101.as-rel.txt.bz2}"
    cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$root/build" --target outagesim_bench_bgp -j "$(nproc)" >/dev/null
    exec "$root/build/outagesim_bench_bgp" "$file" ${2:+"$2"}
    ;;
esac

# ---- the suite ----
all_figures=(caida nomrai scaling replay regions caida-replay compare compare-fixed)
figures=("$@")
[ ${#figures[@]} -eq 0 ] && figures=("${all_figures[@]}")
for f in "${figures[@]}"; do
  case " ${all_figures[*]} " in
    *" $f "*) ;;
    *) echo "bench.sh: unknown figure '$f' (expected some of: ${all_figures[*]})" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ]; then
  echo "bench.sh: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi
repeat="${BENCH_REPEAT:-3}"
seeds="${BENCH_SEEDS:-10}"
jobs="${BENCH_JOBS:-2}"
data="${OUTAGESIM_DATA:-$root/../shared/data}"
caida_file="$data/caida/20180101.as-rel.txt.bz2"
observed="$data/observed/facebook-2021.signals.yaml"
if [ -n "${OUTAGESIM_BUILD:-}" ]; then
  build="$(cd "$OUTAGESIM_BUILD" && pwd)"
else
  build="$root/build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target outagesim outagesim_bench_bgp -j "$(nproc)" >/dev/null
fi
sim="$build/outagesim"
bench="$build/outagesim_bench_bgp"
for x in "$sim" "$bench"; do
  [ -x "$x" ] || { echo "bench.sh: $x is missing" >&2; exit 2; }
done
if [ -n "${BENCH_TMP:-}" ]; then
  tmp="$BENCH_TMP"
  mkdir -p "$tmp"
else
  tmp="$(mktemp -d /tmp/outagesim-bench.XXXXXX)"
  trap 'rm -rf "$tmp"' EXIT
fi

table=()
emit() { # emit FIGURE k=v...: the machine-readable line, kept for the table
  echo "bench: figure=$*"
  table+=("$*")
}
note() { echo "  $*" >&2; }
# timed OUT_PREFIX CMD...: runs CMD with stdout to OUT_PREFIX.out, stderr to OUT_PREFIX.err;
# sets T_WALL T_CPU T_RSS (MiB) and T_RC.
timed() {
  local p="$1"
  shift
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$p.time" "$@" >"$p.out" 2>"$p.err"
  T_RC=$?
  set -e
  read -r T_WALL u s kib < <(tail -1 "$p.time")
  T_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  T_RSS=$((kib / 1024))
}
fail() { # fail FIGURE PREFIX: says why a run failed
  note "$1: exit $T_RC; last lines of its stderr:"
  tail -5 "$2.err" | sed 's/^/    /' >&2
  emit "$1 status=failed exit=$T_RC"
}
field() { # field KEY LINE: the value of key=value in LINE
  sed -n "s/.*[ :]$1=\([^ ]*\).*/\1/p" <<<"$2"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# bgp FIGURE FILE [ENV...]: best of $repeat (or once with ONCE=1) outagesim_bench_bgp runs; sets
# B_LINE (the bgp-bench line of the fastest run) and B_CPU/B_WALL/B_RSS (best of each).
bgp() {
  local fig="$1" file="$2" n="$repeat" i best_s="" s line
  shift 2
  [ "${ONCE:-0}" = 1 ] && n=1
  B_LINE="" B_CPU="" B_WALL="" B_RSS=""
  for ((i = 1; i <= n; ++i)); do
    timed "$tmp/$fig" env "$@" "$bench" "$file" 32934
    if [ "$T_RC" -ne 0 ]; then fail "$fig" "$tmp/$fig"; return 1; fi
    line="$(grep '^bgp-bench:' "$tmp/$fig.out" | tail -1)"
    s=$(awk -v a="$(field converge_s "$line")" -v b="$(field withdraw_s "$line")" 'BEGIN { print a + b }')
    note "$fig run $i: engine ${s}s ($(field updates "$line") updates, pq_ratio $(field pq_ratio "$line")), cpu ${T_CPU}s, wall ${T_WALL}s, ${T_RSS} MiB"
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
      best_s="$s"
      B_LINE="$line"
    fi
    B_CPU=$(min "$T_CPU" "$B_CPU")
    B_WALL=$(min "$T_WALL" "$B_WALL")
    B_RSS=$(min "$T_RSS" "$B_RSS")
  done
  B_ENGINE="$best_s"
}
us_per_update() { awk -v s="$1" -v u="$(field updates "$2")" 'BEGIN { printf "%.2f", u ? s / u * 1e6 : 0 }'; }
# cpu_us_per_update ENGINE_S LINE CPU_S: the engine's share of the process CPU time, estimated from
# the shares of its phases in the wall time (load, engine, minimal loop = engine / pq_ratio), per
# update: steadier than the wall figure on a loaded machine.
cpu_us_per_update() {
  if [ -n "$(field cpu_s "$2")" ]; then field us_per_update "$2"; return; fi # the engine's own, measured
  awk -v e="$1" -v l="$(field load_s "$2")" -v q="$(field pq_ratio "$2")" -v u="$(field updates "$2")" -v c="$3" \
    'BEGIN { w = l + e + (q > 0 ? e / q : 0); printf "%.2f", (u && w) ? c * e / w / u * 1e6 : 0 }'
}

# run FIGURE SCENARIO [ONCE]: best of $repeat `outagesim run`; sets R_CPU R_WALL R_RSS.
run() {
  local fig="$1" scen="$2" n="$repeat" i
  [ "${3:-}" = once ] && n=1
  R_CPU="" R_WALL="" R_RSS=""
  for ((i = 1; i <= n; ++i)); do
    rm -rf "$tmp/$fig.dir"
    timed "$tmp/$fig" "$sim" run "$scen" --out "$tmp/$fig.dir" --quiet
    if [ "$T_RC" -ne 0 ]; then fail "$fig" "$tmp/$fig"; return 1; fi
    note "$fig run $i: cpu ${T_CPU}s, wall ${T_WALL}s, ${T_RSS} MiB"
    R_CPU=$(min "$T_CPU" "$R_CPU")
    R_WALL=$(min "$T_WALL" "$R_WALL")
    R_RSS=$(min "$T_RSS" "$R_RSS")
  done
}

echo "bench suite: build $build ($("$sim" --version 2>/dev/null | head -1)), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ), best of $repeat"
has_caida=1
[ -r "$caida_file" ] || { has_caida=0; note "no $caida_file: CAIDA figures skipped (scripts/get-data.sh)"; }

declare -A scale_us scale_upd scale_cpu
for fig in "${figures[@]}"; do
  case "$fig" in
    caida)
      [ $has_caida = 1 ] || { emit "caida status=skipped reason=no-data"; continue; }
      bgp caida "$caida_file" || continue
      scale_us[60k]=$(us_per_update "$B_ENGINE" "$B_LINE")
      scale_upd[60k]=$(field updates "$B_LINE")
      scale_cpu[60k]=$(cpu_us_per_update "$B_ENGINE" "$B_LINE" "$B_CPU")
      emit "caida ases=$(field ases "$B_LINE") engine_s=$B_ENGINE pq_ratio=$(field pq_ratio "$B_LINE")" \
        "updates=$(field updates "$B_LINE") us_per_update=${scale_us[60k]} cpu_us_per_update=${scale_cpu[60k]}" \
        "cpu_s=$B_CPU wall_s=$B_WALL rss_mib=$B_RSS"
      ;;
    nomrai)
      [ $has_caida = 1 ] || { emit "nomrai status=skipped reason=no-data"; continue; }
      ONCE=1 bgp nomrai "$caida_file" MRAI=0 || continue
      emit "nomrai ases=$(field ases "$B_LINE") withdraw_s=$(field withdraw_s "$B_LINE") engine_s=$B_ENGINE" \
        "updates=$(field updates "$B_LINE") cpu_s=$B_CPU wall_s=$B_WALL rss_mib=$B_RSS"
      ;;
    scaling)
      [ $has_caida = 1 ] || { emit "scaling status=skipped reason=no-data"; continue; }
      for n in 1000 5000 20000; do
        g="$tmp/caida-$n.txt"
        [ -s "$g" ] || python3 "$root/scripts/bench_inputs.py" subgraph "$caida_file" "$n" 32934 "$g" >/dev/null
        bgp "scaling-$((n / 1000))k" "$g" || continue 2
        scale_us[$((n / 1000))k]=$(us_per_update "$B_ENGINE" "$B_LINE")
        scale_upd[$((n / 1000))k]=$(field updates "$B_LINE")
        scale_cpu[$((n / 1000))k]=$(cpu_us_per_update "$B_ENGINE" "$B_LINE" "$B_CPU")
        emit "scaling-$((n / 1000))k ases=$(field ases "$B_LINE") engine_s=$B_ENGINE updates=$(field updates "$B_LINE")" \
          "us_per_update=${scale_us[$((n / 1000))k]} cpu_us_per_update=${scale_cpu[$((n / 1000))k]} pq_ratio=$(field pq_ratio "$B_LINE") cpu_s=$B_CPU rss_mib=$B_RSS"
      done
      if [ -z "${scale_us[60k]:-}" ]; then
        bgp scaling-60k "$caida_file" || continue
        scale_us[60k]=$(us_per_update "$B_ENGINE" "$B_LINE")
        scale_upd[60k]=$(field updates "$B_LINE")
        scale_cpu[60k]=$(cpu_us_per_update "$B_ENGINE" "$B_LINE" "$B_CPU")
      fi
      emit "scaling us_per_update_1k=${scale_us[1k]} us_per_update_60k=${scale_us[60k]}" \
        "ratio_60k_1k=$(awk -v a="${scale_us[60k]}" -v b="${scale_us[1k]}" 'BEGIN { printf "%.2f", a / b }')" \
        "cpu_us_per_update_1k=${scale_cpu[1k]} cpu_us_per_update_60k=${scale_cpu[60k]}" \
        "cpu_ratio_60k_1k=$(awk -v a="${scale_cpu[60k]}" -v b="${scale_cpu[1k]}" 'BEGIN { printf "%.2f", b ? a / b : 0 }')" \
        "updates_exponent=$(awk -v a="${scale_upd[60k]}" -v b="${scale_upd[1k]}" 'BEGIN { printf "%.2f", log(a / b) / log(60006 / 1000) }')"
      ;;
    replay)
      run replay "$root/scenarios/facebook-2021/scenario.yaml" || continue
      emit "replay regions=25 cpu_s=$R_CPU wall_s=$R_WALL rss_mib=$R_RSS"
      ;;
    regions)
      r25_cpu="" r25_rss=""
      for n in 25 100 250; do
        s="$root/scenarios/facebook-2021/scenario.yaml"
        if [ $n -ne 25 ]; then
          s="$tmp/regions-$n.yaml"
          python3 "$root/scripts/bench_inputs.py" regions "$root/scenarios/facebook-2021/scenario.yaml" $n "$s"
        fi
        run "regions-$n" "$s" once || continue 2
        [ $n -eq 25 ] && r25_cpu=$R_CPU r25_rss=$R_RSS
        extra=""
        [ $n -ne 25 ] && extra=$(awk -v c="$R_CPU" -v c0="$r25_cpu" -v m="$R_RSS" -v m0="$r25_rss" -v n=$n \
          'BEGIN { printf "cpu_ms_per_added_region=%.1f mib_per_added_region=%.2f", (c - c0) / (n - 25) * 1e3, (m - m0) / (n - 25) }')
        emit "regions-$n regions=$n cpu_s=$R_CPU wall_s=$R_WALL rss_mib=$R_RSS" \
          "$(awk -v c="$R_CPU" -v m="$R_RSS" -v n=$n 'BEGIN { printf "cpu_ms_per_region=%.1f mib_per_region=%.2f", c / n * 1e3, m / n }')" $extra
      done
      ;;
    caida-replay)
      [ $has_caida = 1 ] || { emit "caida-replay status=skipped reason=no-data"; continue; }
      if [ "$(cd "$data" && pwd)" != "$(cd "$root/../shared/data" 2>/dev/null && pwd)" ]; then
        note "caida.yaml reads ../shared/data beside the repository; OUTAGESIM_DATA is elsewhere"
        emit "caida-replay status=skipped reason=data-elsewhere"
        continue
      fi
      run caida-replay "$root/scenarios/facebook-2021/caida.yaml" once || continue
      emit "caida-replay cpu_s=$R_CPU wall_s=$R_WALL rss_mib=$R_RSS"
      ;;
    compare)
      [ -r "$observed" ] || { note "no $observed: compare skipped"; emit "compare status=skipped reason=no-data"; continue; }
      rm -rf "$tmp/compare.dir"
      timed "$tmp/compare" "$sim" compare --observed "$observed" "$root"/scenarios/facebook-2021/hypotheses/*.yaml \
        --seeds "$seeds" --jobs "$jobs" --out "$tmp/compare.dir"
      if [ "$T_RC" -ne 0 ]; then fail compare "$tmp/compare"; continue; fi
      runs=$(($(ls "$root"/scenarios/facebook-2021/hypotheses/*.yaml | wc -l) * seeds))
      note "compare: $runs runs, cpu ${T_CPU}s, wall ${T_WALL}s"
      emit "compare runs=$runs jobs=$jobs wall_s=$T_WALL cpu_s=$T_CPU rss_mib=$T_RSS" \
        "$(awk -v c="$T_CPU" -v n=$runs 'BEGIN { printf "cpu_s_per_run=%.2f", c / n }')"
      ;;
    compare-fixed)
      [ -r "$observed" ] || { note "no $observed: compare-fixed skipped"; emit "compare-fixed status=skipped reason=no-data"; continue; }
      rm -rf "$tmp/compare-fixed.dir"
      timed "$tmp/compare-fixed" "$sim" compare --observed "$observed" "$root"/scenarios/facebook-2021/hypotheses/*.yaml \
        --seeds "$seeds" --jobs "$jobs" --set 'faults=[]' --set scenario.duration=1m --out "$tmp/compare-fixed.dir"
      if [ "$T_RC" -ne 0 ]; then fail compare-fixed "$tmp/compare-fixed"; continue; fi
      runs=$(($(ls "$root"/scenarios/facebook-2021/hypotheses/*.yaml | wc -l) * seeds))
      note "compare-fixed: $runs runs of 1 simulated minute, cpu ${T_CPU}s, wall ${T_WALL}s"
      emit "compare-fixed runs=$runs jobs=$jobs wall_s=$T_WALL cpu_s=$T_CPU rss_mib=$T_RSS" \
        "$(awk -v c="$T_CPU" -v n=$runs 'BEGIN { printf "cpu_ms_per_run=%.0f", c / n * 1e3 }')"
      ;;
  esac
done

echo
echo "bench suite: load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %s\n' figure values
for row in "${table[@]}"; do
  printf '%-14s %s\n' "${row%% *}" "${row#* }"
done
