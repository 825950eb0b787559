"""Add GeoNames dump files to the gazetteer: villages and districts for full coverage.

The embedded gazetteer holds places of 500 people or more.  Conflict news names
villages, hamlets and camps far below that; GeoNames publishes them in dump
files that a user downloads from https://download.geonames.org/export/dump/:

* a per-country dump ``XX.txt`` (or ``XX.zip`` holding it), ``allCountries``,
  or an extract such as ``cities1000.txt``: 19 tab-separated columns;
* ``admin1CodesASCII.txt`` / ``admin2Codes.txt``: code, name, ascii name, geonameid;
* ``alternateNamesV2.txt`` (or a per-country ``alternatenames/XX.zip``):
  alternateNameId, geonameid, language, name, preferred, short, colloquial,
  historic, from, to.

:func:`import_geonames` streams each file line by line (zip members too) and
adds its populated places (feature class P, plus refugee camps) as kind
``"city"`` and its first-level divisions as kind ``"admin1"``.  A per-country
dump or ``allCountries`` is a full listing, so it replaces the thin default
cities of its country instead of duplicating them.  Work is committed every
``batch_size`` rows and the byte offset reached in each file is recorded in the
``imports`` table, so a killed import continues where it stopped and a file
already imported is skipped.  :func:`download_country` fetches ``XX.zip``.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sqlite3
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from eventwatch.errors import GazetteerError
from eventwatch.geo.gazetteer import (
    _GENERIC_RE,
    admin1_display_name,
    build_gazetteer,
    close_writable,
    default_path,
    open_writable,
)
from eventwatch.geo.gazetteer import _usable_alt as usable_alt
from eventwatch.geo.normalize import drop_leading_article, name_key

__all__ = ["DEFAULT_BASE_URL", "ImportReport", "Progress", "download_country", "import_geonames"]

log = logging.getLogger(__name__)

#: ``progress(label, done, total)``: bytes of the current file read so far and its size.
Progress = Callable[[str, int, int], None]

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"

_DUMP_COLUMNS = 19
_ALT_COLUMNS = (10, 8)  # alternateNamesV2 / the older alternateNames
_CODE_COLUMNS = 4

# Populated places that are not places any more.
_SKIP_P = frozenset({"PPLH", "PPLQ", "PPLCH"})
# Other features news reports as locations: refugee camps.
_EXTRA = frozenset({("S", "CMPRF")})
# Alternate-name "languages" that are codes, links or obsolete forms.
_SKIP_LANG = frozenset(
    {"iata", "icao", "faac", "wkdt", "unlc", "post", "link", "abbr", "fr_1793", "tcid"}
)
_COUNTRY_STEM = re.compile(r"[A-Z]{2}")

_IMPORT_SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    source TEXT PRIMARY KEY,          -- resolved path, '!member' appended for a zip member
    kind TEXT NOT NULL,               -- dump, admin1, admin2, altnames
    size INTEGER NOT NULL,            -- of the file on disk
    mtime REAL NOT NULL,
    offset INTEGER NOT NULL,          -- bytes of the (uncompressed) text committed
    line INTEGER NOT NULL,            -- lines committed
    done INTEGER NOT NULL,
    places_added INTEGER NOT NULL DEFAULT 0,
    places_replaced INTEGER NOT NULL DEFAULT 0,
    names_added INTEGER NOT NULL DEFAULT 0,
    started TEXT,
    finished TEXT
);
CREATE TABLE IF NOT EXISTS import_removed (
    source TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    PRIMARY KEY (source, geonameid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin_codes (
    code TEXT PRIMARY KEY,            -- 'SY.12' (admin1) or 'SY.12.1234' (admin2)
    name TEXT NOT NULL,
    asciiname TEXT NOT NULL,
    display TEXT NOT NULL,            -- the name places show as their admin1
    geonameid INTEGER
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS batch_ids (g INTEGER PRIMARY KEY);
"""

