"""The map page in a real browser: Debian's Chromium driven by Playwright.

A small corpus is ingested into a temporary SQLite store, the real app
(``eventwatch.web.app.create_app``) is served by uvicorn on a free loopback
port, and the page is checked the way a user would use it: it loads without
console errors, draws as many events as the API counts, filters through the
form and the URL, highlights evidence in the detail panel, and shows an
article's markup as text.  A screenshot goes to ``artifacts/map.png``.

Skipped (with the reason) when /usr/bin/chromium, the Python ``playwright``
package or ``eventwatch/web/node_modules`` is missing: ``make setup`` installs
all three (apt-get install chromium, pip, npm ci).
"""

from __future__ import annotations

import importlib
import json
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "eventwatch" / "web"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
if not (WEB / "node_modules" / "leaflet").is_dir():
    pytest.skip("browser tests need the page's npm packages (cd eventwatch/web && npm ci)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the Python package playwright")
uvicorn = pytest.importorskip("uvicorn", reason="browser tests need uvicorn to serve the app")

from eventwatch.web.process import free_port  # noqa: E402

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'

ARTICLES = [
    {
        "id": "web-ua-1", "title": "Shelling kills one in Huliaipole", "published": "2024-11-22",
        "source": "Steppe Test Wire", "url": "https://example.org/ua-1",
        "text": "ZAPORIZHZHIA, Ukraine — Russian artillery shelled the town of Huliaipole on Thursday, "
                "killing an elderly man and wounding his neighbour, the regional governor said.\n\n"
                "The shells struck a row of houses near the market, Governor Ivan Fedorov wrote on "
                "Telegram. The wounded woman was taken to hospital.\n\n"
                "The town lies a few kilometres from the front line.",
    },
    {
        "id": "web-ua-2", "title": "Drone hits a car near Orikhiv", "published": "2024-11-22",
        "source": "Steppe Test Wire", "url": "https://example.org/ua-2",
        "text": "ZAPORIZHZHIA, Ukraine — A Russian drone dropped explosives on a car on a road near "
                "Orikhiv on Wednesday, injuring the driver, the regional governor said.\n\n"
                "The driver works for the local water company.",
    },
    {
        "id": "web-ml-1", "title": "Soldiers and militants killed near Douentza", "published": "2024-02-15",
        "source": "Sahel Test Post", "url": "https://example.org/ml-1",
        "text": "MOPTI, Mali — Four Malian soldiers and nine militants were killed on Tuesday when JNIM "
                "fighters attacked an army patrol outside Douentza, in central Mali's Mopti region, the "
                "army said on Wednesday.\n\nThe patrol was escorting fuel trucks when it came under fire "
                "from gunmen on motorcycles, the statement said.",
    },
    {
        "id": "web-sy-1", "title": "Air strike in Idlib breaks truce", "published": "2024-03-08",
        "source": "Levant Test News", "url": "javascript:window.__xss=3",
        "text": "IDLIB, Syria — Syrian government aircraft struck a market in the town of Ariha on "
                "Thursday, killing five civilians, in a violation of the ceasefire agreed last month, "
                "local rescuers said.\n\nThe strike hit shops in the town centre during the morning, the "
                f"rescuers said.\n\nA reader comment quoted in the report read: {XSS_SCRIPT} and "
                f"{XSS_IMG} should appear as plain text.",
    },
    {
        "id": "web-ng-1", "title": "Protesters march in Lagos over fuel prices", "published": "2024-08-02",
        "source": "Lagos Test Daily",
        "text": "LAGOS, Nigeria — Hundreds of people marched peacefully through Ikeja in Lagos on Thursday "
                "to protest against rising fuel prices, witnesses said.\n\nThe protesters carried "
                "placards and dispersed in the evening without incident, police said.",
    },
    {
        "id": "web-ye-1", "title": "Drone strike kills three in Hodeidah", "published": "2024-06-11",
        "source": "Red Sea Test Report",
        "text": "HODEIDAH, Yemen — A drone strike killed three fishermen and wounded two others near the "
                "port city of Hodeidah on Monday, medical sources said.\n\nThe boat was hit as it "
                "returned to the harbour, the sources said.",
    },
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app over a small ingested corpus, served on a free loopback port; yields its base URL."""
    from eventwatch.ingest import ingest
    from eventwatch.readers import read_many
    from eventwatch.store import open_store

    create_app = importlib.import_module("eventwatch.web.app").create_app

    folder = tmp_path_factory.mktemp("web")
    corpus = folder / "articles.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    store = open_store(folder / "events.db")
    report = ingest(read_many([corpus]), store, workers=1)
    assert report.stored == len(ARTICLES) and report.failed == 0, report

    port = free_port()
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)
    store.close()


def api(base: str, path: str, **params) -> dict:
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    with urllib.request.urlopen(f"{base}{path}{'?' + query if query else ''}", timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class PageWatch:
    """A page with its console errors, uncaught exceptions and off-machine requests recorded."""

    def __init__(self, browser, base: str):
        # The app's Content-Security-Policy forbids eval, which Playwright's wait_for_function
        # needs; the page is tested without it, so the XSS test relies on the page's own escaping.
        self.context = browser.new_context(viewport={"width": 1400, "height": 860}, bypass_csp=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        host = urllib.parse.urlsplit(base).netloc

        def route(r):
            if urllib.parse.urlsplit(r.request.url).netloc in (host, ""):
                r.continue_()
            else:  # nothing may come from the internet: no CDN, no tiles by default
                self.external.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)

    def open(self, url: str):
        self.page.goto(url)
        self.ready()
        return self.page

    def ready(self):
        self.page.wait_for_function("document.body.dataset.state === 'ready' || document.body.dataset.state === 'error'")
        assert self.page.evaluate("document.body.dataset.state") == "ready", self.page.inner_text("#summary")

    def close(self):
        self.context.close()


@pytest.fixture()
def watch(browser, server):
    w = PageWatch(browser, server)
    yield w
    w.close()


def drawn(page) -> int:
    return int(page.get_attribute("#map", "data-drawn"))


def visible_total(page) -> int:
    """Events seen on the map: single markers plus the counts written on cluster icons."""
    return page.evaluate("""() => {
        const singles = document.querySelectorAll('path.ew-marker').length;
        const clustered = [...document.querySelectorAll('.cluster')].reduce((s, c) => s + Number(c.dataset.count), 0);
        return singles + clustered;
    }""")


def query_of(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def test_page_loads_offline_and_draws_every_event(watch, server):
    page = watch.open(server + "/")
    total = api(server, "/api/events", limit=1)["total"]
    assert total >= 5
    assert drawn(page) == total
    page.wait_for_timeout(400)  # clustering is chunked; let the last chunk land
    assert visible_total(page) == total
    assert page.get_attribute("#summary", "data-total") == str(total)
    # The basemap (Natural Earth countries from world-atlas) is drawn as vector paths.
    assert page.locator(".leaflet-basemap-pane path").count() >= 1
    # The timeline has a chart with one bar group per day that has events.
    assert page.locator("#timeline canvas").count() >= 1
    assert int(page.get_attribute("#timeline", "data-days")) >= 5
    assert watch.errors == []
    assert watch.external == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"))


def test_filters_change_the_map_and_the_url(watch, server):
    page = watch.open(server + "/")
    everything = drawn(page)

    page.fill("#f-min_fatalities", "3")
    page.dispatch_event("#f-min_fatalities", "change")
    page.wait_for_function("new URLSearchParams(location.search).get('min_fatalities') === '3'")
    watch.ready()
    expected = api(server, "/api/events", min_fatalities=3, limit=1)["total"]
    assert 0 < expected < everything
    assert drawn(page) == expected
    assert query_of(page) == {"min_fatalities": "3"}

    page.select_option("#f-event_type", "Explosions/Remote violence")
    page.wait_for_function("new URLSearchParams(location.search).get('event_type') !== null")
    watch.ready()
    expected = api(server, "/api/events", min_fatalities=3, event_type="Explosions/Remote violence", limit=1)["total"]
    assert drawn(page) == expected
    assert query_of(page) == {"min_fatalities": "3", "event_type": "Explosions/Remote violence"}

    # The URL is the view: opening it elsewhere restores the filters and the same map.
    shared = page.url
    other = watch.context.new_page()
    other.goto(shared)
    other.wait_for_function("document.body.dataset.state === 'ready'")
    assert drawn(other) == expected
    assert other.input_value("#f-min_fatalities") == "3"
    assert other.input_value("#f-event_type") == "Explosions/Remote violence"
    other.close()

    # Country and ceasefire filters from a shared link.
    page = watch.open(server + "/?country=Ukraine")
    expected = api(server, "/api/events", country="Ukraine", limit=1)["total"]
    assert expected >= 1 and drawn(page) == expected
    assert page.input_value("#f-country") == "Ukraine"
    page = watch.open(server + "/?ceasefire_violation=true")
    assert drawn(page) == api(server, "/api/events", ceasefire_violation="true", limit=1)["total"] == 1

    # Back returns to the previous view.
    page = watch.open(server + "/")
    page.select_option("#f-event_type", "Battles")
    page.wait_for_function("location.search.includes('event_type=Battles')")
    watch.ready()
    assert drawn(page) == api(server, "/api/events", event_type="Battles", limit=1)["total"]
    page.go_back()
    page.wait_for_function("!location.search.includes('event_type')")
    watch.ready()
    assert drawn(page) == everything
    assert page.input_value("#f-event_type") == ""
    assert watch.errors == []


def test_brushing_the_timeline_filters_by_date(watch, server):
    page = watch.open(server + "/")
    box = page.locator("#timeline .u-over").bounding_box()
    y = box["y"] + box["height"] / 2
    # Drag across the right half of the chart: the later events only.
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.move(box["x"] + box["width"] - 1, y, steps=5)
    page.mouse.up()
    page.wait_for_function("new URLSearchParams(location.search).get('start') !== null")
    watch.ready()
    params = query_of(page)
    expected = api(server, "/api/events", start=params["start"], end=params["end"], limit=1)["total"]
    everything = api(server, "/api/events", limit=1)["total"]
    assert 0 < expected < everything
    assert drawn(page) == expected
    assert page.input_value("#f-start") == params["start"]
    assert watch.errors == []


def _event_id(server: str, **filters) -> str:
    events = api(server, "/api/events", **filters)["events"]
    assert len(events) == 1, events
    return events[0]["event_id"]


def test_clicking_an_event_shows_its_evidence_highlighted(watch, server):
    page = watch.open(server + "/?country=Mali")
    event_id = _event_id(server, country="Mali")
    page.locator(f'path.ew-marker[data-event-id="{event_id}"]').click()
    page.wait_for_function("document.getElementById('detail').dataset.state === 'ready'")
    panel = page.locator("#detail")
    assert panel.is_visible()
    assert query_of(page)["event"] == event_id
    text = panel.inner_text()
    assert "Battles" in text and "Douentza" in text and "13" in text
    marks = page.locator("#detail mark.evidence")
    assert marks.count() >= 1
    assert "Four Malian soldiers and nine militants were killed" in marks.first.inner_text()
    # The rest of the article is there too, not highlighted.
    assert "The patrol was escorting fuel trucks" in page.locator("#detail .article-text").inner_text()
    assert page.locator("#detail .article h3 a").get_attribute("href") == "https://example.org/ml-1"
    # Sharing the URL opens the same panel.
    again = watch.context.new_page()
    again.goto(page.url)
    again.wait_for_function("document.getElementById('detail').dataset.state === 'ready'")
    assert again.locator("#detail mark.evidence").count() >= 1
    again.close()
    page.screenshot(path=str(ARTIFACTS / "map-detail.png"))
    assert watch.errors == []


def test_article_markup_is_shown_as_text(watch, server):
    event_id = _event_id(server, country="Syria")
    page = watch.open(server + f"/?event={event_id}")
    page.wait_for_function("document.getElementById('detail').dataset.state === 'ready'")
    page.wait_for_timeout(300)  # an injected <img onerror> would have fired by now
    article = page.locator("#detail .article-text")
    shown = article.inner_text()
    assert XSS_SCRIPT in shown
    assert XSS_IMG in shown
    assert page.evaluate("window.__xss") is None
    assert page.locator("#detail script, #detail img").count() == 0
    # A javascript: URL is not made a link.
    assert page.locator("#detail .article h3 a").count() == 0
    assert "Air strike in Idlib breaks truce" in page.locator("#detail .article h3").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-xss.png"))
    assert watch.errors == []
