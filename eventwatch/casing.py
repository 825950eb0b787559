"""Capitals restored for text that came all in lower case or all in capitals.

The stages find sentences, places and named groups by their capitals, so a
feed or a coder's note written all in lower case ("gunmen killed 12 in
kabul. police said ...") or ALL IN CAPITALS reads as one sentence with no
names.  :func:`restore_case` gives an analysis text with the capitals put
back where they are sure: sentence starts, "I", weekdays and months, place
names the gazetteer knows, demonyms, the armed groups the actor stage knows
and dotted initialisms ("u.n." -> "U.N.").  It only changes the case of
characters, never their number, so every offset into it is an offset into
the text as given: the stages read the restored text and evidence quotes the
original.

Words that are ordinary English words as well as names ("police", "may",
"reading", "mobile") stay in lower case unless the name is unambiguous: part
of a longer name ("Mobile Bay"), a country or a city of a million people (see
``_ORDINARY_AFTER_ALL`` for the few of those that are still ordinary words).
What counts as ordinary is a cased English dictionary: a word it lists in
lower case (see ``_dictionary``).

Ordinary mixed-case text is returned unchanged, decided by the share of
capital letters (:func:`casing_of`), which costs a few microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from anyascii import anyascii
from english_words import get_english_words_set

from eventwatch.geo.gazetteer import demonyms
from eventwatch.geo.normalize import name_key
from eventwatch.stages.actors import NAMED_GROUPS
from eventwatch.stages.dates import MONTHS, WEEKDAYS
from eventwatch.stages.sentences import is_abbreviation

if TYPE_CHECKING:
    from eventwatch.geo.gazetteer import Gazetteer

# A text is "lower case" when under 1 letter in this many is a capital (news copy
# has 1 in 20 to 30), "all capitals" when under 1 in this many is small.
_CAPITALS_PER_LETTER = 100
_SMALL_PER_LETTER = 10
# All-capital texts shorter than this (in letters) are left alone: "UN", "NATO".
_MIN_LETTERS_UPPER = 8

# Cities this large count as names even when their name is an English word too.
_MILLION = 1_000_000
# Smaller cities and towns must have at least this many people to be capitalised.
_MIN_POPULATION = 15_000
# Single-word places shorter than this are skipped ("le", "du", "ve" are towns too);
# those of this length only after a preposition of place (most are initials: "bjp", "isi").
_MIN_NAME_LENGTH = 3
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "outside", "around", "of"})

# Names of countries, million-people cities and demonyms that are, all the same, ordinary words first.
_ORDINARY_AFTER_ALL = frozenset({"jersey", "reunion", "pest", "hue", "polish", "finish"})
# Countries and unions written by their initials, all in capitals ("un" -> "UN").
_INITIALISMS = frozenset({"uk", "usa", "uae", "drc", "prc", "dprk", "un", "eu", "nato"})
# Words inside a name that keep their small letter ("Rio de Janeiro", "Isle of Man").
_CONNECTORS = frozenset(
    "of the and on upon de del della da do dos das du des la le les el al ad ar as ash az "
    "y e van von der den am an im bin ibn".split()
)
# A word before one of these is named as a place ("mehsana district").
_PLACE_NOUNS = frozenset(
    "district village town city province state region county governorate municipality "
    "tehsil taluka division prefecture oblast".split()
)
# Months that are also English words, capitalised only next to a number ("march 7", "7 may").
_AMBIGUOUS_MONTHS = frozenset({"march", "may", "august"})
# Dotted initialisms that stay small.
_SMALL_INITIALISMS = frozenset({"a.m.", "p.m.", "i.e.", "e.g."})

_UPPER_BYTES = bytes(range(ord("A"), ord("Z") + 1))
_LOWER_BYTES = bytes(range(ord("a"), ord("z") + 1))
_TOKEN = re.compile(r"\b[^\W\d_]+\b")
_SENTENCE_START = re.compile(r"(?:\A|[.!?]['\"’”)\]]*\s+|\n)[\s'\"‘“(\[]*(?=[^\W\d_])")
_INITIALISM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_NUMBER_BEFORE = re.compile(r"\d\s+$")
_NUMBER_AFTER = re.compile(r"\s+\d")
# British spellings the dictionary has in their American form.
_SPELLINGS = ((re.compile(r"tre$"), "ter"), (re.compile(r"our$"), "or"), (re.compile(r"is(e|ed|es|ing)$"), r"iz\1"),
              (re.compile(r"ence$"), "ense"), (re.compile(r"ogue$"), "og"))
_SUFFIXES = ("s", "es", "ed", "d", "ing")


def casing_of(text: str) -> str | None:
    """"lower" for text (nearly) without capitals, "upper" for text (nearly) all in
    capitals, None for ordinary mixed-case text.  Counts ASCII letters, in the whole
    text and in the text after its first line: a headline or a "This story is from
    ..." line may be cased when the story is not."""
    upper, lower = _letters(text)
    newline = text.find("\n", 0, len(text) - 1)
    if newline >= 0:
        head_upper, head_lower = _letters(text[:newline])
        if (upper - head_upper) * _CAPITALS_PER_LETTER < upper - head_upper + lower - head_lower:
            return "lower"
    if upper * _CAPITALS_PER_LETTER < upper + lower:
        return "lower"
    if upper >= _MIN_LETTERS_UPPER and lower * _SMALL_PER_LETTER < upper + lower:
        return "upper"
    return None


