"""Scoring library for the EUPEG end-to-end geoparsing protocol (Wang & Hu 2019).

Pure functions over typed records; no I/O except the small ``load_*`` helpers.

Data layout (``../shared/data/eupeg-news``): line *i* of a gold or output file
describes the article ``corpora/<Corpus>/<i>``. Records are separated by
``||`` and fields by ``,,``: ``tag,,surface,,lat,,lon,,start,,end`` (LGL gold
adds a 7th field, ignored). GeoVirus gold offsets are one too high, so that
file is read with ``shift=-1``. Output records with an empty latitude or
longitude (Edinburgh's unresolved names) are kept as recognised toponyms
without coordinates.

The protocol, as implemented here
---------------------------------
**Recognition.** Within each article, system mentions are matched one-to-one
to gold mentions. A pair is a candidate when the spans overlap after widening
the gold span by ``tolerance`` characters on each side (default
:data:`TOLERANCE`, which absorbs the one-character offset slips in some
outputs and in a few gold records). Candidates are taken greedily, best first:
larger character overlap, then smaller start-offset distance, then text
order; each gold and each system mention is used at most once. A matched pair
is a true positive. Precision = matched / system mentions, recall = matched /
gold mentions, F1 their harmonic mean, all pooled over the corpus.

**Resolution**, on the matched pairs only: great-circle (haversine, R = 6371
km) distance between the system and gold coordinates. A matched system
mention without coordinates counts at :data:`MAX_ERROR_KM` (the worst
possible answer). From these errors: mean and median km; Acc@161 = share of
pairs with error <= 161 km; AUC = area under the curve of the sorted
normalised log errors ln(1 + e) / ln(1 + 20039) on x in [0, 1] (Gritta et
al. 2018), computed by the trapezoid rule; it lies in 0..1, lower is better.

Why this rule: on the raw outputs of the published systems it reproduces
Wang & Hu's tables to the third decimal for 22 of 24 system/corpus rows
(Edinburgh on GeoWebNews is within 0.3 points and 8 km of mean error; SpaCyNER
on GeoWebNews is off because its published row implies 1,271 output records
where the file has 1,664). The same-surface condition is what brings the
matched counts down to theirs; a plain overlap rule over-counts matches by
2-8%. Output records without
coordinates are kept here; EUPEG evidently dropped Edinburgh's (its published
precision implies exactly the records with coordinates), so the benchmark
drops them before calling :func:`evaluate`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TOLERANCE = 3  # characters of slack either side of a gold span
MAX_ERROR_KM = 20039.0  # Gritta et al.'s maximum error, used for the AUC scale
ACC_KM = 161.0  # 100 miles
EARTH_RADIUS_KM = 6371.0

CORPORA = ("GeoWebNews", "LGL", "GeoVirus")
SYSTEMS = ("CLAVIN", "CamCoder", "DBpedia", "Edinburgh", "GeoTxt", "SpaCyNER",
           "StanfordNER", "TopoCluster", "Yahoo")
GOLD_SHIFT = {"GeoVirus": -1}


@dataclass(frozen=True, slots=True)
class Toponym:
    """One annotated or predicted place mention; ``end`` is exclusive."""

    surface: str
    start: int
    end: int
    latitude: float | None = None
    longitude: float | None = None
    label: str = ""  # gold: gazetteer name; our system: resolved name/country

    @property
    def has_coords(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class Pair:
    """A matched (gold, system) pair and its distance error in km."""

    doc: int
    gold: Toponym
    system: Toponym
    error_km: float


@dataclass(frozen=True, slots=True)
class Scores:
    n_gold: int
    n_system: int
    n_matched: int
    n_no_coords: int  # matched system mentions without coordinates (scored at MAX_ERROR_KM)
    precision: float
    recall: float
    f1: float
    mean_km: float
    median_km: float
    acc161: float
    auc: float

    def as_dict(self) -> dict[str, float | int]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class Evaluation:
    scores: Scores
    pairs: list[Pair] = field(default_factory=list)


# ----------------------------------------------------------------- parsing

def _float(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_line(line: str, shift: int = 0) -> list[Toponym]:
    """The records of one line of a gold or output file."""
    out: list[Toponym] = []
    for record in line.rstrip("\r\n").split("||"):
        if not record.strip():
            continue
        fields = record.split(",,")
        if len(fields) < 6:
            raise ValueError(f"record with {len(fields)} fields: {record!r}")
        tag, surface, lat, lon, start, end = fields[:6]
        latitude, longitude = _float(lat), _float(lon)
        if latitude is None or longitude is None:
            latitude = longitude = None
        out.append(Toponym(surface, int(start) + shift, int(end) + shift,
                           latitude, longitude, tag))
    return out


def parse_file_text(text: str, n_docs: int, shift: int = 0) -> list[list[Toponym]]:
    """All lines of a file, padded or checked to ``n_docs`` lines."""
    lines = text.split("\n")
    while len(lines) > n_docs and not lines[-1].strip():
        lines.pop()
    if len(lines) > n_docs:
        raise ValueError(f"{len(lines)} lines for {n_docs} documents")
    lines += [""] * (n_docs - len(lines))
    return [parse_line(line, shift) for line in lines]


def load_texts(corpus_dir: Path) -> list[str]:
    n = sum(1 for p in corpus_dir.iterdir() if p.name.isdigit())
    return [(corpus_dir / str(i)).read_text(encoding="utf-8") for i in range(n)]


def load_gold(root: Path, corpus: str, n_docs: int) -> list[list[Toponym]]:
    text = (root / "gold" / f"{corpus}_gold.txt").read_text(encoding="utf-8")
    return parse_file_text(text, n_docs, GOLD_SHIFT.get(corpus, 0))


def load_output(root: Path, corpus: str, system: str, n_docs: int) -> list[list[Toponym]]:
    text = (root / "geoparser_output" / f"{corpus}_{system}.txt").read_text(encoding="utf-8")
    return parse_file_text(text, n_docs)


# ---------------------------------------------------------------- matching

def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return min(a_end, b_end) - max(a_start, b_start)


def same_surface(a: str, b: str) -> bool:
    """Surface forms equal up to case and surrounding/internal whitespace runs."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def match_spans(gold: Sequence[Toponym], system: Sequence[Toponym],
                tolerance: int = TOLERANCE, strict: bool = True) -> list[tuple[int, int]]:
    """One-to-one (gold index, system index) pairs of one article.

    A candidate pair needs the system span to overlap the gold span widened by
    ``tolerance`` characters on each side (adjacent spans do not overlap) and,
    when ``strict`` (the EUPEG rule), the same surface form (case-insensitive).
    Candidates are taken greedily, best first: larger character overlap, then
    closer starts, then text order; each mention is used at most once.
    """
    candidates: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            if _overlap(g.start - tolerance, g.end + tolerance, s.start, s.end) <= 0:
                continue
            if strict and not same_surface(g.surface, s.surface):
                continue
            exact = _overlap(g.start, g.end, s.start, s.end)
            candidates.append((-exact, abs(g.start - s.start), gi, si))
    candidates.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, si in candidates:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gi, si))
    pairs.sort()
    return pairs


