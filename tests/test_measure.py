"""Scoring one real text's events against its set's gold (training/measure.py)."""

from __future__ import annotations

from training.datasets import Gold
from training.measure import Ratio, admin1_key, outcome, primary, summarise, weighted_f1

CLASH = Gold(event=True, event_type="Battles", sub_event_type="Armed clash", fatalities=3, injuries=1,
             admin1="Chhattisgarh", latitude=18.8, longitude=81.35, event_date="2010-04-06",
             actor1_type="Rebel groups", labels=("armed_assault",))


def event(**fields):
    base = {"event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 0, "injuries": None,
            "admin1": None, "latitude": None, "longitude": None, "event_date": None, "actor1_type": None}
    return base | fields


def test_primary_is_the_deadliest_then_the_first():
    a, b, c = event(fatalities=1), event(fatalities=5), event(fatalities=5, admin1="x")
    assert primary([a, b, c]) is b
    assert primary([event(), event(admin1="y")])["admin1"] is None
    assert primary([]) is None


def test_a_text_with_no_event_is_wrong_on_every_field_that_applies():
    out = outcome(CLASH, [])
    assert out["event_found"] is False
    assert not any(v for k, v in out.items() if k not in ("killed_mae", "sub_pair"))
    assert out["killed_mae"] == 3
    assert out["sub_pair"] == ("Armed clash", "none")
    assert "no_event" not in out


def test_killed_and_injured_are_summed_over_the_text():
    found = [event(fatalities=2, injuries=1), event(fatalities=1)]
    out = outcome(CLASH, found)
    assert out["killed_exact"] and out["killed_mae"] == 0 and out["injured_exact"]
    assert not outcome(CLASH, found[:1])["killed_exact"]


def test_place_date_and_actor_are_read_from_the_primary_event():
    good = event(fatalities=3, admin1="Chhattisgarh State", latitude=18.9, longitude=81.4,
                 event_date="2010-04-06", actor1_type="Rebel groups")
    out = outcome(CLASH, [event(admin1="Odisha"), good])
    assert out["admin1"] and out["within_25km"] and out["date_exact"] and out["actor1_type"]
    far = good | {"latitude": 19.3}  # about 55 km north
    assert not outcome(CLASH, [far])["within_25km"]
    assert "date_exact" not in outcome(CLASH, [good], date_stated=False)


def test_measures_apply_only_where_the_gold_says_the_field():
    sentence = Gold(event=False, labels=("3",))
    assert outcome(sentence, []) == {"no_event": True}
    assert outcome(sentence, [event()]) == {"no_event": False}


def test_a_kill_label_without_a_count_asks_for_someone_killed():
    doc = Gold(event=True, labels=("ANY_ACTION", "FORCE", "KILL"))
    assert outcome(doc, [event(fatalities=2)])["killed_found"] is True
    assert outcome(doc, [event()])["killed_found"] is False
    assert "killed_exact" not in outcome(doc, [event()])


def test_admin1_spelling_variants_compare_equal():
    assert admin1_key("Paktia") == admin1_key("Paktya")
    assert admin1_key("Sar-e Pol") == admin1_key("sar-e pul")
    assert admin1_key("Kandahar") != admin1_key("Helmand")
    assert admin1_key(None) is None


def test_summarise_pools_ratios_and_the_mean_error():
    card = summarise([outcome(CLASH, []), outcome(CLASH, [event(fatalities=3)])])
    assert card["event_found"] == Ratio(1, 2)
    assert card["killed_exact"].value == 0.5
    assert card["killed_mae"] == 1.5
    assert "no_event" not in card
    assert Ratio(0, 0).value is None


def test_weighted_f1_weights_classes_by_support():
    pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b")]
    # a: P=1, R=2/3, F1=0.8; b: P=0.5, R=1, F1=2/3; weighted by 3 and 1.
    assert weighted_f1(pairs) == round((3 * 0.8 + 1 * 2 / 3) / 4, 4)
    assert weighted_f1([("a", "none")]) == 0.0
