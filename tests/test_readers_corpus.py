"""Corpus inputs: CSV, RSS/Atom feeds, folder walks and fetched URLs become Articles."""

from __future__ import annotations

import http.server
import io
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from eventwatch.errors import InputError
from eventwatch.fetch import fetch_urls
from eventwatch.readers import (
    MAX_CHARS,
    ReadResult,
    detect_format,
    html_to_text,
    iter_paths,
    read_inputs,
    read_many,
)

INPUTS = Path(__file__).parent / "data" / "inputs"
CSV = INPUTS / "articles.csv"
RSS = INPUTS / "world.rss"
ATOM = INPUTS / "region.atom"


def read_all(source: str | Path, **kwargs: object) -> list[ReadResult]:
    return list(read_inputs(source, **kwargs))  # type: ignore[arg-type]


def assert_one_line(message: str | None) -> None:
    assert message
    assert "\n" not in message and "Traceback" not in message


# --------------------------------------------------------------------------- CSV


def test_csv_rows_become_articles_and_a_bad_row_is_reported() -> None:
    results = read_all(CSV, published=date(2022, 4, 1), source_name="Fallback")
    assert [r.where for r in results] == [f"{CSV}:2", f"{CSV}:3", f"{CSV}:4", f"{CSV}:5"]
    assert [r.ok for r in results] == [True, True, False, True]
    first, second, bad, last = results

    a = first.article
    assert a is not None
    assert a.id == "c-001"
    assert a.title == "Roadside bomb hits army convoy near Korvani"
    assert a.published == date(2022, 3, 8)  # the row's own date wins
    assert a.source == "Valley Courier"
    assert a.url == "https://courier.example.net/2022/03/08/korvani-convoy"
    assert a.text.startswith("A roadside bomb struck an army convoy")
    assert "\n\nThe spokesman said" in a.text  # a quoted field spanning lines, paragraphs kept
    assert first.warnings == [] and first.skip_reason is None

    b = second.article
    assert b is not None
    assert len(b.id) == 16  # no id given: a content hash
    assert b.source == "Fallback" and b.url is None  # empty cells fall back / stay empty
    assert b.published == date(2022, 3, 12)

    assert bad.article is None
    assert bad.error == (
        f'{CSV}:4: "published" 2022-02-30 is not a real date: give it as YYYY-MM-DD, e.g. 2021-06-01'
    )

    d = last.article
    assert d is not None
    assert d.title is None
    assert d.published == date(2022, 4, 1)  # no date in the row: the argument
    assert d.text.startswith("Police in Ostrava Nova")


