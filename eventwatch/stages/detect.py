"""Stage · which sentences report an event, grouped into incidents; event and sub-event type.

A sentence *anchors* an incident when it reports violence or unrest with a
time of its own ("on Tuesday", "overnight", "last week").  Sentences that
follow without a time of their own elaborate the incident before them (or the
one whose place they name).  Background never anchors or elaborates:
forecasts, threats and plans; cumulative tolls, history and habitual
violence ("has killed 388,000", "since 2019", "almost daily").
"""

from __future__ import annotations

import math
import re
from datetime import date

from eventwatch.deadline import Deadline
from eventwatch.doc import Doc, Incident
from eventwatch.learned.models import (
    MIN_CHARACTERS,
    TRUST_SUB_EVENT_TYPE,
    WITH_EVENT_WORD,
    WITHOUT_EVENT_WORD,
    event_probability,
    sub_event_type,
)
from eventwatch.stages.ceasefire import violates_truce
from eventwatch.stages.dates import find_time_expressions
from eventwatch.stages.places import sentence_places
from eventwatch.stages.tails import search_tail
from eventwatch.stages.triggers import REMOTE_KINDS, Trigger, find_triggers
from eventwatch.vocab import EVENT_TYPE_OF

_FUTURE = re.compile(
    r"\b(?:will|would|could|might|plans? to|planned|planning|threaten(?:ed|s|ing)?|vow(?:ed|s)|is due|are due|"
    r"called for|calls for|calling for|urged|appeal(?:ed|s)? for|to be held|scheduled|intends? to|expected to|"
    r"warn(?:ed|s|ing)? (?:that|of)|if)\b"
)
_BACKGROUND = re.compile(
    r"\b(?:since|so far|in total|(?:weeks|months|years) after|altogether|has killed|have killed|have been killed|has left|have left|"
    r"almost daily|daily|frequently|regularly|routinely|often|repeatedly|for years|for decades|long been|"
    r"in recent (?:days|weeks|months|years)|over the past|in the past|a wave of|a string of|a series of|a cycle of|"
    r"every (?:day|week|month|night)|weekly|last (?:year|month)|earlier this (?:year|month)|this (?:year|summer|winter|spring|autumn|month)|"
    r"anniversary|(?:an |the )?(?:earlier|previous|separate earlier) (?:attack|assault|raid|bombing|clash|massacre)s?|(?:19|20)\d\d|in (?:(?:early|mid|late)[- ]?)?(?:January|February|March|April|May|June|July|August|September|October|November|December)\b(?! \d))",
    re.I,
)
_DEMANDS = re.compile(r"\b(?:call(?:ed|s|ing)? for|urg(?:ed|ing)|demand(?:ed|ing)?)\b", re.I)
_DISASTER = re.compile(r"\b(?:earthquake|quake|floods?|flooding|cyclone|landslides?|hurricane|typhoon|tsunami)\b", re.I)
_CASUALTY = re.compile(r"\b(?:killed|wounded|injured|hurt|dead|died|lost (?:his|her|their) li(?:fe|ves)|casualties|abducted|kidnapped|arrested)\b", re.I)
_CLAIM = re.compile(r"\bclaim(?:ed|s|ing)? (?:responsibility|the (?:attack|killing|bombing|strike|abduction|raid))", re.I)
_CAPTION = re.compile(r"\((?:Getty Images|AFP|Reuters|AP|EPA|Photo[^)]*)\)\s*$|^Photo:", re.I)


def _history(expr, doc: Doc) -> bool:
    """An absolute date a month or more before publication is background, not this report's news."""
    published = doc.article.published
    if expr.kind != "absolute" or expr.month is None:
        return False
    if published is None:
        return expr.year is not None
    year = expr.year or published.year
    try:
        named = date(year, expr.month, min(expr.day or 1, 28))
    except ValueError:
        return True
    return (published - named).days > 30 or named > published


def _first_paragraph(doc: Doc, captions: set[int]) -> int:
    """The paragraph the article body starts in (after any photo caption)."""
    return next((s.paragraph for s in doc.sentences if s.paragraph not in captions), 0)


