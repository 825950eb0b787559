"""Turn whatever the user hands us into ``Article`` records.

Five input forms are understood:

* plain text (``.txt``/``.text``): the whole file is one article;
* an HTML page (``.html``/``.htm``): the article body is pulled out of the
  page with trafilatura, with its title and publication date;
* JSON Lines (``.jsonl``/``.ndjson``/``.json``): one article object per line,
  in the format of ``shared/eval/GOLD_FORMAT.md`` (``events`` is ignored);
* CSV (``.csv``): one article per row under a header naming the columns
  ``text`` (required), ``title``, ``published``, ``source``, ``url`` and ``id``;
* RSS 2.0 / Atom feeds (``.rss``/``.atom``/``.xml``): one article per item,
  its text taken from the item's content, description or summary.

``-`` stands for standard input, whose form is sniffed from its first bytes.
A whole corpus (files and folders) is read with :func:`read_many`.

Problems with the input as a whole (a missing file, a directory) raise
``InputError`` as soon as :func:`read_inputs` is called.  Problems with one
article (empty, binary, not UTF-8, a malformed JSON line) come back as a
``ReadResult`` whose ``error`` says what is wrong and what to do, so a batch
carries on with the rest.  Nothing here prints; diagnostics go to logging.
"""

from __future__ import annotations

import codecs
import csv
import email.utils
import io
import itertools
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import IO, Any

from eventwatch.errors import ConfigError, InputError
from eventwatch.model import Article
from eventwatch.repair import repair_text

logger = logging.getLogger(__name__)

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MAX_CHARS",
    "MAX_CSV_FIELD",
    "MAX_FEED_BYTES",
    "MAX_HTML_BYTES",
    "MAX_INPUT_BYTES",
    "MAX_JSONL_LINE_BYTES",
    "MIN_ARTICLE_WORDS",
    "ReadResult",
    "article_record_result",
    "check_text",
    "decode_utf8",
    "detect_format",
    "html_page_result",
    "html_to_text",
    "iter_paths",
    "jsonl_line_result",
    "not_english_reason",
    "parse_published",
    "plain_text_result",
    "read_inputs",
    "read_many",
    "without_surrogates",
]

#: Longest article text read; anything past it is cut at a paragraph or sentence end.
MAX_CHARS = 200_000
#: Largest slice of an HTML page handed to the extractor.
MAX_HTML_BYTES = 5_000_000
#: An HTML page whose extracted text is shorter than this holds no article.
MIN_ARTICLE_WORDS = 25

#: Largest feed file read (feeds are parsed whole).
MAX_FEED_BYTES = 50_000_000
#: Largest input stream read at all (a text or HTML file, standard input): past it the
#: input is refused, so that an endless stream (``yes``, ``/dev/zero``) ends.
MAX_INPUT_BYTES = 50_000_000
#: Longest JSON Lines line read (an article object with its text well past ``MAX_CHARS``).
MAX_JSONL_LINE_BYTES = 10_000_000
#: Largest CSV field (in characters) the csv module is allowed to read; longer
#: article texts are then cut to ``MAX_CHARS`` like any other.
MAX_CSV_FIELD = 50_000_000

FORMATS = ("txt", "html", "jsonl", "csv", "feed")
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
#: File extensions a folder walk keeps (see :func:`iter_paths`).
EXTENSIONS = frozenset(_EXTENSIONS)
_FORMAT_ALIASES = {
    "text": "txt",
    "htm": "html",
    "ndjson": "jsonl",
    "json": "jsonl",
    "rss": "feed",
    "atom": "feed",
    "xml": "feed",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_SNIFF_BYTES = 4096
_DATE_EXAMPLE = "give it as YYYY-MM-DD, e.g. 2021-06-01"
_STDIN = "<stdin>"

# Bytes read for text input: enough for MAX_CHARS characters of any UTF-8 text.
_MAX_TEXT_BYTES = MAX_CHARS * 4 + 3
_CHUNK = 1 << 20
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))
_UTF8_BOM = b"\xef\xbb\xbf"
# Lone UTF-16 surrogates: JSON's "\ud800" decodes to one, and no UTF-8 output can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")