def test_csv_minimal_header_extra_columns_and_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "min.csv"
    path.write_text(
        "Notes, TEXT \n"
        "ignored,Troops shelled the village of Amra on Monday.\n"
        "\n"
        "still ignored,   \n"
        "x,Two people were hurt when a grenade exploded in Lusa.\n",
        encoding="utf-8",
    )
    results = read_all(path)
    assert [r.where for r in results] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    good, empty, other = results
    assert good.article is not None and good.article.text.startswith("Troops shelled")
    assert good.article.title is None and good.article.published is None
    assert empty.error == f'{path}:4: no article text: the "text" column of this row is empty'
    assert other.ok


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "nohead.csv"
    path.write_text(
        "Gunmen attacked a bus,2021-05-01\nSoldiers fired at protesters,2021-05-02\n",
        encoding="utf-8",
    )
    (result,) = read_all(path)
    assert result.article is None and result.where == str(path)
    assert result.error is not None
    assert result.error.startswith(f'{path}: no "text" column in the header row (found: ')
    assert_one_line(result.error)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("", "has no rows"), ("\n\n", "has no rows"), ("text,title\n", "no article rows")],
)
def test_csv_empty(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")
    (result,) = read_all(path)
    assert result.error is not None and result.error.startswith("empty input: ")
    assert fragment in result.error


def test_csv_large_field_is_read_and_cut(tmp_path: Path) -> None:
    sentence = "Rebels fired rockets at the airport on Monday, and two guards were wounded. "
    body = sentence * (300_000 // len(sentence))  # well over the csv module's 128 KiB default
    path = tmp_path / "big.csv"
    path.write_text(f'text,title\n"{body}",Big\nShort report of a clash.,Small\n', encoding="utf-8")
    big, small = read_all(path)
    assert big.ok and big.article is not None
    assert len(big.article.text) <= MAX_CHARS
    assert big.warnings == [
        f"{path}:2 is {len(body):,} characters; only the first 200,000 are read"
    ]
    assert small.ok and small.article is not None and small.article.title == "Small"


def test_csv_bad_bytes_fail_only_their_row(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        b"text\n"
        b"Police dispersed a march in the capital.\n"
        b"Les manifestants ont \xe9t\xe9 dispers\xe9s.\n"
        b'"A bomb exploded\nnear the port."\n'
    )
    results = read_all(path)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].where == f"{path}:3"
    assert results[1].error is not None
    assert "not UTF-8 text (byte 0xe9" in results[1].error and "iconv" in results[1].error
    assert (
        results[2].article is not None
        and results[2].article.text == "A bomb exploded\nnear the port."
    )


def test_csv_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    (result,) = read_all(path)
    assert result.error is not None and "ZIP archive" in result.error


def test_csv_forced_by_format(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    shutil.copy(CSV, path)
    results = read_all(path, fmt="csv")
    assert len(results) == 4 and results[0].where == f"{path}:2"


def test_csv_streams_rows(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("text\n")
        for n in range(5000):
            out.write(f"Report {n}: militants attacked a checkpoint near the river.\n")
    results = read_inputs(path)
    first = next(results)
    assert first.where == f"{path}:2"
    assert sum(1 for _ in results) == 4999


# --------------------------------------------------------------------------- feeds


def test_rss_items_become_articles() -> None:
    results = read_all(RSS)
    assert [r.where for r in results] == [f"{RSS}:item1", f"{RSS}:item2", f"{RSS}:item3"]
    first, summary_only, third = results

    a = first.article
    assert a is not None
    assert a.title == "Drone strike hits fuel depot outside Melvane"
    assert a.url == "https://tribune.example.com/world/2023/05/14/melvane-depot"
    assert a.published == date(2023, 5, 14)
    assert a.source == "Harbour Tribune & Wire"
    # content:encoded is preferred to the one-line description; HTML is stripped
    assert a.text.startswith("A drone struck a fuel depot on the outskirts of Melvane")
    assert a.text.count("\n\n") == 2
    assert "trackPageView" not in a.text and "<p>" not in a.text

    assert summary_only.article is None
    assert summary_only.error == (
        f"{RSS}: feed item 2 has no article text: it carries only a summary of 11 words "
        "(feeds often carry only a summary of each article); fetch the article page "
        "(https://tribune.example.com/world/2023/05/13/kessa-talks) instead"
    )

    c = third.article
    assert c is not None
    assert c.published == date(2023, 5, 12)
    assert c.text == (
        "Gunmen on motorcycles opened fire at a crowded cattle market in Ondara on Friday "
        "morning, killing at least four traders, witnesses said.\n\nSoldiers arrived about an "
        "hour later and the attackers fled into the bush, a local official told reporters."
    )


def test_atom_entries_become_articles() -> None:
    first, second = read_all(ATOM)
    assert first.where == f"{ATOM}:item1" and second.where == f"{ATOM}:item2"
    a, b = first.article, second.article
    assert a is not None and b is not None
    assert a.title == "Rebels seize border post at Lanvik & Sorn"
    assert a.url == "https://dispatch.example.org/2024/02/19/lanvik"
    assert a.published == date(2024, 2, 19)  # <published> wins over <updated>
    assert a.source == "Northern Dispatch"
    assert a.text.startswith("Rebel fighters captured the border post at Lanvik")
    assert "\n\nTwo guards were killed" in a.text
    assert b.published == date(2024, 2, 18)  # only <updated>
    assert b.text.startswith("Authorities imposed a night curfew in Tessaly")  # xhtml content
    assert "\n\nPolice said eleven officers" in b.text


def test_feed_source_name_and_published_arguments() -> None:
    results = read_all(ATOM, source_name="My Monitor", published=date(2024, 3, 1))
    assert {r.article.source for r in results if r.article} == {"My Monitor"}
    # the items' own dates win over the argument, as for JSON Lines and CSV
    assert [r.article.published for r in results if r.article] == [
        date(2024, 2, 19),
        date(2024, 2, 18),
    ]


def _feed(items: str) -> str:
    return (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>'
        f"{items}</channel></rss>\n"
    )


LONG = (
    "Security forces clashed with armed men near the northern checkpoint on Tuesday, and "
    "three people were killed in the exchange of fire, a provincial official said."
)


def test_feed_item_date_fallbacks(tmp_path: Path) -> None:
    path = tmp_path / "dates.xml"
    path.write_text(
        _feed(
            f"<item><description>{LONG}</description><pubDate>someday</pubDate></item>"
            f"<item><description>{LONG} Again.</description></item>"
            f"<item><description>{LONG} Late.</description>"
            "<pubDate>Fri, 12 May 2023 23:20:00 -0500</pubDate></item>"
        ),
        encoding="utf-8",
    )
    bad, undated, local = read_all(path, published=date(2023, 6, 1))
    assert bad.article is not None and bad.article.published == date(2023, 6, 1)
    assert bad.warnings == [f"{path}:item1: date someday is not understood; it is left out"]
    assert undated.article is not None and undated.article.published == date(2023, 6, 1)
    assert undated.article.title is None and undated.article.url is None
    # the date as the publisher wrote it, not shifted to UTC (which would be the 13th)
    assert local.article is not None and local.article.published == date(2023, 5, 12)


def test_feed_item_without_any_text(tmp_path: Path) -> None:
    path = tmp_path / "bare.rss"
    path.write_text(_feed("<item><title>Only a title</title></item>"), encoding="utf-8")
    (result,) = read_all(path)
    assert result.error == (
        f"{path}: feed item 1 has no article text: it has no content, description or summary "
        "(feeds often carry only a summary of each article)"
    )


def test_feed_sniffed_without_extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "download"
    shutil.copy(ATOM, path)
    assert len(read_all(path)) == 2
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RSS.read_bytes())))
    results = read_all("-")
    assert [r.where for r in results] == ["<stdin>:item1", "<stdin>:item2", "<stdin>:item3"]


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?>\n<settings><a>1</a></settings>\n', encoding="utf-8")
    (result,) = read_all(path)
    assert result.error is not None
    assert result.error.startswith(f"{path} is not an RSS or Atom feed")
    assert_one_line(result.error)


