#!/usr/bin/python3
"""Turns an outagesim results folder into pictures (PNG, beside the data).

    python3 scripts/plot.py RESULTS_DIR

availability-<service>.png  heat map of availability per region over time (red: down), with the
                            timeline's fault and recovery actions marked as vertical lines.
rtt.png                     round-trip time per region and service, when the run recorded it.
bgp.png                     BGP announcements and withdrawals seen by the vantages per interval
                            (bgp_updates.csv) and prefix visibility (timeline metric bgp.visibility).
dns-multipliers.png         query rate per resolver group (isp, public) and per name at the TLD,
                            each divided by its rate in the first sample interval (before faults).
reports.png                 user outage reports per interval and cumulated, per service.
power.png                   datacenter power draw: total and per datacenter (MW).
congestion.png              share of traffic delivered by congested DNS access links (a flood) and by
                            transit networks with a declared capacity (a leaker), over time.
Each picture is drawn only when the run recorded its data.

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


def time_plot(folder, name, title, ylabel, lines, marks, log=False, ylim=None):
    """One picture of several (label, {time: value}) lines; nothing when every line is empty."""
    lines = [(label, values) for label, values in lines if values]
    if not lines:
        return []
    fig, ax = plt.subplots(figsize=(11, 4))
    for label, values in lines:
        ts = sorted(values)
        ax.plot(ts, [values[t] for t in ts], label=label, linewidth=1)
    if log:
        ax.set_yscale("log")
    if ylim:
        ax.set_ylim(*ylim)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    mark_faults(ax, marks)
    ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    out = os.path.join(folder, name)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [out]


def bgp_plot(folder, series, marks):
    updates = defaultdict(lambda: defaultdict(float))  # (prefix, kind) -> time -> count
    path = os.path.join(folder, "bgp_updates.csv")
    if os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                t = parse_time(row["time"])
                updates[(row["prefix"], "announcements")][t] += float(row["announcements"])
                updates[(row["prefix"], "withdrawals")][t] += float(row["withdrawals"])
    vis = series.get("bgp.visibility", {})
    if not updates and not vis:
        return []
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6), sharex=True)
    for (prefix, kind), values in sorted(updates.items()):
        ts = sorted(values)
        top.plot(ts, [values[t] for t in ts], label=f"{prefix} {kind}", linewidth=1,
                 linestyle="-" if kind == "withdrawals" else ":")
    top.set_ylabel("updates per interval")
    top.set_title("BGP updates seen by the vantage ASes")
    if updates:
        top.legend(fontsize=7, ncol=2)
    for (_, service), values in sorted(vis.items()):
        ts = sorted(values)
        bottom.plot(ts, [values[t] for t in ts], label=service.replace("prefix:", ""), linewidth=1)
    bottom.set_ylim(-0.05, 1.05)
    bottom.set_ylabel("share of vantages with a route")
    bottom.set_xlabel("time (UTC)")
    if vis:
        bottom.legend(fontsize=7)
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    mark_faults(top, marks)
    fig.tight_layout()
    out = os.path.join(folder, "bgp.png")
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [out]


def relative(values):
    """A series divided by its first value (the rate before any fault)."""
    ts = sorted(values)
    base = next((values[t] for t in ts if values[t] > 0), 0)
    return {t: values[t] / base for t in ts} if base > 0 else {}


def dns_plot(folder, series, marks):
    q = series.get("queries_per_s", {})
    groups = defaultdict(lambda: defaultdict(float))
    for (region, service), values in q.items():
        if region.startswith("resolver:"):
            group = "public" if any(k in region for k in ("cloudflare", "google", "public", "quad")) else "isp"
            for t, v in values.items():
                groups[f"resolvers ({group})"][t] += v
        elif region.startswith("dns:") and "gtld" in region or region.startswith("dns:tld"):
            for t, v in values.items():
                groups[f"TLD site {region}"][t] += v
    lines = [(label, relative(values)) for label, values in sorted(groups.items())]
    return time_plot(folder, "dns-multipliers.png", "DNS query rate relative to before the fault",
                     "x usual rate", lines, marks, log=True)


def reports_plot(folder, series, marks):
    rep = series.get("users.reports", {})
    lines = []
    for (_, service), values in sorted(rep.items()):
        total, cum = 0.0, {}
        for t in sorted(values):
            total += values[t]
            cum[t] = total
        lines.append((f"{service} (cumulative)", cum))
    return time_plot(folder, "reports.png", "user outage reports (Downdetector-like)", "reports", lines, marks)


def power_plot(folder, series, marks):
    lines = []
    for metric in sorted(series):
        if metric.startswith("dc.") and metric.endswith("power_mw"):
            label = "total" if metric == "dc.power_mw" else metric[3:-len(".power_mw")]
            lines.append((label, series[metric].get(("", ""), {})))
    return time_plot(folder, "power.png", "datacenter power draw", "MW", lines, marks)


def congestion_plot(folder, series, marks):
    """Delivered share of the access links and transit ASes that were ever congested (all of them when
    none was, so that a run with roomy links still shows them at 1)."""
    lines = []
    for (link, _), values in sorted(series.get("delivered_share", {}).items()):
        lines.append((link, values))
    for (_, asn), values in sorted(series.get("bgp.transit_delivered", {}).items()):
        lines.append((asn + " (transit)", values))
    congested = [(label, v) for label, v in lines if v and min(v.values()) < 1]
    return time_plot(folder, "congestion.png", "share of traffic delivered through congested links and networks",
                     "delivered share", congested or lines, marks, ylim=(0, 1.05))


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
    for draw in (bgp_plot, dns_plot, reports_plot, power_plot, congestion_plot):
        made += draw(folder, series, marks)
    for m in made:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
