"""Stage · mentions of one incident inside an article become one event.

Two incidents merge when they happened at the same place (or one has no
place) on compatible dates: the same day, or a week-precision date whose
week holds the other's day.  "One attack told twice is one event"; "two
places or two days make two events".
"""

from __future__ import annotations

from datetime import timedelta

from eventwatch.doc import Doc, Incident


def _same_time(a: Incident, b: Incident) -> bool:
    if a.event_date is None or b.event_date is None:
        if a.time is None or b.time is None:
            return True
        if a.event_date is None and b.event_date is None:
            return a.time.kind != "weekday" or b.time.kind != "weekday" or a.time.weekday == b.time.weekday
        return False
    if a.time_precision == 1 and b.time_precision == 1:
        if "overnight" in (a.time.kind if a.time else "", b.time.kind if b.time else ""):
            return abs((a.event_date - b.event_date).days) <= 1  # a night spans two dates
        return a.event_date == b.event_date
    week = a if a.time_precision == 2 else b
    other = b if week is a else a
    monday = week.event_date - timedelta(days=week.event_date.weekday())
    return monday <= other.event_date <= monday + timedelta(days=6)


def _same_place(a: Incident, b: Incident) -> bool:
    if a.location is None or b.location is None:
        return True
    return a.location.geonameid == b.location.geonameid


# Incidents of different families never merge: a truce signed and the fight before it are two events.
_FAMILY = {"protest": "unrest", "riot": "unrest", "agreement": "agreement", "arrest": "arrest",
           "disrupted": "disrupted", "base": "base", "transfer": "transfer"}


def _families(incident: Incident) -> set[str]:
    return {_FAMILY.get(t.kind, "violence") for t in incident.triggers} or {"violence"}


def _absorb(keep: Incident, gone: Incident) -> None:
    keep.sentences = sorted(set(keep.sentences) | set(gone.sentences))
    keep.triggers = keep.triggers + [t for t in gone.triggers if t not in keep.triggers]
    if keep.location is None or (gone.location is not None and (gone.geo_precision or 9) < (keep.geo_precision or 9)):
        keep.place, keep.geo_precision = gone.place, gone.geo_precision
    vaguer = keep.time is not None and keep.time.kind == "overnight" and gone.time is not None and gone.time.kind != "overnight"
    if gone.event_date is not None and (keep.event_date is None or gone.time_precision < keep.time_precision or vaguer):
        keep.event_date, keep.time_precision, keep.time = gone.event_date, gone.time_precision, gone.time
        if "event_date" in gone.spans:
            keep.spans["event_date"] = gone.spans["event_date"]


def run(doc: Doc) -> None:
    """Merge retellings; an incident with no place joins the one reported before it."""
    merged: list[Incident] = []
    placed = [i for i in doc.incidents if i.location is not None]
    for incident in doc.incidents:
        if incident.location is None and placed:
            host = max((p for p in placed if p.anchor < incident.anchor), key=lambda p: p.anchor, default=placed[0])
            host.sentences = sorted(set(host.sentences) | set(incident.sentences))
    doc.incidents = placed or doc.incidents
    for incident in doc.incidents:
        partner = next(
            (m for m in merged if _same_place(m, incident) and _same_time(m, incident) and _families(m) & _families(incident)),
            None,
        )
        if partner is None:
            merged.append(incident)
        else:
            _absorb(partner, incident)
    doc.incidents = merged