def test_feed_with_no_items(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rss"
    path.write_text(_feed(""), encoding="utf-8")
    (result,) = read_all(path)
    assert result.error == f"empty input: {path} is a feed with no items"


def test_feed_parsing_never_touches_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    import feedparser.http

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("feed reading tried to fetch something")

    monkeypatch.setattr(feedparser.http, "get", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    path = tmp_path / "link.xml"
    path.write_text("http://127.0.0.1:9/feed.xml", encoding="utf-8")  # a URL, not a feed
    (result,) = read_all(path)
    assert result.error is not None and "is not an RSS or Atom feed" in result.error
    assert len(read_all(RSS)) == 3


def test_html_to_text() -> None:
    fragment = (
        "<div><h2>Update</h2><p>First  line<br>same paragraph.</p>"
        "<script>var x = 1;</script><style>p {}</style><!-- note -->"
        "Loose text<br><br>after a double break &amp; an <b>entity</b>."
        "<ul><li>one</li><li>two</li></ul></div>"
    )
    assert html_to_text(fragment) == (
        "Update\n\nFirst line same paragraph.\n\nLoose text\n\nafter a double break & an "
        "entity.\n\none\n\ntwo"
    )
    assert html_to_text("plain words\n\nsecond   paragraph") == "plain words\n\nsecond paragraph"
    assert html_to_text("   ") == ""


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.csv", b"", "csv"),
        ("a.rss", b"", "feed"),
        ("a.atom", b"", "feed"),
        ("a.XML", b"", "feed"),
        ("-", b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
        ("-", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        ("-", b"<?xml version='1.0'?><rdf:RDF>", "feed"),
        ("-", b"The rss feed said", "txt"),
        ("-", b"text,title\nA,B\n", "txt"),  # CSV needs its extension or --format
    ],
)
def test_detect_format_corpus_forms(name: str, head: bytes, expected: str) -> None:
    assert detect_format(name, None, head) == expected


@pytest.mark.parametrize(("fmt", "expected"), [("CSV", "csv"), ("rss", "feed"), ("atom", "feed")])
def test_format_aliases(fmt: str, expected: str) -> None:
    assert detect_format("x", fmt) == expected


# --------------------------------------------------------------------------- folders


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    (root / ".git").mkdir()
    (root / "a" / "one.txt").write_text(LONG, encoding="utf-8")
    (root / "a" / "notes.md").write_text("# not an input", encoding="utf-8")
    (root / "a" / ".draft.txt").write_text(LONG, encoding="utf-8")
    (root / ".git" / "HEAD.txt").write_text(LONG, encoding="utf-8")
    shutil.copy(CSV, root / "b" / "rows.csv")
    shutil.copy(RSS, root / "b" / "deep" / "feed.xml")
    shutil.copy(INPUTS / "article.html", root / "b" / "page.HTM")
    shutil.copy(INPUTS / "articles.jsonl", root / "z.jsonl")
    shutil.copy(ATOM, root / "Upper.atom")
    return root


def test_iter_paths_walks_sorted_and_skips_hidden(tree: Path) -> None:
    found = [p.relative_to(tree).as_posix() for p in iter_paths([tree])]
    assert found == [
        "Upper.atom",
        "z.jsonl",
        "a/one.txt",
        "b/page.HTM",
        "b/rows.csv",
        "b/deep/feed.xml",
    ]
    assert [p.relative_to(tree).as_posix() for p in iter_paths([str(tree)])] == found


def test_iter_paths_keeps_named_files_and_drops_repeats(tree: Path) -> None:
    named = tree / "a" / "notes.md"
    found = list(iter_paths([named, tree / "a", tree / "a" / "one.txt"]))
    assert found == [named, tree / "a" / "one.txt"]


def test_iter_paths_missing_path_raises_at_once(tree: Path) -> None:
    missing = tree / "nope"
    with pytest.raises(InputError) as caught:
        iter_paths([tree, missing])  # the call itself, before iterating
    assert str(caught.value) == f"cannot read {missing}: no such file or folder"
    with pytest.raises(InputError):
        read_many([missing])


def test_read_many_streams_a_mixed_corpus(tree: Path) -> None:
    results = list(read_many([tree], published=date(2021, 1, 1), source_name="Corpus"))
    by_file: dict[str, list[ReadResult]] = {}
    for result in results:
        by_file.setdefault(Path(result.where.split(":")[0]).name, []).append(result)
    assert list(by_file) == ["Upper.atom", "z.jsonl", "one.txt", "page.HTM", "rows.csv", "feed.xml"]
    assert [len(v) for v in by_file.values()] == [2, 3, 1, 1, 4, 3]
    assert sum(r.ok for r in results) == 2 + 2 + 1 + 1 + 3 + 2
    assert by_file["one.txt"][0].article.source == "Corpus"  # type: ignore[union-attr]
    assert by_file["Upper.atom"][0].article.source == "Corpus"  # type: ignore[union-attr]


def test_read_many_unreadable_file_is_an_error_result(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import eventwatch.readers as readers

    real_open = readers._open

    def flaky(source: str | Path):  # type: ignore[no-untyped-def]
        if Path(source).name == "one.txt":
            raise InputError(f"cannot read {source}: permission denied")
        return real_open(source)

    monkeypatch.setattr(readers, "_open", flaky)
    results = list(read_many([tree / "a", tree / "z.jsonl"]))
    assert results[0].error == f"cannot read {tree / 'a' / 'one.txt'}: permission denied"
    assert len(results) == 4


# --------------------------------------------------------------------------- fetching URLs

PAGE = (INPUTS / "fetch_page.html").read_text(encoding="utf-8")
PLAIN = (INPUTS / "english.txt").read_text(encoding="utf-8")


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        try:
            if path == "/news/ravenna":  # no <meta charset>: only the header says latin-1
                self._send(200, PAGE.encode("latin-1"), "text/html; charset=ISO-8859-1")
            elif path == "/cyrillic":  # guessing would get this one wrong
                body = PAGE.replace("café", "кафе «Берёза»").encode("cp1251")
                self._send(200, body, "text/html; charset=windows-1251")
            elif path == "/old-address":
                self._send(301, b"", "text/html", Location="/news/ravenna")
            elif path == "/loop":
                self._send(302, b"", "text/html", Location="/loop")
            elif path == "/report.pdf":
                self._send(200, b"%PDF-1.7\n" + b"0" * 500, "application/pdf")
            elif path == "/wire.txt":
                self._send(200, PLAIN.encode("utf-8"), "text/plain; charset=utf-8")
            elif path == "/untyped":
                body = PAGE.replace("<head>", '<head><meta charset="utf-8">').encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif path == "/huge":
                self._send(200, b"<html><body>" + b"<p>words</p>" * 2000, "text/html")
            elif path == "/index":
                self._send(200, (INPUTS / "index.html").read_bytes(), "text/html; charset=utf-8")
            elif path == "/slow":
                time.sleep(1.5)
                self._send(200, PAGE.encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/broken":
                self._send(500, b"oops", "text/plain")
            else:
                self._send(404, b"not here", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fetch_urls_against_a_local_server(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# pages to read\n"
        f"{server}/news/ravenna\n"
        "\n"
        f"{server}/missing\n"
        f"{server}/old-address\n"
        f"{server}/report.pdf\n"
        f"   {server}/slow   \n"
        "not a url at all\n"
        "ftp://files.example.org/report.txt\n"
        f"{server}/broken\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    results = list(fetch_urls(urls, timeout=0.5))
    elapsed = time.monotonic() - started
    assert [r.where for r in results] == [f"{urls}:{n}" for n in (2, 4, 5, 6, 7, 8, 9, 10)]
    good, missing, moved, pdf, slow, bad, ftp, broken = results

    assert good.ok, good.error
    article = good.article
    assert article is not None
    assert article.url == f"{server}/news/ravenna"  # the address fetched, not the canonical link
    assert article.title == "Mortar fire kills three in Ravenna Hills camp"
    assert article.published == date(2023, 11, 2)
    assert "Mortar rounds fell on a camp for displaced families" in article.text
    assert "a field clinic near the café by the road" in article.text  # header charset honoured
    assert "Subscribe" not in article.text and "\n\n" in article.text

    assert missing.error == f"{urls}:4: {server}/missing: HTTP 404 Not Found"

    assert moved.ok and moved.article is not None
    assert moved.article.url == f"{server}/news/ravenna"  # final URL after the redirect

    assert pdf.error == (
        f"{urls}:6: {server}/report.pdf: content type application/pdf is not an HTML page or "
        "plain text; EventWatch reads article pages (save other documents as text first)"
    )
    assert slow.error == f"{urls}:7: {server}/slow: timed out after 0.5 s"
    assert bad.error == (
        f"{urls}:8: 'not a url at all' is not a web address (contains spaces): "
        "give one http:// or https:// URL per line"
    )
    assert ftp.error is not None and "is not an http:// or https:// address" in ftp.error
    assert broken.error == f"{urls}:10: {server}/broken: HTTP 500 Internal Server Error"
    for result in (missing, pdf, slow, bad, ftp, broken):
        assert_one_line(result.error)
    assert elapsed < 5


def test_fetch_other_outcomes(server: str, tmp_path: Path) -> None:
    port = _closed_port()
    urls = tmp_path / "more.txt"
    urls.write_bytes(
        "\ufeff".encode()
        + (
            f"{server}/wire.txt\n"
            f"{server}/untyped\n"
            f"{server}/cyrillic\n"
            f"{server}/huge\n"
            f"{server}/index\n"
            f"{server}/loop\n"
            f"http://127.0.0.1:{port}/gone\n"
            "www.example.org/no-scheme\n"
        ).encode()
    )
    results = list(fetch_urls(urls, max_bytes=20_000))
    plain, untyped, cyrillic, huge, index, loop, refused, no_scheme = results
    assert plain.ok and plain.article is not None
    assert plain.article.text == PLAIN and plain.article.url == f"{server}/wire.txt"
    assert untyped.ok and untyped.article is not None  # no Content-Type: sniffed as HTML
    assert cyrillic.article is not None and "near the кафе «Берёза» by" in cyrillic.article.text
    assert (
        huge.error == f"{urls}:4: {server}/huge: page is 24,012 bytes, more than the 20,000 allowed"
    )
    assert index.error is not None and "no article text found in" in index.error
    assert loop.error is not None and "more than 10 redirects" in loop.error
    assert refused.error is not None
    assert refused.error.startswith(f"{urls}:7: http://127.0.0.1:{port}/gone: cannot fetch (")
    assert no_scheme.error is not None and "has no http:// or https://" in no_scheme.error


def test_fetch_body_limit_without_content_length(server: str, tmp_path: Path) -> None:
    class Chunked(_Handler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(50):
                chunk = b"<p>" + b"x" * 1000 + b"</p>"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")

    httpd = _Server(("127.0.0.1", 0), Chunked)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        urls = tmp_path / "u.txt"
        url = f"http://127.0.0.1:{httpd.server_address[1]}/stream"
        urls.write_text(url + "\n", encoding="utf-8")
        (result,) = fetch_urls(urls, max_bytes=10_000)
        assert result.error == f"{urls}:1: {url}: page is larger than the 10,000 bytes allowed"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_urls_missing_file_raises_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        fetch_urls(tmp_path / "nope.txt")