def _is_future(text: str, triggers: list[Trigger]) -> bool:
    """Plans, threats, forecasts, and natural disasters: never this report's violence."""
    if _DISASTER.search(text) and all(t.kind == "attack" for t in triggers):
        return True
    if any(t.kind == "protest" for t in triggers):
        text = _DEMANDS.sub("", text)  # protesters "calling for" something are protesting now
    return bool(_FUTURE.search(text)) and not _CASUALTY.search(text)


def segment(doc: Doc, deadline: Deadline | None = None) -> None:
    """Group the article's sentences into incidents (checking ``deadline`` at each)."""
    current: Incident | None = None
    captions = {s.paragraph for s in doc.sentences if _CAPTION.search(s.text)}
    first_paragraph = _first_paragraph(doc, captions)
    for sentence in doc.sentences:
        if deadline is not None:
            deadline.check()
        if sentence.paragraph in captions:
            continue
        lower = sentence.text.lower()
        triggers = [t for t in find_triggers(sentence.text, sentence.start) if _usable(t, sentence.text, sentence.start, lower)]
        times = [t for t in find_time_expressions(sentence.text, sentence.start) if not t.reporting and not _history(t, doc)]
        future = _is_future(sentence.text, triggers)
        background = bool(_BACKGROUND.search(sentence.text))
        lead = not doc.incidents and sentence.paragraph <= first_paragraph + 1
        claim = bool(_CLAIM.search(sentence.text))
        if (times or lead) and not future and not claim and not (background and not times) and _reports_event(sentence.text, triggers):
            for time, places, near in _split_by_time(doc, sentence, times, triggers):
                for place, precision in places or [(None, None)]:
                    doc.incidents.append(Incident(sentence.index, [sentence.index], near, time, place, precision))
            current = doc.incidents[-1]
        elif future or (background and not times):
            current = None
        elif current is not None and _strong(triggers) and not background and (new := _new_town(doc, sentence, current)):
            place, precision = new
            current = Incident(sentence.index, [sentence.index], triggers, times[0] if times else current.time, place, precision)
            doc.incidents.append(current)
        elif current is not None and (triggers or claim or _CASUALTY.search(sentence.text) or violates_truce(sentence.text)):
            _attach(doc, current, sentence, triggers)
            if current.time is None and times:
                current.time = times[0]
        elif current is not None:
            _refine(doc, current, sentence)
            if current.time is None and times and not background:
                current.time = times[0]


def _reports_event(text: str, triggers: list[Trigger]) -> bool:
    """The learned event model's verdict on one sentence: a low bar with an event word of
    ``stages.triggers`` in it (a veto for "shares were shelled"), a high one without."""
    if len(text) < MIN_CHARACTERS:
        return False
    return event_probability(text) >= (WITH_EVENT_WORD if triggers else WITHOUT_EVENT_WORD)


