"""Stage 1 · article text -> sentence spans with character offsets.

The text is never rewritten: every later stage works on ``article.text`` and
the offsets of these spans, so evidence points at the words as published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cpl pvt rev st mt ft sen rep gov "
    "jan feb mar apr jun jul aug sep sept oct nov dec no vs etc approx est "
    "a.m p.m u.s u.n u.k e.g i.e".split()
)
_BREAK = re.compile(r"[.!?]['\"’”)]*\s+(?=['\"‘“(]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(slots=True, frozen=True)
class Sentence:
    """One sentence: ``text == article.text[start:end]``; ``paragraph`` counts from 0."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


def _ends_with_abbreviation(chunk: str) -> bool:
    word = re.search(r"([A-Za-z.]+)\.\W*$", chunk)
    if not word:
        return False
    return is_abbreviation(word.group(1))


def is_abbreviation(word: str) -> bool:
    """Whether a word before a full stop is an abbreviation ("Gen.", "U.S.", "A."), not a sentence end."""
    token = word.lower()
    return token in _ABBREVIATIONS or len(token) == 1


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into paragraphs, then sentences, keeping offsets."""
    sentences: list[Sentence] = []
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH.finditer(text)]
    paragraph_ends = [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]
    for number, (p_start, p_end) in enumerate(zip(paragraph_starts, paragraph_ends, strict=True)):
        start = p_start
        for match in _BREAK.finditer(text, p_start, p_end):
            if _ends_with_abbreviation(text[start : match.start() + 1]):
                continue
            _add(sentences, text, start, match.end(), number)
            start = match.end()
        _add(sentences, text, start, p_end, number)
    return sentences


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))
