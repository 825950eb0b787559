"""Impossible values are dropped before an event leaves the pipeline, and the event says so."""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.doc import Incident
from eventwatch.model import Article, Span
from eventwatch.validate import MAX_CASUALTIES, impossible

PUBLISHED = date(2024, 3, 6)  # a Wednesday


def only_event(pipeline, text: str, published: date | None = PUBLISHED):
    events = pipeline.extract_article(Article(text=text, published=published))
    assert len(events) == 1, events
    return events[0]


def test_more_children_than_dead_drops_the_childrens_count(pipeline):
    event = only_event(pipeline, "Gunmen killed 5 people, including 900 children, in Kano, Nigeria on Monday.")
    assert (event.fatalities, event.child_fatalities) == (5, None)
    assert event.notes.endswith(" Left out as impossible: 900 children killed (more than the 5 killed).")


def test_children_among_the_dead_are_kept(pipeline):
    event = only_event(pipeline, "Gunmen killed 5 people, including 2 children, in Kano, Nigeria on Monday.")
    assert (event.fatalities, event.child_fatalities) == (5, 2)
    assert "Left out" not in event.notes


def test_a_toll_above_the_cap_is_dropped_with_its_children(pipeline):
    event = only_event(pipeline, "Gunmen killed 250,000 people, including 30 children, in Kano, Nigeria on Monday.")
    assert (event.fatalities, event.child_fatalities) == (0, None)
    assert "fatalities" not in event.spans
    assert f"a toll of 250,000 killed (more than {MAX_CASUALTIES:,} in one event)" in event.notes
    assert "; 0 killed." in event.notes  # the summary shows the toll that is kept


def test_a_toll_at_the_cap_is_kept(pipeline):
    event = only_event(pipeline, f"Gunmen killed {MAX_CASUALTIES:,} people in Kano, Nigeria on Monday.")
    assert event.fatalities == MAX_CASUALTIES


def test_injuries_above_the_cap_are_dropped(pipeline):
    event = only_event(pipeline, "Gunmen killed 3 people and wounded 40,000 in Kano, Nigeria on Monday.")
    assert (event.fatalities, event.injuries) == (3, None)
    assert "40,000 injured (more than" in event.notes


# The detect stage already keeps dates outside the publication's range from anchoring an
# incident ("background, not this report's news"), so these rules are checked on incidents.

def incident_on(day: date) -> Incident:
    return Incident(anchor=0, sentences=[0], triggers=[], event_date=day, fatalities=3,
                    spans={"event_date": Span(0, 4, "then")})


@pytest.mark.parametrize(("day", "why"), [
    (date(2024, 3, 8), "after the article's publication on 2024-03-06"),
    (date(2023, 3, 4), "more than a year before the article's publication on 2024-03-06"),
])
def test_a_date_out_of_the_publications_range_is_dropped(day, why):
    incident = incident_on(day)
    assert impossible(incident, PUBLISHED, today=date(2026, 1, 1)) == [f"the date {day.isoformat()} ({why})"]
    assert incident.event_date is None and "event_date" not in incident.spans
    assert incident.fatalities == 3


@pytest.mark.parametrize("day", [date(2024, 3, 7), PUBLISHED, date(2023, 3, 6)])
def test_a_date_within_the_publications_range_is_kept(day):
    incident = incident_on(day)
    assert impossible(incident, PUBLISHED, today=date(2026, 1, 1)) == []
    assert incident.event_date == day


def test_without_a_publication_date_only_a_date_after_today_is_dropped():
    today = date(2026, 1, 1)
    assert impossible(incident_on(date(2026, 1, 2)), None, today) == []
    assert impossible(incident_on(date(1950, 1, 2)), None, today) == []
    assert impossible(incident_on(date(2026, 1, 3)), None, today) == ["the date 2026-01-03 (later than today)"]