_CALLED = re.compile(r"\b(?:called|calls|plans?|announced)\b[^.]{0,30}$")
_CALLED_REACH = 41  # characters: the longest match of _CALLED, and one more for a final newline
_NEGATED = re.compile(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$")


def _usable(trigger: Trigger, text: str, offset: int, lower: str) -> bool:
    """Drop words that only look like triggers: 'strike' in 'a general strike', quoted threats.

    ``lower`` is ``text.lower()``; the patterns read only the words just before the trigger."""
    end = trigger.start - offset
    if len(lower) != len(text):  # (a few characters lower-case to two: offsets would shift)
        lower, end = text[:end].lower(), len(text[:end].lower())
    if trigger.kind == "protest" and _CALLED.search(lower, max(0, end - _CALLED_REACH), end):
        return False
    return not search_tail(_NEGATED, lower, end, 2)  # "no arrests were made"


def _split_by_time(doc: Doc, sentence, times, triggers):
    """One sentence, several reported times ("shelled X on Monday, and struck Y on
    Wednesday"): each event word and place belongs to the time that closes its clause
    (the next one, unless a clause break intervenes), else to the time before it."""
    distinct = list({(t.kind, t.weekday, t.day, t.month): t for t in times}.values())
    groups = [g[0] for g in sentence_places(doc, sentence, split=len(distinct) > 1)]
    if len(distinct) <= 1:
        return [(times[0] if times else None, groups, triggers)]
    text = doc.article.text

    def owner(position: int):
        after = next((t for t in distinct if t.start >= position), None)
        if after is not None and not _CLAUSE_BREAK.search(text[position : after.start]):
            return after
        before = [t for t in distinct if t.end <= position]
        return before[-1] if before else after

    out = []
    for time in distinct:
        places = [g for g in groups if owner(g[0].mention.start) is time] or (groups if len(groups) == 1 else [])
        near = [t for t in triggers if owner(t.start) is time]
        if near:
            out.append((time, places, near))
    return out or [(times[0], groups, triggers)]


_CLAUSE_BREAK = re.compile(r";|,\s*(?:and|while|but|whereas)\b|\band (?:in|on) a separate\b", re.I)


_WEAK = re.compile(r"^(?:dead|died|shot|attacks?|lost \w+ li(?:fe|ves)|raids?)$", re.I)


def _strong(triggers: list[Trigger]) -> bool:
    """Words that report an act on their own: 'shelled', 'killed'; not 'dead' or 'attacks'."""
    return any(not _WEAK.match(t.text) for t in triggers)


def _new_town(doc: Doc, sentence, current: Incident):
    """A distant town, introduced by 'in'/'at'/'near', where this sentence's violence happened."""
    if current.location is None or current.location.kind != "city":
        return None
    text = doc.article.text
    for group in sentence_places(doc, sentence):
        place, precision = group[0]
        if place.place.kind != "city" or _km(place.place, current.location) < 15:
            continue
        before = text[max(sentence.start, place.mention.start - 40) : place.mention.start]
        if not _LOCATIVE.search(before) or _EARLIER.search(before):
            continue
        if not any(i.location and i.location.geonameid == place.place.geonameid for i in doc.incidents):
            return place, precision
    return None


_EARLIER = re.compile(r"\b(?:recent|earlier|previous|past|former|last \w+['’]s)\s+(?:\w+\s+){0,2}in\s+$", re.I)
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|on the outskirts of|(?:town|village|city) of)\s+(?:the\s+)?$", re.I)


