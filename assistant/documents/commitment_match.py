"""Was a commitment carried out? Its clauses set against each work sentence of the next year's report.

The next year's report rarely repeats the promise: 建立…工作站 comes back as 均已建成…工作站（室）, 综合查一次
as 跨部门联合检查. Texts are compared as weighted bags, with the library's own statistics:
- jieba words (assistant/language), each weighted by its idf over the library's chunks, and by how
  distinctive it is among the report's own commitments (加强, 推进, 政策 stand in many; 国防, 外资,
  立法联系点 in one): what a commitment is about is what sets it apart from the others;
- character bigrams (assistant/language/bigrams.py), weighted the same way: they survive jieba splitting
  two wordings differently (联合检查 | 联合 检查);
- where the store has vectors, the e5 similarity of the commitment (as a query) to the sentence's chunk.
Place names (the report's own region and its forms) and figures are left out: every sentence of a
report names its place, and a figure is what changes from year to year.

A commitment is cut into its clauses (units: 实施基础研究十年规划 | 加强长期稳定支持 | …), and each unit's
best cover by one work sentence is measured (the share of its words and bigrams the sentence holds): a
long 政府工作报告 paragraph is judged by how many of its actions come back, a short item by its one or two.
Sentences that report no work (no verb of action, no figure: 向…表示诚挚感谢) cover nothing.

How literally the next report repeats its plans varies from one pair of reports to another (a review of
five years echoes every heading; a short review of one year paraphrases), so each commitment's covers are
also read against the median of its own report's commitments (`in_context`): what is judged is how a
commitment fares beside its siblings as well as how much of it comes back.

Two fitted models (`eval --commitments`, on the tuning half of hand-labelled pairs; fitted/commitments.json):
`pairs` gives each sentence a probability of carrying the commitment out (those at or above its threshold
are shown as evidence); `status` reads the commitment's covers (commitment_features) as one score, and its
two fitted thresholds cut it into 未见报告, 部分 and 已见成效.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ingest.model import ReportMeta

from assistant.answering.quotes import fact_figures, strip_outline_number
from assistant.documents.evidence import Item, Span
from assistant.documents.vocabulary import action_words
from assistant.language.bigrams import bigrams
from assistant.language.stopwords import is_stopword
from assistant.language.tokens import tokenize
from assistant.retrieval.linear import FITTED_DIR, LinearModel

MODEL_FILE = FITTED_DIR / "commitments.json"
DONE, PARTLY, NOT_SEEN = "已见成效", "部分", "未见报告"
STATUSES = (DONE, PARTLY, NOT_SEEN)
_DIGIT_RE = re.compile(r"\d")
# A commitment's clauses: cut at these marks; a clause shorter than this says nothing on its own.
_CLAUSE_RE = re.compile(r"[，,；;。！？!?：:\n]")
MIN_UNIT_CHARS = 4
# What a word every commitment of the report uses still weighs, against one commitment's own word.
DISTINCT_FLOOR = 0.1
# The idf of the words a sentence shares with a commitment counts up to this many maximally rare words.
MAX_SHARED = 4.0
# A commitment's size is read on a log scale: log(1 + its words' weight) / this.
SIZE_SCALE = 8.0
# The units whose covers are averaged as the best ones.
TOP_UNITS = 3


@dataclass(frozen=True)
class Bag:
    """The weighted words and character bigrams of a text."""

    words: dict[str, float]
    pairs: dict[str, float]

    @property
    def weight(self) -> float:
        return sum(self.words.values())

    def weighted(self, word_weights: dict[str, float], pair_weights: dict[str, float]) -> "Bag":
        return Bag({w: v * word_weights.get(w, 1.0) for w, v in self.words.items()},
                   {p: v * pair_weights.get(p, 1.0) for p, v in self.pairs.items()})


def _share(mine: dict[str, float], theirs) -> float:
    total = sum(mine.values())
    return sum(w for k, w in mine.items() if k in theirs) / total if total else 0.0


def cover(mine: Bag, theirs: Bag) -> float:
    """The share of a bag's weight (words and bigrams, the mean of the two) that another bag holds."""
    return (_share(mine.words, theirs.words) + _share(mine.pairs, theirs.pairs)) / 2


