import sqlite3
import time

import pytest

from eventwatch.errors import GazetteerError
from eventwatch.geo.gazetteer import SCHEMA_VERSION, Gazetteer, admin1_display_name, default_path


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.delenv("EVENTWATCH_GAZETTEER", raising=False)
    p = default_path()
    assert "eventwatch" in str(p) and f"v{SCHEMA_VERSION}" in p.name
    monkeypatch.setenv("EVENTWATCH_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_path() == tmp_path / "g.sqlite"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="eventwatch gazetteer build"):
        Gazetteer.open(tmp_path / "nope.sqlite", build_if_missing=False)


def test_damaged_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerError, match="eventwatch gazetteer build"):
        Gazetteer.open(bad, build_if_missing=False)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(GazetteerError):
        Gazetteer.open(empty, build_if_missing=False)


def test_open_is_fast(gazetteer_path):
    t = time.perf_counter()
    g = Gazetteer.open(gazetteer_path, build_if_missing=False)
    g.lookup("Idlib")
    assert time.perf_counter() - t < 0.2
    g.close()


def test_transliterated_lookup(gaz):
    hits = gaz.lookup("Maarat al-Numan")
    assert hits
    p = hits[0]
    assert (p.iso2, p.country, p.admin1, p.kind) == ("SY", "Syria", "Idlib", "city")
    assert p.latitude == pytest.approx(35.6483, abs=1e-3)


def test_kherson_is_ukrainian(gaz):
    hits = gaz.lookup("Kherson")
    assert hits[0].iso2 == "UA"
    assert {p.kind for p in hits if p.iso2 == "UA"} == {"city", "admin1"}


def test_alternate_names(gaz):
    assert gaz.lookup("Kharkov")[0].name == "Kharkiv"
    assert gaz.lookup("Kharkiv")[0].iso2 == "UA"
    assert any(p.iso2 == "YE" for p in gaz.lookup("Hodeidah"))


def test_lookup_sorted_by_population(gaz):
    hits = gaz.lookup("Tripoli")
    assert {"LY", "LB"} <= {p.iso2 for p in hits}
    pops = [p.population for p in hits]
    assert pops == sorted(pops, reverse=True)


@pytest.mark.parametrize(
    ("name", "iso2", "admin1"),
    [
        ("Idlib", "SY", "Idlib"),
        ("Hama", "SY", "Hama"),
        ("Latakia", "SY", "Latakia"),
        ("Dnipropetrovsk", "UA", "Dnipropetrovsk"),
        ("Kherson", "UA", "Kherson"),
        ("Tel Aviv", "IL", "Tel Aviv"),
        ("Northern District", "IL", "Northern"),
        ("Magway", "MM", "Magway"),
        ("Lamu", "KE", "Lamu"),
        ("Zamfara", "NG", "Zamfara"),
    ],
)
def test_admin1_names(gaz, name, iso2, admin1):
    divs = [p for p in gaz.lookup(name) if p.kind == "admin1" and p.iso2 == iso2]
    assert divs, name
    assert divs[0].name == admin1 == divs[0].admin1
    assert gaz.admin1(iso2, admin1) is not None


def test_cities_carry_admin1(gaz):
    homs = next(p for p in gaz.lookup("Homs") if p.kind == "city" and p.iso2 == "SY")
    assert homs.admin1 == "Homs"
    nw = next(p for p in gaz.lookup("Bamenda") if p.iso2 == "CM")
    assert nw.admin1 in {"North-West", "Northwest"}


def test_admin1_display_rule():
    assert admin1_display_name("Ḩamāh", ["Hama", "Hama Governorate"]) == "Hama"
    assert admin1_display_name("Dar'ā", ["Daraa"]) == "Daraa"
    assert admin1_display_name("Nord-Kivu", ["Kivu ya Node", "North Kivu"]) == "North Kivu"
    assert admin1_display_name("Puebla", ["Estado de Puebla"]) == "Puebla"
    assert admin1_display_name("Magway", []) == "Magway"


def test_countries_and_demonyms(gaz):
    sy = gaz.country("SY")
    assert sy is not None and sy.kind == "country" and sy.name == "Syria"
    assert 32 < sy.latitude < 37.5 and 35 < sy.longitude < 42.5
    assert gaz.country("sy") == sy
    assert gaz.country("ZZ") is None
    assert gaz.lookup("Syria")[0] == sy
    assert gaz.lookup("Democratic Republic of the Congo")[0].iso2 == "CD"
    assert gaz.lookup("DRC")[0].iso2 == "CD"
    for word, iso2 in [
        ("Syrian", "SY"),
        ("Ukrainian", "UA"),
        ("Nigerian", "NG"),
        ("Israeli", "IL"),
        ("Israelis", "IL"),
        ("South Sudanese", "SS"),
    ]:
        assert gaz.demonym(word) == iso2, word
    assert gaz.demonym("Idlib") is None
    # a demonym is not a place
    assert all(p.kind != "city" or p.iso2 != "UA" for p in gaz.lookup("Ukrainian"))


def test_unknown_name(gaz):
    assert gaz.lookup("Zzyzxqtville") == []
    assert gaz.lookup("") == []
