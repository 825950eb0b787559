"""The SQLite store: one file, WAL journal, every write one ``BEGIN IMMEDIATE`` transaction.

Several processes may write one file: a writer waits for another's transaction
(``busy_timeout``) instead of failing.  One connection serves all threads of a
process, one transaction at a time.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from eventwatch.errors import StoreError
from eventwatch.model import Article
from eventwatch.store.base import SQLStore, Tx, _chunks, _marks
from eventwatch.store.schema import FTS_EVENT_COLUMNS, stable_id

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 60_000
# Reads go through a memory map of the file (up to this size) rather than a read call per
# page, and each connection keeps more pages cached: a country-month query reads hundreds
# of rows, and this halves its time on a 100,000-event store.  Address space, not memory.
MMAP_BYTES = 1 << 30
CACHE_KIB = 64 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"
EMPTY_GRACE_S = 2.0   # how long an empty file may wait for the process creating a store in it



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

def _refuse_foreign(path: Path) -> None:
    """Refuse an existing file that is not a SQLite database.  An empty file is one only while
    another process is creating the store in it (SQLite writes its header with the first
    transaction): it is given EMPTY_GRACE_S from its last change to get one."""
    while True:
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
        if header:
            break
        age = time.time() - path.stat().st_mtime
        if not 0 <= age < EMPTY_GRACE_S:
            raise StoreError(f"{path} is an empty file, not an EventWatch database: delete it to create a new "
                             "store there, or give another path")
        time.sleep(0.05)
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not an EventWatch database (not a SQLite file): check the path, "
                         "or choose a new file")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``: nothing is written, so a store in a read-only file
    or folder is read as it is).  A WAL database needs its shared-memory file to be read that
    way; where it is missing and cannot be created (a read-only folder, and so no writer
    either), the file is read as immutable."""
    uri = f"file:{quote(str(path.absolute()))}"
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK) or Path(f"{path}-shm").exists():
            raise
    logger.info("%s: read-only folder; reading the database as immutable", path)
    return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def _refuse_damaged(conn: sqlite3.Connection, path: Path | None) -> None:
    """Refuse a database whose pages SQLite's integrity check finds damaged (its quick check misses a damaged index)."""
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check(5)").fetchall()]
    except UnicodeDecodeError:   # the check's own report holds damaged bytes
        found = ["unreadable page contents"]
    if found != ["ok"]:
        first = next((line.strip() for line in found[0].splitlines() if line.strip() and "***" not in line), "damaged")
        raise StoreError(f"{path} is damaged (SQLite integrity check: {first}): restore it from a backup, "
                         f"or save what can be read with: sqlite3 {path} .recover | sqlite3 recovered.db")


class SQLiteStore(SQLStore):
    dialect = "sqlite"
    DB_ERRORS = (sqlite3.Error,)
    RECORD_ERRORS = (*SQLStore.RECORD_ERRORS, sqlite3.DataError, sqlite3.IntegrityError)

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        memory = str(path) == ":memory:"
        self.path = Path(path) if not memory else None
        self.read_only = read_only
        super().__init__("sqlite:///" + (":memory:" if memory else str(Path(path).absolute())))
        existing = False
        if self.path is not None:
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a folder: give the path of a database file, e.g. {self.path / 'events.db'}")
            if not self.path.parent.is_dir():
                raise StoreError(f"cannot create {self.path}: folder {self.path.parent} does not exist; create it first")
            existing = self.path.exists()
            if existing:
                _refuse_foreign(self.path)
                if not read_only and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
                    raise StoreError(f"{self.path} is read-only (the file or its folder): the events, export and "
                                     "check commands can read it; make both writable to write to it")
            elif read_only:
                raise StoreError(f"no event store at {self.path}: ingest articles into it first (eventwatch ingest)")
        try:
            if read_only:
                self._conn = _connect_read_only(self.path)
            else:
                self._conn = sqlite3.connect(
                    ":memory:" if memory else str(self.path), isolation_level=None, check_same_thread=False,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if existing:
                _refuse_damaged(self._conn, self.path)
            if not read_only:
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
