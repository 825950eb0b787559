"""actors: ACLED actor names and types, who is a party and who is a source, civilian targeting.

Every input below is an invented, short report run through the real pipeline.
"""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.model import Article

PUBLISHED = date(2024, 3, 15)


def only_event(pipeline, text: str):
    events = pipeline.extract_article(Article(text=text, published=PUBLISHED, source="Horn Observer"))
    assert len(events) == 1, [e.to_dict() for e in events]
    return events[0]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        pytest.param("Nigerian troops clashed with insurgents near Gwoza on Monday.", "Military Forces of Nigeria",
                     id="demonym"),
        pytest.param("Government forces clashed with rebels in the town of Idlib on Monday.", "Military Forces of Syria",
                     id="government-forces"),
        pytest.param(
            "Soldiers clashed with insurgents near Gwoza on Monday.", "Military Forces of Nigeria",
            id="sentence-initial-Soldiers"
        ),
    ],
)
def test_own_state_forces_are_actor1_as_state_forces(pipeline, text, actor):
    event = only_event(pipeline, text)
    assert (event.actor1, event.actor1_type) == (actor, "State forces")


def test_foreign_army_is_external_other_forces(pipeline):
    event = only_event(pipeline, "A Russian drone hit a bus station in Kherson on Tuesday, wounding five civilians.")
    assert (event.country, event.actor1, event.actor1_type) == ("Ukraine", "Military Forces of Russia", "External/Other forces")


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Police shot dead two suspected robbers in the town of Kisumu on Sunday.", "Police Forces of Kenya"),
        ("Police killed a drug suspect in Caloocan on Monday.", "Police Forces of the Philippines"),
    ],
)
def test_police_are_police_forces_of_the_country(pipeline, text, actor):
    event = only_event(pipeline, text)
    assert (event.actor1, event.actor1_type) == (actor, "State forces")


def test_unidentified_gunmen_are_an_unidentified_armed_group(pipeline):
    event = only_event(pipeline, "Unidentified gunmen killed five traders in the town of Gusau on Tuesday.")
    assert (event.actor1, event.actor1_type) == ("Unidentified Armed Group (Nigeria)", "Political militias")


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Al Shabaab fighters attacked an army base in Baidoa on Tuesday.", "Al Shabaab"),
        ("Fighters from al-Shabaab attacked an army base in Baidoa on Tuesday.", "Al Shabaab"),
        ("Islamic State fighters beheaded four villagers near Mocimboa da Praia on Sunday.",
         "Islamic State Mozambique Province"),
        ("JNIM militants ambushed an army convoy near Douentza on Saturday.",
         "JNIM: Jama'at Nusrat al-Islam wal-Muslimin"),
    ],
)
def test_named_group_takes_its_acled_name(pipeline, text, actor):
    event = only_event(pipeline, text)
    assert (event.actor1, event.actor1_type) == (actor, "Rebel groups")


def test_the_militants_are_the_group_the_article_names(pipeline):
    event = only_event(
        pipeline,
        "Militants stormed a hotel in Mogadishu on Friday, killing nine guests. "
        "Al-Shabaab said its fighters had carried out the raid.",
    )
    assert event.actor1 == "Al Shabaab"


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed three villagers in the town of Gao on Tuesday, police said.",
        "Gunmen killed three villagers in the town of Gao on Tuesday, according to the army.",
    ],
)
def test_a_source_is_not_a_party(pipeline, text):
    event = only_event(pipeline, text)
    assert (event.actor1, event.actor2) == ("Unidentified Armed Group (Mali)", "Civilians (Mali)")


@pytest.mark.parametrize(
    ("text", "actor2"),
    [
        ("Militants launched an attack on soldiers at a checkpoint near Dori on Monday, killing four.",
         "Military Forces of Burkina Faso"),
        ("Gunmen opened fire on police officers at a checkpoint in Jos on Monday, killing two of them.",
         "Police Forces of Nigeria"),
    ],
)
def test_attack_on_security_forces_is_a_battle(pipeline, text, actor2):
    event = only_event(pipeline, text)
    assert (event.event_type, event.actor2, event.actor2_type) == ("Battles", actor2, "State forces")


def test_civilian_victims_are_actor2_and_civilian_targeting(pipeline):
    event = only_event(pipeline, "Gunmen abducted 20 students from a school in Kaduna on Thursday.")
    assert (event.actor2, event.actor2_type, event.civilian_targeting) == ("Civilians (Nigeria)", "Civilians", True)


@pytest.mark.parametrize(
    "text",
    [
        "Fighters controlled by the army attacked villagers in Sake on Monday, killing five.",
        "Fighters loyal to the army attacked villagers in Sake on Monday, killing five.",
    ],
)
def test_proxy_fighters_are_coded_to_their_controller(pipeline, text):
    event = only_event(pipeline, text)
    assert (event.actor1, event.actor1_type) == ("Military Forces of the Democratic Republic of Congo", "State forces")


@pytest.mark.parametrize(
    ("text", "actor1", "actor1_type"),
    [
        ("Hundreds of students protested in Kampala on Tuesday against rising tuition fees.",
         "Protesters (Uganda)", "Protesters"),
        ("Rioters set fire to shops in Kano on Saturday.", "Rioters (Nigeria)", "Rioters"),
    ],
)
def test_crowd_is_actor1(pipeline, text, actor1, actor1_type):
    event = only_event(pipeline, text)
    assert (event.actor1, event.actor1_type) == (actor1, actor1_type)


AIR_STRIKES = [
    ("An air strike hit a market in the town of El Fasher on Tuesday, killing 11 people.", "Military Forces of Sudan"),
    ("An air strike hit a market in Sagaing on Tuesday, killing 11 people.", "Military Forces of Myanmar (2021-)"),
]


@pytest.mark.parametrize(("text", "actor"), AIR_STRIKES)
def test_unattributed_air_strike_is_coded_to_the_states_military(pipeline, text, actor):
    assert only_event(pipeline, text).actor1 == actor


@pytest.mark.parametrize(("text", "actor"), AIR_STRIKES)
def test_unattributed_air_strike_actor_is_state_forces(pipeline, text, actor):
    assert only_event(pipeline, text).actor1_type == "State forces"
