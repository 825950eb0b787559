"""Place mentions in text and their resolution against the gazetteer.

:func:`find_places` proposes spans of capitalised words (with the particles
Arabic, Portuguese, Spanish ... names carry inside them) that the gazetteer
knows, longest match first.  :func:`resolve` then picks one entry per
mention from the article's own context: the dateline, the countries and
first-level divisions it names, and the other places it mentions.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.geo.normalize import name_key
from eventwatch.model import Place

__all__ = ["STOPWORDS", "PlaceMention", "ResolvedPlace", "find_places", "resolve"]

MAX_TOKENS = 5


@dataclass(slots=True, frozen=True)
class PlaceMention:
    """A stretch of text that names a place the gazetteer knows.

    ``candidates`` are the gazetteer entries for the name (population
    descending); ``kind_hint`` is "admin1", "city" or "country" when the text
    says which kind of place it is ("Idlib province", "the city of Homs",
    "Syria", "Syrian").  ``is_demonym`` marks adjectives such as "Ukrainian".
    """

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]
    kind_hint: str | None = None
    is_demonym: bool = False


@dataclass(slots=True, frozen=True)
class ResolvedPlace:
    """The entry chosen for a mention (None when nothing fits) and a 0..1 score."""

    mention: PlaceMention
    place: Place | None
    score: float


# Frequent English words, titles, calendar words and news vocabulary that are
# also the names of some populated place somewhere.  A single capitalised token
# in this list is never a place on its own.
_STOPWORDS_TEXT = """
    a about above across after again against all almost along also although always am among
    an and another any anyone anything are around as at away back be because been before
    behind being below best better between both but by can could day days did do does done
    down during each early east either else enough even ever every few first for four from
    further get given go going good great had half has have he her here high him his home
    how however if in into is it its just last late least less like little long low made
    make many may me more most much must my near never new next no none nor not now of off
    old on once one only or other our out over own part past per perhaps same second several
    she should since so some still such than that the their them then there these they third
    this those three through thus till to today together too two under until up upon us very
    was we well were what when where whether which while who whom whose why will with within
    without would yet you your monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec morning afternoon evening night tonight
    yesterday tomorrow week weekend month year spring summer autumn fall winter christmas
    easter ramadan eid said says say told tell added according reported reports report asked
    claimed stated confirmed police army military navy forces force troops soldiers soldier
    officer officers official officials government ministry minister president prime
    governor mayor commander general colonel captain major lieutenant sergeant chief head
    spokesman spokeswoman spokesperson director secretary council committee parliament
    assembly court judge security defence defense interior health national regional local
    central northern southern eastern western north south west province governorate oblast
    region state district county prefecture department division municipality territory city
    town village capital island islands river valley mountain mountains border front
    frontline airport port bridge road highway street square camp hospital school university
    mosque church market station base centre center people man men woman women child
    children boy girl family families residents resident witness witnesses villagers
    civilians civilian fighters fighter gunmen gunman militants militant rebels rebel
    insurgents insurgent attackers attacker protesters protester demonstrators students
    workers farmers herders journalists journalist doctors doctor medics paramedics group
    groups party parties movement union alliance coalition brigade battalion regiment unit
    units agency agencies office news press media reuters associated afp bbc attack attacks
    strike strikes airstrike airstrikes drone drones shelling bomb bombs explosion blast
    fire clashes clash fighting battle war conflict violence protest protests riot riots
    killed dead death deaths wounded injured casualties hostage hostages raid ambush islamic
    islam muslim muslims christian christians jewish arab arabs kurdish kurds god lord allah
    prophet saint holy mr mrs ms dr sir madam king queen prince princess sheikh emir hope
    faith grace joy victory liberty independence unity peace justice freedom progress
    republic democratic people's popular federal united black white red green blue brown
    gold silver hand hands heart life lives love power water land sea lake meanwhile later
    earlier nearly approximately mission operation operations campaign plan human rights
    observatory watch monitor network institute foundation organisation organization
    commission authority authorities administration service services company bank fund
    programme program project board agreement deal talks summit conference ceasefire truce
    statement video footage photo photos images social twitter facebook telegram whatsapp
    english arabic french spanish russian-backed breaking update live latest exclusive
    analysis opinion editorial
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split()) | frozenset(
    "house congress senate white cathedral embassy consulate hotel stadium park avenue boulevard "
    "lane drive plaza mall museum library club company corporation inc ltd bank street commerce industry "
    "royal union federal republic democratic".split()
)

