"""The last check before an event leaves the pipeline: values no report can mean are dropped.

A misread number ("killed 99999999999999999999 people"), a breakdown larger than its total
("killed 5, including 900 children") or a year that puts the event after the article was
written would otherwise be stored, mapped and summed.  Each rule drops the one value it
finds impossible, never the whole event (its type, place and actors may be right), and the
event says so: a note "Left out as impossible: ..." ends its ``notes``.

* fatalities above ``MAX_CASUALTIES`` in one event of one article: the toll is dropped
  (0, as when none is reported), and the children's count with it;
* injuries above ``MAX_CASUALTIES``: dropped (null, not reported);
* child fatalities above the fatalities: dropped (null);
* an event date after the publication date (with ``DATE_SLACK`` for time zones) or more
  than ``MAX_EVENT_AGE`` before it (a past event recalled, not reported); with no
  publication date, a date after today: dropped (null).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from eventwatch.doc import Doc, Incident

logger = logging.getLogger(__name__)

#: Most deaths (or injuries) one event of one article may report.  Larger figures in news
#: text are cumulative tolls of a war or famine, or misread numbers, not one incident.
MAX_CASUALTIES = 10_000
#: Oldest event date, counted back from the publication date.
MAX_EVENT_AGE = timedelta(days=366)
#: How far past the publication date an event may fall: the publisher's day and the
#: place's day differ by up to one across time zones.
DATE_SLACK = timedelta(days=1)


def impossible(incident: Incident, published: date | None, today: date) -> list[str]:
    """Drop from ``incident`` every value that cannot be true; say what each one was.

    ``published`` is the article's publication date, ``today`` bounds the dates of an
    article that has none.
    """
    dropped: list[str] = []
    if not 0 <= incident.fatalities <= MAX_CASUALTIES:
        dropped.append(f"a toll of {incident.fatalities:,} killed (more than {MAX_CASUALTIES:,} in one event)")
        incident.fatalities, incident.child_fatalities = 0, None
        incident.spans.pop("fatalities", None)
    if incident.injuries is not None and not 0 <= incident.injuries <= MAX_CASUALTIES:
        dropped.append(f"{incident.injuries:,} injured (more than {MAX_CASUALTIES:,} in one event)")
        incident.injuries = None
        incident.spans.pop("injuries", None)
    children = incident.child_fatalities
    if children is not None and not 0 <= children <= incident.fatalities:
        dropped.append(f"{children:,} children killed (more than the {incident.fatalities:,} killed)")
        incident.child_fatalities = None
    day = incident.event_date
    if day is not None:
        why = _date_problem(day, published, today)
        if why:
            dropped.append(f"the date {day.isoformat()} ({why})")
            incident.event_date = None
            incident.spans.pop("event_date", None)
    return dropped


def _date_problem(day: date, published: date | None, today: date) -> str | None:
    if published is None:
        return "later than today" if day > today + DATE_SLACK else None
    if day > published + DATE_SLACK:
        return f"after the article's publication on {published.isoformat()}"
    if day < published - MAX_EVENT_AGE:
        return f"more than a year before the article's publication on {published.isoformat()}"
    return None


def run(doc: Doc, today: date | None = None) -> None:
    """Check every incident of ``doc``; what is dropped goes into ``incident.dropped``."""
    for incident in doc.incidents:
        incident.dropped = impossible(incident, doc.article.published, today or date.today())
        if incident.dropped:
            logger.info("%s: left out as impossible: %s", doc.article.id, "; ".join(incident.dropped))