_PLACE_SQL = "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)"
_NAME_SQL = "INSERT OR IGNORE INTO names VALUES (?,?,0)"
# Alternate names only for places the gazetteer holds.
_ALT_SQL = "INSERT OR IGNORE INTO names SELECT ?, geonameid, 0 FROM places WHERE geonameid = ?"
_CODE_SQL = "INSERT OR REPLACE INTO admin_codes VALUES (?,?,?,?,?)"


@dataclass
class ImportReport:
    """What one :func:`import_geonames` call did."""

    files: list[Path] = field(default_factory=list)  # imported (or resumed) in this call
    skipped: list[Path] = field(default_factory=list)  # already imported, unchanged
    places_added: int = 0
    places_replaced: int = 0  # geonameids the gazetteer already had (thin defaults)
    names_added: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------------------
# sources


@dataclass
class _Source:
    path: Path
    member: str | None  # zip member name
    kind: str  # "dump", "admin1", "admin2", "altnames"
    total: int  # bytes of text

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    @property
    def key(self) -> str:
        base = str(self.path.resolve())
        return f"{base}!{self.member}" if self.member else base

    @property
    def country(self) -> str | None:
        """ISO2 of a full per-country dump, ``"*"`` for allCountries, else None."""
        if self.kind != "dump":
            return None
        stem = Path(self.member).stem if self.member else self.path.stem
        if stem == "allCountries":
            return "*"
        return stem if _COUNTRY_STEM.fullmatch(stem) else None


@contextmanager
def _open_text(path: Path, member: str | None) -> Iterator[BinaryIO]:
    """A buffered binary stream of a file or of one zip member (never extracted to disk)."""
    if member is None:
        with open(path, "rb", buffering=1 << 20) as fh:
            yield fh
        return
    with zipfile.ZipFile(path) as zf, zf.open(member) as raw:
        yield io.BufferedReader(raw, buffer_size=1 << 20)


def _kind_by_name(name: str) -> str | None:
    low = name.lower()
    if low.startswith("admin1codes"):
        return "admin1"
    if low.startswith("admin2codes"):
        return "admin2"
    if low.startswith("alternatenames"):
        return "altnames"
    return None


def _format_error(label: str, kind: str, line: int, found: int | None) -> GazetteerError:
    expected = {
        "dump": ("a GeoNames dump", "19"),
        "admin1": ("a GeoNames admin1 code list", "4"),
        "admin2": ("a GeoNames admin2 code list", "4"),
        "altnames": ("a GeoNames alternate-names file", "10"),
    }[kind]
    what = f"found {found}" if found is not None else "not UTF-8 text"
    return GazetteerError(
        f"{label} is not {expected[0]}: expected {expected[1]} tab-separated columns on line "
        f"{line} ({what}); give the .txt or .zip files from {DEFAULT_BASE_URL} unchanged"
    )


def _first_line(path: Path, member: str | None) -> tuple[int, str | None]:
    """(line number, text) of the first non-empty, non-comment line."""
    with _open_text(path, member) as fh:
        for n, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                return n, None
            if text and not text.startswith("#"):
                return n, text
            if n > 1000:
                break
    return 0, ""


