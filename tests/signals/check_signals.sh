#!/usr/bin/env bash
# SIGINT and SIGTERM during a run's output phase, a killed run's leftovers, and a run into an existing
# results folder (see sim/run/Output.hpp). Usage: check_signals.sh OUTAGESIM SCENARIO SCRATCH
# The writer is paused after its first staged file by the test hook OUTAGESIM_TEST_HOLD_OUTPUT, so
# the signal lands in the middle of the output phase every time (no timing guess).
set -u
bin=$1 scenario=$2 scratch=$3 slow=${4:-}
rm -rf "$scratch" && mkdir -p "$scratch/out" "$scratch/logs"
out="$scratch/out/res"
logs="$scratch/logs"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
leftovers() { (cd "$scratch/out" && ls -A | grep -v '^res$' | grep -v '^slow$' | tr '\n' ' '); }

# A first, complete run; a stray file beside its outputs.
"$bin" run "$scenario" --out "$out" >/dev/null 2>"$logs/first.err" || fail "first run failed: $(cat "$logs/first.err")"
echo stray >"$out/stray-from-older-run.txt"
before=$(cd "$out" && ls -A | sort | tr '\n' ' ')
sum_before=$(cat "$out"/* | cksum)

# Interrupted while writing: exit 128+signal, the older output set untouched, nothing staged left.
for sig in INT TERM; do
  marker="$logs/marker-$sig"
  rm -f "$marker"
  OUTAGESIM_TEST_HOLD_OUTPUT="$marker" "$bin" run "$scenario" --out "$out" >/dev/null 2>"$logs/$sig.err" &
  pid=$!
  for _ in $(seq 1 600); do [ -s "$marker" ] && break; sleep 0.1; done
  [ -s "$marker" ] || fail "$sig: the writer never reached its output phase"
  staged=$(cd "$scratch/out" && ls -A | grep -c '^\.res\.staging-' || true)
  [ "$staged" = 1 ] || fail "$sig: expected one staging folder while writing, found $staged"
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  want=130; [ "$sig" = TERM ] && want=143
  [ "$rc" = "$want" ] || fail "SIG$sig during output: exit $rc, expected $want ($(cat "$logs/$sig.err"))"
  after=$(cd "$out" && ls -A | sort | tr '\n' ' ')
  [ "$after" = "$before" ] || fail "SIG$sig: the older output set changed: '$before' -> '$after'"
  [ "$(cat "$out"/* | cksum)" = "$sum_before" ] || fail "SIG$sig: an older output file changed"
  left=$(leftovers)
  [ -z "$left" ] || fail "SIG$sig: left behind: $left"
done

# Killed (SIGKILL: no handler runs) while writing: the next run removes the stale staging folder.
marker="$logs/marker-KILL"
OUTAGESIM_TEST_HOLD_OUTPUT="$marker" "$bin" run "$scenario" --out "$out" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ -s "$marker" ] && break; sleep 0.1; done
kill -s KILL "$pid"
wait "$pid" 2>/dev/null
[ -n "$(leftovers)" ] || fail "SIGKILL: expected a stale staging folder to clean up, found none"
"$bin" run "$scenario" --out "$out" >/dev/null 2>"$logs/last.err" || fail "run after SIGKILL failed: $(cat "$logs/last.err")"
left=$(leftovers)
[ -z "$left" ] || fail "the run after a SIGKILL left stale files: $left"
# The new run replaced the whole set: the stray file of the older run is gone.
[ ! -e "$out/stray-from-older-run.txt" ] || fail "a file of an older run survived beside the new outputs"
[ -s "$out/summary.json" ] || fail "the new run wrote no summary.json"

# Interrupted in the middle of the simulation (SimGrid's engine exists and installed its own SIGINT
# handler, which must not win): exit 130, nothing written. SLOW_SCENARIO runs for seconds.
if [ -n "${slow:-}" ]; then
  "$bin" run "$slow" --out "$scratch/out/slow" >/dev/null 2>"$logs/slow.err" &
  pid=$!
  sleep 2
  kill -s INT "$pid"
  wait "$pid"
  rc=$?
  if [ "$rc" = 0 ]; then
    echo "note: the slow scenario ended within 2 s, before the signal: nothing checked" >&2
  else
    [ "$rc" = 130 ] || fail "SIGINT during the simulation: exit $rc, expected 130 ($(cat "$logs/slow.err"))"
    [ ! -e "$scratch/out/slow" ] || fail "SIGINT during the simulation: wrote $scratch/out/slow"
    left=$(leftovers | sed 's/^ *//')
    [ -z "$left" ] || fail "SIGINT during the simulation: left behind: $left"
  fi
fi

# A folder that is not a run's output is refused (exit 2), never replaced.
mkdir -p "$scratch/notes" && echo keep >"$scratch/notes/mine.txt"
"$bin" run "$scenario" --out "$scratch/notes" >/dev/null 2>"$logs/notes.err"
rc=$?
[ "$rc" = 2 ] || fail "--out a folder of other files: exit $rc, expected 2"
[ -s "$scratch/notes/mine.txt" ] || fail "--out a folder of other files: its file was removed"
grep -q '^--out:1:1: error: .*not the output of a run' "$logs/notes.err" || fail "--out refusal message: $(cat "$logs/notes.err")"

if [ "$failures" -gt 0 ]; then
  echo "check_signals: $failures failure(s)" >&2
  exit 1
fi
echo "check_signals: SIGINT -> 130, SIGTERM -> 143, no partial files, stale staging cleaned, whole set replaced"
