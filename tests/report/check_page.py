#!/usr/bin/python3
"""Opens an HTML page in Debian's headless Chromium and checks that it renders offline.

    check_page.py PAGE.html SCREENSHOT.png [--min-charts N] [--expect-failure]

Fails (exit 1) when the page logs anything to the console (an error, a blocked request), when it
asks for anything over the network (Chromium's net log: any request the page initiates that is not
a file: URL), or when the report's script did not mark the page as drawn (body data-status="ok",
data-charts >= N). Saves a screenshot. Exit 77 with "-- skipped:" when chromium is not installed.
--expect-failure inverts the verdict (the test that the checker catches a page that goes online).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
         "--disable-extensions", "--hide-scrollbars", "--virtual-time-budget=15000"]


def problems(page, shot, min_charts):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        netlog = os.path.join(tmp, "net.json")
        url = "file://" + os.path.abspath(page)
        run = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp}/profile", "--enable-logging=stderr", "--v=0",
                              f"--log-net-log={netlog}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=180)
        dom = run.stdout
        for line in run.stderr.splitlines():
            if ":CONSOLE" in line:
                found.append("console: " + line.split("] ", 1)[-1])
        try:
            with open(netlog) as f:
                events = json.load(f).get("events", [])
        except (OSError, ValueError):
            events = []
            found.append("no net log written (cannot tell whether the page went online)")
        asked = set()
        for e in events:
            p = e.get("params", {})
            # The page's own requests carry its origin as initiator ("null" for a file: page); the
            # browser's background services carry "not an origin".
            if "url" in p and p.get("initiator", "not an origin") != "not an origin" and not p["url"].startswith("file:"):
                asked.add(p["url"])
        found += ["network request: " + u for u in sorted(asked)]
        status = re.search(r'data-status="([a-z]*)"', dom)
        if not status:
            found.append("the report's script never ran (no data-status on <body>)")
        elif status.group(1) != "ok":
            err = re.search(r'<p id="status">([^<]*)</p>', dom)
            found.append("the report's script failed: " + (err.group(1) if err else "?"))
        charts = re.search(r'data-charts="([0-9]+)"', dom)
        if min_charts and (not charts or int(charts.group(1)) < min_charts):
            found.append(f"expected at least {min_charts} charts, drew {charts.group(1) if charts else 0}")
        subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp}/profile2", "--window-size=1200,1900",
                        f"--screenshot={os.path.abspath(shot)}", url], capture_output=True, timeout=180)
        if not os.path.exists(shot) or os.path.getsize(shot) < 1000:
            found.append("no screenshot saved")
    return found


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 2 or "--help" in argv:
        print(__doc__)
        return 0 if "--help" in argv else 2
    min_charts = 0
    for a in argv:
        if a.startswith("--min-charts="):
            min_charts = int(a.split("=", 1)[1])
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("-- skipped: chromium is not installed (scripts/deps.sh installs it)")
        return 0
    found = problems(args[0], args[1], min_charts)
    if "--expect-failure" in argv:
        if not found:
            print("the checker passed a page that goes online")
            return 1
        print("caught, as expected: " + "; ".join(found))
        return 0
    for p in found:
        print(p)
    if found:
        return 1
    print(f"ok: {args[0]} renders offline with no console message; screenshot {args[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
