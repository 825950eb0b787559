"""What the server gives a client, and no more: time to send a request, connections, host names.

* ``HttpProtocol`` (uvicorn's HTTP protocol, httptools or h11): a connection that has not sent a
  complete request head within the client timeout of opening, or of its last response, is
  closed.  uvicorn alone times out only idle keep-alive connections, so a client that connects
  and says nothing, or trickles a header a byte at a time, would hold its socket forever.
* ``BodyDeadline`` (ASGI): a request body not complete within the client timeout of its head
  is answered 408 and the connection closed.
* ``HostCheck`` (ASGI): on a loopback address, only requests naming this machine in their Host
  header are served (400 otherwise), so a web page whose domain was re-pointed at 127.0.0.1
  (DNS rebinding) cannot read the store through a visitor's browser.

Past ``MAX_CONNECTIONS`` open connections uvicorn answers 503 (its ``limit_concurrency``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
from collections.abc import Iterable
from typing import Any

from eventwatch.errors import ConfigError
from eventwatch.web.api import ApiError, error_response

try:  # uvicorn's faster parser when installed (uvicorn[standard]), as uvicorn itself chooses
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _UvicornProtocol
except ImportError:  # pragma: no cover - without httptools
    from uvicorn.protocols.http.h11_impl import H11Protocol as _UvicornProtocol  # type: ignore[assignment]

CLIENT_TIMEOUT = 10.0   # seconds to send a request head, and again its body
KEEP_ALIVE = 5          # seconds an idle keep-alive connection is kept (uvicorn's default)
MAX_CONNECTIONS = 200   # open connections (per worker) before new requests get 503

TIMEOUT_ENV = "EVENTWATCH_CLIENT_TIMEOUT"
ALLOWED_HOSTS_ENV = "EVENTWATCH_ALLOWED_HOSTS"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def client_timeout(value: float | str | None = None) -> float:
    """The client timeout: ``value``, else $EVENTWATCH_CLIENT_TIMEOUT, else CLIENT_TIMEOUT."""
    value = os.environ.get(TIMEOUT_ENV) if value is None else value
    if value is None or value == "":
        return CLIENT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"client timeout {value!r} is not a number of seconds") from None
    if not 0 < seconds <= 3600:
        raise ConfigError(f"client timeout {value!r} must be more than 0 and at most 3600 seconds")
    return seconds


class HttpProtocol(_UvicornProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP protocol with a deadline for each request head (see the module doc).

    The timeout comes from $EVENTWATCH_CLIENT_TIMEOUT, which ``serve`` sets: uvicorn builds
    one protocol per connection from its class, in every worker process."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._head_timeout = client_timeout()
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self._head_timeout, self._head_deadline)

    def _head_deadline(self) -> None:
        waiting = self.cycle is None or self.cycle.response_complete  # no request under way
        if waiting and not self.transport.is_closing():
            self.transport.close()


class BodyDeadline:
    """ASGI middleware: the request body must be complete within ``timeout`` seconds of its head."""

    def __init__(self, app: Any, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        complete = False

        async def receive_in_time() -> dict[str, Any]:
            nonlocal complete
            if complete:  # (after the body, receive waits for the client to go: no deadline)
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
            except TimeoutError:
                raise ApiError(408, f"the request body did not arrive within {self.timeout:g} s; "
                                    "send it at once", headers={"Connection": "close"}) from None
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, receive_in_time, send)


def is_loopback(host: str) -> bool:
    """Whether a listening address is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(listen_host: str, extra: str | None = None) -> frozenset[str] | None:
    """The Host names a server listening on ``listen_host`` answers: on loopback, this machine's
    names and those in ``extra`` (default $EVENTWATCH_ALLOWED_HOSTS, comma-separated); None
    (any name) on other addresses."""
    if not is_loopback(listen_host):
        return None
    extra = os.environ.get(ALLOWED_HOSTS_ENV, "") if extra is None else extra
    names = [listen_host, *LOOPBACK_NAMES, *extra.split(",")]
    return frozenset(n for n in (_host_name(name) for name in names) if n)


def _host_name(host: str) -> str:
    """The name of a Host header value or address: lower case, without port or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostCheck:
    """ASGI middleware: 400 for a request whose Host header is not one of ``allowed``."""

    def __init__(self, app: Any, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(_host_name(h) for h in allowed)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), "")
            if _host_name(given) not in self.allowed:
                message = (f"this server answers only to {', '.join(sorted(self.allowed))} in the Host header, "
                           f"not {given[:100]!r}; to serve another name set {ALLOWED_HOSTS_ENV}")
                await error_response(400, message, headers={"Connection": "close"})(scope, receive, send)
                return
        await self.app(scope, receive, send)


__all__ = ["CLIENT_TIMEOUT", "KEEP_ALIVE", "MAX_CONNECTIONS", "BodyDeadline", "HostCheck", "HttpProtocol",
           "allowed_hosts", "client_timeout", "is_loopback"]
