"""Article templates for the corpus-merge benchmark (``benchmarks/merge.py``).

Every incident is told by several outlets; each outlet's article is built from
one of the ``ARTICLE_TEMPLATES`` (different sentence orders and styles) and
the phrase banks below (synonyms for what happened, who did it, how many died,
where and when).  Facts stay consistent across an incident's articles; the
wording, the figure given ("at least 5" vs "7"), the date expression and the
place spelling vary.

Placeholders filled by the generator:
    {event}      one sentence core from EVENT_PHRASES[kind] (no final period)
    {town}       the place as this article spells it
    {region}     "in <admin1> <region word>" or ""
    {country}    the country name
    {when}       the date expression ("on Monday", "overnight", "yesterday", "on 3 March")
    {attrib}     who said so ("officials said")
    {detail}     one detail sentence from DETAILS[kind]
    {background} a background paragraph from BACKGROUND
    {outlet}     the outlet's name
    {said_day}   weekday of publication, for "said on Tuesday"
"""

from __future__ import annotations

KINDS = ("shelling", "air strike", "IED", "attack on villagers", "abduction", "clash", "protest")

# Per country: who shells, who fights whom, the word for a first-level division.
COUNTRIES = {
    "UA": dict(country="Ukraine", attacker="Russian forces", army="Ukrainian troops", group="Russian forces",
               region_word="region", grievance="the draft law on mobilisation"),
    "SY": dict(country="Syria", attacker="Syrian government forces", army="Syrian government forces",
               group="Hayat Tahrir al-Sham", region_word="province", grievance="rising bread prices"),
    "NG": dict(country="Nigeria", attacker="Boko Haram fighters", army="Nigerian troops", group="Boko Haram",
               region_word="state", grievance="fuel prices"),
    "ML": dict(country="Mali", attacker="JNIM fighters", army="Malian soldiers", group="JNIM",
               region_word="region", grievance="power cuts"),
    "BF": dict(country="Burkina Faso", attacker="JNIM fighters", army="Burkinabe soldiers", group="JNIM",
               region_word="region", grievance="the cost of living"),
    "SO": dict(country="Somalia", attacker="al-Shabaab militants", army="Somali troops", group="al-Shabaab",
               region_word="region", grievance="delayed elections"),
    "IQ": dict(country="Iraq", attacker="Islamic State fighters", army="Iraqi forces", group="Islamic State",
               region_word="province", grievance="unpaid salaries"),
    "CD": dict(country="Democratic Republic of Congo", attacker="M23 rebels", army="Congolese troops",
               group="M23", region_word="province", grievance="insecurity in the east"),
    "SD": dict(country="Sudan", attacker="the Rapid Support Forces", army="the Sudanese army",
               group="the Rapid Support Forces", region_word="state", grievance="the war"),
    "MM": dict(country="Myanmar", attacker="the Myanmar military", army="the Myanmar military",
               group="the Arakan Army", region_word="state", grievance="conscription"),
    "PK": dict(country="Pakistan", attacker="Tehreek-e-Taliban Pakistan militants",
               army="Pakistani security forces", group="Tehreek-e-Taliban Pakistan", region_word="province",
               grievance="electricity bills"),
    "YE": dict(country="Yemen", attacker="Houthi fighters", army="Yemeni government forces", group="Houthi",
               region_word="governorate", grievance="the collapse of the currency"),
}

# Sentence cores.  {actor} is the perpetrator as the article names it (some
# articles do not name one: {actor} is then the unnamed form in the phrase's
# own words); {toll} a casualty phrase; {n} a count of people.
EVENT_PHRASES = {
    "shelling": [
        "{Actor} shelled {town}{region} {when}, killing {toll}",
        "Artillery shells hit a market in {town}{region} {when}, killing {toll}",
        "{Toll} were killed when shells struck residential streets in {town}{region} {when}",
        "{Actor} pounded {town}{region} with artillery {when}, and {toll} died",
    ],
    "air strike": [
        "An air strike hit {town}{region} {when}, killing {toll}",
        "Warplanes bombed a neighbourhood of {town}{region} {when}, killing {toll}",
        "{Toll} were killed in a drone strike on {town}{region} {when}",
        "A drone strike on a house in {town}{region} {when} killed {toll}",
    ],
    "IED": [
        "A roadside bomb exploded near {town}{region} {when}, killing {toll}",
        "An improvised explosive device struck a vehicle in {town}{region} {when}, killing {toll}",
        "{Toll} were killed when a landmine went off on a road outside {town}{region} {when}",
        "A bomb planted by the roadside blew up near {town}{region} {when}, killing {toll}",
    ],
    "attack on villagers": [
        "Gunmen attacked {town}{region} {when}, killing {toll}",
        "{Toll} were shot dead by armed men who stormed {town}{region} {when}",
        "{Actor} raided {town}{region} {when} and killed {toll}",
        "Armed men opened fire on residents of {town}{region} {when}, killing {toll}",
    ],
    "abduction": [
        "Gunmen abducted {n} villagers from {town}{region} {when}",
        "{N} people were kidnapped in {town}{region} {when}",
        "Armed men seized {n} passengers on a road near {town}{region} {when}",
        "{Actor} kidnapped {n} farmers near {town}{region} {when}",
    ],
    "clash": [
        "{Army} clashed with {group} fighters in {town}{region} {when}, and {toll} were killed",
        "Fighting broke out between {army} and {group} in {town}{region} {when}, leaving {toll} dead",
        "{Group} fighters attacked an army post in {town}{region} {when}; troops fought back and {toll} were killed",
        "{Army} battled {group} fighters for several hours in {town}{region} {when}; {toll} died",
    ],
    "protest": [
        "Hundreds of people protested in {town}{region} {when} against {grievance}",
        "Demonstrators marched through {town}{region} {when} to denounce {grievance}",
        "Thousands rallied in {town}{region} {when} against {grievance}",
        "Crowds gathered in the centre of {town}{region} {when} to protest against {grievance}",
    ],
}

