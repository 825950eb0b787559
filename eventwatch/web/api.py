"""The HTTP API's routes: one table (``ROUTES``) of handlers over one ``Store``.

Every event listing takes the filters of ``eventwatch.filters`` as query
parameters and parses them with ``parse_filter``, so a bad value gets the same
one-line message as on the command line (as a 400).  Event pages and GeoJSON are
spliced from the listings the store keeps (see ``EventApi._listed`` for where
they run); other handlers that touch the store are plain functions (FastAPI runs
them in its thread pool); the ingest handler reads its body itself (to enforce
the size limit while reading) and runs extraction and storage in the thread pool.
"""

from __future__ import annotations

import hmac
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import APIKeyHeader
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from eventwatch.deadline import time_limit_from_env
from eventwatch.errors import InputError
from eventwatch.export import geojson_feature, write_acled_csv
from eventwatch.filters import FILTER_HELP, FILTER_KEYS, parse_filter
from eventwatch.model import Article, Event
from eventwatch.readers import ReadResult, check_text, not_english_reason, parse_published
from eventwatch.store.api import (
    CorpusEvent,
    EventFilter,
    ListedEvent,
    NewArticle,
    Store,
    safe_json,
    split_sources,
)

logger = logging.getLogger("eventwatch.web")

KEY_HEADER = "X-API-Key"
DEFAULT_LIMIT = 100
MAX_ARTICLES = 100          # articles per POST /api/ingest
STREAM_CHUNK = 64 * 1024    # characters per streamed chunk

_key_header = APIKeyHeader(name=KEY_HEADER, auto_error=False,
                           description="The read key (when the server has one) or the ingest key.")


# ----------------------------------------------------------------------------- errors

class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped (\\u003c ...), so no stored text can ever read as markup."""

    def render(self, content: Any) -> bytes:
        return safe_json(content).encode("utf-8")


class ApiError(Exception):
    """An error with an HTTP status; the app turns it into the one error shape."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []
        self.headers = dict(headers or {})


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "error"


def error_response(status: int, message: str, errors: list[dict[str, Any]] | None = None,
                   headers: Mapping[str, str] | None = None) -> SafeJSONResponse:
    """The one error shape: ``{"ok": false, "status", "error" (one line), "errors"}``."""
    body = {"ok": False, "status": status, "error": _one_line(message), "errors": errors or []}
    return SafeJSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


# ----------------------------------------------------------------------------- documented shapes

