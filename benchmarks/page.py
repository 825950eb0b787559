"""Time to the first complete render of the map page, in Debian's Chromium.

    .venv/bin/python benchmarks/page.py [--db events.db] [--runs 5]

Serves the store (default: the bundled demo articles ingested into a temporary
store) with ``python -m eventwatch.web`` on a free loopback port, opens the page
in headless Chromium driven by Playwright, and measures from navigation start to
the moment the page marks itself ready (map drawn, timeline drawn, counts
shown: ``body[data-state=ready]``). Prints the median and the worst of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from eventwatch.web.process import served

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def demo_store(folder: Path) -> Path:
    from eventwatch.ingest import ingest
    from eventwatch.readers import read_many
    from eventwatch.store import open_store

    db = folder / "demo.db"
    store = open_store(db)
    ingest(read_many([Path(str(files("eventwatch") / "data" / "demo.jsonl"))]), store, workers=1)
    store.close()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        db = args.db or demo_store(Path(folder))
        with served("--db", str(db), "--log-level", "warning") as base:
            url = f"{base}/"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                deadline = time.time() + 60
                times = []
                while len(times) < args.runs + 1 and time.time() < deadline + 120:
                    context = browser.new_context(viewport={"width": 1400, "height": 860})
                    page = context.new_page()
                    try:
                        page.goto(url)
                    except Exception:
                        time.sleep(0.3)
                        context.close()
                        continue
                    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
                    times.append(page.evaluate("performance.now()"))
                    context.close()
                browser.close()
    times = times[1:]  # the first run warms the server's caches
    print(f"first complete render of the map page over {len(times)} runs: "
          f"median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
