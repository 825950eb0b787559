"""EventWatch: conflict news in, ACLED-style events out, offline.

    >>> import eventwatch
    >>> events = eventwatch.extract("Gunmen killed three villagers in ...", published="2024-05-02")
"""

from __future__ import annotations

from datetime import date

from eventwatch.errors import ConfigError, EventwatchError, GazetteerError, InputError
from eventwatch.model import Article, Event, Place, Span
from eventwatch.pipeline import Pipeline, default_pipeline


def extract(
    text: str,
    published: date | str | None = None,
    *,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    pipeline: Pipeline | None = None,
) -> list[Event]:
    """The events one article reports, as typed ``Event`` records."""
    from eventwatch.readers import parse_published

    if isinstance(published, str):
        published = parse_published(published, label="published")
    article = Article(text=text, title=title, published=published, source=source, url=url)
    return (pipeline or default_pipeline()).extract_article(article)


__all__ = [
    "Article",
    "ConfigError",
    "Event",
    "EventwatchError",
    "GazetteerError",
    "InputError",
    "Pipeline",
    "Place",
    "Span",
    "extract",
]