# Country abbreviations in common news use (all-caps words are otherwise never places).
ABBREVIATIONS = {"US": "US", "USA": "US", "UK": "GB", "UAE": "AE", "DRC": "CD", "PRC": "CN", "KSA": "SA"}

# Titles that make the next capitalised word a person's name, not a place.
_TITLES = frozenset(
    "mr mrs ms miss dr president gov governor sen senator rep representative mayor minister judge "
    "justice officer sgt sergeant chief coach prince princess king queen pope saint st sheikh imam "
    "general gen col colonel lt capt captain cpl pvt commissioner inspector detective professor prof "
    "ambassador secretary chancellor premier lord lady sir dame bishop rev reverend father brother sister".split()
)

# Capitalised sentence openers that do not make the next word part of a name.
_SENTENCE_OPENERS = frozenset(("in", "at", "near", "from", "outside", "inside", "across"))

# Words after (or, with "of", before) a name that say what kind of place it is.
_ADMIN_TEXT = """
    province provinces governorate governorates oblast oblasts region regions state states
    district districts county counties prefecture department division municipality territory
    raion rayon krai wilaya emirate
"""
_ADMIN_WORDS = frozenset(_ADMIN_TEXT.split())
_CITY_WORDS = frozenset(["city", "town", "village", "suburb", "neighbourhood", "neighborhood"])

# Lower-case words allowed inside a multi-word name (never at its edges).
_PARTICLES_TEXT = """
    al el an ar ad as at ash az ath adh ez es ed en et er da de del della di do dos das du
    la le les los las bin ibn bint ben van von der den y of the and sur sous upon on
"""
_PARTICLES = frozenset(_PARTICLES_TEXT.split())
_ATTACHED = re.compile(
    r"^(?:al|el|an|ar|ad|as|at|ash|az|ath|adh|ez|es|ed|en|et|er|ul|ur|il)-", re.IGNORECASE
)

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|[^\W\d_]+(?:['’‘ʿʾ`-][^\W\d_]+)*"  # letters, joined by single apostrophes or hyphens
)
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|m|t)$", re.I)
_GAP = re.compile(r"[ \t\u00a0]+")
_OPENERS = " \t\u00a0'\"“‘(["
_CLOSERS = "'\"”’)]"


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    while i >= 0 and text[i] in _CLOSERS:
        i -= 1
    return i < 0 or text[i] in ".!?\n\r:;—–•*#>|"


# "IDLIB, Syria —", "NIKOPOL, Ukraine (Reuters) -", "BEIRUT —"
_DATELINE = re.compile(
    r"^\s*(?P<town>[A-Z][A-Z'’.\- ]{1,40}?[A-Z.])\s*"
    r"(?:,\s*(?P<rest>[A-Z][^—–\n]{0,50}?))?\s*(?:\([^)\n]{1,40}\)\s*)?(?:—|–|--| - |:)"
)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    cap: bool  # may begin or end a name
    particle: bool  # may sit inside a name
    initial: bool  # first word of a sentence


def _tokens(text: str, dateline_end: int) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        if len(word) > 3 and word[-1] == "s" and word[-2] in "'’":  # possessive
            word = word[:-2]
            end -= 2
        first = word[0]
        if first.islower() and "-" not in word:  # most words: lower case, so never part of a name
            toks.append(_Tok(start, end, word, False, word.lower() in _PARTICLES, False))
            continue
        letters = word.replace("-", "").replace(".", "")
        if len(letters) == 1 or _CONTRACTION.search(word):
            cap = False  # "I", "A", "We're": never a place
        elif "." in word:  # U.S.
            cap = True
        elif letters.isupper() and len(letters) > 1:
            cap = start < dateline_end or letters in ABBREVIATIONS  # all-caps words only in the dateline
        elif first.isupper():
            cap = True
        elif _ATTACHED.match(word):
            rest = word[word.index("-") + 1 :]
            cap = bool(rest) and rest[0].isupper()
        else:
            cap = False
        particle = word.lower() in _PARTICLES
        initial = _sentence_initial(text, start) if cap else False
        toks.append(_Tok(start, end, word, cap, particle, initial))
    return toks


