"""Corpus merge: which reports are one incident, and what the merged event says."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest

from eventwatch.corpus.merge import (
    _candidate_pairs,
    _canonical,
    cluster,
    compatible,
    incompatibility,
    merge,
    merge_corpus,
)
from tests.corpus.factory import KHERSON, OLESHKY, VELYKI_KOPANI, report


def groups(clusters: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for report_id, cluster_id in clusters.items():
        out.setdefault(cluster_id, set()).add(report_id)
    return {frozenset(g) for g in out.values()}


# ------------------------------------------------------------------ which reports merge

def test_two_outlets_on_one_shelling_in_kherson_merge():
    a = report("ukrinform-0304", source="Ukrinform", fatalities=3, injuries=7,
               evidence="Russian forces shelled Kherson on Monday, killing three civilians and wounding seven.")
    b = report("kyiv-independent-0305", source="Kyiv Independent", actor1="Unidentified Armed Group (Ukraine)",
               actor1_type="Political militias", fatalities=3,
               evidence="Three people were killed when artillery shells hit a market in Kherson overnight.")
    clusters = cluster([a, b])
    assert clusters[a.event_id] == clusters[b.event_id]


def test_the_same_town_two_days_apart_are_two_events():
    a = report("ukrinform-0304", day=date(2024, 3, 4))
    b = report("suspilne-0306", day=date(2024, 3, 6), source="Suspilne")
    assert incompatibility(a, b) == "date"
    assert len(groups(cluster([a, b]))) == 2


def test_one_day_apart_still_merges():
    # a night spans two dates; outlets date an overnight strike either way
    a = report("ukrinform-0304", day=date(2024, 3, 4))
    b = report("suspilne-0305", day=date(2024, 3, 5), source="Suspilne")
    assert compatible(a, b)


def test_towns_30_km_apart_are_two_events():
    a = report("ukrinform-0304", place=KHERSON)
    b = report("suspilne-0304", place=VELYKI_KOPANI, source="Suspilne")
    assert incompatibility(a, b) == "place"
    assert len(groups(cluster([a, b]))) == 2


def test_a_neighbouring_town_within_25_km_merges():
    assert compatible(report("ukrinform-0304", place=KHERSON), report("suspilne-0304", place=OLESHKY))


def test_a_region_only_report_merges_by_admin1():
    precise = report("ukrinform-0304", place=KHERSON)
    region = report("rbc-0304", place=("Kherson Oblast", 46.8, 33.2), admin1="Kherson", geo_precision=3)
    elsewhere = report("rbc-0304b", place=("Zaporizhzhia Oblast", 47.5, 35.8), admin1="Zaporizhzhia", geo_precision=3)
    assert compatible(precise, region)
    assert incompatibility(precise, elsewhere) == "place"


def test_a_battle_and_a_protest_in_one_town_on_one_day_are_two_events():
    battle = report("ukrinform-0304", event_type="Battles", sub_event_type="Armed clash",
                    actor1="Military Forces of Ukraine", actor1_type="State forces",
                    actor2="Military Forces of Russia", actor2_type="External/Other forces")
    protest = report("suspilne-0304", event_type="Protests", sub_event_type="Peaceful protest",
                     actor1="Protesters (Ukraine)", actor1_type="Protesters", actor2=None, actor2_type=None,
                     fatalities=0, toll_stated=False)
    assert incompatibility(battle, protest) == "type"
    assert len(groups(cluster([battle, protest]))) == 2


@pytest.mark.parametrize(("type_a", "type_b", "expected"), [
    (("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"), True),
    (("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Explosions/Remote violence", "Suicide bomb"), True),
    (("Battles", "Armed clash"), ("Battles", "Non-state actor overtakes territory"), True),
    (("Violence against civilians", "Abduction/forced disappearance"), ("Violence against civilians", "Attack"), True),
    (("Violence against civilians", "Abduction/forced disappearance"), ("Explosions/Remote violence", "Air/drone strike"), False),
    (("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"), False),
    (("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Explosions/Remote violence", "Air/drone strike"), False),
    (("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"), True),
    (("Protests", "Peaceful protest"), ("Violence against civilians", "Attack"), False),
    (("Strategic developments", "Arrests"), ("Strategic developments", "Looting/property destruction"), False),
    (("Strategic developments", "Arrests"), ("Strategic developments", "Arrests"), True),
])
def test_type_compatibility(type_a, type_b, expected):
    actor = dict(actor1="Unidentified Armed Group (Ukraine)", actor1_type="Political militias")
    a = report("a1", event_type=type_a[0], sub_event_type=type_a[1], **actor)
    b = report("b1", event_type=type_b[0], sub_event_type=type_b[1], **actor)
    assert compatible(a, b) is expected


@pytest.mark.parametrize(("type_a", "type_b"), [
    (("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash")),
    (("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack")),
    (("Battles", "Armed clash"), ("Violence against civilians", "Attack")),
])
def test_bridged_sub_types_need_the_same_named_perpetrator(type_a, type_b):
    russia = dict(actor1="Military Forces of Russia", actor1_type="External/Other forces")
    unknown = dict(actor1="Unidentified Armed Group (Ukraine)", actor1_type="Political militias")
    named_a = report("a1", event_type=type_a[0], sub_event_type=type_a[1], **russia)
    named_b = report("b1", event_type=type_b[0], sub_event_type=type_b[1], **russia)
    unnamed_b = report("c1", event_type=type_b[0], sub_event_type=type_b[1], **unknown)
    assert compatible(named_a, named_b)
    assert incompatibility(named_a, unnamed_b) == "actor"


def test_protesters_and_rioters_are_one_crowd():
    a = report("a1", event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Ukraine)",
               actor1_type="Protesters", actor2=None, actor2_type=None)
    b = report("b1", event_type="Riots", sub_event_type="Violent demonstration", actor1="Rioters (Ukraine)",
               actor1_type="Rioters", actor2=None, actor2_type=None)
    assert compatible(a, b)


def test_different_named_perpetrators_do_not_merge_but_an_unidentified_one_does():
    russia = report("a1")
    other = report("b1", actor1="Military Forces of Ukraine", actor1_type="State forces")
    unknown = report("c1", actor1="Unidentified Armed Group (Ukraine)", actor1_type="Political militias")
    assert incompatibility(russia, other) == "actor"
    assert compatible(russia, unknown) and compatible(other, unknown)


def test_a_battle_told_from_the_other_side_merges():
    kw = dict(event_type="Battles", sub_event_type="Armed clash", actor1_type="State forces",
              actor2_type="External/Other forces")
    a = report("a1", actor1="Military Forces of Ukraine", actor2="Military Forces of Russia", **kw)
    b = report("b1", actor1="Military Forces of Russia", actor2="Military Forces of Ukraine", **kw)
    assert compatible(a, b)


def test_another_day_another_town_and_another_weapon_is_another_incident():
    shelling = report("a1", day=date(2024, 7, 15), place=KHERSON)
    drone = report("b1", day=date(2024, 7, 14), place=OLESHKY, sub_event_type="Air/drone strike", fatalities=0)
    assert incompatibility(shelling, drone) == "combined"
    # any two of the three differences alone still merge
    assert compatible(shelling, report("c1", day=date(2024, 7, 14), place=OLESHKY))
    assert compatible(shelling, report("d1", day=date(2024, 7, 14), sub_event_type="Air/drone strike"))
    assert compatible(shelling, report("e1", day=date(2024, 7, 15), place=OLESHKY, sub_event_type="Air/drone strike"))


def test_two_reports_of_one_article_never_merge():
    a = report("same-article")
    b = report("same-article", place=OLESHKY)
    assert incompatibility(a, b) == "article"
    assert len(groups(cluster([a, b]))) == 2


def test_undated_reports_stay_alone():
    a = report("a1", day=None)
    b = report("b1", day=None)
    assert len(groups(cluster([a, b]))) == 2


def test_the_cluster_id_is_the_smallest_report_id():
    reports = [report(f"outlet-{i}", source=f"Outlet {i}") for i in range(4)]
    clusters = cluster(reports)
    assert set(clusters.values()) == {min(r.event_id for r in reports)}


# ------------------------------------------------------------------ no chaining, order independence

def _line_of_towns(n: int, step_km: float = 20.0) -> list:
    """Towns due east of Kherson, one every ``step_km``; one report of each, same day."""
    lat, lon = KHERSON[1], KHERSON[2]
    per_degree = 111.32 * math.cos(math.radians(lat))
    return [
        report(f"outlet-{i}", source=f"Outlet {i}", place=(f"Town {i}", lat, lon + i * step_km / per_degree))
        for i in range(n)
    ]


def test_no_chaining_along_a_line_of_towns_20_km_apart():
    reports = _line_of_towns(12)
    by_id = {r.event_id: r for r in reports}
    found = groups(cluster(reports))
    assert all(len(g) <= 2 for g in found)  # 40 km is out of reach, so at most neighbours pair up
    for g in found:
        members = [by_id[i] for i in g]
        assert all(compatible(x, y) for x in members for y in members if x is not y)


def test_no_chaining_across_consecutive_days():
    reports = [report(f"outlet-{i}", source=f"Outlet {i}", day=date(2024, 3, 1) + timedelta(days=i)) for i in range(8)]
    assert all(len(g) <= 2 for g in groups(cluster(reports)))


def _mixed_corpus() -> list:
    rng = random.Random(7)
    reports = _line_of_towns(10)
    for i in range(30):
        reports.append(report(
            f"mixed-{i}", source=f"Outlet {i % 6}",
            day=date(2024, 3, 1) + timedelta(days=rng.randrange(4)),
            place=rng.choice([KHERSON, OLESHKY, VELYKI_KOPANI]),
            actor1=rng.choice(["Military Forces of Russia", "Unidentified Armed Group (Ukraine)"]),
            fatalities=rng.randrange(6),
        ))
    return reports


def test_clusters_do_not_depend_on_input_order():
    reports = _mixed_corpus()
    expected = cluster(reports)
    assert len(set(expected.values())) < len(reports)  # something merged, something did not
    assert len(set(expected.values())) > 1
    rng = random.Random(0)
    for _ in range(20):
        shuffled = list(reports)
        rng.shuffle(shuffled)
        assert cluster(shuffled) == expected


def test_merged_events_do_not_depend_on_input_order():
    reports = _mixed_corpus()
    _, expected = merge_corpus(reports)
    rng = random.Random(1)
    for _ in range(20):
        shuffled = list(reports)
        rng.shuffle(shuffled)
        _, merged = merge_corpus(shuffled)
        assert [m.to_dict() for m in merged] == [m.to_dict() for m in expected]


# ------------------------------------------------------------------ the merged record

def test_conflicting_tolls_take_the_lowest():
    a = report("ukrinform-0304", fatalities=12, injuries=20, source="Ukrinform")
    b = report("reuters-0304", fatalities=30, injuries=15, source="Reuters")
    merged = merge([a, b], "c1").event
    assert merged.fatalities == 12
    assert merged.injuries == 15


def test_a_report_without_a_toll_does_not_lower_it():
    a = report("a1", fatalities=5)
    b = report("b1", fatalities=0, toll_stated=False)
    assert merge([a, b], "c1").event.fatalities == 5


def test_sources_articles_and_reports_are_listed_sorted():
    a = report("ukrinform-0304", source="Ukrinform")
    b = report("bbc-0304", source="BBC Ukrainian")
    c = report("apnews-0304", source="AP;Ukrinform")
    corpus_event = merge([a, b, c], "c1")
    assert corpus_event.event.source == "AP;BBC Ukrainian;Ukrinform"
    assert corpus_event.article_ids == ["apnews-0304", "bbc-0304", "ukrinform-0304"]
    assert corpus_event.report_ids == sorted(r.event_id for r in (a, b, c))
    assert corpus_event.event.article_id == "apnews-0304"
    assert corpus_event.event.event_id == "c1"
    assert corpus_event.event.spans == {}


def test_the_most_frequent_date_wins_and_ties_go_to_the_earliest():
    two_on_fifth = [report("a1", day=date(2024, 3, 5)), report("b1", day=date(2024, 3, 5)),
                    report("c1", day=date(2024, 3, 4))]
    assert merge(two_on_fifth, "x").event.event_date == date(2024, 3, 5)
    tie = [report("a1", day=date(2024, 3, 5)), report("b1", day=date(2024, 3, 4))]
    assert merge(tie, "x").event.event_date == date(2024, 3, 4)


def test_the_most_precise_place_wins():
    near = report("a1", place=OLESHKY, geo_precision=2)
    exact = report("b1", place=KHERSON, geo_precision=1)
    region = report("c1", place=("Kherson Oblast", 46.8, 33.2), geo_precision=3)
    merged = merge([near, region, exact], "x").event
    assert (merged.location, merged.geo_precision, merged.latitude) == ("Kherson", 1, KHERSON[1])


def test_a_named_perpetrator_beats_unidentified_ones():
    reports = [report("a1"), report("b1", actor1="Unidentified Armed Group (Ukraine)", actor1_type="Political militias"),
               report("c1", actor1="Unidentified Armed Group (Ukraine)", actor1_type="Political militias")]
    merged = merge(reports, "x").event
    assert (merged.actor1, merged.actor1_type) == ("Military Forces of Russia", "External/Other forces")
    assert merged.civilian_targeting is True


def test_civilian_targeting_follows_the_chosen_type():
    clash = dict(event_type="Battles", sub_event_type="Armed clash", actor1="Military Forces of Ukraine",
                 actor1_type="State forces", actor2="Military Forces of Russia", actor2_type="External/Other forces")
    reports = [report("a1", **clash), report("b1", **clash), report("c1")]
    merged = merge(reports, "x").event
    assert merged.event_type == "Battles"
    assert merged.civilian_targeting is False


def test_ceasefire_violation_needs_evidence():
    with_evidence = report("a1", ceasefire_violation=True)
    without = report("b1")
    without.ceasefire_violation = True  # flag set but no span for it
    assert merge([with_evidence, report("c1")], "x").event.ceasefire_violation is True
    assert merge([without, report("c1")], "x").event.ceasefire_violation is False


def test_evidence_and_confidence_come_from_the_most_confident_report():
    weak = report("a1", confidence=0.6, evidence="Shelling was reported in Kherson.")
    strong = report("b1", confidence=0.9, evidence="Russian forces shelled Kherson on Monday, killing three.")
    merged = merge([weak, strong], "x").event
    assert merged.evidence == strong.evidence
    assert merged.confidence == 0.9
    assert merged.notes.startswith("On 2024-03-04, Military Forces of Russia: shelling/artillery/missile attack")
    assert merged.notes.count(".") == 1 and merged.notes.endswith("reported by 1 source.")


# ------------------------------------------------------------------ with the real pipeline

def test_two_differently_worded_articles_through_the_pipeline_merge(pipeline):
    from eventwatch.model import Article

    first = Article(
        text="KHERSON, Ukraine — Russian forces shelled Kherson on Monday, killing three civilians and "
             "wounding seven, the regional governor said.",
        published=date(2024, 3, 5), source="Ukrinform", url="https://example.org/1")
    second = Article(
        text="Artillery shells hit a market in the southern Ukrainian city of Kherson overnight, killing at "
             "least five people, officials said on Tuesday.",
        published=date(2024, 3, 5), source="Kyiv Independent", url="https://example.org/2")
    reports = pipeline.extract_article(first) + pipeline.extract_article(second)
    assert len(reports) == 2
    clusters, merged = merge_corpus(reports)
    assert len(merged) == 1
    assert merged[0].event.fatalities == 3
    assert merged[0].event.source == "Kyiv Independent;Ukrinform"


def _all_allowed_pairs(reports):
    """Every allowed pair by comparing each report with every other: what the indexed search must find."""
    ordered = _canonical(reports)
    found = set()
    for lo in range(len(ordered)):
        for hi in range(lo + 1, len(ordered)):
            a, b = ordered[lo], ordered[hi]
            if compatible(a, b):
                found.add((lo, hi))
    return ordered, found


@pytest.mark.parametrize("seed", range(6))
def test_the_place_index_finds_every_pair_a_full_comparison_finds(seed):
    rng = random.Random(seed)
    # crowded places: near a cell's edges, across the antimeridian, near a pole, region-only reports
    centres = [(46.62, 32.72), (0.249, 35.999), (-17.8, 179.95), (-17.8, -179.97), (78.2, 15.6), (78.4, -160.0)]
    kinds = [("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Battles", "Armed clash"), ("Violence against civilians", "Attack")]
    reports = []
    for n in range(160):
        lat, lon = rng.choice(centres)
        lat += rng.uniform(-0.3, 0.3)
        lon = (lon + rng.uniform(-0.5, 0.5) + 540.0) % 360.0 - 180.0
        regional = rng.random() < 0.2
        event_type, sub_event_type = rng.choice(kinds)
        reports.append(report(
            f"art-{n:03d}", day=date(2024, 3, 4) + timedelta(days=rng.randrange(3)),
            place=None if regional else (f"Town {n}", lat, lon), admin1=rng.choice(["North", "South", None]),
            geo_precision=3 if regional else rng.choice([1, 2, 3]),
            event_type=event_type, sub_event_type=sub_event_type,
            actor1=rng.choice(["Military Forces of Russia", "Unidentified Armed Group (Ukraine)"])))
    ordered, expected = _all_allowed_pairs(reports)
    assert len(expected) > 100   # the test must exercise many pairs
    assert {(lo, hi) for _, lo, hi in _candidate_pairs(ordered)} == expected
