"""The executors' half of the job without Spark: records read exactly as `eventwatch extract` reads
them, and an article the pipeline fails on recorded while the rest goes on."""

from __future__ import annotations

from datetime import date, datetime

from eventwatch.pipeline import Pipeline
from eventwatch.readers import read_inputs
from eventwatch.spark.extraction import Counts, outcomes, read_record
from tests.spark.conftest import ARTICLES


def test_a_line_is_read_as_extract_reads_it():
    lines = [line for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    expected = list(read_inputs(ARTICLES))
    got = [read_record(line, "x") for line in lines]
    assert [(r.article, r.error is None, r.skip_reason is None) for r in got] == [
        (r.article, r.error is None, r.skip_reason is None) for r in expected]


def test_a_parquet_row_with_typed_values_is_read_like_its_json():
    row = {"id": 7, "published": date(2024, 3, 11), "title": None, "text": "Shelling hit Kharkiv on Sunday."}
    article = read_record(row, "part-0.parquet").article
    assert (article.id, article.published, article.title) == ("7", date(2024, 3, 11), None)
    stamped = read_record({**row, "published": datetime(2024, 3, 11, 22, 30)}, "part-0.parquet").article
    assert stamped.published == date(2024, 3, 11)


class _FailsOn(Pipeline):
    """The real pipeline, except that it breaks on one article."""

    def __init__(self, gazetteer, article_id: str) -> None:
        super().__init__(gazetteer)
        self.article_id = article_id

    def extract_article(self, article):
        if article.id == self.article_id:
            raise ValueError("no sentences")
        return super().extract_article(article)


def test_an_article_the_pipeline_fails_on_is_recorded_and_the_rest_goes_on(pipeline):
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    results = list(outcomes((("in.jsonl", line) for line in lines), _FailsOn(pipeline.gazetteer, "kh-2")))
    [failed] = [o for o in results if o.stage == "extract"]
    assert failed.error == "ValueError: no sentences" and '"id": "kh-2"' in failed.record
    total = sum(map(Counts.of, results), Counts())
    assert (total.articles, total.failed, total.skipped, total.reports) == (13, 3, 1, 8)
