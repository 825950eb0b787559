"""Geoparsing on its own: every place mention in a text, resolved to a GeoNames entry.

    >>> from eventwatch.geoparse import geoparse
    >>> [m.name for m in geoparse("Shelling hit Kherson and Nikopol on Monday.")]
    ['Kherson', 'Nikopol']

Mentions the gazetteer knows but that no candidate fits are returned with
``geonameid`` None ("unresolved"), never dropped, so one unknown name never
empties the answer.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.geo.mentions import STOPWORDS, find_places, resolve
from eventwatch.stages.places import prefer_town


@dataclass(slots=True, frozen=True)
class GeoMatch:
    """One place mention: ``text == input[start:end]`` and what it resolved to."""

    start: int
    end: int
    text: str
    geonameid: int | None
    name: str | None
    feature_code: str | None
    country: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    score: float

    @property
    def resolved(self) -> bool:
        return self.geonameid is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_NAME = r"[A-Z][\w'’-]+(?:[ -](?:(?:al|el|an|ar|as|ad|de|da|do|del)[ -])?[A-Z][\w'’-]+){0,3}"
# Phrases that say a name is a place even when no gazetteer entry has it.
_PLACE_PHRASE = re.compile(
    rf"\b(?:village|town|city|hamlet|settlement|district|province|region|governorate|oblast|county|camp) of (?P<a>{_NAME})"
    rf"|\b(?:near|outside|outskirts of|north of|south of|east of|west of) (?P<b>{_NAME})"
    rf"|(?P<c>{_NAME}) (?:province|governorate|oblast|district|county|region|township|local government area)\b"
)


def _unresolved(text: str, known: list[tuple[int, int]]) -> list[GeoMatch]:
    """Place-like names the gazetteer does not know: listed, never dropped."""
    out = []
    for m in _PLACE_PHRASE.finditer(text):
        group = next(g for g in ("a", "b", "c") if m.group(g))
        start, end = m.span(group)
        name = m.group(group)
        if name.split()[0].lower() in STOPWORDS or any(s < end and start < e for s, e in known):
            continue
        out.append(GeoMatch(start, end, name, None, None, None, None, None, None, None, 0.0))
        known.append((start, end))
    return out


def geoparse(text: str, gazetteer: Gazetteer, *, demonyms: bool = False) -> list[GeoMatch]:
    """Every place mention in ``text`` with its resolution, in text order.

    Adjectives of nationality ("Syrian") name a country without naming a place
    where anything happened; they are left out unless ``demonyms`` is true.
    """
    matches = []
    for resolved in resolve(find_places(text, gazetteer), text=text):
        mention = resolved.mention
        if mention.is_demonym and not demonyms:
            continue
        place = prefer_town(resolved).place
        matches.append(GeoMatch(
            mention.start, mention.end, mention.text,
            place.geonameid if place else None, place.name if place else None,
            place.feature_code if place else None, place.country if place else None,
            (place.admin1 if place and place.kind != "country" else None),
            place.latitude if place else None, place.longitude if place else None,
            round(resolved.score, 3),
        ))
    spans = [(m.start, m.end) for m in matches]
    matches += _unresolved(text, spans)
    return sorted(matches, key=lambda m: m.start)
