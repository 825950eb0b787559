"""A linear classifier over hashed n-grams (``features``), read from a weights file.

Reading needs numpy only: a text's score for each class is the sum of the weights of
its active columns times their values, plus the class bias.  The weights are stored
as int8 with one scale per class (a quarter of float32's size, within 0.5% of its
scores), in an ``.npz`` file written by ``training/train.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eventwatch.learned.features import BUCKETS, features


@dataclass(frozen=True, slots=True)
class LinearModel:
    classes: tuple[str, ...]
    weights: np.ndarray  # (BUCKETS, classes) int8, or (BUCKETS, 1) for a yes/no model
    scales: np.ndarray  # (classes,) float32: weight = int8 * scale
    bias: np.ndarray  # (classes,) float32

    def probabilities(self, text: str) -> np.ndarray:
        """For a yes/no model, [p(yes)]; otherwise one probability per class, summing to 1."""
        columns, values = features(text)
        logits = (np.asarray(values, dtype=np.float32) @ self.weights[columns].astype(np.float32)) * self.scales + self.bias
        if logits.shape[0] == 1:
            return 1.0 / (1.0 + np.exp(-logits))
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def save(self, path: Path) -> None:
        np.savez_compressed(path, classes=np.array(self.classes), weights=self.weights, scales=self.scales, bias=self.bias)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path) as data:
            model = cls(tuple(str(c) for c in data["classes"]), data["weights"], data["scales"], data["bias"])
        if model.weights.shape[0] != BUCKETS:
            raise ValueError(f"{path} was trained with {model.weights.shape[0]} feature columns, not {BUCKETS}: run `make train`")
        return model

    @classmethod
    def from_float(cls, classes: tuple[str, ...], weights: np.ndarray, bias: np.ndarray) -> LinearModel:
        """Quantise float weights (BUCKETS, classes) to int8 with one scale per class."""
        scales = np.maximum(np.abs(weights).max(axis=0), 1e-12) / 127.0
        quantised = np.round(weights / scales).astype(np.int8)
        return cls(classes, quantised, scales.astype(np.float32), bias.astype(np.float32))