# ----------------------------------------------------------------- metrics

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def pair_error_km(gold: Toponym, system: Toponym) -> float:
    """Distance in km; :data:`MAX_ERROR_KM` when the system gave no coordinates."""
    if not system.has_coords or not gold.has_coords:
        return MAX_ERROR_KM
    return haversine_km(gold.latitude, gold.longitude, system.latitude, system.longitude)  # type: ignore[arg-type]


def prf(n_matched: int, n_system: int, n_gold: int) -> tuple[float, float, float]:
    p = n_matched / n_system if n_system else 0.0
    r = n_matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def accuracy_at(errors: Sequence[float], km: float = ACC_KM) -> float:
    return sum(1 for e in errors if e <= km) / len(errors) if errors else 0.0


def auc(errors: Sequence[float]) -> float:
    """Normalised area under the sorted log-error curve (Gritta et al. 2018).

    y_i = ln(1 + e_i) / ln(1 + MAX_ERROR_KM) for the errors sorted ascending
    (capped at MAX_ERROR_KM, so y is in 0..1; Gritta et al. divide by
    ln(20039), a 3e-6 relative difference), placed evenly on x in [0, 1] and
    integrated by the trapezoid rule. For one error the curve is a single
    point and its height is returned.
    """
    if not errors:
        return 0.0
    ys = [_log_error(e) for e in sorted(errors)]
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in zip(ys, ys[1:], strict=False))
    return area / (len(ys) - 1)


def _log_error(error_km: float) -> float:
    return math.log1p(min(error_km, MAX_ERROR_KM)) / math.log1p(MAX_ERROR_KM)


def mean_log_error(errors: Sequence[float]) -> float:
    """The simpler variant: mean of ln(1 + e) / ln(1 + MAX_ERROR_KM).

    On the published outputs it agrees with :func:`auc` to within 0.001.
    """
    return sum(map(_log_error, errors)) / len(errors) if errors else 0.0


