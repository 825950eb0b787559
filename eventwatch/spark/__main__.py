"""``python -m eventwatch.spark INPUT OUTPUT``: the Spark job, as ``eventwatch spark-extract``."""

from eventwatch.spark.job import main

main()
