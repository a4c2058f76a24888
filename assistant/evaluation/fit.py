"""Fitting the two models (passages, answer sentences) on labelled question sets, and measuring them on
sets they were not fitted on (leave-one-set-out).

Training rows come from running each set's questions over a store of exactly its reports: every passage
retrieval scored (label: it holds a gold quote of its report) and every candidate sentence of the top
passages, for every thing asked (label: it overlaps a gold quote, or states all the answer's keywords in
a gold report).

What matters is the order of one question's candidates, so both rankers are fitted pairwise (a logistic
regression on the feature differences of a right and a wrong candidate of the same question, as RankNet
and RankSVM do): features that are the same for every candidate of a question cannot sway it. Whether the
best sentence answers at all is a second, small logistic regression (`accept`) on the features that say
how much of the question it holds; its threshold is the one that best separates,
over the fitting questions, an answerable question's best candidate from an unanswerable one's.
Everything is written back as plain weights (retrieval/linear.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ingest.text import normalise

from assistant.retrieval.linear import LinearModel

# Regularisation strength of the logistic regressions (scikit-learn's C: smaller is smoother).
REGULARISATION = 1.0
# A candidate shorter than this that lies inside a gold quote counts as holding it.
MIN_INSIDE_CHARS = 6
# Thresholds tried for the sentence model (probabilities).
THRESHOLD_GRID = tuple(round(x, 3) for x in np.arange(0.05, 0.96, 0.01))
# Wrong candidates paired with each right one (the highest-ranked first): keeps the pairs linear in size.
NEGATIVES_PER_POSITIVE = 100
# Candidates of each ask, best ranked first, that teach the acceptance model (the best: it is what is answered).
ACCEPT_TOP = 1
# What the acceptance model reads: how much of the question a sentence holds, and whether it can hold it.
ACCEPT_FEATURES = ("words", "words_all", "words_unknown", "unknown_noun", "bigrams", "subject", "subject_share", "figure", "stated",
                   "phrase", "context", "part", "part_other")
ACCEPT_SIGNS = {"words": 1, "words_all": 1, "words_unknown": -1, "unknown_noun": -1,
                "bigrams": 1, "subject": 1, "subject_share": 1, "figure": 1, "stated": 1, "phrase": 1, "context": 1, "part_other": -1}


@dataclass
class QuestionRows:
    """What one question contributes to fitting: its passages' and candidates' features and labels."""

    set_name: str
    qid: str
    answerable: bool
    several: bool = False  # asks of several reports (哪些地区…): each report's best candidate is judged
    listing: bool = False  # asks for a part (存在哪些问题): answered by listing it, its items all right
    widened: bool = False  # names a place or year the library lacks: refused before any sentence is judged
    passages: list[dict[str, float]] = field(default_factory=list)
    passage_labels: list[int] = field(default_factory=list)
    # one list per thing asked: (features, label) of each candidate
    asks: list[list[tuple[dict[str, float], int]]] = field(default_factory=list)
    reports: list[list[str]] = field(default_factory=list)  # the report of each candidate, per ask


def holds_gold(report: str, text: str, golds: list[dict]) -> bool:
    """Whether a passage of `report` holds a gold quote (compared as the eval README says)."""
    norm = normalise(text)
    return any(g["report"] == report and normalise(g["quote"]) in norm for g in golds)


def candidate_label(report: str, sentence: str, golds: list[dict], keywords: list[str]) -> int:
    """1 when the sentence overlaps a gold quote of its report (holds it, or lies inside it), or states
    every answer keyword and comes from a gold report."""
    norm = normalise(sentence)
    for gold in golds:
        if gold["report"] != report:
            continue
        quote = normalise(gold["quote"])
        if quote in norm or (len(norm) >= MIN_INSIDE_CHARS and norm in quote) or _overlap(norm, quote):
            return 1
    reports = {g["report"] for g in golds}
    return int(bool(keywords) and report in reports and all(normalise(k) in norm for k in keywords))


def _overlap(a: str, b: str) -> bool:
    """A quote cut across a sentence end: half of it (at least MIN_INSIDE_CHARS) stands at an edge of the sentence."""
    half = max(MIN_INSIDE_CHARS, len(b) // 2)
    return len(b) >= 2 * MIN_INSIDE_CHARS and (b[:half] in a or b[-half:] in a)


def _matrix(rows: list[dict[str, float]], features: tuple[str, ...]) -> np.ndarray:
    return np.array([[r.get(f, 0.0) for f in features] for r in rows], dtype=float).reshape(len(rows), len(features))


def _logistic(x: np.ndarray, y: np.ndarray, weights: np.ndarray, signs: list[int], intercept: bool) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression (scikit-learn's objective, C = REGULARISATION) whose weights keep
    the signs given (+1: ≥ 0, -1: ≤ 0, 0: free), solved with scipy's bounded L-BFGS."""
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    n, k = x.shape
    total = weights.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:k], (theta[k] if intercept else 0.0)
        z = x @ w + b
        value = -(weights * (y * log_expit(z) + (1 - y) * log_expit(-z))).sum() / total
        value += 0.5 * (w @ w) / (REGULARISATION * total)
        residual = weights * (expit(z) - y) / total
        grad_w = x.T @ residual + w / (REGULARISATION * total)
        return value, (np.append(grad_w, residual.sum()) if intercept else grad_w)

    bounds = [(0, None) if s > 0 else (None, 0) if s < 0 else (None, None) for s in signs]
    bounds += [(None, None)] if intercept else []
    start = np.zeros(k + (1 if intercept else 0))
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 2000})
    return result.x[:k], (float(result.x[k]) if intercept else 0.0)


