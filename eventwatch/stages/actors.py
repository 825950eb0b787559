"""Stage · who did it and to whom: ACLED actor names, actor types, civilian targeting.

Actor names follow ACLED's conventions: "Military Forces of Syria", "Police
Forces of Kenya", foreign armies as External/Other forces, unclaimed attackers
as "Unidentified Armed Group (<country>)" (Political militias), victims as
"Civilians (<country>)", crowds as "Protesters (<country>)" / "Rioters (<country>)".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from eventwatch.stages.places import places_in
from eventwatch.stages.sentences import Sentence

OwnerLookup = Callable[[str], "tuple[str, str] | None"]


@dataclass(slots=True, frozen=True)
class ActorMention:
    """An actor named in a sentence; ``role`` is 'agent', 'target' or 'victim'."""

    name: str
    type: str
    start: int
    end: int
    text: str
    kind: str  # state | police | foreign | group | unidentified | civilians | protesters | rioters


# Named armed groups: pattern -> (ACLED name, actor type).  Islamic State names
# depend on the country (ACLED codes its provinces separately).
NAMED_GROUPS: tuple[tuple[str, str, str], ...] = (
    (r"Houthis?|Ansar Allah", "Military Forces of Yemen (2017-) Houthi", "State forces"),
    (r"ISWAP|Islamic State West Africa(?: Province)?", "Islamic State West Africa Province (ISWAP)", "Rebel groups"),
    (r"Boko Haram|JAS", "Boko Haram - Jamatu Ahli Sunna lidda Awati wal Jihad", "Rebel groups"),
    (r"[Aa]l[- ]Shabaa?b", "Al Shabaab", "Rebel groups"),
    (r"Hayat Tahrir [Aa]l[- ]Sham|HTS", "Hayat Tahrir al Sham", "Rebel groups"),
    (r"National Liberation Front|NLF", "NLF: National Liberation Front", "Rebel groups"),
    (r"JNIM|Jama'?at Nusrat [Aa]l[- ]Islam(?: [Ww]al[- ]Muslimin)?", "JNIM: Jama'at Nusrat al-Islam wal-Muslimin", "Rebel groups"),
    (r"M23|March 23 Movement", "M23: March 23 Movement", "Rebel groups"),
    (r"Allied Democratic Forces|ADF", "ADF: Allied Democratic Forces", "Rebel groups"),
    (r"Ambazonian?(?: separatists| fighters| forces)?|separatists?", "Ambazonian Separatists", "Rebel groups"),
    (r"Pakistani Taliban|Tehreek-e-Taliban(?: Pakistan)?|TTP", "TTP: Tehreek-e-Taliban Pakistan", "Rebel groups"),
    (r"New People'?s Army|NPA", "NPA: New People's Army", "Rebel groups"),
    (r"Taliban", "Taliban", "Rebel groups"),
    (r"Hamas", "Hamas Movement", "Rebel groups"),
    (r"Hezbollah", "Hezbollah", "Political militias"),
    (r"Arakan Army", "AA: Arakan Army", "Rebel groups"),
    (r"Kachin Independence Army|KIA", "KIA: Kachin Independence Army", "Rebel groups"),
    (r"Ta'?ang National Liberation Army|TNLA", "TNLA: Ta'ang National Liberation Army", "Rebel groups"),
    (r"People'?s Defen[cs]e Forces?|PDF", "PDF: People's Defense Force", "Rebel groups"),
    (r"ELN|National Liberation Army", "ELN: National Liberation Army", "Rebel groups"),
    (r"FARC dissidents?", "FARC Dissidents", "Rebel groups"),
    (r"Rapid Support Forces|RSF", "Rapid Support Forces", "Political militias"),
    (r"Wagner(?: Group)?", "Wagner Group", "External/Other forces"),
    (r"Islamic State|ISIS|ISIL|IS|Daesh", "Islamic State", "Rebel groups"),
)
_NAMED_PATTERNS = tuple((re.compile(rf"\b(?:{pattern})\b"), name, type_) for pattern, name, type_ in NAMED_GROUPS)
# Any of them: most sentences name no group, and one pass over them says so.
_ANY_NAMED = re.compile(r"\b(?:" + "|".join(f"(?:{pattern})" for pattern, _, _ in NAMED_GROUPS) + r")\b")
ISLAMIC_STATE_PROVINCES = {
    "MZ": "Islamic State Mozambique Province",
    "NG": "Islamic State West Africa Province (ISWAP)", "TD": "Islamic State West Africa Province (ISWAP)",
    "CM": "Islamic State West Africa Province (ISWAP)",
    "ML": "Islamic State Sahel Province", "BF": "Islamic State Sahel Province", "NE": "Islamic State Sahel Province",
    "CD": "Islamic State Central Africa Province", "UG": "Islamic State Central Africa Province",
    "SO": "Islamic State Somalia Province", "AF": "Islamic State Khorasan Province",
}
# ACLED names some armies by the period of the current regime.
ARMY_NAMES = {"MM": "Military Forces of Myanmar (2021-)"}

_FORCE_NOUNS = (
    r"forces|troops|soldiers|army|military|junta|regime|warplanes?|war ?planes?|jets?|aircraft|air force|"
    r"artillery|drones?|missiles?|rockets?|shells|navy|units|air defen[cs]es?|servicemen|gunboats?|helicopters?|"
    r"glide bombs?|(?:guided |aerial )*bombs?|strikes?|air ?strikes?|shelling|gunfire|tanks?|regime|munitions"
)
_STATE = re.compile(
    r"\b(?:(?P<demonym>[A-Z][a-z]+(?:n|i|ian|ese|ish|ean|an))(?:['’]s)?\s+(?:\w+\s+){0,2}?|(?P<own>regime|government|junta|pro-government|state)\s+(?:\w+\s+){0,1}?)?"
    rf"(?P<noun>(?i:{_FORCE_NOUNS}))\b"
)
# An armed group the lexicon does not know, named by its kind: "the Al-Nasr Brigade", "the Gran Grif gang".
_GROUP_PHRASE = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'’-]+|al|el)(?:\s+(?:[A-Z][\w'’-]+|al|el|of|the))*?)\s+(?P<head>Brigades?|Battalion|Militia|Movement|Front|gang|Liberation Army|Army)\b"
)
_ETHNIC = re.compile(
    r"\b(?:youths?|men|militia(?:men)?|fighters|raiders|gunmen)\s+from\s+the\s+(?P<people>[A-Z][a-z]+)\s+(?:community|ethnic group|tribe|clan)\b|"
    r"\b(?P<people2>[A-Z][a-z]+)\s+(?:ethnic\s+)?(?:militia(?:men)?|clan militia)\b"
)
_POSSESSIVE_ARMY = re.compile(r"\b(?P<country>[A-Z][a-z]+)['’]s (?:military|army|junta|armed forces|air force|troops)\b")
_POLICE = re.compile(r"\b(?:(?:riot )?police(?:men| officers?)?|gendarm(?:es|erie)|security forces)\b", re.I)
_UNIDENTIFIED = re.compile(
    r"\b(?:gunmen|gunman|bandits?|attackers?|armed men|assailants?|(?:unidentified|unknown) (?:\w+ )?(?:man|men|attackers?|gunmen|assailants?)|"
    r"militants?|insurgents?|jihadists?|rebels?|fighters?|terrorists?|kidnappers?|raiders?|(?:suicide )?bombers?|gang members?|gangs?)\b",
    re.I,
)
_CIVILIANS = re.compile(
    r"\b(?:civilians?|villagers?|residents?|passengers?|people|children|child|women|woman|men|man|boys?|girls?|"
    r"farmers?|worshippers?|family|families|homes?|houses?|residential|market|hunters?|drivers?|students?|"
    r"traders?|fishermen|motorists?|pedestrians?|displaced|herders?|shepherds?|workers?|pupils?)\b",
    re.I,
)
_TARGET_BEFORE = re.compile(
    r"\b(?:on|against|targeting|at|hit|struck|toward|towards|of|killed|killing|wounded|wounding|ambushed|attacked|shot)\s+(?:\w+\s+){0,3}$",
    re.I,
)


def find_actors(
    text: str, offset: int, iso2: str | None, country: str | None, owner_of: OwnerLookup, *,
    groups_only: bool = False,
) -> list[ActorMention]:
    """Armed actors named in one sentence, in text order.

    ``owner_of`` maps an adjective or country name ("Russian", "Myanmar") to
    (iso2, country name) or None; ``iso2``/``country`` are the event's.  Groups
    are looked for first, so ``groups_only`` gives the same groups, and only them.
    """
    found: list[ActorMention] = []
    taken: list[tuple[int, int]] = []

    def add(name: str, type_: str, start: int, end: int, kind: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(ActorMention(name, type_, start + offset, end + offset, text[start:end], kind))

    for pattern, name, type_ in _NAMED_PATTERNS if _ANY_NAMED.search(text) else ():
        for m in pattern.finditer(text):
            if name == "Islamic State":
                name = ISLAMIC_STATE_PROVINCES.get(iso2 or "", f"Islamic State ({country})" if country else "Islamic State")
            add(name, type_, m.start(), m.end(), "group")
    for m in _GROUP_PHRASE.finditer(text):
        head = m.group("head").lower()
        name = m.group("name") if head == "gang" else f"{m.group('name')} {m.group('head')}"
        add(name, "Political militias" if head in ("gang", "brigade", "brigades", "battalion", "militia") else "Rebel groups",
            m.start("name"), m.end(), "group")
    for m in _ETHNIC.finditer(text):
        people = m.group("people") or m.group("people2")
        if owner_of(people):
            continue  # "Syrian militia" names a country, not a people
        name = f"{people} Ethnic Militia ({country})" if country else f"{people} Ethnic Militia"
        add(name, "Identity militias", m.start(), m.end(), "group")
    if groups_only:
        return sorted(found, key=lambda a: a.start)
    for m in _POSSESSIVE_ARMY.finditer(text):
        owner = owner_of(m.group("country"))
        if owner:
            add(*_army(owner, iso2), m.start(), m.end(), "state")
    for m in _POLICE.finditer(text):
        if country:
            add(f"Police Forces of {with_article(country)}", "State forces", m.start(), m.end(), "police")
    for m in _STATE.finditer(text):
        demonym = m.group("demonym")
        owner = owner_of(demonym) if demonym else None
        if owner:
            add(*_army(owner, iso2), m.start(), m.end(), "state" if owner[0] == iso2 else "foreign")
        elif m.group("own") or m.group("noun").lower() in ("troops", "soldiers", "army", "military", "junta", "forces", "air force", "warplanes", "warplane", "jets", "jet", "regime"):
            if iso2 and country:
                start = m.start("own") if m.group("own") else m.start("noun")
                add(*_army((iso2, country), iso2), start, m.end(), "state")
    for m in _UNIDENTIFIED.finditer(text):
        add(f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group",
            "Political militias", m.start(), m.end(), "unidentified")
    return sorted(found, key=lambda a: a.start)


def with_article(country: str | None) -> str | None:
    """ACLED writes 'the' before plural and 'Republic' country names: 'Police Forces of the Philippines'."""
    if country and (country.endswith(("Republic", "Islands", "Emirates", "States", "Kingdom")) or country in _THE_COUNTRIES or country.startswith(("Democratic", "Republic", "Central African", "United"))):
        return f"the {country}"
    return country


_THE_COUNTRIES = frozenset({"Philippines", "Netherlands", "Gambia", "Bahamas", "Comoros", "Maldives"})


def _army(owner: tuple[str, str], event_iso2: str | None) -> tuple[str, str]:
    iso2, country = owner
    name = ARMY_NAMES.get(iso2, f"Military Forces of {with_article(country)}")
    return name, "State forces" if iso2 == event_iso2 else "External/Other forces"


def is_target(sentence: str, actor: ActorMention, offset: int) -> bool:
    """The actor stands where a target does: 'an attack on police', 'struck soldiers'."""
    return bool(_TARGET_BEFORE.search(sentence[: actor.start - offset]))


def civilian_victims(text: str) -> bool:
    return bool(_CIVILIANS.search(text))



_REPORTER = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:said|says|told|reported|confirmed|announced|spokes\w+|statement|blamed|did not|had not|have not|has not|are investigating)\b",
    re.I,
)
_REPORTER_BEFORE = re.compile(r"\b(?:according to|statement (?:from|by)|spokesman for|spokesperson for)\s+(?:\w+\s+){0,5}$", re.I)
_AGENT_AFTER = re.compile(
    r"^\W*(?!(?:\w+\s+){0,2}?(?:were|was|been|being|are|is)\b)(?:\w+\s+){0,2}?(?:attack(?:ed|s)|opened fire|fired|shelled|struck|hit|killed|kill|stormed|ambushed|"
    r"raided|abducted|kidnapped|bombed|launched|dropped|detonated|planted|shot|seized|captured|overran|claimed|"
    r"carried out|targeted|hurled|threw|pounded|arrested|detained)\b",
    re.I,
)
_PROXY = re.compile(r"^\W*(?:\w+\s+){0,2}?(?:controlled|backed|armed|commanded|directed|paid|sent) by\b|^\W*(?:\w+\s+){0,2}?loyal to\b", re.I)
_PROXY_BEFORE = re.compile(r"\b(?:controlled|commanded|directed|sent) by\s+(?:the\s+)?(?:\w+\s+){0,3}$", re.I)
_AGENT_BEFORE = re.compile(r"\b(?:by|blamed on|attributed to)\s+(?:the\s+|a\s+|suspected\s+)?(?:\w+\s+){0,2}$", re.I)
_VICTIM_AFTER = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:were|was)\s+(?:\w+\s+)?(?:killed|wounded|injured|abducted|kidnapped|shot)\b", re.I)
_GENERIC_GROUP = re.compile(r"\b(?:militants?|insurgents?|jihadists?|rebels?|fighters?|gang members?|gangs?)\b", re.I)
_ARMED_VICTIMS_ONLY = re.compile(r"^(?!.*\b(?:civilians?|villagers?|residents?|passengers?|children|women|worshippers|farmers|students|families)\b)", re.I | re.S)
_ARMED_KINDS = ("state", "foreign", "police", "group", "unidentified")
_FROM_COUNTRY = re.compile(r"\b(?:from|in)\s+(?:southern |northern |eastern |western )?$", re.I)


def run(doc, incident, owner_of: OwnerLookup, named_in: Sentence | None | bool = False) -> None:
    """Set actor1/actor2, their types and civilian_targeting for one incident.

    ``named_in`` is ``group_sentence(doc, owner_of)``, found once for all of an article's
    incidents (``False``: find it here)."""
    if named_in is False:
        named_in = group_sentence(doc, owner_of)
    place = incident.location
    iso2, country = (place.iso2, place.country) if place else (None, None)
    sentences = [doc.sentences[i] for i in incident.sentences]
    anchor = doc.sentences[incident.anchor]
    mentions: list[tuple[ActorMention, bool]] = []
    agents: list[ActorMention] = []
    for sentence in [anchor] + [s for s in sentences if s is not anchor]:
        for actor in find_actors(sentence.text, sentence.start, iso2, country, owner_of):
            after = sentence.text[actor.end - sentence.start :]
            if _REPORTER.match(after) or _REPORTER_BEFORE.search(sentence.text[: actor.start - sentence.start]):
                continue  # "police said", "according to the army": a source, not a party
            before = sentence.text[: actor.start - sentence.start]
            if actor.kind == "unidentified" and _PROXY.match(after):
                continue  # "groups controlled by the regime": the controller is the party
            if _AGENT_AFTER.match(after) or _AGENT_BEFORE.search(before) or _PROXY_BEFORE.search(before):
                agents.append(actor)
            target = is_target(sentence.text, actor, sentence.start) or bool(_VICTIM_AFTER.match(after))
            mentions.append((actor, target))
    body = " ".join(s.text for s in sentences)
    group = _named_group(named_in, iso2, country, owner_of)
    if group is not None:  # "militants", "the group's fighters": the group the article names
        mentions = [(group if a.kind == "unidentified" and _GENERIC_GROUP.search(a.text) else a, t) for a, t in mentions]
        agents = [group if a.kind == "unidentified" and _GENERIC_GROUP.search(a.text) else a for a in agents]
    event_type, sub = incident.event_type, incident.sub_event_type
    armed = [(a, t) for a, t in mentions if a.kind in _ARMED_KINDS]
    state = next((a for a, _ in armed if a.kind in ("state", "police", "foreign")), None)

    def first(pred) -> ActorMention | None:
        return next((a for a, t in armed if pred(a, t)), None)

    actor1 = actor2 = None
    names: tuple[str | None, str | None, str | None, str | None]
    if event_type == "Protests":
        names = (f"Protesters ({country})" if country else "Protesters", "Protesters", None, None)
        if sub != "Peaceful protest" and state:
            names = names[:2] + (state.name, state.type)
        actor2 = state if sub != "Peaceful protest" else None
    elif event_type == "Riots":
        names = (f"Rioters ({country})" if country else "Rioters", "Rioters", None, None)
        if sub == "Mob violence":
            names = names[:2] + (f"Civilians ({country})", "Civilians")
        elif state:
            names, actor2 = names[:2] + (state.name, state.type), state
    elif event_type == "Strategic developments" and sub in ("Arrests", "Disrupted weapons use"):
        actor1 = first(lambda a, t: a.kind in ("state", "police", "group")) or state
        other = first(lambda a, t: actor1 is not None and a.name != actor1.name)
        if sub == "Arrests":
            names = (
                actor1.name if actor1 else f"Police Forces of {with_article(country)}", actor1.type if actor1 else "State forces",
                f"Civilians ({country})", "Civilians",
            )
        else:
            names = (
                actor1.name if actor1 else _army_name(iso2, country), actor1.type if actor1 else "State forces",
                other.name if other else None, other.type if other else None,
            )
            actor2 = other
    else:
        actor1 = (
            (agents[0] if agents else None)
            or first(lambda a, t: not t and a.kind != "unidentified")
            or first(lambda a, t: not t)
            or (armed[0][0] if armed else None)
        )
        if actor1 is not None and actor1.kind == "unidentified":
            named = first(lambda a, t: a.kind == "group")
            actor1 = named or actor1
        target = first(lambda a, t: t and actor1 is not None and a.name != actor1.name)
        civilians = civilian_victims(body)
        if (
            event_type == "Violence against civilians" and sub == "Attack" and target is not None
            and _ARMED_VICTIMS_ONLY.search(body)
        ):
            event_type, sub = incident.event_type, incident.sub_event_type = "Battles", "Armed clash"
        if actor1 is None and sub == "Air/drone strike" and iso2:
            # Unattributed air power: ACLED codes it to the state's air force.
            actor1 = ActorMention(_army_name(iso2, country), "State forces", anchor.start, anchor.start, "", "state")
        if event_type == "Battles" and target is None:
            target = first(lambda a, t: actor1 is not None and a.name != actor1.name)
        name1 = actor1.name if actor1 else _unidentified(doc, incident, country)
        type1 = actor1.type if actor1 else "Political militias"
        if actor1 is not None and not actor1.text:
            actor1 = None  # inferred, not read: no span
        if target is not None and (event_type == "Battles" or not civilians or target.kind in ("police", "state")):
            names, actor2 = (name1, type1, target.name, target.type), target
        elif civilians and event_type != "Battles":
            names = (name1, type1, f"Civilians ({country})" if country else "Civilians", "Civilians")
        elif event_type == "Battles":
            other = f"Unidentified Armed Group ({country})" if actor1 and actor1.kind in ("state", "police", "foreign") else _army_name(iso2, country)
            names = (name1, type1, other, "Political militias" if other.startswith("Unidentified") else "State forces")
        else:
            names = (name1, type1, None, None)
    incident.actor1, incident.actor1_type, incident.actor2, incident.actor2_type = names
    if actor1 is not None:
        incident.spans["actor1"] = doc.span(actor1.start, actor1.end)
    if actor2 is not None:
        incident.spans["actor2"] = doc.span(actor2.start, actor2.end)
    incident.civilian_targeting = (
        incident.actor2_type == "Civilians" and event_type in ("Violence against civilians", "Explosions/Remote violence")
    ) or sub == "Excessive force against protesters"


def group_sentence(doc, owner_of: OwnerLookup) -> Sentence | None:
    """The first sentence that names an armed group (which sentence does not depend on the
    event's country, only the group's name does)."""
    for sentence in doc.sentences:
        if find_actors(sentence.text, sentence.start, None, None, owner_of, groups_only=True):
            return sentence
    return None


def _named_group(sentence: Sentence | None, iso2, country, owner_of) -> ActorMention | None:
    """The first armed group the article names (in ``sentence``), if any: what 'the militants' refers to."""
    if sentence is None:
        return None
    return find_actors(sentence.text, sentence.start, iso2, country, owner_of, groups_only=True)[0]


def _army_name(iso2: str | None, country: str | None) -> str:
    return ARMY_NAMES.get(iso2 or "", f"Military Forces of {with_article(country)}")


def _unidentified(doc, incident, country: str | None) -> str:
    """An unclaimed attack: the country it came from when the text says so ('fired from Lebanon')."""
    for index in incident.sentences:
        sentence = doc.sentences[index]
        for place in places_in(doc, sentence):
            if (
                place.place is not None and place.place.kind == "country"
                and _FROM_COUNTRY.search(before := doc.article.text[max(sentence.start, place.mention.start - 25) : place.mention.start])
                and "from" in before.lower()
            ):
                return f"Unidentified Armed Group ({place.place.country})"
    return f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group"