def _encodable(value: str) -> str:
    """Text the store can write: no lone surrogate (JSON's \\ud800 escapes decode to one)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"holds a lone surrogate (\\u{ord(value[error.start]):04x} at character {error.start}), "
                         "which is no character: send the text as valid UTF-8") from None
    return value


Text = Annotated[str, AfterValidator(_encodable)]

class ErrorBody(BaseModel):
    """Every error response, whatever the status."""

    ok: bool = Field(False, description="Always false.")
    status: int = Field(description="The HTTP status, repeated.")
    error: str = Field(description="One line saying what went wrong and what to do.")
    errors: list[dict[str, Any]] = Field(default_factory=list,
                                         description="Details: objects with loc (where) and msg.")


class EventsPage(BaseModel):
    total: int = Field(description="Events matching the filters (limit and offset ignored).")
    limit: int = Field(description="The page size used (the limit asked for, capped at the server's maximum).")
    offset: int
    events: list[dict[str, Any]] = Field(description="Corpus events, newest first: every event field, "
                                         "article_ids and report_ids.")


class ArticleIn(BaseModel):
    """One article to ingest (the JSON Lines article format)."""

    model_config = ConfigDict(extra="forbid")

    id: Text | int | None = Field(None, description="Your id; default: a hash of url or text.")
    title: Text | None = None
    published: Text | None = Field(None, description="Publication date YYYY-MM-DD; anchors relative dates.")
    source: Text | None = Field(None, description="The outlet.")
    url: Text | None = None
    text: Text = Field(description="The article text (required; up to 200,000 characters are read).")


class IngestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES,
                                      description=f"1 to {MAX_ARTICLES} articles.")


def _error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    text = {400: "Bad filter value", 401: "Key missing", 403: "Key wrong or ingest disabled",
            404: "Not found", 413: "Body too large", 422: "Bad JSON body"}
    return {status: {"model": ErrorBody, "description": text[status]} for status in statuses}


# ----------------------------------------------------------------------------- the handlers

@dataclass
class Settings:
    api_key: str | None = None
    read_key: str | None = None
    max_body_bytes: int = 2_000_000
    max_page: int = 5000
    time_limit: float = field(default_factory=time_limit_from_env)  # seconds per ingested article


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class EventApi:
    """The handlers of ``ROUTES`` over one store."""

    store: Store
    settings: Settings
    _ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    # -- access

    def read_allowed(self, key: str | None) -> bool:
        if self.settings.read_key is None:
            return True
        return bool(key) and (_same(key, self.settings.read_key) or _same(key, self.settings.api_key))

    def require_read(self, key: str | None = Depends(_key_header)) -> None:
        if self.settings.read_key is None:
            return
        if not key:
            raise ApiError(401, f"this server needs a key to read: send it in the {KEY_HEADER} header",
                           headers={"WWW-Authenticate": KEY_HEADER})
        if not self.read_allowed(key):
            raise ApiError(403, f"the {KEY_HEADER} key is not valid for reading")

    def require_ingest(self, key: str | None = Depends(_key_header)) -> None:
        if self.settings.api_key is None:
            raise ApiError(403, "ingest is disabled on this server: start it with an API key "
                                "(EVENTWATCH_API_KEY) to accept articles")
        if not key:
            raise ApiError(401, f"ingest needs the API key in the {KEY_HEADER} header",
                           headers={"WWW-Authenticate": KEY_HEADER})
        if not _same(key, self.settings.api_key):
            raise ApiError(403, f"the {KEY_HEADER} key is not valid for ingest")

    # -- filters

    def filters(self, request: Request, *, paged: bool = True) -> EventFilter:
        """The EventFilter of the request's query string (400 for anything parse_filter rejects)."""
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key in values:
                raise ApiError(400, f"{key} is given more than once; give each filter once")
            values[key] = value
        if not paged:
            for key in ("limit", "offset"):
                if key in values:
                    raise ApiError(400, f"{key} does not apply to {request.url.path}: it counts every matching event")
        filters = parse_filter(values)  # ConfigError -> 400
        if paged:
            limit = min(filters.limit or DEFAULT_LIMIT, self.settings.max_page)
            filters = _replace(filters, limit=limit)
        return filters

    # -- routes

    def health(self, key: str | None = Depends(_key_header)) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": True, "store": store_kind(self.store)}
        if self.read_allowed(key):
            out["counts"] = store_counts(self.store)
            out["ingest"] = self.settings.api_key is not None
        return out

    async def events(self, request: Request) -> Response:
        filters = self.filters(request)
        found, total = await self._listed(filters)
        # The page is spliced from the listings the store rendered when it wrote each event
        # (markup-safe ASCII JSON): nothing is decoded or encoded again per request.
        head = safe_json({"total": total, "limit": filters.limit, "offset": filters.offset})
        return Response(f'{head[:-1]},"events":[{",".join(e.json for e in found)}]}}'.encode(),
                        media_type="application/json")

    async def events_geojson(self, request: Request) -> Response:
        filters = self.filters(request)
        found, total = await self._listed(filters)
        # Spliced in one go from the stored listings, with the same features as
        # `eventwatch export --format geojson` writes.
        features = ",".join(geojson_feature(e) for e in found)
        return Response(f'{{"type":"FeatureCollection","features":[{features}]}}'.encode(),
                        media_type="application/geo+json", headers={"X-Total-Count": str(total)})

    async def _listed(self, filters: EventFilter) -> tuple[list[ListedEvent], int]:
        """A page of stored listings (at most max_page) and the matching total.

        Indexed filters are answered in a few milliseconds, less than handing the work to a
        thread and back costs (and threads contend for the interpreter with the requests the
        event loop is reading), so they run inline; a full-text query can take a hundred
        times longer and goes to the thread pool so that it holds up no other request.
        """
        def read() -> tuple[list[ListedEvent], int]:
            found = list(self.store.query_listed(filters))
            return found, self._total(filters, len(found))

        return await run_in_threadpool(read) if filters.q else read()

    def _total(self, filters: EventFilter, found: int) -> int:
        """How many events match ``filters``, given a page of ``found``: counted only when the
        page does not already tell it (a first page shorter than the limit is everything)."""
        if filters.offset == 0 and found < (filters.limit or 0):
            return found
        return self.store.count_events(filters)

    def events_csv(self, request: Request) -> StreamingResponse:
        filters = self.filters(request)
        found = list(self.store.query_events(filters))
        total = self._total(filters, len(found))
        return _stream(write_acled_csv, found, "text/csv; charset=utf-8",
                       {"X-Total-Count": str(total),
                        "Content-Disposition": 'attachment; filename="eventwatch-events.csv"'})

    def event(self, event_id: str) -> dict[str, Any]:
        found = self.store.get_event(event_id)
        if found is None:
            raise ApiError(404, f"no event {event_id!r}: list events at /api/events",
                           [{"loc": ["path", "event_id"], "msg": "unknown event id"}])
        return event_detail(self.store, found)

    def article(self, article_id: str) -> dict[str, Any]:
        article = self.store.get_article(article_id)
        if article is None:
            raise ApiError(404, f"no article {article_id!r}",
                           [{"loc": ["path", "article_id"], "msg": "unknown article id"}])
        return {"id": article.id, "title": article.title, "source": article.source, "url": article.url,
                "published": article.published.isoformat() if article.published else None,
                "text": article.text}

    def stats_daily(self, request: Request) -> dict[str, Any]:
        filters = self.filters(request, paged=False)
        days, undated = daily_counts(self.store, filters)
        return {
            "days": days,
            "undated": undated,
            "total": {"events": sum(d["events"] for d in days) + undated["events"],
                      "fatalities": sum(d["fatalities"] for d in days) + undated["fatalities"]},
        }

    async def ingest(self, request: Request) -> dict[str, Any]:
        body = await _read_body(request, self.settings.max_body_bytes)
        results = parse_ingest_body(body)
        return await run_in_threadpool(self._ingest, results)

    def _ingest(self, results: list[ReadResult]) -> dict[str, Any]:
        from eventwatch.ingest import ingest

        recorder = _Recorder(self.store)
        with self._ingest_lock:  # one ingest at a time: each recomputes the clusters around its reports
            report = ingest(results, recorder, workers=1, time_limit=self.settings.time_limit)
        articles = []
        for result in results:
            item: dict[str, Any] = {"where": result.where, "warnings": list(result.warnings)}
            article = result.article
            item["id"] = article.id if article else None
            if result.error:
                item.update(status="failed", error=result.error, events=[])
            elif result.skip_reason:
                item.update(status="skipped", reason=result.skip_reason, events=[])
            elif article.id in recorder.failed:
                item.update(status="failed", error=recorder.failed[article.id], events=[])
            elif article.id in recorder.saved:
                item.update(status="stored", events=_with_clusters(self.store, article.id,
                                                                   recorder.saved[article.id]))
            else:
                item.update(status="already_stored", events=_with_clusters(self.store, article.id, None))
            articles.append(item)
        return {"ok": True, "read": report.read, "stored": report.stored,
                "already_stored": report.already_stored, "near_duplicates": report.near_duplicates,
                "failed": report.failed, "events": report.events, "seconds": round(report.seconds, 3),
                "articles": articles}


