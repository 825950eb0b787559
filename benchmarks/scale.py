"""Scale benchmark: articles per second per stage and end to end beside two spaCy
yardsticks, peak memory, and the cost of 1k, 10k and 100k generated articles.

Not a test: it measures and reports, it asserts nothing.

Run from the repository root (the whole run takes about 10 minutes on 2 cores):

    .venv/bin/python benchmarks/scale.py
    .venv/bin/python benchmarks/scale.py --quick          # small sizes, about a minute
    .venv/bin/python benchmarks/scale.py --sizes 1000,10000 --json

Each measurement runs in a new Python process (multiprocessing "spawn"), so the
peak memory it reports (``ru_maxrss``) is its own.  Progress goes to stderr, and
the tables (Markdown, with the machine and the date) go to stdout.

1. EventWatch on one core.  The process is pinned to one CPU
   (``os.sched_setaffinity``).  It runs on two sets of texts, both read with
   ``eventwatch.readers.read_many``: the dev texts (``--gold``), ``--passes``
   times over, and ``--sample`` generated articles (see 4) once.  One untimed
   warm-up pass over both sets comes first.  ``Pipeline.run(article, timings)``
   adds each stage's seconds to ``timings`` under the names in
   ``eventwatch.pipeline.STAGES``.  A stage's rate is articles / that stage's
   seconds.  The end-to-end rate is articles / the wall time of the loop.
   "other" is the wall time not spent in any stage (building the Doc, the loop).
   Peak memory is that process's ``ru_maxrss`` at the end.
2. Yardsticks, on the same texts after the same warm-up, in another process
   pinned to one CPU:
   (a) a bare tokenizer, ``spacy.blank("en").pipe(texts)``;
   (b) spaCy's small English pipeline, timed with ``nlp.pipe(texts)`` in that
   one process.  The trained package en_core_web_sm is not on PyPI, and this
   project installs from PyPI only, so the pipeline is rebuilt *untrained* with
   the same architecture.  It starts from spaCy's CPU "efficiency" config for
   English (``spacy init config``).  It is then given the settings that
   en_core_web_sm 3.8 ships with: a shared tok2vec (width 96, depth 4, six hash
   features) feeding the tagger and the parser (parser hidden width 64), an NER
   with a tok2vec of its own, and an attribute ruler (one pattern per tag).  It
   gets the trained package's tag, dependency and entity label sets (50, 45 and
   18 labels) and is initialized with one example sentence.  Inference speed
   does not depend on the weights' values: the matrices are the same sizes, and
   the transition parser makes about two moves per token whatever it predicts.
   So this is a fair speed yardstick, though not an accuracy one.  The rule
   lemmatizer is left out, because its tables come from spacy-lookups-data.
   The ratios are EventWatch's articles/s over each yardstick's.  spaCy is a
   benchmark-only dependency (``pip install spacy``); without it, this part is
   skipped with a note.
3. Time to the first result in a fresh process: ``speed.first_result``
   (median of 3 runs).
4. Scaling.  For each of ``--sizes``, a corpus is made by the generator of
   ``merge.py`` through ``store.write_corpus`` (distinct texts).  Its incidents
   fall on a number of days in proportion to its size (``--days-per-10k``,
   182 by default: 18 days for 1k articles, 5 years for 100k), so the news per
   day stays the same as the corpus grows.  Corpora are cached in the temp
   folder, keyed by size, days, seed and a digest of the generator and its
   towns.
   (a) ``eventwatch.ingest.ingest`` of the whole corpus (extract + store +
   corpus merge) into a new SQLite file, with workers = os.cpu_count() and no
   pinning.  For sizes up to ``--one-core-max`` it is also run with workers=1,
   pinned to one CPU.  Each ingest comes after a warm-up ingest of the dev texts
   into a throwaway file.  Peak memory is reported for the ingesting process
   (resident, and private: without the pages of the database file that SQLite
   maps in, sampled every 0.1 s) and for its largest worker.
   (b) ``merge_corpus`` (cluster + merge) alone, over every report of the
   all-core store, read back from its SQLite file.  When the corpus spans more
   than ``--dense-days`` days, it is run again with the same reports' dates
   folded into that many days (more news per day).  This shows the one part of
   the merge's cost that grows faster than the corpus: the pairs of reports
   within one country and two consecutive days.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import hashlib
import importlib.util
import inspect
import json
import multiprocessing
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

import merge as M  # noqa: E402
import speed  # noqa: E402
import store as S  # noqa: E402

from eventwatch.corpus.merge import merge_corpus  # noqa: E402
from eventwatch.ingest import IngestReport  # noqa: E402
from eventwatch.model import Article  # noqa: E402
from eventwatch.pipeline import STAGES, Pipeline  # noqa: E402
from eventwatch.readers import read_many  # noqa: E402
from eventwatch.store.base import REPORT_COLUMNS, report_from_row  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "eventwatch-scale-corpora"
FIRST_DAY = date(2024, 1, 1)  # the generator's first day
TARGET_SPEEDUP = 1.7  # ingest on 2 cores over 1 core, at least

# The label sets of the trained en_core_web_sm (its tagger, parser and ner), for
# output layers of the same size.
TAGS = ("$ '' , -LRB- -RRB- . : ADD AFX CC CD DT EX FW HYPH IN JJ JJR JJS LS MD NFP NN NNP NNPS NNS PDT POS PRP "
        "PRP$ RB RBR RBS RP SYM TO UH VB VBD VBG VBN VBP VBZ WDT WP WP$ WRB XX _SP ``").split()
DEPS = ("ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj csubj csubjpass "
        "dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass nummod oprd parataxis pcomp pobj "
        "poss preconj predet prep prt punct quantmod relcl xcomp").split()
ENTITIES = ("CARDINAL DATE EVENT FAC GPE LANGUAGE LAW LOC MONEY NORP ORDINAL ORG PERCENT PERSON PRODUCT QUANTITY "
            "TIME WORK_OF_ART").split()

T = TypeVar("T")


# ---------------------------------------------------------------- results

@dataclass(slots=True)
class Texts:
    """A set of texts to time: a JSON Lines file, read ``passes`` times over."""

    name: str
    path: Path
    passes: int


@dataclass(slots=True)
class Timed:
    """One system over one set of texts, on one core."""

    system: str
    texts: str
    articles: int  # texts x passes
    seconds: float
    tokens: int = 0  # spaCy's tokens
    stages: dict[str, float] = field(default_factory=dict)  # EventWatch: seconds per stage

    def rate(self, seconds: float | None = None) -> float:
        """Articles per second over ``seconds`` (default: the whole run)."""
        return self.articles / (self.seconds if seconds is None else seconds)


@dataclass(slots=True)
class OneCore:
    """The runs of one pinned process and its peak memory."""

    runs: list[Timed]
    peak_mb: float
    cpu: int | None

    def run(self, system: str, texts: str) -> Timed:
        return next(r for r in self.runs if r.system == system and r.texts == texts)


@dataclass(slots=True)
class Ingest:
    """One ``ingest`` of a generated corpus into a new SQLite file."""

    workers: int
    articles: int
    seconds: float
    tail_seconds: float  # after the last article was read: the articles in flight, the last batch, the final merge
    reports: int
    corpus_events: int
    failed: int
    peak_mb: float  # the ingesting process: resident, with the pages of the database file SQLite maps in
    private_peak_mb: float  # the same without file pages (RssAnon), sampled every 0.1 s
    worker_peak_mb: float | None  # its largest worker


@dataclass(slots=True)
class Merge:
    """``merge_corpus`` over every report of a store."""

    reports: int
    days: int  # distinct report dates
    events: int
    seconds: float
    peak_mb: float


@dataclass(slots=True)
class Size:
    """The runs on one generated corpus."""

    articles: int
    days: int  # the span of the generated incidents
    all_cores: Ingest
    one_core: Ingest | None
    merge: Merge
    dense_merge: Merge | None  # the same reports folded into --dense-days days


@dataclass(slots=True)
class Result:
    machine: str
    cpus: int
    date: str
    python: str
    spacy: str | None
    commit: str  # at the start: others may change the working tree during a run
    load: tuple[float, float]  # 1-minute load average at the start and at the end
    eventwatch: OneCore
    yardsticks: OneCore | None
    yardstick_note: str
    first_result_s: float
    sizes: list[Size]
    news: tuple[Ingest, Ingest] | None = None  # real news texts: all cores, one core
    seconds: float = 0.0


# ---------------------------------------------------------------- helpers

def fresh(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a new Python process, so that the peak memory it reports is its own."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


class PrivatePeak:
    """``with PrivatePeak() as p:`` samples this process's anonymous resident memory (Linux
    ``RssAnon``: not the file pages SQLite maps in, which the kernel can drop) every 0.1 s;
    ``p.mb`` is the largest sample (0 where /proc is missing)."""

    def __init__(self) -> None:
        self.mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        status = Path("/proc/self/status")
        while status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("RssAnon:"):
                    self.mb = max(self.mb, int(line.split()[1]) / 1024)
            if self._done.wait(0.1):
                return

    def __enter__(self) -> PrivatePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def note(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def articles_of(path: Path) -> list[Article]:
    """The articles of ``path`` that ``ingest`` would extract."""
    return [r.article for r in read_many([path]) if r.ok and not r.skip_reason]


def news_corpus(folder: Path, out: Path) -> Path | None:
    """Every news text of at least 300 characters under ``folder`` (the geoparsing benchmark
    corpora: real articles, longer than the generated ones) as JSON Lines, or None without it."""
    files = sorted(f for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else []
    with out.open("w", encoding="utf-8") as fh:
        n = 0
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace")
            if len(text) >= 300:
                fh.write(json.dumps({"id": f"news-{n:05d}", "text": text, "published": "2024-03-01",
                                     "source": f.parent.name}) + "\n")
                n += 1
    return out if n else None


def days_for(n: int, days_per_10k: int) -> int:
    return max(1, round(n * days_per_10k / 10_000))


def corpus(n: int, days: int, seed: int, towns: dict) -> Path:
    """The generated corpus of ``n`` articles over ``days`` days (JSONL), from the cache when it is there."""
    generator = b"".join(Path(m.__file__).read_bytes() for m in (M, M.T)) + inspect.getsource(S.write_corpus).encode()
    digest = hashlib.sha256(generator + repr(sorted(towns.items())).encode()).hexdigest()[:12]
    path = CACHE / f"corpus-{n}-days{days}-seed{seed}-{digest}.jsonl"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        S.write_corpus(partial, n, seed, towns, days)
        partial.replace(path)
    return path


# ---------------------------------------------------------------- 1. EventWatch, 2. yardsticks

def time_eventwatch(sets: list[Texts]) -> OneCore:
    """Every stage of ``Pipeline.run`` over each set of texts, pinned to one CPU."""
    cpu = speed.pin_one_core()
    pipeline = Pipeline()
    loaded = [(s, articles_of(s.path)) for s in sets]
    for _, articles in loaded:  # warm-up
        for article in articles:
            pipeline.run(article)
    runs = []
    for s, articles in loaded:
        stages = dict.fromkeys(STAGES, 0.0)
        started = time.perf_counter()
        for _ in range(s.passes):
            for article in articles:
                pipeline.run(article, stages)
        runs.append(Timed("EventWatch", s.name, len(articles) * s.passes, time.perf_counter() - started,
                          stages=stages))
    return OneCore(runs, speed.peak_memory_mb(), cpu)


def small_english():
    """An untrained pipeline of en_core_web_sm's architecture (see 2 in the docstring)."""
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.training import Example

    config = init_config(lang="en", pipeline=["tagger", "parser", "ner"], optimize="efficiency", gpu=False)
    parts = config["components"]
    shared = parts["tok2vec"]["model"]
    parts["ner"]["model"]["tok2vec"] = copy.deepcopy(shared)  # the NER's own: the template's 4 hash features
    shared["embed"].update(attrs=["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"],
                           rows=[5000, 1000, 2500, 2500, 50, 50])
    parts["parser"]["model"].update(hidden_width=64, maxout_pieces=2)
    config["nlp"]["batch_size"] = 256
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    nlp.add_pipe("attribute_ruler", after="parser")
    for name, labels in (("tagger", TAGS), ("parser", DEPS), ("ner", ENTITIES)):
        for label in labels:
            nlp.get_pipe(name).add_label(label)
    example = Example.from_dict(nlp.make_doc("Shells hit Kharkiv on Monday."), {
        "tags": ["NNS", "VBD", "NNP", "IN", "NNP", "."], "heads": [1, 1, 1, 1, 3, 1],
        "deps": ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        "entities": ["O", "O", "U-GPE", "O", "U-DATE", "O"]})
    nlp.initialize(lambda: [example])
    nlp.get_pipe("attribute_ruler").add_patterns([{"patterns": [[{"TAG": tag}]], "attrs": {"POS": "X"}}
                                                  for tag in TAGS])
    return nlp


