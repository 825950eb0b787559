"""EventWatch on Apache Spark (extra ``eventwatch[spark]``): the pipeline per partition,
cross-report merging with Spark operations, events written as Parquet.

    eventwatch spark-extract INPUT OUTPUT              # local[*]
    python -m eventwatch.spark INPUT OUTPUT            # the same
    spark-submit .../eventwatch/spark/job.py INPUT OUTPUT

Modules, in the order the job runs them: ``launch`` (the SparkSession),
``job`` (the driver: inputs, gazetteer shipping, writing), ``extraction``
(executors: records -> articles -> reports), ``islands`` (merging across
articles), ``outputs`` (the Parquet tables).  Importing this package does not
import pyspark.
"""

from __future__ import annotations

from eventwatch.spark.job import SparkReport, check_local_input, spark_extract
from eventwatch.spark.launch import start_session

__all__ = ["SparkReport", "check_local_input", "spark_extract", "start_session"]
