"""Check the project's labelled examples: counts, names, duplicates, overlaps.

Run from the repository root:

    .venv/bin/python training/examples/check.py

It prints the number of examples per sub-event type, per style and per
negative kind, and exits with status 1 after listing every problem found
(invalid JSON, a name outside eventwatch.vocab, a sub-event type with fewer
than MIN_PER_SUB_TYPE examples, a duplicated text, a text shared between
the negatives and the no-event test set).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from eventwatch.vocab import EVENT_TYPE_OF

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES_DIR = ROOT / "training" / "examples"
EVENTS = EXAMPLES_DIR / "events.jsonl"
NEGATIVES = EXAMPLES_DIR / "negatives.jsonl"
NO_EVENT_TEST_SET = ROOT / "tests" / "data" / "no_event_texts.jsonl"

MIN_PER_SUB_TYPE = 50
STYLES = frozenset({"wire", "local", "press_release", "summary", "lowercase_note",
                    "headline", "long", "snippet"})
EVENT_FIELDS = frozenset({"text", "event_type", "sub_event_type", "style", "fatalities"})
NEGATIVE_FIELDS = frozenset({"text", "kind"})


@dataclass
class Report:
    """What the check found: counts to print and problems that fail it."""

    sub_types: Counter = field(default_factory=Counter)
    styles: Counter = field(default_factory=Counter)
    negative_kinds: Counter = field(default_factory=Counter)
    test_kinds: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """The form two texts are compared in: lower case, single spaces, no end punctuation."""
    return re.sub(r"\s+", " ", text.lower()).strip(" .!?")


def read_jsonl(path: Path, report: Report) -> list[dict]:
    """Every object of a JSON-lines file; a bad line becomes a problem, not an exception."""
    records = []
    if not path.exists():
        report.problems.append(f"{path}: missing")
        return records
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            report.problems.append(f"{path.name}:{number}: not JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            report.problems.append(f"{path.name}:{number}: not a JSON object")
            continue
        record["_where"] = f"{path.name}:{number}"
        records.append(record)
    return records


def check_event(record: dict, report: Report) -> None:
    """One labelled example: its fields, its names in the vocabulary, its style and toll."""
    where = record["_where"]
    keys = set(record) - {"_where"}
    if keys != EVENT_FIELDS:
        report.problems.append(f"{where}: fields {sorted(keys)}, expected {sorted(EVENT_FIELDS)}")
        return
    if not all(isinstance(record[key], str) for key in ("text", "event_type", "sub_event_type", "style")):
        report.problems.append(f"{where}: text, event_type, sub_event_type and style must be strings")
        return
    sub = record["sub_event_type"]
    if sub not in EVENT_TYPE_OF:
        report.problems.append(f"{where}: sub_event_type {sub!r} is not in eventwatch.vocab")
    elif EVENT_TYPE_OF[sub] != record["event_type"]:
        report.problems.append(f"{where}: {sub!r} belongs to {EVENT_TYPE_OF[sub]!r}, "
                               f"not {record['event_type']!r}")
    if record["style"] not in STYLES:
        report.problems.append(f"{where}: style {record['style']!r} is not one of {sorted(STYLES)}")
    if record["style"] == "lowercase_note" and record["text"] != record["text"].lower():
        report.problems.append(f"{where}: a lowercase_note has capitals")
    fatalities = record["fatalities"]
    if fatalities is not None and (type(fatalities) is not int or fatalities < 0):
        report.problems.append(f"{where}: fatalities must be a whole number >= 0 or null")
    report.sub_types[sub] += 1
    report.styles[record["style"]] += 1


def check_negative(record: dict, report: Report, counter: Counter) -> None:
    """One no-event text: a text and a kind, nothing else."""
    keys = set(record) - {"_where"}
    if keys != NEGATIVE_FIELDS:
        report.problems.append(f"{record['_where']}: fields {sorted(keys)}, "
                               f"expected {sorted(NEGATIVE_FIELDS)}")
        return
    kind = record["kind"]
    if not isinstance(kind, str) or not kind.strip():
        report.problems.append(f"{record['_where']}: kind must be a non-empty string")
        return
    counter[kind] += 1


def check_texts(records: list[dict], report: Report) -> None:
    """Every record has a non-empty text and no text appears twice."""
    seen: dict[str, str] = {}
    for record in records:
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            report.problems.append(f"{record['_where']}: empty or missing text")
            continue
        key = normalise(text)
        if key in seen:
            report.problems.append(f"{record['_where']}: same text as {seen[key]}")
        else:
            seen[key] = record["_where"]


def check_all(events_path: Path = EVENTS, negatives_path: Path = NEGATIVES,
              test_set_path: Path = NO_EVENT_TEST_SET) -> Report:
    """Read the three files and check them together (the project's files by default)."""
    report = Report()
    events = read_jsonl(events_path, report)
    negatives = read_jsonl(negatives_path, report)
    test_set = read_jsonl(test_set_path, report)
    for record in events:
        check_event(record, report)
    for record in negatives:
        check_negative(record, report, report.negative_kinds)
    for record in test_set:
        check_negative(record, report, report.test_kinds)
    # One pass over all three files: a text may be neither repeated within a
    # file nor shared between files (the test set must stay unseen in training).
    check_texts(events + negatives + test_set, report)
    for sub in EVENT_TYPE_OF:
        if report.sub_types[sub] < MIN_PER_SUB_TYPE:
            report.problems.append(f"{sub}: {report.sub_types[sub]} examples, "
                                   f"fewer than {MIN_PER_SUB_TYPE}")
    return report


def print_counts(title: str, counts: Counter) -> None:
    print(f"{title} ({sum(counts.values())})")
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:5d}  {name}")


def main() -> int:
    report = check_all()
    print_counts("events by sub-event type", report.sub_types)
    print_counts("events by style", report.styles)
    print_counts("negatives by kind", report.negative_kinds)
    print_counts("no-event test set by kind", report.test_kinds)
    for problem in report.problems:
        print("problem:", problem)
    print(f"{len(report.problems)} problem(s)")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
