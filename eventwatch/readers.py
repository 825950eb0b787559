"""Turn whatever the user hands us into ``Article`` records.

Three input forms are understood:

* plain text (``.txt``/``.text``): the whole file is one article;
* an HTML page (``.html``/``.htm``): the article body is pulled out of the
  page with trafilatura, with its title and publication date;
* JSON Lines (``.jsonl``/``.ndjson``/``.json``): one article object per line,
  in the format of ``shared/eval/GOLD_FORMAT.md`` (``events`` is ignored).

``-`` stands for standard input, whose form is sniffed from its first bytes.

Problems with the input as a whole (a missing file, a directory) raise
``InputError`` as soon as :func:`read_inputs` is called.  Problems with one
article (empty, binary, not UTF-8, a malformed JSON line) come back as a
``ReadResult`` whose ``error`` says what is wrong and what to do, so a batch
carries on with the rest.  Nothing here prints; diagnostics go to logging.
"""

from __future__ import annotations

import codecs
import io
import itertools
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from eventwatch.errors import ConfigError, InputError
from eventwatch.model import Article

logger = logging.getLogger(__name__)

__all__ = [
    "FORMATS",
    "MAX_CHARS",
    "MAX_HTML_BYTES",
    "MIN_ARTICLE_WORDS",
    "ReadResult",
    "check_text",
    "decode_utf8",
    "detect_format",
    "not_english_reason",
    "parse_published",
    "read_inputs",
]

#: Longest article text read; anything past it is cut at a paragraph or sentence end.
MAX_CHARS = 200_000
#: Largest slice of an HTML page handed to the extractor.
MAX_HTML_BYTES = 5_000_000
#: An HTML page whose extracted text is shorter than this holds no article.
MIN_ARTICLE_WORDS = 25

FORMATS = ("txt", "html", "jsonl")
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
_DATE_EXAMPLE = "give it as YYYY-MM-DD, e.g. 2021-06-01"
_STDIN = "<stdin>"

# Bytes read for text input: enough for MAX_CHARS characters of any UTF-8 text.
_MAX_TEXT_BYTES = MAX_CHARS * 4 + 3
_CHUNK = 1 << 20
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))
_UTF8_BOM = b"\xef\xbb\xbf"

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
    """Validate one article text; return it (BOM stripped, cut to ``MAX_CHARS``)
    with any warnings.  Raises ``InputError`` when there is no usable text.

    ``total_chars`` is the full length when the caller already stopped reading
    early, so the warning can report the real size.
    """
    if isinstance(text, bytes):
        text = decode_utf8(text, where)
    text = text.removeprefix("\ufeff")
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
    return text, warnings


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
    """The input form: ``fmt`` if given, else the file extension, else sniffed from ``head``."""
    if fmt is not None:
        normal = fmt.strip().lower().lstrip(".")
        normal = {"text": "txt", "htm": "html", "ndjson": "jsonl", "json": "jsonl"}.get(
            normal, normal
        )
        if normal not in FORMATS:
            raise ConfigError(f"--format {fmt!r} is not known: use one of txt, html, jsonl")
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


def _read_capped(stream: IO[bytes], prefix: bytes, limit: int) -> tuple[bytes, int | None]:
    """At most ``limit`` bytes of ``prefix`` + ``stream``.  When there is more,
    also the total number of characters, counted without keeping the rest."""
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
    while rest:
        total += len(rest.translate(None, _UTF8_CONTINUATION))
        rest = stream.read(_CHUNK)
    return data, total


def _lines(start: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``start`` + ``stream``, read from the stream one at a time."""
    for line in io.BytesIO(start):
        if not line.endswith(b"\n"):
            line += stream.readline()  # ``start`` ended inside this line
        yield line
    yield from stream


def _read_text(
    stream: IO[bytes], head: bytes, where: str, published: date | None, source_name: str | None
) -> Iterator[ReadResult]:
    data, total = _read_capped(stream, head, _MAX_TEXT_BYTES)
    try:
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
    import trafilatura  # slow to import; only HTML needs it
    from trafilatura.utils import decode_file

    data, total = _read_capped(stream, head, MAX_HTML_BYTES)
    warnings: list[str] = []
    if total is not None:
        warnings.append(
            f"{where} is larger than {MAX_HTML_BYTES:,} bytes; only the first "
            f"{MAX_HTML_BYTES:,} are parsed"
        )
    if not data.strip():
        yield ReadResult(
            article=None,
            error=f"empty input: {where} has no content; pass the article page",
            where=where,
        )
        return
    try:
        _reject_binary(data, where)
    except InputError as exc:
        yield ReadResult(article=None, error=str(exc), where=where)
        return
    html = decode_file(data)  # UTF-8, or the character set the page declares
    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    paragraphs = [line.strip() for line in (body or "").splitlines() if line.strip()]
    text = "\n\n".join(paragraphs)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        yield ReadResult(
            article=None,
            error=(
                f"no article text found in {where}: it looks like a navigation or index "
                "page; pass the article page itself"
            ),
            where=where,
            warnings=warnings,
        )
        return
    try:
        text, more = check_text(text, where)
    except InputError as exc:
        yield ReadResult(article=None, error=str(exc), where=where, warnings=warnings)
        return
    warnings += more
    meta = trafilatura.extract_metadata(html)
    title = ((meta.title or "").strip() or None) if meta else None
    url = ((meta.url or "").strip() or None) if meta else None
    if published is None and meta is not None and meta.date:
        try:
            published = parse_published(meta.date, label=f"{where}: page date")
        except InputError as exc:
            warnings.append(f"{exc}; the date is left out")
    article = Article(text=text, title=title, published=published, source=source_name, url=url)
    yield _result(article, where, warnings)


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
        try:
            line = decode_utf8(raw, here)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=here)
            continue
        try:
            obj = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            if first and (line.strip() == "{" or line.lstrip().startswith("[")):
                yield ReadResult(article=None, error=_not_jsonl(where), where=where)
                return
            yield ReadResult(
                article=None,
                error=(
                    f"{here}: not valid JSON ({exc.msg} at column {exc.colno}): "
                    "each line must be one complete JSON object"
                ),
                where=here,
            )
            continue
        if first and isinstance(obj, list):
            yield ReadResult(article=None, error=_not_jsonl(where), where=where)
            return
        try:
            article, warnings = _article_from_object(obj, here, published, source_name)
        except InputError as exc:
            yield ReadResult(article=None, error=str(exc), where=here)
            continue
        yield _result(article, here, warnings)
    if not seen_any:
        yield ReadResult(
            article=None,
            error=f"empty input: {where} has no lines; pass one article object per line",
            where=where,
        )


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
        head_lines = _peek(stream)
        head = b"".join(head_lines)
        kind = detect_format(source, fmt, head)
        logger.debug("reading %s as %s", where, kind)
        if kind == "jsonl":
            start = head + stream.read(4096)
            try:  # a binary file fails as a whole: one error, not one per line
                _reject_binary(start[:4096], where)
            except InputError as exc:
                yield ReadResult(article=None, error=str(exc), where=where)
                return
            yield from _read_jsonl(_lines(start, stream), where, published, source_name)
        elif kind == "html":
            yield from _read_html(stream, head, where, published, source_name)
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
    when the input does not carry them.  ``fmt`` forces ``"txt"``, ``"html"``
    or ``"jsonl"``; otherwise the extension decides, or the first bytes for
    standard input and unknown extensions.

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
