"""A real gazetteer for the geo tests, built once per session.

The user's cached gazetteer is reused when it is newer than the code and data
that build it; otherwise a fresh one is built into a temporary directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import eventwatch
from eventwatch.errors import GazetteerError
from eventwatch.geo.gazetteer import Gazetteer, build_gazetteer, default_path


def _sources_mtime() -> float:
    root = Path(eventwatch.__file__).parent
    files = [*root.joinpath("geo").glob("*.py"), root / "data" / "demonyms.tsv"]
    return max(f.stat().st_mtime for f in files)


@pytest.fixture(scope="session")
def gazetteer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cached = default_path()
    if cached.exists() and cached.stat().st_mtime > _sources_mtime():
        try:
            Gazetteer.open(cached, build_if_missing=False).close()
            return cached
        except GazetteerError:
            pass
    return build_gazetteer(tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite")


@pytest.fixture(scope="session")
def gaz(gazetteer_path: Path):
    g = Gazetteer.open(gazetteer_path, build_if_missing=False)
    yield g
    g.close()
