"""merge: one incident told twice is one event, two places are two; ceasefire: only a truce in force broken.

Every input below is an invented, short report run through the real pipeline
(or, for the ceasefire wording, through ``violates_truce``).
"""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.model import Article
from eventwatch.stages.ceasefire import violates_truce

PUBLISHED = date(2024, 3, 15)  # a Friday
SUN, TUE, WED, THU, FRI = date(2024, 3, 10), date(2024, 3, 12), date(2024, 3, 13), date(2024, 3, 14), date(2024, 3, 15)


def article(text: str) -> Article:
    return Article(text=text, published=PUBLISHED, source="Frontline Daily")


def extract(pipeline, text: str):
    return pipeline.extract_article(article(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Gunmen killed five villagers in Kagara on Tuesday. Residents said the attackers arrived on motorcycles "
            "at dawn. The attack on Kagara on Tuesday was the deadliest in the area this month, a local official said.",
            [(TUE, "Kagara", 5)],
            id="retold-with-its-own-day",
        ),
        pytest.param(
            "Suspected jihadists killed six soldiers in an ambush near Djibo on Sunday. The army said six soldiers "
            "were killed when militants ambushed a patrol near Djibo on Sunday.",
            [(SUN, "Djibo", 6)],
            id="army-version",
        ),
    ],
)
def test_one_attack_told_twice_is_one_event(pipeline, text, expected):
    doc = pipeline.run(article(text))
    assert [(e.event_date, e.location, e.fatalities) for e in doc.events] == expected
    assert len(doc.incidents[0].sentences) > 1  # the retelling was merged in, not dropped


def test_two_places_give_two_events(pipeline):
    events = extract(
        pipeline,
        "Gunmen killed five villagers in Kagara on Tuesday. "
        "Separately, gunmen killed three traders in the town of Gusau on Tuesday.",
    )
    assert sorted((e.location, e.fatalities) for e in events) == [("Gusau", 3), ("Kagara", 5)]


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces shelled Kherson on Thursday, killing two residents. "
        "Thursday's shelling of Kherson also damaged a hospital, officials said.",
        "Russian forces shelled the city of Kherson on Thursday, killing two residents. "
        "Ukrainian troops shelled the town of Nova Kakhovka on Friday. "
        "Thursday's shelling of Kherson also damaged a maternity hospital.",
    ],
)
def test_possessive_day_retelling_merges(pipeline, text):
    events = extract(pipeline, text)
    kherson = [e for e in events if e.location == "Kherson"]
    assert [(e.event_date, "hospital" in e.evidence) for e in kherson] == [(THU, True)]


SHELLING = "Government forces shelled rebel positions near Sake on Wednesday"


@pytest.mark.parametrize(
    "text",
    [
        f"{SHELLING}, violating the truce agreed last month.",
        f"{SHELLING} despite a ceasefire brokered by Angola.",
        f"{SHELLING}. Both sides accused each other of breaching the ceasefire.",
    ],
)
def test_broken_truce_in_force_is_a_ceasefire_violation(pipeline, text):
    assert [e.ceasefire_violation for e in extract(pipeline, text)] == [True]


@pytest.mark.parametrize(
    "text",
    [
        f"{SHELLING}. The United Nations called for a ceasefire.",
        f"{SHELLING}, a day after a proposed truce was rejected.",
        f"{SHELLING}, after a ceasefire collapsed last week.",
        f"{SHELLING}, days after the truce expired.",
        f"{SHELLING}.",
    ],
)
def test_truce_called_for_proposed_or_collapsed_is_no_violation(pipeline, text):
    assert [e.ceasefire_violation for e in extract(pipeline, text)] == [False]


@pytest.mark.parametrize(
    ("sentence", "violation"),
    [
        ("Rebels violated the ceasefire by shelling the town.", True),
        ("The attack was a clear breach of the truce.", True),
        ("Fighting resumed despite the fragile ceasefire.", True),
        ("Mediators proposed a ceasefire on Monday.", False),
        ("Church leaders are calling for a truce.", False),
        ("The truce collapsed in January and fighting resumed.", False),
    ],
)
def test_violates_truce_wording(sentence, violation):
    assert violates_truce(sentence) is violation
