"""GeoNames dump import: fixture files in the dump formats, imported into copies of the real gazetteer."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from eventwatch.errors import GazetteerError
from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.geo.importer import ImportReport, download_country, import_geonames

DATA = Path(__file__).resolve().parents[1] / "data" / "geonames"
SY = DATA / "SY.txt"
ADMIN1 = DATA / "admin1CodesASCII.txt"
ALTNAMES = DATA / "alternateNamesV2.txt"


@pytest.fixture
def gaz_copy(gazetteer_path: Path, tmp_path: Path) -> Path:
    """A private copy of the embedded gazetteer (the user's own file is never written)."""
    dest = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gazetteer_path, dest)
    return dest


def make_zip(txt: Path, dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(txt, txt.name)
        zf.writestr("readme.txt", "GeoNames dump of one country.\n")
    return dest


def snapshot(path: Path) -> tuple:
    """Every table the importer touches, in a comparable form (Syria in full, the rest by count)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return (
            con.execute("SELECT count(*) FROM places").fetchone(),
            con.execute("SELECT count(*) FROM names").fetchone(),
            con.execute("SELECT * FROM places WHERE iso2 = 'SY' ORDER BY geonameid").fetchall(),
            con.execute(
                "SELECT n.* FROM names n JOIN places p USING (geonameid) WHERE p.iso2 = 'SY' "
                "ORDER BY n.key, n.geonameid"
            ).fetchall(),
        )
    finally:
        con.close()


def lookup(path: Path, name: str):
    g = Gazetteer.open(path, build_if_missing=False)
    try:
        return g.lookup(name)
    finally:
        g.close()


# ---------------------------------------------------------------------------


def test_village_resolves_with_admin1_and_feature_code(gaz_copy):
    assert lookup(gaz_copy, "Tall Hamdan") == []
    report = import_geonames([SY], gaz_copy)
    assert isinstance(report, ImportReport)
    assert report.files == [SY]
    # 6 new places (5 villages, 1 camp), 2 real cities that replace their default rows
    assert (report.places_added, report.places_replaced) == (6, 2)
    assert report.names_added > 0 and report.seconds > 0

    g = Gazetteer.open(gaz_copy, build_if_missing=False)
    (tall,) = g.lookup("Tall Hamdan")
    assert (tall.geonameid, tall.kind, tall.iso2, tall.country) == (90000001, "city", "SY", "Syria")
    assert (tall.admin1, tall.feature_code, tall.population) == ("Idlib", "PPL", 640)
    assert g.lookup("Tell Hamdan") == [tall]  # from the alternatenames column
    (kafr,) = g.lookup("Kfar Sharin")
    assert (kafr.admin1, kafr.feature_code) == ("Hama", "PPL")
    (huw,) = g.lookup("Huwayjat Salih")
    assert huw.admin1 == "Deir ez-Zor"  # the embedded display name, not a new spelling
    (umm,) = g.lookup("Um Tweineh al-Gharbiyeh")
    assert umm.feature_code == "PPLL"
    (camp,) = g.lookup("Sahl al-Ruj Camp")
    assert (camp.kind, camp.feature_code) == ("city", "CMPRF")
    # the real cities come back once, with their GeoNames feature code
    idlib = g.lookup("Idlib")
    assert [(p.geonameid, p.kind) for p in idlib] == [(169387, "admin1"), (169389, "city")]
    assert idlib[1].feature_code == "PPLA"
    # the dump's ADM1 row adds its names to the embedded division, which keeps its own row
    assert idlib[0].name == "Idlib" and g.lookup("Idlib Governorate") == [idlib[0]]
    # a country dump is a full listing: the default cities it does not list are gone
    assert [p.kind for p in g.lookup("Aleppo")] == ["admin1"]
    # other feature classes, historic places and (by default) ADM2 are not imported
    assert g.lookup("Tall ar Rummanah") == []
    assert g.lookup("Khirbat Qasr al Bint") == []
    assert g.lookup("Mintaqat Wadi al Ward") == []
    # other countries are untouched
    assert any(p.kind == "city" and p.iso2 == "LB" for p in g.lookup("Tripoli"))
    g.close()


def test_admin2_on_request(gaz_copy):
    import_geonames([SY], gaz_copy, include_admin2=True)
    (district,) = lookup(gaz_copy, "Wadi al Ward District")
    assert (district.kind, district.feature_code, district.admin1) == ("admin2", "ADM2", "Idlib")


def test_zip_and_plain_give_the_same_result(gaz_copy, tmp_path):
    other = tmp_path / "other.sqlite"
    shutil.copyfile(gaz_copy, other)
    import_geonames([SY], gaz_copy)
    report = import_geonames([make_zip(SY, tmp_path / "SY.zip")], other)
    assert report.places_added == 6
    assert snapshot(gaz_copy) == snapshot(other)


def test_importing_twice_changes_nothing(gaz_copy, tmp_path):
    import_geonames([ADMIN1, SY, ALTNAMES], gaz_copy)
    first = snapshot(gaz_copy)
    again = import_geonames([SY, ALTNAMES, ADMIN1], gaz_copy)
    assert again.files == [] and sorted(again.skipped) == sorted([SY, ALTNAMES, ADMIN1])
    assert (again.places_added, again.names_added) == (0, 0)
    assert snapshot(gaz_copy) == first
    # a changed file (new mtime) is imported again, and still ends the same
    copy = tmp_path / "SY.txt"
    shutil.copy2(SY, copy)
    import_geonames([copy], gaz_copy)
    os.utime(copy, (1_700_000_000, 1_700_000_000))
    redo = import_geonames([copy], gaz_copy)
    assert redo.files == [copy] and redo.places_replaced == 8
    assert snapshot(gaz_copy) == first
    # the file is left in a single-file journal mode, readable read-only
    assert not Path(f"{gaz_copy}-wal").exists()


def test_alternate_names(gaz_copy):
    import_geonames([SY, ALTNAMES], gaz_copy)
    (tall,) = lookup(gaz_copy, "Tel Hamdan")
    assert tall.geonameid == 90000001
    assert lookup(gaz_copy, "Kefr Charine")[0].geonameid == 90000002
    assert lookup(gaz_copy, "Hwayjet Saleh")[0].geonameid == 90000004  # colloquial is kept
    assert lookup(gaz_copy, "Sahl Rouj Camp")[0].geonameid == 90000006
    assert lookup(gaz_copy, "Kafr Charine") == []  # historic
    assert lookup(gaz_copy, "SRJ") == []  # an IATA code
    assert lookup(gaz_copy, "31970") == []  # a postal code
    assert lookup(gaz_copy, "Nowhere Hamlet") == []  # its place is not in the gazetteer
    con = sqlite3.connect(gaz_copy)
    orphans = con.execute(
        "SELECT count(*) FROM names WHERE geonameid NOT IN (SELECT geonameid FROM places)"
    ).fetchone()[0]
    con.close()
    assert orphans == 0


def test_admin1_names_from_the_code_list(gaz_copy):
    # a gazetteer that lacks the Hama division: the code list names it
    con = sqlite3.connect(gaz_copy)
    con.execute("DELETE FROM places WHERE geonameid = 170015")
    con.commit()
    con.close()
    import_geonames([SY], gaz_copy)
    assert lookup(gaz_copy, "Kafr Sharin")[0].admin1 is None
    import_geonames([ADMIN1], gaz_copy)  # a later code list fills the gap
    assert lookup(gaz_copy, "Kafr Sharin")[0].admin1 == "Hama"


def test_additive_file_keeps_the_default_cities(gaz_copy, tmp_path):
    extract = tmp_path / "villages.txt"
    row = [
        "90000101", "Gajiram Kura", "Gajiram Kura", "Gajiram-Kura", "12.48410", "13.20330",
        "P", "PPL", "NG", "", "27", "", "", "", "850", "", "318", "Africa/Lagos", "2024-03-02",
    ]
    extract.write_text("\t".join(row) + "\n", encoding="utf-8")
    before = len(lookup(gaz_copy, "Maiduguri"))
    report = import_geonames([extract], gaz_copy)
    assert (report.places_added, report.places_replaced) == (1, 0)
    (village,) = lookup(gaz_copy, "Gajiram Kura")
    assert (village.iso2, village.admin1, village.country) == ("NG", "Borno", "Nigeria")
    assert len(lookup(gaz_copy, "Maiduguri")) == before


def write_big_dump(path: Path, n: int) -> Path:
    """The fixture rows plus ``n`` generated villages: enough for several batches."""
    with path.open("w", encoding="utf-8") as out:
        out.write(SY.read_text(encoding="utf-8"))
        for i in range(n):
            gid = 90_100_000 + i
            alts = f"Qaryat {i:05d},Qaryet {i:05d}" if i % 3 else ""
            out.write(
                "\t".join(
                    [str(gid), f"Qaryat Ikhtibar {i:05d}", f"Qaryat Ikhtibar {i:05d}", alts,
                     f"{35 + i / 10000:.5f}", "36.50000", "P", "PPL", "SY", "", "12", "", "", "",
                     str(i % 700), "", "300", "Asia/Damascus", "2024-03-02"]
                )
                + "\n"
            )
    return path


class Stop(Exception):
    pass


def test_interrupted_import_resumes_without_duplicates(gaz_copy, tmp_path):
    big = write_big_dump(tmp_path / "SY.txt", 2000)
    clean = tmp_path / "clean.sqlite"
    shutil.copyfile(gaz_copy, clean)
    full = import_geonames([big], clean, batch_size=300)

    calls = []

    def stop_after_three_batches(label: str, done: int, total: int) -> None:
        if label == "SY.txt" and 0 < done < total:
            calls.append(done)
            if len(calls) == 3:
                raise Stop

    with pytest.raises(Stop):
        import_geonames([big], gaz_copy, batch_size=300, progress=stop_after_three_batches)
    con = sqlite3.connect(gaz_copy)
    offset, line, done = con.execute("SELECT offset, line, done FROM imports").fetchone()
    con.close()
    assert (offset, done) == (calls[-1], 0) and line > 0
    part = lookup(gaz_copy, "Qaryat Ikhtibar 00100")
    assert len(part) == 1  # what was committed is readable already

    seen = []
    resumed = import_geonames([big], gaz_copy, batch_size=300, progress=lambda *a: seen.append(a))
    assert not any(label.startswith("checking") for label, _, _ in seen)  # no second check
    assert seen[0] == ("SY.txt", offset, big.stat().st_size)
    assert resumed.places_added < full.places_added
    assert snapshot(gaz_copy) == snapshot(clean)
    assert len(lookup(gaz_copy, "Qaryat Ikhtibar 01999")) == 1


_KILLER = """
import os, signal, sys
from pathlib import Path
from eventwatch.geo.importer import import_geonames
calls = []
def progress(label, done, total):
    if label == "SY.zip:SY.txt" and 0 < done < total:
        calls.append(done)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
import_geonames([Path(sys.argv[1])], Path(sys.argv[2]), batch_size=250, progress=progress)
"""


def test_killed_import_resumes(gaz_copy, tmp_path):
    archive = make_zip(write_big_dump(tmp_path / "SY.txt", 1500), tmp_path / "SY.zip")
    clean = tmp_path / "clean.sqlite"
    shutil.copyfile(gaz_copy, clean)
    import_geonames([archive], clean)

    proc = subprocess.run([sys.executable, "-c", _KILLER, str(archive), str(gaz_copy)], timeout=120)
    assert proc.returncode == -9
    # the killed writer left a consistent, readable gazetteer
    assert len(lookup(gaz_copy, "Qaryat Ikhtibar 00001")) == 1
    report = import_geonames([archive], gaz_copy, batch_size=250)
    assert report.files == [archive]
    assert snapshot(gaz_copy) == snapshot(clean)


def test_malformed_file_is_a_clear_error_and_changes_nothing(gaz_copy, tmp_path):
    before = snapshot(gaz_copy)
    broken = tmp_path / "SY.txt"
    lines = SY.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "\t".join(lines[3].split("\t")[:7]) + "\n"  # a line cut short
    broken.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(
        GazetteerError,
        match=r"SY\.txt is not a GeoNames dump: expected 19 tab-separated columns on line 4 \(found 7\)",
    ):
        import_geonames([broken], gaz_copy)
    assert snapshot(gaz_copy) == before

    notes = tmp_path / "notes.txt"
    notes.write_text("name\tlat\tlon\nSaraqib\t35.8\t36.8\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="expected 19 tab-separated columns on line 1"):
        import_geonames([notes], gaz_copy)
    binary = tmp_path / "XX.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe" * 10)
    with pytest.raises(GazetteerError, match="not UTF-8"):
        import_geonames([binary], gaz_copy)
    with pytest.raises(GazetteerError, match="does not exist"):
        import_geonames([tmp_path / "missing.txt"], gaz_copy)
    assert snapshot(gaz_copy) == before


def test_malformed_file_through_the_cli_is_one_line(gaz_copy, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("just some words\n", encoding="utf-8")
    code = (
        "import sys\nfrom pathlib import Path\nfrom eventwatch.errors import EventwatchError\n"
        "from eventwatch.geo.importer import import_geonames\n"
        "try:\n    import_geonames([Path(sys.argv[1])], Path(sys.argv[2]))\n"
        "except EventwatchError as exc:\n    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(notes), str(gaz_copy)], capture_output=True, text=True
    )
    assert out.stderr == ""
    assert out.stdout.startswith("notes.txt is not a GeoNames dump: expected 19")


# ---------------------------------------------------------------------------
# download


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "srv"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_download_country_from_a_local_server(server, tmp_path, gaz_copy):
    root, url = server
    make_zip(SY, root / "SY.zip")
    dest = tmp_path / "downloads"
    seen = []
    path = download_country("sy", dest, base_url=url, progress=lambda *a: seen.append(a))
    assert path == dest / "SY.zip"
    assert path.read_bytes() == (root / "SY.zip").read_bytes()
    assert seen[-1] == ("SY.zip", path.stat().st_size, path.stat().st_size)
    assert sorted(p.name for p in dest.iterdir()) == ["SY.zip"]  # no temporary file left
    import_geonames([path], gaz_copy)
    assert lookup(gaz_copy, "Tall Hamdan")[0].admin1 == "Idlib"


def test_download_errors_are_clear(server, tmp_path):
    root, url = server
    dest = tmp_path / "downloads"
    with pytest.raises(GazetteerError, match=r"no file LB\.zip .*HTTP 404.*check the country code"):
        download_country("LB", dest, base_url=url)
    (root / "XX.zip").write_text("<html>not found</html>", encoding="utf-8")
    with pytest.raises(GazetteerError, match="did not return a zip file"):
        download_country("XX", dest, base_url=url)
    with pytest.raises(GazetteerError, match="not a country code"):
        download_country("Syria", dest, base_url=url)
    with socket.socket() as s:  # a port nobody listens on: as good as offline
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GazetteerError, match="cannot download .*check the network connection"):
        download_country("SY", dest, base_url=f"http://127.0.0.1:{port}/", timeout=5)
    assert list(dest.iterdir()) == []
