"""The store suite runs on SQLite always and on PostgreSQL when EVENTWATCH_TEST_POSTGRES is set.

Start a throwaway server with ``. .ci/postgres.sh`` (it exports the variable).
Each PostgreSQL test runs in a fresh schema of that database, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

from eventwatch.store import open_store

POSTGRES = os.environ.get("EVENTWATCH_TEST_POSTGRES", "").strip()


def _with_schema(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """A URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "events.db")
        return
    if not POSTGRES:
        pytest.skip("PostgreSQL store tests need EVENTWATCH_TEST_POSTGRES (start a server: . .ci/postgres.sh)")
    psycopg = pytest.importorskip("psycopg", reason="PostgreSQL store tests need psycopg: pip install 'eventwatch[postgres]'")
    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _with_schema(POSTGRES, schema)
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url):
    opened = open_store(store_url)
    yield opened
    opened.close()
