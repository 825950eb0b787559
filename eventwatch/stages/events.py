"""Stage · finished incidents become ``Event`` records with ids, confidence and notes."""

from __future__ import annotations

import re

from eventwatch.doc import Doc, Incident
from eventwatch.model import Event, content_hash


def _confidence(incident: Incident) -> float:
    """A rough 0..1 score: how much of the record the text pinned down."""
    score = 0.4
    score += 0.15 if incident.location is not None else 0.0
    score += 0.1 if incident.geo_precision == 1 else 0.0
    score += 0.15 if incident.event_date is not None else 0.0
    score += 0.1 if not incident.actor1.startswith("Unidentified") else 0.0
    score += 0.1 if len(incident.sentences) > 1 else 0.0
    return round(min(score, 1.0), 2)


def _notes(incident: Incident, place_name: str | None) -> str:
    when = f"On {incident.event_date.isoformat()}, " if incident.event_date else ""
    where = f" in {place_name}" if place_name else ""
    what = incident.sub_event_type.lower()
    victims = f" against {incident.actor2}" if incident.actor2 else ""
    toll = f"; {incident.fatalities} killed"
    if incident.injuries:
        toll += f", {incident.injuries} injured"
    flag = "; a ceasefire violation" if incident.ceasefire_violation else ""
    dropped = f" Left out as impossible: {'; '.join(incident.dropped)}." if incident.dropped else ""
    return f"{when}{incident.actor1}: {what}{victims}{where}{toll}{flag}.{dropped}"


# Fields read off the same words as another field share its span.
_DERIVED_SPANS = (
    ("time_precision", "event_date"),
    ("actor1_type", "actor1"), ("actor2_type", "actor2"), ("civilian_targeting", "actor2"),
    ("country", "location"), ("iso2", "location"), ("admin1", "location"),
    ("latitude", "location"), ("longitude", "location"), ("geo_precision", "location"),
    ("child_fatalities", "fatalities"),
)


def _regions_as_written(doc: Doc) -> dict[tuple[str, str | None], str]:
    """(iso2, first-level division) -> the first mention that names it: a region, or a
    town followed by "province" and the like."""
    found: dict[tuple[str, str | None], str] = {}
    for resolved in doc.places:
        named = resolved.place
        if named is None:
            continue
        first_level = _FIRST_LEVEL.match(doc.article.text, resolved.mention.end)
        region = named.name if named.kind == "admin1" else named.admin1 if first_level else None
        found.setdefault((named.iso2, region), resolved.mention.text)
    return found


def _admin1_as_written(regions: dict[tuple[str, str | None], str], place) -> str | None:
    """The event's first-level division, spelled as the article spells it when it names it
    ("Hodeidah province" -> "Hodeidah", not GeoNames' "Al Hudaydah")."""
    if place is None or place.kind == "country":
        return None
    official = place.admin1 if place.kind == "city" else place.name
    written = regions.get((place.iso2, official))
    if written is not None:
        text = _GENERIC_TAIL.sub("", written.removesuffix("'s").removesuffix("’s"))
        return text if text and not text.isupper() else official
    return official


_FIRST_LEVEL = re.compile(r"['’]?s?\s+(?:province|governorate|state|oblast|region)\b", re.I)
_GENERIC_TAIL = re.compile(r"\s+(?:State|Province|Governorate|Region|District|Oblast|County|Department)$", re.I)


def run(doc: Doc) -> None:
    article = doc.article
    regions = _regions_as_written(doc) if doc.incidents else {}
    for incident in doc.incidents:
        place = incident.location
        location_text = incident.place.mention.text if incident.place and place and place.kind == "city" else (place.name if place else None)
        sentences = [doc.sentences[i] for i in sorted(incident.sentences)]
        evidence = " ".join(doc.quote(s.start, s.end) for s in sentences)
        anchor = doc.sentences[incident.anchor]
        spans = dict(incident.spans)
        spans["evidence"] = doc.span(anchor.start, anchor.end)
        trigger = next((t for t in incident.triggers if anchor.start <= t.start < anchor.end), None)
        if trigger is not None:
            spans["event_type"] = doc.span(trigger.start, trigger.end)
            spans["sub_event_type"] = spans["event_type"]
        if incident.place is not None:
            spans["location"] = doc.span(incident.place.mention.start, incident.place.mention.end)
        for derived, origin in _DERIVED_SPANS:
            if origin in spans and derived not in spans:
                spans[derived] = spans[origin]
        event_date = incident.event_date.isoformat() if incident.event_date else ""
        doc.events.append(Event(
            event_id=content_hash(article.id, event_date, str(place.geonameid if place else ""), incident.event_type, incident.actor1),
            article_id=article.id,
            event_date=incident.event_date,
            time_precision=incident.time_precision,
            event_type=incident.event_type,
            sub_event_type=incident.sub_event_type,
            actor1=incident.actor1,
            actor1_type=incident.actor1_type,
            actor2=incident.actor2,
            actor2_type=incident.actor2_type,
            civilian_targeting=incident.civilian_targeting,
            country=place.country if place else None,
            iso2=place.iso2 if place else None,
            admin1=_admin1_as_written(regions, place),
            location=location_text,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geo_precision=incident.geo_precision if place else None,
            fatalities=incident.fatalities,
            injuries=incident.injuries,
            child_fatalities=incident.child_fatalities,
            ceasefire_violation=incident.ceasefire_violation,
            evidence=evidence,
            confidence=_confidence(incident),
            notes=_notes(incident, location_text),
            source=article.source,
            spans=spans,
        ))
