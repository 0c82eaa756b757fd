#!/usr/bin/env bash
# check_rank_death.sh OUTAGESIM MPIEXEC OUT (run in tests/compare): an MPI rank that dies makes the
# whole job stop with a clear message (not hang), and leaves no run behind (the rank's run server and
# the runs it forked all end).
set -u
outagesim=$1 mpiexec=$2 out=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rm -rf "$out" && mkdir -p "$out"
"$mpiexec" --oversubscribe -np 2 "$outagesim" compare --observed observed.signals.yaml runaway.yaml --seeds 2 \
  --run-timeout 5m --out "$out/job" >"$out/stdout" 2>"$out/stderr" &
job=$!
rank1=""
for _ in $(seq 1 100); do  # up to 20 s for both ranks to start a run
  for p in $(pgrep -f "compare --observed observed.signals.yaml runaway.yaml --seeds 2 --run-timeout 5m --out $out/job"); do
    if tr '\0' '\n' </proc/"$p"/environ 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && pgrep -P "$p" >/dev/null; then
      rank1=$p
    fi
  done
  [ -n "$rank1" ] && break
  sleep 0.2
done
if [ -z "$rank1" ]; then
  echo "rank 1 never started a run"; kill "$job"; cat "$out/stderr"; exit 1
fi
# Its run server and the runs forked from it: none may outlive the job.
descendants() { for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
for _ in $(seq 1 50); do  # the server forks its runs just after it starts
  left=$(descendants "$rank1")
  [ "$(echo "$left" | wc -w)" -ge 2 ] && break
  sleep 0.1
done
if [ "$(echo "$left" | wc -w)" -lt 2 ]; then
  echo "rank 1 has no run server with a run under it: $left"; kill "$job"; exit 1
fi
kill -9 "$rank1"
start=$(date +%s)
while kill -0 "$job" 2>/dev/null; do
  if [ $(( $(date +%s) - start )) -gt 60 ]; then
    echo "the job still runs 60 s after rank 1 died: it hangs"; kill -9 "$job"; exit 1
  fi
  sleep 0.2
done
wait "$job"; rc=$?
if [ "$rc" -eq 0 ]; then echo "the job exited 0 although rank 1 died"; cat "$out/stderr"; exit 1; fi
if ! grep -q "rank 1 .*exited on signal 9" "$out/stderr"; then
  echo "no clear message naming the dead rank:"; cat "$out/stderr"; exit 1
fi
sleep 1
for p in $left; do
  if kill -0 "$p" 2>/dev/null && [ "$(ps -o stat= -p "$p" | cut -c1)" != Z ]; then
    echo "process $p of rank 1 (its run server or a run) outlived the job:"; ps -o pid,ppid,args -p "$p"; exit 1
  fi
done
if ls -a "$out"/job/runs/runaway | grep -q staging; then
  echo "a stopped run left its staging folder:"; ls -a "$out"/job/runs/runaway; exit 1
fi
echo "rank 1 killed: the job stopped in $(( $(date +%s) - start )) s with exit $rc:"
grep "rank 1" "$out/stderr"