class Weigher:
    """Turns texts into bags weighted by the library's idf (lexical index), without place names."""

    def __init__(self, lexical, meta: ReportMeta):
        self.idf = lexical.idf
        self.bigram_idf = lexical.bigram_idf
        self.scale = max(lexical.idf("\u0000"), 1.0)  # the idf of a word no chunk holds: the highest
        names = {meta.region, meta.city, meta.province, *meta.aliases}
        self.names = sorted((n for n in names if n), key=len, reverse=True)

    def _plain(self, text: str) -> str:
        for name in self.names:
            text = text.replace(name, " ")
        return text

    def bag(self, text: str) -> Bag:
        plain = self._plain(text)
        words = {w: self.idf(w) for w in tokenize(plain) if len(w) >= 2 and not _DIGIT_RE.search(w) and not is_stopword(w)}
        pairs = {p: self.bigram_idf(p) for p in set(bigrams(plain)) if not _DIGIT_RE.search(p)}
        return Bag(words, pairs)


@dataclass(frozen=True)
class Promise:
    """A commitment as bags: its whole text, its head, and each of its clauses."""

    item: Item
    whole: Bag
    head: Bag
    units: tuple[Bag, ...]


def units_of(item: Item) -> list[str]:
    """The commitment's clauses (head and explanation), without outline numbers."""
    return [u.strip() for u in _CLAUSE_RE.split(strip_outline_number(item.context)) if len(u.strip()) >= MIN_UNIT_CHARS]


def promises(weigher: Weigher, items: list[Item]) -> list[Promise]:
    """The commitments' bags, each word weighted by its idf and by how distinctive it is among the report's
    own commitments."""
    wholes = [weigher.bag(item.context) for item in items]
    n = len(items)
    words = Counter(w for b in wholes for w in b.words)
    pairs = Counter(p for b in wholes for p in b.pairs)
    word_weights = {w: _spread(n, df) for w, df in words.items()}
    pair_weights = {p: _spread(n, df) for p, df in pairs.items()}

    def distinct(bag: Bag) -> Bag:
        return bag.weighted(word_weights, pair_weights)

    return [Promise(item, distinct(whole), distinct(weigher.bag(item.head.text)),
                    tuple(u for u in (distinct(weigher.bag(t)) for t in units_of(item)) if u.words or u.pairs))
            for item, whole in zip(items, wholes)]


def _spread(n: int, df: int) -> float:
    """How distinctive a word held by `df` of `n` commitments is: 1 for one commitment's own word, falling to
    a floor for a word every commitment uses (a report of one commitment keeps every word whole)."""
    if n <= 1:
        return 1.0
    return max(math.log((n + 1) / (df + 1)) / math.log((n + 1) / 2), DISTINCT_FLOOR)


def reports_work(span: Span) -> bool:
    """Whether a sentence says something was done: a verb of action or a figure (向…表示诚挚感谢 says none)."""
    _, verbs = action_words()
    return any(verb in span.text for verb in verbs) or bool(fact_figures(span.text))


def pair_features(p: Promise, said: Bag, dense: float | None, scale: float) -> dict[str, float]:
    """What one sentence shares with one commitment: the shares of the commitment's (and its head's)
    words and bigrams the sentence holds, the shares of the sentence's that the commitment holds, its
    best-covered clause, the rarest and the sum of the shared words' idf; `dense`, the e5 similarity of
    the sentence's chunk (min-max scaled over the next report's chunks for this commitment)."""
    shared = [w for w in p.whole.words if w in said.words]
    features = {
        "words": _share(p.whole.words, said.words),
        "words_head": _share(p.head.words, said.words),
        "words_said": _share(said.words, p.whole.words),
        "pairs": _share(p.whole.pairs, said.pairs),
        "pairs_head": _share(p.head.pairs, said.pairs),
        "pairs_said": _share(said.pairs, p.whole.pairs),
        "unit": max((cover(u, said) for u in p.units), default=0.0),
        "rarest": max((p.whole.words[w] for w in shared), default=0.0) / scale,
        "shared": min(sum(p.whole.words[w] for w in shared) / scale, MAX_SHARED),
    }
    if dense is not None:
        features["dense"] = dense
    return features