def _detect(path: Path) -> list[_Source]:
    if not path.is_file():
        raise GazetteerError(f"{path} does not exist or is not a file; check the path")
    members: list[tuple[str | None, int]]
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                infos = [
                    i
                    for i in zf.infolist()
                    if not i.is_dir()
                    and i.filename.lower().endswith(".txt")
                    and not Path(i.filename).name.lower().startswith(("readme", "iso-languagecodes"))
                ]
        except zipfile.BadZipFile as exc:
            raise GazetteerError(f"{path} is a damaged zip file ({exc}); download it again") from exc
        if not infos:
            raise GazetteerError(
                f"{path} holds no GeoNames .txt file; give a zip from {DEFAULT_BASE_URL}"
            )
        members = [(i.filename, i.file_size) for i in infos]
    else:
        members = [(None, path.stat().st_size)]
    out = []
    for member, total in members:
        label = f"{path.name}:{member}" if member else path.name
        name = Path(member).name if member else path.name
        kind = _kind_by_name(name)
        line, text = _first_line(path, member)
        if text is None:
            raise _format_error(label, kind or "dump", line, None)
        if not text:
            raise GazetteerError(f"{label} is empty; download it again from {DEFAULT_BASE_URL}")
        cols = text.count("\t") + 1
        if kind is None:  # a dump, or a per-country alternate-names file (alternatenames/XX.zip)
            kind = "altnames" if cols in _ALT_COLUMNS else "dump"
        expected = {"dump": (_DUMP_COLUMNS,), "altnames": _ALT_COLUMNS}.get(kind, (_CODE_COLUMNS,))
        if cols not in expected:
            raise _format_error(label, kind, line, cols)
        out.append(_Source(path, member, kind, total))
    return out


_ORDER = {"admin1": 0, "admin2": 1, "dump": 2, "altnames": 3}


# ---------------------------------------------------------------------------
# importing


def _keys(names: list[str], out: set[str]) -> None:
    for raw in names:
        key = name_key(raw)
        if not key:
            continue
        out.add(key)
        short = drop_leading_article(key)
        if short:
            out.add(short)


