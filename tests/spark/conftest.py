"""One Spark session in local mode for every test of the Spark job (starting one takes seconds)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTICLES = Path(__file__).parent / "articles.jsonl"


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'eventwatch[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17 or newer, and there is none")
    from eventwatch.spark import start_session

    session = start_session("local[2]")
    yield session
    session.stop()
