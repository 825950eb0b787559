"""Recognition and resolution rules of the geoparser, on sentences written for these tests."""

from __future__ import annotations

import pytest

from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.geoparse import geoparse


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.open()


def places(gazetteer, text, **kw):
    return [(m.text, m.name, m.country, m.admin1) for m in geoparse(text, gazetteer, **kw)]


def test_us_state_abbreviations_in_ap_style(gazetteer):
    found = places(gazetteer, "The fire spread from Paris, Tenn., toward Charleston, W.Va., and Sen. Jane Roe, D-S.C., called for help.")
    assert ("Paris", "Paris", "United States", "Tennessee") in found
    assert ("Charleston", "Charleston", "United States", "West Virginia") in found
    assert ("S.C.", "South Carolina", "United States", "South Carolina") in found


def test_a_qualified_name_decides_for_the_whole_article(gazetteer):
    found = places(gazetteer, "Rockets hit Tripoli, Lebanon, on Monday. Tripoli's mayor said the port was closed.")
    assert [f[2] for f in found if f[0] == "Tripoli"] == ["Lebanon", "Lebanon"]


@pytest.mark.parametrize(
    ("text", "name", "kind_country"),
    [
        ("Leaders from Europe and Africa met in Nairobi.", "Europe", None),
        ("The US and the UK sent envoys to Kyiv.", "United States", "United States"),
        ("European ministers met on Monday.", None, None),
    ],
)
def test_continents_and_country_abbreviations(gazetteer, text, name, kind_country):
    found = places(gazetteer, text, demonyms=True)
    if name:
        assert name in [f[1] for f in found]
    else:
        assert [f[1] for f in found] == ["Europe"]


def test_a_region_named_exactly_is_the_region_not_a_town_elsewhere(gazetteer):
    found = places(gazetteer, "Wildfires burned across California and Oregon as residents of Maryland watched.")
    assert ("California", "California", "United States", "California") in found


@pytest.mark.parametrize(
    "text",
    [
        "Michael Jones said the council would meet again. Jones said it was urgent.",
        "We're going home, I said.",
    ],
)
def test_people_and_pronouns_are_not_places(gazetteer, text):
    assert places(gazetteer, text) == []


def test_a_place_before_said_after_a_preposition_stays_a_place(gazetteer):
    found = places(gazetteer, "Residents of Maru said gunmen came at night.")
    assert [f[0] for f in found] == ["Maru"]


def test_dateline_after_a_headline(gazetteer):
    found = places(gazetteer, "Budget fight goes on . COLUMBUS, Ohio (AP) — Lawmakers met.")
    assert ("COLUMBUS", "Columbus", "United States", "Ohio") in found


def test_county_is_part_of_the_mention(gazetteer):
    found = places(gazetteer, "Deputies in Orange County, California, said the road was closed.")
    assert found[0][0] == "Orange County"
