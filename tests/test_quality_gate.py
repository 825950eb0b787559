"""Quality is a test: the scorecards may not fall below the pinned floors.

Two gold sets are gated: the shared development set, and the project's own
hand-coded articles (tests/data/articles.jsonl), written independently so the
rules stay general.  The real learning sets of ../shared/data are gated too,
on their validation parts (training/datasets.py; the "realworld" key, scored as
benchmarks/realworld.py scores them).  The floors in eval_baseline.json are what the project
reaches today; raise them when a scorecard improves, never lower them to make
a change pass.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eventwatch.evaluate import score
from eventwatch.model import Article

from .conftest import ROOT, load_jsonl

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())["sets"]
CASES = [(name, metric) for name, spec in BASELINE.items() for metric in spec["floors"]]


@pytest.fixture(scope="module")
def cards(pipeline):
    out = {}
    for name, spec in BASELINE.items():
        path = ROOT / spec["gold"]
        if not path.exists():
            continue
        gold = load_jsonl(path)
        predicted = {}
        for item in gold:
            published = date.fromisoformat(item["published"]) if item["published"] else None
            article = Article(text=item["text"], id=item["id"], published=published)
            predicted[item["id"]] = [e.to_dict() for e in pipeline.extract_article(article)]
        out[name] = score(gold, predicted).to_dict()
    return out


@pytest.mark.parametrize(("gold_set", "metric"), CASES)
def test_metric_holds_its_floor(cards, gold_set, metric):
    if gold_set not in cards:
        pytest.skip(f"gold set {BASELINE[gold_set]['gold']} not present")
    card, floor = cards[gold_set], BASELINE[gold_set]["floors"][metric]
    if metric.endswith("_max"):
        assert card[metric.removesuffix("_max")] <= floor
    else:
        value = card["detection"]["f1"] if metric == "detection_f1" else card[metric]
        assert value >= floor - 1e-9, f"{gold_set}: {metric} fell to {value}"


# The real learning sets (training/datasets.py): the validation part of each, or
# ``limit`` records taken evenly across it, scored as benchmarks/realworld.py does.
REALWORLD = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())["realworld"]
REAL_CASES = [(row, metric) for row, floors in REALWORLD["floors"].items() for metric in floors]


@pytest.fixture(scope="module")
def real_cards(pipeline):
    from training.datasets import SETS, DataMissing, load
    from training.realworld import SUBSETS, extract_all, score_records, spread

    out = {}
    for set_name in SETS:
        try:
            records = spread(load(set_name, "validation"), REALWORLD["limit"])
        except DataMissing:
            continue
        events, failures = extract_all(records, pipeline=pipeline)
        assert not failures, failures[:3]
        out[set_name] = score_records(set_name, records, events)
        for row, base, keep in SUBSETS:
            if base == set_name:
                picked = [(r, e) for r, e in zip(records, events, strict=True) if keep(r)]
                out[row] = score_records(set_name, [r for r, _ in picked], [e for _, e in picked])
    return out


@pytest.mark.parametrize(("row", "metric"), REAL_CASES)
def test_real_validation_metric_holds_its_floor(real_cards, row, metric):
    if row not in real_cards:
        pytest.skip("the learning sets of ../shared/data are not present")
    card, floor = real_cards[row], REALWORLD["floors"][row][metric]
    if metric.endswith("_max"):
        assert card[metric.removesuffix("_max")] <= floor, f"{row}: {metric} rose to {card[metric.removesuffix('_max')]}"
    else:
        assert card[metric].value >= floor - 1e-9, f"{row}: {metric} fell to {card[metric].value}"
