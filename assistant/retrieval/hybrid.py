"""Hybrid retrieval: jieba BM25 and dense e5 search over chunks, fused, lifted to whole paragraphs.

Passages returned are paragraphs (what users cite), each with the span of its best-matching chunk.
Questions over several reports ("哪些地区…") are answered from every relevant report in turn rather
than from the top chunks of whichever report happens to score highest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ingest.model import Paragraph, ReportMeta
from ingest.text import normalise, replace_years

from assistant.retrieval.query import QueryIntent, Scope, scope_for, understand
from assistant.store.report_store import ReportStore

# Extra score for a chunk holding, verbatim, a phrase the question puts in quotes (“法律明白人”).
QUOTED_PHRASE_BONUS = 0.5
# Score multiplier for chunks in the part the question asks about (problems, next steps).
PART_BOOST = 1.5
# In a many-report question without a telling key word, a report counts as relevant when its best
# passage scores at least this share of the best report's best passage.
MULTI_REPORT_MIN_SHARE = 0.35
# A question about a part (存在问题 / 下一步) of at most this many named reports lists that whole part.
MAX_LISTED_REPORTS = 2


@dataclass
class Passage:
    paragraph: Paragraph
    report: ReportMeta
    score: float
    chunk_span: tuple[int, int]
    lexical_rank: int | None = None
    dense_rank: int | None = None


@dataclass
class Retrieval:
    intent: QueryIntent
    scope: Scope
    passages: list[Passage]
    timings_ms: dict[str, float] = field(default_factory=dict)


def retrieve(store: ReportStore, question: str, top_k: int | None = None, reports: list[str] | None = None) -> Retrieval:
    """The top passages for `question`; `reports` (file names) restricts the search, as the UI filter does."""
    settings = store.settings
    top_k = top_k or settings.top_k
    started = time.perf_counter()
    all_reports = store.reports()
    if reports is not None:
        all_reports = [r for r in all_reports if r.name in reports]
    intent = understand(question, all_reports)
    scope = scope_for(intent, all_reports)
    timings: dict[str, float] = {}
    if not scope.reports:
        return Retrieval(intent, scope, [], timings)
    if not intent.terms and intent.part is None and scope.restricted:
        return Retrieval(intent, scope, _openings(store, scope.reports)[:top_k], {"retrieval": elapsed_ms(started)})
    names = [r.name for r in scope.reports] if (scope.restricted or reports is not None) else None
    query_text = _query_text(intent, scope)

    t0 = time.perf_counter()
    lexical = store.lexical()
    lex_scores = lexical.scores(query_text, names)
    lex_top = [i for i in np.argsort(-lex_scores)[: settings.candidates] if lex_scores[i] > 0]
    lex_hits = [(lexical.chunk_ids[i], float(lex_scores[i])) for i in lex_top]
    timings["lexical"] = elapsed_ms(t0)

    dense_hits: list[tuple[str, float]] = []
    if store.vectors is not None and store.embedding is not None:
        t0 = time.perf_counter()
        embedding = store.embedding.get_query_embedding(query_text)
        dense_hits = store.vectors.query(embedding, settings.candidates, names)
        timings["dense"] = elapsed_ms(t0)

    t0 = time.perf_counter()
    fused = _fuse(lex_hits, dense_hits, settings.lexical_weight)
    _reward_quoted_phrases(store, fused, intent.phrases)
    lex_ranked = [cid for cid, _ in lex_hits]
    dense_ranked = [cid for cid, _ in dense_hits]
    passages = _to_passages(store, fused, {r.name: r for r in scope.reports}, intent, lex_ranked, dense_ranked)
    if intent.part is not None and scope.restricted and len(scope.reports) <= MAX_LISTED_REPORTS:
        passages = _part_first(store, passages, scope.reports, intent)
    elif intent.multi and len({p.report.name for p in passages}) > 1:
        passages = _interleave_reports(passages, _key_term(lexical, intent))
    timings["fusion"] = elapsed_ms(t0)
    timings["retrieval"] = elapsed_ms(started)
    return Retrieval(intent, scope, passages[:top_k], timings)


def _openings(store: ReportStore, reports: list[ReportMeta]) -> list[Passage]:
    """A question about the reports themselves (哪份报告、哪个地方): each one's opening paragraph,
    which names its region and year."""
    passages = []
    for meta in reports:
        paragraphs = store.library.paragraphs(meta.name)
        if paragraphs:
            first = paragraphs[0]
            passages.append(Passage(first, meta, 1.0, (0, len(first.text))))
    return passages


def _official_additions(intent: QueryIntent) -> str:
    """The reports' words for colloquial ones in the question (案子 → 案件), appended to the search text."""
    extra = [t for t in intent.terms if t not in intent.question]
    return (" " + " ".join(extra)) if extra else ""


def _query_text(intent: QueryIntent, scope: Scope) -> str:
    """The question as searched.

    Region names and years that already narrowed the scope are taken out: every passage in scope
    carries them, so they would only pull toward paragraphs that happen to repeat the name or year.
    A relaxed year is dropped for the same reason.
    """
    text = intent.question + _official_additions(intent)
    if not scope.restricted and not scope.year_relaxed:
        return text
    for region in intent.regions:
        text = text.replace(region, " ")
    text = replace_years(text, " ")
    return text if text.strip() else intent.question


