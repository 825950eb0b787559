"""Geoparsing benchmark: EventWatch against 9 published geoparsers, EUPEG protocol.

Not a test: it measures and reports. Run from the repository root:

    .venv/bin/python benchmarks/geoparse.py                     # all three corpora
    .venv/bin/python benchmarks/geoparse.py --corpus LGL --errors 30
    .venv/bin/python benchmarks/geoparse.py --markdown          # tables for the docs
    .venv/bin/python benchmarks/geoparse.py --json --no-systems

Data: ``../shared/data/eupeg-news`` next to the repository (GeoWebNews, LGL
and GeoVirus texts, line-aligned gold, and the raw outputs of the systems that
Wang & Hu ran in EUPEG). The scoring rule is in ``benchmarks/eupeg.py``:

* recognition: a system mention is correct when it has the same surface form
  as a gold mention (case-insensitive) and overlaps its span widened by 3
  characters; matching is one-to-one per article; P/R/F1 pooled;
* resolution, on the correctly recognised mentions: haversine error in km,
  mean, median, Acc@161 and AUC (Gritta et al. 2018). An EventWatch mention
  that is recognised but left unresolved is scored at 20039 km;
* Edinburgh's output records without coordinates are dropped before scoring,
  as EUPEG evidently did (its published precision is over the others only).

Each published system is scored from its raw output and printed next to its
published row, which checks the scorer. EventWatch is scored the same way, and
also with a lenient rule (any span overlap, no surface check; row marked
"overlap") which shows how much of the gap is boundary disagreement.
Speed: EventWatch ``geoparse`` calls only (no file reading), on one core.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eupeg  # noqa: E402
from eupeg import (  # noqa: E402
    CORPORA,
    MAX_ERROR_KM,
    PUBLISHED,
    PUBLISHED_COLUMNS,
    SYSTEMS,
    Evaluation,
    Pair,
    Toponym,
)

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/eupeg-news"
PROTOCOL = ("EUPEG end-to-end (Wang & Hu 2019): recognition P/R/F1 by span overlap "
            "(same surface form, case-insensitive, offsets within ±3 characters, one-to-one); "
            "distance metrics on correctly recognised toponyms")
SOURCE_NOTE = ("Published values: Wang & Hu (2019), geoai-lab/GeoAI2019Geoparser fig/TABLE*.png "
               "(GeoWebNews Table 8, LGL Table 5, GeoVirus Table 1), as quoted in "
               "shared/data/eupeg-news/SOURCE.md.")
EVENTWATCH = "EventWatch"
EVENTWATCH_LENIENT = "EventWatch (overlap)"
COLUMN_TITLES = ("P", "R", "F1", "mean km", "median km", "Acc@161", "AUC")


@dataclass(slots=True)
class EventWatchRun:
    docs: list[list[Toponym]]
    seconds: float
    n_articles: int
    n_chars: int


def pin_one_core() -> None:
    if hasattr(os, "sched_getaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        if cpus:
            os.sched_setaffinity(0, {cpus[0]})


# Whether a corpus's annotators tagged adjectives of nationality ("Russian") as
# toponyms: GeoWebNews has a Demonym type and LGL tags adjectival forms; GeoVirus
# tags only names of places.  EventWatch lists demonyms on request only.
ANNOTATES_DEMONYMS = {"GeoWebNews": True, "LGL": True, "GeoVirus": False}


def run_eventwatch(texts: list[str], *, demonyms: bool = False) -> EventWatchRun:
    from eventwatch.geo.gazetteer import Gazetteer
    from eventwatch.geoparse import geoparse

    gaz = Gazetteer.open()
    for text in texts[:5]:  # warm-up: caches, lazy tables
        geoparse(text, gaz, demonyms=demonyms)
    docs: list[list[Toponym]] = []
    elapsed = 0.0
    for text in texts:
        t0 = time.perf_counter()
        matches = geoparse(text, gaz, demonyms=demonyms)
        elapsed += time.perf_counter() - t0
        docs.append([
            Toponym(m.text, m.start, m.end, m.latitude, m.longitude,
                    ", ".join(x for x in (m.name, m.admin1, m.country) if x) or "(unresolved)")
            for m in matches
        ])
    return EventWatchRun(docs, elapsed, len(texts), sum(map(len, texts)))


def score_corpus(root: Path, corpus: str, systems: bool, eventwatch: bool,
                 ) -> tuple[dict[str, Evaluation], EventWatchRun | None]:
    texts = eupeg.load_texts(root / "corpora" / corpus)
    gold = eupeg.load_gold(root, corpus, len(texts))
    results: dict[str, Evaluation] = {}
    if systems:
        for system in SYSTEMS:
            path = root / "geoparser_output" / f"{corpus}_{system}.txt"
            if not path.exists():
                continue
            output = eupeg.load_output(root, corpus, system, len(texts))
            if system == "Edinburgh":  # unresolved records: EUPEG counted them nowhere
                output = [[t for t in doc if t.has_coords] for doc in output]
            results[system] = eupeg.evaluate(gold, output)
    run = None
    if eventwatch:
        run = run_eventwatch(texts, demonyms=ANNOTATES_DEMONYMS.get(corpus, False))
        results[EVENTWATCH] = eupeg.evaluate(gold, run.docs)
        results[EVENTWATCH_LENIENT] = eupeg.evaluate(gold, run.docs, strict=False)
    return results, run


# ------------------------------------------------------------------ output

def _fmt(column: str, value: float) -> str:
    if column == "mean_km" or (column == "median_km" and value >= 1):
        return f"{value:.1f}"
    return f"{value:.3f}"


def table_rows(corpus: str, results: dict[str, Evaluation]) -> list[list[str]]:
    published = PUBLISHED.get(corpus, {})
    order = sorted(results, key=lambda name: (name.startswith(EVENTWATCH), -results[name].scores.f1))
    rows = []
    for name in order:
        s = results[name].scores
        pub = published.get(name)
        cells = [name, f"{s.n_matched}/{s.n_system}/{s.n_gold}"]
        for i, column in enumerate(PUBLISHED_COLUMNS):
            ours = _fmt(column, getattr(s, column))
            cells.append(f"{ours} ({_fmt(column, pub[i])})" if pub else ours)
        rows.append(cells)
    return rows


HEADERS = ["system", "TP/sys/gold", *[f"{t} ours (pub)" for t in COLUMN_TITLES]]


def render_text(corpus: str, results: dict[str, Evaluation]) -> str:
    rows = [HEADERS, *table_rows(corpus, results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = [f"== {corpus} =="]
    for k, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(corpus: str, results: dict[str, Evaluation]) -> str:
    lines = [f"### {corpus}", "", "| " + " | ".join(HEADERS) + " |",
             "|" + "|".join(["---", "---"] + ["---:"] * len(COLUMN_TITLES)) + "|"]
    for row in table_rows(corpus, results):
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def speed_line(runs: dict[str, EventWatchRun]) -> str:
    parts = []
    for corpus, run in runs.items():
        parts.append(f"{corpus}: {run.n_articles / run.seconds:.1f} articles/s "
                     f"({run.n_chars / run.seconds / 1000:.0f}k chars/s)")
    n = sum(r.n_articles for r in runs.values())
    sec = sum(r.seconds for r in runs.values())
    parts.append(f"all: {n} articles in {sec:.2f} s = {n / sec:.1f} articles/s")
    return "EventWatch geoparse speed, one core, excluding file reading: " + "; ".join(parts)


def describe_pair(corpus: str, p: Pair) -> str:
    gold = f"({p.gold.latitude:.3f}, {p.gold.longitude:.3f})"
    ours = (f"({p.system.latitude:.3f}, {p.system.longitude:.3f})"
            if p.system.has_coords else "(none)")
    label = "" if p.gold.label == "nonOfficial" else p.gold.label + " "
    return (f"{p.error_km:8.0f} km  {corpus}/{p.doc:<4d} {p.system.surface!r}: gold {label}{gold}"
            f" -> ours {p.system.label} {ours}")


def error_report(corpus: str, gold: list[list[Toponym]], ev: Evaluation, system_docs: list[list[Toponym]],
                 n: int) -> str:
    lines = [f"-- {corpus}: {n} worst resolved EventWatch errors --"]
    resolved = [p for p in ev.pairs if p.system.has_coords]
    lines += [describe_pair(corpus, p) for p in eupeg.worst(resolved, n)]
    far = collections.defaultdict(list)
    for p in resolved:
        if p.error_km > eupeg.ACC_KM:
            far[p.gold.surface].append(p)
    lines.append(f"   surfaces most often resolved > {eupeg.ACC_KM:.0f} km off (count: typical case):")
    for _surface, ps in sorted(far.items(), key=lambda kv: -len(kv[1]))[:n]:
        typical = sorted(ps, key=lambda p: p.error_km)[len(ps) // 2]
        lines.append(f"   {len(ps):4d}: " + describe_pair(corpus, typical).strip())
    unresolved = [p for p in ev.pairs if not p.system.has_coords]
    common = collections.Counter(p.system.surface for p in unresolved).most_common(15)
    lines.append(f"   recognised but unresolved (scored {MAX_ERROR_KM:.0f} km): {len(unresolved)}; "
                 f"most common: {common}")
    matched_g = {(p.doc, p.gold.start, p.gold.end) for p in ev.pairs}
    matched_s = {(p.doc, p.system.start, p.system.end) for p in ev.pairs}
    missed = collections.Counter(g.surface for d, doc in enumerate(gold) for g in doc
                                 if (d, g.start, g.end) not in matched_g)
    spurious = collections.Counter(s.surface for d, doc in enumerate(system_docs) for s in doc
                                   if (d, s.start, s.end) not in matched_s)
    lines.append(f"   most frequent missed gold mentions: {missed.most_common(15)}")
    lines.append(f"   most frequent unmatched EventWatch mentions: {spurious.most_common(15)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    ap.add_argument("--systems", action=argparse.BooleanOptionalAction, default=True,
                    help="also score the published systems' raw outputs (default on)")
    ap.add_argument("--eventwatch", action=argparse.BooleanOptionalAction, default=True,
                    help="score EventWatch (default on)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables for the docs")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="print the N worst EventWatch errors per corpus, for diagnosis")
    args = ap.parse_args(argv)

    if not args.data.exists():
        print(f"data not found at {args.data}", file=sys.stderr)
        return 2
    if args.eventwatch:
        pin_one_core()
    corpora = CORPORA if args.corpus == "all" else (args.corpus,)
    all_results: dict[str, dict[str, Evaluation]] = {}
    runs: dict[str, EventWatchRun] = {}
    for corpus in corpora:
        results, run = score_corpus(args.data, corpus, args.systems, args.eventwatch)
        all_results[corpus] = results
        if run is not None:
            runs[corpus] = run

    if args.json:
        out: dict = {"protocol": PROTOCOL, "published_source": SOURCE_NOTE, "corpora": {}}
        for corpus, results in all_results.items():
            out["corpora"][corpus] = {
                name: {"ours": ev.scores.as_dict(),
                       "published": (dict(zip(PUBLISHED_COLUMNS, PUBLISHED[corpus][name], strict=True))
                                     if name in PUBLISHED.get(corpus, {}) else None)}
                for name, ev in results.items()}
        if runs:
            out["speed"] = {c: {"articles": r.n_articles, "seconds": r.seconds,
                                "articles_per_s": r.n_articles / r.seconds} for c, r in runs.items()}
        print(json.dumps(out, indent=2))
        return 0

    print(("**Protocol:** " if args.markdown else "") + PROTOCOL + ".")
    print(SOURCE_NOTE + " Cells: ours (published); TP/sys/gold = matched, system and gold mentions.")
    print("Edinburgh records without coordinates are dropped (as in EUPEG); EventWatch mentions left "
          f"unresolved count as recognised at {MAX_ERROR_KM:.0f} km. "
          f"'{EVENTWATCH_LENIENT}' = any span overlap, no surface check.")
    print()
    for corpus, results in all_results.items():
        print(render_markdown(corpus, results) if args.markdown else render_text(corpus, results))
        print()
    if runs:
        print(speed_line(runs))
    if args.errors and runs:
        root = args.data
        for corpus, run in runs.items():
            gold = eupeg.load_gold(root, corpus, run.n_articles)
            print()
            print(error_report(corpus, gold, all_results[corpus][EVENTWATCH], run.docs, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
