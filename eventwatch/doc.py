"""The working record of one article inside the pipeline.

Stages read and write a ``Doc``: sentences, resolved places, incidents (the
events being built) and finally ``events``.  Only the pipeline and the stages
see it; callers get ``Event`` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from eventwatch.model import Article, Event, Place, Span

if TYPE_CHECKING:
    from eventwatch.geo.mentions import ResolvedPlace
    from eventwatch.stages.dates import TimeExpression
    from eventwatch.stages.sentences import Sentence
    from eventwatch.stages.triggers import Trigger


@dataclass(slots=True)
class Incident:
    """One event under construction: the sentences that report it and what they say."""

    anchor: int  # index of the sentence that first reports it
    sentences: list[int]
    triggers: list[Trigger]
    time: TimeExpression | None = None
    place: ResolvedPlace | None = None
    geo_precision: int | None = None
    event_date: date | None = None
    time_precision: int = 1
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor1_type: str = ""
    actor2: str | None = None
    actor2_type: str | None = None
    civilian_targeting: bool = False
    fatalities: int = 0
    injuries: int | None = None
    child_fatalities: int | None = None
    ceasefire_violation: bool = False
    spans: dict[str, Span] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # values left out as impossible (``validate``)

    @property
    def location(self) -> Place | None:
        return self.place.place if self.place else None


@dataclass(slots=True)
class Doc:
    """An article on its way through the stages.

    ``article`` is the article as the stages read it: when it came all in lower
    case or all in capitals, its text has the capitals restored
    (``eventwatch.casing``), letter for letter the same length as the text as
    given, ``original``.  Offsets index both; what the user sees (spans,
    evidence) quotes ``original``.
    """

    article: Article
    original: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    places: list[ResolvedPlace] = field(default_factory=list)
    dateline: ResolvedPlace | None = None
    incidents: list[Incident] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    skip_reason: str | None = None

    def __post_init__(self) -> None:
        if not self.original:
            self.original = self.article.text
        elif len(self.original) != len(self.article.text):
            raise ValueError("the analysed text must have the length of the original, so that offsets hold")

    def quote(self, start: int, end: int) -> str:
        """The words between two offsets as the article gave them."""
        return self.original[start:end]

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.quote(start, end))
