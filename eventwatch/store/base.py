"""What the SQLite and PostgreSQL stores share: every query, the filter SQL, row <-> Event.

SQL here is written once, with ``?`` placeholders; a backend supplies only the
connection, its transactions, how a placeholder and a parameter are spelled, and
its full-text search (see the hooks at the end of ``SQLStore``).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, TypeVar

from eventwatch.errors import RecordError, StoreError
from eventwatch.model import Article, Event, Span
from eventwatch.store.api import CorpusEvent, EventFilter, ListedEvent, NewArticle, safe_json
from eventwatch.store.schema import (
    BANDS_MIGRATION,
    EVENT_COLUMNS,
    LISTING_MIGRATION,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    SEARCH,
    typed,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

REPORT_COLUMNS = ("report_id", "article_id", "cluster_id", *EVENT_COLUMNS, "source")
CORPUS_COLUMNS = ("event_id", "article_id", *EVENT_COLUMNS, "sources", "n_reports", "n_articles")
ARTICLE_COLUMNS = ("article_id", "url", "title", "source", "published", "text", "duplicate_of",
                   "signature", "ingested_at")

ORDER = "event_date DESC NULLS LAST, event_id"
BATCH = 500   # rows per round trip when streaming events
CHUNK = 400   # ids per IN (...) list


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_text_time(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


# ----------------------------------------------------------------------------- rows <-> Event

def event_values(event: Event) -> list[Any]:
    """The values of ``EVENT_COLUMNS`` for ``event``."""
    values = [getattr(event, name) for name in EVENT_COLUMNS[:-1]]
    spans = {name: span.to_dict() for name, span in sorted(event.spans.items())}
    return [*values, json.dumps(spans, ensure_ascii=False)]


def row_event(row: dict[str, Any], *, event_id: str, source: str | None) -> Event:
    """An Event from a reports or events row."""
    values = {name: row[name] for name in EVENT_COLUMNS}
    values["event_date"] = _as_date(values["event_date"])
    values["civilian_targeting"] = bool(values["civilian_targeting"])
    values["ceasefire_violation"] = bool(values["ceasefire_violation"])
    values["spans"] = {
        name: Span(span["start"], span["end"], span["text"]) for name, span in json.loads(values["spans"]).items()
    }
    return Event(event_id=event_id, article_id=row["article_id"] or "", source=source, **values)


def report_from_row(row: dict[str, Any]) -> Event:
    return row_event(row, event_id=row["report_id"], source=row["source"])


# ----------------------------------------------------------------------------- filters

_QUERY_UNIT = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"\w+")


def query_phrases(q: str | None) -> list[list[str]]:
    """A full-text query as the phrases all of which must occur, each a list of words.

    ``"car bomb" Aleppo`` -> [["car", "bomb"], ["aleppo"]]; a hyphenated or
    punctuated word is a phrase of its parts (``al-Bab`` -> ["al", "bab"]).
    """
    phrases = []
    for quoted, bare in _QUERY_UNIT.findall(q or ""):
        words = _WORD.findall((quoted or bare).lower())
        if words:
            phrases.append(words)
    return phrases


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_sql(store: SQLStore, f: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (``1 = 1`` for none) and its parameters for ``f`` over ``events``."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        clauses.append(sql)
        params.extend(values)

    if f.start is not None:
        add("event_date >= ?", f.start)
    if f.end is not None:
        add("event_date <= ?", f.end)
    if f.country:
        value = f.country.strip()
        if len(value) == 2:
            add("iso2 = ?", value.upper())
        else:  # a name: its code, so that the (iso2, event_date) index serves the query
            add("iso2 = (SELECT iso2 FROM events WHERE lower(country) = ? LIMIT 1)", value.lower())
    for column in ("admin1", "event_type", "sub_event_type"):
        value = getattr(f, column)
        if value:
            add(f"lower({column}) = ?", value.strip().lower())
    if f.actor:
        pattern = _like(f.actor.strip())
        add("(lower(actor1) LIKE ? ESCAPE '\\' OR lower(actor2) LIKE ? ESCAPE '\\')", pattern, pattern)
    if f.min_fatalities is not None:
        add("fatalities >= ?", f.min_fatalities)
    if f.ceasefire_violation is not None:
        add("ceasefire_violation = ?", bool(f.ceasefire_violation))
    if f.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        add("latitude BETWEEN ? AND ?", min_lat, max_lat)
        if min_lon <= max_lon:
            add("longitude BETWEEN ? AND ?", min_lon, max_lon)
        else:  # the box crosses the antimeridian
            add("(longitude >= ? OR longitude <= ?)", min_lon, max_lon)
    phrases = query_phrases(f.q)
    if phrases:
        query, search = store._fts_query(phrases), SEARCH[store.dialect]
        add(f"(events.event_id IN ({search['events']}) OR events.event_id IN ("
            f"SELECT ea.event_id FROM event_articles ea WHERE ea.article_id IN ({search['articles']})))",
            query, query)
    return (" AND ".join(clauses) or "1 = 1"), params


# ----------------------------------------------------------------------------- transactions

class Tx:
    """A cursor inside one transaction, speaking the shared SQL."""

    def __init__(self, store: SQLStore, cursor: Any) -> None:
        self._store = store
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Tx:
        adapt = self._store._adapt
        self._cursor.execute(self._store._sql(sql), [adapt(p) for p in params] if params else self._store.NO_PARAMS)
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        adapt = self._store._adapt
        rows = [[adapt(p) for p in row] for row in rows]
        if rows:
            self._cursor.executemany(self._store._sql(sql), rows)

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def rows(self) -> list[dict[str, Any]]:
        if self._cursor.description is None:
            return []
        names = [d[0] for d in self._cursor.description]
        return [dict(zip(names, row, strict=True)) for row in self._cursor.fetchall()]

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as the driver gives them, in the SELECT's column order."""
        return self._cursor.fetchall() if self._cursor.description else []

    def one(self) -> dict[str, Any] | None:
        rows = self.rows()
        return rows[0] if rows else None


