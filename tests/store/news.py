"""Small corpora of one-sentence news reports, written from templates for the merge tests.

Each report tells one incident (a kind, a place, a day, a toll) as an outlet would;
dense places and dates make reports of one incident, and chains of them, meet
across the ingests a test splits a corpus into.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

KINDS = {
    "shelling": "Russian artillery shelled {place} on {day}, killing {n} people, officials said.",
    "air strike": "An air strike hit {place} on {day}, killing {n} civilians, rescuers said.",
    "protest": "Hundreds of people protested in {place} on {day} against new taxes, police said.",
    "attack": "Gunmen attacked a village near {place} on {day}, killing {n} farmers, police said.",
    "clash": "Soldiers clashed with militants near {place} on {day}, leaving {n} fighters dead, the army said.",
}
PLACES = ("Nikopol", "Marhanets", "Kherson", "Idlib", "Maiduguri", "Mosul")
OUTLETS = ("Dnipro Daily", "Steppe Wire", "Kyiv Courier", "Levant Post", "Sahel Herald")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FIRST_DAY = date(2024, 7, 1)


@dataclass(frozen=True, slots=True)
class Report:
    kind: str      # a key of KINDS
    place: str     # one of PLACES
    day: int       # the incident's day, counted from FIRST_DAY
    toll: int
    outlet: int    # index into OUTLETS

    def record(self, n: int) -> dict:
        """The n-th article of a corpus, as `eventwatch ingest` reads it from JSON Lines:
        published the day after the incident, which it names by its weekday."""
        incident = FIRST_DAY + timedelta(days=self.day)
        text = KINDS[self.kind].format(place=self.place, day=WEEKDAYS[incident.weekday()], n=self.toll)
        outlet = OUTLETS[self.outlet]
        return {"id": f"n{n:04d}", "source": outlet, "published": (incident + timedelta(days=1)).isoformat(),
                "text": f"{text}\n\nFiled by the {outlet} desk, story {n}."}


def write_jsonl(path: Path, reports: list[Report], first: int = 0) -> Path:
    """``reports`` as a JSON Lines corpus at ``path``, numbered from ``first``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r.record(first + i)) + "\n" for i, r in enumerate(reports)), encoding="utf-8")
    return path


def exported(store) -> str:
    """Every stored event as `export --format jsonl` writes it."""
    import io

    from eventwatch.export import write_events
    from eventwatch.store.api import EventFilter

    out = io.StringIO()
    write_events(store.query_events(EventFilter()), "jsonl", out)
    return out.getvalue()
