"""detect: which sentences anchor an event, how they group, and the ACLED type they get.

Every input below is an invented, short report run through the real pipeline.
"""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.model import Article

PUBLISHED = date(2024, 3, 15)  # a Friday
MON, TUE, WED, THU, FRI = (date(2024, 3, d) for d in (11, 12, 13, 14, 15))
SAT, SUN = date(2024, 3, 9), date(2024, 3, 10)


def extract(pipeline, text: str, published: date = PUBLISHED):
    return pipeline.extract_article(Article(text=text, published=published, source="Sahel Dispatch"))


# --- background never becomes an event --------------------------------------------------

BACKGROUND_ALONE = {
    "cumulative toll": "The insurgency in northeast Nigeria has killed more than 5,000 people since 2019, "
    "according to the Lagos-based Sahel Watch group.",
    "forecast": "Militants will attack the town of Maiduguri next week, a local commander warned on Thursday.",
    "threat": "The rebels threatened to shell Goma if government troops advanced.",
    "habitual": "Gunmen attack villages around Zamfara almost daily, residents said.",
    "month-only history": "In March, soldiers killed 12 villagers in the town of Konna.",
}


@pytest.mark.parametrize("text", BACKGROUND_ALONE.values(), ids=BACKGROUND_ALONE.keys())
def test_background_alone_gives_no_event(pipeline, text):
    assert extract(pipeline, text, published=date(2024, 6, 14)) == []


BACKGROUND_AFTER = {
    "cumulative toll": "The violence in Zamfara has killed more than 5,000 people since 2019, the Abuja-based Sahel Monitor said.",
    "forecast": "Local leaders warned that the bandits will strike again before the harvest.",
    "threat": "The bandits threatened to attack more villages.",
    "habitual": "Bandits attack villages in the area almost daily, residents say.",
    "month-only history": "In March, bandits killed 30 people in the same town.",
}


@pytest.mark.parametrize("background", BACKGROUND_AFTER.values(), ids=BACKGROUND_AFTER.keys())
def test_background_sentence_neither_anchors_nor_elaborates(pipeline, background):
    events = extract(pipeline, f"Gunmen killed four farmers in Gusau on Tuesday. {background}", published=date(2024, 6, 14))
    assert [(e.event_date, e.location, e.fatalities, background in e.evidence) for e in events] == [
        (date(2024, 6, 11), "Gusau", 4, False)
    ]


def test_claim_of_responsibility_is_not_a_second_event(pipeline):
    events = extract(
        pipeline,
        "Gunmen killed four farmers near Maiduguri on Wednesday. "
        "Boko Haram claimed responsibility for the attack on Thursday.",
    )
    assert [e.event_date for e in events] == [WED]


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed four farmers near Gusau on Wednesday, police said on Friday.",
        "Police said on Friday that gunmen had killed four farmers near Gusau on Wednesday.",
    ],
)
def test_reporting_day_is_not_the_event_day(pipeline, text):
    assert [e.event_date for e in extract(pipeline, text)] == [WED]


def test_two_towns_joined_by_and_give_two_events(pipeline):
    events = extract(pipeline, "Unidentified gunmen killed five people in Gusau and Kaura Namoda on Tuesday.")
    assert sorted((e.location, e.event_date) for e in events) == [("Gusau", TUE), ("Kaura Namoda", TUE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Gunmen killed three farmers in Gusau on Monday, and on Wednesday bandits abducted 12 women in Kaura Namoda.",
            [(MON, "Gusau"), (WED, "Kaura Namoda")],
            id="time-before-second-clause",
        ),
        pytest.param(
            "A drone struck a market in Kherson on Monday, and artillery shelled homes in Nikopol on Wednesday.",
            [(MON, "Kherson"), (WED, "Nikopol")],
            id="time-ends-each-clause"
        ),
        pytest.param(
            "Gunmen killed three farmers in Gusau on Monday and abducted 12 women in Kaura Namoda on Wednesday.",
            [(MON, "Gusau"), (WED, "Kaura Namoda")],
            id="shared-subject"
        ),
    ],
)
def test_sentence_with_two_days_gives_two_events(pipeline, text, expected):
    assert sorted((e.event_date, e.location) for e in extract(pipeline, text)) == expected


def test_elaborating_sentence_adds_its_casualties_to_the_event_before_it(pipeline):
    events = extract(
        pipeline,
        "Gunmen attacked the village of Kagara on Tuesday, killing six farmers. Four other villagers were wounded.",
    )
    assert [(e.fatalities, e.injuries) for e in events] == [(6, 4)]


def test_protest_that_demands_something_is_still_a_protest(pipeline):
    events = extract(
        pipeline,
        "Hundreds of people protested in Lahore on Thursday, calling for the release of a jailed opposition leader.",
    )
    assert [(e.event_type, e.event_date, e.location) for e in events] == [("Protests", THU, "Lahore")]


@pytest.mark.parametrize(
    "text",
    [
        "A powerful earthquake struck the city of Herat on Saturday, killing at least 90 people.",
        "Floods swept through the town of Beledweyne on Sunday, killing 14 people.",
    ],
)
def test_natural_disaster_toll_is_not_an_event(pipeline, text):
    assert extract(pipeline, text) == []


CLASSIFY = [
    ("Israeli warplanes carried out an air strike on a house in Rafah on Monday, killing seven people.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("Russian forces shelled the town of Orikhiv on Tuesday, wounding two residents.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded near a police vehicle in Kandahar on Sunday, killing two officers.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Attackers threw a grenade into a bar in Bujumbura on Saturday night, wounding nine people.",
     "Explosions/Remote violence", "Grenade"),
    ("A suicide bomber blew himself up at a mosque in Peshawar on Friday, killing 14 worshippers.",
     "Explosions/Remote violence", "Suicide bomb"),
    ("Soldiers clashed with al-Shabaab fighters near Baidoa on Wednesday.", "Battles", "Armed clash"),
    ("Gunmen abducted 20 students from a school in Kaduna on Thursday.",
     "Violence against civilians", "Abduction/forced disappearance"),
    ("Police arrested 15 opposition activists in Harare on Tuesday.", "Strategic developments", "Arrests"),
    ("Ukrainian air defences shot down 18 Russian drones over Odesa on Monday night.",
     "Strategic developments", "Disrupted weapons use"),
    ("About 300 people marched peacefully through Nairobi on Wednesday to protest against rising fuel prices.",
     "Protests", "Peaceful protest"),
    ("Police fired tear gas to disperse students protesting in Dhaka on Tuesday.",
     "Protests", "Protest with intervention"),
    ("Security forces fired live ammunition at protesters in Mombasa on Tuesday.",
     "Protests", "Excessive force against protesters"),
    ("Soldiers shot dead three protesters in the town of Bauchi on Thursday.",
     "Protests", "Excessive force against protesters"),
    ("Rioters torched a police station and several shops in Sialkot on Thursday after a protest turned violent.",
     "Riots", "Violent demonstration"),
    ("The government and the rebels signed a ceasefire in Juba on Sunday.", "Strategic developments", "Agreement"),
    ("Wagner fighters established a new base near Kidal on Monday.",
     "Strategic developments", "Headquarters or base established"),
    ("Rebel fighters took over the town of Masisi without firing a shot on Monday after government troops withdrew.",
     "Strategic developments", "Non-violent transfer of territory"),
]


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"), CLASSIFY, ids=[sub for _, _, sub in CLASSIFY]
)
def test_sub_event_type(pipeline, text, event_type, sub_event_type):
    assert [(e.event_type, e.sub_event_type) for e in extract(pipeline, text)] == [(event_type, sub_event_type)]
