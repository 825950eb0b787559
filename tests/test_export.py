"""Corpus exports (ACLED CSV, GeoJSON, Parquet, JSON Lines) and the shared filter parser."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, timedelta

import pytest

from eventwatch import export
from eventwatch.errors import ConfigError
from eventwatch.filters import FILTER_HELP, FILTER_KEYS, filter_to_params, parse_filter
from eventwatch.model import Event
from eventwatch.store.api import CorpusEvent, EventFilter


def make_event(**fields) -> Event:
    base = dict(
        event_id="c0ffee", article_id="a1", event_date=date(2024, 3, 1), time_precision=1,
        event_type="Battles", sub_event_type="Armed clash", actor1="Military Forces of Nigeria (2023-)",
        actor1_type="State forces", actor2="ISWAP: Islamic State West Africa Province",
        actor2_type="Rebel groups", civilian_targeting=False, country="Nigeria", iso2="NG",
        admin1="Borno", location="Monguno", latitude=12.6702, longitude=13.6081, geo_precision=1,
        fatalities=7, injuries=None, child_fatalities=None, ceasefire_violation=False,
        evidence="troops repelled an ISWAP attack on Monguno", confidence=0.82,
        notes="Troops clashed with ISWAP fighters in Monguno; 7 fighters killed.", source="Reuters;Premium Times",
    )
    base.update(fields)
    return Event(**base)


KHERSON = CorpusEvent(
    make_event(
        event_id="ev-kherson-0001", article_id="art-k1", event_date=date(2024, 5, 14),
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Russia (2000-)", actor1_type="State forces",
        actor2="Civilians (Ukraine)", actor2_type="Civilians", civilian_targeting=True,
        country="Ukraine", iso2="UA", admin1="Kherson", location="Kherson",
        latitude=46.6354, longitude=32.6169, fatalities=2, injuries=5,
        evidence="Russian shelling of Kherson killed two civilians",
        notes="Russian forces shelled residential areas of Kherson city, killing 2 civilians and injuring 5.",
        source="Ukrinform; Kyiv Independent",
    ),
    article_ids=["art-k1", "art-k2"], report_ids=["rep-k1", "rep-k2"],
)
NAIROBI = CorpusEvent(
    make_event(
        event_id="ev-nairobi-0002", article_id="art-n1", event_date=date(2024, 6, 25),
        event_type="Protests", sub_event_type="Excessive force against protesters",
        actor1="Protesters (Kenya)", actor1_type="Protesters",
        actor2="Police Forces of Kenya (2022-)", actor2_type="State forces",
        country="Kenya", iso2="KE", admin1="Nairobi", location="Nairobi",
        latitude=-1.2833, longitude=36.8167, fatalities=5,
        evidence="police opened fire on protesters outside parliament",
        notes="Police fired live rounds at protesters against the finance bill outside parliament; 5 killed.",
        source="Daily Nation",
    ),
    article_ids=["art-n1"], report_ids=["rep-n1"],
)
BORNO = CorpusEvent(make_event(event_id="ev-borno-0003"), article_ids=["a1"], report_ids=["r1"])
# A peaceful protest with one actor and no place known.
NOWHERE = CorpusEvent(
    make_event(
        event_id="ev-unknown-0004", event_type="Protests", sub_event_type="Peaceful protest",
        actor1="Protesters (International)", actor1_type="Protesters", actor2=None, actor2_type=None,
        country=None, iso2=None, admin1=None, location=None, latitude=None, longitude=None,
        geo_precision=None, fatalities=0, event_date=None, source=None,
    ),
)
EVENTS = [KHERSON, NAIROBI, BORNO, NOWHERE]

ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]


def acled_rows(events=EVENTS, **kwargs) -> tuple[str, list[dict[str, str]]]:
    buffer = io.StringIO(newline="")
    assert export.write_acled_csv(events, buffer, **kwargs) == len(events)
    text = buffer.getvalue()
    return text, list(csv.DictReader(io.StringIO(text, newline="")))


# --- ACLED CSV ----------------------------------------------------------------


def test_acled_header_is_exactly_acleds():
    text, _ = acled_rows([])
    assert text.splitlines() == [",".join(ACLED_HEADER)]
    assert list(export.ACLED_COLUMNS) == ACLED_HEADER


def test_acled_row_kherson_shelling():
    _, rows = acled_rows(timestamp=1718000000)
    row = rows[0]
    assert row["event_id_cnty"].startswith("UKR") and row["event_id_cnty"][3:].isdigit()
    assert row["event_date"] == "2024-05-14" and row["year"] == "2024"
    assert row["disorder_type"] == "Political violence"
    assert row["inter1"] == "1" and row["inter2"] == "7" and row["interaction"] == "17"
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["iso"] == "804" and row["region"] == "Europe" and row["country"] == "Ukraine"
    assert row["admin1"] == "Kherson" and row["admin2"] == "" and row["admin3"] == ""
    assert float(row["latitude"]) == 46.6354 and float(row["longitude"]) == 32.6169
    assert row["source"] == "Ukrinform; Kyiv Independent"
    assert row["fatalities"] == "2" and row["tags"] == "" and row["source_scale"] == ""
    assert row["timestamp"] == "1718000000"


def test_acled_row_nairobi_and_borno_and_unknown():
    _, rows = acled_rows()
    nairobi, borno, nowhere = rows[1], rows[2], rows[3]
    # smaller code first: protesters (6) x state forces (1) -> 16
    assert nairobi["interaction"] == "16" and nairobi["inter1"] == "6" and nairobi["inter2"] == "1"
    assert nairobi["disorder_type"] == "Political violence; Demonstrations"
    assert nairobi["civilian_targeting"] == ""
    assert nairobi["iso"] == "404" and nairobi["region"] == "Eastern Africa"
    assert nairobi["event_id_cnty"].startswith("KEN")
    assert borno["iso"] == "566" and borno["region"] == "Western Africa"
    assert borno["event_id_cnty"].startswith("NGA") and borno["interaction"] == "12"
    assert borno["source"] == "Reuters; Premium Times"
    # one actor: ACLED writes inter2 = 0 and interaction = code * 10
    assert nowhere["inter2"] == "0" and nowhere["interaction"] == "60" and nowhere["actor2"] == ""
    assert nowhere["disorder_type"] == "Demonstrations"
    assert nowhere["event_id_cnty"].startswith("XXX")
    for key in ("event_date", "year", "iso", "region", "country", "latitude", "longitude", "geo_precision", "source"):
        assert nowhere[key] == "", key
    assert int(rows[0]["timestamp"]) > 1_700_000_000


def test_acled_ids_stable_and_unique():
    _, first = acled_rows()
    _, again = acled_rows()
    assert [r["event_id_cnty"] for r in first] == [r["event_id_cnty"] for r in again]
    many = [CorpusEvent(make_event(event_id=f"ev{i}")) for i in range(2000)]
    _, rows = acled_rows(many)
    assert len({r["event_id_cnty"] for r in rows}) == 2000


def test_acled_csv_to_binary_stream_is_utf8():
    event = CorpusEvent(make_event(event_id="ci", country="Côte d'Ivoire", iso2="CI", location="Abobo"))
    buffer = io.BytesIO()
    export.write_acled_csv([event], buffer)
    row = next(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    assert row["country"] == "Côte d'Ivoire" and row["iso"] == "384" and row["region"] == "Western Africa"
    assert row["event_id_cnty"].startswith("CIV")


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "expected"),
    [
        ("Battles", "Armed clash", "Political violence"),
        ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
        ("Violence against civilians", "Attack", "Political violence"),
        ("Protests", "Peaceful protest", "Demonstrations"),
        ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
        ("Riots", "Violent demonstration", "Demonstrations"),
        ("Riots", "Mob violence", "Political violence"),
        ("Strategic developments", "Arrests", "Strategic developments"),
    ],
)
def test_disorder_type(event_type, sub_event_type, expected):
    assert export.disorder_type(event_type, sub_event_type) == expected


def test_every_current_country_has_a_region():
    from eventwatch.vocab import SUB_EVENT_TYPES

    assert set(export.DISORDER_TYPE) == set(SUB_EVENT_TYPES)
    regions = {
        "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
        "Middle East", "South Asia", "Southeast Asia", "East Asia", "Caucasus and Central Asia",
        "Europe", "South America", "Central America", "Caribbean", "North America", "Oceania",
        "Antarctica",
    }
    by_iso2, _ = export._countries()
    assert len(by_iso2) >= 249
    assert {info.region for info in by_iso2.values() if info.region} == regions
    for code in ("US", "MX", "RU", "TR", "IR", "AF", "KZ", "GE", "SD", "MZ", "CD", "HT", "PG", "XK"):
        assert by_iso2[code].region, code


# --- GeoJSON ------------------------------------------------------------------


def test_geojson_feature_collection():
    buffer = io.StringIO()
    assert export.write_geojson(EVENTS, buffer) == 4
    doc = json.loads(buffer.getvalue())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 4
    kherson = doc["features"][0]
    assert kherson["geometry"] == {"type": "Point", "coordinates": [32.6169, 46.6354]}  # lon, lat
    props = kherson["properties"]
    assert props["event_date"] == "2024-05-14" and "spans" not in props
    assert props["sources"] == ["Ukrinform", "Kyiv Independent"]
    assert props["article_ids"] == ["art-k1", "art-k2"]
    assert props["sub_event_type"] == "Shelling/artillery/missile attack"
    assert doc["features"][3]["geometry"] is None


def test_geojson_empty_and_binary():
    buffer = io.BytesIO()
    export.write_geojson([], buffer)
    assert json.loads(buffer.getvalue()) == {"type": "FeatureCollection", "features": []}


# --- JSON Lines ---------------------------------------------------------------


def test_jsonl_lines_parse():
    buffer = io.StringIO()
    assert export.write_jsonl(EVENTS, buffer) == 4
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert first == json.loads(json.dumps(KHERSON.to_dict()))
    assert first["report_ids"] == ["rep-k1", "rep-k2"]


# --- Parquet ------------------------------------------------------------------


def generated(n: int):
    sub_events = ["Armed clash", "Shelling/artillery/missile attack", "Peaceful protest", "Attack"]
    for i in range(n):
        sub = sub_events[i % 4]
        yield CorpusEvent(
            make_event(
                event_id=f"gen-{i:06d}", event_date=date(2023, 1, 1) + timedelta(days=i % 500),
                sub_event_type=sub, event_type=export_event_type(sub),
                fatalities=i % 13, injuries=None if i % 3 else i % 7,
                latitude=None if i % 10 == 0 else 10 + (i % 90) / 10, longitude=None if i % 10 == 0 else 20.5,
                civilian_targeting=sub == "Attack", ceasefire_violation=i % 11 == 0,
            ),
            article_ids=[f"art-{i}"], report_ids=[f"rep-{i}", f"rep-{i}b"],
        )


def export_event_type(sub: str) -> str:
    from eventwatch.vocab import EVENT_TYPE_OF

    return EVENT_TYPE_OF[sub]


def test_parquet_round_trip_in_row_groups(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert export.write_parquet(generated(25_000), path, batch_size=10_000) == 25_000
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 25_000
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [10_000, 10_000, 5_000]
    table = pq.read_table(path)
    assert table.schema.equals(export.parquet_schema())
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("fatalities").type == pa.int32()
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("civilian_targeting").type == pa.bool_()
    row = table.slice(3, 1).to_pylist()[0]
    assert row["event_id"] == "gen-000003" and row["event_date"] == date(2023, 1, 4)
    assert row["fatalities"] == 3 and row["injuries"] == 3 and row["civilian_targeting"] is True
    assert row["sources"] == ["Reuters", "Premium Times"] and row["report_ids"] == ["rep-3", "rep-3b"]
    assert table.column("latitude").null_count == 2_500
    assert table.column("injuries").null_count == 25_000 - 8_334


def test_parquet_to_binary_stream_and_empty():
    pq = pytest.importorskip("pyarrow.parquet")
    buffer = io.BytesIO()
    assert export.write_parquet(EVENTS, buffer) == 4
    table = pq.read_table(io.BytesIO(buffer.getvalue()))
    assert table.column("country").to_pylist() == ["Ukraine", "Kenya", "Nigeria", None]
    empty = io.BytesIO()
    assert export.write_parquet([], empty) == 0
    assert pq.read_table(io.BytesIO(empty.getvalue())).num_rows == 0


def test_parquet_readable_by_duckdb(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "e.parquet"
    export.write_parquet(EVENTS, path)
    assert duckdb.sql(f"select sum(fatalities) from '{path}'").fetchone()[0] == 14


# --- dispatcher ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", export.EXPORT_FORMATS)
def test_write_events_to_path(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    path = tmp_path / f"out.{fmt}"
    assert export.write_events(EVENTS, fmt, path) == 4
    assert path.stat().st_size > 0


def test_write_events_unknown_format():
    with pytest.raises(ConfigError, match="did you mean 'geojson'"):
        export.write_events(EVENTS, "geojsn", io.StringIO())


def test_write_events_streams_lazily():
    seen = []

    def events():
        for e in EVENTS:
            seen.append(e)
            yield e

    buffer = io.StringIO()
    export.write_events(events(), "jsonl", buffer)
    assert len(seen) == 4 and len(buffer.getvalue().splitlines()) == 4


def test_extract_exports_unchanged():
    event = BORNO.event
    assert "article_id,event_id" in export.csv_rows([event], header=True)
    assert json.loads(export.geojson([event]))["features"][0]["geometry"]["coordinates"] == [13.6081, 12.6702]
    assert export.FORMATS == ("json", "jsonl", "csv", "geojson")


# --- filters --------------------------------------------------------------------


def test_parse_filter_good_values():
    f = parse_filter({
        "start": "2024-01-01", "end": "2024-06-30", "country": " Ukraine ", "admin1": "Kherson",
        "event_type": "explosions/remote VIOLENCE", "sub_event_type": "shelling/artillery/missile attack",
        "actor": "Russia", "min_fatalities": "1", "ceasefire_violation": "No",
        "bbox": "32.0, 46.0, 34.5, 47.5", "q": "shelling", "limit": "100000", "offset": "20",
    })
    assert f == EventFilter(
        start=date(2024, 1, 1), end=date(2024, 6, 30), country="Ukraine", admin1="Kherson",
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actor="Russia", min_fatalities=1, ceasefire_violation=False, bbox=(32.0, 46.0, 34.5, 47.5),
        q="shelling", limit=100_000, offset=20,
    )
    assert parse_filter(filter_to_params(f)) == f


def test_parse_filter_empty_means_any():
    assert parse_filter({}) == EventFilter()
    assert parse_filter({key: None for key in FILTER_KEYS}) == EventFilter()
    assert parse_filter({"country": "", "limit": "  ", "start": None}) == EventFilter()
    assert parse_filter({"start": "2024-05-01", "end": "2024-05-01"}).start == date(2024, 5, 1)
    assert parse_filter({"ceasefire_violation": "1"}).ceasefire_violation is True
    assert parse_filter({"min_fatalities": "0", "offset": "0"}).min_fatalities == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start": "01/03/2024"}, "start: '01/03/2024' is not a date; use YYYY-MM-DD"),
        ({"end": "2024-02-30"}, "end: '2024-02-30' is not a date"),
        ({"start": "2024-3-1"}, "start: '2024-3-1' is not a date"),
        ({"start": "2024-06-01", "end": "2024-05-01"}, "start 2024-06-01 is after end 2024-05-01"),
        ({"event_type": "Batles"}, "event_type: 'Batles' is not an ACLED event type; did you mean 'Battles'?"),
        ({"event_type": "Terrorism"}, "event_type: 'Terrorism' is not an ACLED event type; choose one of"),
        ({"sub_event_type": "drone strike"}, "did you mean 'Air/drone strike'?"),
        ({"event_type": "Battles", "sub_event_type": "Peaceful protest"},
         "sub_event_type 'Peaceful protest' belongs to 'Protests', not to event_type 'Battles'"),
        ({"min_fatalities": "-1"}, "min_fatalities: -1 is out of range; it must be between 0 and 2,147,483,647"),
        ({"min_fatalities": str(2**63)}, "min_fatalities: 9223372036854775808 is out of range"),
        ({"offset": "9" * 5000}, "offset: 999999999999...(5000 digits) is out of range"),
        ({"offset": str(2**31)}, "offset: 2147483648 is out of range"),
        ({"min_fatalities": "2.5"}, "min_fatalities: '2.5' is not a whole number"),
        ({"ceasefire_violation": "maybe"}, "ceasefire_violation: 'maybe' is not true or false"),
        ({"bbox": "32,46,34"}, "bbox: '32,46,34' needs 4 numbers, got 3"),
        ({"bbox": "32,46,east,47"}, "has a value that is not a number"),
        ({"bbox": "32,46,190,47"}, "bbox: max_lon 190 is outside -180..180"),
        ({"bbox": "32,-95,34,47"}, "bbox: min_lat -95 is outside -90..90"),
        ({"bbox": "34,46,32,47"}, "the minimum must be less than the maximum"),
        ({"bbox": "nan,46,34,47"}, "bbox: min_lon nan is outside"),
        ({"limit": "0"}, "limit: 0 is out of range; it must be between 1 and 100,000"),
        ({"limit": "100001"}, "limit: 100001 is out of range"),
        ({"limit": "ten"}, "limit: 'ten' is not a whole number"),
        ({"offset": "-5"}, "offset: -5 is out of range; it must be between 0 and 2,147,483,647"),
        ({"contry": "Kenya"}, "unknown filter 'contry'; did you mean 'country'?"),
    ],
)
def test_parse_filter_rejects(values, message):
    with pytest.raises(ConfigError) as info:
        parse_filter(values)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_filter_help_covers_every_key():
    assert set(FILTER_HELP) == {f.name for f in dataclasses.fields(EventFilter)}
    assert all(FILTER_HELP[key].strip() for key in FILTER_KEYS)


FORMULAS = {"actor1": "=HYPERLINK(\"http://x\",\"y\")", "location": "+1+2", "notes": "-2+3 killed",
            "admin1": "@SUM(A1)", "source": "=cmd|' /C calc'!A0", "actor2": "\rCR Wire", "country": "\tTabland"}


def test_csv_text_cells_cannot_start_a_formula_but_numbers_stay_numbers():
    event = CorpusEvent(make_event(longitude=-3.5, latitude=-12.25, **FORMULAS), article_ids=["a1"], report_ids=["r1"])
    acled = next(csv.DictReader(io.StringIO(_acled_text([event]), newline="")))
    extracted = next(csv.DictReader(io.StringIO(export.csv_rows([event.event], header=True), newline="")))
    for row in (acled, extracted):
        for name, text in FORMULAS.items():
            assert row[name] == "'" + text, name
        assert (row["longitude"], row["latitude"]) == ("-3.5", "-12.25")
    assert export.spreadsheet_safe(-3.5) == -3.5 and export.spreadsheet_safe("Kherson") == "Kherson"


def _acled_text(events) -> str:
    out = io.StringIO()
    export.write_acled_csv(events, out, timestamp=0)
    return out.getvalue()
