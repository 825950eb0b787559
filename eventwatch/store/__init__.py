"""The event store: SQLite (default, one file) or PostgreSQL, behind one ``Store`` interface.

    open_store()                                   events.db in the user data folder ($EVENTWATCH_DB overrides)
    open_store("corpus.db")                        a SQLite file (also sqlite:///corpus.db, sqlite:////abs/path.db)
    open_store("postgresql://me@localhost/events") PostgreSQL (pip install 'eventwatch[postgres]')

Pending migrations are applied on open.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from eventwatch.errors import StoreError
from eventwatch.store.api import CorpusEvent, EventFilter, Store

__all__ = ["CorpusEvent", "EventFilter", "Store", "default_url", "open_store"]

POSTGRES_INSTALL = "pip install 'eventwatch[postgres]'"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def default_url() -> str:
    """$EVENTWATCH_DB, else the SQLite file events.db in the user data folder (created)."""
    configured = os.environ.get("EVENTWATCH_DB", "").strip()
    if configured:
        return configured
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("eventwatch"))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "events.db")


def open_store(url: str | Path | None = None) -> Store:
    """The store at ``url`` (a SQLite path, ``sqlite:///path`` or ``postgresql://...``), migrated.

    Raises StoreError for a URL that names no supported database, a server that
    cannot be reached or a file that is not an EventWatch database.
    """
    if url is None:
        url = default_url()
    if isinstance(url, Path):
        return _migrated(_sqlite(url))
    url = url.strip()
    if not url:
        raise StoreError("empty database URL: give a SQLite file path, sqlite:///path or postgresql://user@host/db")
    match = _SCHEME.match(url)
    if match is None:
        return _migrated(_sqlite(Path(url).expanduser()))
    scheme = match.group(1).lower()
    if scheme == "sqlite":
        rest = url[len("sqlite://"):]
        if not rest.startswith("/") or rest == "/":
            raise StoreError(f"bad SQLite URL {url!r}: write sqlite:///relative/path.db or sqlite:////absolute/path.db")
        path = rest[1:]
        return _migrated(_sqlite(path if path == ":memory:" else Path(path).expanduser()))
    if scheme in ("postgresql", "postgres"):
        try:
            from eventwatch.store.postgres import PostgresStore
        except ImportError as error:
            raise StoreError(f"PostgreSQL needs psycopg 3, which is not installed: {POSTGRES_INSTALL}") from error
        return _migrated(PostgresStore(url))
    raise StoreError(f"unsupported database URL scheme {scheme}://: "
                     "give a SQLite file path, sqlite:///path or postgresql://user@host/db")


def _sqlite(path: str | Path) -> Store:
    from eventwatch.store.sqlite import SQLiteStore

    return SQLiteStore(path)


def _migrated(store) -> Store:
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store
