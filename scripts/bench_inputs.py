#!/usr/bin/env python3
"""Deterministic inputs of the benchmark suite (scripts/bench.sh suite). Python 3 standard library only.

  bench_inputs.py subgraph CAIDA_FILE N ORIGIN_ASN OUT
      Writes a CAIDA AS-relationship file (plain text, "a|b|rel") of about N ASes taken from
      CAIDA_FILE (plain or .bz2): a sample closed under "provider of", so every AS keeps all its
      providers up to the provider-free core and the sample has the hierarchy (tiers, multi-homing,
      chain depths) of the whole graph, only fewer ASes. It starts with ORIGIN_ASN and its providers,
      then adds ASes in a fixed pseudo-random order (a hash of the AS number), each with its missing
      providers, skipping one whose providers would overshoot N. Every link between two kept ASes is
      kept. Same inputs => same file, byte for byte.

  bench_inputs.py regions SCENARIO N OUT
      Writes SCENARIO (a single-file scenario with a topology.regions list, such as
      scenarios/facebook-2021/scenario.yaml) with its user regions cloned to N regions in all. Each
      line that names a region (its id as a word, its resolver `isp-ID`, its links `users/ID-*`,
      `isp/ID`, `hub/ID`) or its stand-in AS number is repeated once per clone, with the id suffixed
      `-cK` and the AS number moved to 4200000000 + 1000*K + (its number - 4200000000): clone K of a
      region has the same population, links, resolver, catchments and upstream ASes as the region.
      Regions are cloned in list order (clone 1 of every region first), so N need not be a multiple.
"""
import bz2
import hashlib
import re
import sys


def die(msg):
    sys.stderr.write("bench_inputs.py: error: " + msg + "\n")
    sys.exit(2)


def read_caida(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] == b"BZh":
        data = bz2.decompress(data)
    links = []
    providers = {}
    for line in data.decode("ascii", "replace").splitlines():
        if not line or line[0] == "#":
            continue
        f = line.split("|")
        a, b, rel = int(f[0]), int(f[1]), int(f[2])
        links.append((a, b, rel))
        providers.setdefault(a, [])
        providers.setdefault(b, [])
        if rel == -1:
            providers[b].append(a)
    return links, providers


def closure(asn, providers, kept):
    """asn and its providers, transitively, that are not in kept yet (sorted for determinism)."""
    new, todo = set(), [asn]
    while todo:
        v = todo.pop()
        if v in kept or v in new:
            continue
        new.add(v)
        todo.extend(providers.get(v, ()))
    return new


def subgraph(path, n, origin, out):
    links, providers = read_caida(path)
    if origin not in providers:
        die("origin AS%d is not in %s" % (origin, path))
    kept = set(closure(origin, providers, set()))
    if len(kept) > n:
        die("AS%d and its providers are %d ASes, more than %d" % (origin, len(kept), n))
    order = sorted(providers, key=lambda a: hashlib.sha1(str(a).encode()).digest())
    for a in order:
        if len(kept) >= n:
            break
        new = closure(a, providers, kept)
        if new and len(kept) + len(new) <= n:
            kept |= new
    with open(out, "w") as f:
        f.write("# %d ASes of %s closed under provider-of, origin AS%d (scripts/bench_inputs.py)\n" %
                (len(kept), path, origin))
        for a, b, rel in links:
            if a in kept and b in kept:
                f.write("%d|%d|%d\n" % (a, b, rel))
    print(len(kept))


def regions(path, n, out):
    with open(path) as f:
        lines = f.read().split("\n")
    region_re = re.compile(r"^\s*-\s*\{id:\s*([A-Za-z0-9_.-]+),\s*as:\s*(\d+),\s*population:")
    regs = []
    for line in lines:
        m = region_re.match(line)
        if m:
            regs.append((m.group(1), int(m.group(2))))
    if not regs:
        die("%s: no topology.regions entries of the form '- {id: ID, as: ASN, population: ...}'" % path)
    if n < len(regs):
        die("%d regions asked, %s has %d already" % (n, path, len(regs)))
    base = 4200000000
    for rid, asn in regs:
        if not base <= asn < base + 1000:
            die("region %s: stand-in AS %d is not in 4200000000-4200000999" % (rid, asn))
    # clone k (1-based) of region r exists iff k * len(regs) + r < n
    def clones(r):
        return [k for k in range(1, (n - 1) // len(regs) + 1) if k * len(regs) + r < n]

    patterns = [(re.compile(r"(?<![A-Za-z0-9_.])" + re.escape(rid) + r"(?![A-Za-z0-9_.])"),
                 re.compile(r"(?<![0-9])%d(?![0-9])" % asn)) for rid, asn in regs]
    result = []
    for line in lines:
        result.append(line)
        code = line.split("#", 1)[0]
        hits = [r for r, (pid, pas) in enumerate(patterns) if pid.search(code) or pas.search(code)]
        if not hits or code.lstrip().startswith("#"):
            continue
        if len(hits) > 1:
            die("%s: a line names several regions, cannot clone it: %s" % (path, line.strip()))
        r = hits[0]
        rid, asn = regs[r]
        pid, pas = patterns[r]
        for k in clones(r):
            c = pid.sub(rid + "-c%d" % k, code)
            c = pas.sub(str(asn + 1000 * k), c)
            result.append(c.rstrip())
    with open(out, "w") as f:
        f.write("\n".join(result))


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    if len(argv) == 6 and argv[1] == "subgraph":
        subgraph(argv[2], int(argv[3]), int(argv[4]), argv[5])
    elif len(argv) == 5 and argv[1] == "regions":
        regions(argv[2], int(argv[3]), argv[4])
    else:
        die("usage: bench_inputs.py subgraph CAIDA_FILE N ORIGIN_ASN OUT | regions SCENARIO N OUT (--help)")


if __name__ == "__main__":
    main(sys.argv)
