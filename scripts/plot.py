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
Each picture is drawn only when the run recorded its data; for the others it says which model was
off. Dashed vertical lines: red, the timeline's faults; green, recovery actions (a restoration that
follows from an operator's step or the end of a fault). Every y axis starts at zero (or is a log scale).

Needs Debian's python3-matplotlib only: run it with /usr/bin/python3 (its shebang) where another
python3 comes first on the PATH. For one page with all of this and more: outagesim report RESULTS_DIR.
"""
import csv
import json
import os
import sys
from collections import defaultdict
from datetime import datetime, timedelta

mdates = plt = None  # imported in main(), so that --help works without matplotlib


def parse_time(text):
    return datetime.strptime(text.replace(".", ",").split(",")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S")


def load_timeline(folder):
    series = defaultdict(lambda: defaultdict(dict))  # metric -> (region, service) -> time -> value
    with open(os.path.join(folder, "timeline.csv"), newline="") as f:
        for row in csv.DictReader(f):
            series[row["metric"]][(row["region"], row["service"])][parse_time(row["time"])] = float(row["value"])
    return series


FAILURE_WORDS = {"lost", "down", "fail", "failed", "failure", "start", "started", "dark", "withdrawn", "withdraw",
                 "blocked", "congested", "crash", "crashed", "unreachable", "degraded", "broken", "timeout",
                 "deleted", "removed", "poisoned", "hijacked", "leaked", "overloaded", "stopped"}
RECOVERY_WORDS = {"restored", "up", "recovered", "end", "ended", "announced", "cleared", "back", "restore", "works",
                  "reconnected", "resumed", "healthy"}


def polarity(event_type):
    """+1 failure, -1 recovery, 0 neither, from the words of the type's last segment (as explain does)."""
    p = 0
    for word in event_type.rsplit(".", 1)[-1].split("_"):
        if word in RECOVERY_WORDS:
            p = -1
        if word in FAILURE_WORDS:
            p = 1
    return p


