"""Corpus ingest: articles in, article-level events stored, reports of one incident merged.

    read (streaming, main process) -> extract (worker processes) -> store (one
    transaction per batch of articles) -> merge (corpus clusters around the new reports)

Idempotent: an article already in the store is skipped.  One bad article fails alone: what
cannot be read, extracted or stored is recorded as a failure (``Store.failures``) and the run
goes on; a batch the store refuses is stored again one article at a time.  A store that
fails itself (disk full, server gone) ends the run at once with ``StoreError``.  Crash-safe: an article
and its reports are written in one transaction (a killed run loses at most the
batch it was extracting, which the next run extracts again), and the corpus merge is a
deterministic recomputation over every report linked to the unmerged ones (``merge_pending``),
one transaction per group, serialised with other processes' merges, so a run killed at any
point and started again, a corpus split into several runs, or two runs at once end exactly
where one uninterrupted run would.
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
from eventwatch.corpus.merge import MAX_DAYS, cluster, linked, merge
from eventwatch.deadline import TIME_LIMIT_SECONDS
from eventwatch.errors import RecordError, TimeLimitError
from eventwatch.model import Article, Event
from eventwatch.readers import ReadResult, without_surrogates
from eventwatch.store.api import NewArticle, Store

logger = logging.getLogger(__name__)

# The corpus merge runs at the end of the run, and every minute while articles come slowly
# (a feed followed by the hour: a map served from the store fills as they come).  It
# re-clusters every stored report linked to the new ones: for articles in date order a few
# days' worth, for articles in random date order most of the store, so merging a bulk run
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
    # Set when the caller stops taking results (the store failed): the pool's feeding thread
    # must then stop waiting for room in the window, or closing the pool waits for it for ever.
    stopped = threading.Event()

    def handed_out() -> Iterator[Article]:
        for article in articles:
            while not window.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            yield article

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers, initializer=_start_pool_worker, initargs=(time_limit,)) as pool:
        try:
            for item in pool.imap_unordered(_extract, handed_out(), chunksize=4):
                window.release()
                yield item
        finally:
            stopped.set()


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


def merge_pending(store: Store) -> int:
    """Merge every stored report that is in no corpus event yet; return how many events were written.

    Reports are merged with everything linked to them (``linked_reports``), one country and
    run of dates at a time (``key_groups``), each in one transaction that runs after any
    other process's merge (``Store.merging``): the events are then those a merge of the
    whole store would give, whatever runs the reports arrived in and however many at once.
    """
    written = 0
    for keys in key_groups(store.unclustered_keys()):
        with store.merging():
            seeds = store.unclustered_reports(keys)   # (another process may have merged them meanwhile)
            if not seeds:
                continue
            reports = linked_reports(store, seeds)
            clusters = cluster(reports)
            members: dict[str, list[Event]] = defaultdict(list)
            for report in reports:
                members[clusters[report.event_id]].append(report)
            written += store.set_clusters(clusters, [merge(m, cluster_id) for cluster_id, m in sorted(members.items())])
    return written


def linked_reports(store: Store, seeds: Sequence[Event]) -> list[Event]:
    """``seeds`` and every stored report linked to them, directly or through others: by a pair
    that may tell one incident (``eventwatch.corpus.merge.linked``) or by a stored corpus event.

    No pair of reports crosses the edge of this set, so clustering it alone gives these
    reports the clusters that clustering the whole store gives them, and no stored cluster
    is cut (a cluster rewritten without some of its reports would lose or misstate its event).
    """
    found = {r.event_id: r for r in seeds}
    frontier = list(found.values())
    while frontier:
        dated = [r for r in frontier if r.iso2 is not None and r.event_date is not None]
        near = [r for r in store.reports_near(dated, days=MAX_DAYS, undated=False) if r.event_id not in found]
        step = {r.event_id: r for r in linked(dated, near)}
        step.update((r.event_id, r) for r in store.cluster_mates([r.event_id for r in frontier])
                    if r.event_id not in found)
        found.update(step)
        frontier = list(step.values())
    return [found[key] for key in sorted(found)]


def key_groups(keys: Iterable[tuple[str | None, date | None]]) -> list[list[tuple[str | None, date | None]]]:
    """(iso2, event_date) keys grouped by country and runs of dates where reports may link
    (no more than MAX_DAYS apart), the undated ones of a country together: the unit of one merge."""
    groups: list[list[tuple[str | None, date | None]]] = []
    last: tuple[str | None, date | None] | None = None
    for key in sorted(set(keys), key=lambda k: (k[0] is None, k[0] or "", k[1] is None, k[1] or date.min)):
        joins = (last is not None and last[0] == key[0] and (
            (last[1] is None and key[1] is None)
            or (last[1] is not None and key[1] is not None and key[1] - last[1] <= timedelta(days=MAX_DAYS))))
        if not joins:
            groups.append([])
        groups[-1].append(key)
        last = key
    return groups


def ingest(
    results: Iterable[ReadResult],
    store: Store,
    *,
    workers: int | None = None,
    progress: Callable[[IngestReport], None] | None = None,
    time_limit: float = TIME_LIMIT_SECONDS,
) -> IngestReport:
    """Read, extract, store and merge every input.

    An input that cannot be read, extracted or stored is a recorded failure (``report.failures``
    and ``Store.failures``), never raised (an article that takes longer than ``time_limit``
    seconds to extract is one); a store that fails itself raises ``StoreError``.
    """
    report = IngestReport()
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    merge_pending(store)  # reports left by a run that was killed before its merge

    def articles() -> Iterator[Article]:
        for result in results:
            report.read += 1
            if result.error:
                fail(result.where, "read", result.error)
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
    since_merge = 0
    merged_at = time.perf_counter()

    def fail(where: str, stage: str, error: str) -> None:
        where, error = without_surrogates(where), without_surrogates(error)
        report.failed += 1
        report.failures.append(f"{where}: {error}")
        store.record_failure(where, stage, error)  # a StoreError here ends the run

    def stored(items: list[NewArticle]) -> list[tuple[NewArticle, bool]]:
        """Each item stored, with whether it was new (any other StoreError: the store failed)."""
        try:
            return list(zip(items, store.save_articles(items), strict=True))
        except RecordError:
            pass  # one article the store refuses fails the transaction of its whole batch:
        saved = []  # the batch is stored again an article at a time, so that it fails alone
        for item in batch:
            single = near_duplicates_marked(store, [item])
            try:
                saved.append((single[0], store.save_articles(single)[0]))
            except RecordError as error:
                fail(item.article.id, "store", str(error))
        return saved

    def save() -> None:
        nonlocal since_merge
        for item, new in stored(near_duplicates_marked(store, batch)):
            if new:
                report.stored += 1
                report.events += len(item.events)
                report.near_duplicates += item.duplicate_of is not None
                since_merge += 1
        in_flight.difference_update(item.article.id for item in batch)
        batch.clear()

    for item in _extracted(articles(), workers, time_limit):  # an error leaving this loop shuts the pool
        if item.error:
            fail(item.article.id, "extract", item.error)
            in_flight.discard(item.article.id)
            continue
        if not batch:
            batch_started = time.perf_counter()
        batch.append(item)
        if len(batch) >= SAVE_EVERY or time.perf_counter() - batch_started >= SAVE_AFTER:
            save()
        if 0 < since_merge <= TRICKLE and time.perf_counter() - merged_at >= MERGE_SECONDS:
            merge_pending(store)
            since_merge, merged_at = 0, time.perf_counter()
    if batch:
        save()
    if since_merge:
        merge_pending(store)
    report.seconds = time.perf_counter() - started
    return report
