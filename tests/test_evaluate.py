"""The scorer: matching rule, field metrics, scorecard shape, gold loading."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from eventwatch.errors import InputError
from eventwatch.evaluate import Scorecard, format_table, load_gold, score
from eventwatch.evaluate.match import (
    haversine_km,
    match_events,
    min_cost_assignment,
    normalise_admin1,
)

DEV = Path(__file__).parents[1].parent / "shared/eval/dev.jsonl"

SCORECARD_KEYS = [
    "articles",
    "gold_events",
    "system_events",
    "matched",
    "detection",
    "event_type_accuracy",
    "sub_event_type_accuracy",
    "actor1_type_accuracy",
    "actor2_type_accuracy",
    "fatalities_exact",
    "fatalities_mae",
    "injuries_exact",
    "child_fatalities_exact",
    "event_date_exact",
    "location_within_25km",
    "admin1_accuracy",
    "civilian_targeting_accuracy",
    "ceasefire_violation_accuracy",
    "false_alarms_in_no_event_articles",
    "seconds",
]


def event(**changes):
    """A gold-format event in Idlib (Maarat al-Numan); keyword arguments override fields."""
    base = {
        "event_date": "2021-06-01",
        "time_precision": 1,
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "Military Forces of Syria",
        "actor1_type": "State forces",
        "actor2": "Civilians (Syria)",
        "actor2_type": "Civilians",
        "civilian_targeting": True,
        "country": "Syria",
        "iso2": "SY",
        "admin1": "Idlib",
        "location": "Maarat al-Numan",
        "latitude": 35.6483,
        "longitude": 36.67693,
        "geo_precision": 2,
        "fatalities": 1,
        "injuries": 1,
        "child_fatalities": 1,
        "ceasefire_violation": True,
        "evidence": "",
    }
    base.update(changes)
    return base


def one(gold_events, system_events, article_id="a1"):
    return score([{"id": article_id, "events": gold_events}], {article_id: system_events})


# Roughly 1 degree of latitude = 111.2 km.
def north_by(km):
    return 35.6483 + km / 111.195


# ------------------------------------------------------------------ matching


def test_perfect_match_gives_ones():
    card = one([event()], [event()])
    d = card.to_dict()
    assert d["matched"] == 1
    assert d["detection"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    for key in SCORECARD_KEYS[5:-2]:
        expected = 0.0 if key == "fatalities_mae" else 1.0
        assert d[key] == expected, key


def test_date_two_days_off_does_not_match_but_one_day_does():
    assert one([event()], [event(event_date="2021-06-03")]).matched == 0
    card = one([event()], [event(event_date="2021-05-31")])
    assert card.matched == 1
    assert card.to_dict()["event_date_exact"] == 0.0


def test_null_date_matches_only_null_date():
    assert one([event(event_date=None)], [event(event_date=None)]).matched == 1
    assert one([event(event_date=None)], [event()]).matched == 0
    assert one([event()], [event(event_date=None)]).matched == 0


def test_sixty_km_apart_does_not_match_forty_does():
    assert one([event()], [event(latitude=north_by(60))]).matched == 0
    card = one([event()], [event(latitude=north_by(40))])
    assert card.matched == 1
    assert card.to_dict()["location_within_25km"] == 0.0
    assert one([event()], [event(latitude=north_by(20))]).to_dict()["location_within_25km"] == 1.0


def test_missing_coordinates_match_on_country_and_admin1():
    system = event(latitude=None, longitude=None, admin1="Idlib Governorate")
    card = one([event()], [system])
    assert card.matched == 1
    d = card.to_dict()
    assert d["location_within_25km"] == 0.0  # missing system coordinates are wrong
    assert d["admin1_accuracy"] == 1.0
    # Different admin1 or different country: no match.
    assert one([event()], [event(latitude=None, longitude=None, admin1="Hama")]).matched == 0
    assert one([event()], [event(latitude=None, country="Turkey", iso2="TR")]).matched == 0
    # Coordinates on both sides decide alone, even when admin1 differs.
    assert one([event()], [event(admin1="Hama")]).matched == 1


def test_admin1_normaliser():
    assert normalise_admin1("North-West") == normalise_admin1("Northwest")
    assert normalise_admin1("Northwest Region") == "northwest"
    assert normalise_admin1("Dnipropetrovsk Oblast") == normalise_admin1("dnipropetrovsk")
    assert normalise_admin1("Ḥamāh Governorate") == normalise_admin1("hamah")
    assert normalise_admin1("Rivers State") == "rivers"
    assert normalise_admin1("Region") == "region"
    assert normalise_admin1(None) is None and normalise_admin1("  ") is None


def test_closest_of_two_candidates_wins():
    near = event(latitude=north_by(5))
    far = event(latitude=north_by(30))
    # The system event is 5 km from `near` and 30 km from `far`; list `far` first.
    assert match_events([far, near], [event()]) == [(1, 0)]
    # Same place: the one with the same date wins over the one a day off.
    assert match_events([event(event_date="2021-06-02"), event()], [event()]) == [(1, 0)]
    # Same place and date: the one with the same event_type wins.
    battle = event(event_type="Battles", sub_event_type="Armed clash")
    assert match_events([battle, event()], [event()]) == [(1, 0)]


def test_assignment_maximises_the_number_of_pairs():
    # s0 is closest to g0 but also fits g1; s1 only fits g0.  Both must pair.
    g0, g1 = event(), event(latitude=north_by(30))
    s0, s1 = event(latitude=north_by(10)), event(latitude=north_by(-20))
    assert sorted(match_events([g0, g1], [s0, s1])) == [(0, 1), (1, 0)]


def test_hungarian_agrees_with_brute_force():
    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        cost = [[rng.choice([rng.random() * 3, 99.0]) for _ in range(cols)] for _ in range(rows)]
        pairs = min_cost_assignment(cost)
        assert len(pairs) == min(rows, cols)
        assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == len(pairs)
        got = sum(cost[r][c] for r, c in pairs)
        if rows <= cols:
            best = min(
                sum(cost[r][c] for r, c in enumerate(perm))
                for perm in itertools.permutations(range(cols), rows)
            )
        else:
            best = min(
                sum(cost[r][c] for c, r in enumerate(perm))
                for perm in itertools.permutations(range(rows), cols)
            )
        assert got == pytest.approx(best)


def test_haversine():
    assert haversine_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.195, abs=0.01)
    assert haversine_km((35.0, 36.0), (35.0, 36.0)) == 0.0


# ------------------------------------------------------------------ fields


def test_battles_actor_pair_swapped_counts_correct():
    gold = event(
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1_type="State forces",
        actor2_type="Rebel groups",
        civilian_targeting=False,
    )
    swapped = dict(gold, actor1_type="Rebel groups", actor2_type="State forces")
    d = one([gold], [swapped]).to_dict()
    assert d["actor1_type_accuracy"] == 1.0 and d["actor2_type_accuracy"] == 1.0
    wrong = dict(gold, actor1_type="Rebel groups", actor2_type="Rebel groups")
    d = one([gold], [wrong]).to_dict()
    assert d["actor1_type_accuracy"] == 0.0 and d["actor2_type_accuracy"] == 0.0


def test_non_battle_actor_order_matters():
    swapped = event(actor1_type="Civilians", actor2_type="State forces")
    d = one([event()], [swapped]).to_dict()
    assert d["actor1_type_accuracy"] == 0.0 and d["actor2_type_accuracy"] == 0.0
    d = one([event(actor2_type=None)], [event(actor2_type=None)]).to_dict()
    assert d["actor2_type_accuracy"] == 1.0


def test_injuries_and_child_fatalities_null_equals_zero_but_fatalities_strict():
    gold = event(injuries=None, child_fatalities=0, fatalities=0)
    system = event(injuries=0, child_fatalities=None, fatalities=None)
    d = one([gold], [system]).to_dict()
    assert d["injuries_exact"] == 1.0
    assert d["child_fatalities_exact"] == 1.0
    assert d["fatalities_exact"] == 0.0
    assert d["fatalities_mae"] == 0.0  # a missing system figure counts as 0 in the error
    d = one([event(injuries=None)], [event(injuries=2)]).to_dict()
    assert d["injuries_exact"] == 0.0


def test_fatalities_mae_and_rates_over_pairs():
    gold = [event(fatalities=4), event(fatalities=2, latitude=north_by(100))]
    system = [event(fatalities=1), event(fatalities=2, latitude=north_by(100))]
    d = one(gold, system).to_dict()
    assert d["fatalities_exact"] == 0.5
    assert d["fatalities_mae"] == 1.5


def test_false_alarms_in_no_event_article():
    gold = [{"id": "empty", "events": []}, {"id": "full", "events": [event()]}]
    predicted = {
        "empty": [event(), event(latitude=north_by(200))],
        "full": [event(), event(latitude=north_by(300))],
    }
    card = score(gold, predicted)
    d = card.to_dict()
    assert d["false_alarms_in_no_event_articles"] == 2
    assert card.detection.fp == 3 and card.detection.tp == 1 and card.detection.fn == 0


def test_missing_article_predicts_nothing_and_unknown_ids_are_ignored():
    gold = [{"id": "a", "events": [event()]}, {"id": "b", "events": []}]
    card = score(gold, {"zzz": [event()]})
    d = card.to_dict()
    assert d["articles"] == 2 and d["system_events"] == 0 and d["matched"] == 0
    assert d["detection"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert d["event_type_accuracy"] is None and d["fatalities_mae"] is None


def test_f1_arithmetic():
    # 3 gold, 4 system, 2 matched: P = 2/4, R = 2/3, F1 = 2PR/(P+R) = 4/7.
    far = [north_by(k) for k in (0, 100, 200, 300, 400)]
    gold = [event(latitude=far[0]), event(latitude=far[1]), event(latitude=far[2])]
    system = [
        event(latitude=far[0]),
        event(latitude=far[1]),
        event(latitude=far[3]),
        event(latitude=far[4]),
    ]
    card = one(gold, system)
    assert (card.detection.tp, card.detection.fp, card.detection.fn) == (2, 2, 1)
    assert card.to_dict()["detection"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714}


def test_event_type_and_flags():
    system = event(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        civilian_targeting=None,
        ceasefire_violation=True,
    )
    d = one([event()], [system]).to_dict()
    assert d["matched"] == 1  # event_type only ranks candidates, it never blocks a match
    assert d["event_type_accuracy"] == 0.0 and d["sub_event_type_accuracy"] == 0.0
    assert d["civilian_targeting_accuracy"] == 0.0
    assert d["ceasefire_violation_accuracy"] == 1.0


# ------------------------------------------------------------------ shape and report


def test_scorecard_keys_and_detail():
    card = one([event()], [event()])
    assert isinstance(card, Scorecard)
    d = card.to_dict()
    assert list(d) == SCORECARD_KEYS
    json.dumps(d)
    detailed = card.to_dict(detail=True)
    assert detailed["per_article"] == [
        {"id": "a1", "gold": 1, "system": 1, "matched": 1, "misses": 0, "false_alarms": 0}
    ]


def test_format_table_lists_detection_first():
    card = score([{"id": "a", "events": [event()]}], {"a": [event()]}, seconds=2.5)
    table = format_table(card)
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["metric", "value"]
    assert lines[2].startswith("detection precision")
    assert "admin1 accuracy" in table and "2.50" in table
    assert len({len(line) for line in lines[:4]}) == 1  # aligned columns


def test_event_objects_with_to_dict_are_accepted():
    class Obj:
        def to_dict(self):
            return event()

    assert score([{"id": "a", "events": [event()]}], {"a": [Obj()]}).matched == 1


# ------------------------------------------------------------------ gold files


def test_load_gold_errors_name_the_line(tmp_path):
    good = json.dumps({"id": "x", "text": "t", "events": []})
    cases = {
        "{not json": "line 2",
        json.dumps({"text": "t", "events": []}): "'id'",
        json.dumps({"id": "y", "events": []}): "'text'",
        json.dumps({"id": "y", "text": "t"}): "'events'",
        json.dumps([1, 2]): "JSON object",
        good: "already used",
    }
    for bad, message in cases.items():
        path = tmp_path / "gold.jsonl"
        path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_gold(path)
        assert "line 2" in str(err.value) and message in str(err.value)
    with pytest.raises(InputError):
        load_gold(tmp_path / "absent.jsonl")


def test_load_gold_skips_blank_lines(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n" + json.dumps({"id": "x", "text": "t", "events": []}) + "\n\n")
    assert [a["id"] for a in load_gold(path)] == ["x"]


@pytest.mark.skipif(not DEV.exists(), reason="shared/eval/dev.jsonl not present")
def test_dev_set_scored_against_itself_is_perfect():
    gold = load_gold(DEV)
    card = score(gold, {a["id"]: a["events"] for a in gold}, seconds=1.0)
    d = card.to_dict(detail=True)
    assert d["articles"] == len(gold)
    assert d["gold_events"] == d["system_events"] == d["matched"] > 0
    assert d["detection"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    for key in SCORECARD_KEYS[5:-2]:
        assert d[key] == (0.0 if key == "fatalities_mae" else 1.0), key
    assert d["false_alarms_in_no_event_articles"] == 0
    assert all(a["misses"] == a["false_alarms"] == 0 for a in d["per_article"])