def load_faults(folder):
    """Marks (time, 'fault' | 'recovery', label): the timeline's actions (events with no cause), each
    as what its effects do, and the recovery actions (a restoration whose cause is an operator's step
    or another non-recovery event that has a cause itself; one mark per cause)."""
    path = os.path.join(folder, "events.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        events = [json.loads(line) for line in f if line.strip()]
    by_id = {e["id"]: e for e in events}
    first_effect = {}
    for e in events:
        c = e.get("cause")
        if c and c not in first_effect and polarity(e["type"]):
            first_effect[c] = polarity(e["type"])
    marks, seen = [], set()
    for e in events:
        c = e.get("cause")
        t = parse_time(e["utc"])
        if not c:
            if polarity(e["type"]) and not e["type"].startswith("fault."):
                continue  # a model's own state change with no recorded cause, not an action
            kind = "recovery" if e["type"] == "fault.ended" or first_effect.get(e["id"], 1) < 0 else "fault"
            marks.append((t, kind, e["subject"] + " " + e.get("data", {}).get("action", "")))
        elif c and c not in seen and polarity(e["type"]) < 0:
            cause = by_id.get(c)
            if cause and cause.get("cause") and polarity(cause["type"]) >= 0:
                seen.add(c)
                marks.append((t, "recovery", e["subject"] + " " + e["type"].rsplit(".", 1)[-1]))
    return marks


def mark_faults(ax, marks, labels=True):
    for t, kind, label in marks:
        ax.axvline(t, color="#d62728" if kind == "fault" else "#2ca02c", linestyle="--", linewidth=1)
        if labels:
            ax.annotate(label, (t, 1.0), xycoords=("data", "axes fraction"), rotation=90, fontsize=6,
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
        ax.set_title(f"availability of {service} per region (red: faults, green: recovery actions)")
        mark_faults(ax, marks)
        # What availability measures depends on which model recorded it.
        by_users = any(s == service for (_, s) in series.get("users.active", {}))
        fig.colorbar(im, ax=ax, label="share of users' requests answered (0-1)" if by_users
                     else "share of probes answered (0-1)")
        fig.tight_layout()
        out = os.path.join(folder, f"availability-{service}.png")
        fig.savefig(out, dpi=110)
        plt.close(fig)
        made.append(out)
    return made


def rtt_plot(folder, series, marks):
    rtt = series.get("rtt_ms", {})
    if not rtt:
        print("rtt.png: not drawn: no round-trip times in this run (the probe model is off)", file=sys.stderr)
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
        print(f"{name}: not drawn: the run has no such series (its model is off)", file=sys.stderr)
        return []
    fig, ax = plt.subplots(figsize=(11, 4))
    for label, values in lines:
        ts = sorted(values)
        ax.plot(ts, [values[t] for t in ts], label=label, linewidth=1)
    if log:
        ax.set_yscale("log")
    elif ylim:
        ax.set_ylim(*ylim)
    else:
        ax.set_ylim(bottom=0)  # no truncated axis: a small dip must look small
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


def burst_window(totals):
    """The busiest interval and the span around it while updates keep coming, padded; None if none."""
    ts = sorted(totals)
    if not ts or max(totals.values()) <= 0:
        return None
    i = max(range(len(ts)), key=lambda k: totals[ts[k]])
    lo = hi = i
    while lo > 0 and totals[ts[lo - 1]] > 0:
        lo -= 1
    while hi + 1 < len(ts) and totals[ts[hi + 1]] > 0:
        hi += 1
    pad = max(timedelta(minutes=5), (ts[hi] - ts[lo]) * 0.3)
    return ts[lo] - pad, ts[hi] + pad


def bgp_plot(folder, series, marks):
    # Updates summed over the prefixes (one line per prefix hid one under another when they moved together).
    updates = {"withdrawals": defaultdict(float), "announcements": defaultdict(float)}
    prefixes = set()
    path = os.path.join(folder, "bgp_updates.csv")
    if os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                t = parse_time(row["time"])
                prefixes.add(row["prefix"])
                updates["announcements"][t] += float(row["announcements"])
                updates["withdrawals"][t] += float(row["withdrawals"])
    vis = series.get("bgp.visibility", {})
    if not prefixes and not vis:
        print("bgp.png: not drawn: no BGP in this run (the bgp model is off or has no vantages)", file=sys.stderr)
        return []
    totals = defaultdict(float)
    for values in updates.values():
        for t, v in values.items():
            totals[t] += v
    window = burst_window(totals)
    fig, axes = plt.subplots(3 if window else 2, 1, figsize=(11, 9 if window else 6))
    top, bottom = axes[0], axes[-1]
    for kind, style in (("withdrawals", "-"), ("announcements", ":")):
        values = updates[kind]
        ts = sorted(values)
        top.plot(ts, [values[t] for t in ts], label=f"{kind} ({len(prefixes)} prefixes summed)", linewidth=1,
                 linestyle=style)
    top.set_ylabel("updates per sample interval")
    top.set_ylim(bottom=0)
    top.set_title("BGP updates seen by the vantage ASes (red: faults, green: recovery actions)")
    if prefixes:
        top.legend(fontsize=7)
    mark_faults(top, marks, labels=False)
    if window:
        zoom = axes[1]
        for kind, style in (("withdrawals", "-"), ("announcements", ":")):
            values = updates[kind]
            ts = [t for t in sorted(values) if window[0] <= t <= window[1]]
            zoom.plot(ts, [values[t] for t in ts], label=kind, linewidth=1.2, linestyle=style, marker=".")
        zoom.set_xlim(*window)
        zoom.set_ylim(bottom=0)
        zoom.set_ylabel("updates per sample interval")
        zoom.set_title(f"zoom on the burst: {window[0]:%H:%M}-{window[1]:%H:%M} UTC")
        zoom.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
        zoom.legend(fontsize=7)
        mark_faults(zoom, [m for m in marks if window[0] <= m[0] <= window[1]], labels=False)
    # Prefixes with the same visibility would hide one another: each its own width and dash.
    styles = ["-", "--", ":", "-."]
    for i, ((_, service), values) in enumerate(sorted(vis.items())):
        ts = sorted(values)
        bottom.plot(ts, [values[t] for t in ts], label=service.replace("prefix:", ""), linewidth=3 - 0.7 * (i % 4),
                    linestyle=styles[i % 4])
    bottom.set_ylim(0, 1.05)
    bottom.set_ylabel("share of vantages with a route (0-1)")
    bottom.set_xlabel("time (UTC)")
    if vis:
        bottom.legend(fontsize=7)
    for ax in (top, bottom):
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    mark_faults(bottom, marks, labels=False)
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
    return time_plot(folder, "reports.png", "user outage reports (Downdetector-like), cumulated",
                     "reports since the start", lines, marks)


def power_plot(folder, series, marks):
    lines = []
    for metric in sorted(series):
        if metric.startswith("dc.") and metric.endswith("power_mw"):
            label = "total" if metric == "dc.power_mw" else metric[3:-len(".power_mw")]
            lines.append((label, series[metric].get(("", ""), {})))
    return time_plot(folder, "power.png", "datacenter power draw", "power (MW)", lines, marks)


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
    global mdates, plt
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"plot.py: {sys.executable} has no matplotlib; run it with Debian's python: /usr/bin/python3 "
              "scripts/plot.py DIR (apt-get install python3-matplotlib)", file=sys.stderr)
        return 2
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