class SQLStore:
    """The Store protocol over a DB-API connection; subclasses supply the hooks below."""

    dialect: ClassVar[str]
    DB_ERRORS: ClassVar[tuple[type[BaseException], ...]] = ()
    # Errors about the values written, not the store: a number or a text the driver or the
    # database cannot hold.  The transaction fails; others can still succeed.
    RECORD_ERRORS: ClassVar[tuple[type[BaseException], ...]] = (OverflowError, UnicodeEncodeError)
    NO_PARAMS: ClassVar[Any] = ()   # what the driver takes for "no parameters"

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()
        self._merge_tx: Tx | None = None

    @contextmanager
    def merging(self) -> Iterator[None]:
        """One write transaction for every store call made inside, run after any other
        process's merge has committed and before the next one starts (SQLite: ``BEGIN
        IMMEDIATE``, one writer at a time; PostgreSQL: an advisory transaction lock)."""
        with self._tx() as tx:
            self._serialize(tx, "clusters")
            self._merge_tx = tx
            try:
                yield
            finally:
                self._merge_tx = None

    # -- transactions

    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[Tx]:
        with self._lock:
            if self._merge_tx is not None:  # inside ``merging``: its transaction (only its thread holds the lock)
                yield self._merge_tx
                return
            try:
                with self._begin(write=write) as cursor:
                    yield Tx(self, cursor)
            except self.RECORD_ERRORS as error:
                first = " ".join(str(error).split()) or type(error).__name__
                raise RecordError(f"{self.display_url} cannot store a value: {first}") from error
            except self.DB_ERRORS as error:
                first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                raise StoreError(f"{self.display_url}: {first} (is the database reachable and writable?)") from error
            except (UnicodeDecodeError, json.JSONDecodeError) as error:   # bytes changed on disk
                raise StoreError(f"{self.display_url}: a stored value is damaged ({type(error).__name__}): "
                                 "restore the database from a backup") from error

    @property
    def display_url(self) -> str:
        return re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", self.url)

    # -- migrations

    def migrate(self) -> list[str]:
        applied: list[str] = []
        with self._tx() as tx:
            self._serialize(tx, "migrate")
            tx.execute(typed(MIGRATIONS_TABLE, self.dialect))
            done = {row["name"] for row in tx.execute("SELECT name FROM _migrations").rows()}
            unknown = done - {m.name for m in MIGRATIONS}
            if unknown:
                raise StoreError(
                    f"{self.display_url} was written by a newer EventWatch (migrations {', '.join(sorted(unknown))}): "
                    "upgrade eventwatch to use it")
            for migration in MIGRATIONS:
                if migration.name in done:
                    continue
                for statement in migration.statements(self.dialect):
                    tx.execute(statement)
                tx.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [migration.name, _now()])
                applied.append(migration.name)
            if BANDS_MIGRATION in applied:
                self._write_bands(tx)
            if LISTING_MIGRATION in applied:
                rows = tx.execute("SELECT event_id FROM events WHERE listing IS NULL ORDER BY event_id").rows()
                self._write_listings(tx, [row["event_id"] for row in rows])
        if applied:
            logger.info("%s: applied migrations %s", self.display_url, ", ".join(applied))
        return applied

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the database, in the order applied."""
        with self._tx(write=False) as tx:
            return [r["name"] for r in tx.execute("SELECT name FROM _migrations ORDER BY name").rows()]

    # -- articles

    def has_article(self, article_id: str) -> bool:
        with self._tx(write=False) as tx:
            return tx.execute("SELECT 1 AS x FROM articles WHERE article_id = ?", [article_id]).one() is not None

    def save_article(
        self, article: Article, events: Sequence[Event], *, duplicate_of: str | None = None,
        signature: bytes | None = None,
    ) -> bool:
        return self.save_articles([NewArticle(article, events, duplicate_of, signature)])[0]

    def save_articles(self, items: Sequence[NewArticle]) -> list[bool]:
        saved: dict[int, bool] = {}
        bands: list[list[Any]] = []
        reports: list[list[Any]] = []
        with self._tx() as tx:
            # in id order: two writers saving overlapping batches then wait for each other's
            # rows in one order, never in a cycle (a deadlock on PostgreSQL)
            for index in sorted(range(len(items)), key=lambda i: items[i].article.id):
                item = items[index]
                article = item.article
                tx.execute(
                    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({_marks(len(ARTICLE_COLUMNS))}) "
                    "ON CONFLICT (article_id) DO NOTHING",
                    [article.id, article.url, article.title, article.source, article.published, article.text,
                     item.duplicate_of, item.signature, _now()],
                )
                saved[index] = tx.rowcount != 0
                if not saved[index]:
                    continue
                self._index_article(tx, article)
                bands += [[key, article.id] for key in sorted(set(item.bands))]
                reports += [[e.event_id, article.id, None, *event_values(e), e.source if e.source is not None else article.source]
                            for e in item.events]
            tx.executemany("INSERT INTO article_bands (band_key, article_id) VALUES (?, ?)", bands)
            tx.executemany(
                f"INSERT INTO reports ({', '.join(REPORT_COLUMNS)}) VALUES ({_marks(len(REPORT_COLUMNS))}) "
                "ON CONFLICT (report_id) DO NOTHING", reports)
        return [saved[i] for i in range(len(items))]

    def get_article(self, article_id: str) -> Article | None:
        with self._tx(write=False) as tx:
            row = tx.execute(
                "SELECT article_id, url, title, source, published, text FROM articles WHERE article_id = ?",
                [article_id]).one()
        if row is None:
            return None
        return Article(text=row["text"], id=row["article_id"], title=row["title"],
                       published=_as_date(row["published"]), source=row["source"], url=row["url"])

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        with self._tx(write=False) as tx:
            rows = tx.execute("SELECT article_id, signature FROM articles WHERE signature IS NOT NULL "
                              "ORDER BY article_id").rows()
        for row in rows:
            yield row["article_id"], bytes(row["signature"])

    def near_duplicates(self, bands: Sequence[int]) -> list[tuple[str, bytes]]:
        if not bands:
            return []
        with self._tx(write=False) as tx:
            rows = tx.execute(
                "SELECT article_id, signature FROM articles WHERE signature IS NOT NULL AND article_id IN "
                f"(SELECT article_id FROM article_bands WHERE band_key IN ({_marks(len(bands))}))", list(bands)).rows()
        return [(row["article_id"], bytes(row["signature"])) for row in rows]

    def _write_bands(self, tx: Tx) -> None:
        """Band keys for the stored articles' signatures (those that are MinHash signatures)."""
        from eventwatch.corpus.dedup import band_keys

        rows = tx.execute("SELECT article_id, signature FROM articles WHERE signature IS NOT NULL").rows()
        keyed = []
        for row in rows:
            try:
                keyed += [[key, row["article_id"]] for key in sorted(set(band_keys(bytes(row["signature"]))))]
            except ValueError:
                logger.warning("%s: article %s has a signature that is no MinHash; it is left out of "
                               "the near-duplicate search", self.display_url, row["article_id"])
        tx.executemany("INSERT INTO article_bands (band_key, article_id) VALUES (?, ?)", keyed)

    # -- failures

    def record_failure(self, where: str, stage: str, message: str) -> None:
        with self._tx() as tx:
            tx.execute("INSERT INTO failures (where_, stage, message, at) VALUES (?, ?, ?, ?)",
                       [where, stage, message, _now()])

    def failures(self) -> list[dict[str, Any]]:
        """Every recorded failure, oldest first: id, where_, stage, message, at (ISO 8601 text)."""
        with self._tx(write=False) as tx:
            rows = tx.execute("SELECT id, where_, stage, message, at FROM failures ORDER BY id").rows()
        for row in rows:
            row["at"] = _as_text_time(row["at"])
        return rows

    # -- reports and clusters

    def reports_near(self, events: Iterable[Event], *, days: int = 1, undated: bool = True) -> list[Event]:
        windows: dict[str | None, list[tuple[date, date]]] = {}
        for event in events:
            spans = windows.setdefault(event.iso2, [])
            if event.event_date is not None:
                spans.append((event.event_date - timedelta(days=days), event.event_date + timedelta(days=days)))
        conditions: list[tuple[str, list[Any]]] = []
        for iso2, spans in windows.items():
            merged: list[list[date]] = []
            for low, high in sorted(spans):
                if merged and low <= merged[-1][1] + timedelta(days=1):
                    merged[-1][1] = max(merged[-1][1], high)
                else:
                    merged.append([low, high])
            dates = " OR ".join(["event_date BETWEEN ? AND ?"] * len(merged) + ["event_date IS NULL"] * undated)
            if not dates:
                continue
            where = "iso2 IS NULL" if iso2 is None else "iso2 = ?"
            conditions.append((f"({where} AND ({dates}))",
                               ([] if iso2 is None else [iso2]) + [d for pair in merged for d in pair]))
        return self._reports(conditions)

    def _reports(self, conditions: Sequence[tuple[str, list[Any]]]) -> list[Event]:
        """The reports matching any of the (SQL condition, parameters) pairs, by id."""
        found: dict[str, Event] = {}
        with self._tx(write=False) as tx:
            for chunk in _chunks(conditions, 100):
                sql = f"SELECT {', '.join(REPORT_COLUMNS)} FROM reports WHERE " + " OR ".join(c for c, _ in chunk)
                for row in tx.execute(sql, [p for _, ps in chunk for p in ps]).rows():
                    found[row["report_id"]] = report_from_row(row)
        return [found[key] for key in sorted(found)]

    # reports in no stored corpus event: never merged, or (in a store an older EventWatch
    # damaged) pointing at an event that is gone
    _UNMERGED = ("reports LEFT JOIN events ON events.event_id = reports.cluster_id "
                 "WHERE events.event_id IS NULL")

    def unclustered_keys(self) -> list[tuple[str | None, date | None]]:
        """The (iso2, event_date) of every stored report in no corpus event, each once."""
        with self._tx(write=False) as tx:
            rows = tx.execute(f"SELECT DISTINCT reports.iso2, reports.event_date FROM {self._UNMERGED}").tuples()
        return sorted(((iso2, _as_date(day)) for iso2, day in rows),
                      key=lambda k: (k[0] is None, k[0] or "", k[1] is None, k[1] or date.min))

    def unclustered_reports(self, keys: Iterable[tuple[str | None, date | None]] | None = None) -> list[Event]:
        """Stored reports in no corpus event (an interrupted ingest left them), all or those
        of the given (iso2, event_date) keys."""
        if keys is None:
            return self._unmerged([("1 = 1", [])])
        conditions = []
        for iso2, day in keys:
            conditions.append((("reports.iso2 IS NULL" if iso2 is None else "reports.iso2 = ?")
                               + (" AND reports.event_date IS NULL" if day is None else " AND reports.event_date = ?"),
                               [v for v in (iso2, day) if v is not None]))
        return self._unmerged(conditions)

    def _unmerged(self, conditions: Sequence[tuple[str, list[Any]]]) -> list[Event]:
        found: dict[str, Event] = {}
        columns = ", ".join("reports." + c for c in REPORT_COLUMNS)
        with self._tx(write=False) as tx:
            for chunk in _chunks(conditions, 100):
                sql = (f"SELECT {columns} FROM {self._UNMERGED} AND ("
                       + " OR ".join(f"({c})" for c, _ in chunk) + ")")
                for row in tx.execute(sql, [p for _, ps in chunk for p in ps]).rows():
                    found[row["report_id"]] = report_from_row(row)
        return [found[key] for key in sorted(found)]

    def cluster_mates(self, report_ids: Sequence[str]) -> list[Event]:
        """The stored reports that share a corpus event (a cluster) with any of ``report_ids``."""
        conditions = [(f"cluster_id IN (SELECT cluster_id FROM reports WHERE report_id IN ({_marks(len(chunk))}))",
                       list(chunk)) for chunk in _chunks(sorted(report_ids))]
        return self._reports(conditions)

    def set_clusters(self, clusters: dict[str, str], merged: Iterable[CorpusEvent]) -> int:
        merged_by_id = {m.event.event_id: m for m in merged}
        with self._tx() as tx:
            self._serialize(tx, "clusters")
            report_ids = sorted(clusters)
            before: dict[str, str | None] = {}
            for chunk in _chunks(report_ids):
                before.update(tx.execute(f"SELECT report_id, cluster_id FROM reports WHERE report_id IN "
                                         f"({_marks(len(chunk))})", chunk).tuples())
            touched = sorted({c for c in before.values() if c is not None} | set(clusters.values()))
            # every report of the clusters touched, before and after: those not in ``clusters`` stay put
            members_before: dict[str, set[str]] = {}
            members_after: dict[str, set[str]] = {}
            for chunk in _chunks(touched):
                for report_id, cluster_id in tx.execute(
                        f"SELECT report_id, cluster_id FROM reports WHERE cluster_id IN ({_marks(len(chunk))})",
                        chunk).tuples():
                    members_before.setdefault(cluster_id, set()).add(report_id)
                    if report_id not in clusters:
                        members_after.setdefault(cluster_id, set()).add(report_id)
            for report_id, cluster_id in clusters.items():
                members_after.setdefault(cluster_id, set()).add(report_id)
            existing: set[str] = set()
            for chunk in _chunks(touched):
                existing.update(row[0] for row in tx.execute(
                    f"SELECT event_id FROM events WHERE event_id IN ({_marks(len(chunk))})", chunk).tuples())
            # a cluster whose reports stay the same keeps its event: merged rows are a function of their reports
            kept = {c for c in touched if c in existing and members_before.get(c) == members_after.get(c)}
            affected_ids = sorted((set(touched) | set(merged_by_id)) - kept)
            tx.executemany("UPDATE reports SET cluster_id = ? WHERE report_id = ?",
                           [[clusters[r], r] for r in report_ids if before.get(r) != clusters[r]])
            self._unindex_events(tx, affected_ids)
            for chunk in _chunks(affected_ids):
                tx.execute(f"DELETE FROM event_articles WHERE event_id IN ({_marks(len(chunk))})", chunk)
                tx.execute(f"DELETE FROM events WHERE event_id IN ({_marks(len(chunk))})", chunk)
            now = _now()
            columns = (*CORPUS_COLUMNS[:-2], "updated_at")
            written = [merged_by_id[c] for c in affected_ids if c in merged_by_id]
            tx.executemany(
                f"INSERT INTO events ({', '.join(columns)}) VALUES ({_marks(len(columns))})",
                [[m.event.event_id, m.event.article_id or None, *event_values(m.event), m.event.source, now]
                 for m in written],
            )
            for chunk in _chunks(affected_ids):
                marks = _marks(len(chunk))
                tx.execute(
                    "INSERT INTO event_articles (event_id, article_id, report_id) "
                    "SELECT r.cluster_id, r.article_id, r.report_id FROM reports r "
                    f"JOIN events e ON e.event_id = r.cluster_id WHERE r.cluster_id IN ({marks})", chunk)
                tx.execute(
                    "UPDATE events SET "
                    "n_reports = (SELECT count(*) FROM event_articles ea WHERE ea.event_id = events.event_id), "
                    "n_articles = (SELECT count(DISTINCT ea.article_id) FROM event_articles ea "
                    f"WHERE ea.event_id = events.event_id) WHERE event_id IN ({marks})", chunk)
            empty: list[str] = []
            for chunk in _chunks(affected_ids):
                empty += [row["event_id"] for row in tx.execute(
                    f"SELECT event_id FROM events WHERE event_id IN ({_marks(len(chunk))}) AND n_reports = 0",
                    chunk).rows()]
            for chunk in _chunks(empty):
                tx.execute(f"DELETE FROM events WHERE event_id IN ({_marks(len(chunk))})", chunk)
            self._refuse_orphans(tx, affected_ids)
            written_ids = sorted(set(affected_ids) - set(empty))
            self._write_listings(tx, written_ids)
            self._index_events(tx, written_ids)
        return len(written_ids)

    def _refuse_orphans(self, tx: Tx, cluster_ids: Sequence[str]) -> None:
        """The invariant a write of clusters keeps: no report of ``cluster_ids`` is left
        pointing at an event that does not exist (raised, so the transaction rolls back)."""
        orphans: list[tuple[str, str]] = []
        for chunk in _chunks(cluster_ids):
            orphans += tx.execute(
                "SELECT r.report_id, r.cluster_id FROM reports r LEFT JOIN events e ON e.event_id = r.cluster_id "
                f"WHERE r.cluster_id IN ({_marks(len(chunk))}) AND e.event_id IS NULL", chunk).tuples()
        if orphans:
            sample = ", ".join(f"{r} -> {c}" for r, c in sorted(orphans)[:5])
            raise StoreError(f"refused to write clusters that leave {len(orphans)} report(s) without their event "
                             f"({sample}): a merge must give every cluster it changes a merged event")

    def unmerge_damaged(self) -> int:
        """Undo the corpus events ``check`` finds damaged (a report pointing at no event, an
        event without reports, links that disagree with the reports): their reports are left
        unmerged, for the next merge.  Returns how many events were undone."""
        with self._tx() as tx:
            self._serialize(tx, "clusters")
            damaged = {row[0] for row in tx.execute(
                "SELECT r.cluster_id FROM reports r LEFT JOIN events e ON e.event_id = r.cluster_id "
                "WHERE r.cluster_id IS NOT NULL AND e.event_id IS NULL").tuples()}
            damaged.update(row[0] for row in tx.execute(
                "SELECT e.event_id FROM events e WHERE NOT EXISTS "
                "(SELECT 1 FROM reports r WHERE r.cluster_id = e.event_id)").tuples())
            damaged.update(row[0] for row in tx.execute(
                f"SELECT r.cluster_id FROM reports r WHERE {self._UNLINKED}").tuples())
            for row in tx.execute(f"SELECT ea.event_id, r.cluster_id FROM {self._MISLINKED}").tuples():
                damaged.update(c for c in row if c is not None)
            ids = sorted(damaged)
            self._unindex_events(tx, ids)
            for chunk in _chunks(ids):
                marks = _marks(len(chunk))
                tx.execute(f"UPDATE reports SET cluster_id = NULL WHERE cluster_id IN ({marks})", chunk)
                tx.execute(f"DELETE FROM event_articles WHERE event_id IN ({marks})", chunk)
                tx.execute(f"DELETE FROM events WHERE event_id IN ({marks})", chunk)
        return len(ids)

    # a merged report missing from its event's links; a link that names another event than its report's
    _UNLINKED = ("r.cluster_id IN (SELECT event_id FROM events) AND NOT EXISTS (SELECT 1 FROM event_articles ea "
                 "WHERE ea.event_id = r.cluster_id AND ea.report_id = r.report_id)")
    _MISLINKED = ("event_articles ea JOIN reports r ON r.report_id = ea.report_id "
                  "WHERE r.cluster_id IS NULL OR r.cluster_id <> ea.event_id")

    def check(self) -> list[str]:
        """What is wrong with the store's corpus events, one line each (none: all is well):
        reports in no existing event, events without reports, links that disagree with the reports."""
        problems = []
        with self._tx(write=False) as tx:
            def found(sql: str) -> list[tuple[Any, ...]]:
                return tx.execute(sql).tuples()

            def sample(rows: list[tuple[Any, ...]]) -> str:
                shown = ", ".join(" -> ".join(str(v) for v in row) for row in rows[:5])
                return shown + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")

            unmerged = found("SELECT reports.report_id FROM reports WHERE cluster_id IS NULL ORDER BY report_id")
            if unmerged:
                problems.append(f"{len(unmerged)} report(s) not merged into any event yet ({sample(unmerged)}): "
                                "an ingest was interrupted or is running; `eventwatch check --repair` merges them")
            orphans = found("SELECT r.report_id, r.cluster_id FROM reports r LEFT JOIN events e "
                            "ON e.event_id = r.cluster_id WHERE r.cluster_id IS NOT NULL AND e.event_id IS NULL "
                            "ORDER BY r.report_id")
            if orphans:
                problems.append(f"{len(orphans)} report(s) point at an event that does not exist ({sample(orphans)}): "
                                "`eventwatch check --repair` merges them again")
            empty = found("SELECT e.event_id FROM events e WHERE NOT EXISTS "
                          "(SELECT 1 FROM reports r WHERE r.cluster_id = e.event_id) ORDER BY e.event_id")
            if empty:
                problems.append(f"{len(empty)} event(s) have no report ({sample(empty)}): "
                                "`eventwatch check --repair` deletes them")
            links = found(f"SELECT r.report_id, r.cluster_id FROM reports r WHERE {self._UNLINKED} ORDER BY r.report_id")
            links += found(f"SELECT ea.report_id, ea.event_id FROM {self._MISLINKED} ORDER BY ea.report_id")
            if links:
                problems.append(f"{len(links)} report(s) are listed under the wrong event ({sample(links)}): "
                                "`eventwatch check --repair` merges them again")
        return problems

    def _write_listings(self, tx: Tx, event_ids: Sequence[str]) -> None:
        """Render the stored listing of each of ``event_ids`` from its row and its links."""
        for chunk in _chunks(event_ids):
            rows = tx.execute(f"SELECT {', '.join(CORPUS_COLUMNS)} FROM events "
                              f"WHERE event_id IN ({_marks(len(chunk))})", chunk).rows()
            tx.executemany("UPDATE events SET listing = ? WHERE event_id = ?",
                           [[safe_json(c.listed()), c.event.event_id] for c in self._corpus_events(tx, rows)])

    # -- corpus events

    def _corpus_events(self, tx: Tx, rows: list[dict[str, Any]]) -> list[CorpusEvent]:
        links: dict[str, tuple[list[str], list[str]]] = {row["event_id"]: ([], []) for row in rows}
        for chunk in _chunks(list(links)):
            for link in tx.execute(
                    "SELECT event_id, article_id, report_id FROM event_articles "
                    f"WHERE event_id IN ({_marks(len(chunk))}) ORDER BY event_id, article_id, report_id",
                    chunk).rows():
                article_ids, report_ids = links[link["event_id"]]
                if link["article_id"] not in article_ids:
                    article_ids.append(link["article_id"])
                report_ids.append(link["report_id"])
        for _, report_ids in links.values():
            report_ids.sort()
        return [
            CorpusEvent(row_event(row, event_id=row["event_id"], source=row["sources"]), *links[row["event_id"]])
            for row in rows
        ]

    def query_events(self, filters: EventFilter) -> Iterator[CorpusEvent]:
        """Matching corpus events, newest first (undated last), then by id: stable for paging."""
        def corpus_events(tx: Tx, rows: list[tuple[Any, ...]]) -> list[CorpusEvent]:
            return self._corpus_events(tx, [dict(zip(columns, row, strict=True)) for row in rows])

        columns = (*CORPUS_COLUMNS, "event_date")
        return self._matching(filters, columns, corpus_events)

    def query_listed(self, filters: EventFilter) -> Iterator[ListedEvent]:
        def listed(_: Tx, rows: list[tuple[Any, ...]]) -> list[ListedEvent]:
            return [ListedEvent(*row[:4]) for row in rows]

        return self._matching(filters, ("event_id", "latitude", "longitude", "listing", "event_date"), listed)

    def _matching(self, filters: EventFilter, columns: Sequence[str],
                  convert: Callable[[Tx, list[tuple[Any, ...]]], list[T]]) -> Iterator[T]:
        """The events matching ``filters`` in ``ORDER``: their rows (``columns``, the first
        event_id, the last event_date) read a batch at a time as tuples and turned into items
        by ``convert`` inside the batch's transaction; nothing is held open between batches."""
        where, params = filter_sql(self, filters)
        remaining = filters.limit
        offset = max(filters.offset or 0, 0)
        after: tuple[date | None, str] | None = None
        while remaining is None or remaining > 0:
            size = BATCH if remaining is None else min(BATCH, remaining)
            sql, args = f"SELECT {', '.join(columns)} FROM events WHERE {where}", list(params)
            if after is not None:   # keyset paging: rows after the last one yielded
                last_date, last_id = after
                if last_date is None:
                    sql += " AND (event_date IS NULL AND event_id > ?)"
                    args += [last_id]
                else:
                    sql += " AND (event_date < ? OR (event_date = ? AND event_id > ?) OR event_date IS NULL)"
                    args += [last_date, last_date, last_id]
            sql += f" ORDER BY {ORDER} LIMIT ? OFFSET ?"
            with self._tx(write=False) as tx:
                rows = tx.execute(sql, [*args, size, offset]).tuples()
                items = convert(tx, rows)
            yield from items
            if len(rows) < size:
                return
            if remaining is not None:
                remaining -= len(rows)
            offset = 0
            after = (_as_date(rows[-1][-1]), rows[-1][0])

    def count_events(self, filters: EventFilter) -> int:
        """How many events match ``filters`` (its limit and offset ignored)."""
        where, params = filter_sql(self, filters)
        with self._tx(write=False) as tx:
            return int(tx.execute(f"SELECT count(*) AS n FROM events WHERE {where}", params).one()["n"])

    def get_event(self, event_id: str) -> CorpusEvent | None:
        with self._tx(write=False) as tx:
            rows = tx.execute(f"SELECT {', '.join(CORPUS_COLUMNS)} FROM events WHERE event_id = ?", [event_id]).rows()
            found = self._corpus_events(tx, rows)
        return found[0] if found else None

    # -- life

    def close(self) -> None:
        with self._lock:
            self._close()

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.display_url!r})"

    # -- backend hooks

    def _begin(self, *, write: bool) -> AbstractContextManager[Any]:
        """A raw cursor inside a transaction that commits on exit (rolls back on error)."""
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        """The shared SQL (``?`` placeholders) in the driver's paramstyle."""
        return sql

    def _adapt(self, value: Any) -> Any:
        """A parameter as the driver takes it."""
        return value

    def _serialize(self, tx: Tx, what: str) -> None:
        """Make concurrent transactions doing ``what`` (migrate, clusters) run one after another."""

    def _fts_query(self, phrases: list[list[str]]) -> str:
        """The full-text query (the parameter of ``schema.SEARCH``) for ``query_phrases`` output."""
        raise NotImplementedError

    def _index_article(self, tx: Tx, article: Article) -> None:
        """Add a newly stored article to the article search, where the database does not."""

    def _index_events(self, tx: Tx, event_ids: Sequence[str]) -> None:
        """Add (re)written events rows to the event search, where the database does not."""

    def _unindex_events(self, tx: Tx, event_ids: Sequence[str]) -> None:
        """Remove events about to be deleted or rewritten from the event search, where the database does not."""
