"""open_store: which URL opens which backend, where the default lives, and the errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from eventwatch.errors import StoreError
from eventwatch.store import open_store
from eventwatch.store.sqlite import SQLiteStore

from .factory import make_article


def _reopens(url, path: Path) -> None:
    store = open_store(url)
    try:
        assert isinstance(store, SQLiteStore)
        assert store.url == "sqlite:///" + str(path.absolute())
        store.save_article(make_article(1), [])
    finally:
        store.close()
    assert path.exists()


def test_paths_and_sqlite_urls(tmp_path, monkeypatch):
    _reopens(tmp_path / "a.db", tmp_path / "a.db")
    _reopens(str(tmp_path / "b.db"), tmp_path / "b.db")
    _reopens("sqlite:///" + str(tmp_path / "c.db"), tmp_path / "c.db")   # sqlite:////abs/c.db
    monkeypatch.chdir(tmp_path)
    _reopens("sqlite:///d.db", tmp_path / "d.db")                         # relative


def test_default_is_in_the_user_data_folder_unless_eventwatch_db_says(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTWATCH_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = open_store()
    assert store.url == "sqlite:///" + str(tmp_path / "data" / "eventwatch" / "events.db")
    store.close()
    monkeypatch.setenv("EVENTWATCH_DB", str(tmp_path / "chosen.db"))
    store = open_store(None)
    assert store.url == "sqlite:///" + str(tmp_path / "chosen.db")
    store.close()


@pytest.mark.parametrize("url, words", [
    ("mysql://me@localhost/events", "unsupported database URL scheme mysql://"),
    ("", "empty database URL"),
    ("sqlite://relative.db", "bad SQLite URL"),
])
def test_bad_urls_say_what_to_write(url, words):
    with pytest.raises(StoreError, match=words) as raised:
        open_store(url)
    assert "\n" not in str(raised.value)


def test_files_that_cannot_be_stores(tmp_path):
    garbage = tmp_path / "notes.db"
    garbage.write_bytes(b"this is not a database file at all, just text " * 100)
    with pytest.raises(StoreError, match="notes.db"):
        open_store(garbage)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing" / "events.db")
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)


def test_an_unreachable_postgres_server_is_one_line():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at postgresql://me:\\*\\*\\*@127.0.0.1:1/") as raised:
        open_store("postgresql://me:secret@127.0.0.1:1/events?connect_timeout=3")
    assert "secret" not in str(raised.value) and "\n" not in str(raised.value)


def test_postgres_without_psycopg_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.delitem(sys.modules, "eventwatch.store.postgres", raising=False)
    with pytest.raises(StoreError, match=r"pip install 'eventwatch\[postgres\]'"):
        open_store("postgresql://me@localhost/events")


def test_a_database_from_a_newer_eventwatch_is_refused(tmp_path):
    store = open_store(tmp_path / "e.db")
    with store._tx() as tx:
        tx.execute("INSERT INTO _migrations (name, applied_at) VALUES ('9999_future', '2030-01-01')")
    store.close()
    with pytest.raises(StoreError, match="newer EventWatch"):
        open_store(tmp_path / "e.db")