def _division_names(name: str, ascii_name: str, alternates: list[str]) -> list[str]:
    """Names of a division, with "X" for every "X Governorate" (as the builder does)."""
    names = [name, ascii_name, *alternates]
    for alt in alternates:
        m = _GENERIC_RE.match(alt.strip()) if alt.isascii() else None
        if m:
            names.append(m.group("stem"))
    return names


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Importer:
    def __init__(
        self,
        con: sqlite3.Connection,
        report: ImportReport,
        progress: Progress | None,
        batch_size: int,
        include_admin2: bool,
    ) -> None:
        self.con = con
        self.report = report
        self.progress = progress
        self.batch_size = max(1, batch_size)
        self.include_admin2 = include_admin2
        self.countries = dict(
            con.execute("SELECT iso2, name FROM places WHERE kind = 'country'").fetchall()
        )
        # (iso2, admin1 code) -> (display name, geonameid) of the gazetteer's divisions
        self.admin1: dict[tuple[str, str], tuple[str, int]] = {}
        for iso2, code, name, gid in con.execute(
            "SELECT iso2, admin1_code, name, geonameid FROM places "
            "WHERE kind = 'admin1' AND admin1_code IS NOT NULL ORDER BY population"
        ):
            self.admin1[(iso2, code)] = (name, gid)
        self.codes: dict[str, str] = {}
        self.changed = False
        # pending work of the current batch
        self.places: list[tuple] = []
        self.names: set[tuple[str, int]] = set()
        self.alt_rows: set[tuple[str, int]] = set()
        self.code_rows: list[tuple] = []

    # -- one file ------------------------------------------------------------
    def run(self, src: _Source) -> None:
        con = self.con
        st = src.path.stat()
        row = con.execute(
            "SELECT size, mtime, offset, line, done FROM imports WHERE source = ?", (src.key,)
        ).fetchone()
        if row is not None and row[0] == st.st_size and row[1] == st.st_mtime:
            if row[4]:
                log.info("%s: already imported, skipped", src.label)
                self.report.skipped.append(src.path)
                self._tick(src, src.total)
                return
            offset, line = row[2], row[3]
            log.info("%s: resuming at line %d", src.label, line)
        else:
            offset, line = 0, 0
            self._check(src)  # a broken file changes nothing, not even half a country
            con.execute("BEGIN")
            con.execute("DELETE FROM import_removed WHERE source = ?", (src.key,))
            if src.country is not None:
                self._remove_thin(src.key, src.country)
            con.execute(
                "INSERT OR REPLACE INTO imports (source, kind, size, mtime, offset, line, done, started) "
                "VALUES (?,?,?,?,0,0,0,?)",
                (src.key, src.kind, st.st_size, st.st_mtime, _now()),
            )
            con.execute("COMMIT")
        self.changed = True
        if src.path not in self.report.files:
            self.report.files.append(src.path)
        if src.kind == "dump":
            self.codes = dict(
                con.execute("SELECT code, display FROM admin_codes WHERE code NOT LIKE '%.%.%'")
            )
        handle = {
            "dump": self._dump_line,
            "altnames": self._alt_line,
            "admin1": self._code_line,
            "admin2": self._code_line,
        }[src.kind]
        self._tick(src, offset)
        since_flush = 0
        try:
            with _open_text(src.path, src.member) as fh:
                if offset:
                    fh.seek(offset)
                for raw in fh:
                    line += 1
                    offset += len(raw)
                    since_flush += 1
                    try:
                        text = raw.decode("utf-8").rstrip("\r\n")
                    except UnicodeDecodeError:
                        raise _format_error(src.label, src.kind, line, None) from None
                    if text and not text.startswith("#"):
                        handle(src, text, line)
                    pending = len(self.places) + len(self.alt_rows) + len(self.code_rows)
                    if pending >= self.batch_size or since_flush >= 10 * self.batch_size:
                        self._flush(src, offset, line, done=False)
                        since_flush = 0
            self._flush(src, offset, line, done=True)
        except BaseException:
            self.places.clear()
            self.names.clear()
            self.alt_rows.clear()
            self.code_rows.clear()
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def _check(self, src: _Source) -> None:
        """Read the whole file once and fail on the first line with the wrong column count."""
        expected = {"dump": (_DUMP_COLUMNS,), "altnames": _ALT_COLUMNS}.get(src.kind, (_CODE_COLUMNS,))
        tabs = {n - 1 for n in expected}
        label = f"checking {src.label}"
        done = next_tick = 0
        with _open_text(src.path, src.member) as fh:
            for n, raw in enumerate(fh, 1):
                done += len(raw)
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise _format_error(src.label, src.kind, n, None) from None
                if raw.count(b"\t") not in tabs:
                    text = raw.rstrip(b"\r\n")
                    if text and not text.startswith(b"#"):
                        raise _format_error(src.label, src.kind, n, text.count(b"\t") + 1)
                if done >= next_tick and self.progress is not None:
                    self.progress(label, done, src.total)
                    next_tick = done + (8 << 20)
        if self.progress is not None:
            self.progress(label, done, src.total)

    def _tick(self, src: _Source, done: int) -> None:
        if self.progress is not None:
            self.progress(src.label, done, src.total)

    def _remove_thin(self, key: str, iso2: str) -> None:
        """Take out a country's cities: the full dump brings them back with all its villages."""
        where = "kind = 'city'" + ("" if iso2 == "*" else " AND iso2 = ?")
        args = () if iso2 == "*" else (iso2,)
        con = self.con
        con.execute(
            f"INSERT OR IGNORE INTO import_removed SELECT ?, geonameid FROM places WHERE {where}",
            (key, *args),
        )
        con.execute(f"DELETE FROM places WHERE {where}", args)
        # Their names stay until the file is complete: most places come back, and
        # keep names added by an alternate-names file; the rest lose theirs then.

    # -- line handlers ---------------------------------------------------------
    def _dump_line(self, src: _Source, text: str, line: int) -> None:
        cols = text.split("\t")
        if len(cols) != _DUMP_COLUMNS:
            raise _format_error(src.label, "dump", line, len(cols))
        fclass, fcode = cols[6], cols[7]
        if fclass == "P":
            if fcode in _SKIP_P:
                return
            kind = "city"
        elif fclass == "A" and fcode == "ADM1":
            kind = "admin1"
        elif fclass == "A" and fcode == "ADM2" and self.include_admin2:
            kind = "admin2"
        elif (fclass, fcode) in _EXTRA:
            kind = "city"
        else:
            return
        iso2 = cols[8]
        country = self.countries.get(iso2)
        if country is None:
            return  # a territory the gazetteer has no country entry for
        try:
            gid = int(cols[0])
            lat = float(cols[4])
            lon = float(cols[5])
            pop = int(cols[14]) if cols[14] else 0
        except ValueError:
            raise GazetteerError(
                f"{src.label} line {line}: geonameid, latitude, longitude or population is not "
                f"a number; download the file again from {DEFAULT_BASE_URL}"
            ) from None
        name, ascii_name = cols[1], cols[2]
        alternates = [a for a in cols[3].split(",") if a and usable_alt(a)] if cols[3] else []
        code = cols[10] if cols[10] and cols[10] != "00" else None
        keys: set[str] = set()
        if kind == "admin1":
            if code is None:
                return
            names = _division_names(name, ascii_name, alternates)
            known = self.admin1.get((iso2, code))
            if known is not None:  # the gazetteer's own division: keep its row, add names
                _keys(names, keys)
                self.names.update((k, known[1]) for k in keys)
                return
            display = self.codes.get(f"{iso2}.{code}") or admin1_display_name(
                name, [ascii_name, *alternates]
            )
            self.admin1[(iso2, code)] = (display, gid)
            names.append(display)
            row = (gid, display, kind, iso2, country, display, code, lat, lon, pop, fcode)
        else:
            names = [name, ascii_name, *alternates]
            if kind == "admin2":
                names = _division_names(name, ascii_name, alternates)
            row = (gid, name, kind, iso2, country, self._admin1_name(iso2, code), code, lat, lon, pop, fcode)
        _keys(names, keys)
        self.places.append(row)
        self.names.update((k, gid) for k in keys)

    def _admin1_name(self, iso2: str, code: str | None) -> str | None:
        if code is None:
            return None
        known = self.admin1.get((iso2, code))
        if known is not None:
            return known[0]
        return self.codes.get(f"{iso2}.{code}")

    def _alt_line(self, src: _Source, text: str, line: int) -> None:
        cols = text.split("\t")
        if len(cols) not in _ALT_COLUMNS:
            raise _format_error(src.label, "altnames", line, len(cols))
        lang, name = cols[2], cols[3]
        if lang in _SKIP_LANG or cols[7] == "1" or "://" in name or not usable_alt(name):
            return
        try:
            gid = int(cols[1])
        except ValueError:
            raise GazetteerError(
                f"{src.label} line {line}: the geonameid {cols[1]!r} is not a number; "
                f"download the file again from {DEFAULT_BASE_URL}"
            ) from None
        keys: set[str] = set()
        _keys([name], keys)
        self.alt_rows.update((k, gid) for k in keys)

    def _code_line(self, src: _Source, text: str, line: int) -> None:
        cols = text.split("\t")
        if len(cols) != _CODE_COLUMNS:
            raise _format_error(src.label, src.kind, line, len(cols))
        code, name, ascii_name, gid = cols
        parts = code.split(".")
        if len(parts) != (2 if src.kind == "admin1" else 3):
            raise GazetteerError(
                f"{src.label} line {line}: {code!r} is not a {src.kind} code like "
                f"{'SY.12' if src.kind == 'admin1' else 'SY.12.1234'}; "
                f"download the file again from {DEFAULT_BASE_URL}"
            )
        display = admin1_display_name(name, [ascii_name]) if src.kind == "admin1" else ascii_name
        known = self.admin1.get((parts[0], parts[1])) if src.kind == "admin1" else None
        if known is not None:  # the gazetteer's own name, so places stay consistent
            display = known[0]
        self.code_rows.append((code, name, ascii_name, display, int(gid) if gid.isdigit() else None))

    # -- commit ------------------------------------------------------------------
    def _flush(self, src: _Source, offset: int, line: int, *, done: bool) -> None:
        con = self.con
        added = replaced = names_added = 0
        con.execute("BEGIN")
        if self.places:
            con.execute("DELETE FROM temp.batch_ids")
            con.executemany(
                "INSERT OR IGNORE INTO temp.batch_ids VALUES (?)", ((r[0],) for r in self.places)
            )
            unique, replaced = con.execute(
                "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM places p WHERE p.geonameid = b.g) "
                "OR EXISTS (SELECT 1 FROM import_removed r WHERE r.source = ? AND r.geonameid = b.g)), 0) "
                "FROM temp.batch_ids b",
                (src.key,),
            ).fetchone()
            added = unique - replaced
            con.executemany(_PLACE_SQL, self.places)
        before = con.total_changes
        if self.names:
            con.executemany(_NAME_SQL, sorted(self.names))
        if self.alt_rows:
            con.executemany(_ALT_SQL, sorted(self.alt_rows))
        names_added = con.total_changes - before
        if self.code_rows:
            con.executemany(_CODE_SQL, self.code_rows)
        con.execute(
            "UPDATE imports SET offset = ?, line = ?, done = ?, places_added = places_added + ?, "
            "places_replaced = places_replaced + ?, names_added = names_added + ?, finished = ? "
            "WHERE source = ?",
            (offset, line, int(done), added, replaced, names_added, _now() if done else None, src.key),
        )
        if done:
            con.execute(
                "DELETE FROM names WHERE geonameid IN (SELECT r.geonameid FROM import_removed r "
                "WHERE r.source = ? AND NOT EXISTS (SELECT 1 FROM places p WHERE p.geonameid = r.geonameid))",
                (src.key,),
            )
            con.execute("DELETE FROM import_removed WHERE source = ?", (src.key,))
        con.execute("COMMIT")
        self.places.clear()
        self.names.clear()
        self.alt_rows.clear()
        self.code_rows.clear()
        self.report.places_added += added
        self.report.places_replaced += replaced
        self.report.names_added += names_added
        self._tick(src, offset)

    def finish(self) -> None:
        """Fill admin1 names that became known only later, and refresh the meta counts."""
        con = self.con
        con.execute("BEGIN")
        con.execute(
            "UPDATE places SET admin1 = coalesce("
            "(SELECT a.name FROM places a WHERE a.kind = 'admin1' AND a.iso2 = places.iso2 "
            " AND a.admin1_code = places.admin1_code ORDER BY a.population DESC LIMIT 1), "
            "(SELECT c.display FROM admin_codes c WHERE c.code = places.iso2 || '.' || places.admin1_code)) "
            "WHERE admin1 IS NULL AND admin1_code IS NOT NULL AND kind IN ('city', 'admin2')"
        )
        for k, sql in (
            ("places", "SELECT count(*) FROM places"),
            ("names", "SELECT count(*) FROM names"),
        ):
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, str(con.execute(sql).fetchone()[0]))
            )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('imported', ?)", (_now(),))
        con.execute("COMMIT")


