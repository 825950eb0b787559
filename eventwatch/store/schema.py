"""The store's schema: an ordered list of named migrations, one text for each dialect.

A migration is applied once, in order, inside the transaction that records its
name in ``_migrations``; a store opened on a database written by a newer
EventWatch (one with migrations this one does not know) refuses to run.

Both dialects share the table definitions below; only the column types and the
full-text search differ:
    sqlite    FTS5 tables ``events_fts`` (notes, actor1, actor2, location,
              evidence) and ``articles_fts`` (title, text), each row keyed by the
              event or article id (``key``, and a rowid derived from it, see
              ``stable_id``); the SQLite store writes them with the rows they index
    postgres  a generated ``search`` tsvector column with a GIN index on
              ``events`` and ``articles``
Both use the 'simple' tokenisation (lower case, no stemming), so a query finds
the same events on either backend.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from eventwatch.model import EVENT_FIELDS

DIALECTS = ("sqlite", "postgres")

_TYPES = {
    "sqlite": {
        "REAL": "REAL",
        "BLOB": "BLOB",
        "TIMESTAMP": "TEXT",
        "SERIAL_KEY": "INTEGER PRIMARY KEY AUTOINCREMENT",
    },
    "postgres": {
        "REAL": "DOUBLE PRECISION",
        "BLOB": "BYTEA",
        "TIMESTAMP": "TIMESTAMPTZ",
        "SERIAL_KEY": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    },
}

# The Event fields every report and corpus event stores, as (column, type) in model order.
_EVENT_COLUMN_TYPES = {
    "event_date": "DATE", "time_precision": "INTEGER NOT NULL", "event_type": "TEXT NOT NULL",
    "sub_event_type": "TEXT NOT NULL", "actor1": "TEXT NOT NULL", "actor1_type": "TEXT NOT NULL",
    "actor2": "TEXT", "actor2_type": "TEXT", "civilian_targeting": "BOOLEAN NOT NULL",
    "country": "TEXT", "iso2": "TEXT", "admin1": "TEXT", "location": "TEXT",
    "latitude": "{REAL}", "longitude": "{REAL}", "geo_precision": "INTEGER",
    "fatalities": "INTEGER NOT NULL", "injuries": "INTEGER", "child_fatalities": "INTEGER",
    "ceasefire_violation": "BOOLEAN NOT NULL", "evidence": "TEXT NOT NULL",
    "confidence": "{REAL} NOT NULL", "notes": "TEXT NOT NULL",
    "spans": "TEXT NOT NULL",  # JSON: {field: {"start", "end", "text"}}
}
assert tuple(_EVENT_COLUMN_TYPES)[: len(EVENT_FIELDS)] == EVENT_FIELDS

EVENT_COLUMNS: tuple[str, ...] = tuple(_EVENT_COLUMN_TYPES)
_EVENT_DDL = ",\n    ".join(f"{name} {kind}" for name, kind in _EVENT_COLUMN_TYPES.items())

FTS_EVENT_COLUMNS = ("notes", "actor1", "actor2", "location", "evidence")
FTS_ARTICLE_COLUMNS = ("title", "text")

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS _migrations (
    name TEXT PRIMARY KEY,
    applied_at {TIMESTAMP} NOT NULL
)"""

_TABLES = (
    """CREATE TABLE articles (
    article_id TEXT PRIMARY KEY,
    url TEXT,
    title TEXT,
    source TEXT,
    published DATE,
    text TEXT NOT NULL,
    duplicate_of TEXT,
    signature {BLOB},
    ingested_at {TIMESTAMP} NOT NULL
)""",
    f"""CREATE TABLE reports (
    report_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (article_id),
    cluster_id TEXT,
    {_EVENT_DDL},
    source TEXT
)""",
    "CREATE INDEX reports_article ON reports (article_id)",
    "CREATE INDEX reports_country_date ON reports (iso2, event_date)",
    "CREATE INDEX reports_cluster ON reports (cluster_id)",
    f"""CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    article_id TEXT,
    {_EVENT_DDL},
    sources TEXT,
    n_reports INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0,
    updated_at {{TIMESTAMP}} NOT NULL
)""",
    "CREATE INDEX events_date ON events (event_date, event_id)",
    "CREATE INDEX events_iso2 ON events (iso2)",
    "CREATE INDEX events_country ON events (country)",
    "CREATE INDEX events_admin1 ON events (admin1)",
    "CREATE INDEX events_type ON events (event_type, sub_event_type)",
    "CREATE INDEX events_fatalities ON events (fatalities)",
    "CREATE INDEX events_lat_lon ON events (latitude, longitude)",
    """CREATE TABLE event_articles (
    event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (article_id),
    report_id TEXT NOT NULL REFERENCES reports (report_id),
    PRIMARY KEY (event_id, report_id)
)""",
    "CREATE INDEX event_articles_article ON event_articles (article_id)",
    """CREATE TABLE failures (
    id {SERIAL_KEY},
    where_ TEXT NOT NULL,
    stage TEXT NOT NULL,
    message TEXT NOT NULL,
    at {TIMESTAMP} NOT NULL
)""",
)


