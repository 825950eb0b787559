"""Ingest when things go wrong: one bad article fails alone, a failing store stops the run at once."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventwatch.ingest import SAVE_EVERY, ingest
from eventwatch.readers import read_many
from eventwatch.store import open_store

EVENTWATCH = str(Path(sys.executable).parent / "eventwatch")
TEXT = ("Gunmen killed {n} people in Kano, Nigeria on Monday, police said. The attackers fled on "
        "motorcycles towards the forest, residents of the district told reporters. {filler}")


def article(n: int, text: str | None = None, filler: str = "") -> str:
    body = text if text is not None else TEXT.format(n=n % 40 + 2, filler=filler)
    return json.dumps({"id": f"a{n}", "published": "2024-03-02", "text": body + f" Report {n}."})


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(*args: str, timeout: float = 120, **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EVENTWATCH, *args], capture_output=True, text=True, timeout=timeout, **options)


# ----------------------------------------------------------------------------- one bad article

def test_hostile_articles_fail_alone_and_a_second_run_stores_nothing_twice(tmp_path):
    """A toll above 2^63, a lone surrogate and a deeply nested line among ordinary articles."""
    lines = [article(n) for n in range(100)]
    lines[10] = article(10, "Gunmen killed 99999999999999999999 people in Kano, Nigeria on Monday.")
    lines[20] = article(20, "Gunmen killed 4 people in Kano, Nigeria \ud800 on Monday, police said.")
    lines[30] = '{"id": "nested", "text": "x", "more": ' + "[" * 100_000 + "]" * 100_000 + "}"
    corpus = write(tmp_path / "corpus.jsonl", lines)
    db = tmp_path / "events.db"

    first = run_cli("ingest", str(corpus), "--db", str(db))  # the default workers
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    assert "corpus.jsonl:31: JSON nested too deeply to read" in first.stderr
    assert "99 stored, 0 already stored" in first.stderr and "1 failed" in first.stderr

    store = open_store(db)
    assert [(f["where_"], f["stage"]) for f in store.failures()] == [(f"{corpus}:31", "read")]
    surrogate = store.get_article("a20")
    assert surrogate is not None and "Nigeria \ufffd on Monday" in surrogate.text
    store.close()

    again = run_cli("ingest", str(corpus), "--db", str(db))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "0 stored, 99 already stored" in again.stderr and "1 failed" in again.stderr


def test_an_article_the_store_refuses_fails_alone_and_its_batch_is_stored(tmp_path):
    db = tmp_path / "events.db"
    open_store(db).close()
    with sqlite3.connect(db) as con:  # a real refusal from the database, for one article only
        con.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.article_id = 'a7' "
                    "BEGIN SELECT RAISE(ABORT, 'article a7 refused'); END")
    corpus = write(tmp_path / "corpus.jsonl", [article(n) for n in range(SAVE_EVERY + 10)])
    store = open_store(db)

    report = ingest(read_many([corpus]), store, workers=1)

    assert (report.stored, report.failed) == (SAVE_EVERY + 9, 1)
    assert [(f["where_"], f["stage"]) for f in store.failures()] == [("a7", "store")]
    assert "article a7 refused" in store.failures()[0]["message"]
    assert store.get_article("a6") is not None and store.get_article("a8") is not None
    assert store.get_article("a7") is None
    again = ingest(read_many([corpus]), store, workers=1)  # running again changes nothing else
    assert (again.stored, again.already_stored, again.failed) == (0, SAVE_EVERY + 9, 1)
    store.close()


# ----------------------------------------------------------------------------- a failing store

def big_corpus(folder: Path, articles: int = 3000) -> Path:
    """About 3 MB of articles: more than the small disks below hold once stored and indexed."""
    filler = "The market of the district reopened later in the week, traders said. " * 12
    return write(folder / "corpus.jsonl", [article(n, filler=filler) for n in range(articles)])


def assert_stopped_with_one_line(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: sqlite:///") and "Traceback" not in result.stderr


def _file_size_limit(size: int):
    def limit() -> None:  # in the child: writing a file past ``size`` bytes fails (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def test_a_store_that_cannot_grow_stops_the_run_at_once_with_one_line(tmp_path):
    """The database file may not grow past 2 MB (as on a full disk): before, the worker pool
    waited for ever for the reader it had stopped, at 0% CPU and without a word."""
    corpus = big_corpus(tmp_path)
    result = run_cli("ingest", str(corpus), "--db", str(tmp_path / "events.db"), "--workers", "2",
                     timeout=90, preexec_fn=_file_size_limit(2_000_000))
    assert_stopped_with_one_line(result)
    assert "I/O error" in result.stderr or "full" in result.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB file system of its own (tmpfs), or a skip saying why there is none."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_stops_the_ingest_at_once_with_one_line(tmp_path, small_disk):
    corpus = big_corpus(tmp_path)
    result = run_cli("ingest", str(corpus), "--db", str(small_disk / "events.db"), "--workers", "2", timeout=90)
    assert_stopped_with_one_line(result)
    assert "database or disk is full" in result.stderr
