"""``make train``: the learned models of ``eventwatch.learned``, rebuilt from data.

Two linear models over hashed n-grams (``eventwatch.learned.features``):

- ``event``: does this sentence or snippet report an event ACLED would code?
  Yes from every coded event text of the learning sets' training parts and the
  project's own labelled examples; no from the project's hard negatives, the news
  sentences labelled statement / cooperation / verbal conflict, and the
  IndiaPoliceEvents sentences that report no police action.
- ``subtype``: which of ACLED's 25 sub-event types, from the texts whose sub-type
  the data says (the project's examples for every type, SATP, ISAF, Mass
  Mobilization by the mapping in ``training.datasets``).

Only the training parts are read (``training.datasets``); the validation parts
stay for ``make bench-real``.  Deterministic: the same data gives the same weights.
Needs scikit-learn (``pip install -e '.[train]'``); reading the weights needs numpy only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from eventwatch.learned.classifier import LinearModel
from eventwatch.learned.features import BUCKETS, features
from eventwatch.learned.models import WEIGHTS
from eventwatch.stages.sentences import split_sentences
from eventwatch.vocab import EVENT_TYPE_OF
from training import datasets

EXAMPLES = Path(__file__).parent / "examples"
# At most this many texts of one sub-type from one set: 8,400 protest notes would
# otherwise teach the sub-type model that every text is a protest.
PER_SET_AND_TYPE = 700
# Texts of this many characters or more also give their first sentence as an example:
# the reader asks the models about one sentence at a time.
LONG = 200


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _with_lead(text: str) -> list[str]:
    if len(text) < LONG:
        return [text]
    sentences = split_sentences(text)
    return [text, sentences[0].text] if sentences else [text]


def _ipe_sentences() -> list[tuple[str, int]]:
    """IndiaPoliceEvents sentences of the training documents: police killing, force or
    arrest -> yes; no police action at all -> no (every fourth, by position)."""
    out = []
    for i, record in enumerate(datasets.ipe_sentences("train")):
        labels = set(record.gold.labels)
        if labels & {"KILL", "FORCE", "ARREST"}:
            out.append((record.text, 1))
        elif not labels and i % 4 == 0:
            out.append((record.text, 0))
    return out


def collect() -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    """(text, is-event) and (text, sub-event type) training pairs."""
    events: list[tuple[str, int]] = []
    subtypes: list[tuple[str, str]] = []
    for row in _jsonl(EXAMPLES / "events.jsonl"):
        events.append((row["text"], 1))
        subtypes.append((row["text"], row["sub_event_type"]))
    events += [(row["text"], 0) for row in _jsonl(EXAMPLES / "negatives.jsonl")]
    for name in ("satp", "isaf", "cameo", "mm"):
        taken: Counter[str] = Counter()
        for record in datasets.load(name, "train"):
            gold = record.gold
            for text in _with_lead(record.text):
                events.append((text, int(gold.event)))
            sub = gold.sub_event_type
            if gold.event and sub and taken[sub] < PER_SET_AND_TYPE:
                taken[sub] += 1
                subtypes += [(text, sub) for text in _with_lead(record.text)]
    events += _ipe_sentences()
    return events, subtypes


def _matrix(texts: list[str]) -> sp.csr_matrix:
    columns: list[int] = []
    values: list[float] = []
    pointers = [0]
    for text in texts:
        c, v = features(text)
        columns += c
        values += v
        pointers.append(len(columns))
    return sp.csr_matrix((values, columns, pointers), shape=(len(texts), BUCKETS), dtype=np.float32)


def fit(texts: list[str], labels: list, classes: tuple[str, ...]) -> LinearModel:
    """Logistic regression, classes weighted to balance, on the hashed features."""
    x = _matrix(texts)
    model = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
    model.fit(x, labels)
    if len(classes) == 1:  # yes/no: one column of weights for "yes"
        return LinearModel.from_float(classes, model.coef_.T, model.intercept_)
    order = [list(model.classes_).index(c) for c in classes]
    return LinearModel.from_float(classes, model.coef_[order].T, model.intercept_[order])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=WEIGHTS, help="folder for event.npz and subtype.npz")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    events, subtypes = collect()
    print(f"event model: {len(events):,} texts ({sum(y for _, y in events):,} events)", file=sys.stderr)
    fit([t for t, _ in events], [y for _, y in events], ("event",)).save(args.out / "event.npz")
    counts = Counter(s for _, s in subtypes)
    classes = tuple(sub for sub in EVENT_TYPE_OF if counts[sub])
    print(f"sub-type model: {len(subtypes):,} texts, {len(classes)} sub-types", file=sys.stderr)
    fit([t for t, _ in subtypes], [s for _, s in subtypes], classes).save(args.out / "subtype.npz")
    print(f"weights written to {args.out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