def import_geonames(
    paths: list[Path],
    gazetteer_path: Path | None = None,
    *,
    progress: Progress | None = None,
    batch_size: int = 50_000,
    include_admin2: bool = False,
) -> ImportReport:
    """Add GeoNames dump files to the gazetteer at ``gazetteer_path`` (default :func:`default_path`).

    ``paths`` may mix ``XX.txt``/``XX.zip``/``allCountries.zip`` dumps,
    ``admin1CodesASCII.txt``, ``admin2Codes.txt`` and ``alternateNamesV2.txt``
    (zipped or not); code lists are read first and alternate names last.
    Each new file is first read once to check its format (``progress`` label
    ``"checking <name>"``; a broken file changes nothing), then imported:
    ``progress(label, bytes_done, bytes_total)`` is called at the start of each
    file and after every committed batch of ``batch_size`` rows; an exception it
    raises stops the import, which a later call resumes.  ``include_admin2``
    also stores second-level divisions (ADM2) as kind ``"admin2"``.

    Builds the embedded gazetteer first when the file does not exist.  Raises
    :class:`GazetteerError` for a file that is not a GeoNames file (with the line).
    """
    started = time.perf_counter()
    if not paths:
        raise GazetteerError(
            f"no files to import; give GeoNames files such as SY.zip or allCountries.zip from {DEFAULT_BASE_URL}"
        )
    sources = list({s.key: s for p in paths for s in _detect(Path(p))}.values())
    sources.sort(key=lambda s: _ORDER[s.kind])
    gpath = Path(gazetteer_path) if gazetteer_path is not None else default_path()
    if not gpath.exists():
        build_gazetteer(gpath)
    report = ImportReport()
    con = open_writable(gpath)
    try:
        con.executescript(_IMPORT_SCHEMA)
        importer = _Importer(con, report, progress, batch_size, include_admin2)
        for src in sources:
            importer.run(src)
        if importer.changed:
            importer.finish()
    finally:
        close_writable(con)
    report.seconds = time.perf_counter() - started
    log.info(
        "imported %d files: %d places added, %d replaced, %d names added in %.1f s",
        len(report.files), report.places_added, report.places_replaced, report.names_added, report.seconds,
    )
    return report