def _tsvector(columns: tuple[str, ...]) -> str:
    # PostgreSQL's parser reads "air/drone" as one file-path token; SQLite's splits it.
    # Slashes become spaces so that a query finds the same events on either backend.
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return f"to_tsvector('simple'::regconfig, translate({joined}, '/', ' '))"


_FULLTEXT = {
    "sqlite": (
        f"CREATE VIRTUAL TABLE events_fts USING fts5(key UNINDEXED, {', '.join(FTS_EVENT_COLUMNS)})",
        f"CREATE VIRTUAL TABLE articles_fts USING fts5(key UNINDEXED, {', '.join(FTS_ARTICLE_COLUMNS)})",
    ),
    "postgres": (
        f"ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS ({_tsvector(FTS_EVENT_COLUMNS)}) STORED",
        "CREATE INDEX events_search ON events USING GIN (search)",
        f"ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ({_tsvector(FTS_ARTICLE_COLUMNS)}) STORED",
        "CREATE INDEX articles_search ON articles USING GIN (search)",
    ),
}


# Per dialect: a SELECT of the event ids, and one of the article ids, matching one ``?``
# full-text query (built by the store's ``_fts_query``).
SEARCH = {
    "sqlite": {
        "events": "SELECT key FROM events_fts WHERE events_fts MATCH ?",
        "articles": "SELECT key FROM articles_fts WHERE articles_fts MATCH ?",
    },
    "postgres": {
        "events": "SELECT event_id FROM events WHERE search @@ to_tsquery('simple', ?)",
        "articles": "SELECT article_id FROM articles WHERE search @@ to_tsquery('simple', ?)",
    },
}


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]

    def statements(self, dialect: str) -> tuple[str, ...]:
        return getattr(self, dialect)


def typed(sql: str, dialect: str) -> str:
    """``sql`` with its type placeholders ({REAL}, {BLOB}, ...) spelled for ``dialect``."""
    return sql.format(**_TYPES[dialect])


def _both(statements: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {d: tuple(typed(s, d) for s in statements) for d in DIALECTS}


# Country filters compare ISO2 codes (a name is turned into its code first), and the
# usual query is one country over a date range: one composite index serves both.
_COUNTRY_INDEXES = (
    "CREATE INDEX IF NOT EXISTS events_iso2_date ON events (iso2, event_date)",
    "CREATE INDEX IF NOT EXISTS events_country_lower ON events (lower(country))",
)

# Each event's listing (CorpusEvent.listed() as JSON), rendered when the event is written:
# API pages and GeoJSON are then read, not rebuilt per request.  The store fills it for
# the events of an older database when this migration is applied.
LISTING_MIGRATION = "0004_event_listing"

# The LSH band keys of each article's MinHash signature, so that near-duplicates are found
# by an index lookup rather than an index of every signature in memory.  The store fills it
# for the articles of an older database when this migration is applied.
BANDS_MIGRATION = "0005_article_bands"
_BANDS_TABLE = """CREATE TABLE article_bands (
    band_key BIGINT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (article_id),
    PRIMARY KEY (band_key, article_id)
)"""
_BANDS = {
    "sqlite": (_BANDS_TABLE + " WITHOUT ROWID",),   # the key is the table: one B-tree to write, not two
    "postgres": (_BANDS_TABLE,),
}

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_tables", **_both(_TABLES)),
    Migration("0002_fulltext", **_FULLTEXT),
    Migration("0003_country_date_index", **_both(_COUNTRY_INDEXES)),
    Migration(LISTING_MIGRATION, **_both(("ALTER TABLE events ADD COLUMN listing TEXT",))),
    Migration(BANDS_MIGRATION, **_BANDS),
)


def stable_id(key: str) -> int:
    """A stable positive 63-bit integer for ``key``.

    The rowid of an event or article in the SQLite search tables: keying them by a
    value derived from the id (rather than the base table's implicit rowid, which
    VACUUM may renumber) lets a row be replaced through the rowid index without a
    scan.  Also the PostgreSQL advisory lock keys.
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") >> 1
