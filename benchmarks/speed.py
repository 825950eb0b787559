"""Speed benchmark for the whole default EventWatch pipeline.

Not a test: it measures and reports, it asserts nothing.

Run from the repository root:

    .venv/bin/python benchmarks/speed.py
    .venv/bin/python benchmarks/speed.py --gold path/to/gold.jsonl --repeat 50
    .venv/bin/python benchmarks/speed.py --json

What it reports, over the article texts of a gold JSONL file (default
``../shared/eval/dev.jsonl`` next to the repository):

* throughput of ``Pipeline().extract_article`` on one core (the process is
  pinned to its first allowed CPU where the OS supports it), in articles per
  second, and the median / p95 milliseconds per article, over ``--repeat``
  passes after one warm-up pass;
* peak resident memory of this process (``ru_maxrss``) after the run;
* time to the first result in a fresh Python process with the gazetteer
  already built: from spawning the interpreter to the child printing the
  events of one article, median of 3 runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eventwatch.model import Article
from eventwatch.pipeline import Pipeline
from eventwatch.readers import parse_published

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared/eval/dev.jsonl"

TARGET_RATE = 200.0  # articles per second, at least
TARGET_FIRST = 1.0  # seconds to first result, at most
TARGET_MEMORY = 600.0  # MB peak RSS, at most

COLD_RUNS = 3

# Run in the child process: one article as a JSON object on stdin, one line
# out once its events exist.
CHILD = """\
import json, sys
from eventwatch.model import Article
from eventwatch.pipeline import Pipeline
from eventwatch.readers import parse_published
rec = json.loads(sys.stdin.read())
article = Article(text=rec["text"], id=rec.get("id") or "", title=rec.get("title"),
                  published=parse_published(rec.get("published")), source=rec.get("source"))
events = Pipeline().extract_article(article)
print("RESULT", len(events), flush=True)
"""


def load_articles(path: Path) -> tuple[list[Article], list[dict]]:
    articles: list[Article] = []
    records: list[dict] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            published = parse_published(
                rec.get("published"), label=f'{path.name}:{lineno}: "published"'
            )
            articles.append(
                Article(
                    text=rec["text"],
                    id=rec.get("id") or "",
                    title=rec.get("title"),
                    published=published,
                    source=rec.get("source"),
                )
            )
            records.append(
                {k: rec.get(k) for k in ("id", "title", "published", "source", "text")}
            )
    return articles, records


def pin_one_core() -> int | None:
    """Pin this process to its first allowed CPU; return it, or None if unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except OSError:
        return None
    return cpu


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def throughput(pipeline: Pipeline, articles: list[Article], repeat: int) -> dict:
    for article in articles:  # warm-up pass
        pipeline.extract_article(article)
    per_article: list[float] = []
    clock = time.perf_counter
    start = clock()
    for _ in range(repeat):
        for article in articles:
            t0 = clock()
            pipeline.extract_article(article)
            per_article.append(clock() - t0)
    total = clock() - start
    return {
        "articles": len(per_article),
        "seconds": total,
        "articles_per_s": len(per_article) / total if total > 0 else float("inf"),
        "median_ms": statistics.median(per_article) * 1000,
        "p95_ms": percentile(per_article, 95) * 1000,
    }


def peak_memory_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or, with RUSAGE_CHILDREN, of its largest finished child).

    On Linux a process's own peak is read from ``VmHWM``: ``ru_maxrss`` keeps the peak of
    the process image that exec'd this one (the parent a multiprocessing "spawn" child forked).
    """
    status = Path("/proc/self/status")
    if who == resource.RUSAGE_SELF and status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    rss = resource.getrusage(who).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def first_result(record: dict, runs: int = COLD_RUNS) -> dict:
    payload = json.dumps(record)
    times: list[float] = []
    for _ in range(runs):
        # stderr goes to a file so a chatty child can never block on a full pipe.
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-c", CHILD],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                encoding="utf-8",
            )
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(payload)
            proc.stdin.close()
            line = proc.stdout.readline()  # the child's result line
            elapsed = time.perf_counter() - start
            proc.stdout.read()
            proc.stdout.close()
            proc.wait()
            if proc.returncode != 0 or not line.startswith("RESULT"):
                err.seek(0)
                raise SystemExit(
                    f"first-result child failed (exit {proc.returncode}):\n{err.read()}"
                )
        times.append(elapsed)
    return {"first_result_s": statistics.median(times), "first_result_runs_s": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL file")
    parser.add_argument("--repeat", type=int, default=20, help="timed passes (default 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    articles, records = load_articles(args.gold)
    if not articles:
        raise SystemExit(f"{args.gold}: no articles")

    cpu = pin_one_core()
    pipeline = Pipeline()  # builds the gazetteer if it is missing
    speed = throughput(pipeline, articles, args.repeat)
    memory = peak_memory_mb()
    cold = first_result(records[0])

    result = {
        "gold": str(args.gold),
        "texts": len(articles),
        "repeat": args.repeat,
        "pinned_cpu": cpu,
        **speed,
        "peak_memory_mb": memory,
        **cold,
        "targets": {
            "articles_per_s_min": TARGET_RATE,
            "first_result_s_max": TARGET_FIRST,
            "peak_memory_mb_max": TARGET_MEMORY,
        },
        "meets_targets": {
            "articles_per_s": speed["articles_per_s"] >= TARGET_RATE,
            "first_result_s": cold["first_result_s"] <= TARGET_FIRST,
            "peak_memory_mb": memory <= TARGET_MEMORY,
        },
    }

    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    core = f"cpu {cpu}" if cpu is not None else "not pinned"
    print(
        f"{len(articles)} texts from {args.gold}, {args.repeat} passes after 1 warm-up, {core}\n"
    )
    rows = [
        ("articles/s (1 core)", f"{speed['articles_per_s']:.1f}", f">= {TARGET_RATE:g}"),
        ("median ms/article", f"{speed['median_ms']:.2f}", ""),
        ("p95 ms/article", f"{speed['p95_ms']:.2f}", ""),
        ("peak memory (MB)", f"{memory:.1f}", f"<= {TARGET_MEMORY:g}"),
        (
            f"first result (s, median of {COLD_RUNS})",
            f"{cold['first_result_s']:.2f}",
            f"<= {TARGET_FIRST:g}",
        ),
    ]
    print("| metric | value | target |")
    print("|---|---:|---|")
    for metric, value, target in rows:
        print(f"| {metric} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
