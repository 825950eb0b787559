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
Candidates come from locality-sensitive hashing: the first 60 hash values in
10 bands of 6 (``band_keys``); articles sharing a band are candidates, then
checked against the threshold.  A pair at 0.8 shares a band with probability
0.95, at 0.85 0.99, at 0.9 0.9995.  Fewer rows per band would find borderline
pairs more surely but make many more candidates: articles written from one
template (short wire briefs) share half their shingles.  The band keys live in
the store (``NewArticle.bands``, ``Store.near_duplicates``), so that a run
neither loads every signature of a large store nor holds them in memory, and
two runs writing one store see each other's articles.

Requires ``datasketch``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash

__all__ = ["NUM_PERM", "SHINGLE", "band_keys", "best_match", "signature", "similarity"]

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
    try:
        return LeanMinHash.deserialize(sig, byteorder=_BYTEORDER)
    except struct.error as error:
        raise ValueError(f"not a MinHash signature ({len(sig)} bytes)") from error


def signature(text: str) -> bytes:
    """The MinHash of the text's word 5-shingles (case-folded), as bytes."""
    m = _minhash(text)
    buf = bytearray(m.bytesize(byteorder=_BYTEORDER))
    m.serialize(buf, byteorder=_BYTEORDER)
    return bytes(buf)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(_load(a).jaccard(_load(b)))


BANDS, ROWS = 10, 6


def band_keys(sig: bytes) -> tuple[int, ...]:
    """The signature's LSH band keys: one 63-bit integer per band of ROWS hash values."""
    values = _load(sig).hashvalues
    return tuple(
        int.from_bytes(hashlib.blake2b(bytes([band]) + values[band * ROWS:(band + 1) * ROWS].astype("<u8").tobytes(),
                                       digest_size=8).digest(), "big") >> 1
        for band in range(BANDS)
    )


def best_match(sig: bytes, candidates: Iterable[tuple[str, bytes]], threshold: float = 0.8) -> str | None:
    """The candidate (article_id, signature) most similar to ``sig`` with estimated Jaccard
    >= threshold (ties: the smallest id), or None."""
    ordered = sorted(dict(candidates).items())
    if not ordered:
        return None
    # estimated Jaccard of every candidate at once: the share of equal hash values
    stacked = np.stack([_load(other).hashvalues for _, other in ordered])
    scores = np.count_nonzero(stacked == _load(sig).hashvalues, axis=1) / NUM_PERM
    best = int(np.argmax(scores))  # the first of the best: the smallest id
    return ordered[best][0] if scores[best] >= threshold else None
