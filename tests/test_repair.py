"""Mojibake repaired where articles are read; correct text left exactly as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwatch.readers import check_text, read_inputs
from eventwatch.repair import repair_text

# Correct text in several scripts and with typographic marks: never touched.
CORRECT = (
    "Le président François Hollande s’est rendu à Besançon et à Montréal.",
    "Recep Tayyip Erdoğan met Kemal Kılıçdaroğlu in İstanbul and Şanlıurfa; Ağrı, Muş, Iğdır.",
    "محمد بن سلمان met officials in الرياض, said Abū ʿAlī al-Ḥasan.",
    "Muhammad ‘Ali’s “quote” — an em dash… 5 °C, naïve, São Paulo, Zürich, Łódź, Ørsted.",
    "Ligatures ﬁne, ＦＵＬＬ width and &amp; entities stay as written.\r\nA second line.",
)


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_unchanged(text: str) -> None:
    assert repair_text(text) == text


@pytest.mark.parametrize(("broken", "fixed"), [
    ("Police said itâ€™s the third attack â€” and the worst.", "Police said it’s the third attack — and the worst."),
    ("â€œThey had not sought permission,â€\x9d he said.", "“They had not sought permission,” he said."),
    ("The cafÃ© in SÃ£o Paulo and the Ã‰cole", "The café in São Paulo and the École"),
    ("a â‚¬5 fee", "a €5 fee"),
])
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


def test_every_reader_repairs_through_check_text(tmp_path: Path) -> None:
    text, warnings = check_text("Gunmen killed 3 in Kabul, police said. Itâ€™s the second attack.", "x")
    assert text == "Gunmen killed 3 in Kabul, police said. It’s the second attack." and warnings == []
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps({"id": "1", "text": "cafÃ© owners said itâ€™s closed"}) + "\n", encoding="utf-8")
    (result,) = read_inputs(lines)
    assert result.article is not None and result.article.text == "café owners said it’s closed"