def _letters(text: str) -> tuple[int, int]:
    """How many ASCII capitals and small letters ``text`` has."""
    letters = text.encode("ascii", "ignore")
    return (len(letters) - len(letters.translate(None, _UPPER_BYTES)),
            len(letters) - len(letters.translate(None, _LOWER_BYTES)))


@dataclass(frozen=True, slots=True)
class Names:
    """The proper names the truecaser knows: ``name_key`` forms of places, plain
    lower-case forms (words joined by one space) of the names that are sure."""

    places: frozenset[str]  # countries, continents, first-level divisions, cities >= _MIN_POPULATION
    strong: frozenset[str]  # countries, continents, million-cities, demonyms: capitalised even if a word
    is_place: Callable[[str], bool] = lambda word: False  # any place of the gazetteer, however small


_NAMES: dict[str, Names] = {}


def gazetteer_names(gazetteer: Gazetteer) -> Names:
    """The names of ``gazetteer``, read once per gazetteer file (about 0.3 s)."""
    cached = _NAMES.get(str(gazetteer.path))
    if cached is not None:
        return cached
    places: set[str] = set()
    strong = {word.lower() for word, _ in demonyms()}
    for key, name, kind, population in gazetteer.name_rows(_MIN_POPULATION):
        places.add(key)
        if kind in ("country", "continent") or (kind == "city" and population >= _MILLION):
            strong.add(plain(name))
    names = Names(frozenset(places), frozenset(strong), lambda word: bool(gazetteer.lookup(word)))
    _NAMES[str(gazetteer.path)] = names
    return names


def plain(name: str) -> str:
    """``name`` in lower-case ASCII words joined by one space: "São Paulo" -> "sao paulo"."""
    return " ".join(_TOKEN.findall((name if name.isascii() else anyascii(name)).lower()))


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """English words that Webster's Second writes in lower case and that GCIDE lists as
    well (via ``english-words``): the second dictionary leaves out most of the first's
    obscure words, which would otherwise hide names such as "Fasher" or "Tibet"."""
    both = get_english_words_set(["gcide"], alpha=True, lower=True)
    return frozenset(w for w in get_english_words_set(["web2"], alpha=True) if w.islower() and w in both)


@lru_cache(maxsize=65_536)
def is_ordinary_word(word: str) -> bool:
    """True when ``word`` (lower case) is an English word, or a plural, past or -ing form of one."""
    words = _dictionary()
    if word in words:
        return True
    for suffix in _SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3 and (stem in words or stem + "e" in words or stem[:-1] in words):
            return True
    return any((american := pattern.sub(repl, word)) != word and american in words for pattern, repl in _SPELLINGS)


# --------------------------------------------------------------------------- restoring


