"""Text -> hashed n-gram features, the same for training and for reading.

A text becomes the indices of its word unigrams and bigrams and of the character
4-grams of its words, each hashed (CRC-32, stable across runs and machines) into
``BUCKETS`` columns, with sublinear counts scaled to unit length.  Words are lower
case, digits read as ``0`` and day and month names as ``when``, so "Killed 12 on
Monday" and "killed 7 on Friday" look alike; character
grams let "pounded" and "pounding" share most of their columns, which is what
carries the model to wording it never saw.
"""

from __future__ import annotations

import math
import re
import zlib

BUCKETS = 1 << 18
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_DIGITS = re.compile(r"\d")


# Days and months say when, never whether or what: one token each, so that a set whose
# texts happen to name weekdays (or never do) cannot teach the models that they matter.
_CALENDAR = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|june|july|august|"
    r"september|october|november|december)\b"
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(_CALENDAR.sub("when", _DIGITS.sub("0", text.lower())))


def _grams(words: list[str]):
    for i, word in enumerate(words):
        yield "w " + word
        if i:
            yield "b " + words[i - 1] + " " + word
        padded = f"<{word}>"
        for j in range(len(padded) - 3):
            yield "c " + padded[j : j + 4]


def features(text: str) -> tuple[list[int], list[float]]:
    """(column indices, values) of ``text``: a sparse row of unit length."""
    counts: dict[int, int] = {}
    for gram in _grams(tokens(text)):
        column = zlib.crc32(gram.encode()) & (BUCKETS - 1)
        counts[column] = counts.get(column, 0) + 1
    values = [1.0 + math.log(c) for c in counts.values()]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return list(counts), [v / norm for v in values]