# File signatures of common binary formats people pass by mistake.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable program"),
)
_UTF16_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Frequent English function words (and a few words every conflict report
# uses).  In English prose 30-50% of the words are among them; in other
# languages only the odd shared spelling turns up, which is why words that are
# also common French, Spanish, Portuguese, Italian or German words ("a", "no",
# "me", "on", "do", "i", "per", "an", "so") are left out.
_ENGLISH_LIST = """
    the of and to in is was for that with as by at from it its be been being
    were are has have had this these those which who whom whose what when where
    why how not but or if than then also there their they them he his him she
    her hers we our us you your my any all some many most more much other such
    only own same both each few very can could will would shall should may might
    must does did done into onto over under about after before between during
    through against among around across along behind beyond since until upon
    within without while because though although however whether said says say
    told according just still yet even again once here now off out up down away
    back well having two three four five one first last new another every near
    including several dozens least people killed wounded police government
"""
_ENGLISH_WORDS = frozenset(_ENGLISH_LIST.split())
_LANG_SAMPLE_WORDS = 2_000
_LANG_MIN_WORDS = 20
_LANG_MIN_SHARE = 0.05
# A word, or a single CJK/kana/hangul character (those scripts put no spaces between words).
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|[^\W\d_]+")


@dataclass(slots=True)
class ReadResult:
    """One article read from the input, or the reason it could not be read.

    ``where`` points at the input: a path, ``path:LINE`` for JSON Lines, or
    ``<stdin>``.  ``skip_reason`` is set when the article was read but should
    yield no events (e.g. it is not in English); it is repeated in ``warnings``.
    """

    article: Article | None
    error: str | None
    where: str
    warnings: list[str] = field(default_factory=list)
    skip_reason: str | None = None

    @property
    def ok(self) -> bool:
        """True when an article was read (it may still carry a ``skip_reason``)."""
        return self.article is not None and self.error is None


# --------------------------------------------------------------------------- dates


def _show(value: str, limit: int = 40) -> str:
    """A user-supplied value as it should appear in a one-line message."""
    if len(value) > limit:
        value = value[:limit] + "…"
    return value if value.isprintable() and value.strip() == value and value else repr(value)


def parse_published(
    value: str | None, *, label: str = "--published", today: date | None = None
) -> date | None:
    """Read a publication date given as ``YYYY-MM-DD`` (or a full ISO datetime).

    ``None`` or an empty string means "no date".  ``label`` names the value in
    error messages (the option, or ``file.jsonl:3: "published"``).  Raises
    ``InputError`` for anything that is not a real calendar date between 1900
    and one year from ``today``.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    shown = _show(value)
    head = re.match(r"(\d{4})-(\d{2})-(\d{2})(?=$|[T ])", text)
    if head is None:
        raise InputError(f"{label} {shown} is not a date: {_DATE_EXAMPLE}")
    try:
        day = date(int(head[1]), int(head[2]), int(head[3]))
    except ValueError:
        raise InputError(f"{label} {shown} is not a real date: {_DATE_EXAMPLE}") from None
    if len(text) > head.end():
        try:
            day = datetime.fromisoformat(text).date()
        except ValueError:
            raise InputError(
                f"{label} {shown} is not a date: {_DATE_EXAMPLE} "
                "(or as an ISO datetime, e.g. 2021-06-01T14:30:00Z)"
            ) from None
    if day.year < 1900:
        raise InputError(
            f"{label} {shown} is before 1900: give the article's publication date "
            "as YYYY-MM-DD, e.g. 2021-06-01"
        )
    latest = (today or date.today()) + timedelta(days=365)
    if day > latest:
        raise InputError(
            f"{label} {shown} is more than a year in the future: give the article's "
            "publication date as YYYY-MM-DD, e.g. 2021-06-01"
        )
    return day


# --------------------------------------------------------------------------- text checks


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _guess_encoding(data: bytes) -> str | None:
    """A likely 8-bit encoding for text that failed as UTF-8, or None."""
    high = sum(1 for b in data[:65536] if b >= 0x80)
    if high > 0.3 * min(len(data), 65536):
        return None  # too much non-ASCII for a Western 8-bit text; could be anything
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin1"
    return "windows-1252"


def _reject_binary(data: bytes, where: str) -> None:
    """Raise ``InputError`` when ``data`` is a known binary format or holds NUL bytes."""
    kind = _binary_kind(data)
    if kind:
        raise InputError(
            f"{where} is {kind}, not text: pass the article as plain text (.txt), "
            "an HTML page (.html) or JSON Lines (.jsonl)"
        )
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            raise InputError(
                f"{where} is {encoding.upper()} text, not UTF-8: convert it with "
                f"`iconv -f {encoding} -t utf-8`"
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"{where} looks like a binary file, not text (NUL byte at offset {nul}): "
            "pass the article as plain text (.txt), an HTML page (.html) or JSON Lines (.jsonl)"
        )


def decode_utf8(data: bytes, where: str, *, final: bool = True) -> str:
    """Decode UTF-8 bytes, or raise ``InputError`` saying what the bytes are instead.

    With ``final=False`` an incomplete character at the very end (a cut made
    by a size limit) is dropped instead of reported.  A BOM is kept; see
    :func:`check_text`.
    """
    _reject_binary(data, where)
    try:
        return codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=final)
    except UnicodeDecodeError as exc:
        encoding = _guess_encoding(data)
        how = (
            f"`iconv -f {encoding} -t utf-8`"
            if encoding
            else "`iconv -f ENCODING -t utf-8`, naming the file's character set"
        )
        raise InputError(
            f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            f"convert it with {how}"
        ) from None


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (an escape such as ``\\ud800`` in JSON, which names
    no character) replaced by U+FFFD, the replacement character: such text cannot be
    written as UTF-8, to a store, a terminal or a file."""
    return _SURROGATE.sub("\ufffd", text)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f")
    return controls > 0.05 * len(sample)


def _cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, ending at a paragraph,
    sentence, line or word boundary when one lies in the last half."""
    head = text[:limit]
    floor = limit // 2
    paragraph = head.rfind("\n\n")
    if paragraph >= floor:
        return head[:paragraph].rstrip()
    sentence = max(
        head.rfind(mark) for mark in (". ", ".\n", "! ", "!\n", "? ", "?\n", '." ', ".” ")
    )
    if sentence >= floor:
        end = sentence + 1
        while end < len(head) and head[end] in "\"”'’)":
            end += 1
        return head[:end]
    for mark in ("\n", " "):
        pos = head.rfind(mark)
        if pos >= floor:
            return head[:pos].rstrip()
    return head


def check_text(
    text: str | bytes, where: str, *, total_chars: int | None = None
) -> tuple[str, list[str]]:
    """Validate one article text; return it (BOM stripped, cut to ``MAX_CHARS``,
    mojibake repaired by :func:`eventwatch.repair.repair_text`) with any warnings.  Raises ``InputError`` when there is no usable text.

    ``total_chars`` is the full length when the caller already stopped reading
    early, so the warning can report the real size.
    """
    if isinstance(text, bytes):
        text = decode_utf8(text, where)
    text = without_surrogates(text).removeprefix("\ufeff")
    if not text:
        raise InputError(f"empty input: {where} has no text; pass the article text")
    if text.isspace():
        raise InputError(f"empty input: {where} contains only whitespace; pass the article text")
    nul = text.find("\x00")
    if nul >= 0 or _looks_binary(text):
        at = f" (NUL character at offset {nul})" if nul >= 0 else ""
        raise InputError(
            f"{where} looks like binary data, not text{at}: pass the article text itself"
        )
    warnings: list[str] = []
    size = max(len(text), total_chars or 0)
    if size > MAX_CHARS:
        warnings.append(f"{where} is {size:,} characters; only the first {MAX_CHARS:,} are read")
        text = _cut(text, MAX_CHARS)
    return repair_text(text), warnings


def not_english_reason(text: str, where: str) -> str | None:
    """A message when ``text`` is clearly not English, else None.

    Looks at the first 2,000 words: if fewer than 5% of them are frequent
    English function words, the text is taken to be in another language.
    Texts under 20 words are not judged.
    """
    words = [m.group().lower() for m in itertools.islice(_WORD.finditer(text), _LANG_SAMPLE_WORDS)]
    if len(words) < _LANG_MIN_WORDS:
        return None
    share = sum(1 for w in words if w in _ENGLISH_WORDS) / len(words)
    logger.debug("%s: %.1f%% English function words", where, 100 * share)
    if share >= _LANG_MIN_SHARE:
        return None
    return f"{where} does not look like English: EventWatch reads English news; no events extracted"


def _result(article: Article, where: str, warnings: list[str]) -> ReadResult:
    skip = not_english_reason(article.text, where)
    if skip:
        warnings.append(skip)
    return ReadResult(article=article, error=None, where=where, warnings=warnings, skip_reason=skip)


# --------------------------------------------------------------------------- reading


def detect_format(source: str | Path, fmt: str | None = None, head: bytes = b"") -> str:
    """The input form: ``fmt`` if given, else the file extension, else sniffed from ``head``.

    Sniffing knows JSON Lines (``{`` or ``[`` first), HTML (``<!doctype`` or
    ``<html`` first) and feeds (markup whose first few kilobytes open an
    ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` element); anything else is plain text.
    CSV is never guessed from content: it needs the ``.csv`` extension or ``fmt``.
    """
    if fmt is not None:
        normal = fmt.strip().lower().lstrip(".")
        normal = _FORMAT_ALIASES.get(normal, normal)
        if normal not in FORMATS:
            raise ConfigError(
                f"--format {fmt!r} is not known: use one of txt, html, jsonl, csv, feed"
            )
        return normal
    if str(source) != "-":
        by_extension = _EXTENSIONS.get(Path(source).suffix.lower())
        if by_extension:
            return by_extension
    start = head.removeprefix(_UTF8_BOM).lstrip().lower()
    if start.startswith((b"{", b"[")):
        return "jsonl"
    if start.startswith((b"<!doctype", b"<html")):
        return "html"
    if start.startswith(b"<") and _FEED_ROOT.search(start[:_SNIFF_BYTES]):
        return "feed"
    return "txt"


def _open(source: str | Path) -> IO[bytes]:
    where = str(source)
    try:
        return open(source, "rb")  # closed by the reading generator
    except FileNotFoundError:
        raise InputError(f"cannot read {where}: no such file") from None
    except IsADirectoryError:
        raise InputError(
            f"cannot read {where}: it is a directory; pass a file, or - for standard input"
        ) from None
    except PermissionError:
        raise InputError(f"cannot read {where}: permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read {where}: {exc.strerror or exc}") from None


def _peek(stream: IO[bytes], limit: int = 65_536) -> list[bytes]:
    """The first lines of ``stream``, up to and including the first non-blank one."""
    lines: list[bytes] = []
    taken = 0
    while taken < limit:
        line = stream.readline(limit - taken)
        if not line:
            break
        lines.append(line)
        taken += len(line)
        if line.strip():
            break
    return lines


def _read_capped(
    stream: IO[bytes], prefix: bytes, limit: int, where: str
) -> tuple[bytes, int | None]:
    """At most ``limit`` bytes of ``prefix`` + ``stream``.  When there is more,
    also the total number of characters, counted without keeping the rest.

    Raises ``InputError`` once the input passes ``MAX_INPUT_BYTES``: an endless
    stream (``yes``) ends there instead of being counted for ever.
    """
    data = prefix[:limit]
    rest = prefix[limit:]
    if len(data) < limit:
        data += stream.read(limit - len(data))
    if not rest:
        rest = stream.read(_CHUNK)
        if not rest:
            return data, None
    # In UTF-8 every character has exactly one byte that is not a continuation byte.
    total = len(data.translate(None, _UTF8_CONTINUATION)) - data.startswith(_UTF8_BOM)
    size = len(data)
    while rest:
        size += len(rest)
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{where} is larger than {MAX_INPUT_BYTES:,} bytes, the most EventWatch reads "
                f"from one input: pass one article (its first {MAX_CHARS:,} characters are "
                "read), or a corpus as JSON Lines"
            )
        total += len(rest.translate(None, _UTF8_CONTINUATION))
        rest = stream.read(_CHUNK)
    return data, total


def _lines(start: bytes, stream: IO[bytes], limit: int | None = None) -> Iterator[bytes]:
    """The lines of ``start`` + ``stream``, read from the stream a line (or a megabyte) at a
    time.  With ``limit``, a longer line comes cut to ``limit + 1`` bytes: the rest of it is
    read and dropped, never held."""
    kept: list[bytes] = []
    size = 0
    for piece in itertools.chain((start,), iter(lambda: stream.readline(_CHUNK), b"")):
        for part in io.BytesIO(piece):
            if limit is None or size <= limit:
                kept.append(part if limit is None else part[: limit + 1 - size])
            size += len(part)
            if part.endswith(b"\n"):
                yield b"".join(kept)
                kept, size = [], 0
    if kept:
        yield b"".join(kept)


def _read_text(
    stream: IO[bytes], head: bytes, where: str, published: date | None, source_name: str | None
) -> Iterator[ReadResult]:
    try:
        data, total = _read_capped(stream, head, _MAX_TEXT_BYTES, where)
        text = decode_utf8(data, where, final=total is None)
        text, warnings = check_text(text, where, total_chars=total)
    except InputError as exc:
        yield ReadResult(article=None, error=str(exc), where=where)
        return
    article = Article(text=text, published=published, source=source_name)
    yield _result(article, where, warnings)


def _read_html(
    stream: IO[bytes], head: bytes, where: str, published: date | None, source_name: str | None
) -> Iterator[ReadResult]:
    try:
        data, total = _read_capped(stream, head, MAX_HTML_BYTES, where)
    except InputError as exc:
        yield ReadResult(article=None, error=str(exc), where=where)
        return
    warnings: list[str] = []
    if total is not None:
        warnings.append(
            f"{where} is larger than {MAX_HTML_BYTES:,} bytes; only the first "
            f"{MAX_HTML_BYTES:,} are parsed"
        )
    yield html_page_result(
        data, where, published=published, source_name=source_name, warnings=warnings
    )


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    """``data`` decoded with the character set a server declared, or None when
    there is none, it is unknown, or the bytes do not fit it."""
    if not charset:
        return None
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        logger.debug("declared charset %r does not decode the page; sniffing instead", charset)
        return None


def html_page_result(
    data: bytes,
    where: str,
    *,
    published: date | None = None,
    source_name: str | None = None,
    url: str | None = None,
    charset: str | None = None,
    label: str | None = None,
    warnings: list[str] | None = None,
) -> ReadResult:
    """One HTML page (raw bytes) as a ``ReadResult``: the article body, title,
    date and canonical URL pulled out with trafilatura.

    ``published`` wins over the page's own date.  ``url``, when given (the
    final address of a fetched page), wins over the page's canonical link.
    ``charset`` is the character set a server declared; without it (or when
    the bytes do not fit it) the page's own ``<meta charset>`` or UTF-8 is
    used.  ``label`` names the page in messages (default: ``where``).
    """
    import trafilatura  # slow to import; only HTML needs it
    from trafilatura.utils import decode_file

    name = label or where
    warnings = list(warnings or [])
    if not data.strip():
        return ReadResult(
            article=None,
            error=f"empty input: {name} has no content; pass the article page",
            where=where,
            warnings=warnings,
        )
    try:
        _reject_binary(data, name)
    except InputError as exc:
        return ReadResult(article=None, error=str(exc), where=where, warnings=warnings)
    html = _decode_declared(data, charset)
    if html is None:
        html = decode_file(data)  # UTF-8, or the character set the page declares
    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    paragraphs = [line.strip() for line in (body or "").splitlines() if line.strip()]
    text = "\n\n".join(paragraphs)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return ReadResult(
            article=None,
            error=(
                f"no article text found in {name}: it looks like a navigation or index "
                "page; pass the article page itself"
            ),
            where=where,
            warnings=warnings,
        )
    try:
        text, more = check_text(text, name)
    except InputError as exc:
        return ReadResult(article=None, error=str(exc), where=where, warnings=warnings)
    warnings += more
    meta = trafilatura.extract_metadata(html)
    title = ((meta.title or "").strip() or None) if meta else None
    if url is None:
        url = ((meta.url or "").strip() or None) if meta else None
    if published is None and meta is not None and meta.date:
        try:
            published = parse_published(meta.date, label=f"{name}: page date")
        except InputError as exc:
            warnings.append(f"{exc}; the date is left out")
    article = Article(text=text, title=title, published=published, source=source_name, url=url)
    return _result(article, where, warnings)


def plain_text_result(
    data: bytes,
    where: str,
    *,
    published: date | None = None,
    source_name: str | None = None,
    url: str | None = None,
    charset: str | None = None,
    label: str | None = None,
) -> ReadResult:
    """One plain-text article (raw bytes, e.g. a fetched ``text/plain`` page)
    as a ``ReadResult``.  ``charset`` is a declared character set; without it
    the bytes must be UTF-8."""
    name = label or where
    try:
        text = _decode_declared(data, charset)
        if text is None:
            text = decode_utf8(data, name)
        text, warnings = check_text(text, name)
    except InputError as exc:
        return ReadResult(article=None, error=str(exc), where=where)
    article = Article(text=text, published=published, source=source_name, url=url)
    return _result(article, where, warnings)


def _optional_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f'{where}: "{key}" must be a string or null, not {type(value).__name__}')
    return value.strip() or None


def _article_from_object(
    obj: Any, where: str, published: date | None, source_name: str | None
) -> tuple[Article, list[str]]:
    if not isinstance(obj, dict):
        kind = {
            list: "an array",
            str: "a string",
            int: "a number",
            float: "a number",
            bool: "true/false",
        }.get(type(obj), "null")
        raise InputError(f'{where}: expected a JSON object with a "text" field, found {kind}')
    obj = {key: without_surrogates(value) if isinstance(value, str) else value for key, value in obj.items()}
    if "text" not in obj:
        raise InputError(
            f'{where}: no "text" field: each line must be an object with the article body in "text"'
        )
    text = obj["text"]
    if not isinstance(text, str):
        raise InputError(f'{where}: "text" must be a string, not {type(text).__name__}')
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | None):
        raise InputError(f'{where}: "id" must be a string or a number, not {type(raw_id).__name__}')
    raw_date = obj.get("published")
    if raw_date is not None and not isinstance(raw_date, str):
        raise InputError(f'{where}: "published" must be a string, {_DATE_EXAMPLE}')
    day = parse_published(raw_date, label=f'{where}: "published"')
    title = _optional_str(obj, "title", where)
    source = _optional_str(obj, "source", where)
    url = _optional_str(obj, "url", where)
    text, warnings = check_text(text, where)
    article = Article(
        text=text,
        id=str(raw_id).strip() if raw_id is not None else "",
        title=title,
        published=day or published,
        source=source or source_name,
        url=url,
    )
    return article, warnings


def _not_jsonl(where: str) -> str:
    return (
        f"{where} is not JSON Lines (it starts like a JSON array or a pretty-printed "
        "object): write one article object per line, "
        f"e.g. with `jq -c '.[]' {where} > articles.jsonl`"
    )


def article_record_result(
    obj: Any, where: str, *, published: date | None = None, source_name: str | None = None
) -> ReadResult:
    """One decoded article object (a JSON Lines line, a Parquet row as a dict) as a
    ``ReadResult``, with the checks and messages of a JSON Lines file: fields as in
    ``GOLD_FORMAT.md`` (``text`` required; ``id``, ``title``, ``published``,
    ``source``, ``url``), ``published`` and ``source_name`` filling in what it lacks."""
    try:
        article, warnings = _article_from_object(obj, where, published, source_name)
    except InputError as exc:
        return ReadResult(article=None, error=str(exc), where=where)
    return _result(article, where, warnings)


def jsonl_line_result(
    line: str, where: str, *, published: date | None = None, source_name: str | None = None
) -> ReadResult:
    """One line of JSON Lines (decoded text, ``where`` naming it, e.g. ``file.jsonl:3``)
    as a ``ReadResult``: not valid JSON, or :func:`article_record_result` of its object."""
    try:
        obj = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return ReadResult(
            article=None,
            error=(
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno}): "
                "each line must be one complete JSON object"
            ),
            where=where,
        )
    except RecursionError:
        return ReadResult(
            article=None,
            error=(
                f"{where}: JSON nested too deeply to read: each line must be one article "
                'object with the article body in "text"'
            ),
            where=where,
        )
    return article_record_result(obj, where, published=published, source_name=source_name)


def _read_jsonl(
    lines: Iterable[bytes], where: str, published: date | None, source_name: str | None
) -> Iterator[ReadResult]:
    seen_any = False
    for number, raw in enumerate(lines, 1):
        if number == 1:
            raw = raw.removeprefix(_UTF8_BOM)
        if not raw.strip():
            continue
        here = f"{where}:{number}"
        first = not seen_any
        seen_any = True
        if len(raw) > MAX_JSONL_LINE_BYTES:
            yield ReadResult(
                article=None,
                error=(
                    f"{here}: line longer than {MAX_JSONL_LINE_BYTES:,} bytes: write one article "
                    f"object per line (only the first {MAX_CHARS:,} characters of a text are read)"
                ),
                where=here,
            )
            continue
        try:
            line = decode_utf8(raw, here)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=here)
            continue
        # A JSON array, or a pretty-printed object, is a whole file in the wrong form.
        if first and (line.strip() == "{" or line.lstrip().startswith("[")):
            yield ReadResult(article=None, error=_not_jsonl(where), where=where)
            return
        try:
            yield jsonl_line_result(line, here, published=published, source_name=source_name)
        except Exception as exc:  # a fault on one line must not lose the lines after it
            yield _unexpected(exc, here)
    if not seen_any:
        yield ReadResult(
            article=None,
            error=f"empty input: {where} has no lines; pass one article object per line",
            where=where,
        )


# --------------------------------------------------------------------------- CSV

_CSV_COLUMNS = ("text", "title", "published", "source", "url", "id")


def _raise_field_limit() -> None:
    """Let the csv module read article-sized fields (its default stops at 128 KiB)."""
    if csv.field_size_limit() < MAX_CSV_FIELD:
        csv.field_size_limit(MAX_CSV_FIELD)


def _csv_lines(
    start: bytes, stream: IO[bytes], where: str, bad_lines: dict[int, str]
) -> Iterator[str]:
    """The decoded lines of a CSV file.  A line that is not UTF-8 is passed on
    with replacement characters and its problem is recorded in ``bad_lines``
    (by line number), so only the row holding it is refused."""
    for number, raw in enumerate(_lines(start, stream), 1):
        if number == 1:
            raw = raw.removeprefix(_UTF8_BOM)
        try:
            yield decode_utf8(raw, f"{where} line {number}")
        except InputError as exc:
            bad_lines[number] = str(exc)
            yield raw.decode("utf-8", "replace").replace("\x00", "\ufffd")


def _csv_header(row: list[str], where: str) -> dict[str, int]:
    """Column positions by name; raises ``InputError`` when there is no "text" column."""
    names = [name.strip().lower() for name in row]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in _CSV_COLUMNS:
            columns.setdefault(name, index)
    if "text" not in columns:
        found = ", ".join(_show(name, 20) for name in names[:8] if name) or "nothing"
        raise InputError(
            f'{where}: no "text" column in the header row (found: {found}): the first row '
            "must name the columns, with the article body under text and optionally "
            "title, published, source, url"
        )
    return columns


def _read_csv(
    lines: Iterable[str],
    bad_lines: dict[int, str],
    where: str,
    published: date | None,
    source_name: str | None,
) -> Iterator[ReadResult]:
    """One result per data row.  Rows are numbered as a spreadsheet shows them:
    the header is row 1, the first article row 2."""
    _raise_field_limit()
    reader = csv.reader(iter(lines))
    columns: dict[str, int] | None = None
    row_number = 0
    last_line = 0
    seen_rows = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            here = f"{where}:{row_number + 1}"
            yield ReadResult(
                article=None,
                error=f"{here}: malformed CSV ({exc}); the rest of the file is not read",
                where=here,
            )
            return
        row_number += 1
        first_line, last_line = last_line + 1, reader.line_num
        here = f"{where}:{row_number}"
        bad = [bad_lines[n] for n in range(first_line, last_line + 1) if n in bad_lines]
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if columns is None:
            if bad:
                yield ReadResult(article=None, error=bad[0], where=where)
                return
            try:
                columns = _csv_header(row, where)
            except InputError as exc:
                yield ReadResult(article=None, error=str(exc), where=where)
                return
            continue
        seen_rows = True
        if bad:
            yield ReadResult(article=None, error=f"{here}: {bad[0]}", where=here)
            continue

        def cell(name: str, row: list[str] = row, columns: dict[str, int] = columns) -> str:
            index = columns.get(name)
            return row[index] if index is not None and index < len(row) else ""

        text = cell("text")
        if not text.strip():
            yield ReadResult(
                article=None,
                error=f'{here}: no article text: the "text" column of this row is empty',
                where=here,
            )
            continue
        try:
            day = parse_published(cell("published"), label=f'{here}: "published"')
            text, warnings = check_text(text, here)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=here)
            continue
        article = Article(
            text=text,
            id=cell("id").strip(),
            title=cell("title").strip() or None,
            published=day or published,
            source=cell("source").strip() or source_name,
            url=cell("url").strip() or None,
        )
        yield _result(article, here, warnings)
    if columns is None:
        yield ReadResult(
            article=None,
            error=(
                f"empty input: {where} has no rows; the first row must name the columns "
                "(text, title, published, source, url)"
            ),
            where=where,
        )
    elif not seen_rows:
        yield ReadResult(
            article=None,
            error=f"empty input: {where} has a header row but no article rows",
            where=where,
        )


# --------------------------------------------------------------------------- feeds

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def _paragraphs(text: str) -> str:
    """``text`` with runs of spaces and single line breaks folded into one
    space, and paragraphs (blank-line separated) joined by one blank line."""
    out = []
    for block in _PARAGRAPH_BREAK.split(text):
        paragraph = " ".join(block.split())
        if paragraph:
            out.append(paragraph)
    return "\n\n".join(out)


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment (a feed item's content), with
    block elements (``<p>``, ``<div>``, ``<li>``, headings...) and double
    ``<br>`` as paragraph breaks and scripts and styles left out."""
    if not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:
        return _paragraphs(fragment)
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _paragraphs(fragment)
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        tag = element.tag.lower()
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return _paragraphs(root.text_content())


def _detail_text(value: str, detail: Any) -> str:
    kind = str((detail or {}).get("type") or "text/html").lower()
    return html_to_text(value) if "html" in kind else _paragraphs(value)


def _entry_text(entry: Any) -> tuple[str, str]:
    """The longest text an entry carries and where it came from ("content" or "summary")."""
    best, origin = "", "summary"
    for content in entry.get("content") or []:
        text = _detail_text(content.get("value") or "", content)
        if len(text) > len(best):
            best, origin = text, "content"
    summary = entry.get("summary") or ""
    if summary:
        text = _detail_text(summary, entry.get("summary_detail"))
        if len(text) > len(best):
            best, origin = text, "summary"
    return best, origin


def _local_day(raw: str) -> date | None:
    """The calendar date as the feed wrote it, in the publisher's own time zone
    (feedparser's parsed dates are in UTC, which can move a date by a day)."""
    iso = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        return None


def _entry_date(entry: Any, here: str, warnings: list[str]) -> date | None:
    """The item's publication date (else its last update), or None."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        day = _local_day(str(raw))
        parsed = entry.get(f"{key}_parsed")
        if day is None and parsed is not None:
            day = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        if day is None:
            warnings.append(f"{here}: date {_show(str(raw))} is not understood; it is left out")
            return None
        try:
            return parse_published(day.isoformat(), label=f"{here}: date")
        except InputError as exc:
            warnings.append(f"{exc}; the date is left out")
            return None
    return None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _read_feed(
    stream: IO[bytes], head: bytes, where: str, published: date | None, source_name: str | None
) -> Iterator[ReadResult]:
    import feedparser

    data = head + stream.read(MAX_FEED_BYTES + 1 - len(head))  # feeds are parsed whole
    if len(data) > MAX_FEED_BYTES:
        yield ReadResult(
            article=None,
            error=(
                f"{where} is larger than {MAX_FEED_BYTES:,} bytes: split the feed, or "
                "convert its items to JSON Lines"
            ),
            where=where,
        )
        return
    if not data.strip():
        yield ReadResult(
            article=None, error=f"empty input: {where} has no content; pass a feed", where=where
        )
        return
    try:
        _reject_binary(data, where)
    except InputError as exc:
        yield ReadResult(article=None, error=str(exc), where=where)
        return
    # A stream, never a string or a path: given a str, feedparser may fetch a URL
    # or open a file named by it.
    feed = feedparser.parse(io.BytesIO(data), response_headers={})
    if not feed.get("version") and not feed.entries:
        problem = feed.get("bozo_exception")
        why = f" ({_one_line(problem)})" if problem else ""
        yield ReadResult(
            article=None,
            error=(
                f"{where} is not an RSS or Atom feed{why}: pass an RSS 2.0 or Atom file, "
                "or choose the input format explicitly"
            ),
            where=where,
        )
        return
    if feed.get("bozo"):
        logger.debug("%s: feed is not well-formed: %s", where, feed.get("bozo_exception"))
    if not feed.entries:
        yield ReadResult(
            article=None, error=f"empty input: {where} is a feed with no items", where=where
        )
        return
    meta = feed.get("feed") or {}
    feed_title = _detail_text(meta.get("title") or "", meta.get("title_detail")) or None
    source = source_name or feed_title
    for number, entry in enumerate(feed.entries, 1):
        here = f"{where}:item{number}"
        link = (entry.get("link") or "").strip() or None
        text, origin = _entry_text(entry)
        words = len(text.split())
        if words < MIN_ARTICLE_WORDS:
            carries = (
                f"it carries only a {origin} of {words} word{'s' if words != 1 else ''}"
                if words
                else "it has no content, description or summary"
            )
            fetch = f"; fetch the article page ({link}) instead" if link else ""
            yield ReadResult(
                article=None,
                error=(
                    f"{where}: feed item {number} has no article text: {carries} "
                    f"(feeds often carry only a summary of each article){fetch}"
                ),
                where=here,
            )
            continue
        warnings: list[str] = []
        try:
            text, more = check_text(text, here)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=here)
            continue
        warnings += more
        day = _entry_date(entry, here, warnings)
        title = _detail_text(entry.get("title") or "", entry.get("title_detail")) or None
        article = Article(
            text=text, title=title, published=day or published, source=source, url=link
        )
        yield _result(article, here, warnings)


def _generate(
    stream: IO[bytes],
    close: bool,
    source: str | Path,
    where: str,
    fmt: str | None,
    published: date | None,
    source_name: str | None,
) -> Iterator[ReadResult]:
    try:
        head = b"".join(_peek(stream)) + stream.read(_SNIFF_BYTES)
        kind = detect_format(source, fmt, head)
        logger.debug("reading %s as %s", where, kind)
        # A binary input fails as a whole, from its first bytes: one error, not one per line,
        # and an endless stream (/dev/zero, /dev/urandom) is not read on.
        try:
            _reject_binary(head[:_SNIFF_BYTES], where)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=where)
            return
        if kind == "jsonl":
            yield from _read_jsonl(
                _lines(head, stream, MAX_JSONL_LINE_BYTES), where, published, source_name
            )
        elif kind == "csv":
            bad_lines: dict[int, str] = {}
            lines = _csv_lines(head, stream, where, bad_lines)
            yield from _read_csv(lines, bad_lines, where, published, source_name)
        elif kind == "html":
            yield from _read_html(stream, head, where, published, source_name)
        elif kind == "feed":
            yield from _read_feed(stream, head, where, published, source_name)
        else:
            yield from _read_text(stream, head, where, published, source_name)
    finally:
        if close:
            stream.close()


def read_inputs(
    source: str | Path,
    *,
    published: date | None = None,
    source_name: str | None = None,
    fmt: str | None = None,
) -> Iterator[ReadResult]:
    """Read articles from a file, or from standard input when ``source`` is ``"-"``.

    ``published`` and ``source_name`` fill in the article's date and outlet
    when the input does not carry them (for HTML the argument wins over the
    page's date; for feeds, ``source_name`` wins over the feed's title).
    ``fmt`` forces ``"txt"``, ``"html"``, ``"jsonl"``, ``"csv"`` or ``"feed"``;
    otherwise the extension decides, or the first bytes for standard input
    and unknown extensions.

    Raises ``InputError`` at once when the input cannot be opened and
    ``ConfigError`` for an unknown ``fmt``; everything else is reported per
    article in the yielded ``ReadResult`` objects.
    """
    if fmt is not None:
        detect_format(source, fmt)  # reject an unknown format before touching the input
    if str(source) == "-":
        stream: IO[bytes] = sys.stdin.buffer
        where, close = _STDIN, False
    else:
        stream = _open(source)
        where, close = str(source), True
    return _generate(stream, close, source, where, fmt, published, source_name)


# --------------------------------------------------------------------------- corpora


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_paths(paths: Iterable[str | PathLike[str]]) -> Iterator[Path]:
    """The input files named by ``paths``, folders walked recursively.

    A file named directly is kept whatever its extension (its form is then
    sniffed); ``-`` (standard input) is passed through.  In a folder, files
    with a known extension (see ``EXTENSIONS``) are kept, hidden files and
    folders (name starting with ``.``) are skipped, and the walk is sorted
    by name, so the order is the same on every run.  A file reached twice
    is read once.

    Raises ``InputError`` at once, before anything is yielded, when a path
    does not exist.
    """
    given = [Path(path) for path in paths]
    for path in given:
        if str(path) != "-" and not path.exists():
            raise InputError(f"cannot read {path}: no such file or folder")
    return _walk(given)


def _walk(given: list[Path]) -> Iterator[Path]:
    seen: set[Path] = set()

    def first_time(path: Path) -> bool:
        try:
            key = path.resolve()
        except OSError:
            key = path.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    def complain(exc: OSError) -> None:
        logger.warning("cannot read folder %s: %s; it is skipped", exc.filename, exc.strerror)

    for path in given:
        if str(path) == "-" or not path.is_dir():
            if str(path) == "-" or first_time(path):
                yield path
            continue
        found = 0
        for folder, folders, files in os.walk(path, onerror=complain):
            folders[:] = sorted(name for name in folders if not _hidden(name))
            for name in sorted(files):
                if _hidden(name) or Path(name).suffix.lower() not in EXTENSIONS:
                    continue
                file = Path(folder, name)
                if first_time(file):
                    found += 1
                    yield file
        if not found:
            logger.warning("%s holds no input files (%s)", path, " ".join(sorted(EXTENSIONS)))


def read_many(
    paths: Iterable[str | PathLike[str]],
    *,
    published: date | None = None,
    source_name: str | None = None,
) -> Iterator[ReadResult]:
    """Every article of a corpus: each file named by ``paths`` (folders walked
    with :func:`iter_paths`) read with :func:`read_inputs`, one result at a time.

    Raises ``InputError`` at once when a path does not exist; a file that
    cannot be opened later (permissions, deleted meanwhile) becomes an error
    result and the rest is read.
    """
    return _read_all(iter_paths(paths), published, source_name)


def _unexpected(error: Exception, where: str) -> ReadResult:
    """An error no check foresaw, reading the input at ``where``, as its failed result."""
    logger.debug("reading %s failed", where, exc_info=error)
    message = " ".join(str(error).split())[:200]
    return ReadResult(
        article=None,
        error=(
            f"{where} could not be read ({type(error).__name__}: {message}); the rest is read on. "
            "Please report this with the input"
        ),
        where=where,
    )


def _read_all(
    files: Iterator[Path], published: date | None, source_name: str | None
) -> Iterator[ReadResult]:
    for path in files:
        try:
            results = read_inputs(path, published=published, source_name=source_name)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=str(path))
            continue
        try:
            yield from results
        except Exception as exc:  # a fault in one file must not end the corpus
            yield _unexpected(exc, str(path))
