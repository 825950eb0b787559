"""The Spark job: articles (JSON Lines or Parquet, any path Spark reads) in, events as Parquet out.

    spark-submit "$(python -c 'import eventwatch.spark.job as j; print(j.__file__)')" INPUT OUTPUT
    python -m eventwatch.spark INPUT OUTPUT
    eventwatch spark-extract INPUT OUTPUT

1. The driver locates (or builds) its gazetteer file and ships it with
   ``SparkContext.addFile``; executors open it through ``SparkFiles``.
2. Records are read by Spark (``text`` for JSON Lines: one row per line;
   ``parquet``: the article columns), spread over the partitions, and each
   partition runs one pipeline (``extraction.extract_partition``).
3. Reports are merged across articles with Spark operations
   (``islands.merged_events``); the result equals ``corpus.merge.merge_corpus``
   over all reports.
4. OUTPUT/events (corpus events, the columns of ``eventwatch export --format
   parquet``) and OUTPUT/failures (records that failed) are written as Parquet.
"""

from __future__ import annotations

import functools
import glob
import operator
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from eventwatch.errors import ConfigError, EventwatchError, InputError
from eventwatch.spark.extraction import ARTICLE_FIELDS, Counts, Outcome, extract_partition
from eventwatch.spark.islands import merged_events, reports_frame
from eventwatch.spark.outputs import events_schema, failure_row, failures_schema

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

INPUT_FORMATS = ("jsonl", "parquet")
_SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
# Compression Spark's text reader undoes by file name.
_COMPRESSION = frozenset({".gz", ".bz2", ".deflate", ".lz4", ".snappy", ".zst"})
_GLOB = frozenset("*?[{")
TABLES = ("events", "failures")


@dataclass(slots=True, frozen=True)
class SparkReport:
    """What one run of the job did."""

    output: str
    articles: int        # records read (failed ones included, blank lines not)
    skipped: int         # read, but not English: no events by design
    failed: int          # written to OUTPUT/failures
    reports: int         # article-level events
    events: int          # corpus events after merging, in OUTPUT/events
    partitions: int
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def format_of(name: str) -> str | None:
    """"jsonl" or "parquet" by a file name's extension (after a compression suffix), else None."""
    path = PurePosixPath(name.lower())
    if path.suffix in _COMPRESSION:
        path = path.with_suffix("")
    return _SUFFIX_FORMATS.get(path.suffix)


def detect_input_format(input_path: str, names: Sequence[str], fmt: str | None = None) -> str:
    """``fmt`` if given, else the format the input's file names (a file, a folder's files or
    a glob's matches) agree on.  Raises ``ConfigError`` when they do not tell."""
    if fmt is not None:
        if fmt not in INPUT_FORMATS:
            raise ConfigError(f"--input-format {fmt!r} is not known: use jsonl or parquet")
        return fmt
    found = {format_of(name) for name in names} - {None}
    if len(found) == 1:
        return found.pop()
    shown = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
    why = "mixes JSON Lines and Parquet files" if found else f"holds no .jsonl or .parquet file ({shown})"
    raise ConfigError(f"cannot tell the format of {input_path}: it {why}; give --input-format jsonl or parquet")


def _local(path: str) -> str | None:
    """The local file-system path ``path`` names, or None for another file system."""
    parsed = urlparse(path)
    if parsed.scheme in ("", "file") or len(parsed.scheme) == 1:  # a Windows drive letter
        return parsed.path if parsed.scheme == "file" else path
    return None


def _missing(input_path: str) -> InputError:
    return InputError(f"cannot read {input_path}: no such file or folder, or no data files in it")


def _local_names(path: str) -> list[str]:
    """Names of the data files a local file, folder or glob holds (hidden and _-files left out)."""
    names: list[str] = []
    for match in glob.glob(path) if _GLOB & set(path) else [path]:
        if os.path.isdir(match):
            names += [name for _, _, files in os.walk(match) for name in files]
        elif os.path.exists(match):
            names.append(os.path.basename(match))
    return [name for name in names if not name.startswith(("_", "."))]


def check_local_input(input_path: str, input_format: str | None = None) -> None:
    """Before Spark starts: a local input must exist and hold files of a known format.
    Raises ``InputError`` or ``ConfigError``; inputs on other file systems pass."""
    local = _local(input_path)
    if local is None:
        return
    names = _local_names(local)
    if not names:
        raise _missing(input_path)
    detect_input_format(input_path, names, input_format)


def _filesystem(spark: SparkSession, path: str):
    """(Hadoop FileSystem, Path) for ``path``: whatever file systems the cluster knows (hdfs, s3a...)."""
    sc = spark.sparkContext
    hadoop_path = sc._jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(sc._jsc.hadoopConfiguration()), hadoop_path


def _input_names(spark: SparkSession, input_path: str, limit: int = 1000) -> list[str]:
    """Names of (up to ``limit``) data files the input holds; hidden and _-files left out."""
    fs, path = _filesystem(spark, input_path)
    names: list[str] = []
    for status in fs.globStatus(path) or []:
        if not status.isDirectory():
            names.append(status.getPath().getName())
            continue
        files = fs.listFiles(status.getPath(), True)
        while files.hasNext() and len(names) < limit:
            names.append(files.next().getPath().getName())
    return [name for name in names if not name.startswith(("_", "."))]


