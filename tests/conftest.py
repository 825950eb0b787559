"""Shared fixtures: one pipeline over the real embedded gazetteer (built once, cached)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwatch.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
OWN = ROOT / "tests" / "data" / "articles.jsonl"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_articles() -> list[dict]:
    if not DEV.exists():
        pytest.skip(f"development set not found at {DEV}")
    return load_jsonl(DEV)