def summarise(n_gold: int, n_system: int, pairs: Sequence[Pair]) -> Scores:
    errors = [p.error_km for p in pairs]
    p, r, f = prf(len(pairs), n_system, n_gold)
    return Scores(
        n_gold=n_gold, n_system=n_system, n_matched=len(pairs),
        n_no_coords=sum(1 for x in pairs if not x.system.has_coords),
        precision=p, recall=r, f1=f,
        mean_km=statistics.fmean(errors) if errors else 0.0,
        median_km=statistics.median(errors) if errors else 0.0,
        acc161=accuracy_at(errors), auc=auc(errors),
    )


def evaluate(gold_docs: Sequence[Sequence[Toponym]], system_docs: Sequence[Sequence[Toponym]],
             tolerance: int = TOLERANCE, strict: bool = True) -> Evaluation:
    """Score a whole corpus: documents are aligned by index."""
    if len(gold_docs) != len(system_docs):
        raise ValueError(f"{len(gold_docs)} gold documents, {len(system_docs)} system documents")
    pairs: list[Pair] = []
    n_gold = n_system = 0
    for doc, (gold, system) in enumerate(zip(gold_docs, system_docs, strict=True)):
        n_gold += len(gold)
        n_system += len(system)
        for gi, si in match_spans(gold, system, tolerance, strict):
            pairs.append(Pair(doc, gold[gi], system[si], pair_error_km(gold[gi], system[si])))
    return Evaluation(summarise(n_gold, n_system, pairs), pairs)


def worst(pairs: Iterable[Pair], n: int) -> list[Pair]:
    return sorted(pairs, key=lambda p: -p.error_km)[:n]


# ------------------------------------------------- published reference values
# Wang & Hu (2019), end-to-end on the whole corpora: the score tables of
# geoai-lab/GeoAI2019Geoparser (fig/TABLE*.png, commit b9ef2e66), as typed in
# ../shared/data/eupeg-news/SOURCE.md: GeoWebNews = "Table 8", LGL = "Table 5",
# GeoVirus = "Table 1". Columns: P, R, F1, mean km, median km, Acc@161, AUC.
# Only systems with an output file here are listed; Yahoo has no published row.

PUBLISHED: dict[str, dict[str, tuple[float, float, float, float, float, float, float]]] = {
    "GeoWebNews": {
        "StanfordNER": (.885, .635, .739, 818.282, 0, .698, .257),
        "CamCoder": (.895, .562, .691, 723.122, 0, .839, .15),
        "TopoCluster": (.838, .559, .67, 597.082, 42.46, .68, .357),
        "Edinburgh": (.819, .538, .65, 346.873, 0, .921, .071),
        "DBpedia": (.847, .51, .637, 736.677, 94.298, .564, .396),
        "GeoTxt": (.771, .479, .591, 421.073, 0, .903, .086),
        "CLAVIN": (.909, .394, .549, 210.905, 0, .937, .06),
        "SpaCyNER": (.784, .415, .543, 1053.063, 55.555, .661, .396),
    },
    "LGL": {
        "DBpedia": (.813, .635, .713, 1465.669, 7.953, .643, .361),
        "StanfordNER": (.744, .622, .677, 1485.954, 11.56, .59, .367),
        "TopoCluster": (.763, .577, .657, 1209.39, 18.959, .625, .379),
        "CamCoder": (.811, .548, .654, 837.126, .02, .717, .248),
        "GeoTxt": (.747, .503, .601, 1544.283, .044, .633, .312),
        "CLAVIN": (.808, .444, .573, 1261.408, .012, .701, .262),
        "Edinburgh": (.723, .383, .501, 611.06, .005, .819, .172),
        "SpaCyNER": (.493, .371, .423, 1702.214, 7.685, .561, .381),
    },
    "GeoVirus": {
        "StanfordNER": (.927, .903, .915, 791.296, 48.676, .655, .378),
        "CamCoder": (.940, .802, .866, 619.397, 33.945, .770, .336),
        "TopoCluster": (.877, .813, .844, 599.632, 63.858, .673, .407),
        "GeoTxt": (.857, .726, .786, 487.874, 36.255, .787, .337),
        "CLAVIN": (.913, .637, .750, 522.176, 35.503, .786, .320),
        "DBpedia": (.792, .616, .693, 1272.937, 122.314, .533, .406),
        "Edinburgh": (.860, .559, .678, 435.799, 33.187, .807, .319),
        "SpaCyNER": (.721, .382, .499, 788.231, 40.653, .698, .367),
    },
}
PUBLISHED_COLUMNS = ("precision", "recall", "f1", "mean_km", "median_km", "acc161", "auc")
