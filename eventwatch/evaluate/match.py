"""Pairing gold events with system events inside one article.

The rule of GOLD_FORMAT.md ("How a system's output is scored"):

* a gold event and a system event *may* pair when their dates are at most
  ``MATCH_DAYS`` apart (or both are null) **and** their places are at most
  ``MATCH_KM`` apart by great-circle distance -- or, when either side has no
  coordinates, they name the same country and the same first-level division
  (admin1, compared through :func:`normalise_admin1`);
* among the allowed pairs, the closest in place, date and event_type win.

Method: an exact minimum-cost assignment (the Hungarian algorithm, written
out below; O(n^3) for n events, which is instant at article sizes).  Every
disallowed pair gets a prohibitive cost, so the assignment first makes as
many allowed pairs as possible and, among those, takes the set with the
smallest total cost.  The cost of one allowed pair is the sum of three
terms, each scaled to its tolerance so that none of them swamps the others:

    distance_km / 50            0..1  (1.0 when a side lacks coordinates)
    date gap in days / 1        0..1  (0 when both dates are null)
    event_type differs          0 or 1

Unlike a greedy pass over pairs sorted by cost, the assignment never lets one
close pair block two acceptable ones (it maximises the number of matches),
and it is independent of the order the events are listed in up to exact ties.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from eventwatch.geo.normalize import drop_leading_article, name_key

MATCH_KM = 50.0
MATCH_DAYS = 1
EARTH_RADIUS_KM = 6371.0088

# Words that only say what kind of division a name is; dropped before comparing.
_GENERIC_ADMIN_WORDS = frozenset(
    {
        "governorate",
        "governorates",
        "oblast",
        "province",
        "provincia",
        "region",
        "district",
        "state",
        "county",
        "prefecture",
        "department",
        "departamento",
        "division",
        "territory",
        "municipality",
        "raion",
        "krai",
        "muhafazat",
        "wilayah",
        "wilaya",
        "of",
        "the",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> list[str]:
    """Lower-case ASCII words of ``text``: accents stripped, punctuation and hyphens split."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [w for w in _NON_ALNUM.split(ascii_text.casefold()) if w]


def normalise_admin1(name: Any) -> str | None:
    """Comparable form of an admin1 name, or None when there is none.

    Case, accents, hyphens, spaces and punctuation are ignored and generic words
    (Governorate, Oblast, Province, Region, District, State, County, ...) are
    dropped, so "North-West", "Northwest" and "Northwest Region" all give
    ``"northwest"``.  A name made only of generic words keeps them.  Spelling
    variants of one name compare equal through the gazetteer's
    transliteration-aware key ("Az Zawiyah" = "Zawiya").
    """
    if not isinstance(name, str):
        return None
    words = _fold(name)
    if not words:
        return None
    kept = [w for w in words if w not in _GENERIC_ADMIN_WORDS]
    key = name_key(" ".join(kept or words))
    return (drop_leading_article(key) or key).replace(" ", "")


def normalise_country(name: Any) -> str | None:
    """Comparable form of a country name (case, accents and punctuation ignored)."""
    if not isinstance(name, str):
        return None
    folded = "".join(_fold(name))
    return folded or None


def parse_date(value: Any) -> date | None:
    """A ``date`` from an ISO string, a ``date`` or a ``datetime``; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def coordinates(event: Mapping[str, Any]) -> tuple[float, float] | None:
    """(latitude, longitude) of an event, or None when missing or impossible."""
    lat = _as_float(event.get("latitude"))
    lon = _as_float(event.get("longitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(gold: Mapping[str, Any], system: Mapping[str, Any]) -> float | None:
    """Distance between two events' coordinates, None when either side has none."""
    a, b = coordinates(gold), coordinates(system)
    if a is None or b is None:
        return None
    return haversine_km(a, b)


