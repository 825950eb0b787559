"""Cross-report merging with Spark operations (grouped by islands of one country's dates) gives
exactly what corpus.merge.merge_corpus gives over the whole corpus."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from eventwatch.corpus.merge import merge_corpus
from eventwatch.model import Event
from eventwatch.spark.islands import merged_events, reports_frame, reports_schema, with_islands
from eventwatch.spark.outputs import event_row
from tests.corpus.factory import KHERSON, OLESHKY, VELYKI_KOPANI, report

DAYS = [date(2024, 3, 1) + timedelta(days=n) for n in (0, 1, 2, 4, 5, 8)]  # gaps after the 3rd and 6th
KINDS = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Military Forces of Russia"),
    ("Explosions/Remote violence", "Air/drone strike", "Military Forces of Russia"),
    ("Battles", "Armed clash", "Military Forces of Ukraine"),
    ("Violence against civilians", "Attack", "Unidentified Armed Group (Ukraine)"),
]


def _corpus(n: int = 90) -> list[Event]:
    """Reports of many articles: two countries, runs of dates with gaps, nearby and distant
    places, compatible and incompatible types, tolls that differ; some undated or without a country."""
    rng = random.Random(7)
    reports = []
    for i in range(n):
        event_type, sub_event_type, actor1 = rng.choice(KINDS)
        r = report(
            f"a{i:03d}", source=f"Outlet {i % 7}", day=rng.choice(DAYS),
            place=rng.choice([KHERSON, KHERSON, OLESHKY, VELYKI_KOPANI]), iso2=rng.choice(["UA", "UA", "RU"]),
            event_type=event_type, sub_event_type=sub_event_type, actor1=actor1, fatalities=rng.randint(0, 5),
        )
        if i % 15 == 0:
            r = replace(r, event_date=None)
        elif i % 15 == 7:
            r = replace(r, iso2=None, country=None)
        reports.append(r)
    return reports


def test_merging_by_islands_equals_merge_corpus(spark):
    reports = _corpus()
    _clusters, expected = merge_corpus(reports)
    rows = merged_events(reports_frame(spark, spark.sparkContext.parallelize(reports, 3))).collect()
    assert sorted(rows) == sorted(event_row(ce) for ce in expected)
    # Not a trivial corpus: incidents told by several articles, some of them across two dates.
    sizes = [len(ce.report_ids) for ce in expected]
    assert max(sizes) >= 3 and len(expected) < len(reports)
    assert any(len({r.event_date for r in reports if r.event_id in ce.report_ids}) == 2 for ce in expected)


def test_islands_are_runs_of_dates_at_most_one_day_apart(spark):
    def day(n: int) -> date:
        return date(2024, 3, n)

    keys = [("u1", "UA", day(1)), ("u2", "UA", day(2)), ("u2b", "UA", day(2)), ("u3", "UA", day(3)),
            ("u5", "UA", day(5)), ("s2", "SY", day(2)), ("undated", "UA", None), ("nowhere", None, day(2))]
    frame = spark.createDataFrame([(rid, iso2, d, b"") for rid, iso2, d in keys], reports_schema())
    islands = defaultdict(set)
    for row in with_islands(frame).collect():
        islands[row.island].add(row.report_id)
    assert sorted(map(sorted, islands.values())) == [
        ["nowhere"], ["s2"], ["u1", "u2", "u2b", "u3"], ["u5"], ["undated"]]
