"""The pipeline: an Article in, its Events out, through the stages of ``stages``.

    >>> from eventwatch import Pipeline
    >>> pipeline = Pipeline()            # opens (or builds) the embedded gazetteer
    >>> events = pipeline.extract_article(article)
"""

from __future__ import annotations

import logging
from functools import lru_cache

from eventwatch.doc import Doc
from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.model import Article, Event
from eventwatch.stages import actors, ceasefire, dates, detect, events, merge, numbers, places
from eventwatch.stages.sentences import split_sentences

logger = logging.getLogger(__name__)


class Pipeline:
    """Runs the stages over articles; holds the gazetteer and nothing else."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.open()
        self._owner = lru_cache(maxsize=4096)(self._owner_of)

    def _owner_of(self, word: str) -> tuple[str, str] | None:
        """(iso2, country) for a demonym or country name: 'Russian' / 'Russia' -> ('RU', 'Russia')."""
        iso2 = self.gazetteer.demonym(word)
        if iso2 is None:
            countries = [p for p in self.gazetteer.lookup(word) if p.kind == "country"]
            iso2 = countries[0].iso2 if countries else None
        if iso2 is None:
            return None
        country = self.gazetteer.country(iso2)
        return (iso2, country.country) if country else None

    def run(self, article: Article) -> Doc:
        """All stages over one article; the Doc keeps every intermediate result."""
        doc = Doc(article)
        doc.sentences = split_sentences(article.text)
        places.geoparse(doc, self.gazetteer)
        detect.segment(doc)
        for incident in doc.incidents:
            dates.run(doc, incident)
        merge.run(doc)
        for incident in doc.incidents:
            incident.event_type, incident.sub_event_type = detect.classify(doc, incident)
            numbers.run(doc, incident)
            actors.run(doc, incident, self._owner)
            ceasefire.run(doc, incident)
        events.run(doc)
        return doc

    def extract_article(self, article: Article) -> list[Event]:
        return self.run(article).events


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
