"""The Spark job in local mode on real articles: the same events as the local path, whatever the
input format and the partitioning; bad records recorded, the rest processed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eventwatch.corpus.merge import merge_corpus
from eventwatch.errors import ConfigError
from eventwatch.export import PARQUET_COLUMNS, parquet_schema
from eventwatch.readers import read_inputs
from eventwatch.spark import spark_extract
from eventwatch.spark.outputs import event_row
from tests.spark.conftest import ARTICLES

pq = pytest.importorskip("pyarrow.parquet")
NAMES = [name for name, _ in PARQUET_COLUMNS]


def _events(folder: Path) -> dict[str, dict]:
    return {row["event_id"]: row for row in pq.read_table(folder / "events").to_pylist()}


@pytest.fixture(scope="module")
def local_events(pipeline) -> dict[str, dict]:
    """What the local path gives: every readable article through the pipeline, then merge_corpus."""
    reports = []
    for result in read_inputs(ARTICLES):
        if result.ok and not result.skip_reason:
            reports += pipeline.extract_article(result.article)
    _clusters, merged = merge_corpus(reports)
    return {ce.event.event_id: dict(zip(NAMES, event_row(ce), strict=True)) for ce in merged}


@pytest.fixture(scope="module")
def jsonl_run(spark, tmp_path_factory):
    out = tmp_path_factory.mktemp("jsonl")
    return spark_extract(spark, str(ARTICLES), str(out)), out


def test_events_equal_the_local_path(jsonl_run, local_events):
    _report, out = jsonl_run
    assert _events(out) == local_events


def test_reports_of_one_incident_from_several_outlets_become_one_event(jsonl_run):
    _report, out = jsonl_run
    by_place = {}
    for event in _events(out).values():
        by_place.setdefault((event["location"], event["event_date"]), []).append(event)
    [kharkiv] = by_place[("Kharkiv", date(2024, 3, 10))]
    assert kharkiv["article_ids"] == ["kh-1", "kh-2", "kh-3"]
    assert kharkiv["sources"] == ["Dnipro Daily", "Eastern Herald", "Kyiv Wire"]
    assert (kharkiv["fatalities"], kharkiv["injuries"]) == (3, 7)  # the most conservative toll of 3, 3 and 4
    assert by_place[("Bandiagara", date(2024, 2, 18))][0]["article_ids"] == ["ml-1", "ml-2"]
    # Distractors stay apart: the same city four days later, another city the next day, an undated report.
    assert [e["article_ids"] for e in by_place[("Kharkiv", date(2024, 3, 14))]] == [["kh-4"]]
    assert [e["article_ids"] for e in by_place[("Odesa", date(2024, 3, 11))]] == [["od-1"]]
    assert [e["article_ids"] for e in by_place[("Kherson", None)]] == [["undated"]]
    assert len(by_place) == 6


def test_the_summary_counts_articles_reports_and_failures(jsonl_run):
    report, _out = jsonl_run
    assert (report.articles, report.skipped, report.failed) == (13, 1, 2)  # blank line not counted; French skipped
    assert (report.reports, report.events) == (9, 6)
    assert report.partitions == 2 and report.seconds > 0


def test_bad_records_are_recorded_and_the_rest_goes_on(jsonl_run):
    _report, out = jsonl_run
    failures = sorted(pq.read_table(out / "failures").to_pylist(), key=lambda row: row["record"])
    assert [(f["stage"], f["record"]) for f in failures] == [
        ("read", '{"id": "no-text", "title": "A title and nothing else"}'),
        ("read", "{not json at all"),
    ]
    assert 'no "text" field' in failures[0]["error"] and "not valid JSON" in failures[1]["error"]
    assert all(f["where"].endswith("tests/spark/articles.jsonl") for f in failures)


def test_events_have_the_columns_and_types_of_the_parquet_export(jsonl_run):
    _report, out = jsonl_run
    assert pq.read_table(out / "events").schema.equals(parquet_schema())


def test_more_partitions_give_the_same_events(spark, tmp_path, jsonl_run):
    report = spark_extract(spark, str(ARTICLES), str(tmp_path), partitions=5)
    assert report.partitions == 5
    assert _events(tmp_path) == _events(jsonl_run[1])


def test_parquet_input_gives_the_same_events_as_jsonl(spark, tmp_path, jsonl_run):
    import pyarrow as pa

    records = [json.loads(line) for line in ARTICLES.read_text().splitlines() if line.startswith('{"')]
    schema = pa.schema([("id", pa.string()), ("title", pa.string()), ("published", pa.date32()),
                        ("source", pa.string()), ("text", pa.string()), ("extra", pa.int64())])
    rows = [{**r, "published": date.fromisoformat(r["published"]) if r.get("published") else None, "extra": 1}
            for r in records]
    (tmp_path / "in").mkdir()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_path / "in" / "part-0.parquet")
    report = spark_extract(spark, str(tmp_path / "in"), str(tmp_path / "out"))
    assert _events(tmp_path / "out") == _events(jsonl_run[1])
    assert report.failed == 1  # the record without text; a Parquet file has no malformed lines


def test_an_existing_output_is_kept_unless_overwrite(spark, jsonl_run):
    _report, out = jsonl_run
    with pytest.raises(ConfigError, match="already exists: pass --overwrite"):
        spark_extract(spark, str(ARTICLES), str(out))
