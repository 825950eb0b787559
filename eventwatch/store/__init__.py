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


def open_store(url: str | Path | None = None, *, read_only: bool = False) -> Store:
    """The store at ``url`` (a SQLite path, ``sqlite:///path`` or ``postgresql://...``), migrated.

    ``read_only``: for reading only (what the events, export and check commands do): a SQLite
    file is opened read-only, so a store in a read-only file or folder can be read; nothing
    is migrated or created.

    Raises StoreError for a URL that names no supported database, a server that
    cannot be reached, a file that is not an EventWatch database or is damaged.
    """
    if url is None:
        url = default_url()
    ready = _current if read_only else _migrated
    if isinstance(url, Path):
        return ready(_sqlite(url, read_only))
    url = url.strip()
    if not url:
        raise StoreError("empty database URL: give a SQLite file path, sqlite:///path or postgresql://user@host/db")
    match = _SCHEME.match(url)
    if match is None:
        return ready(_sqlite(Path(url).expanduser(), read_only))
    scheme = match.group(1).lower()
    if scheme == "sqlite":
        rest = url[len("sqlite://"):]
        if not rest.startswith("/") or rest == "/":
            raise StoreError(f"bad SQLite URL {url!r}: write sqlite:///relative/path.db or sqlite:////absolute/path.db")
        path = rest[1:]
        return ready(_sqlite(path if path == ":memory:" else Path(path).expanduser(), read_only))
    if scheme in ("postgresql", "postgres"):
        try:
            from eventwatch.store.postgres import PostgresStore
        except ImportError as error:
            raise StoreError(f"PostgreSQL needs psycopg 3, which is not installed: {POSTGRES_INSTALL}") from error
        return ready(PostgresStore(url, read_only=read_only))
    raise StoreError(f"unsupported database URL scheme {scheme}://: "
                     "give a SQLite file path, sqlite:///path or postgresql://user@host/db")


def _sqlite(path: str | Path, read_only: bool) -> Store:
    from eventwatch.store.sqlite import SQLiteStore

    return SQLiteStore(path, read_only=read_only)


def _migrated(store) -> Store:
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


def _current(store) -> Store:
    """``store``, opened for reading, if it needs no migration."""
    from eventwatch.store.schema import MIGRATIONS

    try:
        applied = store.applied_migrations()
        unknown = sorted(set(applied) - {m.name for m in MIGRATIONS})
        if unknown:
            raise StoreError(f"{store.display_url} was written by a newer EventWatch (migrations "
                             f"{', '.join(unknown)}): upgrade eventwatch to use it")
        missing = [m.name for m in MIGRATIONS if m.name not in applied]
        if missing:
            raise StoreError(f"{store.display_url} needs migrations ({', '.join(missing)}) and is opened for "
                             "reading only: run a command that writes to it once (eventwatch ingest)")
    except BaseException:
        store.close()
        raise
    return store
