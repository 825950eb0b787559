"""The scorecard: detection and field accuracy of system events against gold.

Counting rules (GOLD_FORMAT.md, "How a system's output is scored"):

* detection -- a matched pair is a true positive, an unmatched gold event a
  miss (fn), an unmatched system event a false alarm (fp);
* every field metric is measured on matched pairs only;
* actor types: when the gold event is a Battle, {actor1_type, actor2_type} is
  compared as an unordered pair and the verdict counts for both actor metrics;
  otherwise each is compared with its own counterpart (null == null is right);
* fatalities_exact: strict equality; fatalities_mae: mean |gold - system| over
  pairs whose gold figure is known, a missing system figure counting as 0;
* injuries and child_fatalities: null and 0 are equal;
* location_within_25km: scored where the gold event has coordinates; missing
  system coordinates are wrong;
* admin1_accuracy: names compared through ``normalise_admin1`` (both null is right);
* civilian_targeting / ceasefire_violation: truth values (null reads as false).

Fractions are rounded to 4 places and are null when nothing was scored.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .match import (
    coordinates,
    haversine_km,
    match_events,
    normalise_admin1,
    parse_date,
)

LOCATION_KM = 25.0
DIGITS = 4


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, DIGITS) if den else None


@dataclass
class Tally:
    """Right answers out of scored cases for one field."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(bool(ok))

    @property
    def rate(self) -> float | None:
        return _ratio(self.correct, self.total)


@dataclass
class Detection:
    """Event detection counts: tp = matched, fp = false alarms, fn = misses."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        # 2PR/(P+R) written on counts: also defined (as 0) when P or R is undefined.
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, float | None]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class ArticleResult:
    """How one article fared; ``pairs`` holds (gold index, system index)."""

    id: str
    gold: int
    system: int
    pairs: list[tuple[int, int]] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def misses(self) -> int:
        return self.gold - self.matched

    @property
    def false_alarms(self) -> int:
        return self.system - self.matched

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "gold": self.gold,
            "system": self.system,
            "matched": self.matched,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
        }


# Scorecard attribute -> key in the JSON object, in GOLD_FORMAT.md order.
FIELD_KEYS: tuple[tuple[str, str], ...] = (
    ("event_type", "event_type_accuracy"),
    ("sub_event_type", "sub_event_type_accuracy"),
    ("actor1_type", "actor1_type_accuracy"),
    ("actor2_type", "actor2_type_accuracy"),
    ("fatalities", "fatalities_exact"),
    ("injuries", "injuries_exact"),
    ("child_fatalities", "child_fatalities_exact"),
    ("event_date", "event_date_exact"),
    ("location", "location_within_25km"),
    ("admin1", "admin1_accuracy"),
    ("civilian_targeting", "civilian_targeting_accuracy"),
    ("ceasefire_violation", "ceasefire_violation_accuracy"),
)


@dataclass
class Scorecard:
    """All counters of one evaluation run; ``to_dict()`` gives the JSON scorecard."""

    articles: int = 0
    gold_events: int = 0
    system_events: int = 0
    detection: Detection = field(default_factory=Detection)
    event_type: Tally = field(default_factory=Tally)
    sub_event_type: Tally = field(default_factory=Tally)
    actor1_type: Tally = field(default_factory=Tally)
    actor2_type: Tally = field(default_factory=Tally)
    fatalities: Tally = field(default_factory=Tally)
    fatalities_abs_error: float = 0.0
    fatalities_scored: int = 0
    injuries: Tally = field(default_factory=Tally)
    child_fatalities: Tally = field(default_factory=Tally)
    event_date: Tally = field(default_factory=Tally)
    location: Tally = field(default_factory=Tally)
    admin1: Tally = field(default_factory=Tally)
    civilian_targeting: Tally = field(default_factory=Tally)
    ceasefire_violation: Tally = field(default_factory=Tally)
    false_alarms_in_no_event_articles: int = 0
    seconds: float = 0.0
    per_article: list[ArticleResult] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return self.detection.tp

    @property
    def fatalities_mae(self) -> float | None:
        return _ratio(self.fatalities_abs_error, self.fatalities_scored)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """The scorecard as one JSON-ready object (``per_article`` only with ``detail``)."""
        out: dict[str, Any] = {
            "articles": self.articles,
            "gold_events": self.gold_events,
            "system_events": self.system_events,
            "matched": self.matched,
            "detection": self.detection.to_dict(),
        }
        for attr, key in FIELD_KEYS:
            out[key] = getattr(self, attr).rate
            if attr == "fatalities":
                out["fatalities_mae"] = self.fatalities_mae
        out["false_alarms_in_no_event_articles"] = self.false_alarms_in_no_event_articles
        out["seconds"] = round(float(self.seconds), 3)
        if detail:
            out["per_article"] = [a.to_dict() for a in self.per_article]
        return out


# ---------------------------------------------------------------- comparisons


def _label(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def _count(value: Any) -> int | None:
    """An integer count from an int/float/numeric string; None when absent or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) else None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in {"true", "yes", "1"}
    return bool(value)


