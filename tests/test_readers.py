"""Every kind of input becomes Articles, and bad input gets a one-line answer."""

from __future__ import annotations

import io
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from eventwatch.errors import ConfigError, InputError
from eventwatch.readers import (
    MAX_CHARS,
    ReadResult,
    check_text,
    detect_format,
    parse_published,
    read_inputs,
)

INPUTS = Path(__file__).parent / "data" / "inputs"

ENGLISH = (INPUTS / "english.txt").read_text(encoding="utf-8")


def read_all(source: str | Path, **kwargs: object) -> list[ReadResult]:
    return list(read_inputs(source, **kwargs))  # type: ignore[arg-type]


def read_one(source: str | Path, **kwargs: object) -> ReadResult:
    results = read_all(source, **kwargs)
    assert len(results) == 1, results
    return results[0]


def assert_one_line(message: str | None) -> None:
    assert message
    assert "\n" not in message and "Traceback" not in message


# --------------------------------------------------------------------------- plain text


def test_plain_text_becomes_one_article() -> None:
    result = read_one(INPUTS / "english.txt", published=date(2021, 6, 7), source_name="Wire")
    assert result.ok and result.error is None and result.skip_reason is None
    assert result.warnings == []
    article = result.article
    assert article is not None
    assert article.text == ENGLISH
    assert article.title is None
    assert article.published == date(2021, 6, 7)
    assert article.source == "Wire"
    assert len(article.id) == 16
    assert result.where == str(INPUTS / "english.txt")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = read_one(path)
    assert result.article is None
    assert result.error is not None and result.error.startswith("empty input: ")
    assert str(path) in result.error
    assert_one_line(result.error)


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\n\t \r\n   \n")
    result = read_one(path)
    assert result.article is None
    assert result.error is not None and result.error.startswith("empty input: ")
    assert "whitespace" in result.error


def test_binary_bytes(tmp_path: Path) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR" + bytes(range(256)))
    result = read_one(path)
    assert result.article is None
    assert result.error is not None
    assert "PNG image, not text" in result.error
    assert_one_line(result.error)


def test_nul_bytes_without_known_signature(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"some words" + b"\x00\x00\x01\x02" * 50)
    result = read_one(path)
    assert result.error is not None
    assert "binary file" in result.error and "offset 10" in result.error


def test_latin1_file_names_the_byte_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    text = "Les habitants de Béjaïa ont manifesté dans le centre-ville."
    path.write_bytes(text.encode("latin-1"))
    result = read_one(path)
    assert result.article is None
    offset = text.encode("latin-1").index(b"\xe9")
    assert result.error == (
        f"{path} is not UTF-8 text (byte 0xe9 at offset {offset}): "
        "convert it with `iconv -f windows-1252 -t utf-8`"
    )


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"))
    result = read_one(path)
    assert result.ok and result.article is not None
    assert result.article.text == ENGLISH
    assert not result.article.text.startswith("\ufeff")


def test_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("\ufeff".encode("utf-16-le") + ENGLISH.encode("utf-16-le"))
    result = read_one(path)
    assert result.error is not None
    assert "UTF-16" in result.error and "iconv -f utf-16 -t utf-8" in result.error


