"""The PostgreSQL store (psycopg 3): one connection per store, every write one transaction.

Concurrent ingests into one database lose nothing and duplicate nothing: rows are
written with ``INSERT ... ON CONFLICT DO NOTHING`` (a second writer of the same
article waits for the first and then finds it stored), and cluster rewrites and
migrations take a transaction-scoped advisory lock so they run one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from eventwatch.errors import StoreError
from eventwatch.store.base import SQLStore, Tx
from eventwatch.store.schema import stable_id

CONNECT_TIMEOUT_S = 15


class PostgresStore(SQLStore):
    dialect = "postgres"
    DB_ERRORS = (psycopg.Error,)
    RECORD_ERRORS = (*SQLStore.RECORD_ERRORS, psycopg.DataError, psycopg.IntegrityError)
    NO_PARAMS = None  # so that a % in SQL without parameters is not taken for a placeholder

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        super().__init__(url)
        options: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in url:
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            self._conn = psycopg.connect(url, **options)
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
            raise StoreError(f"cannot connect to PostgreSQL at {self.display_url}: {reason}; "
                             "check the URL and that the server is running") from error
        if read_only:
            self._conn.execute("SET default_transaction_read_only = on")

    @contextmanager
    def _begin(self, *, write: bool) -> Iterator[psycopg.Cursor]:
        with self._conn.transaction(), self._conn.cursor() as cursor:
            yield cursor

    def _close(self) -> None:
        self._conn.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _serialize(self, tx: Tx, what: str) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(?)", [stable_id("eventwatch." + what)])

    def _fts_query(self, phrases: list[list[str]]) -> str:
        # query_phrases yields \w+ words only, so nothing here needs quoting
        return " & ".join("(" + " <-> ".join(words) + ")" for words in phrases)