def _actor_types_ok(gold: Mapping[str, Any], system: Mapping[str, Any]) -> tuple[bool, bool]:
    g1, g2 = _label(gold.get("actor1_type")), _label(gold.get("actor2_type"))
    s1, s2 = _label(system.get("actor1_type")), _label(system.get("actor2_type"))
    if _label(gold.get("event_type")) == "battles":
        same = Counter([g1, g2]) == Counter([s1, s2])
        return same, same
    return g1 == s1, g2 == s2


def _score_pair(card: Scorecard, gold: Mapping[str, Any], system: Mapping[str, Any]) -> None:
    card.event_type.add(_label(gold.get("event_type")) == _label(system.get("event_type")))
    card.sub_event_type.add(
        _label(gold.get("sub_event_type")) == _label(system.get("sub_event_type"))
    )
    a1, a2 = _actor_types_ok(gold, system)
    card.actor1_type.add(a1)
    card.actor2_type.add(a2)

    gf, sf = _count(gold.get("fatalities")), _count(system.get("fatalities"))
    card.fatalities.add(gf == sf)
    if gf is not None:
        card.fatalities_abs_error += abs(gf - (sf or 0))
        card.fatalities_scored += 1
    for name in ("injuries", "child_fatalities"):
        g, s = _count(gold.get(name)), _count(system.get(name))
        getattr(card, name).add((g or 0) == (s or 0))

    card.event_date.add(parse_date(gold.get("event_date")) == parse_date(system.get("event_date")))
    g_at, s_at = coordinates(gold), coordinates(system)
    if g_at is not None:
        card.location.add(s_at is not None and haversine_km(g_at, s_at) <= LOCATION_KM)
    card.admin1.add(normalise_admin1(gold.get("admin1")) == normalise_admin1(system.get("admin1")))
    for name in ("civilian_targeting", "ceasefire_violation"):
        getattr(card, name).add(_flag(gold.get(name)) == _flag(system.get(name)))


def _as_mapping(event: Any) -> Mapping[str, Any]:
    if isinstance(event, Mapping):
        return event
    to_dict = getattr(event, "to_dict", None)  # e.g. eventwatch.model.Event
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"an event must be a dict, not {type(event).__name__}")


def score(
    gold_articles: Iterable[Mapping[str, Any]],
    predicted: Mapping[str, Sequence[Any]],
    *,
    seconds: float = 0.0,
) -> Scorecard:
    """Score system events against gold articles.

    ``gold_articles``: parsed lines of a gold file (each with ``id`` and
    ``events``).  ``predicted``: article id -> list of system events (dicts
    with the gold field names; extra keys are ignored).  An article missing
    from ``predicted`` predicts no events; ids absent from the gold are ignored.
    ``seconds`` is reported as given (the time the system took).
    """
    card = Scorecard(seconds=seconds)
    for article in gold_articles:
        article_id = str(article.get("id", ""))
        gold = [_as_mapping(e) for e in (article.get("events") or [])]
        system = [_as_mapping(e) for e in (predicted.get(article_id) or [])]
        pairs = match_events(gold, system)
        result = ArticleResult(id=article_id, gold=len(gold), system=len(system), pairs=pairs)
        card.per_article.append(result)

        card.articles += 1
        card.gold_events += len(gold)
        card.system_events += len(system)
        card.detection.tp += result.matched
        card.detection.fn += result.misses
        card.detection.fp += result.false_alarms
        if not gold:
            card.false_alarms_in_no_event_articles += len(system)
        for g, s in pairs:
            _score_pair(card, gold[g], system[s])
    return card
