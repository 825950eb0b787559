"""A value the store cannot hold fails its own write as a RecordError; the store goes on working."""

from __future__ import annotations

import pytest

from eventwatch.errors import RecordError
from eventwatch.store.api import NewArticle
from tests.store.factory import make_article, make_event


@pytest.mark.parametrize("what", ["a toll above 2^63", "a lone surrogate"])
def test_a_value_the_store_cannot_hold_is_a_record_error(store, what):
    article = make_article(1)
    event = make_event(article)
    if what == "a toll above 2^63":
        event.fatalities = 2**70
    else:
        article.text += " \ud800"
    with pytest.raises(RecordError, match="cannot store a value"):
        store.save_articles([NewArticle(article, [event])])
    good = make_article(2)
    assert store.save_articles([NewArticle(good, [make_event(good)])]) == [True]
    assert store.get_article(article.id) is None and store.get_article(good.id) is not None
