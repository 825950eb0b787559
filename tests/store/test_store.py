"""One suite for both store backends: schema, articles, reports, clusters, filters, paging."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta

import pytest

import eventwatch.store.base as base
from eventwatch.errors import StoreError
from eventwatch.model import Span
from eventwatch.store import open_store
from eventwatch.store.api import CorpusEvent, EventFilter, NewArticle
from eventwatch.store.schema import BANDS_MIGRATION, LISTING_MIGRATION, MIGRATIONS

from .factory import make_article, make_event

DAY = date(2024, 7, 15)


def corpus_event(reports, cluster_id, **overrides):
    """A merged record of ``reports`` as the corpus merge would make it."""
    first = reports[0]
    sources = ";".join(sorted({r.source for r in reports if r.source}))
    event = dataclasses.replace(first, event_id=cluster_id, source=sources,
                                fatalities=min(r.fatalities for r in reports), **overrides)
    return CorpusEvent(event, sorted({r.article_id for r in reports}), sorted(r.event_id for r in reports))


def store_corpus(store, specs):
    """Save one article per spec (make_event overrides), each report its own cluster; return the reports."""
    reports = []
    for n, spec in enumerate(specs):
        spec = dict(spec)
        article = make_article(n, place=spec.get("place") or "Nikopol", text=spec.pop("text", None),
                               source=spec.pop("source", "Dnipro Daily"))
        event = make_event(article, **spec)
        assert store.save_article(article, [event])
        reports.append(event)
    store.set_clusters({r.event_id: "c-" + r.event_id for r in reports},
                       [corpus_event([r], "c-" + r.event_id) for r in reports])
    return reports


def ids(store, **filters):
    found = [e.event.event_id for e in store.query_events(EventFilter(**filters))]
    assert store.count_events(EventFilter(**filters)) == len(found)
    return sorted(found)


def reopened_without(store, store_url, migration: str, undo: str):
    """The store as an EventWatch without ``migration`` left it, opened again (which applies it)."""
    with store._tx() as tx:
        tx.execute(undo)
        tx.execute("DELETE FROM _migrations WHERE name = ?", [migration])
    store.close()
    return open_store(store_url)


def assert_listings_current(store, **filters):
    """Every stored listing is what the event's fields and links make now, in query order."""
    events = list(store.query_events(EventFilter(**filters)))
    listed = list(store.query_listed(EventFilter(**filters)))
    assert [x.event_id for x in listed] == [e.event.event_id for e in events]
    for stored, event in zip(listed, events, strict=True):
        assert json.loads(stored.json) == event.listed()
        assert (stored.latitude, stored.longitude) == (event.event.latitude, event.event.longitude)
    return listed


# ----------------------------------------------------------------------------- schema


def test_migrations_are_recorded_and_running_them_again_changes_nothing(store, store_url):
    names = [m.name for m in MIGRATIONS]
    assert store.applied_migrations() == names
    assert store.migrate() == []
    store.close()
    again = open_store(store_url)
    try:
        assert again.applied_migrations() == names
        assert again.migrate() == []
    finally:
        again.close()


# ----------------------------------------------------------------------------- articles and reports


def test_save_article_round_trips_every_field(store):
    article = make_article(1, title="Shelling kills two in Nikopol")
    full = make_event(article, 0)
    sparse = make_event(
        article, 1, place=None, event_date=None, time_precision=3, actor2=None, actor2_type=None,
        civilian_targeting=False, injuries=None, child_fatalities=1, ceasefire_violation=True,
        confidence=0.5, source=None, notes="Ünïcode notes — «quoted»", spans={})
    assert full.spans and isinstance(full.spans["location"], Span)
    assert store.save_article(article, [full, sparse], signature=b"\x00\x01sig\xff")
    assert store.has_article(article.id)
    assert not store.has_article("nope")
    assert store.get_article(article.id) == article
    stored = {e.event_id: e for e in store.unclustered_reports()}
    assert stored[full.event_id] == full
    # a report without a source takes its article's
    assert stored[sparse.event_id] == dataclasses.replace(sparse, source=article.source)
    assert stored[full.event_id].event_date == DAY and isinstance(stored[full.event_id].latitude, float)
    assert list(store.signatures()) == [(article.id, b"\x00\x01sig\xff")]