def _replace(filters: EventFilter, **changes: Any) -> EventFilter:
    values = {name: getattr(filters, name) for name in FILTER_KEYS}
    values.update(changes)
    return EventFilter(**values)


# ----------------------------------------------------------------------------- the route table

@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: str                  # EventApi method name
    summary: str
    description: str
    filters: tuple[str, ...] = () # documented query parameters (parse_filter keys)
    access: str = "read"          # read | ingest | open
    errors: tuple[int, ...] = ()
    media_type: str | None = None # a non-JSON response


_PAGED = FILTER_KEYS
_UNPAGED = tuple(k for k in FILTER_KEYS if k not in ("limit", "offset"))

ROUTES: tuple[Route, ...] = (
    Route("GET", "/api/health", "health", "Service health",
          "ok, the store's kind and (with read access) how many events, articles, reports and failures "
          "it holds.", access="open"),
    Route("GET", "/api/events", "events", "Events (JSON page)",
          "Corpus events matching the filters, newest first, as a page: total, limit, offset, events.",
          _PAGED, errors=(400,)),
    Route("GET", "/api/events.geojson", "events_geojson", "Events as GeoJSON",
          "The same events as a GeoJSON FeatureCollection (Point [longitude, latitude]; properties are the "
          "event fields with sources and article_ids), streamed. X-Total-Count gives the matching total.",
          _PAGED, errors=(400,), media_type="application/geo+json"),
    Route("GET", "/api/events.csv", "events_csv", "Events as ACLED CSV",
          "The same events in ACLED's columns and order (eventwatch export --format acled-csv), streamed.",
          _PAGED, errors=(400,), media_type="text/csv"),
    Route("GET", "/api/events/{event_id}", "event", "One event with its sources",
          "The event's fields, its evidence sentences and every source article (id, title, source, url, "
          "published) with that article's report: evidence, spans into the article text, date, toll.",
          errors=(404,)),
    Route("GET", "/api/articles/{article_id:path}", "article", "One stored article",
          "title, source, url, published and the text (as stored; spans index into it).", errors=(404,)),
    Route("GET", "/api/stats/daily", "stats_daily", "Events and fatalities per day",
          "For charts: per event date, how many events match the filters and their fatalities; undated "
          "events are counted apart.", _UNPAGED, errors=(400,)),
    Route("POST", "/api/ingest", "ingest", "Ingest articles",
          f"Extract, store and merge up to {MAX_ARTICLES} articles (JSON, within the server's body limit). "
          f"Needs the API key in {KEY_HEADER}; disabled (403) when the server has none. Idempotent: an "
          "article already stored changes nothing. Returns the events found in each article.",
          access="ingest", errors=(401, 403, 413, 422)),
)


