"""Scoring one text's events against its set's gold: pure functions, no pipeline.

Each learning-set record is one text with at most one coded incident, so a
text is scored as a whole (not by pairing events as ``eventwatch.evaluate``
does for articles with many events):

* the text's events are those the pipeline returned for it; their killed and
  injured are summed (the set's coders counted the whole text);
* type, place, date and actor are read from the text's *primary* event: the
  one with the most fatalities, the first of them on a tie;
* a measure applies to a record only where its gold says the field (gold not
  None); a record with no event is wrong on every field measure that applies.

``outcome`` gives one record's verdicts, ``summarise`` pools them into
``Ratio``s (hits / scored) and the mean killed error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventwatch.evaluate.match import coordinates, haversine_km, normalise_admin1
from training.datasets import Gold

WITHIN_KM = 25.0

# The measures in table order: key -> column heading.
MEASURES: dict[str, str] = {
    "event_found": "event found",
    "no_event": "no event where none",
    "event_type": "event type",
    "sub_event_type": "sub-type",
    "killed_exact": "killed exact",
    "killed_mae": "killed MAE",
    "killed_found": "someone killed",
    "injured_exact": "injured exact",
    "admin1": "state/province",
    "within_25km": "place <=25 km",
    "date_exact": "date exact",
    "actor1_type": "actor1 type",
}

# Raw labels that say someone was killed without giving a number
# (IndiaPoliceEvents KILL: police killed someone; Mass Mobilization "killings").
KILLED_LABELS = frozenset({"KILL", "killings"})

# English spellings of one first-level division that ``normalise_admin1`` does not
# join (Afghan provinces as ISAF, ACLED and GeoNames write them): variant -> name.
ADMIN1_VARIANTS: dict[str, str] = {
    "Paktia": "Paktya",
    "Maidan Wardak": "Wardak",
    "Nimruz": "Nimroz",
    "Sar-e Pol": "Sar-e Pul",
    "Oruzgan": "Uruzgan",
    "Urozgan": "Uruzgan",
}
_VARIANT_KEYS = {normalise_admin1(a): normalise_admin1(b) for a, b in ADMIN1_VARIANTS.items()}


@dataclass(frozen=True, slots=True)
class Ratio:
    hits: int
    scored: int

    @property
    def value(self) -> float | None:
        return round(self.hits / self.scored, 4) if self.scored else None


def primary(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The event that stands for the text: most fatalities, the first on a tie; None if none."""
    if not events:
        return None
    return max(enumerate(events), key=lambda pair: (pair[1].get("fatalities") or 0, -pair[0]))[1]


def admin1_key(name: Any) -> str | None:
    key = normalise_admin1(name)
    return _VARIANT_KEYS.get(key, key) if key else None


def outcome(gold: Gold, events: Sequence[Mapping[str, Any]], *, date_stated: bool = True) -> dict[str, Any]:
    """One record's verdicts: measure key -> True/False, or the killed error as a number.

    A measure that does not apply to the record is absent.  ``date_stated``:
    whether a reader of the text (with its publication date, if the set gives
    one) can know the event's date; the date is scored only then.
    """
    out: dict[str, Any] = {}
    top = primary(events)
    if gold.event:
        out["event_found"] = top is not None
    else:
        out["no_event"] = top is None
    found = top or {}
    if gold.event_type is not None:
        out["event_type"] = found.get("event_type") == gold.event_type
    if gold.sub_event_type is not None:
        out["sub_event_type"] = found.get("sub_event_type") == gold.sub_event_type
        out["sub_pair"] = (gold.sub_event_type, found.get("sub_event_type") or "none")
    killed = sum(e.get("fatalities") or 0 for e in events)
    if gold.fatalities is not None:
        out["killed_exact"] = killed == gold.fatalities
        out["killed_mae"] = abs(killed - gold.fatalities)
    elif KILLED_LABELS & set(gold.labels):
        out["killed_found"] = killed > 0
    if gold.injuries is not None:
        out["injured_exact"] = sum(e.get("injuries") or 0 for e in events) == gold.injuries
    if gold.admin1 is not None:
        out["admin1"] = admin1_key(found.get("admin1")) == admin1_key(gold.admin1)
    if gold.latitude is not None and gold.longitude is not None:
        point = coordinates(found)
        out["within_25km"] = point is not None and haversine_km(point, (gold.latitude, gold.longitude)) <= WITHIN_KM
    if gold.event_date is not None and date_stated:
        out["date_exact"] = str(found.get("event_date") or "")[:10] == gold.event_date
    if gold.actor1_type is not None:
        out["actor1_type"] = found.get("actor1_type") == gold.actor1_type
    return out


def summarise(outcomes: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Pooled measures: a Ratio per true/false measure, the killed MAE, the sub-type weighted F1."""
    hits: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    errors: list[float] = []
    pairs: list[tuple[str, str]] = []
    for item in outcomes:
        for key, verdict in item.items():
            if key == "killed_mae":
                errors.append(verdict)
            elif key == "sub_pair":
                pairs.append(verdict)
            else:
                scored[key] += 1
                hits[key] += bool(verdict)
    out: dict[str, Any] = {key: Ratio(hits[key], scored[key]) for key in MEASURES if scored[key]}
    if errors:
        out["killed_mae"] = round(sum(errors) / len(errors), 4)
    if pairs:
        out["sub_event_type_weighted_f1"] = weighted_f1(pairs)
    return out


def weighted_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """F1 per gold class, weighted by the class's support (the usual 'weighted' average)."""
    support = Counter(g for g, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    right = Counter(g for g, p in pairs if g == p)
    total = 0.0
    for label, n in support.items():
        precision = right[label] / predicted[label] if predicted[label] else 0.0
        recall = right[label] / n
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total += n * f1
    return round(total / len(pairs), 4)