def test_ten_megabytes_is_truncated_fast(tmp_path: Path) -> None:
    paragraph = (
        "Militants fired rockets at an army post near the river on Monday, the governor said. "
        "Two soldiers were wounded and taken to hospital in the provincial capital.\n\n"
    )
    size = 10 * 1024 * 1024
    body = (paragraph * (size // len(paragraph) + 1))[:size]
    path = tmp_path / "huge.txt"
    path.write_text(body, encoding="utf-8")

    started = time.perf_counter()
    result = read_one(path)
    elapsed = time.perf_counter() - started

    assert result.ok and result.article is not None
    assert result.warnings == [f"{path} is 10,485,760 characters; only the first 200,000 are read"]
    text = result.article.text
    assert MAX_CHARS // 2 < len(text) <= MAX_CHARS
    assert body.startswith(text)
    assert text.endswith("provincial capital.")  # cut at a paragraph end
    assert elapsed < 2.0


def test_long_multibyte_text_counts_characters_not_bytes(tmp_path: Path) -> None:
    sentence = "Сообщается, что в результате обстрела погибли два человека. "
    body = sentence * (300_000 // len(sentence))
    path = tmp_path / "long.txt"
    path.write_text(body, encoding="utf-8")
    result = read_one(path)
    assert result.article is not None
    assert f"is {len(body):,} characters" in result.warnings[0]
    assert len(result.article.text) <= MAX_CHARS
    assert result.article.text.endswith("человека.")
    assert result.skip_reason is not None  # Russian, not English


@pytest.mark.parametrize("name", ["french.txt", "spanish.txt"])
def test_non_english_article_is_skipped(name: str) -> None:
    result = read_one(INPUTS / name)
    assert result.article is not None and result.error is None
    expected = (
        f"{INPUTS / name} does not look like English: EventWatch reads English news; "
        "no events extracted"
    )
    assert result.skip_reason == expected
    assert expected in result.warnings


def test_short_text_is_not_judged_for_language(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Explosion à Gao ce matin, selon la radio locale.", encoding="utf-8")
    result = read_one(path)
    assert result.ok and result.skip_reason is None


def test_check_text_directly() -> None:
    text, warnings = check_text("\ufeffTwo killed in raid.", "x.txt")
    assert text == "Two killed in raid." and warnings == []
    with pytest.raises(InputError, match=r"^empty input: x\.txt"):
        check_text(b"", "x.txt")
    with pytest.raises(InputError, match="not UTF-8 text"):
        check_text(b"caf\xe9", "x.txt")


# --------------------------------------------------------------------------- HTML


def test_html_article_page() -> None:
    result = read_one(INPUTS / "article.html", source_name="Northern Ledger")
    assert result.ok, result.error
    article = result.article
    assert article is not None
    assert article.title == "Shelling kills two in northern village, officials say"
    assert article.published == date(2021, 6, 3)
    assert article.source == "Northern Ledger"
    assert article.url == "https://ledger.example.org/world/2021/06/03/shelling-northern-village"
    assert "Artillery shells struck the village of Kefr Tal" in article.text
    assert "respect the truce" in article.text
    for boilerplate in ("Subscribe", "All rights reserved", "Privacy", "Most read", "Markets slip"):
        assert boilerplate not in article.text
    assert "\n\n" in article.text  # paragraphs separated by blank lines, as in the gold format
    assert result.skip_reason is None


def test_html_published_argument_wins_over_page_date() -> None:
    result = read_one(INPUTS / "article.html", published=date(2021, 6, 4))
    assert result.article is not None
    assert result.article.published == date(2021, 6, 4)


def test_html_index_page_has_no_article() -> None:
    path = INPUTS / "index.html"
    result = read_one(path)
    assert result.article is None
    assert result.error == (
        f"no article text found in {path}: it looks like a navigation or index page; "
        "pass the article page itself"
    )


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_malformed_line_among_good_ones() -> None:
    path = INPUTS / "articles.jsonl"
    results = read_all(path, published=date(2021, 6, 9), source_name="Fallback")
    assert [r.where for r in results] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    first, broken, last = results
    assert first.ok and first.article is not None
    assert first.article.id == "t-001"
    assert first.article.title == "Checkpoint attacked near Marsa"
    assert first.article.published == date(2021, 6, 6)  # its own date, not the argument
    assert first.article.source == "Test Wire"
    assert broken.article is None
    assert broken.error is not None
    assert broken.error.startswith(f"{path}:2: not valid JSON")
    assert_one_line(broken.error)
    assert last.ok and last.article is not None
    assert last.article.id == "t-003"
    assert last.article.published == date(2021, 6, 9)  # filled from the argument
    assert last.article.source == "Fallback"


def test_jsonl_bad_published() -> None:
    path = INPUTS / "bad_published.jsonl"
    bad, good = read_all(path)
    assert bad.article is None
    assert bad.error == (
        f'{path}:1: "published" 2021-02-30 is not a real date: '
        "give it as YYYY-MM-DD, e.g. 2021-06-01"
    )
    assert good.ok and good.article is not None and good.article.published == date(2021, 3, 1)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('["a", "list"]', "is not JSON Lines"),
        ('"just a string"', "expected a JSON object"),
        ('{"id": "x"}', 'no "text" field'),
        ('{"id": "x", "text": "   "}', "empty input:"),
        ('{"id": "x", "text": 42}', '"text" must be a string'),
        (
            '{"id": "x", "text": "Ten people were hurt.", "published": 20210601}',
            '"published" must be a string',
        ),
    ],
)
def test_jsonl_line_problems(tmp_path: Path, line: str, fragment: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = read_one(path)
    assert result.article is None
    assert result.error is not None and fragment in result.error
    assert_one_line(result.error)


def test_jsonl_events_ignored_and_numeric_id(tmp_path: Path) -> None:
    path = tmp_path / "in.ndjson"
    path.write_text(
        '{"id": 7, "text": "Troops clashed with rebels near the dam.", "events": [{"x": 1}]}\n',
        encoding="utf-8",
    )
    result = read_one(path)
    assert result.article is not None and result.article.id == "7"


def test_jsonl_binary_file_gives_one_error(tmp_path: Path) -> None:
    path = tmp_path / "oops.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\n" * 500)
    result = read_one(path)
    assert result.where == str(path)
    assert result.error is not None and "PNG image" in result.error


def test_empty_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    result = read_one(path)
    assert result.error is not None and result.error.startswith("empty input: ")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2021-02-30", "is not a real date"),
        ("2021-13-01", "is not a real date"),
        ("2021-00-10", "is not a real date"),
        ("tomorrow", "is not a date"),
        ("06/01/2021", "is not a date"),
        ("2021-6-1", "is not a date"),
        ("2021-06-01T25:00", "is not a date"),
        ("1899-12-31", "is before 1900"),
        ("0001-01-01", "is before 1900"),
        ((date.today() + timedelta(days=400)).isoformat(), "more than a year in the future"),
    ],
)
def test_parse_published_rejects_impossible_dates(value: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_published(value)
    message = str(caught.value)
    assert message.startswith(f"--published {value} ")
    assert fragment in message
    assert "YYYY-MM-DD, e.g. 2021-06-01" in message
    assert_one_line(message)


def test_parse_published_message_matches_the_spec() -> None:
    with pytest.raises(InputError) as caught:
        parse_published("2021-02-30")
    assert str(caught.value) == (
        "--published 2021-02-30 is not a real date: give it as YYYY-MM-DD, e.g. 2021-06-01"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-06-01", date(2021, 6, 1)),
        (" 2021-06-01 ", date(2021, 6, 1)),
        ("2021-06-01T14:30:00Z", date(2021, 6, 1)),
        ("2021-06-01T23:30:00+05:00", date(2021, 6, 1)),
        ("2021-06-01 08:00", date(2021, 6, 1)),
        ("1900-01-01", date(1900, 1, 1)),
        (None, None),
        ("", None),
    ],
)
def test_parse_published_accepts(value: str | None, expected: date | None) -> None:
    assert parse_published(value) == expected