# Who the casualties were, per kind ("killing {toll}" -> "killing 5 civilians").
VICTIMS = {
    "shelling": ["civilians", "people", "residents"],
    "air strike": ["civilians", "people", "members of one family"],
    "IED": ["soldiers", "passengers", "people"],
    "attack on villagers": ["villagers", "civilians", "people"],
    "clash": ["combatants", "fighters and soldiers", "people"],
}

ATTRIBUTIONS = [
    "officials said", "the regional governor said", "local authorities said", "residents said",
    "a security source told {outlet}", "the police said", "a local official said",
    "according to a statement from the army",
]

DETAILS = {
    "shelling": ["Several houses and a school were damaged.", "Rescuers worked through the night to clear the rubble."],
    "air strike": ["The strike flattened two houses.", "Rescuers pulled survivors from the rubble."],
    "IED": ["The vehicle was destroyed in the blast.", "Security forces cordoned off the road."],
    "attack on villagers": ["The attackers burned houses and granaries before leaving.", "Survivors fled to a nearby town."],
    "abduction": ["No group has claimed the kidnapping.", "Relatives said the kidnappers had not yet made contact."],
    "clash": ["The fighting lasted until the evening.", "Reinforcements arrived later in the day."],
    "protest": ["The protest ended peacefully in the afternoon.", "Organisers said more rallies would follow."],
}

# Background that must not become an event: history, cumulative tolls, threats.
BACKGROUND = [
    "The conflict in {country} has killed thousands of people since it began, according to the United Nations.",
    "Aid agencies say more than a million people have been displaced by violence in the area over the past decade.",
    "The government has repeatedly promised to restore security in the region but violence has continued.",
    "Analysts say armed groups have expanded their reach across the area in recent years.",
]

# Article templates: the order of lede, detail and background, and the style.
ARTICLE_TEMPLATES = {
    "wire": "{TOWN}, {country} — {Event}, {attrib}.\n\n{detail}\n\n{background}",
    "official": "{Attrib_cap} on {said_day} that {event}.\n\n{detail} {background}",
    "toll-first": "{Event}, {attrib}.\n\n{background}\n\n{detail}",
    "background-first": "{background}\n\n{Event}, {attrib}. {detail}",
    "brief": "{Event}. {detail}",
    "eyewitness": "Residents of {town} said {event}.\n\n\"We heard it and ran,\" one resident told {outlet}. {detail}\n\n{background}",
    "roundup": "{country} news in brief.\n\n{Event}, {attrib}. {detail}\n\n{background}",
}

# Light rewrites: a desk changes a few words and keeps the rest.
REWRITES = [
    ("officials said", "officials reported"), ("residents", "locals"), ("houses", "homes"),
    ("Rescuers", "Emergency workers"), ("the area", "the region"), ("ran", "fled"),
    ("thousands of people", "thousands"), ("damaged", "hit"), ("destroyed", "wrecked"),
]

# Unnamed perpetrators, as outlets write them.
UNNAMED = ["Unidentified gunmen", "Suspected militants", "Unknown assailants", "Armed men"]

# Words that may be lower-cased when a sentence core follows "said that ...".
COMMON_STARTS = {"A", "An", "Artillery", "Gunmen", "Warplanes", "Armed", "Fighting", "Hundreds",
                 "Demonstrators", "Thousands", "Crowds", "At", "Unidentified", "Suspected", "Unknown", "The"}

OUTLETS = [
    "Sahel Daily", "Frontline Wire", "Continental Press", "The Morning Dispatch", "Crisis Monitor",
    "Eastern Herald", "Global News Agency", "Independent Observer", "Regional Post", "The Courier",
    "Field Reports", "Daily Ledger", "News Desk International", "The Chronicle",
]

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]