def _fuse(lexical: list[tuple[str, float]], dense: list[tuple[str, float]], lexical_weight: float) -> dict[str, float]:
    """Convex combination of min-max normalised scores.

    Unlike rank fusion it keeps the margin: a chunk BM25 scores far above the rest stays on top even
    when the dense model missed it.
    """
    scores: dict[str, float] = {}
    weights = (lexical_weight, 1.0 - lexical_weight) if lexical and dense else (1.0, 1.0)
    for hits, weight in ((lexical, weights[0]), (dense, weights[1])):
        for cid, value in _min_max(hits):
            scores[cid] = scores.get(cid, 0.0) + weight * value
    return scores


def _min_max(hits: list[tuple[str, float]]) -> list[tuple[str, float]]:
    if not hits:
        return []
    values = [v for _, v in hits]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [(cid, 1.0) for cid, _ in hits]
    return [(cid, (v - low) / (high - low)) for cid, v in hits]


def _reward_quoted_phrases(store: ReportStore, fused: dict[str, float], phrases: list[str]) -> None:
    if not phrases or not fused:
        return
    texts = store.library.chunk_texts(list(fused))
    for cid, text in texts.items():
        norm = normalise(text)
        if any(p in norm for p in phrases):
            fused[cid] += QUOTED_PHRASE_BONUS


def _to_passages(
    store: ReportStore,
    fused: dict[str, float],
    reports: dict[str, ReportMeta],
    intent: QueryIntent,
    lexical: list[str],
    dense: list[str],
) -> list[Passage]:
    """Lift chunk scores to their paragraphs (a paragraph scores as its best chunk)."""
    paragraph_ids = {cid: cid.rsplit(".c", 1)[0] for cid in fused}
    paragraphs = store.library.paragraphs_by_id(sorted(set(paragraph_ids.values())))
    spans = store.library.chunk_spans(list(fused))
    lex_rank = {cid: i + 1 for i, cid in enumerate(lexical)}
    dense_rank = {cid: i + 1 for i, cid in enumerate(dense)}
    best: dict[str, Passage] = {}
    for cid, score in fused.items():
        paragraph = paragraphs.get(paragraph_ids[cid])
        report = reports.get(cid.split("#", 1)[0])
        if paragraph is None or report is None:
            continue  # a chunk of a report being rewritten right now
        if intent.part is not None and paragraph.part == intent.part:
            score *= PART_BOOST
        current = best.get(paragraph.id)
        if current is None or score > current.score:
            best[paragraph.id] = Passage(paragraph, report, score, spans.get(cid, (0, len(paragraph.text))),
                                         lex_rank.get(cid), dense_rank.get(cid))
    return sorted(best.values(), key=lambda p: -p.score)


def _key_term(lexical, intent) -> str | None:
    """The rarest question word that the library holds at all: what 'which reports mention X' is about."""
    present = [t for t in intent.terms if lexical.doc_freq.get(t.lower(), 0) > 0]
    return max(present, key=lexical.idf) if present else None


def _part_first(store: ReportStore, passages: list[Passage], reports: list[ReportMeta], intent) -> list[Passage]:
    """The asked part of the named reports, in the report's own order, then everything else."""
    listed: list[Passage] = []
    scored = {p.paragraph.id: p for p in passages}
    for meta in reports:
        for paragraph in store.library.paragraphs(meta.name):
            if paragraph.part == intent.part:
                listed.append(scored.get(paragraph.id) or Passage(paragraph, meta, 0.0, (0, len(paragraph.text))))
    ids = {p.paragraph.id for p in listed}
    return listed + [p for p in passages if p.paragraph.id not in ids]


def _interleave_reports(passages: list[Passage], key_term: str | None) -> list[Passage]:
    """Round-robin over the relevant reports, best report first, so each one's best passage comes early.

    A report is relevant when one of its passages holds the key term; without one, when its best
    passage scores near the best report's.
    """
    by_report: dict[str, list[Passage]] = {}
    for passage in passages:
        by_report.setdefault(passage.report.name, []).append(passage)
    top = passages[0].score
    key = normalise(key_term) if key_term else None

    def is_relevant(ps: list[Passage]) -> bool:
        if key:
            return any(key in normalise(p.paragraph.text) for p in ps)
        return ps[0].score >= MULTI_REPORT_MIN_SHARE * top

    relevant = [ps for ps in by_report.values() if is_relevant(ps)] or list(by_report.values())[:1]
    rest = [p for ps in by_report.values() if not any(ps is r for r in relevant) for p in ps]
    ordered: list[Passage] = []
    for round_ in range(max(len(ps) for ps in relevant)):
        ordered.extend(ps[round_] for ps in relevant if round_ < len(ps))
    return ordered + rest


def elapsed_ms(start: float) -> float:
    """Milliseconds since `start` (a perf_counter reading), as every timing the product reports."""
    return round((time.perf_counter() - start) * 1000, 1)
