"""Stage · how many were killed and injured, and how many of the dead were children.

ACLED's rules: the most conservative figure reported wins; deaths on both
sides of a fight are summed; "dozens" = 12, "tens" = 10, "hundreds" = 100,
"several" = 3; a precise figure beats a vague amount.  Each casualty clause
("killing a mother and her three children", "two soldiers were killed") is a
*statement*; its victims are counted per group (state forces, armed men,
everybody else): within a group the smallest statement wins, across groups
the counts add up.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from text_to_num import text2num

from eventwatch.stages.tails import search_tail

VAGUE = {"dozens": 12, "tens": 10, "hundreds": 100, "scores": 20, "several": 3, "some": 3, "many": 10, "a number": 3}
_DETERMINERS_ONE = {"a", "an", "one", "another", "the", "his", "her", "their", "its", "a further", "one other"}

_STATE = r"soldiers?|troops|servicem[ae]n|police(?:m[ae]n|(?: officers?)?)|officers?|guards?|personnel|gendarmes?|militiam[ae]n|security forces|army|military"
_ARMED = r"fighters?|militants?|insurgents?|rebels?|attackers?|gunmen|gunman|jihadists?|separatists?|bandits?|assailants?|terrorists?|combatants?"
_CHILD = r"children|child|boys?|girls?|sons?|daughters?|bab(?:y|ies)|infants?|toddlers?|teenagers?|teens?|minors?|schoolchildren|pupils?|students?"
_ADULT = r"m[ae]n|wom[ae]n|mothers?|fathers?|husbands?|wives|wife|elderly|grandmothers?|grandfathers?|drivers?|farmers?|workers?|herders?|fishermen|traders?|doctors?|nurses?|journalists?|miners?|shepherds?|hunters?"
_OTHER = r"people|persons|robbers?|thieves|suspects?|criminals?|vendors?|shopkeepers?|bystanders?|officials?|teachers?|engineers?|guests?|customers?|fans?|mourners?|pedestrians?|civilians?|villagers?|residents?|passengers?|members?|worshippers?|pilgrims?|relatives?|family|families|victims?|bodies|protesters?|demonstrators?|motorists?|others|casualties|individuals|staff|employees|inmates|prisoners|refugees|migrants"
_NOUN = re.compile(rf"^(?:(?P<state>{_STATE})|(?P<armed>{_ARMED})|(?P<child>{_CHILD})|(?P<adult>{_ADULT})|(?P<other>{_OTHER}))$", re.I)

_KILL_PASSIVE = r"(?:were|was|had been|have been|has been|are|is)\s+(?:\w+\s+)?(?:killed|shot dead|found dead|confirmed dead|burned to death|hacked to death|beheaded|executed|dead)|died|lost (?:his|her|their) li(?:fe|ves)|dead\b"
_KILL_ACTIVE = r"killing|killed|kills|shot dead|shooting dead|gunned down|gunning down|leaving|left|claimed the lives of"
_HURT_PASSIVE = r"(?:were|was|had been|have been|has been|are|is)\s+(?:\w+\s+)?(?:wounded|injured|hurt|hospitali[sz]ed)|(?:were|was) treated (?:in hospital |at (?:a|the) hospital )?for\b|(?:wounded|injured)\b"
_HURT_ACTIVE = r"wounding|injuring|wounded|injured|hurting"

_ACTIVE = re.compile(rf"\b(?P<verb>{_KILL_ACTIVE}|{_HURT_ACTIVE})\s+", re.I)  # the victims follow, to the clause end
_CLAUSE_END = re.compile(r"[.;:]")
_NP_END = re.compile(r",\s+(?:[\w'-]+\s+){0,6}?(?:said|say|says|told|reported)\b|\b(?:in|at(?! least)|on|near|when|after|and (?:wounding|injuring|killing|leaving)|while|during|before|since|(?<!well )as(?! well)|by|with|according)\b")
_NOT_VICTIMS = re.compile(r"\s*(?:in|at(?! least)|on|when|by|during|after|and|while)\b", re.I)
_AFTER_NUMBER_OR_NOUN = re.compile(
    r"(?:\d|\b[a-z]*(?:teen|ty|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|tens|dozens|hundreds)|\b(?:"
    + _STATE + "|" + _ARMED + "|" + _OTHER + "|" + _CHILD + "|" + _ADULT + r"))\s+$",
    re.I,
)
_AFTER_ARTICLE = re.compile(r"\b(?:the|of|for|to)\s+$")
_PASSIVE_VERB = re.compile(rf"\b(?P<verb>{_KILL_PASSIVE}|{_HURT_PASSIVE})", re.I)
_TOLL = re.compile(
    r"\b(?:death toll|toll)\b[^.;]{0,40}?\b(?:at|to|of|rose to|stood at|reached)\s+(?P<n>[\w,-]+)|"
    r"\b(?:confirmed|reported|counted)\s+(?P<n2>[\w,-]+)\s+(?:deaths|dead|fatalities)",
    re.I,
)
_NONE_HURT = re.compile(r"\b(?:no one|nobody|no-one|none)\b[^.;]{0,30}\b(?:hurt|injured|wounded|harmed)|\bno (?:injuries|casualties|one was hurt)\b|\bwithout (?:casualties|injuries)\b", re.I)
_NONE_KILLED = re.compile(r"\b(?:no one|nobody|no-one|none)\b[^.;]{0,30}\b(?:killed|died)|\bno (?:casualties|deaths|fatalities)\b|\bwithout casualties\b", re.I)
_BOUNDARY = re.compile(
    r"[,;]|\b(?:when|after|while|as|but|before|because|where|who|which|that|said|says)\b|"
    r"\b(?:killed|wounded|injured|dead|hurt|was|were|died)\b[^,;]{0,25}?\band\b",
    re.I,
)
_DIED_OF_WOUNDS = re.compile(r"died (?:later )?(?:of|from) (?:his|her|their) (?:wounds|injuries)", re.I)
_MORE = re.compile(r"\b(?:other|others|another|further|additional|also)\b", re.I)
_CLAIM = re.compile(r"\bclaim(?:ed|s|ing)\b", re.I)  # unverified claims never set a toll
_AGE = re.compile(r"^(\d{1,3}|[a-z]+(?:-[a-z]+)?)-year-old$")
# A longer run of digits is not a head count (a phone number, a reference, garbage) and
# past 4,300 digits Python refuses to read it as an int at all.
MAX_COUNT_DIGITS = 9
_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\d[\d,]*(?:-year-old)?|,")


class _Passive(NamedTuple):
    """A passive casualty clause: the words before its verb (back to the last . ; or :)."""

    start: int
    np: str
    verb_start: int
    verb: str
    end: int


def _passives(text: str) -> Iterator[_Passive]:
    """Each passive verb ("were killed", "died", "injured") with the phrase before it.

    What a regex "(?P<np>[^.;:]*?)\\s*\\b(?P<verb>...)" finds, found verb first: the lazy
    phrase in front would make the regex try every start with every length (quadratic in
    the sentence); the phrase is simply the text back to the previous clause end or match.
    """
    pos = 0
    while m := _PASSIVE_VERB.search(text, pos):
        start = max(pos, *(text.rfind(mark, pos, m.start()) + 1 for mark in ".;:"))
        yield _Passive(start, text[start:m.start()].rstrip(), m.start(), m.group("verb"), m.end())
        pos = m.end()


class _FirstMatch:
    """The first match of ``pattern`` in ``text`` from a position, for positions that only grow:
    a match found from one position is the first from any later one before it, so each stretch
    of text is searched once, not once per position."""

    __slots__ = ("_end", "_found", "_pattern", "_start", "_text")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._pattern, self._text = pattern, text
        self._start, self._end, self._found = -1, -1, None

    def search(self, start: int, end: int) -> re.Match[str] | None:
        """``pattern.search(text, start, end)``."""
        reusable = self._start <= start and self._end == end and (self._found is None or self._found.start() >= start)
        if not reusable:
            self._start, self._end, self._found = start, end, self._pattern.search(self._text, start, end)
        return self._found


@dataclass(slots=True, frozen=True)
class Part:
    """One counted group inside a victim phrase: 'her three children'."""

    count: int
    vague: bool
    group: str  # state | armed | child | adult | other
    age: int | None = None
    subset: bool = False  # after "including" or in apposition: a breakdown, not an addition


@dataclass(slots=True, frozen=True)
class Statement:
    """One casualty clause: who was killed (or hurt), as counted parts."""

    what: str  # killed | hurt
    parts: tuple[Part, ...]
    start: int
    end: int
    additive: bool = False  # "two other villagers were also killed": more victims, not another toll


@dataclass(slots=True, frozen=True)
class Tally:
    fatalities: int
    injuries: int | None
    child_fatalities: int | None
    fatality_span: tuple[int, int] | None
    injury_span: tuple[int, int] | None


def _number(token: str) -> int | None:
    token = token.lower().replace(",", "")
    if token.isdecimal():
        return int(token) if len(token) <= MAX_COUNT_DIGITS else None
    if token in ("a", "an", "one", "another"):
        return 1
    try:
        return int(text2num(token, "en"))
    except ValueError:
        return None


def parse_victims(phrase: str) -> tuple[Part, ...]:
    """Counted groups in a victim phrase, e.g. 'a mother and her three children as well as two men'."""
    tokens = _TOKEN.findall(phrase)
    parts: list[Part] = []
    i, subset, pending_comma = 0, False, False
    while i < len(tokens) and len(parts) < 8:
        word = tokens[i].lower()
        if word == ",":
            pending_comma = True
            i += 1
            continue
        if word in ("including", "among", "mostly", "mainly", "all"):
            subset = True
            i += 1
            continue
        count, vague = None, False
        lookahead = " ".join(tokens[i : i + 2]).lower()
        if lookahead in ("a dozen", "a few"):
            count, vague, i = (12, False, i + 2) if lookahead == "a dozen" else (3, True, i + 2)
        elif word == "both":
            count, i = 2, i + 1
        elif word in VAGUE:
            count, vague, i = VAGUE[word], True, i + 1
        elif word in ("at", "least", "more", "than", "over", "nearly", "about", "around", "some", "up", "to", "almost", "roughly", "approximately"):
            i += 1
            continue
        else:
            number = _number(word)
            if number is not None and not _AGE.match(word) and not word.endswith("-year-old"):
                count, i = number, i + 1
                if i < len(tokens) and tokens[i].lower() == "of" and vague:
                    i += 1
            elif word in _DETERMINERS_ONE and not (i > 0 and tokens[i - 1].lower() == "of"):
                following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
                if word not in ("a", "an", "one", "another") and _number(following) is not None:
                    i += 1
                    continue
                count, i = 1, i + 1
        if count is None:
            if parts and word not in ("and", "as", "well", "other", "others", "more", "of", "the", "her", "his", "their", "them", "whom"):
                if word not in ("people",) and not _NOUN.match(word):
                    break
            i += 1
            continue
        age, group = None, None
        for j in range(i, min(i + 5, len(tokens))):
            token = tokens[j].lower()
            if m := _AGE.match(token):
                age = _number(m.group(1))
                continue
            if match := _NOUN.match(token):
                group = next(k for k, v in match.groupdict().items() if v)
                i = j + 1
                break
            if token in (",", "and"):
                break
        if group is None and not parts and (i >= len(tokens) or tokens[i].lower() in (",", "more", "others", "other")):
            group = "other"  # "two were killed and five wounded", "wounding dozens more": the noun is understood
        if group is None:
            if parts:
                break
            continue
        if word in ("the", "his", "her", "their", "its") and tokens[i - 1].lower().endswith("s") and group != "other":
            count = 2 if tokens[i - 1].lower() in ("parents",) else count
        if age is not None:
            group = "child" if age < 18 else ("adult" if group in ("other", "child") else group)
        listing = parts and parts[-1].count == 1 and re.search(r"\band\b|\bas well as\b", phrase[phrase.find(","):])
        if pending_comma and parts and not listing and not parts[-1].vague and not parts[-1].subset:
            subset = True  # "two civilians, a woman and her son": the rest is a breakdown
        parts.append(Part(count, vague, group, age, subset))
        pending_comma = False
    return tuple(parts)


def _subject(text: str) -> tuple[str, tuple[Part, ...]]:
    """The victim phrase that ends ``text``: the shortest clause tail that names a whole group."""
    cuts = [0] + [m.end() for m in _BOUNDARY.finditer(text)]
    for cut in reversed(cuts):
        parts = parse_victims(text[cut:])
        if any(not p.subset for p in parts):
            return text[cut:], parts
    return text, ()


def find_statements(text: str, offset: int = 0) -> list[Statement]:
    """Casualty statements in one sentence."""
    found: list[Statement] = []
    clause_ends = [m.start() for m in _CLAUSE_END.finditer(text)] + [len(text)]
    np_ends = _FirstMatch(_NP_END, text)
    for m in _ACTIVE.finditer(text):
        verb = m.group("verb").lower()
        what = "hurt" if re.match(_HURT_ACTIVE, verb, re.I) else "killed"
        np_start = m.end()
        np_end = clause_ends[bisect_left(clause_ends, np_start)]  # the victim phrase: to the clause end
        cut = np_ends.search(np_start, np_end)
        np_text = text[np_start : cut.start() if cut else np_end]
        if verb in ("leaving", "left") and not re.search(r"\b(?:dead|killed)\b", text[np_start : min(np_start + 60, np_end)], re.I):
            continue
        if verb == "killed" and _NOT_VICTIMS.match(text, np_start, np_end):
            continue
        parts = parse_victims(np_text)
        if parts:
            found.append(Statement(what, parts, m.start() + offset, np_start + offset + len(np_text.rstrip()), bool(_MORE.search(np_text))))
    actives = list(found)  # in text order
    reach, k = -1, 0  # the furthest end of the active statements that start before a passive
    for m in _passives(text):
        verb = m.verb.lower()
        what = "hurt" if re.search(r"wound|injur|hurt|hospital|treated", verb) else "killed"
        bare = verb in ("wounded", "injured", "dead")
        if bare and search_tail(_AFTER_ARTICLE, text, m.verb_start, 1):
            continue  # "the wounded", "the dead": people already counted
        if bare and not search_tail(_AFTER_NUMBER_OR_NOUN, text, m.verb_start, 2):
            continue  # bare "dead"/"wounded" counts only right after a number or a noun: "11 dead"
        if _DIED_OF_WOUNDS.match(text, m.verb_start):
            continue  # a later death among the wounded: the toll statements count it
        subject, parts = _subject(m.np)
        while k < len(actives) and actives[k].start <= m.start + offset:
            reach, k = max(reach, actives[k].end), k + 1
        # (no passive statement reaches the next passive: that begins after its verb)
        if parts and not reach > m.start + offset:  # inside an active statement: counted there
            additive = bool(_MORE.search(subject) or _MORE.search(m.verb))
            found.append(Statement(what, parts, m.verb_start - len(subject) + offset, m.end + offset, additive))
    for m in _TOLL.finditer(text):
        number = _number(m.group("n") or m.group("n2"))
        if number is not None:
            found.append(Statement("killed", (Part(number, False, "other"),), m.start() + offset, m.end() + offset))
    return found


def _combine(statements: list[Statement]) -> tuple[int | None, tuple[int, int] | None]:
    """Conservative total: per group the smallest statement, precise over vague; groups added.

    A statement about named kinds of people ("two men were beheaded") is a
    breakdown of a toll given with a general noun ("four civilians"), never a
    lower toll: it counts only when no general statement exists.  A statement of
    further victims ("two other villagers were also killed") adds to the toll.
    """
    best: dict[str, tuple[bool, bool, int, tuple[int, int]]] = {}
    extra: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    for statement in statements:
        totals: dict[str, list[int | bool]] = {}
        for part in statement.parts:
            if part.subset:
                continue
            group = part.group if part.group in ("state", "armed") else "people"
            count, vague = totals.get(group, [0, False])
            totals[group] = [count + part.count, vague or part.vague]
        general = any(p.group == "other" for p in statement.parts if not p.subset)
        for group, (count, vague) in totals.items():
            if statement.additive:
                extra[group] = extra.get(group, 0) + int(count)
                spans.append((statement.start, statement.end))
                continue
            key = (group == "people" and not general, bool(vague), int(count), (statement.start, statement.end))
            if group not in best or key[:3] < best[group][:3]:
                best[group] = key
    if not best and not extra:
        return None, None
    spans += [value[3] for value in best.values()]
    total = sum(value[2] for value in best.values()) + sum(extra.values())
    return total, (min(s[0] for s in spans), max(s[1] for s in spans))


def _children(statements: list[Statement], fatalities: int) -> int | None:
    if fatalities == 0:
        return 0
    counts = [sum(p.count for p in s.parts if p.group == "child") for s in statements]
    if any(counts):
        return min(c for c in counts if c)
    adults_only = any(
        all(p.group in ("adult", "state", "armed") for p in s.parts if not p.subset) for s in statements
    )
    return 0 if adults_only else None


def _additive_after_first(statements: list[Statement]) -> list[Statement]:
    """'Other' victims add up only after a first toll: 'killing seven and wounding ten
    others' gives the first count of the wounded, not more wounded."""
    ordered = sorted(statements, key=lambda s: s.start)
    return ordered[:1] and [replace(ordered[0], additive=False)] + ordered[1:]