def fit_linear(rows: list[dict[str, float]], labels: list[int], features: tuple[str, ...], about: dict,
               signs: dict[str, int] | None = None) -> LinearModel:
    """A logistic regression on standardised features, each class weighing the same in all, written back in
    the features' own units."""
    x, y = _matrix(rows, features), np.array(labels, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    positives = max(y.sum(), 1.0)
    weights = np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * max(len(y) - positives, 1.0)))
    coef, intercept = _logistic((x - mean) / scale, y, weights, [(signs or {}).get(f, 0) for f in features], True)
    return LinearModel(features, coef / scale, float(intercept - (coef * mean / scale).sum()), 0.5, about)


def fit_pairwise(groups: list[tuple[list[dict[str, float]], list[int]]], features: tuple[str, ...],
                 about: dict, signs: dict[str, int] | None = None) -> LinearModel:
    """A ranker: a logistic regression without intercept on (right − wrong) feature differences within each
    group (and their negations), so that only what tells one question's candidates apart counts."""
    diffs = []
    for rows, labels in groups:
        x = _matrix(rows, features)
        right = [i for i, y in enumerate(labels) if y]
        wrong = [i for i, y in enumerate(labels) if not y][:NEGATIVES_PER_POSITIVE]
        diffs.extend(x[i] - x[j] for i in right for j in wrong)
    if not diffs:
        return LinearModel(features, np.zeros(len(features)), 0.0, 0.5, about)
    d = np.array(diffs)
    scale = np.abs(d).std(axis=0)
    scale[scale == 0] = 1.0
    both = np.vstack([d / scale, -d / scale])
    labels = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    coef, _ = _logistic(both, labels, np.ones(len(labels)), [(signs or {}).get(f, 0) for f in features], False)
    return LinearModel(features, coef / scale, 0.0, 0.5, {**about, "pairs": len(d)})


def ruled_out(features: dict[str, float]) -> bool:
    """A candidate no score can accept (answering/scorer.py): it lacks the asked figure, or the question
    names a noun no report holds."""
    return bool(features.get("no_figure") or features.get("unknown_noun"))


def fit_threshold(model: LinearModel, questions: list[QuestionRows]) -> float:
    """The probability threshold that best tells answerable questions (whose best candidate is right)
    from unanswerable ones, each class counting half (balanced accuracy)."""
    answer, refuse = [], []
    for q in questions:
        if q.listing or q.widened:
            continue
        for ask in q.asks[:1]:  # the first thing asked decides whether anything is answered
            if not ask:
                continue
            probs = model.probabilities([f for f, _ in ask])
            best = int(np.argmax(model.logits([f for f, _ in ask])))
            if ruled_out(ask[best][0]):
                continue
            if q.answerable and ask[best][1]:
                answer.append(float(probs[best]))
            elif not q.answerable:
                refuse.append(float(probs[best]))
    if not answer or not refuse:
        return 0.5

    def balanced(t: float) -> float:
        return (np.mean([p >= t for p in answer]) + np.mean([p < t for p in refuse])) / 2

    return max(THRESHOLD_GRID, key=lambda t: (balanced(t), -abs(t - 0.5)))


def fit_acceptance(ranker: LinearModel, questions: list[QuestionRows]) -> LinearModel:
    """Whether a top-ranked candidate answers: fitted on each ask's best ACCEPT_TOP candidates, and for a
    question about several reports each report's best one (right when the candidate is and its question is
    answerable)."""
    rows, labels = [], []
    for q in questions:
        if q.listing or q.widened:
            continue
        for ask, reports in zip(q.asks, q.reports or [[]] * len(q.asks)):
            if not ask:
                continue
            scores = ranker.logits([f for f, _ in ask])
            chosen = list(np.argsort(-scores)[:ACCEPT_TOP])
            if q.several:  # each report's best candidate, as a many-report answer judges them
                best: dict[str, int] = {}
                for i in np.argsort(-scores):
                    best.setdefault(reports[i], int(i))
                chosen = list(dict.fromkeys([*chosen, *best.values()]))
            for i in chosen:
                if ruled_out(ask[i][0]):
                    continue  # refused whatever its score: nothing to learn from it
                rows.append(ask[i][0])
                labels.append(int(q.answerable and ask[i][1]))
    if len(set(labels)) < 2:  # nothing to tell apart: whatever holds more of the question answers
        return LinearModel(("words",), np.ones(1), -0.5)
    return fit_linear(rows, labels, ACCEPT_FEATURES, {}, ACCEPT_SIGNS)


def fit_models(questions: list[QuestionRows], passage_features: tuple[str, ...], sentence_features: tuple[str, ...],
               passage_signs: dict[str, int] | None = None, sentence_signs: dict[str, int] | None = None
               ) -> tuple[LinearModel, LinearModel]:
    """Both models fitted on the given questions' rows."""
    sets = sorted({q.set_name for q in questions})
    about = {"fitted_on": sets, "questions": len(questions), "fitted": dt.date.today().isoformat(),
             "how": "logistic regressions with sign constraints (scipy L-BFGS-B): pairwise on feature differences "
                    "(ranking), then on the best candidates' ranking score and coverage (accepting)"}
    passages = fit_pairwise([(q.passages, q.passage_labels) for q in questions], passage_features,
                            {**about, "rows": sum(len(q.passages) for q in questions)}, passage_signs)
    # A part's items all answer a listing question: they teach nothing about which sentence answers.
    groups = [([f for f, _ in ask], [y for _, y in ask]) for q in questions if not q.listing for ask in q.asks]
    sentences = fit_pairwise(groups, sentence_features, {**about, "rows": sum(len(rows) for rows, _ in groups)},
                             sentence_signs)
    sentences.accept = fit_acceptance(sentences, questions)
    sentences.threshold = fit_threshold(sentences, questions)
    return passages, sentences
