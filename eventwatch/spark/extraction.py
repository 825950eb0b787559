"""The executors' half of extraction: input records -> Articles -> reports, one pipeline per worker.

A record is one line of JSON Lines or one Parquet row.  It becomes an Article
through the readers' own checks and messages (``readers.jsonl_line_result``,
``readers.article_record_result``), so a record is read exactly as
``eventwatch extract`` reads it.  Every record gives one ``Outcome``: its
reports, or the reason it failed (which the job writes to OUTPUT/failures).
Nothing here needs Spark but :func:`extract_partition`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eventwatch.model import Event
from eventwatch.pipeline import Pipeline
from eventwatch.readers import ReadResult, article_record_result, jsonl_line_result

logger = logging.getLogger(__name__)

#: Columns taken from Parquet input (``text`` is required), as in a JSON Lines article object.
ARTICLE_FIELDS = ("id", "title", "published", "source", "url", "text")
#: Characters of a failed record kept in OUTPUT/failures, to find it again.
EXCERPT_CHARS = 200


@dataclass(slots=True, frozen=True)
class Outcome:
    """What became of one input record: its reports, or why it failed (``stage`` is
    "read" or "extract").  ``skipped`` records were read but give no events by design
    (not English)."""

    where: str
    record: str
    reports: tuple[Event, ...] = ()
    error: str | None = None
    stage: str | None = None
    skipped: bool = False

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(slots=True, frozen=True)
class Counts:
    """Records read, skipped and failed, and reports found; added up over partitions."""

    articles: int = 0
    skipped: int = 0
    failed: int = 0
    reports: int = 0

    @classmethod
    def of(cls, outcome: Outcome) -> Counts:
        return cls(1, int(outcome.skipped), int(outcome.failed), len(outcome.reports))

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.articles + other.articles, self.skipped + other.skipped,
            self.failed + other.failed, self.reports + other.reports,
        )


def _plain(value: Any) -> Any:
    """A Parquet value as JSON would carry it: dates and timestamps as ISO text."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def read_record(record: str | Mapping[str, Any], where: str) -> ReadResult:
    """One record (a JSON Lines line, or a Parquet row as a mapping) as a ``ReadResult``."""
    if isinstance(record, str):
        return jsonl_line_result(record.removeprefix("\ufeff"), where)
    return article_record_result({key: _plain(value) for key, value in record.items()}, where)


def _excerpt(record: str | Mapping[str, Any]) -> str:
    if isinstance(record, str):
        return record[:EXCERPT_CHARS]
    shown = {key: value for key, value in record.items() if key != "text"}
    text = record.get("text")
    if isinstance(text, str):
        shown["text"] = text[:80]
    return repr(shown)[:EXCERPT_CHARS]


def outcomes(records: Iterable[tuple[str, str | Mapping[str, Any]]], pipeline: Pipeline) -> Iterator[Outcome]:
    """(where, record) pairs -> one Outcome per record; blank lines are passed over."""
    for where, record in records:
        if isinstance(record, str) and not record.strip():
            continue
        result = read_record(record, where)
        if result.error:
            yield Outcome(where, _excerpt(record), error=result.error, stage="read")
            continue
        if result.skip_reason:
            logger.info("%s", result.skip_reason)
            yield Outcome(where, _excerpt(record), skipped=True)
            continue
        try:
            reports = tuple(pipeline.extract_article(result.article))
        except Exception as error:  # one article must not end the job: it is recorded, the rest goes on
            logger.debug("extraction failed in %s", where, exc_info=True)
            yield Outcome(where, _excerpt(record), error=f"{type(error).__name__}: {error}", stage="extract")
            continue
        yield Outcome(where, _excerpt(record), reports=reports)


@functools.cache
def _pipeline(gazetteer_file: str) -> Pipeline:
    """The pipeline of this Python worker (Spark reuses workers across tasks), over the
    gazetteer file the driver shipped with ``SparkContext.addFile``."""
    from pyspark import SparkFiles

    from eventwatch.geo.gazetteer import Gazetteer

    return Pipeline(Gazetteer.open(Path(SparkFiles.get(gazetteer_file)), build_if_missing=False))


def extract_partition(rows: Iterable[Any], *, gazetteer_file: str) -> Iterator[Outcome]:
    """``mapPartitions`` function: rows with ``where`` and ``record`` (a line, or a Row of
    ARTICLE_FIELDS) -> Outcomes, through one pipeline for the whole partition."""
    pipeline = _pipeline(gazetteer_file)
    records = (
        (row.where, row.record if isinstance(row.record, str) else row.record.asDict(recursive=True))
        for row in rows
    )
    return outcomes(records, pipeline)
