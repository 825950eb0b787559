"""Corpus stage · reports of the same incident, from different articles, become one event.

Article-level events ("reports") arrive from many outlets.  ``cluster`` decides
which of them tell the same incident; ``merge`` turns one cluster into the
corpus event, coded as ACLED codes a multi-source event: the most conservative
toll, every source listed.

When two reports may tell the same incident (``incompatibility`` gives the
first rule a pair breaks, ``compatible`` is its negation):

* different articles: two reports of one article never merge, because the
  article-level stage (``eventwatch.stages.merge``) already merged what it
  should;
* the same country (iso2);
* dates at most one day apart (a night spans two dates; outlets in other time
  zones date the same strike differently).  A report with no date merges with
  nothing: the only undated pairs allowed would be from the same article;
* the same place: within 25 km when both carry coordinates of a named place
  (geo_precision 1 or 2); when either is known only to its region
  (geo_precision 3) or has no coordinates, the same admin1;
* compatible types: Protests, Riots and each other; Strategic developments
  only with the same sub-type; in the violent family (Battles,
  Explosions/Remote violence, Violence against civilians) sub-types of one
  group (``_GROUPS``: air and artillery; explosives; ground fighting;
  abduction or sexual violence with attack), or a pair in
  ``_BRIDGES`` (shelling told as fighting, a strike told as an attack...);
* compatible actors: the same actor1; or either perpetrator unidentified; or,
  when either is a battle, the other's actor1 is one of the battle's two sides
  (the same battle told from the other side).  A bridged pair of sub-types
  needs the same *named* perpetrator: when two reports disagree on what
  happened, they must agree on who did it;
* not every slack at once ("combined"): a report of another day, another
  named town and another sub-type is another incident, though each
  difference alone is within what outlets get wrong (a drone hitting a car in
  a town 19 km away the day before a shelling is not that shelling).

Chaining.  Union-find over the allowed pairs alone would chain: a line of towns
20 km apart, or reports on consecutive days, would fold into one event.  A
cluster here therefore only grows when *every* member stays compatible with
every member of the cluster it joins (complete linkage), not merely with a
seed.  A seed rule still lets members sit 50 km and two days apart, and lets a
cluster hold an abduction and an air strike that each fit the seed "attack"
but not each other; the fields ``merge`` picks would then describe no single
report.  A false merge also hides an incident and, since the merged toll is
the lowest reported, its dead; a missed merge is visible as two similar rows.
Clusters are small (a handful of reports), so checking every member is cheap.

Order independence.  Reports are sorted by id; candidate pairs are taken
best-first by a total order (days apart, then km apart, then type agreement,
then the ids), so the clusters are a function of the set of reports only.  A
cluster's id is its smallest report id, which stays put as reports join unless
a smaller id joins.

Cost.  Reports are blocked by (iso2, event_date) and compared only within a
block and with the next day's block of the same country, and there only with
the reports that can be at the same place (a grid of cells wider than 25 km,
and region-only reports by admin1): linear in the corpus at a given daily
volume, quadratic only in the reports of one place on two days.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta

from eventwatch.geo.normalize import name_key
from eventwatch.model import Event
from eventwatch.store.api import CorpusEvent
from eventwatch.vocab import ACTOR_TYPES, EVENT_TYPES, SUB_EVENT_TYPES

__all__ = ["cluster", "compatible", "incompatibility", "merge", "merge_corpus"]

MAX_DAYS = 1
MAX_KM = 25.0
SAME_PLACE_KM = 2.0   # two spellings of one town resolve to one point; two towns are further apart

_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_UNREST = frozenset({"Protests", "Riots"})

# Sub-types of the violent family that outlets use for one and the same event.
# Within a group, desks confuse them freely: a missile is reported as an air
# strike, a roadside bomb as a landmine, "fighting" as "an attack".
_GROUPS = (
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"}),
    frozenset({"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"}),
    frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}),
    frozenset({"Abduction/forced disappearance", "Attack"}),   # an abduction with deaths is an Attack
    frozenset({"Sexual violence", "Attack"}),
)
# Across groups, only these pairs can be one event, and only when the reports name the
# same perpetrator (an unidentified one does not count): shelling told as "fighting", a
# strike or a bomb that killed civilians told as "an attack", a raid on a village told as
# a clash with its defenders, an ambush that began with a roadside bomb.  An air strike and a ground clash on the same day are two events, as
# ACLED codes them, even when the same army flew and fought.
_BRIDGES = frozenset(frozenset(pair) for pair in (
    ("Shelling/artillery/missile attack", "Armed clash"),
    ("Remote explosive/landmine/IED", "Armed clash"),
    ("Attack", "Armed clash"),
    ("Attack", "Shelling/artillery/missile attack"),
    ("Attack", "Air/drone strike"),
    ("Attack", "Remote explosive/landmine/IED"),
    ("Attack", "Suicide bomb"),
    ("Attack", "Grenade"),
))

# A fixed order for ties: the codebook's order of types and sub-types.
_TYPE_RANK = {
    (event_type, sub): (i, j)
    for i, (event_type, subs) in enumerate(SUB_EVENT_TYPES.items())
    for j, sub in enumerate(subs)
}
_ACTOR_TYPE_RANK = {name: i for i, name in enumerate(ACTOR_TYPES)}


# ---------------------------------------------------------------- pair rules

def _unidentified(actor: str | None) -> bool:
    return actor is None or actor.startswith("Unidentified")


def _actor_key(actor: str | None) -> str | None:
    """Crowds are one actor whichever word an outlet used: "Rioters (X)" is "Protesters (X)"."""
    if actor is not None and actor.startswith("Rioters"):
        return "Protesters" + actor[len("Rioters"):]
    return actor


def _km(a: Event, b: Event) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _pinned(e: Event) -> bool:
    """Coordinates of a named place (not a region's capital standing in for the region)."""
    return e.latitude is not None and e.longitude is not None and e.geo_precision in (1, 2)


def _admin1_key(e: Event) -> str | None:
    # admin1 is spelled as the article spells it ("Hodeidah"), so compare normal forms.
    return name_key(e.admin1) if e.admin1 else None


def _place_distance(a: Event, b: Event) -> float | None:
    """km between two reports; 0 for the same admin1 when either is region-only; None: not the same place."""
    if _pinned(a) and _pinned(b):
        km = _km(a, b)
        return km if km <= MAX_KM else None
    key = _admin1_key(a)
    return 0.0 if key is not None and key == _admin1_key(b) else None


def _type_relation(a: Event, b: Event) -> str | None:
    """"same" (one type, or one group of sub-types), "bridge" (needs the same named
    perpetrator), or None (never one event)."""
    if a.event_type == b.event_type and a.event_type not in _VIOLENT:
        return "same" if a.event_type != "Strategic developments" or a.sub_event_type == b.sub_event_type else None
    if a.event_type in _UNREST and b.event_type in _UNREST:
        return "same"
    if a.event_type in _VIOLENT and b.event_type in _VIOLENT:
        sa, sb = a.sub_event_type, b.sub_event_type
        if sa == sb or any(sa in g and sb in g for g in _GROUPS):
            return "same"
        if frozenset((sa, sb)) in _BRIDGES:
            return "bridge"
    return None


def _actors_compatible(a: Event, b: Event, *, named: bool = False) -> bool:
    """The same perpetrator: the same actor1, a battle's other side, or (unless ``named``)
    an unidentified one on either side."""
    a1, b1 = _actor_key(a.actor1), _actor_key(b.actor1)
    if named and (_unidentified(a1) or _unidentified(b1)):
        return False
    if a1 == b1 or _unidentified(a1) or _unidentified(b1):
        return True
    if a.event_type == "Battles" and b1 in (a1, _actor_key(a.actor2)):
        return True
    return b.event_type == "Battles" and a1 in (b1, _actor_key(b.actor2))


def incompatibility(a: Event, b: Event) -> str | None:
    """The first rule that keeps two reports apart ("article", "country", "date", "place",
    "type", "actor", "combined"), or None when they may tell the same incident."""
    if a.article_id == b.article_id:
        return "article"
    if a.iso2 is None or a.iso2 != b.iso2:
        return "country"
    if a.event_date is None or b.event_date is None or abs((a.event_date - b.event_date).days) > MAX_DAYS:
        return "date"
    if _place_distance(a, b) is None:
        return "place"
    relation = _type_relation(a, b)
    if relation is None:
        return "type"
    if not _actors_compatible(a, b, named=relation == "bridge"):
        return "actor"
    if (
        a.event_date != b.event_date and a.sub_event_type != b.sub_event_type
        and _pinned(a) and _pinned(b) and _km(a, b) > SAME_PLACE_KM
    ):
        return "combined"
    return None


def compatible(a: Event, b: Event) -> bool:
    """True when two reports may tell the same incident (see the module docstring)."""
    return incompatibility(a, b) is None


# ---------------------------------------------------------------- clustering

def _canonical(reports: Iterable[Event]) -> list[Event]:
    """Reports sorted by id, one per id (a report given twice is one report)."""
    by_id: dict[str, Event] = {}
    for report in reports:
        by_id.setdefault(report.event_id, report)
    return [by_id[k] for k in sorted(by_id)]


# Within a block, reports are paired only with those that can be at the same place (see
# ``_place_distance``): pinned reports with those in their own or a neighbouring cell of a
# grid whose cells are wider than MAX_KM, any report with region-only reports of its admin1.
# A country's reports of one day then meet only where they are near each other.
_CELL_LAT = 0.25      # degrees: 27.8 km, more than MAX_KM
_CELL_LON = 1.0       # degrees: more than MAX_KM up to 75 degrees of latitude ...
_POLAR_LAT = 74.0     # ... beyond which a pinned report is paired with every pinned one
assert _CELL_LAT * 111.0 > MAX_KM and _CELL_LON * 111.0 * math.cos(math.radians(_POLAR_LAT + 1)) > MAX_KM


def _cell(e: Event) -> tuple[int, int] | None:
    """The grid cell of a pinned report (None near the poles, or for coordinates that are no number)."""
    if not (abs(e.latitude) < _POLAR_LAT and math.isfinite(e.longitude)):
        return None
    return math.floor(e.latitude / _CELL_LAT), math.floor((e.longitude + 180.0) / _CELL_LON) % 360


class _PlaceIndex:
    """The reports of one block by grid cell (pinned), by admin1 (region-only), and near the poles."""

    def __init__(self, reports: list[Event], members: list[int]) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.polar: list[int] = []
        self.pinned: list[int] = []
        self.regional: dict[str, list[int]] = defaultdict(list)     # region-only reports by admin1
        self.by_admin1: dict[str, list[int]] = defaultdict(list)    # every report by admin1
        for i in members:
            report = reports[i]
            key = _admin1_key(report)
            if key is not None:
                self.by_admin1[key].append(i)
            if _pinned(report):
                self.pinned.append(i)
                cell = _cell(report)
                (self.polar if cell is None else self.cells[cell]).append(i)
            elif key is not None:
                self.regional[key].append(i)

    def near(self, report: Event) -> set[int]:
        """Every report of the block that may be at the same place as ``report`` (a superset)."""
        key = _admin1_key(report)
        if not _pinned(report):
            return set(self.by_admin1.get(key, ())) if key is not None else set()
        found = set(self.polar)
        found.update(self.regional.get(key, ()) if key is not None else ())
        cell = _cell(report)
        if cell is None:
            found.update(self.pinned)
            return found
        lat, lon = cell
        for dlat in (-1, 0, 1):
            for dlon in (-1, 0, 1):
                found.update(self.cells.get((lat + dlat, (lon + dlon) % 360), ()))
        return found


def _candidate_pairs(reports: list[Event]) -> list[tuple[tuple, int, int]]:
    """Allowed pairs, each with its sort key, from blocks of (iso2, date) and the next day."""
    blocks: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, report in enumerate(reports):
        if report.iso2 is not None and report.event_date is not None:
            blocks[(report.iso2, report.event_date)].append(i)
    indexes = {block: _PlaceIndex(reports, members) for block, members in blocks.items()}
    pairs = []
    for (iso2, day), members in blocks.items():
        neighbours = [(indexes[(iso2, day)], True)]
        for delta in range(1, MAX_DAYS + 1):
            later = indexes.get((iso2, day + timedelta(days=delta)))
            if later is not None:
                neighbours.append((later, False))
        for index, same_block in neighbours:
            for i in members:
                for j in index.near(reports[i]):
                    if same_block and j <= i:
                        continue
                    lo, hi = min(i, j), max(i, j)
                    a, b = reports[lo], reports[hi]
                    if not compatible(a, b):
                        continue
                    key = (
                        abs((a.event_date - b.event_date).days),
                        round(_place_distance(a, b), 3),
                        a.sub_event_type != b.sub_event_type,
                        a.event_id, b.event_id,
                    )
                    pairs.append((key, lo, hi))
    pairs.sort()
    return pairs


def linked(known: Sequence[Event], others: Sequence[Event]) -> list[Event]:
    """The reports of ``others`` that may tell the same incident as any of ``known`` (sorted by id)."""
    ordered = _canonical([*known, *others])
    known_ids = {r.event_id for r in known}
    found = set()
    for _key, i, j in _candidate_pairs(ordered):
        a, b = ordered[i].event_id, ordered[j].event_id
        if (a in known_ids) != (b in known_ids):
            found.add(b if a in known_ids else a)
    return [r for r in ordered if r.event_id in found]


def cluster(reports: Sequence[Event]) -> dict[str, str]:
    """Map every report's event_id to its cluster id (the smallest event_id in the cluster).

    The result depends only on the set of reports, not on their order.
    """
    ordered = _canonical(reports)
    parent = list(range(len(ordered)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _key, i, j in _candidate_pairs(ordered):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        # Complete linkage: every member of one cluster must fit every member of the other.
        if all(compatible(ordered[x], ordered[y]) for x in members[ri] for y in members[rj]):
            keep, gone = min(ri, rj), max(ri, rj)  # ordered by id: the root is the smallest id
            parent[gone] = keep
            members[keep].extend(members.pop(gone))
    return {report.event_id: ordered[root(i)].event_id for i, report in enumerate(ordered)}


# ---------------------------------------------------------------- merging

def _lowest(values: Iterable[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _gives_toll(report: Event) -> bool:
    """The report states a death toll (a span for it, or a figure above zero)."""
    return "fatalities" in report.spans or report.fatalities > 0


def _choose_type(reports: list[Event]) -> tuple[str, str]:
    votes = Counter((r.event_type, r.sub_event_type) for r in reports)
    return min(votes, key=lambda t: (-votes[t], _TYPE_RANK.get(t, (len(EVENT_TYPES), 0)), t))


def _vote(values: Iterable[str | None]) -> str | None:
    """Most frequent value; a named actor beats an unidentified one whatever the counts
    (an unnamed perpetrator is a gap in a report, not a rival claim); ties alphabetical."""
    votes = Counter(v for v in values if v is not None)
    if not votes:
        return None
    return min(votes, key=lambda v: (_unidentified(v), -votes[v], v))


def _partner(report: Event, actor1: str) -> str | None:
    """The report's other side, relative to the chosen actor1 (a battle may be told either way round)."""
    if report.actor2 is not None and report.actor2 == actor1:
        return report.actor1
    return report.actor2


def _type_of(reports: list[Event], actor: str | None) -> str | None:
    if actor is None:
        return None
    votes: Counter[str] = Counter()
    for r in reports:
        for name_field, type_field in (("actor1", "actor1_type"), ("actor2", "actor2_type")):
            if getattr(r, name_field) == actor and getattr(r, type_field):
                votes[getattr(r, type_field)] += 1
    if not votes:
        return None
    return min(votes, key=lambda t: (-votes[t], _ACTOR_TYPE_RANK.get(t, len(ACTOR_TYPES)), t))


def _choose_place(reports: list[Event]) -> Event:
    """The report whose place the event takes: the most precise place, then the one most
    reports give, then by name; within it the most precise, smallest-id report."""
    groups: dict[tuple, list[Event]] = defaultdict(list)
    for r in reports:
        groups[(r.location, r.latitude, r.longitude)].append(r)

    def rank(key: tuple) -> tuple:
        group = groups[key]
        precision = min((r.geo_precision for r in group if r.geo_precision is not None), default=9)
        location, lat, lon = key
        return (precision, -len(group), location is None, location or "", lat or 0.0, lon or 0.0)

    best = groups[min(groups, key=rank)]
    return min(best, key=lambda r: (r.geo_precision or 9, r.event_id))


def _notes(event: Event, n_sources: int) -> str:
    when = f"On {event.event_date.isoformat()}, " if event.event_date else ""
    where = f" in {event.location}" if event.location else ""
    victims = f" against {event.actor2}" if event.actor2 else ""
    toll = f"; {event.fatalities} killed"
    if event.injuries:
        toll += f", {event.injuries} injured"
    flag = "; a ceasefire violation" if event.ceasefire_violation else ""
    sources = f"; reported by {n_sources} source{'s' if n_sources != 1 else ''}" if n_sources else ""
    return f"{when}{event.actor1}: {event.sub_event_type.lower()}{victims}{where}{toll}{flag}{sources}."


def merge(reports_in_cluster: Sequence[Event], cluster_id: str) -> CorpusEvent:
    """One corpus event from the reports of one cluster (deterministic: order does not matter)."""
    reports = _canonical(reports_in_cluster)
    if not reports:
        raise ValueError("merge() needs at least one report")

    dated = Counter(r.event_date for r in reports if r.event_date is not None)
    event_date = min(dated, key=lambda d: (-dated[d], d)) if dated else None
    time_precision = min(
        (r.time_precision for r in reports if r.event_date == event_date), default=reports[0].time_precision
    )

    place = _choose_place(reports)
    event_type, sub_event_type = _choose_type(reports)
    # Actors are read in the frame of the chosen type: the reports coded like the event.
    frame = [r for r in reports if (r.event_type, r.sub_event_type) == (event_type, sub_event_type)]
    actor1 = _vote(_actor_key(r.actor1) if r.event_type in _UNREST else r.actor1 for r in frame)
    if event_type == "Riots" and actor1 and actor1.startswith("Protesters"):
        actor1 = "Rioters" + actor1[len("Protesters"):]
    actor2 = _vote(p for p in (_partner(r, actor1) for r in frame) if p != actor1)
    actor1_type = _type_of(reports, actor1) or frame[0].actor1_type
    actor2_type = _type_of(reports, actor2)
    if actor1 is None:  # a frame where no report names anyone (not produced by the pipeline)
        actor1, actor1_type = frame[0].actor1, frame[0].actor1_type

    tolled = [r.fatalities for r in reports if _gives_toll(r)]
    fatalities = min(tolled) if tolled else 0
    child_fatalities = _lowest(r.child_fatalities for r in reports)
    if child_fatalities is not None:
        child_fatalities = min(child_fatalities, fatalities)

    civilian_targeting = (
        actor2_type == "Civilians" and event_type in ("Violence against civilians", "Explosions/Remote violence")
    ) or sub_event_type == "Excessive force against protesters"
    most_confident = min(reports, key=lambda r: (-r.confidence, r.event_id))
    sources = sorted({s.strip() for r in reports if r.source for s in r.source.split(";") if s.strip()})

    event = Event(
        event_id=cluster_id,
        article_id=min(r.article_id for r in reports),
        event_date=event_date,
        time_precision=time_precision,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1,
        actor1_type=actor1_type,
        actor2=actor2,
        actor2_type=actor2_type if actor2 else None,
        civilian_targeting=civilian_targeting,
        country=place.country,
        iso2=place.iso2,
        admin1=place.admin1,
        location=place.location,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=place.geo_precision,
        fatalities=fatalities,
        injuries=_lowest(r.injuries for r in reports),
        child_fatalities=child_fatalities,
        ceasefire_violation=any(r.ceasefire_violation and "ceasefire_violation" in r.spans for r in reports),
        evidence=most_confident.evidence,
        confidence=max(r.confidence for r in reports),
        notes="",
        source=";".join(sources) or None,
        spans={},
    )
    event.notes = _notes(event, len(sources))
    return CorpusEvent(
        event=event,
        article_ids=sorted({r.article_id for r in reports}),
        report_ids=[r.event_id for r in reports],
    )


def merge_corpus(reports: Sequence[Event]) -> tuple[dict[str, str], list[CorpusEvent]]:
    """``cluster`` then ``merge``: the assignments and the merged events, sorted by event id."""
    clusters = cluster(reports)
    grouped: dict[str, list[Event]] = defaultdict(list)
    for report in _canonical(reports):
        grouped[clusters[report.event_id]].append(report)
    return clusters, [merge(grouped[cid], cid) for cid in sorted(grouped)]
