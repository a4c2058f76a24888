"""A fitted linear model over named features: how the product ranks passages and answer sentences.

Each model is a small JSON data file written by `report-assistant eval --fit` (evaluation/fit.py): the
feature names, one weight each, the bias, and the question sets it was fitted on. The weights rank the
candidates of one question against each other. A model that also decides whether its best candidate
answers at all carries a second, smaller model (`accept`): it reads a few of the candidate's features
(how much of the question it holds, whether the question names something no report holds) and gives a
probability, held against the fitted threshold. Scoring is a dot product (numpy); scipy is needed
only to fit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FITTED_DIR = Path(__file__).resolve().parent.parent / "fitted"


@dataclass
class LinearModel:
    features: tuple[str, ...]
    weights: np.ndarray
    bias: float = 0.0
    threshold: float = 0.5  # on the probability: below it, a candidate is no answer
    about: dict = field(default_factory=dict)  # what it was fitted on, when, and its figures
    accept: "LinearModel | None" = None  # whether a candidate answers, from some of its features

    def logits(self, rows: list[dict[str, float]]) -> np.ndarray:
        """The score of each candidate (its features by name; a missing feature counts 0)."""
        if not rows:
            return np.zeros(0)
        matrix = np.array([[row.get(name, 0.0) for name in self.features] for row in rows], dtype=float)
        return matrix @ self.weights + self.bias

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        """The probability that each candidate answers (through `accept` when the model has one)."""
        if self.accept is not None:
            return self.accept.probabilities(rows)
        return 1.0 / (1.0 + np.exp(-self.logits(rows)))

    def contributions(self, row: dict[str, float]) -> dict[str, float]:
        """What each feature adds to one candidate's score (for explaining an answer)."""
        return {name: round(float(w) * row.get(name, 0.0), 3) for name, w in zip(self.features, self.weights)
                if row.get(name, 0.0)}

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "LinearModel":
        names = tuple(data["weights"])
        accept = cls.from_dict(data["accept"]) if data.get("accept") else None
        return cls(names, np.array([data["weights"][n] for n in names], dtype=float), float(data.get("bias", 0.0)),
                   float(data.get("threshold", 0.5)), data.get("about", {}), accept)

    def to_dict(self) -> dict:
        data = {"about": self.about, "bias": round(self.bias, 6), "threshold": round(self.threshold, 6),
                "weights": {n: round(float(w), 6) for n, w in zip(self.features, self.weights)}}
        if self.accept is not None:
            data["accept"] = {k: v for k, v in self.accept.to_dict().items() if k in ("bias", "weights")}
        return data

    def save(self, path: Path) -> None:
        data = self.to_dict()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
