"""The FastAPI application: routes from ``api.ROUTES``, one error shape, security headers, the map page.

    app = create_app(open_store("events.db"), api_key="...")      # an ASGI app
    serve("events.db", host="127.0.0.1", port=8000)                # the same, served by uvicorn

Every error, whatever raised it, is ``{"ok": false, "status", "error", "errors"}``;
every response carries ``X-Content-Type-Options: nosniff`` and a
Content-Security-Policy (``default-src 'self'``); no CORS headers are sent.
"""

from __future__ import annotations

import logging
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwatch.errors import ConfigError, EventwatchError, StoreError
from eventwatch.store.api import Store
from eventwatch.web.api import (
    KEY_HEADER,
    ApiError,
    EventApi,
    IngestBody,
    SafeJSONResponse,
    Settings,
    _one_line,
    add_routes,
    error_response,
)
from eventwatch.web.limits import (
    KEEP_ALIVE,
    MAX_CONNECTIONS,
    TIMEOUT_ENV,
    BodyDeadline,
    HostCheck,
    HttpProtocol,
    allowed_hosts,
    client_timeout,
    is_loopback,
)

logger = logging.getLogger("eventwatch.web")

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
INDEX = HERE / "templates" / "index.html"
NODE_MODULES = HERE / "node_modules"
# The files of node_modules the map page loads (templates/index.html, static/eventwatch.js, and the
# images leaflet.css names): /static/vendor/ serves these and nothing else of the npm tree.
VENDOR_FILES = frozenset({
    "leaflet/dist/leaflet.css", "leaflet/dist/leaflet.js",
    *(f"leaflet/dist/images/{name}.png" for name in ("layers", "layers-2x", "marker-icon", "marker-icon-2x",
                                                      "marker-shadow")),
    "leaflet.markercluster/dist/MarkerCluster.css", "leaflet.markercluster/dist/leaflet.markercluster.js",
    "topojson-client/dist/topojson-client.min.js",
    "uplot/dist/uPlot.min.css", "uplot/dist/uPlot.iife.min.js",
    "world-atlas/countries-50m.json",
})

# The map page and the API: only this origin, except map tiles the user turns on and inline styles.
CSP = ("default-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; "
       "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
       "form-action 'self'")
# FastAPI's /docs and /redoc load their scripts from a CDN and start them inline.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
            "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
            "https://cdn.redoc.ly; worker-src 'self' blob:; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")

DESCRIPTION = f"""
Conflict events extracted from news by EventWatch, in ACLED's vocabulary, from the
corpus store (`eventwatch ingest`).

* **Events**: `/api/events` (JSON pages), `/api/events.geojson`, `/api/events.csv`
  (ACLED columns) take the same filters as `eventwatch export` and reject bad
  values with the same one-line message (400).
* **Detail**: `/api/events/{{event_id}}` lists every source article with the
  evidence and character spans of its report; `/api/articles/{{article_id}}` gives
  the text the spans index into.
* **Ingest**: `POST /api/ingest` with the API key in `{KEY_HEADER}`.
* **Errors** all look alike: `{{"ok": false, "status": 400, "error": "one line", "errors": [...]}}`.

When the server has a read key, every `/api/` route but `/api/health` needs it
(or the API key) in `{KEY_HEADER}`.
"""


def _version() -> str:
    try:
        return version("eventwatch")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


_STATUS_TEXT = {400: "bad request", 401: "a key is needed", 403: "forbidden",
                404: "not found: see /docs for the routes", 405: "method not allowed for this route",
                408: "request body too slow", 413: "request body too large", 422: "bad request body"}


