"""Input built to break the reader and the stages gets a one-line answer, never a crash or a hang."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventwatch.readers import (
    MAX_INPUT_BYTES,
    MAX_JSONL_LINE_BYTES,
    check_text,
    jsonl_line_result,
    read_inputs,
)
from eventwatch.stages.numbers import tally

EVENTWATCH = str(Path(sys.executable).parent / "eventwatch")
STORY = "Gunmen killed 4 people in Kano, Nigeria on Monday, police said."


class Endless(io.RawIOBase):
    """A stream that never ends (as ``yes`` or ``/dev/zero``), and fails the test once more
    than ``allowed`` bytes were taken from it instead of looping for ever."""

    def __init__(self, pattern: bytes, allowed: int) -> None:
        self.pattern, self.allowed, self.given = pattern, allowed, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.given += len(buffer)
        assert self.given <= self.allowed, "the reader read on into an endless stream"
        whole = self.pattern * (len(buffer) // len(self.pattern) + 1)
        buffer[:] = whole[: len(buffer)]
        return len(buffer)


def stdin_of(monkeypatch: pytest.MonkeyPatch, stream: io.RawIOBase) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8"))


# ----------------------------------------------------------------------------- endless streams

def test_an_endless_text_stream_is_refused_at_the_input_limit(monkeypatch):
    stdin_of(monkeypatch, Endless(b"y\n", allowed=MAX_INPUT_BYTES + 4_000_000))
    [result] = read_inputs("-")
    assert result.error is not None and f"larger than {MAX_INPUT_BYTES:,} bytes" in result.error


def test_an_endless_binary_stream_is_refused_from_its_first_bytes(monkeypatch):
    stdin_of(monkeypatch, Endless(b"\x00", allowed=1_000_000))
    [result] = read_inputs("-")
    assert result.error is not None and "binary" in result.error


@pytest.mark.parametrize("command", [["cat", "/dev/zero"], ["cat", "/dev/urandom"], ["yes"]])
def test_extract_from_an_endless_pipe_ends_with_one_line(command):
    producer = subprocess.Popen(command, stdout=subprocess.PIPE)
    try:
        result = subprocess.run([EVENTWATCH, "extract", "-"], stdin=producer.stdout, capture_output=True,
                                text=True, timeout=60)
    finally:
        producer.kill()
        producer.wait()
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("error: <stdin> "), result.stderr
    assert "Traceback" not in result.stderr


# ----------------------------------------------------------------------------- JSON Lines

def test_a_lone_surrogate_becomes_the_replacement_character():
    line = json.dumps({"id": "s\ud800", "title": "T\udfff", "text": STORY.replace("Kano,", "Kano \ud800,")})
    result = jsonl_line_result(line, "in.jsonl:1")
    assert result.article is not None
    assert "Kano \ufffd," in result.article.text
    assert (result.article.id, result.article.title) == ("s\ufffd", "T\ufffd")
    result.article.text.encode("utf-8")  # writable anywhere


def test_surrogates_in_any_text_are_replaced():
    text, _ = check_text("Shelling hit \udc80 the town.", "<stdin>")
    assert text == "Shelling hit \ufffd the town."


def test_a_deeply_nested_line_fails_alone(tmp_path):
    path = tmp_path / "in.jsonl"
    nested = '{"id": "deep", "text": "x", "more": ' + "[" * 50_000 + "]" * 50_000 + "}"
    path.write_text("\n".join([json.dumps({"text": STORY}), nested, json.dumps({"text": STORY})]) + "\n")
    results = list(read_inputs(path))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == (f'{path}:2: JSON nested too deeply to read: each line must be one article '
                                'object with the article body in "text"')


def test_an_overlong_line_fails_alone_and_is_not_held(tmp_path):
    path = tmp_path / "in.jsonl"
    with path.open("w") as out:
        out.write(json.dumps({"text": STORY}) + "\n")
        out.write('{"text": "' + "a" * (MAX_JSONL_LINE_BYTES + 10) + '"}\n')
        out.write(json.dumps({"text": STORY}) + "\n")
    results = list(read_inputs(path))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error.startswith(f"{path}:2: line longer than {MAX_JSONL_LINE_BYTES:,} bytes")


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("digits", [10, 20, 5000])
def test_a_long_run_of_digits_is_not_a_toll(digits):
    counts = tally([(f"Gunmen killed {'9' * digits} people in the village.", 0)])
    assert counts.fatalities == 0


def test_nine_digits_are_still_a_count():
    assert tally([("The war has killed 123,456,789 people.", 0)]).fatalities == 123_456_789


def test_a_fault_no_check_foresaw_fails_its_line_alone(tmp_path, monkeypatch):
    """A bug met on one line (here a stand-in for one) is that line's failure, not the file's."""
    from eventwatch import readers

    real = readers.article_record_result

    def faulty(obj, where, **options):
        if obj.get("id") == "bad":
            raise KeyError("a fault")
        return real(obj, where, **options)

    monkeypatch.setattr(readers, "article_record_result", faulty)
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps({"id": name, "text": STORY}) for name in ("a", "bad", "c")) + "\n")
    results = list(read_inputs(path))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error.startswith(f"{path}:2 could not be read (KeyError: 'a fault'); the rest is read on")
