"""open_store: which URL opens which backend, where the default lives, and the errors."""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest

from eventwatch.errors import StoreError
from eventwatch.store import open_store
from eventwatch.store.api import EventFilter
from eventwatch.store.sqlite import SQLiteStore

from .factory import make_article, make_event


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


def test_an_empty_file_is_refused_unless_a_store_is_being_created_in_it(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    old = time.time() - 60
    os.utime(empty, (old, old))
    with pytest.raises(StoreError, match="empty.db is an empty file, not an EventWatch database: delete it") as refused:
        open_store(empty)
    assert "\n" not in str(refused.value) and empty.stat().st_size == 0   # left as it was

    # another process has just created the file and is about to write the store's first page
    fresh = tmp_path / "fresh.db"
    creator = sqlite3.connect(fresh, isolation_level=None, check_same_thread=False)
    writer = threading.Timer(0.3, lambda: creator.execute("PRAGMA journal_mode = WAL"))
    writer.start()
    store = open_store(fresh)
    writer.join()
    creator.close()
    store.save_article(make_article(1), [])
    assert store.has_article(make_article(1).id)
    store.close()


def _filled_store(path: Path) -> Path:
    store = open_store(path)
    for n in range(40):
        article = make_article(n, place="Kharkiv" if n % 2 else "Nikopol")
        store.save_article(article, [make_event(article, place="Kharkiv" if n % 2 else "Nikopol")])
    from eventwatch.ingest import merge_pending

    merge_pending(store)
    store.close()
    return path


def _everything(store) -> list:
    return [e.to_dict() for e in store.query_events(EventFilter())]


def test_a_corrupted_store_is_refused_or_reads_and_writes_correctly(tmp_path):
    original = _filled_store(tmp_path / "original.db")
    with open_store(original, read_only=True) as store:
        expected = _everything(store)
    data = original.read_bytes()
    rng = random.Random(17)
    refused = 0
    for trial in range(40):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"damaged{trial}.db"
        path.write_bytes(bytes(damaged))
        try:
            store = open_store(path)
        except StoreError as error:
            assert "\n" not in str(error)
            refused += 1
            continue
        try:   # accepted: its structure is sound, so what it reads and writes is what was stored
            with sqlite3.connect(path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"trial {trial}"
            article = make_article(1000 + trial)
            store.save_article(article, [])
            assert store.has_article(article.id)
            try:
                read = _everything(store)
            except StoreError:
                continue    # a damaged value: said in one line, not a traceback
            assert len(read) == len(expected)
        finally:
            store.close()
    assert refused >= 5   # the test must damage pages, not only text


def test_a_read_only_store_is_read_and_exported(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = _filled_store(folder / "events.db")
    with open_store(path, read_only=True) as store:
        expected = _everything(store)
    stored = path.read_bytes()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        store = open_store(path, read_only=True)
        try:
            assert _everything(store) == expected and store.check() == []
            with pytest.raises(StoreError):
                store.save_article(make_article(999), [])
        finally:
            store.close()
        assert path.read_bytes() == stored   # nothing written
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    with pytest.raises(StoreError, match="no event store at"):
        open_store(tmp_path / "nothing.db", read_only=True)
