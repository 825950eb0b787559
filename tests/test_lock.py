"""The lock files pin every dependency pyproject.toml names, each pin with its files' hashes."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS: dict[str, list[str]] = PYPROJECT["project"]["optional-dependencies"]
# Packages the project must never pull in: PyTorch and the CUDA runtime are gigabytes and need none of them.
FORBIDDEN = re.compile(r"^(torch|torchvision|torchaudio|triton|nvidia-.*)$")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def lock(name: str) -> list[tuple[str, Version, list[str]]]:
    """requirements/NAME.txt as (canonical name, pinned version, hashes), one per pin (a package
    pinned apart for two Python versions appears twice); every entry must be a pin."""
    entries: list[tuple[str, Version, list[str]]] = []
    for line in (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            found = _PIN.match(line)
            assert found, f"requirements/{name}.txt: {line!r} is not a pinned requirement (name==version)"
            entries.append((canonicalize_name(found[1]), Version(found[3]), []))
        entries[-1][2].extend(re.findall(r"--hash=(sha256:[0-9a-f]{64})", line))
    return entries


def named(requirements: list[str]) -> list[Requirement]:
    return [Requirement(text) for text in requirements]


# (lock, the pyproject requirements it must hold)
COVERAGE = {
    "runtime": named(PYPROJECT["project"]["dependencies"]),
    "dev": named(PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
                 + [r for extra, reqs in EXTRAS.items() if extra != "bench" for r in reqs]),
    "bench": named(PYPROJECT["project"]["dependencies"] + [r for reqs in EXTRAS.values() for r in reqs]),
}


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_the_lock_pins_every_dependency_within_its_range(name):
    pinned = lock(name)
    for requirement in COVERAGE[name]:
        versions = [version for package, version, _ in pinned if package == canonicalize_name(requirement.name)]
        assert versions, f"{requirement.name} is in pyproject.toml but not in requirements/{name}.txt: run make lock"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements/{name}.txt pins {requirement.name}=={version}, outside {requirement.specifier}: "
                "run make lock")


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_every_pin_has_hashes_and_no_torch_or_cuda(name):
    pinned = lock(name)
    assert len(pinned) >= len(COVERAGE[name])
    for package, version, hashes in pinned:
        assert hashes, f"requirements/{name}.txt: {package}=={version} has no --hash"
        assert not FORBIDDEN.match(package), f"requirements/{name}.txt pulls in {package}: the project must not need it"


def test_setup_installs_from_the_lock_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet --require-hashes -r requirements/dev.txt" in setup
    assert "--no-deps" in setup and "npm ci" in setup
    assert not re.search(r"pip install (?!.*(--require-hashes|--no-deps))", setup), "an unpinned pip install in setup"


def test_the_npm_lock_records_every_package_with_its_integrity_hash():
    packages = json.loads((ROOT / "eventwatch/web/package-lock.json").read_text(encoding="utf-8"))["packages"]
    installed = {path: entry for path, entry in packages.items() if path}
    wanted = json.loads((ROOT / "eventwatch/web/package.json").read_text(encoding="utf-8"))["dependencies"]
    assert {f"node_modules/{name}" for name in wanted} <= set(installed)
    for path, entry in installed.items():
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]+=*", entry.get("integrity", "")), f"{path} has no sha512 integrity"
