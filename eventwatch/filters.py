"""One parser for event filters, whether they come from the command line or a URL.

``parse_filter`` turns string values (as typed after ``--start`` or found in
``?start=``) into an :class:`~eventwatch.store.api.EventFilter`, and rejects
impossible values with a one-line :class:`~eventwatch.errors.ConfigError` that
names the key.  Missing keys, ``None`` and blank strings mean "any".
``FILTER_HELP`` holds the help text of each key for the CLI and the API docs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date

from eventwatch.errors import ConfigError
from eventwatch.store.api import EventFilter
from eventwatch.vocab import EVENT_TYPE_OF, EVENT_TYPES

MAX_LIMIT = 100_000
#: Largest count a filter takes (offset, min_fatalities): the stores' INTEGER columns hold
#: no more (PostgreSQL's are 32-bit), so a larger value is an error, not a server failure.
MAX_COUNT = 2**31 - 1

FILTER_HELP: dict[str, str] = {
    "start": "Earliest event date, YYYY-MM-DD (inclusive).",
    "end": "Latest event date, YYYY-MM-DD (inclusive).",
    "country": "Country name or ISO 3166 alpha-2 code, case-insensitive (e.g. Ukraine or UA).",
    "admin1": "First-level administrative division, e.g. Kherson or Borno.",
    "event_type": "ACLED event type, case-insensitive: " + ", ".join(EVENT_TYPES) + ".",
    "sub_event_type": "ACLED sub-event type, case-insensitive, e.g. 'Shelling/artillery/missile attack'.",
    "actor": "Text found in actor1 or actor2, case-insensitive.",
    "min_fatalities": "Only events with at least this many reported fatalities (0 or more).",
    "ceasefire_violation": "Only events that do (true) or do not (false) violate a ceasefire; true/false/yes/no/1/0.",
    "bbox": "Bounding box min_lon,min_lat,max_lon,max_lat in degrees (WGS 84), e.g. 32,46,34,47.",
    "q": "Full-text query over notes, actors, location and evidence.",
    "limit": f"Return at most this many events (1 to {MAX_LIMIT:,}).",
    "offset": "Skip this many events first (0 or more), for paging.",
}

FILTER_KEYS: tuple[str, ...] = tuple(FILTER_HELP)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d+")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def parse_filter(values: Mapping[str, str | None]) -> EventFilter:
    """Validate filter values given as strings and return the EventFilter they describe.

    Keys are those of ``FILTER_KEYS``; an unknown key is an error (a misspelt
    filter must not silently widen a query).  Raises ConfigError.
    """
    unknown = [key for key in values if key not in FILTER_HELP]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, FILTER_KEYS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown filter {key!r}; {hint}known filters: {', '.join(FILTER_KEYS)}")

    def text(key: str) -> str | None:
        value = values.get(key)
        if value is None:
            return None
        value = str(value).strip()
        return value or None

    start = _date("start", text("start"))
    end = _date("end", text("end"))
    if start and end and start > end:
        raise ConfigError(f"start {start.isoformat()} is after end {end.isoformat()}; swap them")

    event_type = _vocab("event_type", text("event_type"), EVENT_TYPES, "an ACLED event type")
    sub_event_type = _vocab("sub_event_type", text("sub_event_type"), tuple(EVENT_TYPE_OF), "an ACLED sub-event type")
    if event_type and sub_event_type and EVENT_TYPE_OF[sub_event_type] != event_type:
        raise ConfigError(
            f"sub_event_type {sub_event_type!r} belongs to {EVENT_TYPE_OF[sub_event_type]!r}, "
            f"not to event_type {event_type!r}"
        )

    limit = _int("limit", text("limit"), minimum=1, maximum=MAX_LIMIT)
    offset = _int("offset", text("offset"), minimum=0, maximum=MAX_COUNT)
    return EventFilter(
        start=start,
        end=end,
        country=text("country"),
        admin1=text("admin1"),
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor=text("actor"),
        min_fatalities=_int("min_fatalities", text("min_fatalities"), minimum=0, maximum=MAX_COUNT),
        ceasefire_violation=_bool("ceasefire_violation", text("ceasefire_violation")),
        bbox=_bbox(text("bbox")),
        q=text("q"),
        limit=limit,
        offset=offset or 0,
    )


def filter_to_params(filters: EventFilter) -> dict[str, str]:
    """The inverse of parse_filter: the non-default values as strings (for links and paging)."""
    out: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = getattr(filters, key)
        if value is None or (key == "offset" and value == 0):
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, tuple):
            out[key] = ",".join(f"{v:g}" for v in value)
        else:
            out[key] = str(value)
    return out


def _date(key: str, value: str | None) -> date | None:
    if value is None:
        return None
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{key}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-03-01")


def _vocab(key: str, value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    if value is None:
        return None
    folded = {c.casefold(): c for c in choices}
    if value.casefold() in folded:
        return folded[value.casefold()]
    # A fragment ("shelling") points to the choices containing it; else the closest spelling.
    close = [c for c in folded if value.casefold() in c] if len(value) >= 3 else []
    close = close or difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.5)
    if close:
        options = " or ".join(repr(folded[c]) for c in close)
        raise ConfigError(f"{key}: {value!r} is not {what}; did you mean {options}?")
    raise ConfigError(f"{key}: {value!r} is not {what}; choose one of: {'; '.join(choices)}")


def _int(key: str, value: str | None, *, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if not _INT.fullmatch(value):
        raise ConfigError(f"{key}: {value[:40]!r} is not a whole number")
    digits = value.lstrip("+-").lstrip("0")
    # (more digits than the maximum has cannot be in range, and int() refuses thousands of them)
    number = int(value) if len(digits) <= len(str(maximum)) else None
    if number is None or not minimum <= number <= maximum:
        shown = value if len(value) <= 24 else f"{value[:12]}...({len(digits)} digits)"
        raise ConfigError(f"{key}: {shown} is out of range; it must be between {minimum} and {maximum:,}")
    return number


def _bool(key: str, value: str | None) -> bool | None:
    if value is None:
        return None
    folded = value.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ConfigError(f"{key}: {value!r} is not true or false; use true/false, yes/no or 1/0")


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    usage = "use min_lon,min_lat,max_lon,max_lat in degrees, e.g. 32,46,34,47"
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 4:
        raise ConfigError(f"bbox: {value!r} needs 4 numbers, got {len(parts)}; {usage}")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ConfigError(f"bbox: {value!r} has a value that is not a number; {usage}") from None
    for name, number, limit in (
        ("min_lon", min_lon, 180), ("max_lon", max_lon, 180), ("min_lat", min_lat, 90), ("max_lat", max_lat, 90),
    ):
        if not -limit <= number <= limit:  # also rejects nan
            raise ConfigError(f"bbox: {name} {number:g} is outside -{limit}..{limit}; {usage}")
    if min_lon >= max_lon or min_lat >= max_lat:
        raise ConfigError(f"bbox: {value!r} is empty; the minimum must be less than the maximum ({usage})")
    return (min_lon, min_lat, max_lon, max_lat)
