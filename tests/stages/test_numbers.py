"""Casualty counting on sentences written for these tests."""

from __future__ import annotations

import pytest

from eventwatch.stages.numbers import tally


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injuries", "children"),
    [
        ("Gunmen killed a farmer and his two sons near the market, police said.", 3, None, 2),
        ("The blast killed four soldiers and two militants and wounded nine others.", 6, 9, 0),
        ("Dozens of people were wounded in the stampede.", 0, 12, 0),
        ("A dozen villagers were killed and tens were injured.", 12, 10, None),
        ("The strike caused no casualties, the governor said.", 0, 0, 0),
        ("An 11-year-old girl was killed and her mother was hurt.", 1, 1, 1),
        ("Two policemen were shot dead and five wounded at the checkpoint.", 2, 5, 0),
        ("The bombing killed seven people, among them three children.", 7, None, 3),
    ],
)
def test_counts(sentence, fatalities, injuries, children):
    result = tally([(sentence, 0)])
    assert (result.fatalities, result.injuries, result.child_fatalities) == (fatalities, injuries, children)


def test_conflicting_tolls_take_the_lowest():
    result = tally([
        ("Police said 14 people were killed in the raid.", 0),
        ("A local lawmaker said more than 40 people were killed.", 60),
    ])
    assert result.fatalities == 14


def test_both_sides_of_a_battle_add_up():
    result = tally([
        ("The army said its troops killed at least eight insurgents.", 0),
        ("Three soldiers were killed in the fighting.", 70),
    ])
    assert result.fatalities == 11


def test_precise_figure_beats_vague_amount():
    result = tally([("Police fired on the crowd, wounding dozens. Medics said 31 people were treated for injuries.", 0)])
    assert result.injuries == 31


def test_unverified_claim_sets_no_toll():
    result = tally([
        ("Two soldiers were killed, the army said.", 0),
        ("The rebels claimed they had killed 30 soldiers.", 45),
    ])
    assert result.fatalities == 2


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injuries"),
    [
        ("The strike killed a man, his wife and their son.", 3, None),
        ("A drone hit the car, injuring the driver, a teacher at the local school.", 0, 1),
        ("Shelling killed two civilians, a man and his daughter.", 2, None),
    ],
)
def test_lists_add_up_appositions_do_not(sentence, fatalities, injuries):
    result = tally([(sentence, 0)])
    assert (result.fatalities, result.injuries) == (fatalities, injuries)


def test_further_victims_add_to_the_toll():
    result = tally([
        ("Gunmen attacked the village, killing six farmers.", 0),
        ("Two other villagers were also killed, a local chief said.", 50),
    ])
    assert result.fatalities == 8
