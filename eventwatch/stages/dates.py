"""Stage · when an incident happened: time expressions resolved against the publication date.

Conventions (DESIGN.md): a weekday is the most recent such day on or before
the publication date; "overnight" is the night before publication unless a
clock time after midnight is given (then the publication day); "last week"
is the Thursday of the previous Monday-to-Sunday week with time_precision 2;
"said on Friday" names the reporting day, not the event day; with no
publication date and no absolute date, the date is null (never guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"

_EXPRESSIONS = re.compile(
    r"\b(?:"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s|’s)?"
    r"|(?P<day1>\d{1,2}) " + _MONTH.replace("month", "month1") + r"(?:,? (?P<year1>(?:19|20)\d\d))?"
    r"|" + _MONTH.replace("month", "month2") + r" (?P<day2>\d{1,2})(?:st|nd|rd|th)?(?:,? (?P<year2>(?:19|20)\d\d))?"
    r"|(?P<overnight>overnight|last night|during the night)"
    r"|(?P<yesterday>yesterday)"
    r"|(?P<today>today|this morning|this afternoon|this evening|earlier in the day)"
    r"|(?P<lastweek>last week|the previous week)"
    r"|(?P<thisweek>this week|earlier this week)"
    r")\b",
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|reported|announced|confirmed|added|stated|claimed|posted|wrote|noted|"
    r"tweeted|warned|denied|urged|published|statement|report|briefing|spoke|speaking)"
    r"(?:\s+(?:in|a|an|the|to|on|reporters|journalists|statement|news|conference|late|early|"
    r"separately|later|earlier|also|its|his|her|their|briefing|media|television|\w+['’]s))*"
    r"\s+(?:late |early )?on\s*$",
    re.IGNORECASE,
)
_AFTER_MIDNIGHT = re.compile(
    r"\b(?:after midnight|(?:[1-5]|1[0-2]):?\d{0,2} ?a\.?m\b|dawn|before sunrise|early hours)", re.IGNORECASE
)
_CLOCK_PM = re.compile(r"\b(?:9|10|11)(?::\d\d)? ?p\.?m\b", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class TimeExpression:
    """A phrase that places an event in time; ``reporting`` marks 'said on Friday'."""

    kind: str  # weekday | absolute | overnight | yesterday | today | lastweek | thisweek
    start: int
    end: int
    text: str
    reporting: bool
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None


def find_time_expressions(text: str, offset: int = 0) -> list[TimeExpression]:
    """Time expressions in one sentence, with reporting-day mentions flagged."""
    found: list[TimeExpression] = []
    for m in _EXPRESSIONS.finditer(text):
        reporting = bool(_REPORTING.search(text[max(0, m.start() - 60) : m.start()]))
        common = dict(start=m.start() + offset, end=m.end() + offset, text=m.group(0), reporting=reporting)
        if m.group("weekday"):
            found.append(TimeExpression("weekday", weekday=WEEKDAYS.index(m.group("weekday").lower()), **common))
        elif m.group("day1") or m.group("day2"):
            month_name = (m.group("month1") or m.group("month2")).lower()
            month = next(i for i, name in enumerate(MONTHS, 1) if name.startswith(month_name[:3]))
            day = int(m.group("day1") or m.group("day2"))
            year = m.group("year1") or m.group("year2")
            if 1 <= day <= 31:
                found.append(TimeExpression("absolute", month=month, day=day, year=int(year) if year else None, **common))
        else:
            kind = next(k for k in ("overnight", "yesterday", "today", "lastweek", "thisweek") if m.group(k))
            found.append(TimeExpression(kind, **common))
    return found


def resolve(expr: TimeExpression, published: date | None, context: str = "") -> tuple[date | None, int]:
    """The date an expression names and its time_precision (1 day, 2 week).

    ``context`` is the text of the incident's sentences, read for clock times
    that decide which day an overnight event belongs to.
    """
    if expr.kind == "absolute":
        year = expr.year or (published.year if published else None)
        if year is None:
            return None, 1
        try:
            day = date(year, expr.month or 1, expr.day or 1)
        except ValueError:
            return None, 1
        if expr.year is None and published and day > published:
            day = day.replace(year=year - 1)
        return day, 1
    if published is None:
        return None, 2 if expr.kind in ("lastweek", "thisweek") else 1
    if expr.kind == "weekday":
        return published - timedelta(days=(published.weekday() - expr.weekday) % 7), 1
    if expr.kind == "overnight":
        after_midnight = _AFTER_MIDNIGHT.search(context) and not _CLOCK_PM.search(context)
        return (published if after_midnight else published - timedelta(days=1)), 1
    if expr.kind == "yesterday":
        return published - timedelta(days=1), 1
    if expr.kind == "today":
        return published, 1
    if expr.kind == "lastweek":
        monday = published - timedelta(days=published.weekday() + 7)
        return monday + timedelta(days=3), 2
    monday = published - timedelta(days=published.weekday())
    return min(published, monday + timedelta(days=3)), 2


def run(doc, incident) -> None:
    """Set the incident's event_date and time_precision (``doc`` gives the publication date)."""
    if incident.time is None:
        return
    context = " ".join(doc.sentences[i].text for i in incident.sentences)
    incident.event_date, incident.time_precision = resolve(incident.time, doc.article.published, context)
    incident.spans["event_date"] = doc.span(incident.time.start, incident.time.end)
