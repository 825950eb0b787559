"""Time expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.stages.dates import find_time_expressions, resolve

PUBLISHED = date(2024, 2, 14)  # a Wednesday


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        ("Gunmen attacked the village on Wednesday.", date(2024, 2, 14), 1),  # the publication day itself
        ("Gunmen attacked the village on Monday.", date(2024, 2, 12), 1),
        ("Gunmen attacked the village late on Thursday.", date(2024, 2, 8), 1),
        ("The town was shelled overnight.", date(2024, 2, 13), 1),
        ("The town was shelled overnight, shortly after 2 a.m.", date(2024, 2, 14), 1),
        ("Two farmers were killed last week.", date(2024, 2, 8), 2),
        ("The convoy was ambushed on 9 February.", date(2024, 2, 9), 1),
        ("The convoy was ambushed on December 30.", date(2023, 12, 30), 1),
        ("A drone struck the market yesterday.", date(2024, 2, 13), 1),
    ],
)
def test_resolves(sentence, expected, precision):
    expressions = [e for e in find_time_expressions(sentence) if not e.reporting]
    assert resolve(expressions[0], PUBLISHED, sentence) == (expected, precision)


def test_reporting_day_is_not_the_event_day():
    expressions = find_time_expressions("Officials said on Tuesday that the attack happened on Sunday.")
    assert [(e.text, e.reporting) for e in expressions] == [("Tuesday", True), ("Sunday", False)]


def test_no_publication_date_gives_null():
    expression = find_time_expressions("The town was shelled on Friday.")[0]
    assert resolve(expression, None) == (None, 1)