# ---------------------------------------------------------------------------
# downloading


def recorded_imports(gazetteer_path: Path) -> list[Path]:
    """The dump files imported into a gazetteer, still on disk, in import order: what a
    rebuild must import again so that nothing a user added is lost."""
    try:
        con = sqlite3.connect(f"file:{gazetteer_path}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT source FROM imports ORDER BY started").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return []
    paths = dict.fromkeys(Path(source.split("!", 1)[0]) for (source,) in rows)
    return [path for path in paths if path.exists()]


def download_country(
    code: str,
    dest_dir: Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download GeoNames' ``{CODE}.zip`` (or ``allCountries.zip``) into ``dest_dir``; return its path.

    ``code`` is an ISO 3166-1 alpha-2 country code or ``"allCountries"``.  The
    file is streamed to a temporary file and renamed when complete, so an
    interrupted download never leaves a truncated zip behind.
    """
    raw = code.strip()
    if raw.lower() == "allcountries":
        stem = "allCountries"
    elif re.fullmatch(r"[A-Za-z]{2}", raw):
        stem = raw.upper()
    else:
        raise GazetteerError(
            f"{code!r} is not a country code; give a two-letter ISO 3166-1 code such as SY, "
            "or allCountries"
        )
    name = f"{stem}.zip"
    url = base_url.rstrip("/") + "/" + name
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / name
    fd, tmp_name = tempfile.mkstemp(prefix=name + ".", suffix=".part", dir=dest_dir)
    tmp = Path(tmp_name)
    request = urllib.request.Request(url, headers={"User-Agent": "eventwatch gazetteer import"})
    try:
        with os.fdopen(fd, "wb") as out:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                total = int(resp.headers.get("Content-Length") or 0)
                done = 0
                if progress is not None:
                    progress(name, 0, total)
                while chunk := resp.read(1 << 20):
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(name, done, total)
        if not zipfile.is_zipfile(tmp):
            raise GazetteerError(
                f"{url} did not return a zip file; check the address, or download {name} by hand"
            )
        os.replace(tmp, target)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise GazetteerError(
                f"GeoNames has no file {name} ({url}: HTTP 404); check the country code"
            ) from exc
        raise GazetteerError(
            f"downloading {url} failed (HTTP {exc.code} {exc.reason}); try again later"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise GazetteerError(
            f"cannot download {url} ({reason}); check the network connection, or download "
            f"{name} on another machine and run `eventwatch gazetteer import {name}`"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target
