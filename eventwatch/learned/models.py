"""The shipped models, loaded once per process: ``event_probability`` and ``sub_event_type``.

The weights live in ``weights/`` beside this file and are rebuilt by ``make train``;
``weights/MODEL_CARD.md`` says what they were trained on and how well they do.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from eventwatch.learned.classifier import LinearModel

WEIGHTS = Path(__file__).parent / "weights"

# A sentence reports an event when the event model gives it at least this probability:
# the lower bar with an event word of ``stages.triggers`` in it, the higher without one.
WITH_EVENT_WORD = 0.15
WITHOUT_EVENT_WORD = 0.9
# Shorter sentences are left to the event words alone ("Three died.").
MIN_CHARACTERS = 20
# The sub-type model's answer is taken when at least this sure; below, the event words decide.
TRUST_SUB_EVENT_TYPE = 0.6


@lru_cache(maxsize=2)
def _model(name: str) -> LinearModel:
    path = WEIGHTS / f"{name}.npz"
    if not path.exists():
        raise FileNotFoundError(f"the {name} model is missing ({path}): reinstall EventWatch or run `make train`")
    return LinearModel.load(path)


def event_probability(text: str) -> float:
    """How likely ``text`` (a sentence or a short snippet) reports an event ACLED would code."""
    return float(_model("event").probabilities(text)[0])


def sub_event_type(text: str) -> tuple[str, float]:
    """The most likely of ACLED's sub-event types for an event reported in ``text``, and its probability."""
    model = _model("subtype")
    probabilities = model.probabilities(text)
    best = int(probabilities.argmax())
    return model.classes[best], float(probabilities[best])
