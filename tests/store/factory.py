"""Realistic articles and article-level events for the store tests, written for them."""

from __future__ import annotations

from datetime import date

from eventwatch.model import Article, Event, Span, content_hash

# name, admin1, iso2, country, latitude, longitude
PLACES = {
    "Nikopol": ("Dnipropetrovsk", "UA", "Ukraine", 47.5712, 34.3964),
    "Marhanets": ("Dnipropetrovsk", "UA", "Ukraine", 47.6480, 34.6167),
    "Kharkiv": ("Kharkiv", "UA", "Ukraine", 49.9808, 36.2527),
    "Aleppo": ("Aleppo", "SY", "Syria", 36.2021, 37.1343),
    "Idlib": ("Idlib", "SY", "Syria", 35.9306, 36.6339),
    "Suva": ("Central", "FJ", "Fiji", -18.1416, 178.4415),
}


def make_article(n: int, *, place: str = "Nikopol", source: str = "Dnipro Daily",
                 published: date | None = date(2024, 7, 16), text: str | None = None,
                 title: str | None = None) -> Article:
    """The n-th article of a test corpus: a short wire report about shelling at ``place``."""
    text = text or (
        f"{place.upper()} — Russian artillery shelled {place} on Monday, killing two men and wounding "
        f"three people, the regional governor said in report number {n}.\n\n"
        "Rescuers searched a damaged market street in the city centre."
    )
    return Article(text=text, id=f"art-{n:04d}-{content_hash(text, length=8)}", title=title or f"Shelling in {place}",
                   published=published, source=source, url=f"https://news.example.org/{place.lower()}/{n}")


def _span(article: Article, words: str | None) -> Span | None:
    if not words:
        return None
    start = article.text.find(words)
    return Span(start, start + len(words), words) if start >= 0 else None


def make_event(article: Article, n: int = 0, *, place: str | None = "Nikopol",
               event_date: date | None = date(2024, 7, 15), **overrides) -> Event:
    """The n-th event of ``article``: every field set as the pipeline would, spans into the text."""
    admin1, iso2, country, lat, lon = PLACES[place] if place else (None, None, None, None, None)
    values = dict(
        event_id=content_hash(article.id, str(n), str(event_date), place or ""),
        article_id=article.id,
        event_date=event_date,
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Russia (2022-)",
        actor1_type="State Forces",
        actor2="Civilians (Ukraine)",
        actor2_type="Civilians",
        civilian_targeting=True,
        country=country,
        iso2=iso2,
        admin1=admin1,
        location=place,
        latitude=lat,
        longitude=lon,
        geo_precision=1 if place else None,
        fatalities=2,
        injuries=3,
        child_fatalities=None,
        ceasefire_violation=False,
        evidence=article.text.split("\n")[0],
        confidence=0.82,
        notes=f"On {event_date}, Russian forces shelled {place or 'an unknown place'}, killing 2 civilians.",
        source=article.source,
    )
    values.update(overrides)
    spans = {}
    for name, words in (("actor1", "Russian artillery"), ("location", place), ("fatalities", "killing two men"),
                        ("injuries", "wounding three people"), ("event_date", "Monday")):
        span = _span(article, words)
        if span is not None:
            spans[name] = span
    values.setdefault("spans", spans)
    return Event(**values)
