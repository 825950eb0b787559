"""What every store offers: the one interface the CLI, ingest, export and the web service use.

Two backends implement it with one schema and one test suite: SQLite (the
default, one file) and PostgreSQL (for teams).  Open one with
``eventwatch.store.open_store(url)``.

Tables (named migrations create them):
    articles   one row per article (article_id = content hash or URL hash), with
               title, url, source, published, text, duplicate_of (a near-duplicate's
               original), ingested_at
    reports    one row per article-level event (report_id = Event.event_id): every
               Event field, its evidence and spans (JSON), the article it came from,
               and cluster_id, the corpus event it belongs to
    events     one row per corpus event (event_id = cluster_id): the merged fields,
               the sources (";"-joined, as ACLED does), number of reports and articles,
               and ``listing``, the event as lists show it (JSON, see ListedEvent)
    event_articles which article (and which of its reports) reported which event
    article_bands  the LSH band keys of each article's MinHash signature (near-duplicates)
    failures   inputs or articles that failed: where, stage, message, at
    _migrations applied migration names
Full-text search covers events (notes, actors, location, evidence) and articles.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, Protocol

from eventwatch.model import Article, Event


@dataclass(slots=True, frozen=True)
class EventFilter:
    """Filters shared by export, the events command and the HTTP API; None means 'any'."""

    start: date | None = None
    end: date | None = None
    country: str | None = None          # name or ISO2, case-insensitive
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None            # substring of actor1 or actor2, case-insensitive
    min_fatalities: int | None = None
    ceasefire_violation: bool | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    q: str | None = None                # full-text query
    limit: int | None = None
    offset: int = 0


@dataclass(slots=True)
class CorpusEvent:
    """One incident as the corpus knows it: the merged Event, its sources and its reports."""

    event: Event                          # event.event_id is the cluster id; event.source the ";"-joined sources
    article_ids: list[str] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = self.event.to_dict()
        out["article_ids"] = list(self.article_ids)
        out["report_ids"] = list(self.report_ids)
        return out

    def listed(self) -> dict[str, Any]:
        """The event as lists show it (API pages, GeoJSON properties): every field but the
        character spans (the event endpoint gives those with their articles), the sources
        as a list, and the article and report ids."""
        out = self.to_dict()
        out.pop("spans", None)
        out["sources"] = split_sources(self.event.source)
        return out


class ListedEvent(NamedTuple):
    """A corpus event as stored for listing: its point and its ``listed()`` record as
    markup-safe JSON text, rendered when the event was written so that a page is read,
    not rebuilt.  (A named tuple: a page makes thousands, and they are only read.)"""

    event_id: str
    latitude: float | None
    longitude: float | None
    json: str

    @property
    def point(self) -> tuple[float, float] | None:
        """(longitude, latitude), or None when the event has no finite coordinates."""
        lon, lat = self.longitude, self.latitude
        if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)):
            return None
        return lon, lat


def split_sources(source: str | None) -> list[str]:
    """The sources of a corpus event (stored ";"-joined) as a list."""
    return [s.strip() for s in (source or "").split(";") if s.strip()]


def safe_json(value: Any) -> str:
    """Compact, pure-ASCII JSON with <, > and & escaped too (\\u003c ...): no stored text can
    read as markup where a page embeds it, and an ASCII text joins and encodes several times
    faster than one with any other character in it."""
    text = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(slots=True, frozen=True)
class NewArticle:
    """An article to store, with its article-level events (reports)."""

    article: Article
    events: Sequence[Event]
    duplicate_of: str | None = None     # the stored article it is a near-duplicate of
    signature: bytes | None = None      # its MinHash signature (eventwatch.corpus.dedup)
    bands: tuple[int, ...] = ()         # the signature's LSH band keys (dedup.band_keys)


class Store(Protocol):
    url: str

    def migrate(self) -> list[str]:
        """Apply pending named migrations; return the names applied."""

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the database."""

    def has_article(self, article_id: str) -> bool: ...

    def save_article(
        self, article: Article, events: Sequence[Event], *, duplicate_of: str | None = None,
        signature: bytes | None = None,
    ) -> bool:
        """Store an article and its article-level events in one transaction.

        Idempotent: an article already stored changes nothing and returns False.
        """

    def save_articles(self, items: Sequence[NewArticle]) -> list[bool]:
        """``save_article`` for each item, all in one transaction (all stored or none);
        for each, whether it was new."""

    def record_failure(self, where: str, stage: str, message: str) -> None: ...

    def reports_near(self, events: Iterable[Event], *, days: int = 1, undated: bool = True) -> list[Event]:
        """Stored article-level events in the same countries within ``days`` of the given ones
        (and the undated ones of those countries, unless ``undated`` is False)."""

    def unclustered_keys(self) -> list[tuple[str | None, date | None]]:
        """The (iso2, event_date) of the stored reports in no corpus event, each once."""

    def unclustered_reports(self, keys: Iterable[tuple[str | None, date | None]] | None = None) -> list[Event]:
        """Stored article-level events in no corpus event (never merged: an interrupted or
        running ingest), all or those of the given (iso2, event_date) keys."""

    def cluster_mates(self, report_ids: Sequence[str]) -> list[Event]:
        """The stored reports sharing a corpus event with any of ``report_ids``."""

    def merging(self) -> AbstractContextManager[None]:
        """One transaction for the store calls made inside, serialised with every other merge
        of any process: what a merge reads is still so when it writes."""

    def set_clusters(self, clusters: dict[str, str], merged: Iterable[CorpusEvent]) -> int:
        """Record report -> cluster assignments and replace the merged rows of the clusters
        that change, in one transaction (clusters no longer used are deleted; a cluster whose
        reports stay the same keeps its row); return how many rows were written.  Refuses
        (StoreError, nothing written) to leave a report of a changed cluster without its event."""

    def check(self) -> list[str]:
        """What breaks the store's invariant, one line each (none when every report belongs
        to an existing event, every event has reports and their links agree)."""

    def unmerge_damaged(self) -> int:
        """Leave unmerged the reports of every event ``check`` finds damaged, deleting those
        events, so that the next merge rebuilds them; return how many."""

    def query_events(self, filters: EventFilter) -> Iterator[CorpusEvent]: ...

    def query_listed(self, filters: EventFilter) -> Iterator[ListedEvent]:
        """The events ``query_events`` gives, in the same order, as their stored listings."""

    def count_events(self, filters: EventFilter) -> int: ...

    def get_event(self, event_id: str) -> CorpusEvent | None: ...

    def get_article(self, article_id: str) -> Article | None: ...

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article_id, signature) of every stored article that has one."""

    def near_duplicates(self, bands: Sequence[int]) -> list[tuple[str, bytes]]:
        """(article_id, signature) of the stored articles that share any of these LSH band keys."""

    def failures(self) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...
