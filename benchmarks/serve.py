"""Latency of the HTTP API under load: 100,000 synthetic events, 20 concurrent clients.

    .venv/bin/python benchmarks/serve.py [--events 100000] [--requests 2000] [--db PATH] [--client wrk|httpx]

Fills a SQLite store with synthetic corpus events (once: the file is kept and
reused while it holds the right number of events), starts ``python -m
eventwatch.web`` (uvicorn, one worker) on a free loopback port, and sends a
fixed number of requests per scenario from 20 concurrent connections, rotating
over many different queries so nothing is answered from a warm cache of one:

    (a) filtered events: /api/events?country=..&start=..&end=..&event_type=..&min_fatalities=1 (a page of 100)
    (b) the GeoJSON of one country-month: /api/events.geojson?country=..&start=..&end=..&limit=5000

The load comes from Debian's ``wrk`` when it is installed (a C client that
costs the server little CPU), else from an asyncio httpx client pool.  Prints
median and p95 latency per scenario; the target is p95 < 100 ms.  Loopback
only; the server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from eventwatch.model import Article, Event, Span
from eventwatch.store import open_store
from eventwatch.store.api import CorpusEvent, EventFilter
from eventwatch.vocab import EVENT_TYPE_OF
from eventwatch.web.process import served

CONCURRENCY = 20
TARGET_P95_MS = 100.0
FIRST_DAY = date(2022, 1, 1)
DAYS = 3 * 365

# iso2, country, (admin1, ...), min_lon, min_lat, max_lon, max_lat
COUNTRIES = (
    ("UA", "Ukraine", ("Kherson", "Donetsk", "Kharkiv", "Zaporizhzhia"), 30.0, 46.0, 38.5, 50.5),
    ("SY", "Syria", ("Aleppo", "Idlib", "Deir ez-Zor", "Daraa"), 35.8, 32.5, 41.5, 37.2),
    ("NG", "Nigeria", ("Borno", "Zamfara", "Kaduna", "Benue"), 3.0, 6.0, 14.5, 13.8),
    ("SD", "Sudan", ("Khartoum", "North Darfur", "West Kordofan", "Gezira"), 22.0, 10.0, 36.5, 21.5),
    ("MM", "Myanmar", ("Sagaing", "Rakhine", "Shan", "Kachin"), 92.5, 10.0, 101.0, 28.0),
    ("YE", "Yemen", ("Taizz", "Marib", "Al Hudaydah", "Sanaa"), 42.6, 12.6, 52.0, 18.9),
    ("ML", "Mali", ("Mopti", "Gao", "Timbuktu", "Segou"), -12.0, 10.5, 4.0, 24.5),
    ("SO", "Somalia", ("Banadir", "Lower Shabelle", "Bay", "Hiraan"), 41.0, -1.5, 51.0, 11.5),
)
SUB_EVENT_TYPES = tuple(EVENT_TYPE_OF)
ACTORS = ("Military Forces", "Rebel Group", "Unidentified Armed Group", "Police Forces", "Protesters")


def synthetic(n: int, rng: random.Random) -> tuple[Article, Event]:
    iso2, country, admins, min_lon, min_lat, max_lon, max_lat = COUNTRIES[n % len(COUNTRIES)]
    admin1 = admins[rng.randrange(len(admins))]
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    sub_event_type = SUB_EVENT_TYPES[rng.randrange(len(SUB_EVENT_TYPES))]
    fatalities = rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 8, 12, 30))
    place = f"Place {n % 997} of {admin1}"
    actor = f"{ACTORS[n % len(ACTORS)]} of {country}"
    text = (f"{place.upper()} — {actor} were involved in a {sub_event_type.lower()} in {place}, {admin1}, on "
            f"{day:%A}, killing {fatalities} people, officials said.")
    article = Article(text=text, id=f"bench-{n:07d}", title=f"{sub_event_type} in {place}", published=day,
                      source=f"Outlet {n % 40}", url=f"https://news.example.org/{n}")
    start = text.find(place, 5)
    event = Event(
        event_id=f"ev{n:07d}", article_id=article.id, event_date=day, time_precision=1,
        event_type=EVENT_TYPE_OF[sub_event_type], sub_event_type=sub_event_type, actor1=actor,
        actor1_type="State Forces", actor2=f"Civilians ({country})", actor2_type="Civilians",
        civilian_targeting=n % 3 == 0, country=country, iso2=iso2, admin1=admin1, location=place,
        latitude=round(rng.uniform(min_lat, max_lat), 5), longitude=round(rng.uniform(min_lon, max_lon), 5),
        geo_precision=1, fatalities=fatalities, injuries=rng.randrange(5), child_fatalities=0,
        ceasefire_violation=n % 50 == 0, evidence=text, confidence=0.8,
        notes=f"On {day}, {actor}: {sub_event_type.lower()} in {place}; {fatalities} killed.",
        source=article.source, spans={"location": Span(start, start + len(place), place)},
    )
    return article, event


def fill(path: Path, n: int) -> None:
    """A SQLite store at ``path`` with ``n`` corpus events (one article and report each), made once."""
    if path.exists():
        store = open_store(path)
        try:
            if store.count_events(EventFilter()) == n:
                print(f"reusing {path} ({n:,} events)")
                return
        finally:
            store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"filling {path} with {n:,} synthetic events ...", flush=True)
    started = time.perf_counter()
    rng = random.Random(20240701)
    store = open_store(path)
    try:
        batch: list[CorpusEvent] = []
        for i in range(n):
            article, event = synthetic(i, rng)
            store.save_article(article, [event])
            batch.append(CorpusEvent(event, [article.id], [event.event_id]))
            if len(batch) == 10_000 or i == n - 1:
                store.set_clusters({c.event.event_id: c.event.event_id for c in batch}, batch)
                batch = []
                print(f"  {i + 1:,} events ({time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        store.close()


WORKERS = os.cpu_count() or 1  # as `eventwatch serve` runs by default


def scenarios() -> dict[str, list[str]]:
    rng = random.Random(7)
    filtered, monthly = [], []
    for iso2, *_ in COUNTRIES:
        for year in (2022, 2023, 2024):
            for quarter in range(4):
                start = date(year, 3 * quarter + 1, 1)
                end = date(year, 3 * quarter + 3, calendar.monthrange(year, 3 * quarter + 3)[1])
                event_type = rng.choice(("Battles", "Explosions/Remote violence", "Violence against civilians"))
                filtered.append(f"/api/events?country={iso2}&start={start}&end={end}"
                                f"&event_type={quote(event_type, safe='')}&min_fatalities=1&limit=100")
            for month in range(1, 13):
                last = calendar.monthrange(year, month)[1]
                monthly.append(f"/api/events.geojson?country={iso2}&start={year}-{month:02d}-01"
                               f"&end={year}-{month:02d}-{last}&limit=5000")
    rng.shuffle(filtered)
    rng.shuffle(monthly)
    return {"(a) filtered events, page of 100": filtered, "(b) GeoJSON, one country-month": monthly}


WRK_SCRIPT = """
local paths = {%(paths)s}
local budget = %(budget)d
local sent = 0
local answered = 0
request = function()
  sent = sent + 1
  return wrk.format("GET", paths[(sent %% #paths) + 1])
end
response = function(status, headers, body)
  answered = answered + 1
  if answered >= budget then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency.mean / 1000, latency.max / 1000))
end
"""


def load_wrk(base: str, paths: list[str], requests: int, single_ms: float) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths), "budget": requests})
        script = fh.name
    try:
        # wrk runs for its whole -d even after the budget stops it: give it the time the budget
        # should take (one request at a time, as one worker serves them) with a margin, at most 120 s.
        seconds = min(120, max(3, round(requests * single_ms / 1000 * 1.5 + 2)))
        out = subprocess.run(["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", "--timeout", "10s", "-s", script,
                              base], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    count, errors, _, p50, p95, mean, worst = line.split()[1:]
    return {"requests": int(count), "errors": int(errors), "rps": CONCURRENCY / (float(mean) / 1000),  # Little's law
            "p50": float(p50), "p95": float(p95), "mean": float(mean), "max": float(worst)}


def load_httpx(base: str, paths: list[str], requests: int, single_ms: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0

    async def run() -> float:
        nonlocal errors
        counter = iter(range(requests))
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
            async def worker() -> None:
                nonlocal errors
                for i in counter:
                    began = time.perf_counter()
                    response = await client.get(paths[i % len(paths)])
                    await response.aread()
                    latencies.append((time.perf_counter() - began) * 1000)
                    errors += response.status_code != 200

            began = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
            return time.perf_counter() - began

    seconds = asyncio.run(run())
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / seconds,
            "p50": statistics.median(latencies), "p95": latencies[int(0.95 * (len(latencies) - 1))],
            "mean": statistics.fmean(latencies), "max": latencies[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (default 2000)")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "eventwatch-bench-serve.db")
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    args = parser.parse_args()

    fill(args.db, args.events)
    env = {**os.environ, "EVENTWATCH_DB": str(args.db)}
    for key in ("EVENTWATCH_API_KEY", "EVENTWATCH_READ_KEY"):
        env.pop(key, None)
    with served("--log-level", "warning", "--workers", str(WORKERS), env=env) as base:
        rows = []
        for name, paths in scenarios().items():
            sizes, times = [], []
            with httpx.Client(base_url=base, timeout=30) as client:
                for path in paths[:20]:   # check the answers (and warm up) before measuring
                    began = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - began) * 1000)
                    response.raise_for_status()
                    sizes.append(len(response.content))
            load = load_wrk if args.client == "wrk" else load_httpx
            result = load(base, paths, args.requests, statistics.median(times))
            result["single"] = statistics.median(times)
            result["kb"] = statistics.fmean(sizes) / 1024
            rows.append((name, len(paths), result))

    print(f"\n{args.events:,} events, SQLite, uvicorn {WORKERS} worker(s) (one per core), {CONCURRENCY} concurrent connections "
          f"({args.client}), {os.cpu_count()} CPUs\n")
    print("| query | distinct URLs | avg KB | alone ms | requests | errors | req/s | median ms | p95 ms | max ms "
          "| p95 < 100 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    ok = True
    for name, distinct, r in rows:
        passed = r["p95"] < TARGET_P95_MS and r["errors"] == 0
        ok &= passed
        print(f"| {name} | {distinct} | {r['kb']:.0f} | {r['single']:.1f} | {r['requests']:,} | {r['errors']} | "
              f"{r['rps']:.0f} | "
              f"{r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {'yes' if passed else 'NO'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