def _register_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> SafeJSONResponse:
        return error_response(error.status, error.message, error.errors, error.headers)

    @app.exception_handler(ConfigError)
    async def config_error(_: Request, error: ConfigError) -> SafeJSONResponse:
        return error_response(400, str(error), [{"loc": ["query"], "msg": _one_line(str(error))}])

    @app.exception_handler(StoreError)
    async def store_error(_: Request, error: StoreError) -> SafeJSONResponse:
        logger.error("store error: %s", error)
        return error_response(503, "the event store is unavailable; try again later")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> SafeJSONResponse:
        detail = error.detail if isinstance(error.detail, str) and error.detail else ""
        message = _STATUS_TEXT.get(error.status_code, detail or "error")
        if detail and error.status_code not in (404, 405):
            message = detail
        return error_response(error.status_code, message, headers=getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> SafeJSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in error.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return error_response(422, f"{where}: {first['msg']}" if where else first["msg"], errors)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> SafeJSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal server error; the server log has the details")


class SecurityMiddleware:
    """Adds the security headers to every response and turns any exception that escaped the
    routes into the 500 error shape (before FastAPI's plain-text default could answer)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path") in DOCS_PATHS else CSP
        added = [
            (b"x-content-type-options", b"nosniff"),
            (b"content-security-policy", csp.encode()),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        names = {name for name, _ in added}
        started = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + added}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await error_response(500, "internal server error; the server log has the details")(
                scope, receive, send_with_headers)


def create_app(store: Store, *, api_key: str | None = None, read_key: str | None = None,
               max_body_bytes: int = 2_000_000, max_page: int = 5000,
               allowed_hosts: frozenset[str] | None = None, body_timeout: float | None = None) -> FastAPI:
    """The EventWatch HTTP API over ``store`` (an ASGI app; serve it with uvicorn).

    ``api_key`` enables ``POST /api/ingest`` for clients that send it in the
    X-API-Key header (without it ingest answers 403).  ``read_key`` closes the
    read routes to clients without it (or the api key).  ``max_body_bytes``
    caps an ingest body (413 above it); ``max_page`` caps the events one request
    returns.  ``allowed_hosts`` (the names of ``limits.allowed_hosts``) answers
    other Host headers 400; ``body_timeout`` answers 408 to a body slower than
    that many seconds (default ``limits.client_timeout()``).  The map page
    (``eventwatch/web/templates/index.html`` and ``eventwatch/web/static``) is
    served at ``/`` when it is installed.
    """
    for name, key in (("api_key", api_key), ("read_key", read_key)):
        if key is not None and len(key) < 8:
            raise ConfigError(f"{name} is too short: use at least 8 characters (e.g. `openssl rand -hex 16`)")
    if max_body_bytes < 1 or max_page < 1:
        raise ConfigError("max_body_bytes and max_page must be 1 or more")
    app = FastAPI(
        title="EventWatch API", version=_version(), description=DESCRIPTION,
        default_response_class=SafeJSONResponse,
        openapi_tags=[{"name": "events", "description": "Read the event corpus."},
                      {"name": "ingest", "description": "Add articles (needs the API key)."}],
    )
    settings = Settings(api_key=api_key, read_key=read_key, max_body_bytes=max_body_bytes, max_page=max_page)
    api = EventApi(store, settings)
    app.state.api = api
    app.state.store = store
    _register_errors(app)
    add_routes(app, api)
    app.openapi_schema = None
    _document_body(app)

    if INDEX.is_file():
        @app.get("/", include_in_schema=False)
        def index() -> FileResponse:
            return FileResponse(INDEX, media_type="text/html; charset=utf-8",
                                headers={"Cache-Control": "no-cache"})
    else:
        @app.get("/", include_in_schema=False)
        def index() -> dict[str, Any]:
            return {"ok": True, "name": "EventWatch API", "docs": "/docs", "openapi": "/openapi.json",
                    "events": "/api/events"}
    if STATIC.is_dir():
        _add_vendor_route(app)
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyDeadline, timeout=client_timeout(body_timeout))
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=allowed_hosts)
    app.add_middleware(SecurityMiddleware)
    return app


def _add_vendor_route(app: FastAPI) -> None:
    """/static/vendor/: the VENDOR_FILES of node_modules, 404 for anything else there."""

    @app.get("/static/vendor/{path:path}", include_in_schema=False)
    def vendor(path: str) -> Response:
        if path not in VENDOR_FILES or not (NODE_MODULES / path).is_file():
            raise StarletteHTTPException(404)
        return FileResponse(NODE_MODULES / path, headers={"Cache-Control": "public, max-age=3600"})


def _document_body(app: FastAPI) -> None:
    """Put the IngestBody schema into the OpenAPI components (the handler reads its body itself)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            defs = IngestBody.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(defs.pop("$defs", {}))
            components["IngestBody"] = defs
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# ----------------------------------------------------------------------------- serving

LISTEN_ENV = "EVENTWATCH_LISTEN_HOST"


def app_from_env() -> FastAPI:
    """An app over the store named by $EVENTWATCH_DB (else the default store), keys from
    $EVENTWATCH_API_KEY and $EVENTWATCH_READ_KEY, the Host check for the address in
    $EVENTWATCH_LISTEN_HOST (none when unset): the uvicorn factory
    (``python -m uvicorn --factory eventwatch.web.app:app_from_env``)."""
    from eventwatch.store import open_store

    store = open_store(os.environ.get("EVENTWATCH_DB") or None)
    listen = os.environ.get(LISTEN_ENV)
    return create_app(store, api_key=os.environ.get("EVENTWATCH_API_KEY") or None,
                      read_key=os.environ.get("EVENTWATCH_READ_KEY") or None,
                      max_page=int(os.environ.get("EVENTWATCH_MAX_PAGE") or 5000),
                      allowed_hosts=allowed_hosts(listen) if listen else None)


def serve(db: str | Path | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          api_key: str | None = None, read_key: str | None = None, max_page: int = 5000,
          max_body_bytes: int = 2_000_000, log_level: str = "info", workers: int = 1,
          max_connections: int = MAX_CONNECTIONS, timeout: float | None = None) -> None:
    """Open the store at ``db`` and serve the API with uvicorn until interrupted.

    Keys default to $EVENTWATCH_API_KEY and $EVENTWATCH_READ_KEY (better than a
    command-line option, which other users can read in the process list).
    A client has ``timeout`` seconds (default $EVENTWATCH_CLIENT_TIMEOUT, else 10) to
    send a request head and again its body; past ``max_connections`` open connections
    per worker, requests get 503.  On a loopback address only Host headers naming this
    machine (or listed in $EVENTWATCH_ALLOWED_HOSTS) are answered.
    """
    import uvicorn

    from eventwatch.store import open_store

    if max_connections < 1:
        raise ConfigError("max_connections must be 1 or more")
    # The protocol reads the timeout from the environment, in this process and in every worker.
    os.environ[TIMEOUT_ENV] = str(client_timeout(timeout))
    read_key = read_key or os.environ.get("EVENTWATCH_READ_KEY") or None
    if not is_loopback(host):
        logger.warning("serving on %s: anyone who can reach this address can read the events%s", host,
                       "" if read_key else " (set EVENTWATCH_READ_KEY to require a key)")
    options: dict[str, Any] = dict(
        host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False,
        access_log=log_level == "debug", http=HttpProtocol, timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=max_connections)
    if workers > 1:  # worker processes each open the store themselves, through the environment
        os.environ.update({"EVENTWATCH_MAX_PAGE": str(max_page), LISTEN_ENV: host})
        if db is not None:
            os.environ["EVENTWATCH_DB"] = str(db)
        for name, key in (("EVENTWATCH_API_KEY", api_key), ("EVENTWATCH_READ_KEY", read_key)):
            if key:
                os.environ[name] = key
        open_store(db).close()  # fail here, with a clear message, rather than in every worker
        uvicorn.run("eventwatch.web.app:app_from_env", factory=True, workers=workers, **options)
        return
    store = open_store(db)
    try:
        app = create_app(store, api_key=api_key or os.environ.get("EVENTWATCH_API_KEY") or None,
                         read_key=read_key, max_page=max_page, max_body_bytes=max_body_bytes,
                         allowed_hosts=allowed_hosts(host))
        uvicorn.run(app, **options)
    finally:
        store.close()


__all__ = ["CSP", "EventwatchError", "SafeJSONResponse", "app_from_env", "create_app", "error_response", "serve"]
