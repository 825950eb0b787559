"""The input fuzzer: random and hostile text through the reader and the pipeline.

Properties, for every input: no exception; every event's values are valid (counts within
``validate``'s bounds, the children among the dead, dates within the publication's range,
ACLED's vocabulary, spans that quote the text); the output can be written as UTF-8; and each
input is done within a generous time bound (Hypothesis's deadline: a hang, not speed).

The runs are derandomized (a fixed seed per test) and keep no example database, so CI sees the
same few thousand cases every time.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import composite

from eventwatch import export
from eventwatch.model import Article, Event
from eventwatch.readers import jsonl_line_result, plain_text_result
from eventwatch.validate import DATE_SLACK, MAX_CASUALTIES, MAX_EVENT_AGE
from eventwatch.vocab import SUB_EVENT_TYPES


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=timedelta(seconds=10),  # far above the milliseconds an input takes: catches hangs only
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )

# Words the stages react to, so that random sequences of them reach deep into each stage.
WORDS = (
    "killed", "were killed", "killing", "wounded", "injuring", "dead", "died", "including", "children",
    "child", "women", "soldiers", "militants", "gunmen", "police", "civilians", "people", "others",
    "at least", "more than", "dozens", "hundreds", "several", "a dozen", "thousand", "million",
    "billion", "death toll rose to", "the toll stood at", "no one was hurt", "Gunmen", "Russian forces",
    "shelled", "attacked", "clashed with", "an air strike", "a bomb exploded", "protesters",
    "on Monday", "yesterday", "overnight", "last week", "on 5 March", "on 31 February 2031",
    "on March 3, 1950", "on 1 January 2099", "in Kano, Nigeria", "in Nikopol", "Kabul", "Mogadishu",
    "Syria", "state", "province", "said", "told reporters", "claimed", "ceasefire", "truce",
    "-year-old", "the", "and", "of", "a", "in", "near",
)
GLUE = (" ", " ", " ", ", ", ". ", "; ", ": ", "\n\n", "\n", " - ", "'s ", "\t")


def numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 10**30).map(str),
        st.integers(0, 10**12).map("{:,}".format),
        st.text("0123456789", min_size=1, max_size=5000),  # past Python's 4,300-digit int limit
        st.sampled_from(("one", "two", "five", "twelve", "ninety-nine", "a hundred", "seven thousand")),
    )


def raw_text() -> st.SearchStrategy[str]:
    """Any characters, lone surrogates and controls included."""
    return st.text(st.characters(codec=None, categories=None), max_size=40)


ACTORS = ("Gunmen", "Russian forces", "Militants", "Police", "Protesters", "A suicide bomber", "Troops", "")
VICTIMS = ("people", "civilians", "soldiers", "children", "women and children", "militants", "villagers", "")
PLACES = ("in Kano, Nigeria", "in Nikopol", "near Kabul", "in Mogadishu, Somalia", "in Syria's Idlib province", "")
DATES = ("on Monday", "yesterday", "overnight", "last week", "on 5 March", "on 31 February 2031",
         "on March 3, 1950", "on 1 January 2099", "on 12 June 2019", "")


@composite
def report(draw) -> str:
    """A casualty sentence with random (and often absurd) numbers, places and dates."""
    def slot(options: tuple[str, ...]) -> str:
        return draw(st.one_of(st.sampled_from(options), raw_text()))
    verb = draw(st.sampled_from(("killed", "shelled", "attacked", "clashed with", "shot dead", "wounded")))
    children = draw(st.one_of(st.just(""), numbers().map(", including {} children,".format)))
    hurt = draw(st.one_of(st.just(""), numbers().map(" and wounded {}".format)))
    return (f"{slot(ACTORS)} {verb} {draw(numbers())} {slot(VICTIMS)}{children}{hurt} {slot(PLACES)} "
            f"{slot(DATES)}, {draw(st.sampled_from(('police said', 'officials said', 'a resident told us')))}.")


@composite
def hostile_text(draw) -> str:
    pieces = draw(st.lists(st.one_of(report(), st.sampled_from(WORDS), numbers(), raw_text(), st.sampled_from(GLUE)),
                           min_size=1, max_size=60))
    return " ".join(pieces)


publication = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2024, 12, 31)))


def assert_valid(event: Event, article: Article) -> None:
    assert type(event.fatalities) is int and 0 <= event.fatalities <= MAX_CASUALTIES
    assert event.injuries is None or (type(event.injuries) is int and 0 <= event.injuries <= MAX_CASUALTIES)
    assert event.child_fatalities is None or 0 <= event.child_fatalities <= event.fatalities
    if event.event_date is not None:
        published = article.published
        latest = (published or date.today()) + DATE_SLACK
        assert event.event_date <= latest
        assert published is None or event.event_date >= published - MAX_EVENT_AGE
    assert event.time_precision in (1, 2, 3)
    assert event.sub_event_type in SUB_EVENT_TYPES[event.event_type]
    assert event.geo_precision in (None, 1, 2, 3)
    assert event.latitude is None or -90 <= event.latitude <= 90
    assert event.longitude is None or -180 <= event.longitude <= 180
    assert 0 <= event.confidence <= 1
    assert event.actor1
    for span in event.spans.values():
        assert 0 <= span.start <= span.end <= len(article.text)
        assert span.text == article.text[span.start:span.end]


def extract_and_check(pipeline, article: Article) -> None:
    events = pipeline.extract_article(article)
    for event in events:
        assert_valid(event, article)
    export.jsonl_line(article.id, events).encode("utf-8")
    export.csv_rows(events, header=True).encode("utf-8")


@fuzz(3000)
@given(text=hostile_text(), published=publication)
def test_hostile_json_lines(pipeline, text: str, published: date | None) -> None:
    line = json.dumps({"id": "fuzz", "text": text, "published": published and published.isoformat()})
    result = jsonl_line_result(line, "fuzz.jsonl:1")
    if result.article is not None:
        assert result.error is None
        extract_and_check(pipeline, result.article)
    else:
        assert result.error and "\n" not in result.error


@fuzz(1000)
@given(data=st.binary(max_size=3000), published=publication)
def test_random_bytes_as_a_text_file(pipeline, data: bytes, published: date | None) -> None:
    result = plain_text_result(data, "fuzz.txt", published=published)
    if result.article is not None:
        extract_and_check(pipeline, result.article)
    else:
        assert result.error and "\n" not in result.error
