"""The job's output tables as Spark schemas and rows.

OUTPUT/events has the columns and types of ``eventwatch export --format parquet``
(``export.PARQUET_COLUMNS``, rows from ``export.parquet_row``); OUTPUT/failures
has one row per input record that failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventwatch.export import PARQUET_COLUMNS, parquet_row
from eventwatch.spark.extraction import Outcome
from eventwatch.store.api import CorpusEvent

if TYPE_CHECKING:
    from pyspark.sql.types import DataType, StructType

#: (column, meaning) of OUTPUT/failures.
FAILURE_COLUMNS = (
    ("where", "the input file"),
    ("record", "the beginning of the record (a JSON line, or a Parquet row without most of its text)"),
    ("stage", "read (not an article) or extract (the pipeline failed on it)"),
    ("error", "what is wrong, as `eventwatch extract` says it"),
)


def _spark_type(kind: str) -> DataType:
    """The Spark type that Parquet stores as the Arrow type ``kind`` of PARQUET_COLUMNS."""
    from pyspark.sql import types as T

    simple = {
        "string": T.StringType(), "date32": T.DateType(), "int8": T.ByteType(), "int32": T.IntegerType(),
        "float64": T.DoubleType(), "bool": T.BooleanType(), "list<string>": T.ArrayType(T.StringType()),
    }
    return simple[kind]


def events_schema() -> StructType:
    """The Spark schema of OUTPUT/events: PARQUET_COLUMNS, in order."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, _spark_type(kind)) for name, kind in PARQUET_COLUMNS])


def event_row(corpus_event: CorpusEvent) -> tuple[Any, ...]:
    """A corpus event as a row of OUTPUT/events."""
    values = parquet_row(corpus_event)
    return tuple(values[name] for name, _ in PARQUET_COLUMNS)


def failures_schema() -> StructType:
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, T.StringType()) for name, _ in FAILURE_COLUMNS])


def failure_row(outcome: Outcome) -> tuple[str, str, str | None, str | None]:
    return (outcome.where, outcome.record, outcome.stage, outcome.error)
