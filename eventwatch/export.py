"""Events -> text formats: JSON, JSON Lines, ACLED-style CSV, GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from eventwatch.model import EVENT_FIELDS, Event

FORMATS = ("json", "jsonl", "csv", "geojson")
CSV_COLUMNS = ("article_id", "event_id") + tuple(f for f in EVENT_FIELDS if f != "evidence") + ("confidence", "source", "notes", "evidence")


def to_json(batches: Iterable[tuple[str, list[Event]]]) -> str:
    return json.dumps([{"id": aid, "events": [e.to_dict() for e in evs]} for aid, evs in batches], ensure_ascii=False, indent=2)


def jsonl_line(article_id: str, events: list[Event]) -> str:
    return json.dumps({"id": article_id, "events": [e.to_dict() for e in events]}, ensure_ascii=False)


def csv_rows(events: Iterable[Event], *, header: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for event in events:
        row = event.to_dict()
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in CSV_COLUMNS])
    return buffer.getvalue()


def geojson(events: Iterable[Event]) -> str:
    features = []
    for event in events:
        props = event.to_dict()
        props.pop("spans")
        geometry = (
            {"type": "Point", "coordinates": [event.longitude, event.latitude]}
            if event.latitude is not None and event.longitude is not None else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