def tally(sentences: list[tuple[str, int]]) -> Tally:
    """Count casualties over an incident's sentences, given as (text, offset) pairs."""
    statements = [
        s for text, offset in sentences if not _CLAIM.search(text) for s in find_statements(text, offset)
    ]
    killed = _additive_after_first([s for s in statements if s.what == "killed"])
    hurt = _additive_after_first([s for s in statements if s.what == "hurt"])
    fatalities, fatality_span = _combine(killed)
    injuries, injury_span = _combine(hurt)
    joined = " ".join(text for text, _ in sentences)
    if injuries is None and _NONE_HURT.search(joined):
        injuries = 0
    if fatalities is None:
        fatalities = 0
    if _NONE_KILLED.search(joined) and not killed:
        fatalities = 0
    return Tally(fatalities, injuries, _children(killed, fatalities), fatality_span, injury_span)


def run(doc, incident) -> None:
    """Fill fatalities, injuries and child_fatalities from the incident's sentences."""
    sentences = [(doc.sentences[i].text, doc.sentences[i].start) for i in incident.sentences]
    counts = tally(sentences)
    incident.fatalities = counts.fatalities
    incident.injuries = counts.injuries
    incident.child_fatalities = counts.child_fatalities
    if counts.fatality_span:
        incident.spans["fatalities"] = doc.span(*counts.fatality_span)
    if counts.injury_span:
        incident.spans["injuries"] = doc.span(*counts.injury_span)
