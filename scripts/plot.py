#!/usr/bin/python3
"""Turns an outagesim results folder into pictures (PNG, beside the data).

    python3 scripts/plot.py RESULTS_DIR

availability-<service>.png  heat map of availability per region over time (red: down), with the
                            timeline's fault and recovery actions marked as vertical lines.
rtt.png                     round-trip time per region and service, when the run recorded it.

Needs Debian's python3-matplotlib only.
"""
import csv
import json
import os
import sys
from collections import defaultdict
from datetime import datetime

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


def parse_time(text):
    return datetime.strptime(text.replace(".", ",").split(",")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S")


def load_timeline(folder):
    series = defaultdict(lambda: defaultdict(dict))  # metric -> (region, service) -> time -> value
    with open(os.path.join(folder, "timeline.csv"), newline="") as f:
        for row in csv.DictReader(f):
            series[row["metric"]][(row["region"], row["service"])][parse_time(row["time"])] = float(row["value"])
    return series


def load_faults(folder):
    marks = []
    path = os.path.join(folder, "events.jsonl")
    if not os.path.exists(path):
        return marks
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if e["type"] in ("fault.applied", "fault.ended"):
                marks.append((parse_time(e["utc"]), e["type"], e["subject"] + " " + e.get("data", {}).get("action", "")))
    return marks


def mark_faults(ax, marks):
    for t, kind, label in marks:
        ax.axvline(t, color="black" if kind == "fault.applied" else "green", linestyle="--", linewidth=1)
        ax.annotate(label, (t, 1.0), xycoords=("data", "axes fraction"), rotation=90, fontsize=7,
                    va="top", ha="right")


def heat_maps(folder, series, marks):
    made = []
    avail = series.get("availability", {})
    services = sorted({s for (_, s) in avail})
    for service in services:
        regions = sorted(r for (r, s) in avail if s == service)
        times = sorted({t for r in regions for t in avail[(r, service)]})
        if not times:
            continue
        grid = [[avail[(r, service)].get(t, float("nan")) for t in times] for r in regions]
        fig, ax = plt.subplots(figsize=(11, 1.2 + 0.35 * len(regions)))
        x0, x1 = mdates.date2num(times[0]), mdates.date2num(times[-1])
        step = (x1 - x0) / max(1, len(times) - 1)
        im = ax.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=0, vmax=1, interpolation="nearest",
                       extent=[x0, x1 + step, len(regions) - 0.5, -0.5])
        ax.set_yticks(range(len(regions)))
        ax.set_yticklabels(regions, fontsize=8)
        ax.xaxis_date()
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
        ax.set_xlabel("time (UTC)")
        ax.set_title(f"availability of {service} per region")
        mark_faults(ax, marks)
        fig.colorbar(im, ax=ax, label="fraction of probes answered")
        fig.tight_layout()
        out = os.path.join(folder, f"availability-{service}.png")
        fig.savefig(out, dpi=110)
        plt.close(fig)
        made.append(out)
    return made


def rtt_plot(folder, series, marks):
    rtt = series.get("rtt_ms", {})
    if not rtt:
        return []
    fig, ax = plt.subplots(figsize=(11, 4))
    for (region, service), values in sorted(rtt.items()):
        ts = sorted(values)
        ax.plot(ts, [values[t] for t in ts], label=f"{region} / {service}", linewidth=1)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel("round-trip time (ms)")
    ax.set_title("probe round-trip time (gaps: no answer)")
    mark_faults(ax, marks)
    ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    out = os.path.join(folder, "rtt.png")
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [out]


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    folder = argv[1]
    if not os.path.exists(os.path.join(folder, "timeline.csv")):
        print(f"plot.py: {folder} has no timeline.csv; expected an outagesim results folder", file=sys.stderr)
        return 2
    series = load_timeline(folder)
    marks = load_faults(folder)
    made = heat_maps(folder, series, marks) + rtt_plot(folder, series, marks)
    for m in made:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
