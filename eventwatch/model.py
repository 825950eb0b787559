"""The records that flow through the pipeline.

Article -> Doc (clean text, sentences, annotations) -> Event.  Every value an
event carries keeps the character span of the words it came from, as a
``Span`` in ``Event.spans`` keyed by field name; offsets index ``Article.text``
as given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def content_hash(*parts: str, length: int = 16) -> str:
    """A short, stable hex digest of the given strings."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(slots=True, frozen=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Article:
    """One news report as it came in."""

    text: str
    id: str = ""
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.url or self.text)


@dataclass(slots=True, frozen=True)
class Place:
    """A gazetteer entry: a populated place, a first-level division or a country."""

    geonameid: int
    name: str
    kind: str  # "city", "admin1" or "country"
    iso2: str
    country: str
    admin1: str | None
    latitude: float
    longitude: float
    population: int
    feature_code: str = ""


# Field names of an event in the order of GOLD_FORMAT.md (evidence last).
EVENT_FIELDS = (
    "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor1_type", "actor2", "actor2_type", "civilian_targeting",
    "country", "iso2", "admin1", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "injuries", "child_fatalities",
    "ceasefire_violation", "evidence",
)


@dataclass(slots=True)
class Event:
    """One incident, coded in ACLED's vocabulary (field names as GOLD_FORMAT.md)."""

    event_id: str
    article_id: str
    event_date: date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    actor1_type: str
    actor2: str | None
    actor2_type: str | None
    civilian_targeting: bool
    country: str | None
    iso2: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    injuries: int | None
    child_fatalities: int | None
    ceasefire_violation: bool
    evidence: str
    confidence: float
    notes: str
    source: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the gold fields in order, then id, confidence, notes, spans."""
        out: dict[str, Any] = {"event_id": self.event_id, "article_id": self.article_id}
        for name in EVENT_FIELDS:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        out["source"] = self.source
        out["confidence"] = self.confidence
        out["notes"] = self.notes
        out["spans"] = {name: span.to_dict() for name, span in self.spans.items()}
        return out