def filter_parameters(keys: tuple[str, ...], *, max_page: int) -> list[dict[str, Any]]:
    """The OpenAPI description of ``keys`` as query parameters.  Documentation only: the
    handlers parse them with ``EventApi.filters``, so FastAPI need not validate them too."""
    params = []
    for key in keys:
        text = FILTER_HELP[key]
        if key == "limit":
            text += f" Here: {DEFAULT_LIMIT} by default, at most {max_page:,} per request (more is capped)."
        params.append({"name": key, "in": "query", "required": False, "description": text,
                       "schema": {"type": "string"}})
    return params


def add_routes(app: Any, api: EventApi) -> None:
    """Add every route of ROUTES to the FastAPI ``app``."""
    for route in ROUTES:
        dependencies = []
        if route.access == "read":
            dependencies.append(Depends(api.require_read))
        elif route.access == "ingest":
            dependencies.append(Depends(api.require_ingest))
        responses: dict[int | str, dict[str, Any]] = _error_responses(*route.errors, 422)
        if route.access == "read":
            responses.update(_error_responses(401, 403))
        if route.handler == "events":
            responses[200] = {"model": EventsPage, "description": "A page of events"}
        if route.media_type:
            responses[200] = {"content": {route.media_type: {}}, "description": "Streamed file"}
        extra: dict[str, Any] = {}
        if route.filters:
            extra["parameters"] = filter_parameters(route.filters, max_page=api.settings.max_page)
        if route.handler == "ingest":
            extra["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/IngestBody"}}}}
        app.add_api_route(
            route.path, getattr(api, route.handler), methods=[route.method], summary=route.summary,
            description=route.description, dependencies=dependencies, responses=responses,
            name=route.handler, openapi_extra=extra or None, response_model=None,
            tags=["ingest" if route.access == "ingest" else "events"],
        )


