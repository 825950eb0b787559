"""Quality is a test: the scorecards may not fall below the pinned floors.

Two gold sets are gated: the shared development set, and the project's own
hand-coded articles (tests/data/articles.jsonl), written independently so the
rules stay general.  The floors in eval_baseline.json are what the project
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
