"""Corpus-level stages: what happens once reports from many articles are together.

* :mod:`eventwatch.corpus.merge`  reports of the same incident become one event
  (``cluster`` then ``merge``; ``merge_corpus`` does both);
* :mod:`eventwatch.corpus.dedup`  near-duplicate articles (wire copies, light rewrites).

Both are pure: no I/O, no store; the store and the CLI call them.
"""

from __future__ import annotations

from eventwatch.corpus.merge import cluster, compatible, incompatibility, merge, merge_corpus

__all__ = ["cluster", "compatible", "incompatibility", "merge", "merge_corpus"]