def time_yardsticks(sets: list[Texts]) -> OneCore:
    """The bare tokenizer and the small English pipeline over each set of texts, pinned to one CPU."""
    import spacy

    cpu = speed.pin_one_core()
    loaded = [(s, [a.text for a in articles_of(s.path)]) for s in sets]
    runs = []
    for system, nlp in (("spaCy tokenizer", spacy.blank("en")), ("spaCy small", small_english())):
        for _, texts in loaded:  # warm-up
            for _doc in nlp.pipe(texts):
                pass
        for s, texts in loaded:
            tokens = 0
            started = time.perf_counter()
            for _ in range(s.passes):
                tokens += sum(len(doc) for doc in nlp.pipe(texts))
            runs.append(Timed(system, s.name, len(texts) * s.passes, time.perf_counter() - started, tokens))
    return OneCore(runs, speed.peak_memory_mb(), cpu)


# ---------------------------------------------------------------- 4. scaling

def time_ingest(corpus_path: Path, db: Path, workers: int, gold: Path) -> Ingest:
    """``ingest`` of ``corpus_path`` into the new file ``db``; with one worker, pinned to one CPU."""
    S.run_ingest(gold, db.with_name(f"{db.stem}-warm-up.db"), 1, None)
    last_read = 0.0

    def progress(report: IngestReport) -> None:
        nonlocal last_read
        last_read = time.perf_counter()
        if report.read % 10_000 == 0:
            note(f"  {corpus_path.name}, {workers} worker(s): {report.read:,} read")

    pinned = {min(os.sched_getaffinity(0))} if workers == 1 else None
    with PrivatePeak() as private:
        run = S.run_ingest(corpus_path, db, workers, pinned, progress)
        tail = time.perf_counter() - last_read
    worker_peak = speed.peak_memory_mb(resource.RUSAGE_CHILDREN) if workers > 1 else None
    return Ingest(workers, run["read"], run["seconds"], tail, run["reports"], run["corpus_events"], run["failed"],
                  speed.peak_memory_mb(), private.mb, worker_peak)


