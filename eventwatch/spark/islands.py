"""Merging reports across articles with Spark operations: group by island, cluster per island.

``corpus.merge.cluster`` only ever pairs reports of one country (iso2) whose
dates are at most ``MAX_DAYS`` apart; a report without a country or a date
pairs with nothing.  Take one country's report dates in order and cut wherever
two neighbouring dates are more than ``MAX_DAYS`` apart: every run between two
cuts is an *island*, no candidate pair crosses a cut, and the clusters of each
island computed alone are exactly those of the whole corpus (with the same
cluster ids: a cluster's smallest report id).  A report without a country or a
date is an island of its own.

In Spark: islands are numbered by window functions (gaps and islands) over the
distinct (iso2, event_date) pairs, a small table; it is joined back to the
reports, which are then grouped by island in one shuffle, and each group is
clustered and merged by ``corpus.merge.merge_corpus`` on an executor.  Nothing
is collected on the driver.

Limit: a country reported on every day of the corpus is one island, so all its
reports meet in one task.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from eventwatch.corpus.merge import MAX_DAYS, merge_corpus
from eventwatch.model import Event
from eventwatch.spark.outputs import event_row

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType


def reports_schema() -> StructType:
    """Reports on their way to the merge: the keys, and the whole report pickled."""
    from pyspark.sql import types as T

    return T.StructType([
        T.StructField("report_id", T.StringType(), False),
        T.StructField("iso2", T.StringType()),
        T.StructField("event_date", T.DateType()),
        T.StructField("report", T.BinaryType(), False),
    ])


def report_row(report: Event) -> tuple[str, str | None, Any, bytes]:
    """One report as a row of ``reports_schema()``."""
    return (report.event_id, report.iso2, report.event_date, pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))


def reports_frame(spark: SparkSession, reports: RDD[Event]) -> DataFrame:
    """Article-level reports (an RDD of Event) as a DataFrame of ``reports_schema()``."""
    return spark.createDataFrame(reports.map(report_row), reports_schema())


def with_islands(reports: DataFrame) -> DataFrame:
    """``reports`` with an ``island`` column: reports in different islands never merge."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = Window.partitionBy("iso2").orderBy("event_date")
    gap = F.datediff("event_date", F.lag("event_date").over(order))
    days = (
        reports.where(F.col("iso2").isNotNull() & F.col("event_date").isNotNull())
        .select("iso2", "event_date").distinct()
        .withColumn("starts", F.when(gap.isNull() | (gap > MAX_DAYS), 1).otherwise(0))
        .withColumn("run", F.sum("starts").over(order.rowsBetween(Window.unboundedPreceding, 0)))
    )
    island = F.when(
        F.col("run").isNotNull(), F.concat_ws(":", "iso2", F.col("run").cast("string"))
    ).otherwise(F.concat(F.lit("report:"), F.col("report_id")))
    return reports.join(days, ["iso2", "event_date"], "left").withColumn("island", island).drop("starts", "run")


def merge_island(island: tuple[str, Iterable[bytes]]) -> list[tuple[Any, ...]]:
    """Cluster and merge the reports of one island; rows of OUTPUT/events."""
    _key, pickled = island
    _clusters, merged = merge_corpus([pickle.loads(p) for p in pickled])
    return [event_row(corpus_event) for corpus_event in merged]


def merged_events(reports: DataFrame) -> RDD[tuple[Any, ...]]:
    """The corpus events of ``reports`` (a DataFrame of ``reports_schema()``) as rows of
    OUTPUT/events: grouped by island, clustered and merged on the executors."""
    keyed = with_islands(reports).select("island", "report").rdd.map(tuple)
    return keyed.groupByKey().flatMap(merge_island)
