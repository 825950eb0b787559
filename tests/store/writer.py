"""One of two processes writing into one store at once (see test_concurrency.py).

    python -m tests.store.writer URL WORKER COUNT GO_FILE
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from eventwatch.store import open_store
from eventwatch.store.api import CorpusEvent

from .factory import make_article, make_event

SHARED = 9999  # the article both processes ingest


def main(url: str, worker: int, count: int, go: Path) -> None:
    deadline = time.monotonic() + 60
    while not go.exists():  # start together, so that even the migrations race
        if time.monotonic() > deadline:
            raise SystemExit("the go file never appeared")
        time.sleep(0.005)
    store = open_store(url)
    shared = make_article(SHARED, place="Kharkiv")
    try:
        for i in range(count):
            article = make_article(worker * 1000 + i, source=f"Outlet {worker}")
            reports = [make_event(article, 0), make_event(article, 1, place="Marhanets")]
            for candidate, events in ((article, reports), (shared, [make_event(shared, 0, place="Kharkiv")])):
                store.save_article(candidate, events, signature=candidate.id.encode())
                store.set_clusters({e.event_id: "k-" + e.event_id for e in events},
                                   [CorpusEvent(replace(e, event_id="k-" + e.event_id), [candidate.id], [e.event_id])
                                    for e in events])
            if i % 10 == 0:
                store.record_failure(f"worker-{worker}/{i}", "read", "InputError: empty file")
    finally:
        store.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
