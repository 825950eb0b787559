"""The corpus merge keeps every incident whatever the ingests a corpus arrives in: split into
successive runs, killed and run again, or two runs at once, it ends as one uninterrupted run."""

from __future__ import annotations

from eventwatch.ingest import ingest
from eventwatch.readers import read_many
from eventwatch.store import open_store

from .news import Report, exported, write_jsonl


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