# ----------------------------------------------------------------------------- ingest bodies

async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    too_big = f"request body over {limit:,} bytes: send fewer articles per request"
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "Content-Length is not a number")
        if int(declared) > limit:
            raise ApiError(413, too_big)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _loc(parts: Iterable[Any]) -> list[Any]:
    return ["body", *parts]


def parse_ingest_body(body: bytes) -> list[ReadResult]:
    """The articles of an ingest body as ReadResults; ApiError 422 listing every problem."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(422, "the body is not UTF-8: send JSON encoded as UTF-8") from None
    except json.JSONDecodeError as error:
        raise ApiError(422, f"the body is not JSON: {error.msg} at line {error.lineno} column {error.colno}",
                       [{"loc": ["body"], "msg": error.msg}]) from None
    except RecursionError:
        raise ApiError(422, 'the body is nested too deeply: send {"articles": [{"text": ...}]}',
                       [{"loc": ["body"], "msg": "nested too deeply"}]) from None
    except ValueError:  # int() refuses a number of thousands of digits
        raise ApiError(422, "the body holds a number with too many digits: send ids as strings",
                       [{"loc": ["body"], "msg": "number with too many digits"}]) from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list) and len(data["articles"]) > MAX_ARTICLES:
        raise ApiError(422, f"{len(data['articles'])} articles in one request; send at most {MAX_ARTICLES}",
                       [{"loc": ["body", "articles"], "msg": f"at most {MAX_ARTICLES} articles"}])
    try:
        parsed = IngestBody.model_validate(data, strict=True)
    except ValidationError as error:
        errors = [{"loc": _loc(e["loc"]), "msg": e["msg"]} for e in error.errors(include_input=False)]
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "body"
        raise ApiError(422, f'bad ingest body: {where}: {first["msg"]} (expected {{"articles": [{{"text": ...}}]}})',
                       errors) from None
    results: list[ReadResult] = []
    errors = []
    for index, item in enumerate(parsed.articles):
        where = f"articles[{index}]"
        try:
            results.append(_read_result(item, where))
        except InputError as error:
            field_name = "published" if '"published"' in str(error) or ".published" in str(error) else "text"
            errors.append({"loc": ["body", "articles", index, field_name], "msg": str(error)})
    if errors:
        raise ApiError(422, f"{len(errors)} of {len(parsed.articles)} articles are invalid: {errors[0]['msg']}",
                       errors)
    return results


def _read_result(item: ArticleIn, where: str) -> ReadResult:
    text, warnings = check_text(item.text, where)
    published = parse_published(item.published, label=f"{where}.published")

    def clean(value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    article = Article(
        text=text, id=str(item.id).strip() if item.id is not None else "", title=clean(item.title),
        published=published, source=clean(item.source), url=clean(item.url),
    )
    skip = not_english_reason(text, where)
    if skip:
        warnings.append(skip)
    return ReadResult(article=article, error=None, where=where, warnings=warnings, skip_reason=skip)


class _Recorder:
    """The store, recording which articles an ingest saved (with their events) and which failed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.saved: dict[str, list[Event]] = {}
        self.failed: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def save_articles(self, items: Sequence[NewArticle]) -> list[bool]:
        stored = self._store.save_articles(items)
        for item, saved in zip(items, stored, strict=True):
            if saved:
                self.saved[item.article.id] = list(item.events)
        return stored

    def record_failure(self, where: str, stage: str, message: str) -> None:
        self._store.record_failure(where, stage, message)
        self.failed[where] = message