# --------------------------------------------------------------------------- stdin, formats, files


def _fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_stdin(monkeypatch, ENGLISH.encode("utf-8"))
    result = read_one("-", published=date(2021, 6, 7))
    assert result.where == "<stdin>"
    assert result.article is not None and result.article.text == ENGLISH
    assert result.article.published == date(2021, 6, 7)


def test_stdin_sniffs_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_stdin(monkeypatch, (INPUTS / "articles.jsonl").read_bytes())
    results = read_all("-")
    assert [r.where for r in results] == ["<stdin>:1", "<stdin>:2", "<stdin>:4"]
    assert [r.ok for r in results] == [True, False, True]


def test_stdin_sniffs_html(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_stdin(monkeypatch, b"\n  " + (INPUTS / "index.html").read_bytes())
    result = read_one("-")
    assert result.error is not None and "no article text found in <stdin>" in result.error


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_stdin(monkeypatch, b"")
    result = read_one("-")
    assert result.error is not None and result.error.startswith("empty input: <stdin>")


def test_fmt_overrides_extension(tmp_path: Path) -> None:
    path = tmp_path / "page.dat"
    path.write_bytes((INPUTS / "article.html").read_bytes())
    result = read_one(path, fmt="html")
    assert result.article is not None and result.article.title is not None


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.TXT", b"{", "txt"),
        ("a.htm", b"", "html"),
        ("a.ndjson", b"", "jsonl"),
        ("a.json", b"", "jsonl"),
        ("-", b'\xef\xbb\xbf {"text": 1}', "jsonl"),
        ("-", b"<!DOCTYPE html>", "html"),
        ("-", b"<html>", "html"),
        ("-", b"Gunmen attacked", "txt"),
        ("notes", b"<!doctype html>", "html"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str) -> None:
    assert detect_format(name, None, head) == expected


def test_unknown_fmt_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="use one of txt, html, jsonl"):
        read_inputs(INPUTS / "english.txt", fmt="pdf")


def test_missing_file_raises_at_once(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(InputError) as caught:
        read_inputs(missing)  # raised by the call itself, before iterating
    assert str(caught.value) == f"cannot read {missing}: no such file"


def test_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="it is a directory"):
        read_inputs(tmp_path)