def _dateline_end(text: str) -> int:
    """End of the dateline ("IDLIB, Syria —"), at the start of the text or after a headline."""
    m = _DATELINE.match(text[:120])
    if m:
        return m.end()
    for start in _HEADLINE_END.finditer(text[:300]):
        m = _DATELINE_AT.match(text, start.end(), start.end() + 120)
        if m:
            return m.end()
    return 0


_DATELINE_AT = re.compile(_DATELINE.pattern.removeprefix("^"))
_HEADLINE_END = re.compile(r"(?:\s\.\s|\n\s*)")


def find_places(text: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Every place-name mention in ``text``, left to right, non-overlapping."""
    if not text:
        return []
    dl_end = _dateline_end(text)
    toks = _tokens(text, dl_end)
    lower_words = {t.text.lower() for t in toks if t.text[0].islower()}
    persons = _person_names(text, toks, gazetteer)
    out: list[PlaceMention] = _state_abbreviations(text, gazetteer)
    taken = [m.start for m in out]  # in text order, not overlapping
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        held = bisect_right(taken, tok.start) - 1
        if not tok.cap or (held >= 0 and tok.start < out[held].end):
            i += 1
            continue
        # the run of tokens joined by plain spaces that could continue a name
        j = i + 1
        while j < n and j - i < MAX_TOKENS:
            gap = text[toks[j - 1].end : toks[j].start]
            if not gap or not _GAP.fullmatch(gap) or not (toks[j].cap or toks[j].particle):
                break
            j += 1
        found = None
        for k in range(min(j, i + MAX_TOKENS), i, -1):
            last = toks[k - 1]
            if not last.cap:
                continue
            span_toks = toks[i:k]
            if len(span_toks) == 1 and tok.text not in ABBREVIATIONS:
                low = tok.text.lower()
                if low in STOPWORDS and not _followed_by(toks, k, _ADMIN_WORDS, text):
                    continue
                if tok.initial and low in lower_words:
                    continue
                if tok.text in persons:
                    continue  # "Kelly" after "John Kelly" or "Gov. Kelly"
            start, end = tok.start, last.end
            surface = text[start:end]
            letters = surface.replace(".", "")
            if letters.isupper() and letters in ABBREVIATIONS and start >= dl_end:
                country = gazetteer.country(ABBREVIATIONS[letters])
                if country is not None:
                    found = PlaceMention(start, end, surface, (country,), "country")
                    break
            if letters.isupper() and len(letters) <= 4 and start >= dl_end and "." not in surface:
                continue
            if len(letters) <= 2 and "." not in surface:
                continue  # "Va", "Ho": too short to be a name on their own
            places, demonym = gazetteer.entries(name_key(surface))
            if demonym is not None:
                found = PlaceMention(start, end, surface, (demonym,), "country", True)
                break
            if places and k < j and len(span_toks) < MAX_TOKENS and _ATTACHED.match(toks[k].text):
                # "Bab al-Tabbaneh": the first word of a longer Arabic name
                continue
            if (
                places
                and len(span_toks) == 1
                and not any(p.kind in ("country", "admin1", "continent") and _fold(p.name) == _fold(surface) for p in places)
                and _inside_name(text, toks, i, k)
            ):
                continue  # "Ahmed Hassan", "Rapid Support Forces": part of another name
            if places:
                hint = _kind_hint(text, toks, i, k, places)
                if _followed_by(toks, k, _COUNTY_WORDS, text):
                    end = toks[k].end  # "Orange County": the county, named after its town
                    surface = text[start:end]
                    k += 1
                    hint = "admin1"
                found = PlaceMention(start, end, surface, places, hint)
                break
        if found is not None:
            out.append(found)
            i = k
        else:
            i += 1
    return sorted(out, key=lambda m: m.start)


def _state_abbreviations(text: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """US states in AP style after a town or a party letter: 'Alexandria, La.', 'D-S.C.'."""
    out = []
    for m in _AP_STATE.finditer(text):
        region = gazetteer.admin1("US", US_STATE_ABBREVIATIONS[m.group("abbr")])
        if region is not None:
            out.append(PlaceMention(m.start("abbr"), m.end(), text[m.start("abbr") : m.end()], (region,), "admin1"))
    return out


_COUNTY_WORDS = frozenset(("county", "parish", "borough"))
_PLACE_PREPOSITIONS = frozenset(("in", "of", "from", "at", "near", "outside", "to", "around", "across"))
_SAID = re.compile(r"\s+(?:said|says|told|added|explained|noted|recalled|wrote)\b")
_SPEAKS = re.compile(r"(?:,\s|\s+(?:said|says|told|added|wrote|who|explained|noted|recalled)\b)")


def _person_names(text: str, toks: list[_Tok], gazetteer: Gazetteer) -> set[str]:
    """Surnames the article uses for people: 'John Kelly', 'Gov. Kelly' make 'Kelly' a person.

    Country and region names never become surnames ("Mount Lebanon" leaves "Lebanon" a place).
    """
    names: set[str] = set()
    for i, (a, b) in enumerate(zip(toks, toks[1:], strict=False)):
        if not b.cap or not b.text[0].isupper() or b.text.isupper():
            continue
        gap = text[a.end : b.start]
        first = a.text.lower().rstrip(".")
        if first in _TITLES and gap.strip(" .") == "":
            names.add(b.text)
        elif (
            a.cap and a.text[0].isupper() and not a.text.isupper() and _GAP.fullmatch(gap)
            and not (i > 0 and toks[i - 1].text.lower() in _PLACE_PREPOSITIONS)
            and first not in STOPWORDS and first not in _PARTICLES
            and b.text.lower() not in STOPWORDS and _SPEAKS.match(text, b.end)
        ):
            names.update((a.text, b.text))  # "John Kelly said", "Maria Flores, a nurse,"
    for prev, tok in zip([None, *toks], toks, strict=False):  # "Jones said": a person
        if (
            tok.cap and tok.text[0].isupper() and not tok.text.isupper() and _SAID.match(text, tok.end)
            and not (prev is not None and prev.text.lower() in _PLACE_PREPOSITIONS)
        ):
            names.add(tok.text)
    return {
        name for name in names
        if not any(
            p.kind in ("country", "continent")
            or ((p.kind == "admin1" or p.feature_code == "PPLC") and p.population >= 100_000)
            for p in gazetteer.entries(name_key(name))[0]
        )
    }


def _inside_name(text: str, toks: list[_Tok], i: int, k: int) -> bool:
    """A capitalised, non-generic word joins the span directly on either side."""
    for j, (a, b) in ((i - 1, (i - 1, i)), (k, (k - 1, k))):
        if j < 0 or j >= len(toks):
            continue
        t = toks[j]
        if not t.text[0].isupper() or t.text.lower() in STOPWORDS:
            continue
        if j == i - 1 and t.initial and t.text.lower() in _SENTENCE_OPENERS:
            continue
        if _GAP.fullmatch(text, toks[a].end, toks[b].start):
            return True
    return False


def _followed_by(toks: list[_Tok], k: int, words: frozenset[str], text: str = "") -> bool:
    """Token k is one of ``words`` and only spaces separate it from token k-1."""
    if k >= len(toks) or toks[k].text.lower() not in words:
        return False
    return not text or bool(_GAP.fullmatch(text, toks[k - 1].end, toks[k].start))


def _kind_hint(
    text: str, toks: list[_Tok], i: int, k: int, places: tuple[Place, ...]
) -> str | None:
    last = toks[k - 1].text.lower()
    of_before = (
        i >= 2
        and toks[i - 1].text.lower() == "of"
        and _GAP.fullmatch(text, toks[i - 1].end, toks[i].start) is not None
        and _GAP.fullmatch(text, toks[i - 2].end, toks[i - 1].start) is not None
    )
    if (len(toks[i:k]) > 1 and last in _ADMIN_WORDS) or _followed_by(toks, k, _ADMIN_WORDS, text):
        return "admin1"
    if of_before and toks[i - 2].text.lower() in _ADMIN_WORDS:
        return "admin1"
    if _followed_by(toks, k, _CITY_WORDS, text):
        return "city"
    if of_before and toks[i - 2].text.lower() in _CITY_WORDS:
        return "city"
    if any(p.kind == "country" for p in places):
        return "country"
    return None


# ---------------------------------------------------------------------------
# resolution


_DEGREES_150_KM = 150.0 / 6371.0 * 180.0 / math.pi  # latitude degrees: further apart is further than 150 km


def _within_150_km(a: Place, b: Place) -> bool:
    return abs(a.latitude - b.latitude) <= _DEGREES_150_KM and _km(a, b) < 150.0


def _km(a: Place, b: Place) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


_KIND_PRIOR = {"city": 0.1, "admin1": 0.2, "country": 0.3, "continent": 0.3}
_HINT_BONUS = 1.0
_EXACT_BONUS = 0.5
_REGION_BONUS = 1.2
_POPULATION_WEIGHT = 0.5
_REGION_CONTEXT = 1.5  # a town in a region the article names
_COUNTRY_CONTEXT = 1.2  # share of the article's other places in the same country
_NEAR_CONTEXT = 0.8  # another place of the article within 150 km
_COUNTRY_BONUS = 1.5
_QUALIFIED_BONUS = 3.0

# AP-style abbreviations of US states, as in "Alexandria, La.".
US_STATE_ABBREVIATIONS = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California", "Colo": "Colorado",
    "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida", "Ga": "Georgia", "Ill": "Illinois",
    "Ind": "Indiana", "Kan": "Kansas", "Kans": "Kansas", "Ky": "Kentucky", "La": "Louisiana", "Md": "Maryland",
    "Mass": "Massachusetts", "Mich": "Michigan", "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri",
    "Mont": "Montana", "Neb": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire", "N.J": "New Jersey",
    "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina", "N.D": "North Dakota", "Okla": "Oklahoma",
    "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island", "S.C": "South Carolina", "S.D": "South Dakota",
    "Tenn": "Tennessee", "Tex": "Texas", "D.C": "District of Columbia", "Vt": "Vermont", "Va": "Virginia", "Wash": "Washington",
    "W.Va": "West Virginia", "Wis": "Wisconsin", "Wyo": "Wyoming",
}
_AP_STATE = re.compile(r"(?:,\s+|\b[RDI]-)(?P<abbr>" + "|".join(re.escape(k) for k in sorted(US_STATE_ABBREVIATIONS, key=len, reverse=True)) + r")\.")


@lru_cache(maxsize=1 << 16)
def _fold(name: str) -> str:
    return _NOT_A_TO_Z.sub("", anyascii(name).lower())


_NOT_A_TO_Z = re.compile(r"[^a-z]")


def _within(p: Place, qualifier: tuple[str, str | None]) -> bool:
    iso2, admin1 = qualifier
    return p.iso2 == iso2 and (admin1 is None or p.admin1 == admin1) and p.kind == "city"


def _qualifiers(mentions: list[PlaceMention], text: str) -> dict[int, tuple[str, str | None]]:
    """'X, Y' where Y is a region or country: X lies in Y ('Alexandria, La.', 'Tripoli, Lebanon')."""
    out: dict[int, tuple[str, str | None]] = {}
    for m, nxt in zip(mentions, mentions[1:], strict=False):
        gap = text[m.end : nxt.start]
        if re.fullmatch(r",\s*", gap):
            region = next((p for p in nxt.candidates if p.kind in ("admin1", "country")), None)
            if region is not None:
                out[id(m)] = (region.iso2, region.name if region.kind == "admin1" else None)
                continue
    for m in mentions:
        ap = _AP_STATE.match(text, m.end)
        if id(m) not in out and ap:
            out[id(m)] = ("US", US_STATE_ABBREVIATIONS[ap.group("abbr")])
    return out


def resolve(mentions: list[PlaceMention], *, text: str) -> list[ResolvedPlace]:
    """Choose one gazetteer entry per mention using the article's own context."""
    if not mentions:
        return []
    dl_end = _dateline_end(text)

    # countries the article names (names count 1, demonyms 0.5)
    country_w: Counter[str] = Counter()
    for m in mentions:
        if m.kind_hint == "country":
            for p in m.candidates:
                if p.kind == "country":
                    country_w[p.iso2] += 0.5 if m.is_demonym else 1.0
    # first-level divisions it names: explicit ("Idlib province") or implicit
    admin_w: Counter[tuple[str, str]] = Counter()
    own_admin: list[dict[tuple[str, str], float]] = []
    for m in mentions:
        adm = [p for p in m.candidates if p.kind == "admin1"]
        own: dict[tuple[str, str], float] = {}
        for p in adm:
            w = 1.0 if m.kind_hint == "admin1" or _fold(p.name) == _fold(m.text) else 0.5 / len(adm)
            own[(p.iso2, p.name)] = own.get((p.iso2, p.name), 0.0) + w
            admin_w[(p.iso2, p.name)] += w
        own_admin.append(own)

    dateline_iso: str | None = None
    for m in mentions:
        if m.start < dl_end and m.kind_hint == "country":
            dateline_iso = next((p.iso2 for p in m.candidates if p.kind == "country"), None)
    max_cw = max(country_w.values(), default=0.0)

    qualifiers = _qualifiers(mentions, text)

    def base(m: PlaceMention, p: Place, own: dict[tuple[str, str], float]) -> float:
        s = _POPULATION_WEIGHT * math.log10(p.population + 1)
        exact = _fold(p.name) == _fold(m.text)
        if exact:
            s += _EXACT_BONUS  # the entry's own name, not an alternate that folds alike
        if p.kind in ("country", "continent") and m.kind_hint != "city":
            s += _COUNTRY_BONUS  # "Mexico" is the country unless the text says otherwise
        elif p.kind == "admin1" and exact and m.kind_hint != "city":
            s += _REGION_BONUS  # "California" is the state, not a town of that name elsewhere
        qualifier = qualifiers.get(id(m))
        if qualifier is not None and _within(p, qualifier):
            s += _QUALIFIED_BONUS  # "Alexandria, Louisiana"
        if m.kind_hint and p.kind == m.kind_hint:
            s += _HINT_BONUS
        elif m.kind_hint is None or m.kind_hint == "country":
            s += _KIND_PRIOR.get(p.kind, 0.0)
        if max_cw:
            s += country_w.get(p.iso2, 0.0) / max_cw
        if dateline_iso and p.iso2 == dateline_iso:
            s += 1.0
        if p.kind == "city" and p.admin1 and m.kind_hint != "admin1":
            key = (p.iso2, p.admin1)
            s += _REGION_CONTEXT * min(1.0, admin_w.get(key, 0.0) - own.get(key, 0.0))
        return s

    def bases() -> list[list[float]]:
        return [[base(m, p, own) for p in m.candidates] for m, own in zip(mentions, own_admin, strict=True)]

    # first pass: context words only
    scored = bases()
    first: list[Place | None] = [
        m.candidates[max(range(len(b)), key=b.__getitem__)] if b else None for m, b in zip(mentions, scored, strict=True)
    ]
    if dateline_iso is None:
        for m, p in zip(mentions, first, strict=True):
            if m.start < dl_end and p is not None:
                dateline_iso = p.iso2  # "BEIRUT —": the town's own country
                scored = bases()   # the dateline's country counts from here on
                break

    # second pass: agree with the other places (those of the mentions with another text)
    others = _Others(mentions, first)
    results: list[ResolvedPlace] = []
    for idx, m in enumerate(mentions):
        if not m.candidates:
            results.append(ResolvedPlace(m, None, 0.0))
            continue
        in_country, n_others = others.countries(m.text)
        scores = []
        order = range(len(m.candidates))
        if len(order) > 12:  # the tail cannot catch up: +1.3 at most from here on
            order = sorted(order, key=scored[idx].__getitem__, reverse=True)[:12]
        cands = tuple(m.candidates[i] for i in order)
        near = others.near(m.text)
        for i, p in zip(order, cands, strict=True):
            s = scored[idx][i]
            if n_others:
                share = in_country.get(p.iso2, 0) / n_others
                s += _COUNTRY_CONTEXT * share
                if p.kind == "admin1" and share >= 0.5 and _fold(p.name) == _fold(m.text):
                    s += _COUNTRY_BONUS  # "Georgia" in an article about American places is the state
                if p.kind != "country" and any(o.geonameid != p.geonameid and _within_150_km(p, o) for o in near):
                    s += _NEAR_CONTEXT
            scores.append(s)
        best = max(range(len(scores)), key=scores.__getitem__)
        z = sum(math.exp((s - scores[best]) / 0.25) for s in scores)
        prob = 1.0 / z
        chosen = cands[best]
        supported = (
            chosen.iso2 in country_w
            or chosen.iso2 == dateline_iso
            or in_country.get(chosen.iso2, 0) > 0
        )
        results.append(ResolvedPlace(m, chosen, round(prob * (1.0 if supported else 0.7), 3)))
    return _one_sense_per_article(results, qualifiers)


_NEAR_PLACES = 20  # the other places a candidate is compared with for distance


class _Others:
    """The first-pass places of the mentions whose text differs from a given text, in counts:
    what each mention is compared with, without a pass over all mentions for each one
    (which would make resolution quadratic in the number of mentions)."""

    def __init__(self, mentions: list[PlaceMention], first: list[Place | None]) -> None:
        self._placed = [(m.text, p) for m, p in zip(mentions, first, strict=True) if p is not None]
        self._all = Counter(p.iso2 for _, p in self._placed)
        self._by_text: dict[str, Counter[str]] = {}
        for text, p in self._placed:
            self._by_text.setdefault(text, Counter())[p.iso2] += 1
        self._towns = [(text, p) for text, p in self._placed if p.kind != "country"]
        self._near: dict[str, list[Place]] = {}
        self._counted: dict[str, tuple[Counter[str], int]] = {}

    def countries(self, text: str) -> tuple[Counter[str], int]:
        """How many of the other places lie in each country, and how many there are."""
        own = self._by_text.get(text)
        if not own:
            return self._all, len(self._placed)
        counted = self._counted.get(text)
        if counted is None:
            counted = self._counted[text] = (self._all - own, len(self._placed) - own.total())
        return counted

    def near(self, text: str) -> list[Place]:
        """The first ``_NEAR_PLACES`` other places that are not countries, in text order."""
        found = self._near.get(text)
        if found is None:
            found = []
            for other, p in self._towns:
                if len(found) == _NEAR_PLACES:
                    break
                if other != text:
                    found.append(p)
            self._near[text] = found
        return found


def _one_sense_per_article(
    results: list[ResolvedPlace], qualifiers: dict[int, tuple[str, str | None]]
) -> list[ResolvedPlace]:
    """A name means the same place throughout an article: the mention the text qualifies
    ("Tripoli, Lebanon"), else the most confident one, decides for the others."""
    best: dict[str, ResolvedPlace] = {}
    for r in results:
        if r.place is None or r.mention.kind_hint == "city":
            continue
        key = _fold(r.mention.text)
        rank = (id(r.mention) in qualifiers, r.score)
        held = best.get(key)
        if held is None or rank > (id(held.mention) in qualifiers, held.score):
            best[key] = r
    out = []
    for r in results:
        lead = best.get(_fold(r.mention.text))
        if lead is not None and r.place is not None and lead.place != r.place and lead.place in r.mention.candidates:
            r = ResolvedPlace(r.mention, lead.place, lead.score)
        out.append(r)
    return out
