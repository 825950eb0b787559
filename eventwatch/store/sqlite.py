"""The SQLite store: one file, WAL journal, every write one ``BEGIN IMMEDIATE`` transaction.

Several processes may write one file: a writer waits for another's transaction
(``busy_timeout``) instead of failing.  One connection serves all threads of a
process, one transaction at a time.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eventwatch.errors import StoreError
from eventwatch.model import Article
from eventwatch.store.base import SQLStore, Tx, _chunks, _marks
from eventwatch.store.schema import FTS_EVENT_COLUMNS, stable_id

BUSY_TIMEOUT_MS = 60_000
# Reads go through a memory map of the file (up to this size) rather than a read call per
# page, and each connection keeps more pages cached: a country-month query reads hundreds
# of rows, and this halves its time on a 100,000-event store.  Address space, not memory.
MMAP_BYTES = 1 << 30
CACHE_KIB = 64 * 1024



def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL.  The switch needs the file to itself, and SQLite does not wait for
    it through the busy handler when another process is opening the same new file at
    that moment, so it is retried for a while."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)

class SQLiteStore(SQLStore):
    dialect = "sqlite"
    DB_ERRORS = (sqlite3.Error,)
    RECORD_ERRORS = (*SQLStore.RECORD_ERRORS, sqlite3.DataError, sqlite3.IntegrityError)

    def __init__(self, path: str | Path) -> None:
        memory = str(path) == ":memory:"
        self.path = Path(path) if not memory else None
        super().__init__("sqlite:///" + (":memory:" if memory else str(Path(path).absolute())))
        if self.path is not None:
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a folder: give the path of a database file, e.g. {self.path / 'events.db'}")
            if not self.path.parent.is_dir():
                raise StoreError(f"cannot create {self.path}: folder {self.path.parent} does not exist; create it first")
        try:
            self._conn = sqlite3.connect(
                ":memory:" if memory else str(self.path), isolation_level=None, check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _enable_wal(self._conn)
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self._conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open {self.path} as an EventWatch database ({error}): "
                             "check the path, or choose a new file") from error

    @contextmanager
    def _begin(self, *, write: bool) -> Iterator[sqlite3.Cursor]:
        cursor = self._conn.cursor()
        cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield cursor
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            cursor.close()

    def _close(self) -> None:
        self._conn.close()

    def _adapt(self, value: Any) -> Any:
        if isinstance(value, date | datetime):
            return value.isoformat()
        return value

    def _fts_query(self, phrases: list[list[str]]) -> str:
        return " ".join('"' + " ".join(words) + '"' for words in phrases)

    def _index_article(self, tx: Tx, article: Article) -> None:
        tx.execute("INSERT INTO articles_fts (rowid, key, title, text) VALUES (?, ?, ?, ?)",
                   [stable_id(article.id), article.id, article.title, article.text])

    def _index_events(self, tx: Tx, event_ids: Sequence[str]) -> None:
        columns = ", ".join(FTS_EVENT_COLUMNS)
        tx.executemany(f"INSERT INTO events_fts (rowid, key, {columns}) SELECT ?, event_id, {columns} "
                       "FROM events WHERE event_id = ?", [[stable_id(e), e] for e in event_ids])

    def _unindex_events(self, tx: Tx, event_ids: Sequence[str]) -> None:
        for chunk in _chunks([stable_id(e) for e in event_ids]):
            tx.execute(f"DELETE FROM events_fts WHERE rowid IN ({_marks(len(chunk))})", chunk)