def _km(a, b) -> float:
    dlat, dlon = math.radians(b.latitude - a.latitude), math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a.latitude)) * math.cos(math.radians(b.latitude)) * math.sin(dlon / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _refine(doc: Doc, current: Incident, sentence) -> None:
    """A region-level incident takes a town of the same region named in a following sentence."""
    if current.location is None or current.location.kind == "city":
        return
    for group in sentence_places(doc, sentence):
        place, precision = group[0]
        if place.place.kind == "city" and place.place.iso2 == current.location.iso2 and (
            current.location.kind == "country" or place.place.admin1 == current.location.admin1
        ):
            current.place, current.geo_precision = place, max(precision, 2)
            return


def _attach(doc: Doc, current: Incident, sentence, triggers: list[Trigger]) -> None:
    """Add an elaborating sentence to the incident whose place it names, else to ``current``."""
    groups = sentence_places(doc, sentence)
    named = [g[0] for g in groups]
    target = current
    for place, _ in named:
        for incident in doc.incidents:
            if incident.location and incident.location.geonameid == place.place.geonameid:
                target = incident
    if target is current:
        _refine(doc, current, sentence)
    if target is current and named and current.location is None:
        current.place, current.geo_precision = named[0]
    if sentence.index not in target.sentences:
        target.sentences.append(sentence.index)
        target.triggers.extend(triggers)


# Kind -> (event_type, sub_event_type) for kinds that fix the type on their own.
_TYPES = {
    "disrupted": ("Strategic developments", "Disrupted weapons use"),
    "suicide": ("Explosions/Remote violence", "Suicide bomb"),
    "chemical": ("Explosions/Remote violence", "Chemical weapon"),
    "ied": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "grenade": ("Explosions/Remote violence", "Grenade"),
    "air": ("Explosions/Remote violence", "Air/drone strike"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "sexual": ("Violence against civilians", "Sexual violence"),
    "agreement": ("Strategic developments", "Agreement"),
    "base": ("Strategic developments", "Headquarters or base established"),
    "transfer": ("Strategic developments", "Non-violent transfer of territory"),
    "regain": ("Battles", "Government regains territory"),
    "overtake": ("Battles", "Non-state actor overtakes territory"),
    "clash": ("Battles", "Armed clash"),
    "looting": ("Strategic developments", "Looting/property destruction"),
    "arrest": ("Strategic developments", "Arrests"),
    "abduction": ("Violence against civilians", "Abduction/forced disappearance"),
    "attack": ("Violence against civilians", "Attack"),
    "arson": ("Strategic developments", "Looting/property destruction"),
}
_LETHAL_FORCE = re.compile(r"\b(?:live (?:ammunition|rounds|fire)|shot dead|opened fire|killing|killed|shot and killed)\b", re.I)
_INTERVENTION = re.compile(r"\b(?:tear ?gas|water cannon|rubber bullets|batons?|arrest\w*|detain\w*|dispers\w*|beat|charged|stun grenades?|pepper spray)\b", re.I)
_RIOT = re.compile(r"\b(?:riot\w*|set (?:\w+ )?(?:on )?fire|torch\w*|burn(?:ed|t)|stones|rocks|petrol bombs|vandali[sz]\w*|looted|clashed with)\b", re.I)
_MOB = re.compile(r"\b(?:mobs?|lynch\w*|vigilantes?|crowds? (?:of \w+ )?(?:beat|lynched|killed|set))\b", re.I)
_PEACEFUL = re.compile(r"\bpeaceful(?:ly)?\b", re.I)


def classify(doc: Doc, incident: Incident) -> tuple[str, str]:
    """ACLED event_type and sub_event_type: the learned model's, when it is sure of the
    anchor sentence; otherwise from the incident's event words."""
    anchor = doc.sentences[incident.anchor]
    learned, probability = sub_event_type(anchor.text)
    if probability >= TRUST_SUB_EVENT_TYPE or not incident.triggers:
        return EVENT_TYPE_OF[learned], learned
    anchor_kinds = [t.kind for t in incident.triggers if anchor.start <= t.start < anchor.end]
    kinds = anchor_kinds + [t.kind for t in incident.triggers]
    body = " ".join(doc.sentences[i].text for i in incident.sentences)
    lead = anchor.text
    if "protest" in anchor_kinds or ("riot" in anchor_kinds and "protest" in kinds):
        if ("riot" in anchor_kinds or "arson" in anchor_kinds) and not _PEACEFUL.search(lead):
            return ("Riots", "Mob violence") if _MOB.search(lead) and "protest" not in anchor_kinds else ("Riots", "Violent demonstration")
        if _LETHAL_FORCE.search(lead) or (_LETHAL_FORCE.search(body) and not _PEACEFUL.search(lead)):
            return "Protests", "Excessive force against protesters"
        if _INTERVENTION.search(body) and not _PEACEFUL.search(lead):
            return "Protests", "Protest with intervention"
        return "Protests", "Peaceful protest"
    if "riot" in anchor_kinds and not any(k in REMOTE_KINDS for k in anchor_kinds):
        return ("Riots", "Mob violence") if _MOB.search(lead) else ("Riots", "Violent demonstration")
    for preferred in ("disrupted",) + REMOTE_KINDS:
        if preferred in anchor_kinds:
            if preferred == "air" and "shelling" in anchor_kinds and _first(anchor_kinds, "shelling") < _first(anchor_kinds, "air"):
                return _TYPES["shelling"]
            return _TYPES[preferred]
    if "overtake" in kinds and "transfer" in kinds and not any(k in kinds for k in ("clash", "attack", *REMOTE_KINDS)):
        return _TYPES["transfer"]
    order = ("agreement", "base", "sexual", "regain", "overtake", "abduction", "clash", "looting", "arrest", "attack", "arson")
    for pool in (anchor_kinds, kinds):
        for preferred in order:
            if preferred in pool and (pool is anchor_kinds or preferred != "agreement"):
                return _TYPES[preferred]
    return _TYPES["attack"]


def _first(kinds: list[str], kind: str) -> int:
    return kinds.index(kind)
