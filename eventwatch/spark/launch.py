"""Starting Spark for the job: pyspark and Java present, this environment's Python, quiet logs.

Under ``spark-submit`` the JVM and the configuration already exist, and the
session is taken as they made it.  Otherwise this process launches Spark
itself: in local mode (``local[*]`` unless told otherwise) the executors run
this very interpreter, so they import the same EventWatch.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from eventwatch.errors import ConfigError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOCAL_MASTER = "local[*]"
INSTALL_HINT = "pip install 'eventwatch[spark]'"
APP_NAME = "eventwatch spark-extract"
# Settings when this process starts Spark: no progress bars among the log lines, and no
# warning that the 29 columns of the events table make a long plan.
_QUIET = {"spark.ui.showConsoleProgress": "false", "spark.sql.debug.maxToStringFields": "100"}


def require_pyspark() -> None:
    """Raise ``ConfigError`` with the install command when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"the Spark job needs pyspark, which is not installed: {INSTALL_HINT}") from exc


def under_spark_submit() -> bool:
    """True when spark-submit (or another Spark launcher) started this process and its JVM."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def _check_java() -> None:
    home = os.environ.get("JAVA_HOME")
    if home:
        if not (Path(home) / "bin" / "java").exists():
            raise ConfigError(f"JAVA_HOME is {home}, which holds no bin/java: point it at a Java 17 (or newer) install")
    elif shutil.which("java") is None:
        raise ConfigError(
            "Spark needs Java 17 or newer and none was found: install one "
            "(e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME"
        )


def _log_config() -> str:
    return Path(str(resources.files("eventwatch.spark") / "log4j2.properties")).resolve().as_uri()


def start_session(master: str | None = None, *, app_name: str = APP_NAME) -> SparkSession:
    """A SparkSession for the job.

    ``master`` is a Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``...);
    None means the one spark-submit was given, or ``local[*]`` outside spark-submit.
    When this process starts Spark in local mode, ``PYSPARK_PYTHON`` and
    ``PYSPARK_DRIVER_PYTHON`` default to this interpreter and Spark binds to the
    loopback address.  Raises ``ConfigError`` when pyspark or Java is missing or
    Spark does not start.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if not under_spark_submit():
        _check_java()
        master = master or LOCAL_MASTER
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        settings = {**_QUIET, "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_log_config()}"}
        for key, value in settings.items():
            builder = builder.config(key, value)
    if master:
        builder = builder.master(master)
    try:
        spark = builder.getOrCreate()
    except (RuntimeError, OSError) as exc:  # pyspark's JAVA_GATEWAY_EXITED is a RuntimeError
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            f"Spark did not start ({reason}): check that `java -version` shows 17 or newer, "
            f"and the master URL {master!r}"
        ) from exc
    spark.sparkContext.setLogLevel("WARN")
    return spark
