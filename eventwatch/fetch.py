"""Fetch article pages listed in a file, for users with a network.

One URL per line; blank lines and lines starting with ``#`` are skipped.  Each
page is fetched with httpx (redirects followed, the declared character set
honoured) and turned into an ``Article`` by the same code that reads HTML
files (``readers.html_page_result``), with ``url`` set to the final address.

Nothing here raises once the URL file is open: a bad line, a network error, a
timeout, an HTTP error status, a content type that is not a page, or a body
over the size limit each come back as a ``ReadResult`` with an ``error``
naming the line and the URL, and the run goes on.  ``where`` is
``urls.txt:LINE``.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx

from eventwatch.errors import InputError
from eventwatch.readers import (
    ReadResult,
    decode_utf8,
    detect_format,
    html_page_result,
    plain_text_result,
)

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_USER_AGENT", "fetch_urls"]

DEFAULT_USER_AGENT = "EventWatch/0.1 (+offline news event extraction)"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
_MAX_REDIRECTS = 10


def _show(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _check_url(line: str) -> str | None:
    """Why ``line`` is not a fetchable web address, or None when it is one."""
    if any(ch.isspace() for ch in line):
        return "contains spaces"
    try:
        url = httpx.URL(line)
    except (httpx.InvalidURL, ValueError) as exc:
        return str(exc) or "cannot be parsed"
    if url.scheme not in ("http", "https"):
        return (
            "is not an http:// or https:// address" if url.scheme else "has no http:// or https://"
        )
    if not url.host:
        return "has no host name"
    return None


def _open_url_file(url_file: str | Path) -> tuple[IO[bytes], bool]:
    if str(url_file) == "-":
        return sys.stdin.buffer, False
    try:
        return open(url_file, "rb"), True  # closed by the fetching generator
    except FileNotFoundError:
        raise InputError(f"cannot read {url_file}: no such file") from None
    except IsADirectoryError:
        raise InputError(
            f"cannot read {url_file}: it is a directory; pass a file with one URL per line"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read {url_file}: {exc.strerror or exc}") from None


def fetch_urls(
    url_file: str | Path,
    *,
    timeout: float = 20,
    user_agent: str = DEFAULT_USER_AGENT,
    max_bytes: int = 5_000_000,
) -> Iterator[ReadResult]:
    """Fetch every URL listed in ``url_file`` (``-`` for standard input) and
    read each page as an article, one ``ReadResult`` per URL line.

    ``timeout`` (seconds) bounds connecting, each read, and the whole download
    of one page.  Pages over ``max_bytes`` (after decompression) are refused.
    Raises ``InputError`` at once when ``url_file`` cannot be opened; nothing
    after that raises.
    """
    stream, close = _open_url_file(url_file)
    where = "<stdin>" if str(url_file) == "-" else str(url_file)
    return _fetch_all(stream, close, where, timeout, user_agent, max_bytes)


def _fetch_all(
    stream: IO[bytes],
    close: bool,
    where: str,
    timeout: float,
    user_agent: str,
    max_bytes: int,
) -> Iterator[ReadResult]:
    client = httpx.Client(
        follow_redirects=True,
        max_redirects=_MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": user_agent, "Accept": _ACCEPT},
    )
    try:
        for number, raw in enumerate(stream, 1):
            here = f"{where}:{number}"
            try:
                line = decode_utf8(raw.removeprefix(b"\xef\xbb\xbf"), here).strip()
            except InputError as exc:
                yield ReadResult(article=None, error=str(exc), where=here)
                continue
            if not line or line.startswith("#"):
                continue
            problem = _check_url(line)
            if problem:
                yield ReadResult(
                    article=None,
                    error=(
                        f"{here}: {_show(line)!r} is not a web address ({problem}): "
                        "give one http:// or https:// URL per line"
                    ),
                    where=here,
                )
                continue
            yield _fetch_one(client, line, here, timeout, max_bytes)
    finally:
        client.close()
        if close:
            stream.close()


def _content_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _fetch_one(
    client: httpx.Client, url: str, here: str, timeout: float, max_bytes: int
) -> ReadResult:
    def failed(message: str) -> ReadResult:
        return ReadResult(article=None, error=f"{here}: {url}: {message}", where=here)

    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            final = str(response.url)
            moved = f" (redirected to {final})" if final != url else ""
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                return failed(f"HTTP {response.status_code} {reason}{moved}")
            kind = _content_type(response)
            if kind and kind not in _HTML_TYPES + _TEXT_TYPES:
                return failed(
                    f"content type {kind} is not an HTML page or plain text{moved}; "
                    "EventWatch reads article pages (save other documents as text first)"
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                return failed(
                    f"page is {int(declared):,} bytes, more than the {max_bytes:,} allowed"
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    return failed(f"page is larger than the {max_bytes:,} bytes allowed")
                if time.monotonic() - started > timeout:
                    return failed(f"timed out after {timeout:g} s (download too slow)")
            charset = response.charset_encoding
    except httpx.TimeoutException:
        return failed(f"timed out after {timeout:g} s")
    except httpx.TooManyRedirects:
        return failed(f"more than {_MAX_REDIRECTS} redirects")
    except httpx.HTTPError as exc:  # connection refused, DNS failure, TLS, broken response
        detail = " ".join(str(exc).split()) or type(exc).__name__
        return failed(f"cannot fetch ({detail})")
    except (httpx.InvalidURL, httpx.StreamError, OSError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        return failed(f"cannot fetch ({detail})")

    data = bytes(body)
    logger.debug("%s: fetched %s (%s, %d bytes)", here, final, kind or "no content type", len(data))
    if not kind:  # no content type: sniff it
        kind = "text/html" if detect_format("-", None, data[:4096]) == "html" else "text/plain"
    if kind in _TEXT_TYPES:
        return plain_text_result(data, here, url=final, charset=charset, label=final)
    return html_page_result(data, here, url=final, charset=charset, label=final)
