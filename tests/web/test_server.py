"""A real uvicorn server in a subprocess on a loopback port, queried over HTTP."""

from __future__ import annotations

import os
from datetime import date

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

from eventwatch.ingest import ingest  # noqa: E402
from eventwatch.model import Article  # noqa: E402
from eventwatch.readers import ReadResult  # noqa: E402
from eventwatch.store import open_store  # noqa: E402
from eventwatch.web.process import served  # noqa: E402

TEXT = ("KHERSON, Ukraine — Russian artillery shelled a residential district of Kherson on Tuesday, killing three "
        "civilians and wounding five others, the regional governor said.")
API_KEY = "server-test-key-0123"


def test_uvicorn_serves_the_api(tmp_path):
    db = tmp_path / "events.db"
    store = open_store(db)
    ingest([ReadResult(Article(text=TEXT, published=date(2024, 3, 6), source="Dnipro Wire"), None, "t")],
           store, workers=1)
    store.close()

    env = {**os.environ, "EVENTWATCH_DB": str(db), "EVENTWATCH_API_KEY": API_KEY}
    env.pop("EVENTWATCH_READ_KEY", None)
    with served("--log-level", "warning", env=env, timeout=30) as base:
        with httpx.Client(base_url=base, timeout=10) as client:
            health = client.get("/api/health").json()
            assert health["ok"] and health["counts"]["events"] == 1
            page = client.get("/api/events", params={"country": "UA", "min_fatalities": 1}).json()
            assert page["total"] == 1 and page["events"][0]["location"] == "Kherson"
            geo = client.get("/api/events.geojson", params={"country": "UA", "start": "2024-03-01"})
            assert geo.status_code == 200 and len(geo.json()["features"]) == 1
            assert geo.headers["x-content-type-options"] == "nosniff"
            bad = client.get("/api/events", params={"start": "March"})
            assert bad.status_code == 400 and bad.json()["status"] == 400
            added = client.post("/api/ingest", headers={"X-API-Key": API_KEY}, json={"articles": [{
                "text": "A Russian missile struck an apartment block in Kharkiv, Ukraine, on Monday, killing four "
                        "residents, the mayor said.", "published": "2024-04-02"}]})
            assert added.status_code == 200 and added.json()["stored"] == 1
            assert client.get("/api/events").json()["total"] == 2
