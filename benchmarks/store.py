"""Store benchmark: corpus ingest throughput, database size and filtered-export query time.

Not a test: it measures and reports, it asserts nothing.

Run from the repository root:

    .venv/bin/python benchmarks/store.py                       # starts (and stops) its own PostgreSQL
    . .ci/postgres.sh && .venv/bin/python benchmarks/store.py  # uses $EVENTWATCH_TEST_POSTGRES
    .venv/bin/python benchmarks/store.py --skip-postgres
    .venv/bin/python benchmarks/store.py --articles 2000 --events 20000 --json

What it measures:

1. Ingest throughput.  ``--articles`` differently worded articles from the
   generator of ``merge.py`` / ``merge_templates.py`` (wire copies, which
   repeat another article's text word for word, are left out; light rewrites
   stay) are written to a JSONL file in a temporary folder and ingested with
   ``eventwatch.ingest.ingest(read_many([path]), open_store(...), workers=...)``
   into a new SQLite file: once with ``workers=1`` with the process pinned to
   one CPU (``os.sched_setaffinity``), once with ``workers=os.cpu_count()``
   and no pinning.  Articles per second (read / ``IngestReport.seconds``) and
   the speed-up.  A small ingest into a throwaway file warms the pipeline first.
2. Database size: the SQLite file after the one-core ingest (store closed, so
   the WAL is checkpointed), scaled to 10,000 corpus events and to 10,000
   article-level reports.
3. Query time.  A store is filled with ``--events`` synthetic corpus events
   (real towns and coordinates from the gazetteer in twelve countries, dates
   over 2022-2024, seven kinds of incident, fatalities, actors, evidence
   sentences) through the Store API: ``save_article`` of one short fake
   article per 10 reports, then ``set_clusters`` with single-report clusters
   merged by ``eventwatch.corpus.merge.merge``, 2,000 reports per call.  The
   fill is timed.  Then, median of ``--runs`` runs after one warm-up run:
   (a) ``list(query_events(...))`` of Ukraine, one month, fatalities >= 1;
   (b) the same written as ACLED CSV to an ``io.StringIO``;
   (c) the full-text query ``q="drone"`` with limit 500.
   Done on SQLite and on PostgreSQL.  PostgreSQL: the server of
   ``$EVENTWATCH_TEST_POSTGRES`` when set, else one started here with
   ``bash .ci/postgres.sh`` in a private folder and stopped at the end; the
   benchmark works in a database of its own (created, then dropped), and runs
   ``ANALYZE`` after the fill (as autovacuum would soon after a bulk load).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import merge as M  # noqa: E402
import merge_templates as T  # noqa: E402

from eventwatch.corpus.merge import merge  # noqa: E402
from eventwatch.export import write_events  # noqa: E402
from eventwatch.ingest import IngestReport, ingest  # noqa: E402
from eventwatch.model import Article, Event, Span, content_hash  # noqa: E402
from eventwatch.pipeline import Pipeline  # noqa: E402
from eventwatch.readers import read_many  # noqa: E402
from eventwatch.store import EventFilter, open_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REPORTS_PER_ARTICLE = 10   # synthetic fill: reports saved with one fake article
CLUSTER_BATCH = 2000       # synthetic fill: reports per set_clusters call
WARMUP_ARTICLES = 100
FIRST_DAY, DAYS = date(2022, 1, 1), 1096   # synthetic events: 2022-01-01 .. 2024-12-31
QUERY_MONTH = (date(2024, 3, 1), date(2024, 3, 31))


# ---------------------------------------------------------------- 1. ingest

def write_corpus(path: Path, n: int, seed: int, towns: dict, days: int = 182) -> dict[str, int]:
    """Write ``n`` generated articles with distinct texts, about incidents over ``days`` days, to ``path`` (JSONL)."""
    gen = M.Generator(towns, seed, days)
    texts: set[str] = set()
    chosen: list[M.GenArticle] = []
    target = n
    while len(chosen) < n:
        target += max(100, n // 5)
        start = len(gen.articles)
        gen.generate(target)
        for ga in gen.articles[start:]:
            if ga.article.text not in texts and len(chosen) < n:
                texts.add(ga.article.text)
                chosen.append(ga)
    with open(path, "w", encoding="utf-8") as fh:
        for ga in chosen:
            a = ga.article
            fh.write(json.dumps({"text": a.text, "published": a.published.isoformat(), "source": a.source,
                                 "url": a.url}, ensure_ascii=False) + "\n")
    return {"articles": len(chosen), "rewrites": sum(ga.copy == "rewrite" for ga in chosen),
            "incidents": len({ga.incident for ga in chosen})}


def sqlite_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def run_ingest(corpus: Path, db: Path, workers: int, cpus: set[int] | None,
               progress: Callable[[IngestReport], None] | None = None) -> dict[str, Any]:
    allowed = os.sched_getaffinity(0)
    if cpus is not None:
        os.sched_setaffinity(0, cpus)
    try:
        store = open_store(db)
        try:
            started = time.perf_counter()
            report = ingest(read_many([corpus]), store, workers=workers, progress=progress)
            wall = time.perf_counter() - started
            corpus_events = store.count_events(EventFilter())
        finally:
            store.close()
    finally:
        os.sched_setaffinity(0, allowed)
    return {"workers": workers, "read": report.read, "stored": report.stored, "near_duplicates": report.near_duplicates,
            "failed": report.failed, "reports": report.events, "corpus_events": corpus_events,
            "seconds": round(report.seconds, 2), "wall_seconds": round(wall, 2),
            "articles_per_second": round(report.articles_per_second, 1)}


def bench_ingest(args: argparse.Namespace, tmp: Path, towns: dict) -> dict[str, Any]:
    corpus = tmp / "corpus.jsonl"
    started = time.perf_counter()
    info = write_corpus(corpus, args.articles, args.seed, towns)
    info["generate_seconds"] = round(time.perf_counter() - started, 2)
    info["corpus_mb"] = round(corpus.stat().st_size / 1e6, 2)

    warm = tmp / "warmup.jsonl"
    with open(corpus, encoding="utf-8") as src, open(warm, "w", encoding="utf-8") as dst:
        for _, line in zip(range(WARMUP_ARTICLES), src, strict=False):
            dst.write(line)
    run_ingest(warm, tmp / "warmup.db", 1, None)

    one_cpu = {min(os.sched_getaffinity(0))}
    one = run_ingest(corpus, tmp / "ingest-1.db", 1, one_cpu)
    cores = os.cpu_count() or 1
    many = run_ingest(corpus, tmp / f"ingest-{cores}.db", cores, None)
    size = sqlite_size(tmp / "ingest-1.db")
    return {
        "corpus": info, "one_core": one, "all_cores": many,
        "speedup": round(many["articles_per_second"] / one["articles_per_second"], 2) if one["articles_per_second"] else None,
        "sqlite_bytes": size,
        "mb_per_10k_events": round(size / one["corpus_events"] * 10_000 / 1e6, 2) if one["corpus_events"] else None,
        "mb_per_10k_reports": round(size / one["reports"] * 10_000 / 1e6, 2) if one["reports"] else None,
    }


# ---------------------------------------------------------------- 3. synthetic events

# (weight, event type, sub-type, actor1 role, actor2 role, evidence sentences, share with deaths)
KINDS = (
    (3, "Explosions/Remote violence", "Shelling/artillery/missile attack", "attacker", "civilians",
     ("{Attacker} shelled {town}, killing {toll}.", "Artillery fire hit residential streets of {town}; {toll} died."), 0.7),
    (3, "Explosions/Remote violence", "Air/drone strike", "attacker", "civilians",
     ("A drone strike on {town} killed {toll}.", "An air strike hit a neighbourhood of {town}, killing {toll}.",
      "Warplanes bombed {town}; {toll} were killed."), 0.7),
    (2, "Explosions/Remote violence", "Remote explosive/landmine/IED", "group", "army",
     ("A roadside bomb exploded near {town}, killing {toll}.",), 0.6),
    (3, "Battles", "Armed clash", "army", "group",
     ("{Army} clashed with {group} fighters in {town}; {toll} were killed.",), 0.6),
    (2, "Violence against civilians", "Attack", "unidentified", "civilians",
     ("Gunmen attacked {town}, killing {toll}.",), 0.8),
    (1, "Violence against civilians", "Abduction/forced disappearance", "unidentified", "civilians",
     ("Armed men abducted {n} villagers near {town}.",), 0.0),
    (2, "Protests", "Peaceful protest", "protesters", None,
     ("Hundreds of people protested in {town} against {grievance}.",), 0.0),
)
_WEIGHTS = [k[0] for k in KINDS]


def _actor(role: str | None, info: dict, country: str) -> tuple[str | None, str | None]:
    if role is None:
        return None, None
    if role == "civilians":
        return f"Civilians ({country})", "Civilians"
    if role == "protesters":
        return f"Protesters ({country})", "Protesters"
    if role == "unidentified":
        return f"Unidentified Armed Group ({country})", "Political militias"
    name = info[role]
    kind = "State forces" if role == "army" or name == info["army"] else "Rebel groups"
    return name[0].upper() + name[1:], kind


def synthetic_events(n: int, seed: int, towns: dict) -> list[tuple[Article, list[Event]]]:
    """``n`` article-level reports, ``REPORTS_PER_ARTICLE`` to a fake short article."""
    rng = random.Random(seed)
    countries = sorted(iso2 for iso2 in towns if iso2 in T.COUNTRIES)
    batches: list[tuple[Article, list[Event]]] = []
    i = 0
    while i < n:
        source = rng.choice(T.OUTLETS)
        events: list[Event] = []
        article_id = content_hash("benchmark-article", str(seed), str(len(batches)))
        for _ in range(min(REPORTS_PER_ARTICLE, n - i)):
            iso2 = rng.choice(countries)
            info = T.COUNTRIES[iso2]
            place = rng.choice(towns[iso2]).place
            _, event_type, sub, role1, role2, sentences, deadly = rng.choices(KINDS, _WEIGHTS)[0]
            fatalities = min(300, int(rng.paretovariate(1.1))) if rng.random() < deadly else 0
            toll = f"{fatalities} people" if fatalities else "no one"
            evidence = rng.choice(sentences).format(
                Attacker=info["attacker"][0].upper() + info["attacker"][1:], Army=info["army"][0].upper() + info["army"][1:],
                group=info["group"], town=place.name, toll=toll, n=rng.randint(2, 20), grievance=info["grievance"])
            actor1, type1 = _actor(role1, info, place.country)
            actor2, type2 = _actor(role2, info, place.country)
            at = evidence.index(place.name)
            spans = {"location": Span(at, at + len(place.name), place.name)}
            if fatalities:
                at = evidence.index(str(fatalities))
                spans["fatalities"] = Span(at, at + len(str(fatalities)), str(fatalities))
            events.append(Event(
                event_id=content_hash("benchmark-report", str(seed), str(i)), article_id=article_id,
                event_date=FIRST_DAY + timedelta(days=rng.randrange(DAYS)), time_precision=1,
                event_type=event_type, sub_event_type=sub, actor1=actor1, actor1_type=type1,
                actor2=actor2, actor2_type=type2,
                civilian_targeting=type2 == "Civilians" and event_type != "Battles",
                country=place.country, iso2=iso2, admin1=place.admin1, location=place.name,
                latitude=place.latitude, longitude=place.longitude, geo_precision=1,
                fatalities=fatalities, injuries=rng.choice([None, None, rng.randint(1, 40)]) if fatalities else None,
                child_fatalities=None, ceasefire_violation=False, evidence=evidence,
                confidence=round(rng.uniform(0.5, 0.95), 2), notes="", source=source, spans=spans,
            ))
            i += 1
        published = max(e.event_date for e in events) + timedelta(days=1)
        text = f"{source} round-up of {len(events)} incidents reported on {published.isoformat()}."
        batches.append((Article(text=text, id=article_id, title=f"Round-up {len(batches)}", published=published,
                                source=source, url=f"https://bench.example/{article_id}"), events))
    return batches


def fill(store, batches: list[tuple[Article, list[Event]]], merged: dict[str, Any]) -> float:
    started = time.perf_counter()
    pending: list[Event] = []
    for article, events in batches:
        store.save_article(article, events)
        pending.extend(events)
        if len(pending) >= CLUSTER_BATCH:
            store.set_clusters({e.event_id: e.event_id for e in pending}, [merged[e.event_id] for e in pending])
            pending = []
    if pending:
        store.set_clusters({e.event_id: e.event_id for e in pending}, [merged[e.event_id] for e in pending])
    return time.perf_counter() - started


def median_time(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    count = fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def bench_queries(store, runs: int) -> dict[str, Any]:
    month = EventFilter(country="Ukraine", start=QUERY_MONTH[0], end=QUERY_MONTH[1], min_fatalities=1)
    text = EventFilter(q="drone", limit=500)
    out: dict[str, Any] = {}
    for name, fn in (
        ("filtered_list", lambda: len(list(store.query_events(month)))),
        ("filtered_acled_csv", lambda: write_events(store.query_events(month), "acled-csv", io.StringIO())),
        ("fulltext_drone_500", lambda: len(list(store.query_events(text)))),
    ):
        seconds, count = median_time(fn, runs)
        out[name] = {"ms": round(seconds * 1000, 1), "rows": count}
    out["total_events"] = store.count_events(EventFilter())
    return out


# ---------------------------------------------------------------- PostgreSQL

class Postgres:
    """A database of its own on $EVENTWATCH_TEST_POSTGRES's server, or on a server started here."""

    def __init__(self) -> None:
        self.started_dir: str | None = None
        base = os.environ.get("EVENTWATCH_TEST_POSTGRES", "").strip()
        if not base:
            self.started_dir = f"/tmp/eventwatch-bench-postgres-{os.getpid()}"
            run = subprocess.run(["bash", str(ROOT / ".ci/postgres.sh")], cwd=ROOT, capture_output=True, text=True,
                                 env={**os.environ, "EVENTWATCH_PG_DIR": self.started_dir})
            if run.returncode != 0 or not run.stdout.strip():
                self.stop()
                raise RuntimeError(f"could not start PostgreSQL: {run.stderr.strip() or run.stdout.strip()}")
            base = run.stdout.strip().splitlines()[-1]
        self.base = base
        self.name = "bench_" + uuid.uuid4().hex[:12]
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {self.name}")
        parts = urlsplit(base)
        self.url = urlunsplit(parts._replace(path="/" + self.name))

    def execute(self, sql: str) -> Any:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql).fetchone() if sql.lstrip().upper().startswith("SELECT") else conn.execute(sql)

    def stop(self) -> None:
        if getattr(self, "name", None):
            try:
                import psycopg

                with psycopg.connect(self.base, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            except Exception as error:  # cleanup must not hide the results
                print(f"note: could not drop database {self.name}: {error}", file=sys.stderr)
            self.name = None
        if self.started_dir:
            subprocess.run(["bash", str(ROOT / ".ci/postgres.sh"), "stop"], cwd=ROOT, capture_output=True,
                           env={**os.environ, "EVENTWATCH_PG_DIR": self.started_dir})
            self.started_dir = None


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="generated articles to ingest")
    parser.add_argument("--events", type=int, default=100_000, help="synthetic corpus events for the query test")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (after one warm-up)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-postgres", action="store_true", help="query test on SQLite only")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON only")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    result: dict[str, Any] = {"cpus": os.cpu_count(), "seed": args.seed}
    towns = M.load_towns(Pipeline())
    with tempfile.TemporaryDirectory(prefix="eventwatch-bench-") as folder:
        tmp = Path(folder)
        result["ingest"] = bench_ingest(args, tmp, towns)

        t0 = time.perf_counter()
        batches = synthetic_events(args.events, args.seed, towns)
        merged = {e.event_id: merge([e], e.event_id) for _, events in batches for e in events}
        result["synthetic"] = {"events": args.events, "articles": len(batches),
                               "generate_and_merge_seconds": round(time.perf_counter() - t0, 2)}

        store = open_store(tmp / "query.db")
        try:
            seconds = fill(store, batches, merged)
            sqlite = {"fill_seconds": round(seconds, 1), "fill_events_per_second": round(args.events / seconds)}
            sqlite.update(bench_queries(store, args.runs))
        finally:
            store.close()
        size = sqlite_size(tmp / "query.db")
        sqlite["mb"] = round(size / 1e6, 1)
        sqlite["mb_per_10k_events"] = round(size / args.events * 10_000 / 1e6, 2)
        result["sqlite"] = sqlite

    if not args.skip_postgres:
        pg = None
        try:
            pg = Postgres()
            result["postgres_server"] = "started here" if pg.started_dir else "$EVENTWATCH_TEST_POSTGRES"
            store = open_store(pg.url)
            try:
                seconds = fill(store, batches, merged)
                pg.execute("ANALYZE")
                postgres = {"fill_seconds": round(seconds, 1), "fill_events_per_second": round(args.events / seconds)}
                postgres.update(bench_queries(store, args.runs))
            finally:
                store.close()
            size = pg.execute(f"SELECT pg_database_size('{pg.name}')")[0]
            postgres["mb"] = round(size / 1e6, 1)
            postgres["mb_per_10k_events"] = round(size / args.events * 10_000 / 1e6, 2)
            result["postgres"] = postgres
        except Exception as error:  # report it, keep the SQLite numbers
            result["postgres"] = {"error": f"{type(error).__name__}: {error}"}
        finally:
            if pg is not None:
                pg.stop()
    result["total_seconds"] = round(time.perf_counter() - started, 1)

    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print_table(result)
    return 0


