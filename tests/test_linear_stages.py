"""Extraction work grows linearly with the length of an article, counted, not timed.

The count is the Python bytecode instructions executed inside the ``eventwatch``
package while one article is extracted (``sys.settrace`` opcode events): the
same for the same input on any machine.  Doubling an article about doubles it;
a pass over all sentences, places or incidents for each one (what made 25 KB
take seconds and 200 KB minutes) about quadruples it.  The articles are the
shapes of ``benchmarks/sizes.py`` built from ``tests/data/articles.jsonl``.
Work done inside the regex engine is not counted: the helpers that keep regex
searches short are checked against the searches they replace.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

import eventwatch
from eventwatch.model import Article
from eventwatch.stages.numbers import _FirstMatch
from eventwatch.stages.tails import search_tail
from eventwatch.stages.triggers import Trigger, _outermost

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = str(Path(eventwatch.__file__).parent)
GROWTH = 2.4  # most work for twice the text; linear gives about 2.0, quadratic 4


def _load_sizes():
    spec = importlib.util.spec_from_file_location("bench_sizes", ROOT / "benchmarks" / "sizes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SIZES = _load_sizes()
SHAPES = SIZES.shapes(ROOT / "tests" / "data" / "articles.jsonl")


def instructions(pipeline, text: str) -> int:
    """Bytecode instructions executed in eventwatch's own code while extracting ``text``."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "opcode":
            count += 1
        return local

    def calls(frame, event, arg):
        if frame.f_code.co_filename.startswith(PACKAGE):
            frame.f_trace_opcodes = True
            return local
        return None

    article = Article(text=text, published=SIZES.PUBLISHED)
    sys.settrace(calls)
    try:
        pipeline.run(article)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", list(SHAPES))
def test_twice_the_text_takes_about_twice_the_work(pipeline, shape):
    small, large = (instructions(pipeline, SHAPES[shape](size)) for size in (6000, 12000))
    assert large / small < GROWTH, f"{shape}: {small} -> {large} instructions for twice the text"


# ----------------------------------------------------------------------------- the helpers

WORDS = ["no", "not", "the", "of", "killed", "five", "soldiers", "police officers", "x_1", "7", "called"]
GAPS = [" ", "  ", ", ", "\n", " - ", ".", ""]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(5)
    return ["".join(rng.choice(WORDS) + rng.choice(GAPS) for _ in range(rng.randint(0, 12))) for _ in range(count)]


@pytest.mark.parametrize(("pattern", "words"), [
    (re.compile(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$"), 2),
    (re.compile(r"\b(?:the|of|for|to)\s+$"), 1),
    (re.compile(r"(?:\d|\b[a-z]*(?:five|ty)|\b(?:soldiers|police officers?))\s+$", re.I), 2),
])
def test_a_tail_search_finds_what_a_search_of_the_whole_prefix_finds(pattern, words):
    for text in _random_texts(2000):
        for end in range(len(text) + 1):
            whole = pattern.search(text[:end])
            tail = search_tail(pattern, text, end, words)
            assert (whole and whole.span()) == (tail and tail.span()), (text, end)


def test_the_first_match_from_growing_positions_is_that_of_a_fresh_search():
    pattern = re.compile(r"\b(?:in|at(?! least)|on|(?<!well )as(?! well))\b")
    for text in _random_texts(500) + ["killed five as well as two in Gao, at least on Monday as"]:
        finder = _FirstMatch(pattern, text)
        rng = random.Random(len(text))
        position = 0
        while position <= len(text):
            end = len(text) - rng.randint(0, 2) * (rng.random() < 0.2)
            found, fresh = finder.search(position, max(position, end)), pattern.search(text, position, max(position, end))
            assert (found and found.span()) == (fresh and fresh.span())
            position += rng.randint(0, 3)


def test_outermost_triggers_are_those_no_longer_trigger_holds():
    rng = random.Random(9)
    for _ in range(3000):
        spans = [(start, start + rng.randint(1, 6)) for start in (rng.randint(0, 15) for _ in range(rng.randint(0, 8)))]
        found = sorted((Trigger(f"k{i}", s, e, "") for i, (s, e) in enumerate(spans)), key=lambda t: (t.start, -t.end))
        expected = [t for t in found if not any(
            o.start <= t.start and t.end <= o.end and (o.end - o.start) > (t.end - t.start) for o in found)]
        assert _outermost(found) == expected
