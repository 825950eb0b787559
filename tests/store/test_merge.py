"""The corpus merge keeps every incident whatever the ingests a corpus arrives in: split into
successive runs, killed and run again, or two runs at once, it ends as one uninterrupted run."""

from __future__ import annotations

import itertools
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwatch.ingest import ingest
from eventwatch.readers import read_many
from eventwatch.store import open_store

from .news import KINDS, OUTLETS, PLACES, Report, exported, write_jsonl


def _ingest(url, *paths) -> str:
    store = open_store(url)
    try:
        for path in paths:
            ingest(read_many([path]), store, workers=1)
        return exported(store)
    finally:
        store.close()


def test_a_later_ingest_does_not_cut_an_older_incident(store_url, tmp_path):
    # Nikopol shelled on days 0 and 1, reported by two outlets: one incident.  A later
    # shelling on day 3 brings the merge back within days of day 1, not of day 0.
    first = [Report("shelling", "Nikopol", 0, 2, 0), Report("shelling", "Nikopol", 1, 2, 1)]
    later = [Report("shelling", "Nikopol", 3, 4, 2)]
    whole = write_jsonl(tmp_path / "whole.jsonl", first + later)
    part_one = write_jsonl(tmp_path / "one.jsonl", first)
    part_two = write_jsonl(tmp_path / "two.jsonl", later, first=len(first))
    split = _ingest(store_url, part_one, part_two)
    assert split == _ingest(str(tmp_path / "clean.db"), whole)
    assert len(split.splitlines()) == 2


reports = st.builds(Report, kind=st.sampled_from(sorted(KINDS)), place=st.sampled_from(PLACES[:4]),
                    day=st.integers(0, 6), toll=st.integers(1, 4), outlet=st.integers(0, len(OUTLETS) - 1))


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(corpus=st.lists(reports, min_size=2, max_size=14), cuts=st.lists(st.integers(1, 13), max_size=3))
def test_any_split_into_successive_ingests_ends_as_one_ingest(corpus, cuts):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        bounds = [0, *sorted({c for c in cuts if c < len(corpus)}), len(corpus)]
        parts = [write_jsonl(folder / f"part{i}.jsonl", corpus[lo:hi], first=lo)
                 for i, (lo, hi) in enumerate(itertools.pairwise(bounds))]
        whole = _ingest(folder / "whole.db", write_jsonl(folder / "whole.jsonl", corpus))
        assert _ingest(folder / "split.db", *parts) == whole
        store = open_store(folder / "split.db")
        assert store.check() == []
        store.close()


def _random_corpus(seed: int, n: int) -> list[Report]:
    rng = random.Random(seed)
    return [Report(rng.choice(sorted(KINDS)), rng.choice(PLACES), rng.randrange(21), rng.randint(1, 6),
                   rng.randrange(len(OUTLETS))) for _ in range(n)]


def _run_ingest(corpus: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).parent / "eventwatch"), "ingest", str(corpus), "--db", url,
                             "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _finished(run: subprocess.Popen) -> None:
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err[-2000:]


def _merged_reports(db: Path) -> int:
    """How many reports a merge has committed to events in the SQLite file ``db`` (read-only, no waiting)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0) as conn:
            return conn.execute("SELECT count(*) FROM reports WHERE cluster_id IS NOT NULL").fetchone()[0]
    except sqlite3.Error:   # being written
        return -1


def test_killed_at_any_moment_and_run_again_ends_as_one_ingest(tmp_path):
    reports = _random_corpus(11, 240)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", reports)
    earlier = write_jsonl(tmp_path / "earlier.jsonl", reports[:180])   # what the store held before the run
    clean = _ingest(tmp_path / "clean.db", corpus)
    _ingest(tmp_path / "timed.db", earlier)
    started = time.monotonic()
    _finished(_run_ingest(corpus, str(tmp_path / "timed.db")))
    whole_run = time.monotonic() - started
    rng = random.Random(3)
    # kill points: random moments of the run, and the first commit of its merge (mid-merge)
    for trial, moment in enumerate([rng.uniform(0.2, 1.0) * whole_run for _ in range(3)] + [None, None]):
        db = tmp_path / f"killed{trial}.db"
        _ingest(db, earlier)
        before = _merged_reports(db)
        run = _run_ingest(corpus, str(db))
        deadline = time.monotonic() + (whole_run * 3 if moment is None else moment)
        while run.poll() is None and time.monotonic() < deadline and not (moment is None and _merged_reports(db) > before):
            time.sleep(0.002)
        run.send_signal(signal.SIGKILL)
        run.wait()
        _finished(_run_ingest(corpus, str(db)))
        assert _ingest(db) == clean, f"trial {trial}: killed at {moment or 'the first merge commit'}"


def test_two_ingests_at_once_end_as_one(store_url, tmp_path):
    reports = _random_corpus(7, 200)
    forward = write_jsonl(tmp_path / "forward.jsonl", reports)
    backward = tmp_path / "backward.jsonl"   # the same articles, arriving in the other order
    backward.write_text("".join(reversed(forward.read_text(encoding="utf-8").splitlines(keepends=True))),
                        encoding="utf-8")
    runs = [_run_ingest(path, store_url) for path in (forward, backward)]
    for run in runs:
        _finished(run)
    assert _ingest(store_url) == _ingest(tmp_path / "clean.db", forward)
    store = open_store(store_url)
    assert store.check() == []
    store.close()


def test_check_names_what_is_wrong_and_repair_rebuilds_it(store_url, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", _random_corpus(5, 30))
    clean = _ingest(store_url, corpus)
    store = open_store(store_url)
    assert store.check() == []
    store.close()
    with open_store(store_url) as store, store._tx() as tx:
        gone = tx.execute("SELECT event_id FROM events ORDER BY event_id LIMIT 1").one()["event_id"]
        tx.execute("DELETE FROM event_articles WHERE event_id = ?", [gone])
        tx.execute("DELETE FROM events WHERE event_id = ?", [gone])
        tx.execute("UPDATE reports SET cluster_id = 'nowhere' WHERE report_id = "
                   "(SELECT max(report_id) FROM reports WHERE cluster_id <> ?)", [gone])
    # the moved report's event is left without reports, and its link names it still
    problems = open_store(store_url).check()
    assert len(problems) == 3 and all("\n" not in p for p in problems)
    assert f"-> {gone}" in problems[0] and "-> nowhere" in problems[0] and "does not exist" in problems[0]
    assert "have no report" in problems[1] and "listed under the wrong event" in problems[2]

    checked = _cli("check", "--db", store_url)
    assert checked.returncode == 1 and checked.stdout.count("problem: ") == 3
    repaired = _cli("check", "--db", store_url, "--repair")
    assert repaired.returncode == 0 and repaired.stdout.startswith("ok: "), repaired.stderr
    assert _ingest(store_url) == clean


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "eventwatch"), *args], capture_output=True, text=True,
                          timeout=120)
