"""The server's limits on a real uvicorn process: slow and idle clients, connections, Host names,
the npm files it serves; and what ``serve`` hands uvicorn."""

from __future__ import annotations

import logging
import os
import socket
import time
from urllib.parse import urlsplit

import pytest

httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from eventwatch.store import open_store  # noqa: E402
from eventwatch.web import app as web_app  # noqa: E402
from eventwatch.web.limits import HttpProtocol, allowed_hosts  # noqa: E402
from eventwatch.web.process import served  # noqa: E402

WAIT = 20.0  # seconds a test waits for the server to act, far above the 1 s timeout it is given


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = tmp_path_factory.mktemp("limits") / "events.db"
    open_store(db).close()
    values = {**os.environ, "EVENTWATCH_DB": str(db), "EVENTWATCH_API_KEY": "limits-test-key-0123"}
    for name in ("EVENTWATCH_READ_KEY", "EVENTWATCH_ALLOWED_HOSTS", "EVENTWATCH_CLIENT_TIMEOUT"):
        values.pop(name, None)
    return values


@pytest.fixture(scope="module")
def server(env):
    """A server that gives clients 1 s to send a request head and again a body."""
    with served("--log-level", "warning", "--timeout", "1", env=env, timeout=30) as base:
        yield base


def connect(base: str) -> socket.socket:
    parts = urlsplit(base)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=WAIT)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (socket.timeout if it never does)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


@pytest.mark.parametrize("sent", [b"", b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "],
                         ids=["silent", "unfinished-head"])
def test_a_client_that_does_not_finish_its_request_head_is_cut_off(server, sent):
    with connect(server) as sock:
        sock.sendall(sent)
        assert read_until_closed(sock) == b""


def test_an_idle_connection_after_a_response_is_closed(server):
    with connect(server) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 200")


def test_a_body_slower_than_the_timeout_gets_408_and_the_connection_closes(server):
    with connect(server) as sock:
        sock.sendall(b"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: limits-test-key-0123\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"articles\"")
        answer = read_until_closed(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408")
    assert b'"status":408' in body and b"did not arrive within 1 s" in body


def test_connections_past_the_limit_get_503(env):
    with served("--log-level", "warning", "--max-connections", "2", "--timeout", "60", env=env, timeout=30) as base:
        held = [connect(base) for _ in range(2)]
        try:
            time.sleep(0.5)  # (the server accepts them asynchronously)
            response = httpx.get(f"{base}/api/health", timeout=WAIT)
            assert response.status_code == 503
        finally:
            for sock in held:
                sock.close()
        assert httpx.get(f"{base}/api/health", timeout=WAIT).status_code == 200


def test_on_loopback_only_this_machines_names_are_served(env):
    extra = {**env, "EVENTWATCH_ALLOWED_HOSTS": "events.internal, Other.Example:8443"}
    with served("--log-level", "warning", env=extra, timeout=30) as base:
        port = urlsplit(base).port
        with httpx.Client(base_url=base, timeout=WAIT) as client:
            for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "events.internal",
                         "other.example"):
                assert client.get("/api/health", headers={"Host": host}).status_code == 200, host
            for host in ("attacker.example", f"attacker.example:{port}", "localhost.attacker.example", ""):
                response = client.get("/api/events", headers={"Host": host})
                assert response.status_code == 400, host
                body = response.json()
                assert body["ok"] is False and "EVENTWATCH_ALLOWED_HOSTS" in body["error"]


def test_vendor_serves_only_the_files_the_page_loads(server):
    with httpx.Client(base_url=server, timeout=WAIT) as client:
        page = client.get("/").text
        for path in ("/static/vendor/leaflet/dist/leaflet.js", "/static/vendor/uplot/dist/uPlot.iife.min.js",
                     "/static/vendor/world-atlas/countries-50m.json", "/static/vendor/leaflet/dist/images/layers.png"):
            assert client.get(path).status_code == 200, path
        assert "/static/vendor/leaflet/dist/leaflet.js" in page
        for path in ("/static/vendor/leaflet/package.json", "/static/vendor/commander/index.js",
                     "/static/vendor/.package-lock.json", "/static/vendor/leaflet/src/Leaflet.js",
                     "/static/vendor/leaflet/dist/../package.json", "/static/vendor/"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json()["status"] == 404


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize(("host", "warns"), [("0.0.0.0", True), ("::", True), ("127.0.0.1", False)])
def test_serve_warns_on_open_addresses_and_sets_the_limits(tmp_path, monkeypatch, caplog, workers, host, warns):
    ran = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options, app=app))
    for name in ("EVENTWATCH_CLIENT_TIMEOUT", "EVENTWATCH_DB", "EVENTWATCH_MAX_PAGE", "EVENTWATCH_LISTEN_HOST"):
        monkeypatch.setenv(name, "")  # (so that the test's end restores them, as serve sets them)
        monkeypatch.delenv(name)
    with caplog.at_level(logging.WARNING, logger="eventwatch.web"):
        web_app.serve(tmp_path / "events.db", host=host, workers=workers, max_connections=7, timeout=3)
    assert ("anyone who can reach this address" in caplog.text) is warns
    assert ran["http"] is HttpProtocol and ran["limit_concurrency"] == 7 and ran["timeout_keep_alive"] > 0
    assert os.environ["EVENTWATCH_CLIENT_TIMEOUT"] == "3.0"
    if workers > 1:
        assert os.environ["EVENTWATCH_LISTEN_HOST"] == host
    else:
        checked = any(m.cls.__name__ == "HostCheck" for m in ran["app"].user_middleware)
        assert checked is (allowed_hosts(host) is not None) is not warns
