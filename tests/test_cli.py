"""The command line on real inputs: output shapes, one-line errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwatch.cli import cli

DATA = Path(__file__).parent / "data"
REPORT = (
    "KIDAL, Mali — Gunmen killed five civilians and wounded three others in an attack on a "
    "market in Kidal on Saturday, local officials said on Sunday.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_extract_text_from_stdin_as_json(runner):
    result = runner.invoke(cli, ["extract", "-", "--published", "2024-03-04"], input=REPORT)
    assert result.exit_code == 0, result.output
    [batch] = json.loads(result.stdout)
    [event] = batch["events"]
    assert (event["location"], event["fatalities"], event["injuries"], event["event_date"]) == ("Kidal", 5, 3, "2024-03-02")
    assert event["spans"]["location"]["text"] == "Kidal"


@pytest.mark.parametrize("fmt", ["csv", "geojson", "jsonl"])
def test_extract_formats(runner, fmt):
    result = runner.invoke(cli, ["extract", "-", "--published", "2024-03-04", "--format", fmt], input=REPORT)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        header, row = result.stdout.splitlines()[:2]
        assert header.startswith("article_id,event_id,event_date") and "Kidal" in row
    elif fmt == "geojson":
        feature = json.loads(result.stdout)["features"][0]
        assert feature["geometry"]["type"] == "Point"
    else:
        assert json.loads(result.stdout.splitlines()[0])["events"][0]["country"] == "Mali"


def test_extract_csv_quotes_cells_a_spreadsheet_would_run(runner, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "@cmd", "published": "2024-03-04", "source": "-1+1", "text": REPORT}) + "\n")
    result = runner.invoke(cli, ["extract", str(batch), "--format", "csv"])
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert (row["article_id"], row["source"], row["location"]) == ("'@cmd", "'-1+1", "Kidal")
    assert float(row["longitude"]) and not row["longitude"].startswith("'")


def test_batch_reports_bad_line_and_goes_on(runner, tmp_path):
    batch = tmp_path / "batch.jsonl"
    good = {"id": "a", "published": "2024-03-04", "text": REPORT}
    batch.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "id": "b"}) + "\n")
    result = runner.invoke(cli, ["extract", str(batch), "--format", "jsonl"])
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert "batch.jsonl:2" in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["extract", "-", "--published", "2021-02-30"], REPORT, "not a real date"),
        (["extract", "-"], "", "empty input"),
        (["extract", "/no/such/file.txt"], None, "no such file"),
    ],
)
def test_bad_input_gets_one_line_and_no_traceback(runner, args, stdin, message):
    result = runner.invoke(cli, args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_non_english_article_gives_warning_and_no_events(runner):
    text = (DATA / "inputs" / "french.txt").read_text()
    result = runner.invoke(cli, ["extract", "-", "--format", "jsonl"], input=text)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["events"] == []
    assert "does not look like English" in result.stderr


def test_html_page_is_read(runner):
    result = runner.invoke(cli, ["extract", str(DATA / "inputs" / "article.html"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output


def test_evaluate_json_has_scorecard_keys(runner):
    result = runner.invoke(cli, ["evaluate", str(DATA / "articles.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    for key in ("articles", "detection", "event_type_accuracy", "fatalities_exact", "location_within_25km",
                "false_alarms_in_no_event_articles", "seconds"):
        assert key in card


def test_every_command_help_has_an_example(runner):
    for command in (["extract"], ["evaluate"], ["geoparse"], ["ingest"], ["export"], ["events"], ["serve"], ["demo"],
                    ["gazetteer"], ["gazetteer", "build"], ["gazetteer", "import"], ["spark-extract"]):
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0 and "eventwatch " in result.output and "Example" in result.output


def test_installed_script_runs():
    script = Path(sys.executable).parent / "eventwatch"
    result = subprocess.run([str(script), "extract", "-", "--published", "2024-03-04", "--format", "jsonl"],
                            input=REPORT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["events"][0]["location"] == "Kidal"


def test_geoparse_lists_resolved_and_unresolved_mentions(runner):
    text = "GAO, Mali — Gunmen attacked the village of Tinzouqqa near Gao and struck Kidal on Monday."
    result = runner.invoke(cli, ["geoparse", "-", "--format", "jsonl"], input=text)
    assert result.exit_code == 0, result.output
    places = json.loads(result.stdout)["places"]
    by_text = {p["text"]: p for p in places}
    assert by_text["Kidal"]["country"] == "Mali" and by_text["Kidal"]["geonameid"]
    assert by_text["Tinzouqqa"]["geonameid"] is None  # named as a place, unknown to the gazetteer
    for place in places:
        assert text[place["start"] : place["end"]] == place["text"]


def test_geoparse_keeps_offsets_of_jsonl_input(runner, tmp_path):
    batch = tmp_path / "in.jsonl"
    text = "Rockets hit Tripoli, Lebanon, and then Tripoli again."
    batch.write_text(json.dumps({"id": "x1", "text": text}) + "\n")
    result = runner.invoke(cli, ["geoparse", str(batch), "--format", "jsonl"])
    line = json.loads(result.stdout)
    assert line["id"] == "x1"
    assert [p["country"] for p in line["places"] if p["text"] == "Tripoli"] == ["Lebanon", "Lebanon"]


@pytest.fixture()
def gazetteer_copy(tmp_path, monkeypatch):
    """A private copy of the built gazetteer, used by every command through the environment."""
    import shutil

    from eventwatch.geo.gazetteer import default_path

    copy = tmp_path / "gazetteer.sqlite"
    shutil.copy(default_path(), copy)
    monkeypatch.setenv("EVENTWATCH_GAZETTEER", str(copy))
    return copy


def _sy_zip(folder: Path) -> Path:
    import zipfile

    path = folder / "SY.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "geonames" / "SY.txt", "SY.txt")
    return path


def test_gazetteer_import_makes_a_village_resolve(runner, gazetteer_copy, tmp_path):
    text = "Shelling hit Tall Hamdan in Idlib province on Monday, killing two civilians."
    before = json.loads(runner.invoke(cli, ["geoparse", "-", "--format", "jsonl"], input=text).stdout)
    assert "Tall Hamdan" not in [p["text"] for p in before["places"] if p["geonameid"]]
    result = runner.invoke(cli, ["gazetteer", "import", str(_sy_zip(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "places added" in result.output
    after = json.loads(runner.invoke(cli, ["geoparse", "-", "--format", "jsonl"], input=text).stdout)
    village = next(p for p in after["places"] if p["text"] == "Tall Hamdan")
    assert (village["country"], village["admin1"], village["feature_code"]) == ("Syria", "Idlib", "PPL")


def test_gazetteer_import_download_from_a_local_mirror(runner, gazetteer_copy, tmp_path):
    import functools
    import http.server
    import threading

    served = tmp_path / "mirror"
    served.mkdir()
    _sy_zip(served)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        mirror = f"http://127.0.0.1:{server.server_address[1]}/"
        result = runner.invoke(cli, ["gazetteer", "import", "--download", "SY", "--mirror", mirror,
                                     "--into", str(tmp_path / "dl")])
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dl" / "SY.zip").exists()


def test_gazetteer_import_rejects_a_file_that_is_not_a_dump(runner, gazetteer_copy, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("just some notes\nnothing tabular\n")
    result = runner.invoke(cli, ["gazetteer", "import", str(bogus)])
    assert result.exit_code == 1
    assert "not a GeoNames dump" in result.output and "Traceback" not in result.output


def test_gazetteer_build_keeps_what_was_imported(runner, gazetteer_copy, tmp_path):
    archive = _sy_zip(tmp_path)
    assert runner.invoke(cli, ["gazetteer", "import", str(archive)]).exit_code == 0
    result = runner.invoke(cli, ["gazetteer", "build", "--path", str(gazetteer_copy)])
    assert result.exit_code == 0, result.output
    text = "Shelling hit Tall Hamdan on Monday."
    found = json.loads(runner.invoke(cli, ["geoparse", "-", "--format", "jsonl"], input=text).stdout)["places"]
    assert any(p["text"] == "Tall Hamdan" and p["geonameid"] for p in found)


def test_demo_serves_the_bundled_examples():
    import socket

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(sys.executable).parent / "eventwatch"
    demo = subprocess.Popen([str(script), "demo", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                events = httpx.get(f"http://127.0.0.1:{port}/api/events?limit=5", timeout=2).json()
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("the demo server did not answer: " + demo.stderr.read1().decode())
        assert events["total"] > 10
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "EventWatch" in page.text
    finally:
        demo.terminate()
        demo.wait(timeout=30)