def _records(spark: SparkSession, input_path: str, fmt: str) -> DataFrame:
    """The input as rows of (where: the file, record: a line, or a struct of ARTICLE_FIELDS)."""
    from pyspark.sql import functions as F

    where = F.col("_metadata.file_path").alias("where")
    if fmt == "jsonl":
        return spark.read.text(input_path).select(where, F.col("value").alias("record"))
    frame = spark.read.parquet(input_path)
    present = [name for name in ARTICLE_FIELDS if name in frame.columns]
    if "text" not in present:
        raise InputError(
            f'{input_path} has no "text" column (found: {", ".join(frame.columns[:8]) or "none"}): '
            "articles need their body in text, and may have id, title, published, source, url"
        )
    return frame.select(where, F.struct(*present).alias("record"))


def ship_gazetteer(spark: SparkSession) -> str:
    """Locate (or build) this machine's gazetteer and add it to the job's files; return the
    file name executors find it under (``SparkFiles.get``)."""
    from eventwatch.geo.gazetteer import Gazetteer

    with Gazetteer.open() as gazetteer:
        path = gazetteer.path.resolve()
    spark.sparkContext.addFile(str(path))
    return path.name


def _reason(error: Exception) -> str:
    """The telling line of a Spark error: the last Python exception line, else the first line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    python = [line for line in lines if line.split(":")[0].endswith(("Error", "Exception"))]
    return (python[-1] if python else lines[0] if lines else type(error).__name__)[:300]


def _format_checked(spark: SparkSession, input_path: str, tables: dict[str, str], input_format: str | None,
                    overwrite: bool) -> str:
    """The input's format, once it is known to hold data files and OUTPUT's tables may be written."""
    names = _input_names(spark, input_path)
    if not names:
        raise _missing(input_path)
    fmt = detect_input_format(input_path, names, input_format)
    if not overwrite:
        fs, _ = _filesystem(spark, tables["events"])
        existing = [path for path in tables.values() if fs.exists(_filesystem(spark, path)[1])]
        if existing:
            raise ConfigError(f"{existing[0]} already exists: pass --overwrite, or choose another OUTPUT")
    return fmt


def _outcomes(spark: SparkSession, input_path: str, fmt: str, partitions: int | None) -> RDD[Outcome]:
    """One Outcome per input record, extracted by one pipeline per partition; persisted,
    since the counts, the reports and the failures are all read from it."""
    from pyspark import StorageLevel

    gazetteer_file = ship_gazetteer(spark)
    rows = _records(spark, input_path, fmt).rdd
    count = partitions or max(rows.getNumPartitions(), spark.sparkContext.defaultParallelism)
    if count != rows.getNumPartitions():
        rows = rows.repartition(count)
    extract = functools.partial(extract_partition, gazetteer_file=gazetteer_file)
    return rows.mapPartitions(extract).persist(StorageLevel.MEMORY_AND_DISK)


def _write(spark: SparkSession, outcomes: RDD[Outcome], tables: dict[str, str], overwrite: bool) -> None:
    """OUTPUT/events (reports merged across articles) and OUTPUT/failures, as Parquet."""
    mode = "overwrite" if overwrite else "errorifexists"
    reports = reports_frame(spark, outcomes.flatMap(operator.attrgetter("reports")))
    events = spark.createDataFrame(merged_events(reports), events_schema())
    events.write.mode(mode).option("compression", "zstd").parquet(tables["events"])
    failed = outcomes.filter(operator.attrgetter("failed")).map(failure_row)
    failures = spark.createDataFrame(failed, failures_schema()).coalesce(1)
    failures.write.mode(mode).option("compression", "zstd").parquet(tables["failures"])


def spark_extract(
    spark: SparkSession,
    input_path: str,
    output: str,
    *,
    input_format: str | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
) -> SparkReport:
    """Extract and merge the events of every article in ``input_path``; write them under ``output``.

    ``input_format`` is "jsonl" or "parquet" (default: from the file names).
    ``partitions`` is how many tasks extraction is split into (default: the input's
    own split, at least Spark's default parallelism).  Existing OUTPUT tables are
    an error unless ``overwrite``.  Raises ``InputError`` / ``ConfigError`` for a
    bad input or output, ``EventwatchError`` when the Spark job itself fails;
    failures of single articles are recorded in OUTPUT/failures, never raised.
    """
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    started = time.perf_counter()
    if partitions is not None and partitions < 1:
        raise ConfigError(f"--partitions must be 1 or more, not {partitions}")
    tables = {name: f"{output.rstrip('/')}/{name}" for name in TABLES}
    outcomes = None
    try:
        fmt = _format_checked(spark, input_path, tables, input_format, overwrite)
        outcomes = _outcomes(spark, input_path, fmt, partitions)
        counts = outcomes.map(Counts.of).fold(Counts(), operator.add)
        _write(spark, outcomes, tables, overwrite)
        events = spark.read.parquet(tables["events"]).count()
    except (PySparkException, Py4JError) as exc:
        raise EventwatchError(f"the Spark job failed: {_reason(exc)}") from exc
    finally:
        if outcomes is not None:
            outcomes.unpersist()
    return SparkReport(
        output=output, articles=counts.articles, skipped=counts.skipped, failed=counts.failed,
        reports=counts.reports, events=events, partitions=outcomes.getNumPartitions(),
        seconds=time.perf_counter() - started,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """The entry point of ``spark-submit job.py`` and ``python -m eventwatch.spark``: the
    options of ``eventwatch spark-extract``, with its messages and exit status."""
    from eventwatch.cli import cli

    args = list(sys.argv[1:] if argv is None else argv)
    cli.main(["spark-extract", *args], prog_name="eventwatch")


if __name__ == "__main__":
    main()
