"""The pipeline: an Article in, its Events out, through the stages of ``stages``.

    >>> from eventwatch import Pipeline
    >>> pipeline = Pipeline()            # opens (or builds) the embedded gazetteer
    >>> events = pipeline.extract_article(article)

Each article has ``time_limit`` seconds (``eventwatch.deadline``); past it,
``extract_article`` raises ``TimeLimitError`` instead of going on.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from functools import lru_cache

from eventwatch import validate
from eventwatch.casing import casing_of, gazetteer_names, restore_case
from eventwatch.deadline import TIME_LIMIT_SECONDS, Deadline, checked_time_limit
from eventwatch.doc import Doc
from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.model import Article, Event
from eventwatch.stages import actors, ceasefire, dates, detect, events, merge, numbers, places
from eventwatch.stages.sentences import split_sentences

logger = logging.getLogger(__name__)


class Pipeline:
    """Runs the stages over articles; holds the gazetteer and the per-article time limit."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, time_limit: float = TIME_LIMIT_SECONDS) -> None:
        self.time_limit = checked_time_limit(time_limit)
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

    def run(self, article: Article, timings: dict[str, float] | None = None) -> Doc:
        """All stages over one article; the Doc keeps every intermediate result.

        With ``timings``, the seconds each stage took are added to it under the stage's
        name (``STAGES``), so that a benchmark sees the same stages the pipeline runs.
        Raises TimeLimitError once the article has taken longer than ``time_limit``.
        """
        deadline = Deadline(self.time_limit, _named(article))
        stage = _Stopwatch(timings, deadline)
        with stage("sentences"):
            doc = self._doc(article)
            doc.sentences = split_sentences(doc.article.text)
        with stage("places"):
            places.geoparse(doc, self.gazetteer)
        with stage("detect"):
            detect.segment(doc, deadline)
        with stage("dates"):
            for incident in doc.incidents:
                dates.run(doc, incident)
        with stage("merge"):
            merge.run(doc)
        with stage("actors"):
            named_in = actors.group_sentence(doc, self._owner) if doc.incidents else None
        for incident in doc.incidents:
            with stage("classify"):
                incident.event_type, incident.sub_event_type = detect.classify(doc, incident)
            with stage("numbers"):
                numbers.run(doc, incident)
            with stage("actors"):
                actors.run(doc, incident, self._owner, named_in)
            with stage("ceasefire"):
                ceasefire.run(doc, incident)
        with stage("validate"):
            validate.run(doc)
        with stage("events"):
            events.run(doc)
        return doc

    def _doc(self, article: Article) -> Doc:
        """The article's Doc; text all in lower case or capitals is read with its capitals restored."""
        if casing_of(article.text) is None:
            return Doc(article)
        restored = restore_case(article.text, gazetteer_names(self.gazetteer))
        return Doc(dataclasses.replace(article, text=restored), original=article.text)

    def extract_article(self, article: Article) -> list[Event]:
        return self.run(article).events


# The stage names ``Pipeline.run`` reports timings under, in the order it runs them.
STAGES = ("sentences", "places", "detect", "dates", "merge", "classify", "numbers", "actors", "ceasefire", "validate", "events")


def _named(article: Article) -> str:
    """How a time-limit failure names the article: its id, and its title when it has one."""
    return f"article {article.id}" + (f" ({article.title!r})" if article.title else "")


class _Stopwatch:
    """``with stage(name):`` adds the block's seconds to ``timings[name]`` (free without timings),
    then checks the article's deadline."""

    __slots__ = ("_deadline", "_name", "_started", "_timings")

    def __init__(self, timings: dict[str, float] | None, deadline: Deadline) -> None:
        self._timings = timings
        self._deadline = deadline
        self._name = ""
        self._started = 0.0

    def __call__(self, name: str) -> _Stopwatch:
        self._name = name
        return self

    def __enter__(self) -> None:
        if self._timings is not None:
            self._started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        if self._timings is not None:
            self._timings[self._name] = self._timings.get(self._name, 0.0) + time.perf_counter() - self._started
        if exc[0] is None:
            self._deadline.check()


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
