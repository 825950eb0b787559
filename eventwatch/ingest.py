"""Corpus ingest: articles in, article-level events stored, reports of one incident merged.

    read (streaming, main process) -> extract (worker processes) -> store (one
    transaction per batch of articles) -> merge (corpus clusters around the new reports)

Idempotent: an article already in the store is skipped.  Crash-safe: an article
and its reports are written in one transaction (a killed run loses at most the
batch it was extracting, which the next run extracts again), and the corpus merge is a
deterministic recomputation over the reports near the new ones, so a run killed
at any point and started again ends exactly where one uninterrupted run would.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from eventwatch.corpus.dedup import band_keys, best_match, signature
from eventwatch.corpus.merge import MAX_DAYS, cluster, merge
from eventwatch.deadline import TIME_LIMIT_SECONDS
from eventwatch.errors import TimeLimitError
from eventwatch.model import Article, Event
from eventwatch.readers import ReadResult
from eventwatch.store.api import NewArticle, Store

logger = logging.getLogger(__name__)

# The corpus merge runs at the end of the run, and every minute while articles come slowly
# (a feed followed by the hour: a map served from the store fills as they come).  It
# re-clusters every stored report within days of the new ones: for articles in date order a
# few days' worth, for articles in random date order most of the store, so merging a bulk run
# every so often would cost the square of the corpus; at its end, the cost is linear.
MERGE_SECONDS = 60.0
TRICKLE = 1_000   # articles since the last merge: fewer in MERGE_SECONDS is a slow stream
SAVE_EVERY = 64    # articles per store transaction: one commit each would cost more than extraction
SAVE_AFTER = 1.0   # seconds: a slow stream of articles is still stored as it comes
READ_AHEAD = 32    # articles per worker read but not yet extracted
WORKER_NICENESS = 5


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    failed: int = 0
    events: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def articles_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class Extracted:
    article: Article
    events: list[Event]
    signature: bytes
    bands: tuple[int, ...] = ()
    error: str | None = None


_worker_pipeline = None


def _start_worker(time_limit: float) -> None:
    global _worker_pipeline
    from eventwatch.pipeline import Pipeline

    _worker_pipeline = Pipeline(time_limit=time_limit)


def _start_pool_worker(time_limit: float) -> None:
    # Workers yield the CPU to the main process, which stores and merges what they extract:
    # with as many workers as cores, an equal share would leave it the bottleneck.
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    _start_worker(time_limit)


def _extract(article: Article) -> Extracted:
    try:
        events = _worker_pipeline.extract_article(article)
        sig = signature(article.text)
        return Extracted(article, events, sig, band_keys(sig))
    except TimeLimitError as error:  # its message names the article and the limit
        return Extracted(article, [], b"", error=str(error))
    except Exception as error:  # one article's failure must not end the run; it is recorded
        logger.debug("extraction failed for %s", article.id, exc_info=True)
        return Extracted(article, [], b"", error=f"{type(error).__name__}: {error}")


def _extracted(articles: Iterable[Article], workers: int, time_limit: float) -> Iterator[Extracted]:
    if workers <= 1:
        _start_worker(time_limit)
        yield from map(_extract, articles)
        return
    # The pool reads its input as fast as it can: a window of articles handed out and not yet
    # taken back bounds what is held in memory, however large the input.
    window = threading.BoundedSemaphore(workers * READ_AHEAD)

    def handed_out() -> Iterator[Article]:
        for article in articles:
            window.acquire()
            yield article

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers, initializer=_start_pool_worker, initargs=(time_limit,)) as pool:
        for item in pool.imap_unordered(_extract, handed_out(), chunksize=4):
            window.release()
            yield item


def near_duplicates_marked(store: Store, batch: Sequence[Extracted]) -> list[NewArticle]:
    """The batch's articles to store, each with the article it nearly duplicates, if any: the
    most similar of those sharing an LSH band with it, stored (one lookup for the whole batch)
    or earlier in the batch."""
    signatures: dict[str, bytes] = {}
    by_band: dict[int, list[str]] = defaultdict(list)

    def know(article_id: str, sig: bytes, bands: Iterable[int]) -> None:
        signatures[article_id] = sig
        for key in set(bands):
            by_band[key].append(article_id)

    for article_id, sig in store.near_duplicates(sorted({key for item in batch for key in item.bands})):
        know(article_id, sig, band_keys(sig))
    items = []
    for item in batch:
        candidates = {article_id for key in item.bands for article_id in by_band.get(key, ())}
        original = best_match(item.signature, [(c, signatures[c]) for c in candidates]) if candidates else None
        items.append(NewArticle(item.article, item.events, original, item.signature, item.bands))
        know(item.article.id, item.signature, item.bands)
    return items


NEAR_DAYS = 2  # the stored reports re-clustered around a new one: those this many days either side


def merge_around(store: Store, events: Iterable[Event]) -> int:
    """Recompute the corpus clusters of every stored report near ``events``; return how many.

    One country and date range at a time (``separate_windows``): no report of one can pair with
    one of another, so the clusters are those of all at once, and memory holds one range only.
    """
    count = 0
    for group in separate_windows(events, NEAR_DAYS):
        undated = group[0].event_date is None
        # An undated report pairs with nothing: it is re-clustered only with the undated
        # group, not rewritten with every range of its country that reports_near returns it for.
        nearby = [r for r in store.reports_near(group, days=NEAR_DAYS) if (r.event_date is None) == undated]
        if not nearby:
            continue
        clusters = cluster(nearby)
        members: dict[str, list[Event]] = {}
        for report in nearby:
            members.setdefault(clusters[report.event_id], []).append(report)
        store.set_clusters(clusters, [merge(reports, cluster_id) for cluster_id, reports in sorted(members.items())])
        count += len(members)
    return count


def separate_windows(events: Iterable[Event], days: int) -> list[list[Event]]:
    """``events`` grouped by country and by runs of dates whose ``days``-wide windows touch
    (as ``Store.reports_near`` joins them), undated ones by country: the stored reports near
    two groups are then at least two days apart, further than reports that may merge."""
    assert MAX_DAYS < 2, "groups must be further apart than reports that may merge"
    dated: dict[str | None, list[Event]] = defaultdict(list)
    groups: list[list[Event]] = []
    undated: dict[str | None, list[Event]] = defaultdict(list)
    for event in events:
        (dated[event.iso2] if event.event_date is not None else undated[event.iso2]).append(event)
    for country_events in dated.values():
        country_events.sort(key=lambda e: e.event_date)
        high = None
        for event in country_events:
            if high is None or event.event_date - timedelta(days=days) > high + timedelta(days=1):
                groups.append([])
            groups[-1].append(event)
            high = event.event_date + timedelta(days=days)
    return groups + list(undated.values())


def ingest(
    results: Iterable[ReadResult],
    store: Store,
    *,
    workers: int | None = None,
    progress: Callable[[IngestReport], None] | None = None,
    time_limit: float = TIME_LIMIT_SECONDS,
) -> IngestReport:
    """Read, extract, store and merge every input; failures are recorded, never raised
    (an article that takes longer than ``time_limit`` seconds to extract is one)."""
    report = IngestReport()
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    pending = store.unclustered_reports()  # left by a run that was killed before its merge
    if pending:
        merge_around(store, pending)

    def articles() -> Iterator[Article]:
        for result in results:
            report.read += 1
            if result.error:
                report.failed += 1
                report.failures.append(f"{result.where}: {result.error}")
                store.record_failure(result.where, "read", result.error)
            elif result.skip_reason:
                logger.info("%s: %s", result.where, result.skip_reason)
            # (in flight first: an article leaves that set only once it is stored)
            elif result.article.id in in_flight or store.has_article(result.article.id):
                report.already_stored += 1
            else:
                in_flight.add(result.article.id)
                yield result.article
            if progress:
                progress(report)

    in_flight: set[str] = set()   # read, not yet stored (workers read ahead of storage)
    batch: list[Extracted] = []
    batch_started = 0.0
    # One new report per country and date stands for all: the merge needs only where and when.
    new_events: dict[tuple[str | None, date | None], Event] = {}
    since_merge = 0
    merged_at = time.perf_counter()

    def save() -> None:
        nonlocal since_merge
        items = near_duplicates_marked(store, batch)
        for item, new in zip(items, store.save_articles(items), strict=True):
            if new:
                report.stored += 1
                report.events += len(item.events)
                report.near_duplicates += item.duplicate_of is not None
                new_events.update(((e.iso2, e.event_date), e) for e in item.events)
                since_merge += 1
        in_flight.difference_update(item.article.id for item in batch)
        batch.clear()

    for item in _extracted(articles(), workers, time_limit):
        if item.error:
            report.failed += 1
            report.failures.append(f"{item.article.id}: {item.error}")
            store.record_failure(item.article.id, "extract", item.error)
            in_flight.discard(item.article.id)
            continue
        if not batch:
            batch_started = time.perf_counter()
        batch.append(item)
        if len(batch) >= SAVE_EVERY or time.perf_counter() - batch_started >= SAVE_AFTER:
            save()
        if 0 < since_merge <= TRICKLE and time.perf_counter() - merged_at >= MERGE_SECONDS:
            merge_around(store, new_events.values())
            new_events, since_merge, merged_at = {}, 0, time.perf_counter()
    if batch:
        save()
    if new_events:
        merge_around(store, new_events.values())
    report.seconds = time.perf_counter() - started
    return report
