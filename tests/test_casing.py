"""Capitals restored for text all in lower case or all in capitals: same length, same events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwatch.casing import Names, casing_of, gazetteer_names, is_ordinary_word, restore_case
from eventwatch.model import Article
from eventwatch.pipeline import Pipeline

REPORTS = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "cased_reports.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.fixture(scope="module")
def names(pipeline: Pipeline) -> Names:
    return gazetteer_names(pipeline.gazetteer)


def only_case_changed(before: str, after: str) -> bool:
    return len(before) == len(after) and all(a.lower() == b.lower() or a == b for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize(("text", "mode"), [
    ("gunmen killed 12 in kabul. police said the taliban were behind it.", "lower"),
    ("general strike", "lower"),
    ("This story is from March 7, 2002\n\nahmedabad: the violence-hit state of gujarat was returning to normal "
     "as curfew was relaxed in most districts, police said on wednesday evening.", "lower"),
    ("ahmedabad: curfew was relaxed in most districts of the state, police said on wednesday evening. "
     "schools and markets reopened in the old city, where a mob had set fire to shops and houses on "
     "monday night, and buses ran again on the main routes.\n\nRead this story in Gujarati", "lower"),
    ("GUNMEN KILLED 12 IN KABUL ON MONDAY, THE UN SAID.", "upper"),
    ("Gunmen killed 12 in Kabul on Monday, police said.", None),
    ("Gunmen Kill 12 in Kabul Checkpoint Attack", None),
    ("NATO", None),
    ("", None),
])
def test_casing_of(text: str, mode: str | None) -> None:
    assert casing_of(text) == mode


def test_mixed_case_text_is_returned_itself(names: Names) -> None:
    text = "Gunmen killed 12 in Kabul on Monday, police said. The Taliban denied it."
    assert restore_case(text, names) is text


@pytest.mark.parametrize(("given", "restored"), [
    ("gunmen stormed a checkpoint in kandahar on monday, killing 12 police. the taliban claimed it.",
     "Gunmen stormed a checkpoint in Kandahar on Monday, killing 12 police. The Taliban claimed it."),
    ("al-shabaab and boko haram fighters attacked u.s. and afghan troops near new delhi, i said.",
     "Al-Shabaab and Boko Haram fighters attacked U.S. and Afghan troops near New Delhi, I said."),
    # words that are place names too stay ordinary words
    ("police in reading may march and will use mobile units, he said on 7 march.",
     "Police in reading may march and will use mobile units, he said on 7 March."),
    ("the march began in cairo on august 4 and reached rio de janeiro. the un and the uk objected.",
     "The march began in Cairo on August 4 and reached Rio de Janeiro. The UN and the UK objected."),
    ("mopti, mali — four soldiers were killed near douentza; iraqis and germans were unhurt.",
     "MOPTI, Mali — Four soldiers were killed near Douentza; Iraqis and Germans were unhurt."),
    ("GUNMEN KILLED 12 POLICEMEN IN KANDAHAR ON MONDAY. MR. KHAN SAID SO.",
     "Gunmen killed 12 policemen in Kandahar on Monday. Mr. khan said so."),
])
def test_restore_case(names: Names, given: str, restored: str) -> None:
    assert restore_case(given, names) == restored


@pytest.mark.parametrize("text", [
    "DIE STRASSE IN İSTANBUL WAR GESPERRT, SAGTE DIE POLIZEI.",  # "İ".lower() is two characters
    "straße in istanbul gesperrt; ŉ and ǆ too.",  # "ß".upper() is two characters
])
def test_same_length_whatever_the_characters(names: Names, text: str) -> None:
    restored = restore_case(text, names)
    assert restored != text and only_case_changed(text, restored)


@pytest.mark.parametrize(("word", "ordinary"), [
    ("police", True), ("reading", True), ("mobile", True), ("protesters", True), ("centre", True),
    ("kandahar", False), ("tibet", False), ("fasher", False),
])
def test_ordinary_words(word: str, ordinary: bool) -> None:
    assert is_ordinary_word(word) is ordinary


def test_stages_read_capitals_evidence_quotes_the_original(pipeline: Pipeline) -> None:
    text = "gunmen stormed a police checkpoint in kandahar on monday, killing 12 policemen, officials said."
    (event,) = pipeline.extract_article(Article(text, published=date(2024, 5, 10)))
    assert (event.location, event.fatalities, event.event_date) == ("Kandahar", 12, date(2024, 5, 6))
    assert event.evidence == text
    for span in event.spans.values():
        assert span.text == text[span.start : span.end]


def events(pipeline: Pipeline, text: str) -> list[tuple]:
    found = pipeline.extract_article(Article(text, published=date(2024, 5, 10)))
    return sorted((e.event_type, e.fatalities, e.location, e.admin1) for e in found)


@pytest.mark.parametrize("report", REPORTS)
def test_same_events_whatever_the_casing(pipeline: Pipeline, report: str) -> None:
    cased = events(pipeline, report)
    assert cased, "the report as written gives an event"
    assert events(pipeline, report.lower()) == cased
    assert events(pipeline, report.upper()) == cased