def test_saving_an_article_again_changes_nothing(store):
    article = make_article(1)
    first = make_event(article, 0)
    assert store.save_article(article, [first])
    changed = dataclasses.replace(article, text="Another text entirely.", title="Changed")
    assert not store.save_article(changed, [make_event(article, 1)], duplicate_of="x", signature=b"s")
    assert store.get_article(article.id) == article
    assert [e.event_id for e in store.unclustered_reports()] == [first.event_id]
    assert list(store.signatures()) == []


def test_a_failed_save_leaves_nothing_behind(store):
    article = make_article(1)
    broken = make_event(article, 1, event_type=None)  # NOT NULL
    with pytest.raises(StoreError):
        store.save_article(article, [make_event(article, 0), broken])
    assert not store.has_article(article.id)
    assert store.unclustered_reports() == []
    assert store.save_article(article, [make_event(article, 0)])  # and the store still works


def test_a_batch_is_saved_in_one_transaction_and_tells_which_articles_were_new(store):
    a, b, c = make_article(3), make_article(1), make_article(2)
    assert store.save_article(b, [make_event(b, 0)])
    items = [NewArticle(a, [make_event(a, 0)], signature=b"a"), NewArticle(b, [make_event(b, 1)]),
             NewArticle(c, [make_event(c, 0), make_event(c, 1)], duplicate_of=a.id), NewArticle(a, [])]
    assert store.save_articles(items) == [True, False, True, False]   # in the order given
    assert len(store.unclustered_reports()) == 4
    assert list(store.signatures()) == [(a.id, b"a")]
    assert store.save_articles([]) == []
    d = make_article(4)
    with pytest.raises(StoreError):
        store.save_articles([NewArticle(d, [make_event(d, 0)]), NewArticle(make_article(5), [make_event(d, 1, event_type=None)])])
    assert not store.has_article(d.id) and not store.has_article(make_article(5).id)  # all or nothing


def test_near_duplicates_are_the_articles_sharing_a_band_key(store):
    a, b, c = make_article(1), make_article(2), make_article(3)
    store.save_articles([NewArticle(a, [], signature=b"sa", bands=(11, 12)), NewArticle(b, [], signature=b"sb", bands=(12, 13)),
                         NewArticle(c, [], signature=b"sc", bands=(14,))])
    assert sorted(store.near_duplicates([12])) == [(a.id, b"sa"), (b.id, b"sb")]
    assert store.near_duplicates([14, 99]) == [(c.id, b"sc")]
    assert store.near_duplicates([99]) == [] and store.near_duplicates([]) == []


def test_a_database_from_before_band_keys_gets_them_when_migrated(store, store_url, caplog):
    from eventwatch.corpus.dedup import band_keys, signature

    sig = signature("Russian forces shelled the city on Monday, killing three civilians, officials said.")
    store.save_article(make_article(1), [], signature=sig)
    store.save_article(make_article(2), [], signature=b"no minhash")
    again = reopened_without(store, store_url, BANDS_MIGRATION, "DROP TABLE article_bands")
    try:
        assert again.near_duplicates(band_keys(sig)) == [(make_article(1).id, sig)]
        assert "no MinHash" in caplog.text
    finally:
        again.close()


def test_near_duplicates_and_signatures(store):
    original, copy, plain = make_article(1), make_article(2), make_article(3)
    assert store.save_article(original, [], signature=b"one")
    assert store.save_article(copy, [], duplicate_of=original.id, signature=b"two")
    assert store.save_article(plain, [])
    assert sorted(store.signatures()) == sorted([(original.id, b"one"), (copy.id, b"two")])


# ----------------------------------------------------------------------------- reports_near


