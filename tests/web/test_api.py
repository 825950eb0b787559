"""The HTTP API in-process (TestClient) over a real SQLite store filled by ingest."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from urllib.parse import parse_qsl

import pytest

pytest.importorskip("fastapi")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from fastapi.testclient import TestClient  # noqa: E402

from eventwatch import export  # noqa: E402
from eventwatch.errors import ConfigError  # noqa: E402
from eventwatch.export import ACLED_COLUMNS  # noqa: E402
from eventwatch.filters import FILTER_HELP, FILTER_KEYS, parse_filter  # noqa: E402
from eventwatch.ingest import ingest  # noqa: E402
from eventwatch.model import Article  # noqa: E402
from eventwatch.readers import ReadResult  # noqa: E402
from eventwatch.store import open_store  # noqa: E402
from eventwatch.web import app as web_app  # noqa: E402
from eventwatch.web import create_app  # noqa: E402

API_KEY = "ingest-key-0123456789"
READ_KEY = "read-key-0123456789"
XSS = "<script>alert(1)</script>"

# Short reports written for these tests: two tell one incident (they merge), the others are apart.
ARTICLES = [
    ("KHERSON, Ukraine — Russian artillery shelled a residential district of Kherson on Tuesday, killing three "
     "civilians and wounding five others, the regional governor said.", "2024-03-06", "Dnipro Wire"),
    ("Russian forces shelled Kherson on Tuesday, killing three people and injuring five, local officials said "
     "on Wednesday.", "2024-03-06", "Black Sea Herald"),
    ("MAIDUGURI, Nigeria — Suspected Boko Haram militants attacked the village of Konduga in Borno state on "
     "Sunday, killing 12 villagers, a local official said.", "2024-05-13", "Sahel Monitor"),
    ("ALEPPO, Syria — Protesters gathered in central Aleppo on Friday to demand the release of detainees, "
     "witnesses said. No injuries were reported.", "2024-06-08", "Levant Daily"),
]
NEW_ARTICLE = ("KHARKIV, Ukraine — A Russian missile struck an apartment block in Kharkiv on Monday, killing "
               "four residents, the mayor said.")

KHERSON_BBOX = "32,46,33.5,47"   # min_lon,min_lat,max_lon,max_lat around Kherson


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = open_store(tmp_path_factory.mktemp("web") / "events.db")
    results = [
        ReadResult(Article(text=text, title=f"Report from {source}", published=date.fromisoformat(day),
                           source=source, url=f"https://news.example.org/{n}"), None, f"test:{n}")
        for n, (text, day, source) in enumerate(ARTICLES)
    ]
    xss_text = f"Reader comment {XSS} was posted under a story about the weather & the harvest."
    results.append(ReadResult(Article(text=xss_text, id="xss-article", title=f"Title {XSS}",
                                      published=date(2024, 6, 9), source="Forum"), None, "test:xss"))
    report = ingest(results, db, workers=1)
    assert report.stored == 5 and report.failed == 0
    yield db
    db.close()


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store, api_key=API_KEY)) as test_client:
        yield test_client


def events(client, query: str = "") -> dict:
    response = client.get(f"/api/events{query}")
    assert response.status_code == 200, response.text
    return response.json()


def by_country(client, country: str) -> dict:
    found = events(client, f"?country={country}")["events"]
    assert len(found) == 1
    return found[0]


# ----------------------------------------------------------------------------- reading

def test_health_reports_the_store_and_its_counts(client):
    body = client.get("/api/health").json()
    assert body["ok"] is True and body["store"] == "sqlite"
    assert body["counts"]["events"] == 3 and body["counts"]["articles"] == 5 and body["counts"]["reports"] == 4
    assert body["ingest"] is True


def test_events_page_lists_every_event_newest_first(client):
    page = events(client)
    assert page["total"] == 3 and page["limit"] == 100 and page["offset"] == 0
    dates = [e["event_date"] for e in page["events"]]
    assert dates == sorted(dates, reverse=True)
    kherson = next(e for e in page["events"] if e["location"] == "Kherson")
    assert len(kherson["article_ids"]) == 2 and len(kherson["report_ids"]) == 2   # two reports merged
    assert kherson["fatalities"] == 3 and kherson["event_type"] == "Explosions/Remote violence"


@pytest.mark.parametrize(("query", "locations"), [
    ("?country=UA", {"Kherson"}),
    ("?country=nigeria", {"Konduga"}),
    ("?start=2024-05-01&end=2024-05-31", {"Konduga"}),
    ("?start=2024-05-01", {"Konduga", "Aleppo"}),
    ("?event_type=protests", {"Aleppo"}),
    ("?sub_event_type=Shelling/artillery/missile attack", {"Kherson"}),
    ("?admin1=Borno", {"Konduga"}),
    ("?min_fatalities=5", {"Konduga"}),
    ("?min_fatalities=1", {"Kherson", "Konduga"}),
    ("?min_fatalities=0", {"Kherson", "Konduga", "Aleppo"}),
    ("?ceasefire_violation=false", {"Kherson", "Konduga", "Aleppo"}),
    ("?ceasefire_violation=yes", set()),
    (f"?bbox={KHERSON_BBOX}", {"Kherson"}),
    ("?bbox=-20,0,20,20", {"Konduga"}),
    ("?q=Boko", {"Konduga"}),
    ("?q=detainees", {"Aleppo"}),
    ("?q=nothing-like-this", set()),
    ("?country=UA&min_fatalities=10", set()),
    ("?country=&q=", {"Kherson", "Konduga", "Aleppo"}),   # blank means any, as on the command line
])
def test_filters_select_events(client, query, locations):
    page = events(client, query)
    assert {e["location"] for e in page["events"]} == locations
    assert page["total"] == len(locations)


def test_paging_walks_every_event_once(client):
    seen = []
    for offset in range(4):
        page = events(client, f"?limit=1&offset={offset}")
        assert page["total"] == 3 and page["limit"] == 1 and page["offset"] == offset
        seen += [e["event_id"] for e in page["events"]]
    assert len(seen) == 3 and len(set(seen)) == 3
    assert seen == [e["event_id"] for e in events(client)["events"]]
    assert events(client, "?offset=99")["events"] == []


def test_limit_is_capped_at_max_page(store):
    with TestClient(create_app(store, max_page=2)) as small:
        page = small.get("/api/events?limit=500").json()
        assert page["limit"] == 2 and len(page["events"]) == 2 and page["total"] == 3
        assert small.get("/api/events").json()["limit"] == 2
        assert len(small.get("/api/events.geojson?limit=500").json()["features"]) == 2


def test_geojson_has_points_and_the_filtered_events(client):
    response = client.get(f"/api/events.geojson?bbox={KHERSON_BBOX}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.headers["x-total-count"] == "1"
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 1
    feature = body["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert 32 <= lon <= 33.5 and 46 <= lat <= 47
    assert feature["properties"]["location"] == "Kherson"
    assert sorted(feature["properties"]["sources"]) == ["Black Sea Herald", "Dnipro Wire"]


@pytest.mark.parametrize("query", ["", "?country=UA", "?q=shelling", "?limit=1&offset=1"])
def test_pages_are_the_stored_events_as_the_exports_write_them(client, store, query):
    filters = parse_filter(dict(parse_qsl(query.lstrip("?"))))
    expected = list(store.query_events(dataclasses.replace(filters, limit=filters.limit or 100)))
    assert expected or query == "?q=shelling"
    page = events(client, query)
    assert page["events"] == [e.listed() for e in expected]
    written = io.StringIO()
    export.write_geojson(expected, written)
    assert client.get(f"/api/events.geojson{query}").json() == json.loads(written.getvalue())


def test_csv_has_acled_columns(client):
    response = client.get("/api/events.csv?min_fatalities=1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {r["location"] for r in records} == {"Kherson", "Konduga"}
    assert {r["event_id_cnty"][:3] for r in records} == {"UKR", "NGA"}


def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(tmp_path):
    db = open_store(tmp_path / "events.db")
    try:
        ingest([ReadResult(Article(text=ARTICLES[2][0], published=date(2024, 5, 13), source="=HYPERLINK(\"x\")"),
                           None, "t")], db, workers=1)
        with TestClient(create_app(db)) as client:
            [row] = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text, newline="")))
    finally:
        db.close()
    assert row["source"] == "'=HYPERLINK(\"x\")" and row["location"] == "Konduga"
    assert float(row["longitude"]) > 0 and not row["latitude"].startswith("'")


def test_event_detail_lists_every_source_with_evidence_and_spans(client):
    kherson = by_country(client, "UA")
    response = client.get(f"/api/events/{kherson['event_id']}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["event_id"] == kherson["event_id"] and detail["location"] == "Kherson"
    assert len(detail["articles"]) == 2 and len(detail["evidence_sentences"]) == 2
    assert {a["source"] for a in detail["articles"]} == {"Dnipro Wire", "Black Sea Herald"}
    for article in detail["articles"]:
        assert article["title"].startswith("Report from") and article["published"] == "2024-03-06"
        assert article["url"].startswith("https://news.example.org/")
        assert article["evidence"] in detail["evidence_sentences"] and "Kherson" in article["evidence"]
        text = client.get(f"/api/articles/{article['id']}").json()["text"]
        assert article["spans"], "each report keeps the spans of its fields"
        for span in article["spans"].values():   # spans index into the stored text
            assert text[span["start"]:span["end"]] == span["text"]
        assert article["reports"][0]["evidence"] == article["evidence"]


def test_article_returns_its_stored_text(client):
    konduga = by_country(client, "NG")
    body = client.get(f"/api/articles/{konduga['article_ids'][0]}").json()
    assert body == {"id": konduga["article_ids"][0], "title": "Report from Sahel Monitor", "source": "Sahel Monitor",
                    "url": "https://news.example.org/2", "published": "2024-05-13", "text": ARTICLES[2][0]}


def test_daily_stats_count_events_and_fatalities_per_day(client):
    body = client.get("/api/stats/daily").json()
    assert body["days"] == [
        {"date": "2024-03-05", "events": 1, "fatalities": 3},
        {"date": "2024-05-12", "events": 1, "fatalities": 12},
        {"date": "2024-06-07", "events": 1, "fatalities": 0},
    ]
    assert body["total"] == {"events": 3, "fatalities": 15}
    filtered = client.get("/api/stats/daily?country=UA").json()
    assert [d["date"] for d in filtered["days"]] == ["2024-03-05"]
    assert client.get("/api/stats/daily?limit=5").status_code == 400


def test_stored_markup_comes_back_as_json_text_never_html(client):
    response = client.get("/api/articles/xss-article")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert b"<script>" not in response.content and b"\\u003cscript\\u003e" in response.content
    body = response.json()
    assert XSS in body["text"] and body["title"] == f"Title {XSS}" and "& the harvest" in body["text"]


# ----------------------------------------------------------------------------- ingest and keys

def test_ingest_stores_extracts_merges_and_is_idempotent(store):
    app = create_app(store, api_key=API_KEY)
    with TestClient(app) as client:
        payload = {"articles": [{"id": "kharkiv-1", "title": "Missile hits Kharkiv", "published": "2024-04-02",
                                 "source": "Kharkiv Today", "url": "https://news.example.org/kharkiv",
                                 "text": NEW_ARTICLE}]}
        response = client.post("/api/ingest", json=payload, headers={"X-API-Key": API_KEY})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ok"] is True and body["stored"] == 1 and body["events"] == 1
        (article,) = body["articles"]
        assert article["id"] == "kharkiv-1" and article["status"] == "stored"
        (event,) = article["events"]
        assert event["location"] == "Kharkiv" and event["fatalities"] == 4 and event["event_date"] == "2024-04-01"
        assert event["corpus_event_id"]
        listed = client.get("/api/events?q=Kharkiv").json()["events"]
        assert [e["event_id"] for e in listed] == [event["corpus_event_id"]]

        again = client.post("/api/ingest", json=payload, headers={"X-API-Key": API_KEY}).json()
        assert again["stored"] == 0 and again["already_stored"] == 1
        assert again["articles"][0]["status"] == "already_stored"
        assert again["articles"][0]["events"][0]["corpus_event_id"] == event["corpus_event_id"]
        assert client.get("/api/events?q=Kharkiv").json()["total"] == 1


def test_ingest_stores_an_article_whose_huge_number_is_no_toll(tmp_path):
    """A 26-digit "toll" is not a count (stages.numbers): the article is stored with its event
    and no toll, never a 500."""
    db = open_store(tmp_path / "events.db")
    huge = "Gunmen killed 99999999999999999999999999 people in Kano, Nigeria on Monday, police said."
    try:
        with TestClient(create_app(db, api_key=API_KEY)) as client:
            response = client.post("/api/ingest", headers=KEY, json={"articles": [
                {"id": "huge", "text": huge, "published": "2024-03-04"},
                {"id": "kharkiv", "text": NEW_ARTICLE, "published": "2024-04-02"}]})
            assert response.status_code == 200, response.text
            stored = {a["id"]: a["events"] for a in response.json()["articles"]}
            assert [e["fatalities"] for e in stored["huge"]] == [0]
            assert client.get("/api/events").json()["total"] == 2
        assert db.failures() == []
    finally:
        db.close()


def test_ingest_is_disabled_without_a_configured_key(store):
    with TestClient(create_app(store)) as client:
        response = client.post("/api/ingest", json={"articles": [{"text": NEW_ARTICLE}]},
                               headers={"X-API-Key": API_KEY})
        assert response.status_code == 403 and "disabled" in response.json()["error"]


def test_read_key_closes_reading_to_clients_without_it(store):
    with TestClient(create_app(store, api_key=API_KEY, read_key=READ_KEY)) as client:
        assert client.get("/api/events").status_code == 401
        assert client.get("/api/events", headers={"X-API-Key": "wrong-key-xxxxxxxx"}).status_code == 403
        assert client.get("/api/events", headers={"X-API-Key": READ_KEY}).status_code == 200
        assert client.get("/api/events", headers={"X-API-Key": API_KEY}).status_code == 200
        assert client.get("/api/events.csv").status_code == 401
        assert client.get("/api/stats/daily").status_code == 401
        assert client.get("/api/articles/xss-article").status_code == 401
        health = client.get("/api/health").json()                  # liveness stays open, without counts
        assert health["ok"] is True and "counts" not in health
        assert "counts" in client.get("/api/health", headers={"X-API-Key": READ_KEY}).json()
        # the read key does not open ingest
        response = client.post("/api/ingest", json={"articles": [{"text": NEW_ARTICLE}]},
                               headers={"X-API-Key": READ_KEY})
        assert response.status_code == 403


def test_short_keys_are_refused(store):
    with pytest.raises(ConfigError, match="too short"):
        create_app(store, api_key="abc")


def test_body_size_limit_applies_with_and_without_content_length(store):
    with TestClient(create_app(store, api_key=API_KEY, max_body_bytes=200)) as client:
        big = {"articles": [{"text": "x " * 200}]}
        declared = client.post("/api/ingest", json=big, headers={"X-API-Key": API_KEY})
        assert declared.status_code == 413

        def chunks():
            for _ in range(10):
                yield b" " * 50

        streamed = client.post("/api/ingest", content=chunks(),
                               headers={"X-API-Key": API_KEY, "Content-Type": "application/json"})
        assert streamed.status_code == 413 and streamed.json()["error"].startswith("request body over 200")


def test_at_most_100_articles_per_request(client):
    response = client.post("/api/ingest", json={"articles": [{"text": NEW_ARTICLE}] * 101},
                           headers={"X-API-Key": API_KEY})
    assert response.status_code == 422 and "at most 100" in response.json()["error"]


# ----------------------------------------------------------------------------- one error shape

class BrokenStore:
    """A store whose queries fail unexpectedly."""

    url = "broken://"

    def count_events(self, filters):
        raise RuntimeError("disk on fire: /secret/path")

    def __getattr__(self, name):
        raise RuntimeError("disk on fire")


KEY = {"X-API-Key": API_KEY}

ERROR_CASES = [
    # status, method, url, headers, json body, raw body, text in the message
    (400, "GET", "/api/events?start=2024-02-30", {}, None, None, "start: '2024-02-30' is not a date"),
    (400, "GET", "/api/events?contry=UA", {}, None, None, "did you mean 'country'"),
    (400, "GET", "/api/events?bbox=1,2,3", {}, None, None, "bbox: '1,2,3' needs 4 numbers"),
    (400, "GET", "/api/events?min_fatalities=-1", {}, None, None, "min_fatalities: -1 is out of range"),
    (400, "GET", "/api/events?limit=0", {}, None, None, "limit: 0 is out of range"),
    (400, "GET", f"/api/events?offset={2**63}", {}, None, None, "offset: 9223372036854775808 is out of range"),
    (400, "GET", f"/api/events.csv?min_fatalities={2**63}", {}, None, None, "min_fatalities: 9223372036854775808 is"),
    (400, "GET", f"/api/stats/daily?min_fatalities={'9' * 5000}", {}, None, None, "(5000 digits) is out of range"),
    (400, "GET", "/api/events?event_type=shelling", {}, None, None, "event_type: 'shelling' is not an ACLED event type"),
    (400, "GET", "/api/events.geojson?ceasefire_violation=maybe", {}, None, None, "is not true or false"),
    (400, "GET", "/api/events.csv?start=2024-05-01&end=2024-04-01", {}, None, None, "is after end"),
    (400, "GET", "/api/stats/daily?country=UA&country=SY", {}, None, None, "more than once"),
    (401, "POST", "/api/ingest", {}, {"articles": [{"text": NEW_ARTICLE}]}, None, "X-API-Key"),
    (403, "POST", "/api/ingest", {"X-API-Key": "not-the-key-123"}, {"articles": [{"text": NEW_ARTICLE}]}, None,
     "not valid"),
    (404, "GET", "/api/events/0000000000000000", {}, None, None, "no event"),
    (404, "GET", "/api/articles/no-such-article", {}, None, None, "no article"),
    (404, "GET", "/api/no-such-route", {}, None, None, "not found"),
    (405, "DELETE", "/api/events", {}, None, None, "method not allowed"),
    (413, "POST", "/api/ingest", KEY, None, b"{" + b" " * 2_000_001 + b"}", "request body over"),
    (422, "POST", "/api/ingest", KEY, None, b"{not json", "not JSON"),
    (422, "POST", "/api/ingest", KEY, None, b"\xff\xfe", "not UTF-8"),
    (422, "POST", "/api/ingest", KEY, {"articles": []}, None, "articles"),
    (422, "POST", "/api/ingest", KEY, {"articles": [{"title": "no text"}]}, None, "text"),
    (422, "POST", "/api/ingest", KEY, {"articles": [{"text": 5}]}, None, "text"),
    (422, "POST", "/api/ingest", KEY, {"articles": [{"text": "x", "publised": "2024-01-01"}]}, None, "publised"),
    (422, "POST", "/api/ingest", KEY, {"articles": [{"text": NEW_ARTICLE, "published": "2024-13-45"}]}, None,
     "published"),
    (422, "POST", "/api/ingest", KEY, {"articles": [{"text": "   "}]}, None, "empty input"),
    (422, "POST", "/api/ingest", KEY, [1, 2], None, "bad ingest body"),
    (422, "POST", "/api/ingest", KEY, None, b'{"articles": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested"),
    (422, "POST", "/api/ingest", KEY, None, b'{"articles": [{"text": "Kano \\ud800 attack"}]}', "lone surrogate"),
    (422, "POST", "/api/ingest", KEY, None, b'{"articles": [{"text": "x", "source": "\\udfff"}]}', "source"),
    (422, "POST", "/api/ingest", KEY, None, b'{"articles": [{"id": ' + b"9" * 5000 + b', "text": "x"}]}',
     "too many digits"),
]


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"] and "\n" not in body["error"]
    assert isinstance(body["errors"], list)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    return body


@pytest.mark.parametrize(("status", "method", "url", "headers", "payload", "raw", "says"), ERROR_CASES,
                         ids=[f"{c[0]}-{c[2][:40]}-{i}" for i, c in enumerate(ERROR_CASES)])
def test_every_error_has_one_shape(client, status, method, url, headers, payload, raw, says):
    kwargs = {"headers": headers}
    if payload is not None:
        kwargs["json"] = payload
    if raw is not None:
        kwargs["content"] = raw
    body = assert_error_shape(client.request(method, url, **kwargs), status)
    assert says in body["error"]


def test_unexpected_errors_are_500_with_a_generic_message(caplog):
    with TestClient(create_app(BrokenStore()), raise_server_exceptions=False) as client:
        response = client.get("/api/events")
    body = assert_error_shape(response, 500)
    assert "internal server error" in body["error"] and "secret" not in response.text
    assert "disk on fire" in caplog.text   # logged for the operator


def test_422_errors_list_each_bad_article(client):
    response = client.post("/api/ingest", headers=KEY, json={"articles": [
        {"text": NEW_ARTICLE, "published": "yesterday"}, {"text": NEW_ARTICLE}, {"text": ""}]})
    body = assert_error_shape(response, 422)
    assert [e["loc"] for e in body["errors"]] == [["body", "articles", 0, "published"], ["body", "articles", 2, "text"]]


# ----------------------------------------------------------------------------- headers, docs, page

@pytest.mark.parametrize("url", ["/api/health", "/api/events", "/api/events.csv", "/api/events.geojson",
                                 "/api/stats/daily", "/", "/openapi.json", "/api/missing"])
def test_security_headers_and_no_cors(client, url):
    response = client.get(url, headers={"Origin": "https://evil.example.com"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert "access-control-allow-origin" not in response.headers


def test_openapi_documents_every_route_and_filter(client):
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "EventWatch API" and schema["info"]["description"]
    assert set(schema["paths"]) == {"/api/health", "/api/events", "/api/events.geojson", "/api/events.csv",
                                    "/api/events/{event_id}", "/api/articles/{article_id}", "/api/stats/daily",
                                    "/api/ingest"}
    for path in ("/api/events", "/api/events.geojson", "/api/events.csv"):
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert set(params) == set(FILTER_KEYS)
        for key in FILTER_KEYS:
            assert params[key]["in"] == "query" and params[key]["description"].startswith(FILTER_HELP[key])
    stats = {p["name"] for p in schema["paths"]["/api/stats/daily"]["get"]["parameters"]}
    assert stats == set(FILTER_KEYS) - {"limit", "offset"}
    ingest_op = schema["paths"]["/api/ingest"]["post"]
    assert ingest_op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("IngestBody")
    assert "IngestBody" in schema["components"]["schemas"] and "ArticleIn" in schema["components"]["schemas"]
    # the documented error shape is ours, not FastAPI's default
    assert "HTTPValidationError" not in json.dumps(schema["paths"])
    assert schema["paths"]["/api/events"]["get"]["responses"]["400"]["content"]["application/json"]["schema"][
        "$ref"].endswith("ErrorBody")


def test_root_points_to_the_docs_without_the_map_page(store, monkeypatch, tmp_path):
    monkeypatch.setattr(web_app, "INDEX", tmp_path / "missing.html")
    monkeypatch.setattr(web_app, "STATIC", tmp_path / "missing")
    with TestClient(create_app(store)) as client:
        body = client.get("/").json()
        assert body["docs"] == "/docs"
        assert client.get("/static/eventwatch.js").status_code == 404


def test_root_serves_the_map_page_when_installed(store, monkeypatch, tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<!doctype html><title>map</title>", encoding="utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.js").write_text("console.log(1);", encoding="utf-8")
    monkeypatch.setattr(web_app, "INDEX", page)
    monkeypatch.setattr(web_app, "STATIC", tmp_path / "static")
    with TestClient(create_app(store)) as client:
        response = client.get("/")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        assert "<title>map</title>" in response.text
        assert client.get("/static/app.js").text == "console.log(1);"
