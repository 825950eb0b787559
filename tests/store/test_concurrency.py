"""Two processes ingesting into one database at once lose nothing and duplicate nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from eventwatch.store import open_store
from eventwatch.store.api import EventFilter
from eventwatch.store.schema import MIGRATIONS

from .factory import make_article, make_event
from .writer import SHARED

ROOT = Path(__file__).resolve().parents[2]
COUNT = 150


def test_two_processes_write_one_database(store_url, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    workers = [
        subprocess.Popen([sys.executable, "-m", "tests.store.writer", store_url, str(w), str(COUNT), str(go)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in (1, 2)
    ]
    go.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err[-3000:]

    store = open_store(store_url)
    try:
        ids = [f"{w * 1000 + i}" for w in (1, 2) for i in range(COUNT)]
        articles = [make_article(int(n), source=f"Outlet {n[0]}") for n in ids]
        assert all(store.has_article(a.id) for a in articles)
        signatures = list(store.signatures())
        assert len(signatures) == len({a for a, _ in signatures}) == 2 * COUNT + 1
        shared = make_article(SHARED, place="Kharkiv")
        assert store.get_article(shared.id) == shared
        # every report is its own corpus event: one each, the shared article's once
        assert store.count_events(EventFilter()) == 4 * COUNT + 1
        assert store.unclustered_reports() == []
        shared_event = store.get_event("k-" + make_event(shared, 0, place="Kharkiv").event_id)
        assert shared_event.article_ids == [shared.id] and len(shared_event.report_ids) == 1
        assert store.count_events(EventFilter(q="Kharkiv")) == 1
        assert len(store.failures()) == 2 * len(range(0, COUNT, 10))
        assert store.applied_migrations() == [m.name for m in MIGRATIONS]
    finally:
        store.close()
