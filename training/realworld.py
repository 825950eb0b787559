"""Run the default pipeline over learning-set records and score them (benchmarks/realworld.py, the gate).

What the pipeline is given is what a reader of the set would have: the text,
and the publication date where the set gives one (SATP's date of the summary,
the story date of an IndiaPoliceEvents article).  Nothing from the gold.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from eventwatch.model import Article
from eventwatch.pipeline import Pipeline
from training.datasets import Record
from training.measure import outcome, summarise

# Sets whose texts let a reader know the event's date: SATP with its date,
# ISAF releases by their dateline.  MM's notes rarely state one; cameo and ipe
# have no event date in their gold.
DATE_STATED = frozenset({"satp", "isaf"})

# SATP's violent incidents with someone killed or injured (issue 11's target
# rows): armed assault, bombing or abduction.
SATP_VIOLENT_ACTIONS = frozenset({"armed_assault", "bombing", "abduction"})


def satp_violent(record: Record) -> bool:
    gold = record.gold
    return bool(SATP_VIOLENT_ACTIONS & set(gold.labels)) and bool(gold.fatalities or gold.injuries)


# Extra rows of the table: (row name, set, which of its records).
SUBSETS: tuple[tuple[str, str, Callable[[Record], bool]], ...] = (
    ("satp violent", "satp", satp_violent),
)


def spread(records: Sequence[Record], limit: int | None) -> list[Record]:
    """At most ``limit`` records taken evenly across ``records`` (all when limit is None).

    The files run in time order, so a prefix would see only the earliest years.
    """
    if limit is None or limit >= len(records):
        return list(records)
    return [records[i * len(records) // limit] for i in range(max(limit, 0))]


def article_of(record: Record) -> Article:
    published = date.fromisoformat(record.published) if record.published else None
    return Article(text=record.text, id=record.id, published=published)


_worker: Pipeline | None = None


def _init_worker() -> None:
    global _worker
    _worker = Pipeline()


def _extract(record: Record) -> tuple[list[dict[str, Any]], str | None]:
    assert _worker is not None
    try:
        return [e.to_dict() for e in _worker.extract_article(article_of(record))], None
    except Exception as exc:  # noqa: BLE001 - reported per record, the run goes on
        return [], f"{record.id}: {type(exc).__name__}: {exc}"


def extract_all(
    records: Sequence[Record], *, jobs: int = 1, pipeline: Pipeline | None = None, progress: bool = False
) -> tuple[list[list[dict[str, Any]]], list[str]]:
    """Each record's events (as dicts), in order, and the failures as 'id: error' lines.

    ``jobs`` > 1 runs that many worker processes, each with its own pipeline;
    otherwise ``pipeline`` (or a new one) runs here.
    """
    global _worker
    results: list[tuple[list[dict[str, Any]], str | None]] = []
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker) as pool:
            for result in pool.imap(_extract, records, chunksize=16):
                results.append(result)
                _tick(len(results), len(records), progress)
    else:
        _worker = pipeline or Pipeline()
        for record in records:
            results.append(_extract(record))
            _tick(len(results), len(records), progress)
    events = [r[0] for r in results]
    failures = [r[1] for r in results if r[1]]
    return events, failures


def _tick(done: int, total: int, progress: bool) -> None:
    if progress and (done % 250 == 0 or done == total):
        print(f"  {done}/{total}", file=sys.stderr, flush=True)


def score_records(set_name: str, records: Sequence[Record], events: Sequence[Sequence[dict]]) -> dict[str, Any]:
    """The pooled measures of one set's records, given the events found in each."""
    stated = set_name in DATE_STATED
    return summarise(outcome(r.gold, found, date_stated=stated) for r, found in zip(records, events, strict=True))
