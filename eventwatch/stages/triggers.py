"""Event words: which words report which kind of violence or unrest.

Each trigger names a *kind*; ``detect`` turns the kinds found in an incident's
sentences into ACLED's event_type and sub_event_type.  The lists are written
from the ACLED codebook's definitions, not from any one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Trigger:
    kind: str
    start: int
    end: int
    text: str


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


# kind -> pattern, in order of specificity (earlier kinds win a tie in one sentence).
TRIGGERS: dict[str, re.Pattern[str]] = {
    "disrupted": _words(
        r"shot down", r"(?:intercepted|downed|destroyed) (?:\w+ ){0,3}(?:drones?|missiles?|rockets?)",
        r"(?:drones?|missiles?|rockets?) (?:\w+ ){0,3}(?:were|was) (?:shot down|intercepted|downed)",
        r"air defen[cs]es? (?:\w+ ){0,3}(?:intercepted|downed|repelled)", r"defused", r"dismantled an? (?:\w+ )?(?:bomb|explosive)",
    ),
    "suicide": _words(r"suicide (?:bomb\w*|attack\w*|vest)", r"blew (?:him|her|them)sel(?:f|ves) up"),
    "chemical": _words(r"chemical (?:weapons?|attack)", r"chlorine gas", r"sarin", r"toxic gas"),
    "ied": _words(
        r"improvised explosive devices?", r"IEDs?", r"roadside bombs?", r"land ?mines?", r"mines? exploded",
        r"(?:stepped on|ran over|struck|hit|triggered) an? (?:\w+ )?(?:mine|explosive device|bomb)",
        r"explosive devices?", r"car bombs?", r"bomb (?:exploded|went off|blast)",
        r"bombs? (?:\w+ ){1,4}(?:blew up|exploded|detonated|went off)", r"booby[- ]trap\w*",
        r"unexploded ordnance",
    ),
    "grenade": _words(r"grenades?"),
    "air": _words(
        r"air ?strikes?", r"air raids?", r"warplanes?", r"war ?planes?", r"fighter jets?", r"(?:military )?jets? (?:bombed|struck|hit|fired)",
        r"bombed from the air", r"helicopter gunships?", r"drones?", r"UAVs?", r"glide bombs?", r"aerial (?:attack|bombardment|bombing)s?", r"(?:guided )?aerial bombs?", r"guided bombs?",
        r"dropped (?:\w+ )?(?:bombs?|explosives)", r"bombed",
        r"(?:jet|plane|aircraft|helicopter) (?:bombed|struck|fired)",
    ),
    "shelling": _words(
        r"shell(?:ed|ing|s)", r"artillery", r"mortars?", r"rockets?", r"missiles?", r"howitzers?", r"projectiles?",
        r"multiple[- ]launch", r"pounded", r"bombard(?:ed|ment)",
    ),
    "abduction": _words(r"abduct(?:ed|ing|ion|s)", r"kidnap(?:ped|ping|pers|s)?", r"taken hostage", r"seized (?:\d+|\w+) (?:people|passengers|villagers|students|hostages)"),
    "sexual": _words(r"rap(?:ed|ing)", r"sexual(?:ly)? (?:violence|assault\w*|abuse\w*)"),
    "agreement": _words(
        r"signed (?:a|an|the) (?:\w+ ){0,2}(?:cease-?fire|truce|peace (?:deal|agreement)|agreement|accord)",
        r"agreed (?:to |on )?(?:a|an) (?:\w+ ){0,2}(?:cease-?fire|truce|peace deal)",
    ),
    "base": _words(
        r"(?:set up|established|built|opened) (?:a |an )?(?:new )?(?:[\w-]+ ){0,2}(?:base|headquarters|outpost|camp)",
    ),
    "transfer": _words(
        r"without (?:firing a shot|a fight|resistance|any fighting)", r"(?:withdrew|pulled out|retreated) (?:from )?(?:the )?(?:\w+ )?(?:town|village|city|base)",
        r"handed (?:over )?control",
    ),
    "regain": _words(r"recaptur(?:ed|ing)", r"retook", r"retaken", r"regain(?:ed|ing) control", r"took back"),
    "overtake": _words(r"overr(?:an|un)", r"(?:seized|captured|took(?: over)?) (?:control of )?(?:the )?(?:\w+ )?(?:town|village|city|base|district|military base)"),
    "clash": _words(
        r"clash(?:ed|es)?", r"fighting (?:\w+ )?(?:broke out|erupted|raged)", r"(?:heavy|fierce|intense|renewed) fighting",
        r"fighting (?:\w+ ){0,2}(?:killed|left)", r"fought", r"gun ?battles?", r"firefights?", r"battled?",
        r"exchange[sd]? (?:of )?fire", r"ambush(?:ed)?", r"attack(?:ed|s)? (?:on )?(?:an? |the )?(?:\w+ )?(?:military|army|police) (?:base|post|positions?|checkpoint|convoy|outpost)",
        r"repelled", r"fought off",
    ),
    "riot": _words(
        r"riot(?:ed|ers|ing|s)?", r"mobs?", r"angry crowds?", r"crowds? (?:of \w+ )?(?:beat|lynched|killed|attacked|set)", r"crowds? (?:of \w+ )?(?:stormed|attacked|torched|ransacked)", r"(?:hurled|threw|pelted) (?:stones|rocks|bricks|petrol bombs)",
        r"stone[- ]pelting", r"lynch(?:ed|ing)", r"vandali[sz]ed",
    ),
    "arson": _words(r"set (?:\w+ )?(?:on )?fire", r"torch(?:ed|ing)", r"burn(?:ed|t) (?:down )?(?:\w+ ){0,2}(?:houses|homes|shops|vehicles|cars)"),
    "protest": _words(
        r"protest(?:ed|ers|ors|ing|s)?", r"demonstrat(?:ed|ions?|ors|ing)", r"rall(?:y|ies|ied)", r"march(?:ed|ers)",
        r"sit-ins?", r"strikers?", r"walkouts?", r"chant(?:ed|ing)", r"took to the streets", r"placards", r"banners",
        r"(?:people|thousands|hundreds|crowds?|residents|supporters|women|students) (?:\w+ )?(?:gathered|assembled)",
    ),
    "arrest": _words(r"arrest(?:ed|s)", r"detain(?:ed|s)", r"rounded up", r"took (?:\w+ )?into custody"),
    "looting": _words(r"loot(?:ed|ing)", r"ransack(?:ed|ing)", r"demolish(?:ed|ing)"),
    "attack": _words(
        r"attack(?:ed|s|ing)?", r"killed", r"killing", r"shot dead", r"gunned down", r"opened fire", r"stormed",
        r"raid(?:ed|s)?", r"massacre[ds]?", r"executed", r"beheaded", r"hacked to death", r"stabbed", r"shot",
        r"gunmen", r"lost (?:his|her|their) li(?:fe|ves)", r"died", r"dead",
    ),
}

# Kinds of violence that need no second armed actor.
REMOTE_KINDS = ("suicide", "chemical", "ied", "grenade", "air", "shelling")


# The same patterns, lower case, for lower-cased text: matching without IGNORECASE takes
# half the time, and this is the pipeline's most frequent search.
assert not any(re.search(r"\\[A-Z]", p.pattern) for p in TRIGGERS.values()), "an upper-case escape would change"
_LOWER_TRIGGERS = {kind: re.compile(pattern.pattern.lower()) for kind, pattern in TRIGGERS.items()}


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    """Every trigger in ``text``, in text order, offsets shifted by ``offset``."""
    lower = text.lower()
    # (a few characters lower-case to two, which would shift every offset after them)
    patterns, subject = (_LOWER_TRIGGERS, lower) if len(lower) == len(text) else (TRIGGERS, text)
    found = [
        Trigger(kind, m.start() + offset, m.end() + offset, text[m.start():m.end()])
        for kind, pattern in patterns.items()
        for m in pattern.finditer(subject)
    ]
    found.sort(key=lambda t: (t.start, -t.end))
    return _outermost(found)


def _outermost(found: list[Trigger]) -> list[Trigger]:
    """Drop each trigger inside a longer one (a word inside a longer trigger belongs to it:
    "shot" in "without firing a shot"); ``found`` is sorted by start, longest first.

    One pass: a longer trigger holding t starts before t (and ends at or after it), or at
    t's start and ends after it; both come before t in this order."""
    kept = []
    reach = -1  # the furthest end of the triggers that start before the current start
    start, first_end = -1, -1  # the current start, and the end of its longest trigger
    for t in found:
        if t.start != start:
            reach = max(reach, first_end)
            start, first_end = t.start, t.end
        if reach < t.end and first_end <= t.end:
            kept.append(t)
    return kept
