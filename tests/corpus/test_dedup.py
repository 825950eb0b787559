"""Near-duplicate articles: wire copies and light rewrites are found, other articles are not."""

from __future__ import annotations

import pytest

pytest.importorskip("datasketch")

from eventwatch.corpus.dedup import DuplicateIndex, signature, similarity  # noqa: E402

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


@pytest.fixture
def index() -> DuplicateIndex:
    ix = DuplicateIndex()
    ix.add("kherson-original", signature(ORIGINAL))
    ix.add("borno-abduction", signature(UNRELATED))
    return ix


def test_a_wire_copy_is_found(index):
    assert index.find(signature(ORIGINAL)) == "kherson-original"


def test_a_light_rewrite_is_found(index):
    assert similarity(signature(ORIGINAL), signature(REWRITE)) >= 0.8
    assert index.find(signature(REWRITE)) == "kherson-original"


@pytest.mark.parametrize("text", [OTHER_ARTICLE_SAME_INCIDENT, "Hundreds protested in Bamako on Tuesday."])
def test_a_different_article_is_not_a_duplicate(index, text):
    assert index.find(signature(text)) is None


def test_adding_twice_changes_nothing(index):
    index.add("kherson-original", signature(UNRELATED))
    assert len(index) == 2
    assert index.find(signature(ORIGINAL)) == "kherson-original"