def commitment_features(p: Promise, bags: list[Bag], working: list[bool], dense: list[float] | None) -> dict[str, float]:
    """What the next report as a whole says of one commitment, from the sentences that report work: each
    clause's best cover by one sentence (the best clause, the mean over clauses, the mean of the best
    three), how much of the whole commitment the work part holds anywhere (国防 nowhere in a year's
    review: not reported), how long the commitment is, and the e5 similarity at its best sentence."""
    said = [b for b, w in zip(bags, working) if w]
    units = p.units or (p.whole,)
    covers = np.array([max((cover(u, b) for b in said), default=0.0) for u in units])
    best_sentence = max(range(len(bags)), key=lambda j: cover(p.whole, bags[j]) if working[j] else -1.0, default=None)
    features = {
        "unit_best": float(covers.max()),
        "unit_mean": float(covers.mean()),
        "unit_top": float(np.sort(covers)[-TOP_UNITS:].mean()),
        "anywhere": _cover_all(p.whole, said),
        "size": math.log1p(p.whole.weight) / SIZE_SCALE,
    }
    if dense is not None:
        features["dense"] = dense[best_sentence] if best_sentence is not None else 0.0
    return features


# The covers read against the median of the report's commitments (name + "_rel").
IN_CONTEXT = ("unit_best", "unit_top", "unit_mean", "anywhere", "dense")


def in_context(summaries: list[dict[str, float]], cap: float) -> list[dict[str, float]]:
    """Each commitment's summary with its covers divided by the median of all the report's commitments
    (capped at `cap`): a commitment covered half as well as its siblings stands out in any pair of reports."""
    medians = {k: float(np.median([s[k] for s in summaries])) for k in IN_CONTEXT if summaries and k in summaries[0]}
    return [{**s, **{f"{k}_rel": min(s[k] / m, cap) if m > 0 else 1.0 for k, m in medians.items()}} for s in summaries]


def _cover_all(mine: Bag, bags: list[Bag]) -> float:
    if not bags:
        return 0.0
    return cover(mine, Bag({w: 1.0 for b in bags for w in b.words}, {p: 1.0 for b in bags for p in b.pairs}))


@dataclass(frozen=True)
class Decision:
    """The fitted models (kept in data/commitment_model.json): `pairs` gives each sentence's probability
    of carrying a commitment out (at or above its threshold: shown as evidence); `status` a commitment's
    score of being carried out, below its threshold 未见报告, at or above `done` 已见成效, between 部分."""

    pairs: LinearModel
    status_model: LinearModel
    done: float

    def score(self, features: dict[str, float]) -> float:
        return float(self.status_model.probabilities([features])[0])

    def status(self, features: dict[str, float]) -> str:
        score = self.score(features)
        if score < self.status_model.threshold:
            return NOT_SEEN
        return DONE if score >= self.done else PARTLY

    def to_dict(self) -> dict:
        return {"pairs": self.pairs.to_dict(), "status": self.status_model.to_dict(), "done": round(self.done, 4)}

    @classmethod
    def from_dict(cls, data: dict) -> "Decision":
        return cls(LinearModel.from_dict(data["pairs"]), LinearModel.from_dict(data["status"]), float(data["done"]))


@lru_cache(maxsize=1)
def fitted() -> dict[str, Decision]:
    """The fitted decisions: 'hybrid' (with e5 similarity) and 'lexical' (a store without vectors)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return {kind: Decision.from_dict(data[kind]) for kind in ("hybrid", "lexical")}


def dense_scores(store, item_texts: list[str], report: str) -> list[dict[str, float]] | None:
    """For each commitment text, the e5 similarity of every chunk of `report`, min-max scaled over the
    report's chunks (e5 similarities crowd into a narrow band: 0.83–0.90). None without vectors."""
    if store.vectors is None or store.embedding is None or not item_texts:
        return None
    chunks = len(store.library.chunks_of(report))
    vectors = store.embedding.queries(item_texts)
    return [_scaled(dict(store.vectors.query(vector, chunks, [report]))) for vector in vectors]


def _scaled(similarities: dict[str, float]) -> dict[str, float]:
    if not similarities:
        return {}
    low, high = min(similarities.values()), max(similarities.values())
    return {k: (v - low) / (high - low) if high > low else 0.0 for k, v in similarities.items()}


def chunk_of(span: Span, chunks) -> str | None:
    """The chunk holding a sentence (chunks are cut at sentence ends, so one holds it whole or most of it)."""
    best, overlap = None, 0
    for chunk in chunks:
        if chunk.paragraph_id == span.paragraph.id:
            inside = min(chunk.end, span.end) - max(chunk.start, span.start)
            if inside > overlap:
                best, overlap = chunk.id, inside
    return best
