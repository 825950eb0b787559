"""Corpus ingest end to end: idempotent, crash-safe, merging reports of one incident."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from eventwatch.ingest import ingest
from eventwatch.model import Article
from eventwatch.readers import read_many
from eventwatch.store import open_store
from eventwatch.store.api import EventFilter

# Three outlets report one shelling of Nikopol; a fourth article reports another incident.
REPORTS = [
    ("Dnipro Daily", "2024-07-16",
     "NIKOPOL, Ukraine — Russian artillery shelled Nikopol on Monday, killing two men and wounding three "
     "people, the regional governor said.\n\nThe shells hit a market street in the city centre."),
    ("Steppe Wire", "2024-07-16",
     "Two people were killed and three wounded when Russian forces shelled the city of Nikopol on Monday, "
     "officials in Ukraine's Dnipropetrovsk region said on Tuesday."),
    ("Kyiv Courier", "2024-07-16",
     "Russian shelling of Nikopol on Monday killed four people, a local council member said, a higher "
     "figure than the governor's.\n\nThe city lies across the reservoir from occupied Enerhodar."),
    ("Dnipro Daily", "2024-07-16",
     "A Russian drone struck a car in Marhanets on Sunday, injuring the driver, the governor said."),
]


def write_corpus(folder: Path, copies: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for n in range(copies):
        for i, (source, published, text) in enumerate(REPORTS):
            suffix = f"\n\nUpdate {n}." if n else ""
            lines.append(json.dumps({"id": f"a{n}-{i}", "source": source, "published": published, "text": text + suffix}))
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(store) -> list[tuple]:
    return sorted(
        (e.event.event_date, e.event.location, e.event.fatalities, e.event.source, tuple(e.article_ids))
        for e in store.query_events(EventFilter())
    )


def test_reports_of_one_incident_merge_with_the_conservative_toll(tmp_path):
    store = open_store(tmp_path / "events.db")
    report = ingest(read_many([write_corpus(tmp_path / "in")]), store, workers=1)
    assert (report.read, report.stored, report.failed) == (4, 4, 0)
    events = list(store.query_events(EventFilter()))
    nikopol = [e for e in events if e.event.location == "Nikopol"]
    assert len(nikopol) == 1
    assert nikopol[0].event.fatalities == 2  # 2, 2 and 4 reported: the most conservative
    assert set(nikopol[0].event.source.split(";")) == {"Dnipro Daily", "Steppe Wire", "Kyiv Courier"}
    assert [e.event.location for e in events if e.event.location != "Nikopol"] == ["Marhanets"]
    store.close()


def test_ingesting_twice_changes_nothing(tmp_path):
    corpus = write_corpus(tmp_path / "in")
    store = open_store(tmp_path / "events.db")
    ingest(read_many([corpus]), store, workers=1)
    first = snapshot(store)
    again = ingest(read_many([corpus]), store, workers=1)
    assert (again.stored, again.already_stored) == (0, 4)
    assert snapshot(store) == first
    store.close()


def test_order_of_arrival_does_not_matter(tmp_path):
    corpus = write_corpus(tmp_path / "in")
    lines = corpus.read_text().splitlines()
    reversed_corpus = tmp_path / "rev" / "corpus.jsonl"
    reversed_corpus.parent.mkdir()
    reversed_corpus.write_text("\n".join(reversed(lines)) + "\n")
    a, b = open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db")
    ingest(read_many([corpus]), a, workers=1)
    ingest(read_many([reversed_corpus]), b, workers=1)
    assert snapshot(a) == snapshot(b)


def test_all_cores_give_the_same_result_as_one(tmp_path):
    corpus = write_corpus(tmp_path / "in", copies=3)
    one, many = open_store(tmp_path / "one.db"), open_store(tmp_path / "many.db")
    ingest(read_many([corpus]), one, workers=1)
    ingest(read_many([corpus]), many, workers=2)
    assert snapshot(one) == snapshot(many)


def test_a_bad_input_is_recorded_and_the_rest_goes_on(tmp_path):
    folder = tmp_path / "in"
    write_corpus(folder)
    (folder / "broken.jsonl").write_text('{"id": "x", "text": \n', encoding="utf-8")
    store = open_store(tmp_path / "events.db")
    report = ingest(read_many([folder]), store, workers=1)
    assert report.failed == 1 and report.stored == 4
    assert [f["stage"] for f in store.failures()] == ["read"]


def test_killed_mid_ingest_then_run_again_leaves_no_partial_rows_and_no_duplicates(tmp_path):
    corpus = write_corpus(tmp_path / "in", copies=40)  # 160 articles
    db = tmp_path / "killed.db"
    script = Path(sys.executable).parent / "eventwatch"
    env = {**os.environ, "EVENTWATCH_DB": str(db)}
    proc = subprocess.Popen([str(script), "ingest", str(corpus), "--workers", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until some articles are stored, then kill without warning
        if db.exists():
            try:
                probe = open_store(db)
                stored = sum(1 for _ in probe.signatures())
                probe.close()
            except Exception:
                stored = 0
            if stored >= 20:
                break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run([str(script), "ingest", str(corpus), "--workers", "1"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    resumed = open_store(db)
    clean = open_store(tmp_path / "clean.db")
    ingest(read_many([corpus]), clean, workers=1)
    assert sorted(a for a, _ in resumed.signatures()) == sorted(a for a, _ in clean.signatures())
    assert snapshot(resumed) == snapshot(clean)
    assert resumed.unclustered_reports() == []


def test_key_groups_join_the_dates_reports_may_link_across():
    from datetime import date, timedelta

    from eventwatch.ingest import key_groups

    day = date(2024, 3, 1)
    keys = [("UA", day), ("UA", day + timedelta(days=1)), ("UA", day + timedelta(days=3)), ("SY", day),
            ("UA", None), ("UA", None), (None, day), (None, None)]
    assert key_groups(keys) == [
        [("SY", day)], [("UA", day), ("UA", day + timedelta(days=1))], [("UA", day + timedelta(days=3))],
        [("UA", None)], [(None, day)], [(None, None)]]


def test_merging_dated_reports_leaves_the_undated_events_of_their_country_alone(tmp_path):
    from datetime import date

    from eventwatch.ingest import merge_pending
    from tests.corpus.factory import report

    store = open_store(tmp_path / "events.db")
    undated, dated = report("art-undated", day=None), report("art-dated", day=date(2024, 3, 4))
    for r in (undated, dated):
        store.save_article(Article(text=f"Text of {r.article_id}.", id=r.article_id), [r])
    merge_pending(store)

    def written(event_id):
        with store._tx(write=False) as tx:
            return tx.execute("SELECT updated_at FROM events WHERE event_id = ?", [event_id]).one()["updated_at"]

    before = written(undated.event_id)
    time.sleep(1.1)   # updated_at counts seconds
    later = report("art-later", day=date(2024, 3, 5), place=("Oleshky", 46.62553, 32.72426))
    store.save_article(Article(text="Text of art-later.", id="art-later"), [later])
    assert merge_pending(store) >= 1
    assert written(undated.event_id) == before
    assert not store.unclustered_reports() and store.count_events(EventFilter()) == 2  # the later report merged
    store.close()
