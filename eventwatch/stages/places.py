"""Stage · where: every place named in the article, and the place of each event clause.

The event's place is the place of its clause ("in", "near", "at", "the
village of"), not the dateline and not a town named only as a reference
point ("a town 20 km east of Y").  Relative phrasing ("near X",
"outside X", "a village in X district") keeps X with geo_precision 2; a
region with no town gives geo_precision 3.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from eventwatch.doc import Doc
from eventwatch.geo.gazetteer import Gazetteer
from eventwatch.geo.mentions import ResolvedPlace, find_places, resolve
from eventwatch.stages.sentences import Sentence

_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]+(?:,[^—–\n]{0,40}?)?\s*[—–-]{1,2}\s")
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|of|on|around|from|struck|hit|shelled|attacked|bombed|targeted|raided|stormed|seized|captured)\s+(?:the\s+)?(?:[\w,]+\s+){0,3}$",
    re.I,
)
_SURE = 0.75  # below this resolver score a town counts only after a locative word ("in", "near")
_REFERENCE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|outside|from|of)\s*(?:of|from)?\s*$", re.I
)
_DISTANCE = re.compile(r"\b(?:km|kilomet(?:re|er)s?|miles?)\s+(?:\w+\s+)?(?:of|from)\s*$", re.I)
_ORIGIN = re.compile(r"\b(?:from|toward|towards|to)\s*(?:the\s+)?$", re.I)
_NEAR = re.compile(
    r"\b(?:near|outside|outskirts of|edge of|close to|around|vicinity of|countryside of|suburbs? of|"
    r"(?:north|south|east|west)\w* of|km|kilomet(?:re|er)s?|miles?|villages?|hamlets?|settlements?|camp)\b[^.;]{0,40}$",
    re.I,
)
_AREA_AFTER = re.compile(r"\W{0,2}\s*(?:district|township|area|local government area|LGA|county|countryside|outskirts|municipality|region|commune)\b", re.I)
_THE_VILLAGE_OF = re.compile(r"\b(?:village|town|city|hamlet) of\s*$", re.I)
# A place that speaks or acts stands for its government or its officials: "Kyiv accused Moscow".
_SOURCE_AFTER = re.compile(  # matched at the end of a place name
    r"\W*(?:\w+\s+){0,2}?(?:said|says|told|reported|added|accused|accuses|denied|denies|announced|claimed|warned|"
    r"condemned|urged|rejected|insisted|blamed|has said|has accused|has denied)\b",
    re.I,
)
# An unnamed village coded to the nearest named town: "a village in X district", "villages along the road".
_UNNAMED_VILLAGE = re.compile(
    r"\b(?:an?|the|several|two|three|some|nearby|remote|farming|border)\s+(?:\w+\s+)?villages?\s+(?:along|near|around|outside|in|close to|on|east|west|north|south|about|some|\d)",
    re.I,
)
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)
_LIST_GAP = re.compile(r"^\s*(?:,|and|, and|&)\s*$")


def geoparse(doc: Doc, gazetteer: Gazetteer) -> None:
    """Resolve every place mention in the article; note the dateline's."""
    text = doc.article.text
    doc.places = [prefer_town(p) for p in resolve(find_places(text, gazetteer), text=text)]
    head = _DATELINE.match(text)
    if head:
        doc.dateline = next((p for p in doc.places if p.mention.start < head.end()), None)


def prefer_town(resolved: ResolvedPlace) -> ResolvedPlace:
    """A name shared by a region and its main town ("Kisumu", "Idlib") means the town,
    unless the text says "province", "county" and the like."""
    place, mention = resolved.place, resolved.mention
    if place is None or place.kind != "admin1" or mention.kind_hint == "admin1":
        return resolved
    town = next(
        (c for c in mention.candidates if c.kind == "city" and c.iso2 == place.iso2 and c.admin1 == place.name), None
    )
    return ResolvedPlace(mention, town, resolved.score) if town else resolved


def _precision(text: str, place: ResolvedPlace, sentence: Sentence) -> int:
    start = place.mention.start
    if (
        _NEAR.search(text[max(sentence.start, start - 60) : start])
        and not _THE_VILLAGE_OF.search(text[max(sentence.start, start - 30) : start])
        or _AREA_AFTER.match(text, place.mention.end, sentence.end)
    ):
        return 2
    return 2 if _UNNAMED_VILLAGE.search(sentence.text) else 1


def places_in(doc: Doc, sentence: Sentence) -> list[ResolvedPlace]:
    """The article's place mentions that start inside ``sentence`` (``doc.places`` is in text order)."""
    first = bisect_left(doc.places, sentence.start, key=_mention_start)
    last = bisect_left(doc.places, sentence.end, lo=first, key=_mention_start)
    return doc.places[first:last]


def _mention_start(place: ResolvedPlace) -> int:
    return place.mention.start


def sentence_places(doc: Doc, sentence: Sentence, *, split: bool = False) -> list[list[tuple[ResolvedPlace, int]]]:
    """The event places of one sentence, as groups: one group per event ('in X and Y' gives two).

    Each entry is (resolved place, geo_precision).  Towns come before regions;
    a region or country is returned only when no town is named.  With
    ``split`` every town is its own group (the sentence reports several times).
    """
    text = doc.article.text
    inside = [p for p in places_in(doc, sentence) if p.place is not None and p is not doc.dateline]
    towns = [
        p for p in inside
        if p.place.kind == "city" and (p.score >= _SURE or _LOCATIVE.search(text[max(0, p.mention.start - 25) : p.mention.start]))
    ]
    chosen: list[ResolvedPlace] = []
    chosen_ids: set[int] = set()
    for i, place in enumerate(towns):
        tail = text[max(sentence.start, place.mention.start - 40) : place.mention.start]
        if chosen and not _THE_VILLAGE_OF.search(tail) and (_REFERENCE.search(tail) or _DISTANCE.search(tail)):
            continue  # "X, a town 20 km east of Y": Y is a reference point
        if _ORIGIN.search(tail) and len(towns) > 1:
            continue
        if _SOURCE_AFTER.match(text, place.mention.end, sentence.end):
            continue  # "a police source in Pemba said": where the source is, not the event
        if _BETWEEN.search(tail) and i + 1 < len(towns):
            continue  # "the road between X and Y": one event, at the other end or nearby
        if place.place.geonameid in chosen_ids:
            continue
        chosen.append(place)
        chosen_ids.add(place.place.geonameid)
    if not chosen and towns:
        chosen = [towns[0]]
    if chosen:
        groups = [[chosen[0]]]
        for prev, place in zip(chosen, chosen[1:], strict=False):
            gap = text[prev.mention.end : place.mention.start]
            if split or _LIST_GAP.match(gap):
                groups.append([place])
        return [[(g[0], _precision(text, g[0], sentence))] for g in groups]
    regions = [p for p in inside if p.place.kind == "admin1"]
    if regions:
        return [[(regions[0], 3)]]
    return []
