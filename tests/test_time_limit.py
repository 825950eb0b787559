"""The per-article time limit: past it, an article is a recorded failure in extract, ingest and
POST /api/ingest, and the run goes on.  No test here measures speed: each sets a limit no
extraction can meet (a nanosecond) and checks what is recorded."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from eventwatch.cli import cli
from eventwatch.deadline import TIME_LIMIT_ENV, Deadline, time_limit_from_env
from eventwatch.errors import ConfigError, TimeLimitError
from eventwatch.ingest import ingest
from eventwatch.model import Article
from eventwatch.pipeline import Pipeline
from eventwatch.readers import ReadResult
from eventwatch.store import open_store

NANOSECOND = 1e-9
PARAGRAPH = ("GAO, Mali — Gunmen killed seven villagers and wounded four others in an attack on a "
             "market near Gao on Saturday, a local official said on Sunday.")
LONG_TEXT = "\n\n".join([PARAGRAPH] * 300)  # about 45 KB


def test_a_deadline_passes_until_its_time_then_names_the_article_and_the_limit():
    now = [100.0]
    deadline = Deadline(60.0, "article a-1", clock=lambda: now[0])
    now[0] = 159.9
    deadline.check()
    now[0] = 160.1
    with pytest.raises(TimeLimitError, match=r"article a-1: .*time limit of 60 s"):
        deadline.check()


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan", "inf"])
def test_an_impossible_limit_in_the_environment_is_refused(monkeypatch, value):
    monkeypatch.setenv(TIME_LIMIT_ENV, value)
    with pytest.raises(ConfigError, match=TIME_LIMIT_ENV):
        time_limit_from_env()


def test_the_pipeline_stops_an_article_at_its_limit(pipeline):
    quick = Pipeline(pipeline.gazetteer, time_limit=NANOSECOND)
    article = Article(text=LONG_TEXT, id="long-1", title="Market attack", published=date(2024, 3, 4))
    with pytest.raises(TimeLimitError, match=r"article long-1 \('Market attack'\).*time limit of 1e-09 s"):
        quick.extract_article(article)
    assert Pipeline(pipeline.gazetteer, time_limit=60).extract_article(article)  # the same article, in time


def test_extract_records_each_article_over_the_limit_and_goes_on(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": f"a{n}", "text": LONG_TEXT}) + "\n" for n in range(2)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(batch), "--format", "jsonl", "--time-limit", str(NANOSECOND)])
    assert result.exit_code == 1
    assert result.stdout == ""
    failures = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(failures) == 2 and all("time limit of 1e-09 s" in line for line in failures)
    assert "article a0" in failures[0] and "article a1" in failures[1]
    assert "2 article(s) read, 0 event(s) found, 2 input(s) failed." in result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_records_an_article_over_the_limit_as_a_failure(tmp_path, workers):
    store = open_store(tmp_path / "events.db")
    results = [ReadResult(Article(text=LONG_TEXT, id=f"long-{n}"), None, f"test:{n}") for n in range(3)]
    report = ingest(results, store, workers=workers, time_limit=NANOSECOND)
    assert (report.failed, report.stored) == (3, 0)
    failures = store.failures()
    assert sorted(f["where_"] for f in failures) == ["long-0", "long-1", "long-2"]
    assert all(f["stage"] == "extract" and "time limit of 1e-09 s" in f["message"] for f in failures)
    store.close()


def test_ingest_command_takes_the_limit_from_its_flag(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "long-1", "text": LONG_TEXT}) + "\n", encoding="utf-8")
    db = tmp_path / "events.db"
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", str(db), "--workers", "1",
                                      "--time-limit", str(NANOSECOND)])
    assert result.exit_code == 1
    assert "failed: long-1: article long-1: extraction stopped at its time limit of 1e-09 s" in result.stderr


def test_the_ingest_api_records_an_article_over_the_limit(tmp_path, monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from eventwatch.web import create_app

    monkeypatch.setenv(TIME_LIMIT_ENV, str(NANOSECOND))
    store = open_store(tmp_path / "events.db")
    key = "ingest-key-0123456789"
    with TestClient(create_app(store, api_key=key)) as client:
        response = client.post("/api/ingest", json={"articles": [{"id": "long-1", "text": LONG_TEXT}]},
                               headers={"X-API-Key": key})
    store.close()
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["failed"] == 1 and body["stored"] == 0
    (article,) = body["articles"]
    assert article["status"] == "failed" and "time limit of 1e-09 s" in article["error"]
