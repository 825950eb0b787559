"""`eventwatch spark-extract` and the module as processes: a whole run, the spark-submit entry,
and one-line errors for what can go wrong before Spark starts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.spark.conftest import ARTICLES

pq = pytest.importorskip("pyarrow.parquet")
BIN = Path(sys.executable).parent
needs_spark = pytest.mark.skipif(
    shutil.which("java") is None or not (BIN / "spark-submit").exists(), reason="needs pyspark and Java 17+"
)


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env={**os.environ, **env})


@needs_spark
def test_the_command_end_to_end(tmp_path):
    clean = tmp_path / "clean.jsonl"
    clean.write_text("".join(line + "\n" for line in ARTICLES.read_text().splitlines()
                             if '"text"' in line))
    result = _run([str(BIN / "eventwatch"), "spark-extract", str(clean), str(tmp_path / "out"), "--master", "local[2]"])
    assert result.returncode == 0, result.stderr
    assert "11 article(s) read in 2 partition(s) (1 not English, 0 failed): 9 report(s), 6 event(s)" in result.stderr
    assert "Traceback" not in result.stderr and " INFO " not in result.stderr
    assert len(pq.read_table(tmp_path / "out" / "events")) == 6


@needs_spark
def test_the_module_file_runs_under_spark_submit():
    import eventwatch.spark.job

    python = {"PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    result = _run([str(BIN / "spark-submit"), "--master", "local[1]", eventwatch.spark.job.__file__, "--help"], **python)
    assert result.returncode == 0, result.stderr
    assert "Usage: eventwatch spark-extract [OPTIONS] INPUT OUTPUT" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/articles.jsonl"], "cannot read /no/such/articles.jsonl: no such file or folder"),
        ([str(Path(__file__))], "cannot tell the format of"),
    ],
)
def test_bad_input_gets_one_line_before_spark_starts(tmp_path, args, message):
    result = _run([sys.executable, "-m", "eventwatch.spark", *args, str(tmp_path / "out")])
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_pyspark_the_error_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['pyspark'] = None; from eventwatch.spark.job import main; "
            f"main([{str(ARTICLES)!r}, {str(tmp_path / 'out')!r}])")
    result = _run([sys.executable, "-c", code])
    assert result.returncode == 1
    assert "pip install 'eventwatch[spark]'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("java_home", ["", "/nonexistent-jdk"])
def test_without_java_the_error_says_so(tmp_path, java_home):
    env = {"PATH": str(tmp_path), "JAVA_HOME": java_home}  # no java on PATH
    result = _run([sys.executable, "-m", "eventwatch.spark", str(ARTICLES), str(tmp_path / "out")], **env)
    assert result.returncode == 1
    assert "Java 17" in result.stderr and "Traceback" not in result.stderr