def test_reports_near_takes_the_same_country_within_the_window(store):
    reports = {}
    for offset in range(-3, 4):
        article = make_article(10 + offset)
        reports[offset] = make_event(article, event_date=DAY + timedelta(days=offset))
        store.save_article(article, [reports[offset]])
    undated_article, syria_article, fiji_article = make_article(20), make_article(21, place="Aleppo"), make_article(22)
    undated = make_event(undated_article, event_date=None)
    syria = make_event(syria_article, place="Aleppo")
    unplaced = make_event(fiji_article, place=None, event_date=DAY)
    store.save_article(undated_article, [undated])
    store.save_article(syria_article, [syria])
    store.save_article(fiji_article, [unplaced])

    def near(events, days=1):
        return sorted(e.event_id for e in store.reports_near(events, days=days))

    assert near([reports[0]]) == sorted([reports[-1].event_id, reports[0].event_id, reports[1].event_id,
                                          undated.event_id])
    assert near([reports[0]], days=0) == sorted([reports[0].event_id, undated.event_id])
    assert len(near([reports[0]], days=3)) == 8
    # two windows, merged where they touch and separate where they do not
    assert near([reports[-3], reports[3]], days=0) == sorted([reports[-3].event_id, reports[3].event_id,
                                                              undated.event_id])
    assert near([syria]) == [syria.event_id]
    assert near([unplaced]) == [unplaced.event_id]
    assert near([]) == []
    found = store.reports_near([reports[0]])
    assert all(e.article_id for e in found)
    assert {e.event_id: e for e in found}[reports[0].event_id] == reports[0]


# ----------------------------------------------------------------------------- clusters


def test_set_clusters_replaces_and_deletes_corpus_events(store):
    articles = [make_article(n, source=s) for n, s in enumerate(["Dnipro Daily", "Steppe Wire", "Kyiv Courier"])]
    r = [make_event(a, fatalities=f) for a, f in zip(articles, [2, 2, 4], strict=True)]
    for article, report in zip(articles, r, strict=True):
        store.save_article(article, [report])
    assert len(store.unclustered_reports()) == 3

    merged_a = corpus_event(r[:2], "A")
    store.set_clusters({r[0].event_id: "A", r[1].event_id: "A", r[2].event_id: "B"},
                       [merged_a, corpus_event(r[2:], "B")])
    assert store.unclustered_reports() == []
    assert_listings_current(store)
    got = store.get_event("A")
    assert got.event == merged_a.event
    assert got.event.source == "Dnipro Daily;Steppe Wire"
    assert got.article_ids == sorted([articles[0].id, articles[1].id])
    assert got.report_ids == sorted([r[0].event_id, r[1].event_id])
    assert ids(store) == ["A", "B"]

    # all three reports are one incident: B is gone, A replaced
    store.set_clusters({x.event_id: "A" for x in r}, [corpus_event(r, "A", notes="First merged version")])
    assert ids(store) == ["A"]
    [listing] = assert_listings_current(store)
    assert "First merged version" in listing.json and len(json.loads(listing.json)["article_ids"]) == 3
    assert ids(store, q="first merged") == ["A"]
    assert store.get_event("B") is None
    got = store.get_event("A")
    assert got.event.source == "Dnipro Daily;Kyiv Courier;Steppe Wire"
    assert len(got.article_ids) == 3 and len(got.report_ids) == 3
    assert ids(store, actor="russia") == ["A"]

    # the cluster is renamed: the old one is deleted with its search entries
    store.set_clusters({x.event_id: "C" for x in r}, [corpus_event(r, "C", notes="Renamed shelling cluster")])
    assert ids(store) == ["C"]
    assert ids(store, q="renamed") == ["C"]
    assert ids(store, q="first merged") == []
    # one report leaves C for D: C keeps two
    store.set_clusters({r[2].event_id: "D"}, [corpus_event(r[:2], "C"), corpus_event(r[2:], "D")])
    assert ids(store) == ["C", "D"]
    assert_listings_current(store)
    assert len(store.get_event("C").report_ids) == 2
    assert store.get_event("D").article_ids == [articles[2].id]


def test_set_clusters_refuses_to_leave_a_report_without_its_event(store):
    articles = [make_article(n) for n in range(3)]
    r = [make_event(a) for a in articles]
    for article, report in zip(articles, r, strict=True):
        store.save_article(article, [report])
    assert store.set_clusters({x.event_id: "A" for x in r}, [corpus_event(r, "A")]) == 1
    # r[0] leaves A for B, and A is given no new event: r[1] and r[2] would point at nothing
    with pytest.raises(StoreError, match="2 report.s. without their event") as refused:
        store.set_clusters({r[0].event_id: "B"}, [corpus_event(r[:1], "B")])
    assert "\n" not in str(refused.value)
    assert ids(store) == ["A"] and len(store.get_event("A").report_ids) == 3   # nothing was written
    assert store.check() == []
    # the same clusters again: nothing to write
    assert store.set_clusters({x.event_id: "A" for x in r}, [corpus_event(r, "A")]) == 0


