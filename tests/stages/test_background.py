"""Retrospective framing is background, not a new event: "months after ...", "in mid-January"."""

import pytest

from eventwatch import default_pipeline
from eventwatch.model import Article


@pytest.mark.parametrize("text", [
    "Nearly three months after fighting between armed groups forced thousands to flee the region, "
    "families remain in shelters in the provincial capital, aid agencies said.",
    "Two years after militants stormed the town, its market has reopened, traders said.",
    "The crisis began in mid-January, when rebels launched an offensive against a rival faction in the north.",
    "The unrest started in late March, when students marched on the parliament.",
])
def test_retrospective_sentences_report_no_event(text):
    assert default_pipeline().extract_article(Article(id="b", text=text)) == []


def test_a_dated_report_after_such_a_line_is_still_found():
    text = ("The crisis began in mid-January, when rebels launched an offensive in the north. "
            "On Tuesday, gunmen killed four farmers near the town of Tibu, police said.")
    events = default_pipeline().extract_article(Article(id="b", text=text))
    assert len(events) == 1 and events[0].fatalities == 4
