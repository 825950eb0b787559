"""Scoring system events against gold annotations (the ``eventwatch evaluate`` back end).

Typical use: ``card = score(load_gold(path), {article_id: [event_dict, ...]}, seconds=t)``,
then ``format_table(card)`` for people or ``card.to_dict()`` for ``--json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from .match import match_events, normalise_admin1
from .report import format_table
from .score import Scorecard, score

__all__ = ["Scorecard", "format_table", "load_gold", "match_events", "normalise_admin1", "score"]


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read a gold JSONL file (GOLD_FORMAT.md) into a list of article dicts.

    Blank lines are skipped.  Raises ``InputError`` naming the file and line
    when the file cannot be read, a line is not a JSON object, ``id`` or
    ``text`` is missing, ``events`` is missing or not a list, or an id repeats.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file {path}: {exc}; give a UTF-8 JSONL file") from exc
    articles: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            article = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{where}: not valid JSON ({exc.msg}); fix or remove the line"
            ) from exc
        if not isinstance(article, dict):
            raise InputError(f"{where}: expected a JSON object per line")
        for key in ("id", "text"):
            value = article.get(key)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"{where}: missing or empty {key!r}; every article needs one")
        if not isinstance(article.get("events"), list):
            raise InputError(
                f"{where}: 'events' must be a list (use [] for an article without events)"
            )
        if not all(isinstance(event, dict) for event in article["events"]):
            raise InputError(f"{where}: every item of 'events' must be a JSON object")
        if article["id"] in seen:
            raise InputError(
                f"{where}: id {article['id']!r} already used on line {seen[article['id']]}"
            )
        seen[article["id"]] = number
        articles.append(article)
    return articles