def test_get_event_and_get_article_of_what_is_not_stored(store):
    assert store.get_event("nothing") is None
    assert store.get_article("nothing") is None
    assert list(store.query_events(EventFilter())) == []
    assert store.count_events(EventFilter()) == 0


# ----------------------------------------------------------------------------- filters


@pytest.fixture
def corpus(store):
    specs = [
        dict(place="Nikopol", event_date=date(2024, 7, 15), fatalities=2),
        dict(place="Marhanets", event_date=date(2024, 7, 20), fatalities=0, event_type="Violence against civilians",
             sub_event_type="Attack", actor1="Unidentified Armed Group (Ukraine)", actor2="Civilians (Ukraine)"),
        dict(place="Kharkiv", event_date=date(2024, 8, 2), fatalities=11, ceasefire_violation=True,
             actor2="Military Forces of Ukraine (2019-)"),
        dict(place="Aleppo", event_date=date(2024, 6, 1), fatalities=5, event_type="Battles",
             sub_event_type="Armed clash", actor1="Hayat Tahrir al-Sham", actor2="Military Forces of Syria (2000-)",
             notes="Clashes near the Aleppo citadel; an air/drone strike followed.",
             text="HTS fighters clashed with Syrian army units in Aleppo, a car bomb exploded in al-Bab."),
        dict(place="Idlib", event_date=None, fatalities=1, event_type="Battles", sub_event_type="Armed clash"),
        dict(place="Suva", event_date=date(2024, 7, 15), fatalities=0, event_type="Protests",
             sub_event_type="Peaceful protest", actor1="Protesters (Fiji)", actor2=None, actor2_type=None),
    ]
    reports = store_corpus(store, specs)
    return {spec["place"]: "c-" + report.event_id for spec, report in zip(specs, reports, strict=True)}


def test_every_filter(store, corpus):
    c = corpus
    everything = sorted(c.values())
    assert ids(store) == everything
    assert ids(store, start=date(2024, 7, 15)) == sorted([c["Nikopol"], c["Marhanets"], c["Kharkiv"], c["Suva"]])
    assert ids(store, end=date(2024, 7, 15)) == sorted([c["Nikopol"], c["Aleppo"], c["Suva"]])
    assert ids(store, start=date(2024, 7, 16), end=date(2024, 7, 31)) == [c["Marhanets"]]
    ukraine = sorted([c["Nikopol"], c["Marhanets"], c["Kharkiv"]])
    assert ids(store, country="Ukraine") == ukraine
    assert ids(store, country="ukraine") == ukraine
    assert ids(store, country="ua") == ukraine
    assert ids(store, country="SY") == sorted([c["Aleppo"], c["Idlib"]])
    assert ids(store, admin1="dnipropetrovsk") == sorted([c["Nikopol"], c["Marhanets"]])
    assert ids(store, event_type="Battles") == sorted([c["Aleppo"], c["Idlib"]])
    assert ids(store, event_type="battles", sub_event_type="armed clash") == sorted([c["Aleppo"], c["Idlib"]])
    assert ids(store, sub_event_type="Peaceful protest") == [c["Suva"]]
    assert ids(store, actor="military forces of ukraine") == [c["Kharkiv"]]   # actor2
    assert ids(store, actor="HAYAT tahrir") == [c["Aleppo"]]                 # actor1
    assert ids(store, actor="100%_") == []                                    # LIKE wildcards are literal
    assert ids(store, min_fatalities=5) == sorted([c["Kharkiv"], c["Aleppo"]])
    assert ids(store, min_fatalities=0) == everything
    assert ids(store, ceasefire_violation=True) == [c["Kharkiv"]]
    assert len(ids(store, ceasefire_violation=False)) == 5
    assert ids(store, bbox=(34.0, 47.0, 35.0, 48.0)) == sorted([c["Nikopol"], c["Marhanets"]])
    assert ids(store, bbox=(36.0, 35.0, 38.0, 37.0)) == sorted([c["Aleppo"], c["Idlib"]])
    assert ids(store, bbox=(178.0, -19.0, -179.0, -18.0)) == [c["Suva"]]  # across the antimeridian
    assert ids(store, q="citadel") == [c["Aleppo"]]                        # notes
    assert ids(store, q="drone") == [c["Aleppo"]]                          # "air/drone" splits on both backends
    assert ids(store, q="Kharkiv") == [c["Kharkiv"]]                       # location
    assert ids(store, q="protesters") == [c["Suva"]]                       # actor1
    assert ids(store, q='"car bomb"') == [c["Aleppo"]]                     # a phrase of the article text
    assert ids(store, q='"bomb car"') == []
    assert ids(store, q="al-Bab") == [c["Aleppo"]]                         # punctuation is no syntax
    assert ids(store, q="Aleppo clashed") == [c["Aleppo"]]                 # every word, any field
    assert ids(store, q="rescuers") == sorted(set(everything) - {c["Aleppo"]})  # article text
    assert ids(store, q='AND OR NOT ( * "') == []
    assert ids(store, q="  ") == everything
    assert ids(store, country="Ukraine", min_fatalities=1, start=date(2024, 7, 1), q="shelled") == \
        sorted([c["Nikopol"], c["Kharkiv"]])