def same_country(gold: Mapping[str, Any], system: Mapping[str, Any]) -> bool:
    """Same country by name, or by ISO code when both carry one."""
    g, s = normalise_country(gold.get("country")), normalise_country(system.get("country"))
    if g is not None and s is not None and g == s:
        return True
    gi, si = gold.get("iso2"), system.get("iso2")
    return (
        isinstance(gi, str)
        and isinstance(si, str)
        and gi.strip() != ""
        and gi.strip().upper() == si.strip().upper()
    )


def same_admin1(gold: Mapping[str, Any], system: Mapping[str, Any]) -> bool:
    """Same admin1 after normalisation; a missing name on either side never matches."""
    g, s = normalise_admin1(gold.get("admin1")), normalise_admin1(system.get("admin1"))
    return g is not None and g == s


def _same_label(a: Any, b: Any) -> bool:
    fa = a.strip().casefold() if isinstance(a, str) else a
    fb = b.strip().casefold() if isinstance(b, str) else b
    return fa == fb


@dataclass(frozen=True, slots=True)
class PairCost:
    """How far apart an allowed pair is; ``km`` is None when matched by region."""

    km: float | None
    days: int
    type_mismatch: bool

    @property
    def total(self) -> float:
        place = 1.0 if self.km is None else self.km / MATCH_KM
        return place + self.days / MATCH_DAYS + (1.0 if self.type_mismatch else 0.0)


def pair_cost(gold: Mapping[str, Any], system: Mapping[str, Any]) -> PairCost | None:
    """The cost of pairing two events, or None when the rule does not allow it."""
    gd, sd = parse_date(gold.get("event_date")), parse_date(system.get("event_date"))
    if gd is None and sd is None:
        days = 0
    elif gd is None or sd is None:
        return None
    else:
        days = abs((gd - sd).days)
        if days > MATCH_DAYS:
            return None
    km = distance_km(gold, system)
    if km is None:
        if not (same_country(gold, system) and same_admin1(gold, system)):
            return None
    elif km > MATCH_KM:
        return None
    mismatch = not _same_label(gold.get("event_type"), system.get("event_type"))
    return PairCost(km=km, days=days, type_mismatch=mismatch)


def min_cost_assignment(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Exact minimum-cost assignment for a rectangular matrix (Hungarian algorithm).

    Returns (row, column) pairs; every row is assigned when rows <= columns,
    otherwise every column is.
    """
    rows = len(cost)
    cols = len(cost[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    if rows > cols:
        transposed = [[cost[r][c] for r in range(rows)] for c in range(cols)]
        return [(r, c) for c, r in min_cost_assignment(transposed)]

    # Shortest augmenting paths with potentials; 1-based, index 0 is a sentinel.
    inf = math.inf
    u = [0.0] * (rows + 1)  # row potentials
    v = [0.0] * (cols + 1)  # column potentials
    owner = [0] * (cols + 1)  # owner[c] = row assigned to column c (0 = free)
    way = [0] * (cols + 1)
    for r in range(1, rows + 1):
        owner[0] = r
        col = 0
        best = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[col] = True
            row = owner[col]
            delta, next_col = inf, 0
            for c in range(1, cols + 1):
                if used[c]:
                    continue
                reduced = cost[row - 1][c - 1] - u[row] - v[c]
                if reduced < best[c]:
                    best[c], way[c] = reduced, col
                if best[c] < delta:
                    delta, next_col = best[c], c
            for c in range(cols + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    best[c] -= delta
            col = next_col
            if owner[col] == 0:
                break
        while col:  # flip the augmenting path
            prev = way[col]
            owner[col] = owner[prev]
            col = prev
    return sorted((owner[c] - 1, c - 1) for c in range(1, cols + 1) if owner[c])


def match_events(
    gold: Sequence[Mapping[str, Any]], system: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) of matching events, sorted by gold index."""
    if not gold or not system:
        return []
    costs = [[pair_cost(g, s) for s in system] for g in gold]
    # More than the largest possible sum of allowed costs (each at most 3).
    forbidden = 4.0 * (min(len(gold), len(system)) + 1)
    matrix = [[forbidden if c is None else c.total for c in row] for row in costs]
    return [(g, s) for g, s in min_cost_assignment(matrix) if costs[g][s] is not None]
