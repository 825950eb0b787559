"""The project's labelled examples and no-event texts (training/examples, tests/data)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from eventwatch.vocab import EVENT_TYPE_OF
from training.examples import check

EVENTS = [json.loads(line) for line in check.EVENTS.read_text(encoding="utf-8").splitlines()]
NEGATIVES = [json.loads(line) for line in check.NEGATIVES.read_text(encoding="utf-8").splitlines()]
NO_EVENT = [json.loads(line)
            for line in check.NO_EVENT_TEST_SET.read_text(encoding="utf-8").splitlines()]


def test_the_examples_pass_the_checker():
    assert check.check_all().problems == []


@pytest.mark.parametrize("sub_event_type", sorted(EVENT_TYPE_OF))
def test_every_sub_event_type_has_at_least_fifty_examples(sub_event_type):
    count = sum(record["sub_event_type"] == sub_event_type for record in EVENTS)
    assert count >= check.MIN_PER_SUB_TYPE


def test_sizes_promised_in_the_readme():
    assert len(EVENTS) >= 1400
    assert len(NEGATIVES) >= 600
    assert len(NO_EVENT) >= 150


def test_names_are_the_vocabulary_names():
    for record in EVENTS:
        assert EVENT_TYPE_OF[record["sub_event_type"]] == record["event_type"], record["text"]
        assert record["style"] in check.STYLES


def test_no_text_is_repeated_and_the_test_set_is_unseen():
    texts = [check.normalise(r["text"]) for r in EVENTS + NEGATIVES + NO_EVENT]
    repeated = [text for text, n in Counter(texts).items() if n > 1]
    assert repeated == []
    negatives = {check.normalise(r["text"]) for r in NEGATIVES}
    assert negatives.isdisjoint(check.normalise(r["text"]) for r in NO_EVENT)


def test_lowercase_notes_are_lower_case_and_tolls_are_counts():
    for record in EVENTS:
        if record["style"] == "lowercase_note":
            assert record["text"] == record["text"].lower()
        assert record["fatalities"] is None or (
            type(record["fatalities"]) is int and record["fatalities"] >= 0)


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_checker_reports_bad_names_duplicates_and_overlap(tmp_path):
    events = _write(tmp_path / "events.jsonl", [
        {"text": "Troops shelled the town.", "event_type": "Battles",
         "sub_event_type": "Shelling/artillery/missile attack", "style": "wire", "fatalities": None},
        {"text": "Rebels took the town.", "event_type": "Battles",
         "sub_event_type": "Rebel capture", "style": "wire", "fatalities": 2},
        {"text": "troops shelled the town", "event_type": "Explosions/Remote violence",
         "sub_event_type": "Shelling/artillery/missile attack", "style": "Wire", "fatalities": -1},
        {"text": "Police fired tear gas.", "event_type": "Protests",
         "sub_event_type": ["Protest with intervention"], "style": "wire", "fatalities": 0},
    ])
    negatives = _write(tmp_path / "negatives.jsonl", [{"text": "The striker shot.", "kind": "sports"}])
    test_set = _write(tmp_path / "test.jsonl", [{"text": "The striker shot!", "kind": "sports"},
                                                {"text": "Beat the eggs.", "kind": ""}])
    with (tmp_path / "test.jsonl").open("a", encoding="utf-8") as f:
        f.write("{not json\n")
    problems = "\n".join(check.check_all(events, negatives, test_set).problems)
    assert "belongs to 'Explosions/Remote violence', not 'Battles'" in problems
    assert "'Rebel capture' is not in eventwatch.vocab" in problems
    assert "events.jsonl:3: same text as events.jsonl:1" in problems
    assert "style 'Wire'" in problems
    assert "events.jsonl:3: fatalities" in problems
    assert "events.jsonl:4: text, event_type, sub_event_type and style must be strings" in problems
    assert "test.jsonl:1: same text as negatives.jsonl:1" in problems
    assert "test.jsonl:2: kind must be a non-empty string" in problems
    assert "test.jsonl:3: not JSON" in problems
    assert "Armed clash: 0 examples, fewer than 50" in problems