def restore_case(text: str, names: Names) -> str:
    """``text`` with its capitals restored when it came all in lower case or all in
    capitals (same length, only the case of letters changed); otherwise ``text`` itself."""
    mode = casing_of(text)
    if mode is None:
        return text
    chars = list(_lower(text) if mode == "upper" else text)
    _capitalise_sentence_starts(text, chars)
    _capitalise_names(chars, names)
    _capitalise_groups(chars)
    _dateline_in_capitals(chars, names)
    for match in _INITIALISM.finditer("".join(chars)):
        if match.group().lower() not in _SMALL_INITIALISMS:
            _set_upper(chars, match.start(), match.end())
    return "".join(chars)


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):  # lower() never shortens a character: each mapped to one
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def _set_upper(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        up = chars[i].upper()
        if len(up) == 1:  # "ß" -> "SS" would move every offset after it
            chars[i] = up


def _capitalise(chars: list[str], start: int) -> None:
    _set_upper(chars, start, start + 1)


def _capitalise_sentence_starts(text: str, chars: list[str]) -> None:
    for match in _SENTENCE_START.finditer(text):
        stop = match.start()
        if stop and text[stop] in ".!?":
            before = re.search(r"([^\W\d_.]+(?:\.[^\W\d_]+)*)$", text[max(0, stop - 20) : stop])
            if is_abbreviation(before.group(1) if before else ""):
                continue
        _capitalise(chars, match.end())


def _capitalise_names(chars: list[str], names: Names) -> None:
    text = "".join(chars)
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
    i = 0
    while i < len(tokens):
        taken = _multiword_place(text, tokens, i, names)
        if taken:
            for start, _, word in tokens[i : i + taken]:
                if start == tokens[i][0] or word not in _CONNECTORS:
                    _capitalise(chars, start)
            i += taken
            continue
        start, end, word = tokens[i]
        preceding = tokens[i - 1][2] if i and text[tokens[i - 1][1] : start] == " " else ""
        following = tokens[i + 1][2] if i + 1 < len(tokens) and text[end : tokens[i + 1][0]] == " " else ""
        if word in _INITIALISMS:
            _set_upper(chars, start, end)
        elif _single_word_name(text, start, end, word, (preceding, following), names):
            _capitalise(chars, start)
        i += 1


def _multiword_place(text: str, tokens: list[tuple[int, int, str]], i: int, names: Names) -> int:
    """How many tokens from ``i`` on spell a place name of two to four words (0 if none)."""
    for n in (4, 3, 2):
        if i + n > len(tokens):
            continue
        span = tokens[i : i + n]
        if any(text[a[1] : b[0]] not in (" ", "-") for a, b in zip(span, span[1:], strict=False)):
            continue
        phrase = text[span[0][0] : span[-1][1]]
        if plain(phrase) in names.strong or (
            name_key(phrase) in names.places
            and any(word not in _CONNECTORS and not is_ordinary_word(word) for _, _, word in span)
        ):
            return n
    return 0


def _single_word_name(
    text: str, start: int, end: int, word: str, neighbours: tuple[str, str], names: Names
) -> bool:
    """Whether one word is a name; ``neighbours`` are the words just before and after it
    (separated by one space; "" if not)."""
    preceding, following = neighbours
    if word == "i":
        return text[end : end + 1] != "." and text[start - 1 : start] not in (".", "'", "’")
    if word in WEEKDAYS or word in MONTHS:
        if word not in _AMBIGUOUS_MONTHS:
            return True
        return bool(_NUMBER_AFTER.match(text, end) or _NUMBER_BEFORE.search(text[max(0, start - 12) : start]))
    if len(word) < _MIN_NAME_LENGTH or (len(word) == _MIN_NAME_LENGTH and preceding not in _PLACE_PREPOSITIONS):
        return False  # three letters: "in gao", not "the bjp"
    if word not in _ORDINARY_AFTER_ALL and (plain(word) in names.strong or plain(word[:-1]) in names.strong and word[-1] == "s"):
        return True  # "china", "lima", "german", "afghans"
    if is_ordinary_word(word):
        return False
    if name_key(word) in names.places:
        return True
    return (following in _PLACE_NOUNS or preceding in _PLACE_PREPOSITIONS) and names.is_place(word)


# "mopti, mali —", "ahmedabad:" at the head of the story (after a headline at most).
_DATELINE = re.compile(
    r"(?:\A|\n)\s*(?P<town>[^\W\d_](?:[^\W\d_]|['’.\- ]){1,40}?)(?:\s*,\s*[^\W\d_][^—–\n:]{0,50}?)?\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?(?:—|–|--| - |:)\s*['\"‘“]*"
)
_DATELINE_REACH = 300


def _dateline_in_capitals(chars: list[str], names: Names) -> None:
    """The town of a dateline in capitals, as wires write it ("MOPTI, Mali —"), and the
    sentence after it capitalised: the place stage knows a dateline by its capitals."""
    head = "".join(chars[:_DATELINE_REACH])
    for match in _DATELINE.finditer(head):
        town = match.group("town")
        if name_key(town) in names.places or names.is_place(town):
            _set_upper(chars, match.start("town"), match.end("town"))
            _capitalise(chars, match.end())
            return


# Each named group's pattern, matched regardless of case; the casing the pattern accepts is restored.
_GROUPS = tuple(re.compile(rf"\b(?:{pattern})\b") for pattern, _, _ in NAMED_GROUPS)
_ANY_GROUP = re.compile("|".join(f"(?:{p.pattern})" for p in _GROUPS), re.IGNORECASE)


def _capitalise_groups(chars: list[str]) -> None:
    text = "".join(chars)
    for match in _ANY_GROUP.finditer(text):
        written = match.group()
        if " " not in written and is_ordinary_word(written.lower()):  # "is", "jas", "separatists"
            continue
        for cased in _casings(written):
            if any(p.fullmatch(cased) for p in _GROUPS):
                chars[match.start() : match.end()] = list(cased)
                break


def _casings(written: str) -> tuple[str, ...]:
    """Ways a group's name may be cased: as written, initial capitals, all capitals."""
    words = re.split(r"(\s+)", written)
    initials = "".join(w[:1].upper() + w[1:] for w in words)
    parts = "".join(p[:1].upper() + p[1:] if len(p) > 1 else p for p in re.split(r"([\s-]+)", written))
    upper = written.upper()
    return tuple(c for c in (written, initials, parts, upper) if len(c) == len(written))
