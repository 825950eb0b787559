"""Hand-made article-level reports ("report(...)") for the corpus tests."""

from __future__ import annotations

from datetime import date

from eventwatch.model import Event, Span, content_hash

KHERSON = ("Kherson", 46.63695, 32.61458)
OLESHKY = ("Oleshky", 46.62553, 32.72426)          # 8.5 km from Kherson
VELYKI_KOPANI = ("Velyki Kopani", 46.48935, 32.97207)  # 31.9 km from Kherson


def report(
    article: str,
    *,
    source: str = "Ukrinform",
    day: date | None = date(2024, 3, 4),
    place: tuple[str, float, float] | None = KHERSON,
    admin1: str | None = "Kherson",
    iso2: str = "UA",
    country: str = "Ukraine",
    geo_precision: int = 1,
    event_type: str = "Explosions/Remote violence",
    sub_event_type: str = "Shelling/artillery/missile attack",
    actor1: str = "Military Forces of Russia",
    actor1_type: str = "External/Other forces",
    actor2: str | None = "Civilians (Ukraine)",
    actor2_type: str | None = "Civilians",
    fatalities: int = 3,
    injuries: int | None = None,
    child_fatalities: int | None = None,
    ceasefire_violation: bool = False,
    evidence: str = "Russian forces shelled Kherson on Monday, killing three civilians, the governor said.",
    confidence: float = 0.8,
    toll_stated: bool = True,
) -> Event:
    """One report as the pipeline would give it; the id hashes the fields the pipeline hashes."""
    location, lat, lon = place if place else (None, None, None)
    event_id = content_hash(article, day.isoformat() if day else "", location or "", event_type, actor1)
    spans = {"evidence": Span(0, len(evidence), evidence)}
    if toll_stated:
        spans["fatalities"] = Span(0, 5, evidence[:5])
    if ceasefire_violation:
        spans["ceasefire_violation"] = Span(0, 5, evidence[:5])
    civilian = actor2_type == "Civilians" and event_type in ("Violence against civilians", "Explosions/Remote violence")
    return Event(
        event_id=event_id, article_id=article, event_date=day, time_precision=1,
        event_type=event_type, sub_event_type=sub_event_type,
        actor1=actor1, actor1_type=actor1_type, actor2=actor2, actor2_type=actor2_type,
        civilian_targeting=civilian, country=country if iso2 else None, iso2=iso2, admin1=admin1,
        location=location, latitude=lat, longitude=lon, geo_precision=geo_precision if place or admin1 else None,
        fatalities=fatalities, injuries=injuries, child_fatalities=child_fatalities,
        ceasefire_violation=ceasefire_violation, evidence=evidence, confidence=confidence,
        notes="", source=source, spans=spans,
    )
