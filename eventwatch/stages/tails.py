"""Searching the end of a sentence prefix without rescanning the prefix.

A pattern anchored at the end (``r"\\bnot\\s+$"``) searched in ``text[:end]``
tries every start in the prefix; done once per word of a sentence, that is
quadratic in the sentence's length.  ``search_tail`` starts the search where
the last few words begin: for a pattern whose match holds at most that many
words (runs of ``\\w``) and starts with a word, it finds what the search of the
whole prefix finds.
"""

from __future__ import annotations

import re


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


def words_back(text: str, end: int, words: int) -> int:
    """Where the last ``words`` words before ``end`` begin."""
    i = end
    for _ in range(words):
        while i > 0 and not _is_word(text[i - 1]):
            i -= 1
        while i > 0 and _is_word(text[i - 1]):
            i -= 1
    return i


def search_tail(pattern: re.Pattern[str], text: str, end: int, words: int) -> re.Match[str] | None:
    """``pattern.search(text[:end])`` for a pattern anchored at the end whose match begins with
    a word and holds at most ``words`` words."""
    return pattern.search(text, words_back(text, end, words), end)
