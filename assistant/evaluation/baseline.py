"""The yardsticks every question set is measured against: a plain BM25 over newline paragraphs, over
jieba words and over character bigrams.

No metadata, no cleaning, no outline, no dense vectors: each non-empty line of a report file is one
document. The product must beat both on every set; if it does not, its extra machinery is hurting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.loading import load_text
from ingest.text import normalise

logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Line:
    report: str  # file name
    text: str


class ParagraphBM25:
    """BM25 (bm25s defaults) over jieba search-mode tokens (or character bigrams) of every line of the
    given report files."""

    def __init__(self, files: list[Path], bigram: bool = False):
        import bm25s

        self.tokens = _bigrams if bigram else _tokens
        self.lines = [Line(path.name, line.strip()) for path in files
                      for line in load_text(path, path.read_bytes()).splitlines() if line.strip()]
        self.retriever = bm25s.BM25()
        self.retriever.index([self.tokens(line.text) for line in self.lines], show_progress=False)

    def search(self, question: str, k: int = 10) -> list[Line]:
        vocab = self.retriever.vocab_dict
        tokens = [t for t in self.tokens(question) if t in vocab]
        if not tokens or not self.lines:
            return []
        scores = np.asarray(self.retriever.get_scores(tokens), dtype=float)
        return [self.lines[i] for i in np.argsort(-scores)[:k] if scores[i] > 0]


def _tokens(text: str) -> list[str]:
    import jieba

    return [t for t in jieba.lcut_for_search(normalise(text).lower()) if t.strip()]


def _bigrams(text: str) -> list[str]:
    norm = normalise(text).lower()
    return [norm[i : i + 2] for i in range(len(norm) - 1)]


def gold_rank(lines: list[Line], gold: dict, k: int) -> int | None:
    """Rank (1-based) of the first line among the top k of the gold report that holds the gold quote."""
    quote = normalise(gold["quote"])
    for rank, line in enumerate(lines[:k], 1):
        if line.report == gold["report"] and quote in normalise(line.text):
            return rank
    return None


def baseline_metrics(questions: list[dict], files: list[Path], bigram: bool = False) -> dict:
    """recall@5, recall@10 and MRR@10 of the plain BM25 on the answerable questions (a follow-up is
    searched with its history's questions before it: the baseline has no other way to know its topic)."""
    index = ParagraphBM25(files, bigram)
    answerable = [q for q in questions if not q.get("expect_refusal") and q.get("gold")]
    if not answerable:
        return {}
    results = [(q, index.search(" ".join([*q.get("history", []), q["question"]]), 10)) for q in answerable]

    def recall(k: int) -> float:
        return round(sum(all(gold_rank(lines, g, k) for g in q["gold"]) for q, lines in results) / len(results), 3)

    def reciprocal(q: dict, lines: list[Line]) -> float:
        ranks = [r for g in q["gold"] if (r := gold_rank(lines, g, 10))]
        return 1.0 / min(ranks) if ranks else 0.0

    return {"recall_at_5": recall(5), "recall_at_10": recall(10),
            "mrr_at_10": round(sum(reciprocal(q, lines) for q, lines in results) / len(results), 3)}