def test_paging_is_stable(store, monkeypatch):
    specs = [dict(place=p, event_date=d) for p in ("Nikopol", "Aleppo")
             for d in (date(2024, 7, 1), date(2024, 7, 1), date(2024, 7, 3), None, date(2024, 6, 30),
                       date(2024, 7, 3), None, date(2024, 7, 2))]
    for n, spec in enumerate(specs):
        spec["notes"] = f"event {n}"  # distinct ids
        spec["fatalities"] = n
    store_corpus(store, specs)
    monkeypatch.setattr(base, "BATCH", 3)  # the keyset paging inside query_events, too
    everything = list(store.query_events(EventFilter()))
    assert len(everything) == len(specs) == store.count_events(EventFilter(limit=2, offset=3))
    keys = [(e.event.event_date or date.min, e.event.event_id) for e in everything]
    dated = [k for k in keys if k[0] != date.min]
    assert dated == sorted(dated, key=lambda k: (-k[0].toordinal(), k[1]))
    assert [k for k in keys[len(dated):]] == sorted(k for k in keys if k[0] == date.min)  # undated last, by id
    pages = []
    for offset in range(0, len(specs), 5):
        pages += [e.event.event_id for e in store.query_events(EventFilter(limit=5, offset=offset))]
    assert pages == [e.event.event_id for e in everything]
    assert [e.event.event_id for e in store.query_events(EventFilter(limit=4, offset=7))] == \
        [e.event.event_id for e in everything[7:11]]
    assert list(store.query_events(EventFilter(offset=100))) == []
    assert list(store.query_events(EventFilter(limit=0))) == []
    assert len(assert_listings_current(store)) == len(specs)        # keyset paging of listings, too
    assert len(assert_listings_current(store, limit=4, offset=7)) == 4


def test_a_database_from_before_listings_gets_them_when_migrated(store, store_url):
    store_corpus(store, [dict(place="Nikopol"), dict(place="Aleppo", notes="Shelling <b>near</b> the citadel")])
    again = reopened_without(store, store_url, LISTING_MIGRATION, "ALTER TABLE events DROP COLUMN listing")
    try:
        assert again.applied_migrations() == [m.name for m in MIGRATIONS]
        listed = assert_listings_current(again)
        assert len(listed) == 2
        assert "\\u003cb\\u003enear" in next(x.json for x in listed if "citadel" in x.json)  # markup-safe
    finally:
        again.close()


# ----------------------------------------------------------------------------- failures


def test_failures_are_recorded(store):
    assert store.failures() == []
    store.record_failure("feeds/broken.xml", "read", "InputError: not a feed")
    store.record_failure("art-0001", "extract", "ValueError: bad date")
    found = store.failures()
    assert [(f["where_"], f["stage"], f["message"]) for f in found] == [
        ("feeds/broken.xml", "read", "InputError: not a feed"), ("art-0001", "extract", "ValueError: bad date")]
    assert found[0]["id"] < found[1]["id"]
    assert datetime.fromisoformat(found[0]["at"]).year >= 2024