def print_table(r: dict[str, Any]) -> None:
    ing = r["ingest"]
    c, one, many = ing["corpus"], ing["one_core"], ing["all_cores"]
    rows: list[tuple[str, Any]] = [
        ("1. INGEST", ""),
        ("corpus: articles (light rewrites) / incidents", f"{c['articles']} ({c['rewrites']}) / {c['incidents']}, "
                                                          f"{c['corpus_mb']} MB JSONL"),
        ("stored / near-duplicates / failed", f"{one['stored']} / {one['near_duplicates']} / {one['failed']}"),
        ("reports -> corpus events", f"{one['reports']} -> {one['corpus_events']}"),
        ("workers=1, pinned to one CPU", f"{one['articles_per_second']} articles/s  ({one['seconds']} s)"),
        (f"workers={many['workers']} (os.cpu_count()), unpinned",
         f"{many['articles_per_second']} articles/s  ({many['seconds']} s)"),
        ("speed-up", f"{ing['speedup']}x"),
        ("2. DATABASE SIZE (SQLite, after the ingest)", ""),
        ("file", f"{ing['sqlite_bytes'] / 1e6:.1f} MB"),
        ("per 10,000 corpus events", f"{ing['mb_per_10k_events']} MB"),
        ("per 10,000 article-level reports", f"{ing['mb_per_10k_reports']} MB"),
        (f"3. QUERIES over {r['synthetic']['events']} synthetic events (median of 5, ms)", ""),
    ]
    backends = [("SQLite", r["sqlite"])]
    if "postgres" in r:
        backends.append(("PostgreSQL", r["postgres"]))
    for name, b in backends:
        if "error" in b:
            rows.append((name, f"not measured: {b['error']}"))
            continue
        rows += [
            (f"{name}: fill through the Store API", f"{b['fill_seconds']} s ({b['fill_events_per_second']} events/s), "
                                                    f"{b['mb']} MB = {b['mb_per_10k_events']} MB per 10k events"),
            (f"{name}: (a) Ukraine, 1 month, fatalities>=1", f"{b['filtered_list']['ms']} ms  ({b['filtered_list']['rows']} events)"),
            (f"{name}: (b) same, as ACLED CSV to StringIO", f"{b['filtered_acled_csv']['ms']} ms  ({b['filtered_acled_csv']['rows']} rows)"),
            (f"{name}: (c) full text q=drone, limit 500", f"{b['fulltext_drone_500']['ms']} ms  ({b['fulltext_drone_500']['rows']} events)"),
        ]
    rows.append(("total runtime", f"{r['total_seconds']} s"))
    width = max(len(name) for name, _ in rows)
    print(f"store benchmark  ({r['cpus']} CPUs, seed {r['seed']}"
          + (f", PostgreSQL {r['postgres_server']}" if "postgres_server" in r else "") + ")")
    for name, value in rows:
        print(f"{name}" if value == "" else f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    raise SystemExit(main())