# ----------------------------------------------------------------------------- streaming

class _Cancelled(Exception):
    pass


class _ChunkStream:
    """A text stream whose writes travel to another thread in chunks through a bounded queue."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=8)
        self.cancelled = threading.Event()
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        if self.cancelled.is_set():
            raise _Cancelled
        self._parts.append(text)
        self._size += len(text)
        if self._size >= STREAM_CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            self.put("data", "".join(self._parts).encode("utf-8"))
            self._parts, self._size = [], 0

    def put(self, kind: str, value: Any) -> None:
        while True:
            if self.cancelled.is_set():
                raise _Cancelled
            try:
                self.queue.put((kind, value), timeout=0.5)
                return
            except queue.Full:
                continue


def _stream(writer: Callable[[Iterable[CorpusEvent], Any], int], events: Iterable[CorpusEvent],
            media_type: str, headers: dict[str, str]) -> StreamingResponse:
    """Run ``writer(events, stream)`` in a thread and stream what it writes."""

    def chunks() -> Iterator[bytes]:
        stream = _ChunkStream()

        def produce() -> None:
            try:
                writer(events, stream)
                stream.flush()
                stream.put("end", None)
            except _Cancelled:
                pass
            except Exception as error:  # handed to the response, which aborts the connection
                try:
                    stream.put("error", error)
                except _Cancelled:
                    pass

        thread = threading.Thread(target=produce, name="eventwatch-stream", daemon=True)
        thread.start()
        try:
            while True:
                kind, value = stream.queue.get()
                if kind == "data":
                    yield value
                elif kind == "end":
                    return
                else:
                    raise value
        finally:
            stream.cancelled.set()
            thread.join(timeout=5)

    return StreamingResponse(chunks(), media_type=media_type, headers=headers)


# ----------------------------------------------------------------------------- store helpers
#
# The Store protocol has no aggregate or report look-ups yet; the SQL stores get
# one query each, any other store the same answer the slow way.

def _sql_store(store: Any) -> Any:
    from eventwatch.store.base import SQLStore

    return store if isinstance(store, SQLStore) else None


def store_kind(store: Any) -> str:
    dialect = getattr(store, "dialect", None)
    if dialect:
        return "postgresql" if dialect == "postgres" else dialect
    return type(store).__name__


def store_counts(store: Store) -> dict[str, int]:
    sql = _sql_store(store)
    if sql is None:
        return {"events": store.count_events(EventFilter()), "failures": len(store.failures())}
    counts = {}
    with sql._tx(write=False) as tx:
        for table in ("events", "articles", "reports", "failures"):
            counts[table] = int(tx.execute(f"SELECT count(*) AS n FROM {table}").one()["n"])
    return counts


def daily_counts(store: Store, filters: EventFilter) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """([{date, events, fatalities}] by date, the undated {events, fatalities})."""
    sql = _sql_store(store)
    rows: list[tuple[Any, int, int]] = []
    if sql is not None:
        from eventwatch.store.base import filter_sql

        where, params = filter_sql(sql, filters)
        with sql._tx(write=False) as tx:
            found = tx.execute(f"SELECT event_date AS day, count(*) AS n, coalesce(sum(fatalities), 0) AS f "
                               f"FROM events WHERE {where} GROUP BY event_date ORDER BY event_date", params).rows()
        rows = [(r["day"], int(r["n"]), int(r["f"])) for r in found]
    else:
        totals: dict[Any, list[int]] = {}
        for corpus_event in store.query_events(filters):
            e = corpus_event.event
            entry = totals.setdefault(e.event_date, [0, 0])
            entry[0] += 1
            entry[1] += e.fatalities or 0
        rows = [(day, n, f) for day, (n, f) in totals.items()]
    days, undated = [], {"events": 0, "fatalities": 0}
    for day, n, f in rows:
        if day is None:
            undated = {"events": n, "fatalities": f}
        else:
            days.append({"date": day.isoformat() if isinstance(day, date) else str(day)[:10],
                         "events": n, "fatalities": f})
    days.sort(key=lambda d: d["date"])
    return days, undated


def _reports(store: Store, corpus_event: CorpusEvent) -> dict[str, Event]:
    wanted = set(corpus_event.report_ids)
    sql = _sql_store(store)
    if sql is not None:
        from eventwatch.store.base import REPORT_COLUMNS, report_from_row

        ids = sorted(wanted)
        with sql._tx(write=False) as tx:
            rows = tx.execute(f"SELECT {', '.join(REPORT_COLUMNS)} FROM reports WHERE report_id IN "
                              f"({', '.join('?' * len(ids))})", ids).rows() if ids else []
        return {row["report_id"]: report_from_row(row) for row in rows}
    return {r.event_id: r for r in store.reports_near([corpus_event.event], days=2) if r.event_id in wanted}


def _with_clusters(store: Store, article_id: str, events: list[Event] | None) -> list[dict[str, Any]]:
    """An article's reports as dicts, each with the corpus event it was merged into (corpus_event_id)."""
    sql = _sql_store(store)
    clusters: dict[str, str | None] = {}
    if sql is not None:
        from eventwatch.store.base import REPORT_COLUMNS, report_from_row

        with sql._tx(write=False) as tx:
            rows = tx.execute(f"SELECT {', '.join(REPORT_COLUMNS)} FROM reports WHERE article_id = ? "
                              "ORDER BY report_id", [article_id]).rows()
        clusters = {row["report_id"]: row["cluster_id"] for row in rows}
        if events is None:
            events = [report_from_row(row) for row in rows]
    out = []
    for event in events or []:
        item = event.to_dict()
        item["corpus_event_id"] = clusters.get(event.event_id)
        out.append(item)
    return out


