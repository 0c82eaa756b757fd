#!/usr/bin/python3
"""Draws an outagesim sweep: each measure against each varied key (PNG, beside the data).

    python3 scripts/plot_sweep.py SWEEP_DIR [--all] [--measure NAME ...]

Reads SWEEP_DIR/sweep_points.csv (median, min and max over the seeds of each point, written by
`outagesim sweep`) and draws, for each measure, one panel per varied key: the key's values on the
x axis, the median as a line with the min-max range shaded, one line per combination of the other
keys' values. By default the measures drawn are the score (with --observed), outage.duration and
regions.fraction_down_at_peak of every service; --all draws every numeric signal, --measure picks
some by name (as in the csv header: outage.duration[service:facebook]).

sweep-<measure>.png   one file per measure (names made safe for file systems).

Needs Debian's python3-matplotlib only.
"""
import csv
import os
import re
import sys
from collections import defaultdict
from datetime import datetime, timezone

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIXED = ["point"]
TAIL = ["measure", "kind", "runs_ok", "values", "median", "min", "max"]


def number(text, kind):
    """A value of sweep_points.csv as a number: times as hours since midnight UTC of their day."""
    if kind == "time":
        t = datetime.strptime(text.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        return t.hour + t.minute / 60 + t.second / 3600
    return float(text)


def axis_value(text):
    """A varied value for the x axis: a number, a duration in seconds, or the text itself."""
    try:
        return float(text), text
    except ValueError:
        pass
    m = re.fullmatch(r"((\d+(\.\d+)?)(ms|s|m|h|d))+", text)
    if m:
        unit = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
        return sum(float(v) * unit[u] for v, _, u in re.findall(r"(\d+(\.\d+)?)(ms|s|m|h|d)", text)), text
    return None, text


def short_key(key):
    """A KEY1+KEY2+... axis (keys set together) as "KEY1 (+N keys)" for labels."""
    keys = key.split("+")
    return keys[0] if len(keys) == 1 else f"{keys[0]} (+{len(keys) - 1} keys)"


def unit_label(kind):
    return {"duration": "seconds", "time": "hours UTC", "ratio": "share", "score": "score (0-1)"}.get(kind, kind)


def default_measure(name):
    return name == "score" or name.startswith("outage.duration[") or name.startswith("regions.fraction_down_at_peak[")


def main(argv):
    args = [a for a in argv[1:]]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    folder = args.pop(0)
    every = "--all" in args
    picked = [args[i + 1] for i, a in enumerate(args) if a == "--measure" and i + 1 < len(args)]
    path = os.path.join(folder, "sweep_points.csv")
    if not os.path.exists(path):
        print(f"plot_sweep: no {path}; expected the --out folder of `outagesim sweep`", file=sys.stderr)
        return 2
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        keys = [c for c in reader.fieldnames if c not in FIXED and c not in TAIL]
        rows = list(reader)
    # measure -> key values tuple -> (median, min, max)
    data = defaultdict(dict)
    kinds = {}
    for r in rows:
        name = r["measure"]
        if picked and name not in picked:
            continue
        if not picked and not every and not default_measure(name):
            continue
        try:
            data[name][tuple(r[k] for k in keys)] = tuple(number(r[c], r["kind"]) for c in ("median", "min", "max"))
        except ValueError:
            continue
        kinds[name] = r["kind"]
    made = []
    for name, points in sorted(data.items()):
        fig, axes = plt.subplots(1, len(keys), figsize=(5.5 * len(keys), 4), squeeze=False)
        for ki, key in enumerate(keys):
            ax = axes[0][ki]
            lines = defaultdict(list)  # the other keys' values -> [(x, text, med, lo, hi)]
            for combo, (med, lo, hi) in points.items():
                x, text = axis_value(combo[ki])
                others = tuple(f"{short_key(k)}={v}" for j, (k, v) in enumerate(zip(keys, combo)) if j != ki)
                lines[others].append((x, text, med, lo, hi))
            texts = sorted({p[1] for pts in lines.values() for p in pts},
                           key=lambda t: (axis_value(t)[0] is None, axis_value(t)[0] or 0, t))
            for others, pts in sorted(lines.items()):
                pts.sort(key=lambda p: texts.index(p[1]))
                xs = [texts.index(p[1]) for p in pts]
                label = ", ".join(others) or None
                ax.plot(xs, [p[2] for p in pts], marker="o", label=label)
                ax.fill_between(xs, [p[3] for p in pts], [p[4] for p in pts], alpha=0.15)
            ax.set_xticks(range(len(texts)))
            ax.set_xticklabels(texts, rotation=30 if len(texts) > 6 else 0)
            ax.set_xlabel(short_key(key))
            ax.set_ylabel(f"{name} ({unit_label(kinds[name])})" if ki == 0 else "")
            if any(others for others in lines):
                ax.legend(fontsize=7)
            ax.grid(alpha=0.3)
        fig.suptitle(f"{name}: median over seeds, min-max shaded")
        fig.tight_layout()
        out = os.path.join(folder, "sweep-" + re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") + ".png")
        fig.savefig(out, dpi=110)
        plt.close(fig)
        made.append(out)
    if not made:
        print("plot_sweep: nothing to draw (no numeric measure chosen); try --all", file=sys.stderr)
        return 1
    for m in made:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
