"""Corpus ingest: articles in, article-level events stored, reports of one incident merged.

    read (streaming, main process) -> extract (worker processes) -> store (one
    transaction per article) -> merge (corpus clusters around the new reports)

Idempotent: an article already in the store is skipped.  Crash-safe: an article
and its reports are written in one transaction, and the corpus merge is a
deterministic recomputation over the reports near the new ones, so a run killed
at any point and started again ends exactly where one uninterrupted run would.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from eventwatch.corpus.dedup import DuplicateIndex, signature
from eventwatch.corpus.merge import cluster, merge
from eventwatch.model import Article, Event
from eventwatch.readers import ReadResult
from eventwatch.store.api import Store

logger = logging.getLogger(__name__)

MERGE_EVERY = 200  # articles between corpus merges (and at the end of the run)


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
class _Extracted:
    article: Article
    events: list[Event]
    signature: bytes
    error: str | None = None


_worker_pipeline = None


def _start_worker() -> None:
    global _worker_pipeline
    from eventwatch.pipeline import Pipeline

    _worker_pipeline = Pipeline()


def _extract(article: Article) -> _Extracted:
    try:
        events = _worker_pipeline.extract_article(article)
        return _Extracted(article, events, signature(article.text))
    except Exception as error:  # one article's failure must not end the run; it is recorded
        logger.debug("extraction failed for %s", article.id, exc_info=True)
        return _Extracted(article, [], b"", f"{type(error).__name__}: {error}")


def _extracted(articles: Iterable[Article], workers: int) -> Iterator[_Extracted]:
    if workers <= 1:
        _start_worker()
        yield from map(_extract, articles)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers, initializer=_start_worker) as pool:
        yield from pool.imap_unordered(_extract, articles, chunksize=4)


def merge_around(store: Store, events: Iterable[Event]) -> int:
    """Recompute the corpus clusters of every stored report near ``events``; return how many."""
    nearby = store.reports_near(list(events), days=2)
    if not nearby:
        return 0
    clusters = cluster(nearby)
    members: dict[str, list[Event]] = {}
    for report in nearby:
        members.setdefault(clusters[report.event_id], []).append(report)
    store.set_clusters(clusters, [merge(reports, cluster_id) for cluster_id, reports in sorted(members.items())])
    return len(members)


def ingest(
    results: Iterable[ReadResult],
    store: Store,
    *,
    workers: int | None = None,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read, extract, store and merge every input; failures are recorded, never raised."""
    report = IngestReport()
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    pending = store.unclustered_reports()  # left by a run that was killed before its merge
    if pending:
        merge_around(store, pending)
    duplicates = DuplicateIndex()
    for article_id, sig in store.signatures():
        duplicates.add(article_id, sig)

    def articles() -> Iterator[Article]:
        for result in results:
            report.read += 1
            if result.error:
                report.failed += 1
                report.failures.append(f"{result.where}: {result.error}")
                store.record_failure(result.where, "read", result.error)
            elif result.skip_reason:
                logger.info("%s: %s", result.where, result.skip_reason)
            elif store.has_article(result.article.id):
                report.already_stored += 1
            else:
                yield result.article
            if progress:
                progress(report)

    new_events: list[Event] = []
    since_merge = 0
    for item in _extracted(articles(), workers):
        if item.error:
            report.failed += 1
            report.failures.append(f"{item.article.id}: {item.error}")
            store.record_failure(item.article.id, "extract", item.error)
            continue
        original = duplicates.find(item.signature)
        if store.save_article(item.article, item.events, duplicate_of=original, signature=item.signature):
            report.stored += 1
            report.events += len(item.events)
            report.near_duplicates += original is not None
            duplicates.add(item.article.id, item.signature)
            new_events.extend(item.events)
            since_merge += 1
        if since_merge >= MERGE_EVERY:
            merge_around(store, new_events)
            new_events, since_merge = [], 0
    if new_events:
        merge_around(store, new_events)
    report.seconds = time.perf_counter() - started
    return report
