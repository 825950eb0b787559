"""End to end: the canonical example comes out exactly as its gold, on real text."""

from __future__ import annotations

from datetime import date

import pytest

import eventwatch
from eventwatch.model import Article

CANONICAL_FIELDS = (
    "event_type", "sub_event_type", "actor1", "actor1_type", "actor2", "actor2_type",
    "civilian_targeting", "country", "iso2", "admin1", "location", "geo_precision",
    "fatalities", "injuries", "child_fatalities", "ceasefire_violation", "time_precision",
)


@pytest.mark.parametrize("article_id", ["dev-000", "dev-001"])
def test_canonical_example_matches_gold(pipeline, dev_articles, article_id):
    item = next(a for a in dev_articles if a["id"] == article_id)
    published = date.fromisoformat(item["published"]) if item["published"] else None
    events = pipeline.extract_article(Article(text=item["text"], id=item["id"], published=published))
    assert len(events) == 1
    got, gold = events[0].to_dict(), item["events"][0]
    for name in CANONICAL_FIELDS:
        assert got[name] == gold[name], name
    assert got["event_date"] == gold["event_date"]
    assert (got["latitude"], got["longitude"]) == (gold["latitude"], gold["longitude"])


def test_every_field_keeps_its_evidence_span(pipeline, dev_articles):
    item = next(a for a in dev_articles if a["id"] == "dev-001")
    event = pipeline.extract_article(Article(text=item["text"], published=date(2021, 6, 1)))[0]
    for name in ("evidence", "event_date", "location", "fatalities", "injuries", "ceasefire_violation"):
        span = event.spans[name]
        assert item["text"][span.start : span.end] == span.text
    assert event.event_id and 0 < event.confidence <= 1 and event.notes.endswith(".")


def test_public_api_extract_returns_typed_events(pipeline):
    text = (
        "GAO, Mali — Gunmen killed four villagers and wounded two others in an attack on a village "
        "near Gao on Sunday, local officials said on Monday."
    )
    events = eventwatch.extract(text, published="2024-02-13", pipeline=pipeline)
    assert [type(e) for e in events] == [eventwatch.Event]
    event = events[0]
    assert (event.fatalities, event.injuries, event.event_date) == (4, 2, date(2024, 2, 11))
    assert event.country == "Mali" and event.geo_precision == 2
    assert event.actor1 == "Unidentified Armed Group (Mali)" and event.actor2 == "Civilians (Mali)"


def test_background_only_article_gives_no_event(pipeline):
    text = (
        "The conflict in the region has killed more than 20,000 people since 2015 and displaced "
        "two million, according to the United Nations.\n\n"
        "Aid groups warned that fighting could resume next month if talks fail, and the government "
        "threatened to launch a new offensive."
    )
    assert pipeline.extract_article(Article(text=text, published=date(2024, 5, 1))) == []


def test_no_publication_date_leaves_relative_date_null(pipeline):
    text = "Shelling by government forces killed two civilians in the town of Ariha on Tuesday, rescuers said."
    events = pipeline.extract_article(Article(text=text))
    assert len(events) == 1 and events[0].event_date is None and events[0].time_precision == 1