def event_detail(store: Store, corpus_event: CorpusEvent) -> dict[str, Any]:
    """An event with its sources: each article's metadata and its report's evidence and spans."""
    out = corpus_event.to_dict()
    out["sources"] = split_sources(corpus_event.event.source)
    reports = _reports(store, corpus_event)
    by_article: dict[str, list[Event]] = {}
    for report in sorted(reports.values(), key=lambda r: r.event_id):
        by_article.setdefault(report.article_id, []).append(report)
    articles, evidence = [], []
    for article_id in corpus_event.article_ids:
        article = store.get_article(article_id)
        own = by_article.get(article_id, [])
        entry: dict[str, Any] = {
            "id": article_id,
            "title": article.title if article else None,
            "source": article.source if article else None,
            "url": article.url if article else None,
            "published": article.published.isoformat() if article and article.published else None,
            "evidence": own[0].evidence if own else None,
            "spans": {k: s.to_dict() for k, s in own[0].spans.items()} if own else {},
            "reports": [{
                "report_id": r.event_id, "evidence": r.evidence,
                "spans": {k: s.to_dict() for k, s in r.spans.items()},
                "event_date": r.event_date.isoformat() if r.event_date else None,
                "location": r.location, "fatalities": r.fatalities, "injuries": r.injuries,
                "confidence": r.confidence,
            } for r in own],
        }
        for r in own:
            if r.evidence and r.evidence not in evidence:
                evidence.append(r.evidence)
        articles.append(entry)
    out["evidence_sentences"] = evidence or ([corpus_event.event.evidence] if corpus_event.event.evidence else [])
    out["articles"] = articles
    return out


__all__ = ["ROUTES", "ApiError", "ErrorBody", "EventApi", "IngestBody", "Route", "Settings", "add_routes",
           "error_response"]
