"""The Spark job's throughput in local mode, beside the local path, on a generated corpus.

    .venv/bin/python benchmarks/spark.py [--copies 125] [--master 'local[2]'] [--partitions N]

The corpus repeats the 24 articles of tests/data/articles.jsonl ``--copies`` times
with distinct ids and outlets.  Copies come in groups of ``--outlets``: a group is
published a week after the previous one (so "on Tuesday" moves with it and its
incidents fall on other dates), and within a group every incident is told by
each outlet, so the merge has clusters of that many reports to build.  The local
path is the same work in one process: the pipeline over every article, then
``merge_corpus``.  The script checks that both give the same events.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwatch.corpus.merge import merge_corpus  # noqa: E402
from eventwatch.pipeline import Pipeline  # noqa: E402
from eventwatch.readers import read_inputs  # noqa: E402
from eventwatch.spark import spark_extract, start_session  # noqa: E402
from eventwatch.spark.outputs import event_row  # noqa: E402

SOURCE = ROOT / "tests" / "data" / "articles.jsonl"


def generate(path: Path, copies: int, outlets: int) -> int:
    articles = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for article in articles:
                item = {k: v for k, v in article.items() if k != "events"}
                item["id"] = f"{article['id']}-{copy:04d}"
                item["source"] = f"{article.get('source') or 'Outlet'} {copy % outlets}"
                if article.get("published"):
                    week = timedelta(weeks=copy // outlets)
                    item["published"] = (date.fromisoformat(article["published"]) + week).isoformat()
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return copies * len(articles)


def local_run(path: Path) -> tuple[float, list[tuple]]:
    pipeline = Pipeline()
    started = time.perf_counter()
    reports = [e for r in read_inputs(path) if r.ok and not r.skip_reason for e in pipeline.extract_article(r.article)]
    _clusters, merged = merge_corpus(reports)
    return time.perf_counter() - started, sorted(event_row(ce) for ce in merged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=125)
    parser.add_argument("--outlets", type=int, default=5, help="articles telling each incident")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventwatch-spark-bench-") as folder:
        corpus = Path(folder) / "corpus.jsonl"
        n = generate(corpus, args.copies, args.outlets)
        local_seconds, local_rows = local_run(corpus)
        started = time.perf_counter()
        spark = start_session(args.master)
        startup = time.perf_counter() - started
        try:
            report = spark_extract(spark, str(corpus), str(Path(folder) / "out"), partitions=args.partitions)
            rows = spark.read.parquet(str(Path(folder) / "out" / "events")).collect()
        finally:
            spark.stop()
    same = sorted(tuple(r) for r in rows) == local_rows
    print(f"corpus: {n} articles ({args.copies} copies of {SOURCE.name}, {args.outlets} outlets), {report.reports} reports, "
          f"{report.events} events; Spark output equals the local path: {same}")
    print(f"local path, one process: {local_seconds:.1f} s, {n / local_seconds:.0f} articles/s")
    print(f"Spark {args.master}, {report.partitions} partitions: session start {startup:.1f} s; job "
          f"{report.seconds:.1f} s, {report.articles_per_second:.0f} articles/s "
          f"({n / (report.seconds + startup):.0f} articles/s with the start)")


if __name__ == "__main__":
    main()
