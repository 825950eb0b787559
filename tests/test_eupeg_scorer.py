"""The EUPEG scorer (benchmarks/eupeg.py): hand-computed cases, and one check
against a published figure when the shared data is present."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EUPEG_DATA = SHARED / "data" / "eupeg-news"


def _load_eupeg():
    spec = importlib.util.spec_from_file_location("eupeg", ROOT / "benchmarks" / "eupeg.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eupeg", module)
    spec.loader.exec_module(module)
    return module


E = _load_eupeg()
T = E.Toponym


# ------------------------------------------------------------------ parsing

def test_parse_line_fields_shift_and_missing_coords():
    line = ("Alexandria,,Alexandria,,31.3113,,-92.4451,,0,,10,,265.26||"
            "No Gaz,,Paris,,,,,,20,,25||\n")
    a, b = E.parse_line(line, shift=-1)
    assert (a.surface, a.start, a.end, a.latitude, a.longitude) == ("Alexandria", -1, 9, 31.3113, -92.4451)
    assert (b.surface, b.start, b.end) == ("Paris", 19, 24)
    assert not b.has_coords


def test_parse_file_text_pads_to_documents():
    docs = E.parse_file_text("X,,A,,1,,2,,0,,1||\n\n", n_docs=3)
    assert [len(d) for d in docs] == [1, 0, 0]


# ----------------------------------------------------------------- matching

def test_match_tolerates_small_offset_slip_with_same_surface():
    gold = [T("Paris", 10, 15)]
    assert E.match_spans(gold, [T("Paris", 11, 16)]) == [(0, 0)]
    assert E.match_spans(gold, [T("paris", 9, 14)]) == [(0, 0)]  # case-insensitive


def test_match_strict_needs_same_surface_lenient_does_not():
    gold = [T("Paris", 10, 15)]
    system = [T("Paris, Texas", 10, 22)]
    assert E.match_spans(gold, system) == []
    assert E.match_spans(gold, system, strict=False) == [(0, 0)]


def test_match_beyond_tolerance_fails():
    gold = [T("Paris", 10, 15)]
    assert E.match_spans(gold, [T("Paris", 18, 23)]) == []  # widened gold is 7..18: adjacent only
    assert E.match_spans(gold, [T("Paris", 17, 22)]) == [(0, 0)]


def test_match_is_one_to_one_and_prefers_larger_overlap():
    gold = [T("Lyon", 0, 4), T("Lyon", 6, 10)]
    system = [T("Lyon", 5, 9), T("Lyon", 6, 10), T("Lyon", 0, 4)]
    # system 1 is exact on gold 1; system 0 (overlap 3 with gold 1) is left over
    assert E.match_spans(gold, system) == [(0, 2), (1, 1)]
    assert E.match_spans([T("Lyon", 0, 4)], [T("Lyon", 0, 4), T("Lyon", 1, 5)]) == [(0, 0)]


# ------------------------------------------------------------------ metrics

def test_haversine():
    assert E.haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=1e-3)
    assert E.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371, rel=1e-9)
    assert E.haversine_km(51.5, -0.1, 51.5, -0.1) == 0


def test_prf():
    assert E.prf(3, 4, 6) == pytest.approx((0.75, 0.5, 0.6))
    assert E.prf(0, 0, 5) == (0.0, 0.0, 0.0)


def test_accuracy_at_161_is_inclusive():
    assert E.accuracy_at([0, 161, 162]) == pytest.approx(2 / 3)


def test_auc_is_trapezoid_under_sorted_normalised_log_errors():
    assert E.auc([20039, 0]) == pytest.approx(0.5)
    assert E.auc([0, 0, 20039]) == pytest.approx(0.25)  # the plain mean would be 1/3
    assert E.mean_log_error([0, 0, 20039]) == pytest.approx(1 / 3)
    assert E.auc([20039]) == pytest.approx(1.0)
    assert E.auc([0, 0]) == 0
    e = math.e - 1  # ln(1 + e) = 1
    assert E.auc([e, e]) == pytest.approx(1 / math.log(20040))


def test_evaluate_small_corpus_by_hand():
    gold = [
        [T("Paris", 0, 5, 48.0, 2.0), T("Lyon", 10, 14, 45.0, 4.0)],
        [T("Nice", 0, 4, 43.0, 7.0)],
    ]
    system = [
        [T("Paris", 0, 5, 48.0, 3.0), T("Berlin", 20, 26, 52.0, 13.0)],  # 1 deg lon off at 48N
        [T("Nice", 1, 5, None, None)],  # recognised, unresolved -> MAX_ERROR_KM
    ]
    ev = E.evaluate(gold, system)
    s = ev.scores
    assert (s.n_gold, s.n_system, s.n_matched, s.n_no_coords) == (3, 3, 2, 1)
    assert (s.precision, s.recall) == pytest.approx((2 / 3, 2 / 3))
    d = E.haversine_km(48.0, 2.0, 48.0, 3.0)
    assert d == pytest.approx(74.4, abs=0.1)
    assert s.mean_km == pytest.approx((d + E.MAX_ERROR_KM) / 2)
    assert s.median_km == pytest.approx((d + E.MAX_ERROR_KM) / 2)
    assert s.acc161 == 0.5
    assert s.auc == pytest.approx((math.log1p(d) / math.log(20040) + 1) / 2)
    assert [p.doc for p in ev.pairs] == [0, 1]


def test_evaluate_rejects_misaligned_documents():
    with pytest.raises(ValueError):
        E.evaluate([[]], [[], []])


# ------------------------------------------- reproduction of a published figure

@pytest.mark.skipif(not EUPEG_DATA.exists(), reason=f"shared data not found at {EUPEG_DATA}")
def test_reproduces_clavin_geowebnews_acc161():
    n = len(E.load_texts(EUPEG_DATA / "corpora" / "GeoWebNews"))
    gold = E.load_gold(EUPEG_DATA, "GeoWebNews", n)
    output = E.load_output(EUPEG_DATA, "GeoWebNews", "CLAVIN", n)
    scores = E.evaluate(gold, output).scores
    assert scores.acc161 == pytest.approx(0.937, abs=0.02)
    assert scores.f1 == pytest.approx(0.549, abs=0.02)
