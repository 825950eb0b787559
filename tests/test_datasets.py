"""The learning sets: a fixed split that never moves, and label maps into ACLED's vocabulary."""

from __future__ import annotations

import pytest

from eventwatch.vocab import ACTOR_TYPES, EVENT_TYPE_OF, EVENT_TYPES
from training import datasets
from training.datasets import SETS, DataMissing, is_validation, load, mm_sub_type


@pytest.fixture(scope="module")
def parts():
    try:
        return {name: {part: load(name, part) for part in ("train", "validation", "all")} for name in SETS}
    except DataMissing as exc:
        pytest.skip(str(exc))


def test_split_is_the_documented_hash():
    # Worked by hand from the formula in the docstring: sha256 of the key string, mod 5.
    import hashlib

    for set_name, key in [("satp", "satp-101010701"), ("cameo", "Troops fired on the crowd."), ("ipe", "11")]:
        digest = hashlib.sha256(f"eventwatch-split:{set_name}:{key}".encode()).hexdigest()
        assert is_validation(set_name, key) == (int(digest, 16) % 5 == 0)
    # The set name is part of the key: the same key falls differently in some set.
    keys = [f"k{i}" for i in range(200)]
    assert [is_validation("satp", k) for k in keys] != [is_validation("mm", k) for k in keys]


def test_split_takes_about_a_fifth():
    share = sum(is_validation("satp", f"satp-{i}") for i in range(5000)) / 5000
    assert 0.18 < share < 0.22


def test_parts_are_disjoint_and_cover_each_set(parts):
    for name, p in parts.items():
        train = {r.id for r in p["train"]}
        validation = {r.id for r in p["validation"]}
        assert not train & validation, name
        assert len(p["train"]) + len(p["validation"]) == len(p["all"]), name
        assert 0.15 < len(p["validation"]) / len(p["all"]) < 0.25, name


def test_set_sizes_are_those_of_the_source_files(parts):
    sizes = {name: len(p["all"]) for name, p in parts.items()}
    assert sizes == {"satp": 6001, "isaf": 357, "cameo": 1800, "mm": 10683, "ipe": 1257}


def test_split_is_stable_across_loads(parts):
    again = load("isaf", "validation")
    assert [r.id for r in again] == [r.id for r in parts["isaf"]["validation"]]


def test_ids_are_unique_within_each_set(parts):
    for name, p in parts.items():
        ids = [r.id for r in p["all"]]
        assert len(ids) == len(set(ids)), name


def test_mass_mobilization_notes_never_straddle_the_split(parts):
    sides: dict[str, set[bool]] = {}
    for part in ("train", "validation"):
        for r in parts["mm"][part]:
            sides.setdefault(" ".join(r.text.split()), set()).add(part == "validation")
    assert all(len(s) == 1 for s in sides.values())
    assert any(len([r for r in parts["mm"]["all"] if r.text == t]) > 1 for t in list(sides)[:400])


def test_gold_uses_acled_names_only(parts):
    for name, p in parts.items():
        for r in p["all"]:
            g = r.gold
            assert g.event_type is None or g.event_type in EVENT_TYPES, (name, g)
            assert g.sub_event_type is None or EVENT_TYPE_OF[g.sub_event_type] == g.event_type, (name, g)
            assert g.actor1_type is None or g.actor1_type in ACTOR_TYPES, (name, g)


def test_mm_mapping_follows_source_order():
    assert mm_sub_type(True, ["killings"])[1] == "Violent demonstration"
    assert mm_sub_type(False, ["arrests", "shootings"])[1] == "Excessive force against protesters"
    assert mm_sub_type(False, ["ignore", "crowd dispersal"])[1] == "Protest with intervention"
    assert mm_sub_type(False, ["accommodation"])[1] == "Peaceful protest"
    assert mm_sub_type(False, [])[1] == "Peaceful protest"


def test_mm_mapping_gives_the_shares_source_md_states(parts):
    from collections import Counter

    counts = Counter(r.gold.sub_event_type for r in parts["mm"]["all"])
    assert counts == {"Peaceful protest": 5978, "Violent demonstration": 2811,
                      "Protest with intervention": 1471, "Excessive force against protesters": 423}


def test_satp_armed_assault_is_resolved_by_its_targets():
    assert datasets._satp_types(["armed_assault"], ["Civilians"]) == ("Violence against civilians", "Attack")
    assert datasets._satp_types(["armed_assault"], ["Maoist"]) == ("Battles", "Armed clash")
    assert datasets._satp_types(["armed_assault"], ["Private Property"]) == (None, None)
    assert datasets._satp_types(["arrest", "seizure"], ["Maoist"]) == ("Strategic developments", "Arrests")
    # Two violent kinds of different types: neither type is sure.
    assert datasets._satp_types(["armed_assault", "bombing"], ["Security"]) == (None, None)


def test_satp_counts_and_places(parts):
    killed = [r for r in parts["satp"]["all"] if r.gold.fatalities]
    assert 0.2 < len(killed) / 6001 < 0.4  # SOURCE.md: about 70% have no death
    assert all(sum(r.gold.killed_by_side.values()) >= 0 for r in killed)
    assert {r.gold.admin1 for r in parts["satp"]["all"]} >= {"Chhattisgarh", "Jharkhand", "Andhra Pradesh"}
    assert "Andhra pradesh" not in {r.gold.admin1 for r in parts["satp"]["all"]}


def test_cameo_only_material_conflict_is_an_event(parts):
    for r in parts["cameo"]["all"]:
        assert r.gold.event == (r.gold.labels == ("4",))


def test_ipe_documents_carry_their_story_date_and_labels(parts):
    docs = parts["ipe"]["all"]
    assert sum(1 for r in docs if r.gold.event) < sum(1 for r in docs if not r.gold.event)
    assert all(r.gold.event for r in docs if "KILL" in r.gold.labels)
    assert not any(r.gold.event for r in docs if r.gold.labels in ((), ("ANY_ACTION",)))
    dated = [r.published for r in docs if r.published]
    assert dated and all(d.startswith("2002-") for d in dated)


def test_ipe_sentences_follow_their_document():
    try:
        sentences = datasets.ipe_sentences("validation")
    except DataMissing as exc:
        pytest.skip(str(exc))
    validation_docs = {r.id for r in load("ipe", "validation")}
    assert sentences and all(r.id.rsplit("-", 1)[0] in validation_docs for r in sentences)


def test_missing_data_folder_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTWATCH_SHARED", str(tmp_path))
    with pytest.raises(DataMissing, match="EVENTWATCH_SHARED"):
        load("satp", "train")


def test_unknown_set_or_part_is_refused():
    with pytest.raises(ValueError, match="choose one of"):
        load("acled", "train")
    with pytest.raises(ValueError, match="choose one of"):
        load("satp", "test")
