"""The fitted sentence scorer: one probability per candidate that it answers what was asked.

Its weights and threshold are data (fitted/sentences.json), fitted by `report-assistant eval --fit` on
the labelled question sets (evaluation/fit.py). A candidate at or above the threshold is an answer; when
none is, the answerer refuses and shows the nearest candidate, labelled as such.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.answering.candidates import Candidate
from assistant.retrieval.linear import FITTED_DIR, LinearModel

SENTENCE_MODEL = FITTED_DIR / "sentences.json"


@lru_cache(maxsize=4)
def load_sentence_model(path: Path = SENTENCE_MODEL) -> LinearModel:
    return LinearModel.load(path)


class SentenceScorer:
    def __init__(self, model: LinearModel | None = None):
        self.model = model or load_sentence_model()

    @property
    def threshold(self) -> float:
        return self.model.threshold

    def rank(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates in the fitted ranking's order (ties: the higher-ranked passage), each with its
        probability of answering."""
        rows = [c.features for c in candidates]
        for candidate, s, p in zip(candidates, self.model.logits(rows), self.model.probabilities(rows)):
            candidate.rank_score, candidate.score = float(s), float(p)
        return sorted(candidates, key=lambda c: (-c.rank_score, c.rank, c.start))

    def accepts(self, candidate: Candidate | None) -> bool:
        """At or above the threshold, and able to state what is asked: a sentence without a number in the
        asked unit (or one that misses the asked bound) cannot state an asked figure, and no sentence can
        state a thing the question names by a noun no report of the library holds (公证 asked of a
        library without it), however well it speaks of the rest."""
        return self.possible(candidate) and candidate.score >= self.model.threshold

    def possible(self, candidate: Candidate | None) -> bool:
        """Whether the candidate could state what is asked at all (see `accepts`)."""
        if candidate is None:
            return False
        f = candidate.features
        return not f.get("no_figure") and not f.get("unknown_noun")

    def on_topic(self, candidate: Candidate) -> bool:
        """Whether the candidate would answer if no figure had been asked: it speaks of the asked topic."""
        plain = {**candidate.features, "figure": 0.0, "no_figure": 0.0, "stated": 0.0}
        return float(self.model.probabilities([plain])[0]) >= self.model.threshold
