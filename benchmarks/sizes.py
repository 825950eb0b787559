"""How extraction time grows with the length of one article: doubling sizes, log-log slope.

Not a test: it measures and reports, it asserts nothing.

Run from the repository root:

    .venv/bin/python benchmarks/sizes.py
    .venv/bin/python benchmarks/sizes.py --shapes run-on,place-list --max-kb 400

Each *shape* is a way an article can be long.  Four are real article text
(paragraphs of ``../shared/eval/dev.jsonl``, taken in a fixed shuffled order and
cycled): as published, as one run-on sentence, upper case, lower case on one
line.  Four are dense in one kind of thing a stage looks at (casualty figures,
place names, dated incidents, titled names), written from the small word tables
below.  For each shape, one ``Pipeline.run`` per size (12.5 KB doubling up to
``--max-kb``) is timed on one core; the slope is the least-squares fit of
log(seconds) on log(size): 1 is linear, 2 quadratic.  A run that reaches
``--time-limit`` is reported as over it, and the shape's larger sizes are skipped.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from eventwatch.errors import TimeLimitError
from eventwatch.model import Article
from eventwatch.pipeline import Pipeline

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared/eval/dev.jsonl"
PUBLISHED = date(2024, 3, 15)
SEED = 10

TOWNS = ("Kaduna", "Maiduguri", "Idlib", "Aleppo", "Homs", "Kharkiv", "Donetsk", "Gao", "Mopti", "Kandahar",
         "Mosul", "Goma", "Beni", "Bunia", "Sittwe", "Lashio", "Marawi", "Mogadishu", "Baidoa", "Kismayo")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March")
VICTIMS = ("soldiers", "civilians", "children", "villagers", "police officers", "women")
SURNAMES = ("Musa", "Khan", "Okafor", "Haddad", "Petrenko", "Lwin")
TITLES = ("Mr.", "Gen.", "Dr.", "Col.", "Lt.", "Prof.")


def paragraphs(gold: Path) -> list[str]:
    """The paragraphs of the gold file's texts, in a fixed shuffled order."""
    found = []
    with gold.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                found += [p.strip() for p in json.loads(line)["text"].split("\n\n") if len(p.strip()) > 80]
    random.Random(SEED).shuffle(found)
    return found


def cycled(pieces: list[str], size: int, joiner: str) -> str:
    """``pieces`` joined by ``joiner``, cycled, cut to ``size`` characters."""
    out, length, i = [], 0, 0
    while length < size:
        out.append(pieces[i % len(pieces)])
        length += len(out[-1]) + len(joiner)
        i += 1
    return joiner.join(out)[:size]


def generated(clause: Callable[[random.Random], str], size: int, head: str = "", joiner: str = " ") -> str:
    rng = random.Random(SEED)
    return cycled([head + clause(rng)] + [clause(rng) for _ in range(size // 8)], size, joiner)


def shapes(gold: Path) -> dict[str, Callable[[int], str]]:
    real = paragraphs(gold)
    run_on = [p.replace(". ", ", ").replace("\n", " ") for p in real]
    return {
        "paragraphs": lambda n: cycled(real, n, "\n\n"),
        "run-on": lambda n: cycled(run_on, n, " "),
        "upper case": lambda n: cycled(real, n, "\n\n").upper(),
        "lower case, one line": lambda n: cycled(real, n, " ").lower().replace("\n", " "),
        "casualty list": lambda n: generated(
            lambda r: f"{r.randint(2, 40)} {r.choice(VICTIMS)} were killed and {r.randint(1, 20)} wounded,",
            n, head="On Monday, "),
        "place list": lambda n: "Fighting was reported in " + generated(lambda r: f"{r.choice(TOWNS)},", n),
        "dated incidents": lambda n: generated(
            lambda r: f"Gunmen killed {r.randint(2, 30)} villagers in {r.choice(TOWNS)} on "
                      f"{r.randint(1, 28)} {r.choice(MONTHS)}, police said on {r.choice(WEEKDAYS)}.",
            n, joiner="\n\n"),
        "titled names": lambda n: generated(
            lambda r: f"{r.choice(TITLES)} {r.choice(SURNAMES)} met {r.choice(TITLES)} {r.choice(SURNAMES)} "
                      f"in {r.choice(TOWNS)}.", n),
    }


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) on log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(max(seconds, 1e-6)) for _, seconds in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="JSONL file whose texts give the paragraphs")
    parser.add_argument("--min-kb", type=float, default=12.5, help="smallest size (default 12.5 KB)")
    parser.add_argument("--max-kb", type=float, default=200.0, help="largest size (default 200 KB, the accepted maximum)")
    parser.add_argument("--shapes", default="", help="comma-separated shape names (default: all)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per run (default 120)")
    args = parser.parse_args(argv)
    built = shapes(args.gold)
    chosen = [s.strip() for s in args.shapes.split(",") if s.strip()] or list(built)
    unknown = [s for s in chosen if s not in built]
    if unknown:
        parser.error(f"unknown shape(s) {', '.join(unknown)}; choose from: {', '.join(built)}")
    sizes = []
    kb = args.min_kb
    while kb <= args.max_kb + 1e-9:
        sizes.append(round(kb * 1000))
        kb *= 2
    try:
        from benchmarks.speed import pin_one_core
    except ImportError:  # run as a script: benchmarks/ is the first path entry
        from speed import pin_one_core
    pin_one_core()
    pipeline = Pipeline(time_limit=args.time_limit)
    pipeline.extract_article(Article(text=built["paragraphs"](2000), published=PUBLISHED))  # warm-up
    print(f"seconds per article, one core, time limit {args.time_limit:g} s\n")
    print("| shape | " + " | ".join(f"{size / 1000:g} KB" for size in sizes) + " | slope |")
    print("|---|" + "---:|" * len(sizes) + "---:|")
    for name in chosen:
        points: list[tuple[int, float]] = []
        cells = []
        for size in sizes:
            if len(points) < len(cells):  # a smaller size ran over the limit
                cells.append("-")
                continue
            article = Article(text=built[name](size), published=PUBLISHED)
            started = time.perf_counter()
            try:
                pipeline.extract_article(article)
            except TimeLimitError:
                cells.append(f"> {args.time_limit:g}")
                continue
            seconds = time.perf_counter() - started
            points.append((size, seconds))
            cells.append(f"{seconds:.2f}")
        fitted = slope(points)
        print(f"| {name} | " + " | ".join(cells) + f" | {'-' if fitted is None else f'{fitted:.2f}'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
