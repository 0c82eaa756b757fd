#!/usr/bin/env bash
# check_crash.sh OUTAGESIM OUT (run in tests/compare): runs are forked by a run server (JobRunner.hpp).
# 1. A run that crashes (SIGSEGV) is reported as failed with its signal and the end of its log; the
#    others are still ranked (exit 0).
# 2. A run server that dies (SIGKILL): its run is reported as failed ("its run server ended"), leaves
#    no process behind, and the later runs go on through a new server.
# 3. SIGINT to the whole job (a terminal's Ctrl-C) and SIGTERM to compare alone: exit 130 / 143, every
#    process of the job ends (runner, server, runs), nothing partial is left, nothing is written.
set -u
outagesim=$1 out=$2
rm -rf "$out" && mkdir -p "$out"

# The pid of the run whose log is LOG, among the descendants of PID; waits up to 20 s for it.
run_pid() {
  local parent=$1 log=$2
  for _ in $(seq 1 200); do
    for server in $(pgrep -P "$parent"); do
      for run in $(pgrep -P "$server"); do
        if [ "$(readlink /proc/"$run"/fd/1 2>/dev/null)" = "$log" ]; then echo "$run"; return 0; fi
      done
    done
    sleep 0.1
  done
  return 1
}

# 1. runaway seed 1 (a minute long) crashes; slow-repair is ranked.
"$outagesim" compare --observed observed.signals.yaml runaway.yaml slow-repair.yaml --seeds 1 -j 2 \
  --out "$out/crash" >"$out/crash.stdout" 2>"$out/crash.stderr" &
job=$!
run=$(run_pid "$job" "$out/crash/runs/runaway/seed-1.log") || { echo "no runaway run started"; kill "$job"; exit 1; }
sleep 0.5
kill -SEGV "$run"
wait "$job"; rc=$?
if [ "$rc" -ne 0 ]; then echo "crash: expected exit 0 (slow-repair ranked), got $rc"; cat "$out/crash.stderr"; exit 1; fi
if ! grep -Eq "runaway seed 1: failed \(signal 11 \(Segmentation fault\)\) in [0-9.]+s; log: .*/runs/runaway/seed-1.log" "$out/crash.stderr"; then
  echo "crash: no report of the crashed run with its signal:"; cat "$out/crash.stderr"; exit 1
fi
if ! grep -q '^runaway,1,failed,"signal 11 (Segmentation fault)","runs/runaway/seed-1.log"$' "$out/crash/runs.csv" ||
   ! grep -q '^1,slow-repair,.*,1,0,0.800,' "$out/crash/ranking.csv"; then
  echo "crash: runs.csv / ranking.csv do not say it:"; cat "$out/crash/runs.csv" "$out/crash/ranking.csv"; exit 1
fi

# 2. With one slot: runaway seed 1 starts first; its server is killed. slow-repair's runs and runaway
# seed 2 (stopped by --run-timeout) still run, through a new server.
"$outagesim" compare --observed observed.signals.yaml runaway.yaml slow-repair.yaml --seeds 2 -j 1 \
  --run-timeout 3s --out "$out/server" >"$out/server.stdout" 2>"$out/server.stderr" &
job=$!
run=$(run_pid "$job" "$out/server/runs/runaway/seed-1.log") || { echo "no runaway run started"; kill "$job"; exit 1; }
server=$(ps -o ppid= -p "$run" | tr -d ' ')
kill -KILL "$server"
wait "$job"; rc=$?
if [ "$rc" -ne 0 ]; then echo "server: expected exit 0, got $rc"; cat "$out/server.stderr"; exit 1; fi
sleep 0.5
if kill -0 "$run" 2>/dev/null && [ "$(ps -o stat= -p "$run" | cut -c1)" != Z ]; then
  echo "server: the run of the killed server outlived it"; ps -o pid,ppid,args -p "$run"; exit 1
fi
if ! grep -Eq "runaway seed 1: failed \(its run server ended \(signal 9 \(Killed\)[^)]*\)\) in [0-9.]+s; log: .*/runs/runaway/seed-1.log" "$out/server.stderr"; then
  echo "server: no report of the run whose server died:"; cat "$out/server.stderr"; exit 1
fi
if ! grep -q '^slow-repair,1,ok,' "$out/server/runs.csv" || ! grep -q '^slow-repair,2,ok,' "$out/server/runs.csv" ||
   ! grep -q '^runaway,2,timed out,' "$out/server/runs.csv"; then
  echo "server: the later runs did not go on:"; cat "$out/server/runs.csv"; exit 1
fi

# 3. Signals. The job in a process group of its own, as a shell gives one; its runs started.
for how in INT TERM; do
  # (a background job of a script starts with SIGINT ignored: the job gets it back, as from a terminal)
  setsid env --default-signal=INT "$outagesim" compare --observed observed.signals.yaml runaway.yaml slow-repair.yaml --seeds 2 -j 2 \
    --out "$out/$how" >"$out/$how.stdout" 2>"$out/$how.stderr" &
  job=$!
  run_pid "$job" "$out/$how/runs/runaway/seed-1.log" >/dev/null || { echo "$how: no run started"; kill "$job"; exit 1; }
  sleep 0.5
  if [ $how = INT ]; then kill -INT -- -"$job"; want=130; else kill -TERM "$job"; want=143; fi
  wait "$job"; rc=$?
  [ "$rc" -eq "$want" ] || { echo "SIG$how: expected exit $want, got $rc"; cat "$out/$how.stderr"; exit 1; }
  for _ in $(seq 1 50); do pgrep -g "$job" >/dev/null || break; sleep 0.1; done
  if pgrep -g "$job" >/dev/null; then echo "SIG$how: processes of the job outlived it:"; ps -o pid,args -g "$job"; exit 1; fi
  if find "$out/$how" -name '.*' | grep -q . || [ -e "$out/$how/ranking.csv" ]; then
    echo "SIG$how: something partial was left:"; find "$out/$how"; exit 1
  fi
done
echo "a crashed run and a killed run server are reported, the other runs went on; SIGINT and SIGTERM stop the whole job"
