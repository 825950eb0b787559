"""Near-duplicate articles: wire copies and lightly reworded rewrites.

An article's ``signature`` is a MinHash (64 permutations, via ``datasketch``)
of the set of its word 5-shingles, serialised to bytes so the store can keep
it.  ``DuplicateIndex`` finds, for a new signature, a stored article whose
estimated Jaccard similarity reaches a threshold.

The threshold (default 0.8).  Jaccard similarity of 5-shingle sets falls fast
with edits: every changed word removes up to five shingles from each side.

* a wire copy (same text, another outlet, maybe another headline or a
  dateline) scores 0.95-1.0;
* a rewrite with one word in eighty changed scores about 0.89, one in forty
  about 0.78, one in twenty about 0.61, one in ten about 0.34 (measured on
  100-600-word texts with evenly spread edits; clustered edits score higher);
* two independent articles on the same incident share a few phrases ("were
  killed", "the army said") and score below 0.1.

0.8 therefore flags wire copies and the lightest rewrites only (about one
word in fifty changed, or edits confined to a paragraph), which is what
a duplicate must be for its events to be skipped safely: anything reworded
more is still extracted, and the corpus merge (``eventwatch.corpus.merge``)
joins its reports to the same incident.  With 64 permutations the estimate's
standard error is about sqrt(J(1-J)/64), 0.05 at J = 0.8, so a pair at 0.75
may pass and one at 0.85 may fail; raise ``num_perm`` for a sharper cut.
Candidates come from MinHash LSH built at a lower threshold (``lsh_threshold``,
0.6: 10 bands of 6 rows, which a pair at 0.8 shares with probability 0.95, at
0.85 0.99, at 0.9 0.9995) and are then checked against the asked threshold.
A lower LSH threshold finds the borderline pairs more surely but returns many
more candidates: articles written from one template (short wire briefs) share
half their shingles, and at 0.5 each new one was compared with every earlier
one (19 candidates per article in 3,000 generated briefs, against 0.5 at 0.6,
with the same duplicates found).

Requires ``datasketch``.
"""

from __future__ import annotations

import functools
import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

__all__ = ["NUM_PERM", "SHINGLE", "DuplicateIndex", "signature", "similarity"]

NUM_PERM = 64
SHINGLE = 5
_SEED = 1
_SCHEME = "affine32"     # pinned: a signature stored today must compare with one made after an upgrade
_BYTEORDER = "<"          # pinned: signatures are stored and may move between machines
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) <= SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


@functools.cache
def _permutations() -> object:
    """The seeded permutations every signature uses, drawn once (drawing them is most of the
    cost of a short article's signature)."""
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def _minhash(text: str) -> LeanMinHash:
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
    m.update_batch(sorted(_shingles(text)))
    return LeanMinHash(m)


def _load(sig: bytes) -> LeanMinHash:
    return LeanMinHash.deserialize(sig, byteorder=_BYTEORDER)


def signature(text: str) -> bytes:
    """The MinHash of the text's word 5-shingles (case-folded), as bytes."""
    m = _minhash(text)
    buf = bytearray(m.bytesize(byteorder=_BYTEORDER))
    m.serialize(buf, byteorder=_BYTEORDER)
    return bytes(buf)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(_load(a).jaccard(_load(b)))


class DuplicateIndex:
    """Signatures of articles seen so far; ``find`` returns the one a new article duplicates."""

    def __init__(self, lsh_threshold: float = 0.6) -> None:
        self.lsh_threshold = lsh_threshold
        self._lsh = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sigs

    def add(self, article_id: str, sig: bytes) -> None:
        """Index one article; adding an id already indexed changes nothing."""
        if article_id in self._sigs:
            return
        m = _load(sig)
        self._sigs[article_id] = m
        self._lsh.insert(article_id, m)

    def find(self, sig: bytes, threshold: float = 0.8) -> str | None:
        """The indexed article most similar to ``sig`` with estimated Jaccard >= threshold
        (ties: the smallest id), or None.  Thresholds below ``lsh_threshold`` lose recall."""
        m = _load(sig)
        candidates = sorted(self._lsh.query(m))
        if not candidates:
            return None
        # estimated Jaccard of every candidate at once: the share of equal hash values
        stacked = np.stack([self._sigs[article_id].hashvalues for article_id in candidates])
        scores = np.count_nonzero(stacked == m.hashvalues, axis=1) / NUM_PERM
        best = int(np.argmax(scores))  # the first of the best: the smallest id
        return candidates[best] if scores[best] >= threshold else None