def time_merge(db: Path, fold_days: int | None) -> Merge:
    """``merge_corpus`` over every report stored in ``db``; with ``fold_days``, their dates folded
    into that many days from the generator's first day."""
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        reports = [report_from_row(dict(row))
                   for row in conn.execute(f"SELECT {', '.join(REPORT_COLUMNS)} FROM reports")]
    if fold_days:
        reports = [dataclasses.replace(r, event_date=FIRST_DAY + timedelta((r.event_date - FIRST_DAY).days % fold_days))
                   if r.event_date else r for r in reports]
    started = time.perf_counter()
    _, events = merge_corpus(reports)
    seconds = time.perf_counter() - started
    days = len({r.event_date for r in reports if r.event_date})
    return Merge(len(reports), days, len(events), seconds, speed.peak_memory_mb())


# ---------------------------------------------------------------- main

def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    return f"{model or platform.processor() or platform.machine()}, {platform.system()}"


def commit() -> str:
    """The commit measured, read-only (no git command here writes anything)."""
    def git(*words: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True)

    head = git("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    changed = git("diff", "--quiet", "HEAD", "--", "eventwatch").returncode == 1
    return head + (" with uncommitted changes to eventwatch/" if changed else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes to ingest (articles)")
    parser.add_argument("--quick", action="store_true", help="--sizes 200,1000 --passes 2 --sample 200")
    parser.add_argument("--gold", type=Path, default=speed.DEFAULT_GOLD, help="the dev texts (gold JSONL)")
    parser.add_argument("--passes", type=int, default=10, help="timed passes over the dev texts")
    parser.add_argument("--sample", type=int, default=1000, help="generated articles in the speed table")
    parser.add_argument("--one-core-max", type=int, default=10_000, help="largest size also ingested on one core")
    parser.add_argument("--days-per-10k", type=int, default=182, help="days of news per 10,000 generated articles")
    parser.add_argument("--dense-days", type=int, default=182, help="fold longer corpora into this many days")
    parser.add_argument("--news", type=Path, default=speed.DEFAULT_GOLD.parents[1] / "data" / "eupeg-news" / "corpora",
                        help="a folder of real news texts for the ingest speed-up (skipped when missing)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON only")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.passes, args.sample = "200,1000", 2, 200
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < 1 or args.passes < 1 or args.sample < 1:
        parser.error("sizes, --passes and --sample must be positive")

    started = time.perf_counter()
    cores = os.cpu_count() or 1
    measured, load = commit(), os.getloadavg()[0]
    note("towns for the generator (builds the gazetteer if it is missing)")
    towns = M.load_towns(Pipeline())
    sample = corpus(args.sample, days_for(args.sample, args.days_per_10k), args.seed, towns)
    sets = [Texts("dev", args.gold, args.passes), Texts("generated", sample, 1)]

    note("EventWatch, stage by stage, on one core")
    eventwatch = fresh(time_eventwatch, sets)
    has_spacy = importlib.util.find_spec("spacy") is not None
    if has_spacy:
        note("spaCy yardsticks on one core")
        yardsticks = fresh(time_yardsticks, sets)
        yardstick_note = ("spaCy small = an untrained pipeline of en_core_web_sm's architecture (not on PyPI): "
                          "inference speed does not depend on the weights' values")
    else:
        yardsticks = None
        yardstick_note = "spaCy is not installed (pip install spacy): the yardsticks were skipped"
        note(yardstick_note)
    note("first result in a fresh process")
    first = speed.first_result(speed.load_articles(args.gold)[1][0])["first_result_s"]

    results: list[Size] = []
    with tempfile.TemporaryDirectory(prefix="eventwatch-scale-") as folder:
        for n in sizes:
            days = days_for(n, args.days_per_10k)
            path = corpus(n, days, args.seed, towns)
            note(f"{n:,} articles over {days} days: ingest with {cores} workers")
            db = Path(folder) / f"{n}-all.db"
            all_cores = fresh(time_ingest, path, db, cores, args.gold)
            one_core = None
            if n <= args.one_core_max:
                note(f"{n:,} articles: ingest with 1 worker, pinned")
                one_core = fresh(time_ingest, path, Path(folder) / f"{n}-one.db", 1, args.gold)
            note(f"{n:,} articles: merge_corpus alone")
            merged = fresh(time_merge, db, None)
            dense = fresh(time_merge, db, args.dense_days) if days > args.dense_days else None
            results.append(Size(n, days, all_cores, one_core, merged, dense))
            for leftover in Path(folder).glob(f"{n}-*"):
                leftover.unlink()
        news_path = news_corpus(args.news, Path(folder) / "news.jsonl")
        news = None
        if news_path is not None:
            note(f"real news texts from {args.news}: ingest with {cores} workers, then 1")
            news = (fresh(time_ingest, news_path, Path(folder) / "news-all.db", cores, args.gold),
                    fresh(time_ingest, news_path, Path(folder) / "news-one.db", 1, args.gold))

    result = Result(
        machine=machine(), cpus=cores, date=datetime.now().astimezone().isoformat(timespec="minutes"),
        python=platform.python_version(), spacy=version("spacy") if has_spacy else None, commit=measured,
        load=(load, os.getloadavg()[0]),
        eventwatch=eventwatch, yardsticks=yardsticks, yardstick_note=yardstick_note, first_result_s=first,
        sizes=results, news=news, seconds=time.perf_counter() - started,
    )
    if args.json:
        print(json.dumps(dataclasses.asdict(result), indent=2, default=str))
    else:
        print(tables(result, args))
    return 0


# ---------------------------------------------------------------- tables

def _n(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def tables(r: Result, args: argparse.Namespace) -> str:
    ew, ys = r.eventwatch, r.yardsticks
    dev, gen = ew.run("EventWatch", "dev"), ew.run("EventWatch", "generated")
    out = [f"EventWatch scale benchmark, {r.date}: {r.machine}, {r.cpus} CPUs, Python {r.python}"
           + (f", spaCy {r.spacy}" if r.spacy else "") + f"; commit {r.commit}; load average {r.load[0]:.1f} at the start, {r.load[1]:.1f} at the end; "
           f"run took {r.seconds / 60:.1f} min",
           "",
           f"Speed on one core (pinned to CPU {ew.cpu}), articles/s; in brackets the share of the time.",
           "",
           f"| | dev texts ({dev.articles // args.passes} x {args.passes} passes) | generated articles "
           f"({gen.articles:,}) |",
           "|---|---:|---:|"]
    for stage in (*STAGES, "other"):
        cells = []
        for t in (dev, gen):
            seconds = t.seconds - sum(t.stages.values()) if stage == "other" else t.stages[stage]
            cells.append(f"{_n(t.rate(seconds))} ({seconds / t.seconds:.0%})" if seconds > 0 else "-")
        name = "other (Doc, loop)" if stage == "other" else f"stage `{stage}`"
        out.append(f"| {name} | {cells[0]} | {cells[1]} |")
    out.append(f"| **EventWatch, end to end** | **{_n(dev.rate())}** | **{_n(gen.rate())}** |")
    if ys is not None:
        for system, label in (("spaCy small", "spaCy small English pipeline (en_core_web_sm architecture)"),
                              ("spaCy tokenizer", 'bare tokenizer (`spacy.blank("en")`)')):
            cells = [f"{_n(t.rate())} ({t.tokens / t.seconds:,.0f} tokens/s)"
                     for t in (ys.run(system, "dev"), ys.run(system, "generated"))]
            out.append(f"| {label} | {cells[0]} | {cells[1]} |")
        for system, label in (("spaCy small", "EventWatch / spaCy small"), ("spaCy tokenizer", "EventWatch / tokenizer")):
            cells = [f"{ew.run('EventWatch', texts).rate() / ys.run(system, texts).rate():.2f}x"
                     for texts in ("dev", "generated")]
            out.append(f"| {label} | {cells[0]} | {cells[1]} |")
    out += ["", f"Note: {r.yardstick_note}."]
    if r.load[0] > 0.5:
        out.append(f"Note: load average {r.load[0]:.1f} at the start: other processes were using the CPUs, "
                   "so the figures are low, the multi-core ones most.")
    out.append("")

    # targets
    big = r.sizes[-1].all_cores
    ingest_mb = (f"ingest of {r.sizes[-1].articles:,}: {_n(big.peak_mb)} MB resident "
                 f"({_n(big.private_peak_mb)} MB private)"
                 + (f" + {_n(big.worker_peak_mb)} MB (largest worker)" if big.worker_peak_mb else ""))
    private_ok = max(ew.peak_mb, big.private_peak_mb) <= speed.TARGET_MEMORY
    both = [s for s in r.sizes if s.one_core is not None]
    speedup = both[-1].one_core.seconds / both[-1].all_cores.seconds if both else None
    rate_ok = min(dev.rate(), gen.rate()) >= speed.TARGET_RATE
    rows = [
        (f"end to end, one core >= {speed.TARGET_RATE:g} articles/s",
         f"dev {_n(dev.rate())}, generated {_n(gen.rate())}", rate_ok, ""),
        (f"peak memory <= {speed.TARGET_MEMORY:g} MB",
         f"one-core run {_n(ew.peak_mb)} MB; {ingest_mb}",
         max(ew.peak_mb, big.peak_mb) <= speed.TARGET_MEMORY, f" (private memory: {'yes' if private_ok else 'no'})"),
        (f"first result in a fresh process <= {speed.TARGET_FIRST:g} s", f"{r.first_result_s:.2f} s",
         r.first_result_s <= speed.TARGET_FIRST, ""),
    ]
    if speedup is not None:
        rows.append((f"ingest, {r.cpus} workers over 1 >= {TARGET_SPEEDUP:g}x, generated articles",
                     f"{speedup:.2f}x ({both[-1].articles:,} articles)", speedup >= TARGET_SPEEDUP, ""))
    if r.news is not None:
        many, one = r.news
        news_speedup = one.seconds / many.seconds
        rows.append((f"ingest, {r.cpus} workers over 1 >= {TARGET_SPEEDUP:g}x, real news texts",
                     f"{news_speedup:.2f}x ({many.articles:,} articles: {_n(one.articles / one.seconds)} -> "
                     f"{_n(many.articles / many.seconds)} articles/s)", news_speedup >= TARGET_SPEEDUP, ""))
    out += ["| target | measured | met |", "|---|---|---|"]
    out += [f"| {name} | {value} | {'yes' if ok else '**no**'}{more} |" for name, value, ok, more in rows]

    # scaling
    out += ["", f"Cost by corpus size: generated articles, {args.days_per_10k} days of news per 10,000 articles; "
                "ingest = extract + store + corpus merge into a new SQLite file.", "",
            f"| articles | days | ingest, {r.cpus} workers | of which after the last article was read "
            "| per 1,000 articles | articles/s | ingest, 1 worker (pinned): per 1,000 "
            "| peak memory: ingest process, resident (private) + largest worker |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in r.sizes:
        a, one = s.all_cores, s.one_core
        worker = f" + {_n(a.worker_peak_mb)}" if a.worker_peak_mb else ""
        out.append(f"| {s.articles:,} | {s.days} | {a.seconds:,.1f} s | {a.tail_seconds:,.1f} s "
                   f"| {a.seconds / a.articles * 1000:.2f} s "
                   f"| {_n(a.articles / a.seconds)} | {f'{one.seconds / one.articles * 1000:.2f} s' if one else '-'} "
                   f"| {_n(a.peak_mb)} ({_n(a.private_peak_mb)}){worker} MB |")
    out += ["", "Corpus merge alone (`merge_corpus`: cluster + merge, one process) over every report of the store "
                "above.", "",
            "| reports | report dates (days) | corpus events | time | per 1,000 reports | peak memory |",
            "|---:|---:|---:|---:|---:|---:|"]
    for s in r.sizes:
        for m, label in ((s.merge, ""), (s.dense_merge, f" (dates folded into {args.dense_days} days)")):
            if m is not None:
                out.append(f"| {m.reports:,}{label} | {m.days:,} | {m.events:,} | {m.seconds:.2f} s "
                           f"| {m.seconds / m.reports * 1000 * 1000:.0f} ms | {_n(m.peak_mb)} MB |")
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
