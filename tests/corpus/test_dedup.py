"""Near-duplicate articles: wire copies and light rewrites are found, other articles are not."""

from __future__ import annotations

import pytest

pytest.importorskip("datasketch")

from eventwatch.corpus.dedup import band_keys, best_match, signature, similarity  # noqa: E402
from eventwatch.ingest import Extracted, near_duplicates_marked  # noqa: E402
from eventwatch.model import Article  # noqa: E402
from eventwatch.store import open_store  # noqa: E402
from eventwatch.store.api import NewArticle  # noqa: E402

ORIGINAL = (
    "KHERSON, Ukraine — Russian forces shelled the southern city of Kherson on Monday, killing three "
    "civilians and wounding seven others, the regional governor said. The shells struck a covered market "
    "and a bus stop near the river port shortly after ten in the morning, Oleksandr Prokudin wrote on "
    "Telegram, and set fire to two apartment blocks. Emergency crews put out the fires by early afternoon. "
    "Kherson, which Ukrainian troops retook in November 2022, has been shelled almost daily from the "
    "Russian-held left bank of the Dnipro river, and much of its population has left. Officials urged the "
    "remaining residents to stay in shelters when the sirens sound and to avoid the riverside districts."
)
# the same story lightly reworded by another desk: another dateline, one word changed
REWRITE = "KYIV (Reuters) - " + ORIGINAL.removeprefix("KHERSON, Ukraine — ").replace(
    "wounding seven others", "injuring seven others")
OTHER_ARTICLE_SAME_INCIDENT = (
    "Three people died and seven were hurt when artillery fire hit a market in Kherson on Monday, "
    "according to Ukraine's southern military command. A bus stop was also damaged. The city lies on the "
    "front line along the Dnipro river and is hit by Russian artillery and drones nearly every day."
)
UNRELATED = (
    "MAIDUGURI, Nigeria — Gunmen abducted 12 farmers from their fields near the village of Kawuri in "
    "Borno state on Saturday, residents said. The attackers arrived on motorcycles and took the men into "
    "the bush, a local vigilante leader said."
)


def test_a_wire_copy_scores_near_one():
    assert similarity(signature(ORIGINAL), signature("By Wire Staff. " + ORIGINAL)) >= 0.9


def test_signatures_are_stable_bytes():
    assert isinstance(signature(ORIGINAL), bytes)
    assert signature(ORIGINAL) == signature(ORIGINAL)


def _stored(store, article_id: str, text: str) -> None:
    sig = signature(text)
    assert store.save_articles([NewArticle(Article(text=text, id=article_id), [], None, sig, band_keys(sig))]) == [True]


@pytest.fixture
def index(tmp_path):
    """A store holding two articles, for near-duplicate search."""
    store = open_store(tmp_path / "events.db")
    _stored(store, "kherson-original", ORIGINAL)
    _stored(store, "borno-abduction", UNRELATED)
    yield store
    store.close()


def _extracted(article_id: str, text: str) -> Extracted:
    sig = signature(text)
    return Extracted(Article(text=text, id=article_id), [], sig, band_keys(sig))


def find(store, text: str):
    return near_duplicates_marked(store, [_extracted("new", text)])[0].duplicate_of


def test_a_wire_copy_is_found(index):
    assert find(index, ORIGINAL) == "kherson-original"


def test_a_light_rewrite_is_found(index):
    assert similarity(signature(ORIGINAL), signature(REWRITE)) >= 0.8
    assert find(index, REWRITE) == "kherson-original"


@pytest.mark.parametrize("text", [OTHER_ARTICLE_SAME_INCIDENT, "Hundreds protested in Bamako on Tuesday."])
def test_a_different_article_is_not_a_duplicate(index, text):
    assert find(index, text) is None


def test_an_earlier_article_of_the_same_batch_is_found(index):
    marked = near_duplicates_marked(index, [_extracted("first", OTHER_ARTICLE_SAME_INCIDENT),
                                            _extracted("second", OTHER_ARTICLE_SAME_INCIDENT),
                                            _extracted("third", ORIGINAL)])
    assert [m.duplicate_of for m in marked] == [None, "first", "kherson-original"]
    assert [m.bands for m in marked] == [band_keys(signature(t)) for t in
                                         (OTHER_ARTICLE_SAME_INCIDENT, OTHER_ARTICLE_SAME_INCIDENT, ORIGINAL)]


def test_ties_go_to_the_smallest_id():
    sig = signature(ORIGINAL)
    assert best_match(sig, [("b-copy", sig), ("a-copy", sig), ("c-other", signature(UNRELATED))]) == "a-copy"
    assert best_match(sig, []) is None


def test_band_keys_are_stable_and_reject_what_is_no_signature():
    sig = signature(ORIGINAL)
    assert band_keys(sig) == band_keys(signature(ORIGINAL)) and len(set(band_keys(sig))) == 10
    assert all(0 <= key < 2**63 for key in band_keys(sig))
    with pytest.raises(ValueError, match="not a MinHash signature"):
        band_keys(b"\x00\x01sig")
