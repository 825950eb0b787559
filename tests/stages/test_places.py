"""places: which named place is the event's, and its geo_precision.

Every input below is an invented, short report run through the real pipeline.
"""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.model import Article

PUBLISHED = date(2024, 3, 15)


def article(text: str) -> Article:
    return Article(text=text, published=PUBLISHED, source="Continental Wire")


def only_event(pipeline, text: str):
    events = pipeline.extract_article(article(text))
    assert len(events) == 1, [e.to_dict() for e in events]
    return events[0]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("KANO, Nigeria (Continental Wire) — Gunmen killed seven traders in Gusau on Monday.", "Gusau"),
        ("MOGADISHU — Al-Shabaab fighters attacked an army base in Baidoa on Tuesday, officials said.", "Baidoa"),
    ],
)
def test_dateline_town_is_not_the_event_place(pipeline, text, location):
    assert only_event(pipeline, text).location == location


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Gunmen attacked Bukkuyum, a town 30 km west of Gusau, on Tuesday, killing eight villagers.", "Bukkuyum"),
        ("Russian shells hit Marhanets, a town 20 km east of Nikopol, on Wednesday, wounding three people.", "Marhanets"),
    ],
)
def test_reference_town_is_not_the_event_place(pipeline, text, location):
    assert only_event(pipeline, text).location == location


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Gunmen killed four farmers near Gusau on Tuesday.", "Gusau"),
        ("Militants attacked a checkpoint on the outskirts of Dori on Monday, killing two policemen.", "Dori"),
        ("Bandits killed five people in a village in Maru district on Sunday.", "Maru"),
    ],
)
def test_relative_phrasing_gives_geo_precision_2(pipeline, text, location):
    event = only_event(pipeline, text)
    assert (event.location, event.geo_precision) == (location, 2)


def test_in_the_town_of_gives_geo_precision_1(pipeline):
    event = only_event(pipeline, "Gunmen killed four farmers in the town of Bukkuyum on Tuesday.")
    assert (event.location, event.geo_precision) == ("Bukkuyum", 1)


def test_region_without_a_town_gives_geo_precision_3(pipeline):
    event = only_event(pipeline, "Gunmen killed six villagers in Zamfara state on Monday.")
    assert (event.admin1, event.geo_precision) == ("Zamfara", 3)


def test_source_location_is_not_the_event_place(pipeline):
    event = only_event(pipeline, "Gunmen killed five civilians near Menaka on Tuesday, an official in Gao said.")
    assert event.location == "Menaka"


@pytest.mark.parametrize(
    ("text", "kind", "precision"),
    [
        ("Fighting broke out in Idlib on Monday between rebels and government forces.", "city", 1),
        ("Fighting broke out in Idlib province on Monday between rebels and government forces.", "admin1", 3),
        ("Police fired tear gas at protesters in Kisumu on Tuesday.", "city", 1),
        ("Police fired tear gas at protesters in Kisumu county on Tuesday.", "admin1", 3),
    ],
)
def test_name_shared_by_region_and_town_means_the_town_unless_the_region_is_said(pipeline, text, kind, precision):
    (incident,) = pipeline.run(article(text)).incidents
    assert (incident.location.kind, incident.geo_precision) == (kind, precision)


def test_second_town_introduced_by_the_town_of_is_an_event_place(pipeline):
    events = pipeline.extract_article(
        article("On Monday a drone struck a market in Kherson; on Wednesday Russian artillery shelled the town of Nikopol.")
    )
    assert sorted(e.location for e in events) == ["Kherson", "Nikopol"]


def test_admin1_is_spelled_as_the_article_names_it(pipeline):
    text = (
        "Shelling by rebel forces killed two fishermen in the town of Hays in Yemen's Hodeidah province "
        "on Monday, local officials said."
    )
    [event] = pipeline.extract_article(Article(text=text, published=date(2023, 3, 14)))
    assert event.admin1 == "Hodeidah"


def test_a_capital_that_speaks_is_not_the_event_place(pipeline):
    text = "Russian drones struck Sumy on Tuesday, killing two people. Kyiv accused Moscow of targeting civilians."
    [event] = pipeline.extract_article(Article(text=text, published=date(2024, 10, 16)))
    assert event.location == "Sumy"
