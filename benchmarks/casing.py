"""Text as feeds deliver it: the same events whatever the casing, and real lower-case sets.

    .venv/bin/python benchmarks/casing.py [--limit 1000]

Prints, each with the capitals restored (``eventwatch.casing``, as the
pipeline runs) and without (the text read as given):

* the project's own reports (``tests/data/cased_reports.txt``) and test
  articles (``tests/data/articles.jsonl``) read lower-cased and upper-cased:
  how many give the same events (type, fatalities, place) as the text as written;
* Mass Mobilization protest notes (``../shared/data/mass-mobilization``, lower
  case; the first ``--limit``): how many get a Protests or Riots event;
* IndiaPoliceEvents articles labelled KILL (``../shared/data/india-police-events``,
  lower case with mojibake, read through the readers so the mojibake is
  repaired): how many get an event, and an event with someone killed;
* the cost of the casing check on ordinary text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from eventwatch.casing import casing_of
from eventwatch.doc import Doc
from eventwatch.model import Article, Event
from eventwatch.pipeline import Pipeline
from eventwatch.readers import check_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


class AsGiven(Pipeline):
    """The pipeline reading every text as given, capitals not restored."""

    def _doc(self, article: Article) -> Doc:
        return Doc(article)


def outcome(events: list[Event]) -> list[tuple]:
    return sorted((e.event_type, e.fatalities, e.location, e.admin1) for e in events)


def same_events(pipeline: Pipeline, texts: Iterable[tuple[str, date | None]]) -> tuple[int, int, int]:
    """How many texts give the same events lower-cased, upper-cased, and how many texts."""
    lower = upper = total = 0
    for text, published in texts:
        def run(variant: str, published: date | None = published) -> list[tuple]:
            return outcome(pipeline.extract_article(Article(variant, published=published)))
        cased = run(text)
        lower += run(text.lower()) == cased
        upper += run(text.upper()) == cased
        total += 1
    return lower, upper, total


def share(pipeline: Pipeline, texts: list[str], test: Callable[[list[Event]], bool]) -> int:
    return sum(test(pipeline.extract_article(Article(text))) for text in texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1000, help="Mass Mobilization notes to read (default 1000)")
    args = parser.parse_args(argv)

    reports = [(line.strip(), date(2024, 5, 10)) for line in (ROOT / "tests/data/cased_reports.txt").open()
               if line.strip() and not line.startswith("#")]
    articles = []
    for line in (ROOT / "tests/data/articles.jsonl").open():
        item = json.loads(line)
        articles.append((item["text"], date.fromisoformat(item["published"]) if item.get("published") else None))

    mm_path = DATA / "mass-mobilization/mm.jsonl"
    ipe_path = DATA / "india-police-events/docs.jsonl"
    notes = []
    if mm_path.exists():
        with mm_path.open() as fh:
            notes = [json.loads(line)["text"] for _, line in zip(range(args.limit), fh, strict=False)]
    killed_docs = []
    if ipe_path.exists():
        for line in ipe_path.open():
            item = json.loads(line)
            if "KILL" in item["doc_labels"]:
                killed_docs.append(check_text(item["doc_text"], item["doc_id"])[0])

    rows = []
    for label, pipeline in (("as given", AsGiven()), ("capitals restored", Pipeline())):
        row = {"": label}
        lower, upper, total = same_events(pipeline, reports)
        row["own reports: same events lower / upper"] = f"{lower} / {upper} of {total}"
        lower, upper, total = same_events(pipeline, articles)
        row["test articles: same events lower / upper"] = f"{lower} / {upper} of {total}"
        if notes:
            found = share(pipeline, notes, lambda ev: any(e.event_type in ("Protests", "Riots") for e in ev))
            row["MM notes with a Protests/Riots event"] = f"{found} of {len(notes)}"
        if killed_docs:
            any_event = share(pipeline, killed_docs, bool)
            killed = share(pipeline, killed_docs, lambda ev: any(e.fatalities > 0 for e in ev))
            row["IPE KILL docs: an event / someone killed"] = f"{any_event} / {killed} of {len(killed_docs)}"
        rows.append(row)
    for key in rows[0]:
        print(f"{key:45} " + "  ".join(f"{row[key]:>20}" for row in rows))

    texts = [text for text, _ in articles]
    started = time.perf_counter()
    for _ in range(100):
        for text in texts:
            casing_of(text)
    per_text = (time.perf_counter() - started) / (100 * len(texts))
    size = sum(map(len, texts)) / len(texts)
    print(f"casing check on ordinary text: {per_text * 1e6:.1f} µs per article of {size:,.0f} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
