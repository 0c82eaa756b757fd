#!/usr/bin/env bash
# The benchmark suite's inputs (scripts/bench_inputs.py) and its command line (no timing: speed is
# never asserted). Usage: check_bench_inputs.sh OUTAGESIM REPO SCRATCH
set -euo pipefail
sim="$1" repo="$2" dir="$3"
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$repo/scripts/bench.sh" --help | grep -q "scripts/bench.sh suite" || fail "--help does not teach the suite"
set +e
"$repo/scripts/bench.sh" suite no-such-figure 2>"$dir/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "unknown figure 'no-such-figure'" "$dir/err" || fail "unknown figure: exit $rc"

# Regions cloned to 60 (not a multiple of 25): a valid scenario with 60 distinct regions, each clone
# with its own resolver, stand-in AS and BGP links.
s="$repo/scenarios/facebook-2021/scenario.yaml"
python3 "$repo/scripts/bench_inputs.py" regions "$s" 60 "$dir/r60.yaml"
"$sim" validate "$dir/r60.yaml" >"$dir/validate" || fail "the 60-region scenario does not validate"
[ "$(grep -c 'population:' "$dir/r60.yaml")" -eq 60 ] || fail "not 60 regions"
grep -q '{id: us-east-c2, as: 4200002001, population: 72e6' "$dir/r60.yaml" || fail "clone 2 of us-east"
grep -q 'resolver:isp-us-east-c2' "$dir/r60.yaml" || fail "clone 2 of us-east has no resolver"
grep -q '{a: 4200002001, b: 26413, rel: provider' "$dir/r60.yaml" || fail "clone 2 of us-east has no BGP link"
! grep -q 'us-east-c3' "$dir/r60.yaml" || fail "a third clone of us-east in 60 regions"
python3 "$repo/scripts/bench_inputs.py" regions "$s" 60 "$dir/again.yaml"
cmp -s "$dir/r60.yaml" "$dir/again.yaml" || fail "regions output is not deterministic"

# Sub-graph: closed under provider-of, of the size asked, deterministic.
cat >"$dir/g.txt" <<'G'
# 1 and 2 are provider-free peers; 3 4 5 transit; 6-12 stubs
1|2|0
1|3|-1
2|4|-1
3|5|-1
4|5|-1
3|4|0
5|6|-1
5|7|-1
3|8|-1
4|9|-1
1|10|-1
2|11|-1
5|12|-1
8|9|0
G
python3 "$repo/scripts/bench_inputs.py" subgraph "$dir/g.txt" 8 6 "$dir/sub.txt" >"$dir/n"
[ "$(cat "$dir/n")" -le 8 ] || fail "sub-graph larger than asked"
python3 - "$dir/g.txt" "$dir/sub.txt" <<'P'
import sys
def links(p):
    return [tuple(map(int, l.split("|")[:3])) for l in open(p) if l.strip() and l[0] != "#"]
full, sub = links(sys.argv[1]), links(sys.argv[2])
kept = {a for l in sub for a in l[:2]}
assert {6, 5, 3, 4, 1, 2} <= kept, kept  # the origin and all its providers, transitively
for a, b, r in full:
    if r == -1 and b in kept:
        assert a in kept, "AS%d kept without its provider AS%d" % (b, a)
    if a in kept and b in kept:
        assert (a, b, r) in sub, (a, b, r)
P
python3 "$repo/scripts/bench_inputs.py" subgraph "$dir/g.txt" 8 6 "$dir/sub2.txt" >/dev/null
cmp -s "$dir/sub.txt" "$dir/sub2.txt" || fail "sub-graph output is not deterministic"
"$sim" routes --caida "$dir/sub.txt" --origin 6 >/dev/null || fail "outagesim cannot load the sub-graph"
echo "bench inputs: ok"
