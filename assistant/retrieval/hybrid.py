"""Hybrid retrieval: BM25 over jieba words, BM25 over character bigrams and dense e5 search over chunks,
ranked by a fitted model over named features (fitted/passages.json), lifted to whole paragraphs.

Passages returned are paragraphs (what users cite), each with the span of its best-matching chunk.
A question about several reports ("哪些地区…") is searched report by report: every report's own best
passages compete, so a report holding the fact is never crowded out by another report's many hits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ingest.model import Paragraph, Part, ReportMeta
from ingest.structure import opening_paragraph
from ingest.text import has_figure, normalise, replace_years, split_sentences

from assistant.retrieval.linear import FITTED_DIR, LinearModel
from assistant.retrieval.question import Question, Term, parse
from assistant.retrieval.scope import Scope, asks_each_report, scope_for, wanted_part
from assistant.retrieval.vocabulary import action_verbs
from assistant.store.report_store import ReportStore

PASSAGE_MODEL = FITTED_DIR / "passages.json"
PASSAGE_FEATURES = (
    "words",  # BM25 over the question's words, against the best chunk's
    "bigrams",  # BM25 over the question's character bigrams, against the best chunk's
    "dense",  # cosine similarity of the chunk's vector to the question's (0 without vectors)
    "dense_rel",  # that similarity min-max scaled among the chunks the vectors returned
    "part",  # the paragraph is in the part the question asks for, or that its time points to (去年: work)
    "part_other",  # a part is asked or pointed to, and the paragraph is in another one
    "other_part",  # no part is asked and the paragraph is a problems or next-steps one
    "place",  # the report is of a place the question names (a region marked 待确认 is not narrowed to)
    "subject",  # the chunk holds the question's subject (its rarest word the library knows)
    "phrase",  # the chunk holds a phrase the question quotes
)
# Which way each feature can only push a passage (see answering/candidates.py's SIGNS).
PASSAGE_SIGNS = {"words": 1, "bigrams": 1, "dense": 1, "dense_rel": 1, "part": 1, "part_other": -1, "place": 1,
                 "subject": 1, "phrase": 1}


@dataclass
class Passage:
    paragraph: Paragraph
    report: ReportMeta
    score: float
    chunk_span: tuple[int, int]
    lexical_rank: int | None = None
    dense_rank: int | None = None
    dense_score: float | None = None
    features: dict[str, float] = field(default_factory=dict, repr=False)  # of its best chunk


@dataclass
class Retrieval:
    question: Question
    scope: Scope
    passages: list[Passage]
    timings_ms: dict[str, float] = field(default_factory=dict)
    ranked: list[Passage] = field(default_factory=list, repr=False)  # every passage scored, best first (eval fits on them)


_models: dict[str, LinearModel] = {}


def passage_model() -> LinearModel:
    if "passages" not in _models:
        _models["passages"] = LinearModel.load(PASSAGE_MODEL)
    return _models["passages"]


def retrieve(store: ReportStore, text: str, top_k: int | None = None, reports: list[str] | None = None,
             model: LinearModel | None = None) -> Retrieval:
    """The top passages for question `text`; `reports` (file names) restricts the search, as the UI filter does."""
    settings = store.settings.retrieval
    top_k = top_k or settings.top_k
    started = time.perf_counter()
    metas = store.reports()
    if reports is not None:
        metas = [m for m in metas if m.name in reports]
    lexical = store.lexical()  # first: it brings the library's own dictionary the question is split with
    question = parse(text, metas)
    scope = scope_for(question, metas)
    if asks_each_report(question, scope):
        question.multi = scope.each_report = True
    if not scope.reports:
        return Retrieval(question, scope, [], {"retrieval": elapsed_ms(started)})
    if question.about_reports:
        return Retrieval(question, scope, _openings(store, scope.reports)[:top_k], {"retrieval": elapsed_ms(started)})
    names = [r.name for r in scope.reports] if (scope.restricted or reports is not None) else None
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    by_report = lexical.reports if question.multi else None
    lex_scores = lexical.scores(lexical_query(question), names)
    per_report = _subject_first(lex_scores, lexical, question, names) if question.multi else None
    lex_hits = _hits(lexical, lex_scores, _top_chunks(lex_scores, by_report, settings, per_report))
    pair_scores = lexical.bigram_scores(bigram_query(question), names)
    pair_hits = _hits(lexical, pair_scores, _top_chunks(pair_scores, by_report, settings))
    timings["lexical"] = elapsed_ms(t0)

    dense_hits: list[tuple[str, float]] = []
    if store.vectors is not None and store.embedding is not None:
        t0 = time.perf_counter()
        embedding = store.embedding.get_query_embedding(dense_query(question, scope))
        dense_hits = store.vectors.query(embedding, settings.candidates, names)
        timings["dense"] = elapsed_ms(t0)

    t0 = time.perf_counter()
    chunk_features = _chunk_features(store, question, lexical, lex_hits, pair_hits, dense_hits, lex_scores, pair_scores)
    passages = _to_passages(store, chunk_features, {r.name: r for r in scope.reports}, question,
                            [cid for cid, _ in lex_hits], dict(dense_hits), model or passage_model())
    if question.part is not None and not question.terms and scope.restricted and len(scope.reports) <= settings.listed_reports:
        passages = _part_first(store, passages, scope.reports, question)
    elif question.multi and len({p.report.name for p in passages}) > 1:
        passages = _interleave_reports(passages, question, _subject(question, lexical))
    timings["fusion"] = elapsed_ms(t0)
    timings["retrieval"] = elapsed_ms(started)
    return Retrieval(question, scope, passages[: max(top_k, len(scope.reports)) if question.multi else top_k], timings,
                     passages)


def lexical_query(question: Question) -> str:
    """What BM25 searches for: the question's topic words in every form a report may print them."""
    words = [form for term in question.terms for form in (*term.forms, *term.parts)]
    return " ".join(dict.fromkeys(words)) or question.text


def bigram_query(question: Question) -> list[str]:
    """The character bigrams of every ask's content, each once."""
    return list(dict.fromkeys(pair for ask in question.asks for pair in ask.bigrams))


def _hits(lexical, scores: np.ndarray, indices: list[int]) -> list[tuple[str, float]]:
    return [(lexical.chunk_ids[i], float(scores[i])) for i in indices]


def dense_query(question: Question, scope: Scope) -> str:
    """The question as the embedding model sees it: its own words, plus the reports' words for everyday ones.

    Region names and years that already narrowed the scope are taken out: every passage in scope
    carries them, so they would only pull toward paragraphs that repeat the name or the year.
    """
    text = question.text
    official = [t.word for t in question.terms if t.word not in text]
    if official:
        text += " " + " ".join(official)
    if scope.restricted:
        for region in question.regions:
            text = text.replace(region, " ")
        text = replace_years(text, " ")
    return text if text.strip() else question.text


def _top_chunks(scores: np.ndarray, reports: np.ndarray | None, settings,
                per_report: np.ndarray | None = None) -> list[int]:
    """The best chunks overall; with `reports`, also each report's own best few (a many-report question),
    chosen by `per_report` (by default the scores themselves)."""
    order = [int(i) for i in np.argsort(-scores)[: settings.candidates] if scores[i] > 0]
    if reports is None or not len(scores):
        return order
    key = scores if per_report is None else per_report
    chosen = dict.fromkeys(order)
    for report in np.unique(reports[key > 0]):
        indices = np.flatnonzero((reports == report) & (key > 0))
        best = indices[np.argsort(-key[indices])[: settings.chunks_per_report]]
        chosen.update(dict.fromkeys(int(i) for i in best))
    return list(chosen)


def _subject_first(scores: np.ndarray, lexical, question: Question, names: list[str] | None) -> np.ndarray:
    """Scores that put, within each report, the chunks holding the question's subject (or quoted phrase)
    before all others: which reports mention X is decided by X, not by the other words around it."""
    subject = _subject(question, lexical) or next((t for t in question.terms if t.word in question.phrases), None)
    if subject is None or not len(scores):
        return scores
    holds = lexical.scores(" ".join(subject.forms), names) > 0
    return scores + holds * (float(scores.max()) + 1.0)


def _chunk_features(store: ReportStore, question: Question, lexical, lex_hits, pair_hits, dense_hits,
                    lex_scores: np.ndarray, pair_scores: np.ndarray) -> dict[str, dict[str, float]]:
    """Every chunk any index returned, with its features (PASSAGE_FEATURES; the paragraph's own are added
    when it is lifted to a passage)."""
    index = {cid: i for i, cid in enumerate(lexical.chunk_ids)}
    top_words = max((v for _, v in lex_hits), default=0.0) or 1.0
    top_pairs = max((v for _, v in pair_hits), default=0.0) or 1.0
    dense = dict(dense_hits)
    low, high = (min(dense.values()), max(dense.values())) if dense else (0.0, 0.0)
    subject = _subject(question, lexical)
    features: dict[str, dict[str, float]] = {}
    ids = list(dict.fromkeys([cid for cid, _ in lex_hits] + [cid for cid, _ in pair_hits] + [cid for cid, _ in dense_hits]))
    texts = store.library.chunk_texts(ids) if (subject or question.phrases) else {}
    for cid in ids:
        i = index.get(cid)
        norm = normalise(texts.get(cid, "")).lower()
        features[cid] = {
            "words": float(lex_scores[i]) / top_words if i is not None and len(lex_scores) else 0.0,
            "bigrams": float(pair_scores[i]) / top_pairs if i is not None and len(pair_scores) else 0.0,
            "dense": dense.get(cid, 0.0),
            "dense_rel": (dense[cid] - low) / (high - low) if cid in dense and high > low else float(cid in dense),
            "subject": float(bool(subject) and subject.found_in(norm)),
            "phrase": float(any(p.lower() in norm for p in question.phrases)),
        }
    return features


def _subject(question: Question, lexical) -> Term | None:
    """What the question is about: its quoted phrase, else the rarest of its words that the library holds
    (when it has two or more such words), not counting generic acts (列为, 研究部署: the topic of
    哪些地方把行政复议体制改革列为重点 is the reform, however rarely reports say 列为)."""
    quoted = next((t for t in question.terms if t.word in question.phrases), None)
    if quoted is not None:
        return quoted
    acts = action_verbs()
    known = [t for t in question.terms if t.word not in acts and any(lexical.holds(f) for f in t.forms)]
    if len(known) < 2:
        return None
    return max(known, key=lambda t: min(lexical.idf(f) for f in t.forms))


def _openings(store: ReportStore, reports: list[ReportMeta]) -> list[Passage]:
    """For a question about the reports themselves: each one's opening paragraph (it names the region
    and year in most reports)."""
    passages = []
    for meta in reports:
        opening = opening_paragraph(store.library.paragraphs(meta.name))
        if opening is not None:
            passages.append(Passage(opening, meta, 1.0, (0, len(opening.text))))
    return passages


def _part_first(store: ReportStore, passages: list[Passage], reports: list[ReportMeta], question: Question) -> list[Passage]:
    """The asked part of the named reports, in the report's own order, then everything else."""
    scored = {p.paragraph.id: p for p in passages}
    listed = [scored.get(paragraph.id) or Passage(paragraph, meta, 0.0, (0, len(paragraph.text)))
              for meta in reports for paragraph in store.library.paragraphs(meta.name) if paragraph.part == question.part]
    ids = {p.paragraph.id for p in listed}
    return listed + [p for p in passages if p.paragraph.id not in ids]


def _to_passages(store: ReportStore, chunks: dict[str, dict[str, float]], reports: dict[str, ReportMeta],
                 question: Question, lexical: list[str], dense: dict[str, float], model: LinearModel) -> list[Passage]:
    """Score every chunk with the passage model and lift it to its paragraph (which scores as its best chunk)."""
    paragraph_ids = {cid: cid.rsplit(".c", 1)[0] for cid in chunks}
    paragraphs = store.library.paragraphs_by_id(sorted(set(paragraph_ids.values())))
    spans = store.library.chunk_spans(list(chunks))
    lex_rank = {cid: i + 1 for i, cid in enumerate(lexical)}
    dense_rank = {cid: i + 1 for i, cid in enumerate(dense)}
    rows, kept = [], []
    for cid, features in chunks.items():
        paragraph = paragraphs.get(paragraph_ids[cid])
        report = reports.get(cid.split("#", 1)[0])
        if paragraph is None or report is None:
            continue  # a chunk of a report being rewritten right now
        wanted = wanted_part(question, report)
        features.update({
            "part": float(wanted is not None and paragraph.part == wanted),
            "part_other": float(wanted is not None and paragraph.part not in (wanted, Part.PREAMBLE)),
            "other_part": float(question.part is None and paragraph.part in (Part.NEXT, Part.PROBLEMS)),
            "place": float(bool(question.regions) and (report.region or report.name) in question.regions),
        })
        rows.append(features)
        kept.append((cid, paragraph, report))
    best: dict[str, Passage] = {}
    for (cid, paragraph, report), score, features in zip(kept, model.logits(rows), rows):
        current = best.get(paragraph.id)
        if current is None or score > current.score:
            best[paragraph.id] = Passage(paragraph, report, float(score), spans.get(cid, (0, len(paragraph.text))),
                                         lex_rank.get(cid), dense_rank.get(cid), dense.get(cid), features)
    return sorted(best.values(), key=lambda p: -p.score)


def _interleave_reports(passages: list[Passage], question: Question, subject: Term | None) -> list[Passage]:
    """Round-robin over the reports, so that each report's best passage comes early.

    Within a report, a passage holding the question's quoted phrases, then its subject, leads; then the
    retrieval score decides, and a question about what was done (no part asked) puts work done before
    plans and problems. Reports whose lead holds the phrases and subject come first, and every passage
    holding them comes before any that holds none: a report's second mention of X answers "which reports
    did X" better than another report's passage without X.
    """
    by_report: dict[str, list[Passage]] = {}
    for passage in passages:
        by_report.setdefault(passage.report.name, []).append(passage)
    later = {Part.NEXT, Part.PROBLEMS} if question.part is None else set()
    held = {p.paragraph.id: _key_words_held(p, question, subject) for p in passages}
    groups = [sorted(group, key=lambda p: (-held[p.paragraph.id], p.paragraph.part in later, -p.score))
              for group in by_report.values()]
    groups.sort(key=lambda g: (-held[g[0].paragraph.id], -g[0].score))
    holding = [[p for p in g if held[p.paragraph.id]] for g in groups]
    others = [[p for p in g if not held[p.paragraph.id]] for g in groups]
    return _round_robin(holding) + _round_robin(others)


def _round_robin(groups: list[list[Passage]]) -> list[Passage]:
    ordered: list[Passage] = []
    for round_ in range(max((len(g) for g in groups), default=0)):
        ordered.extend(g[round_] for g in groups if round_ < len(g))
    return ordered


def _key_words_held(passage: Passage, question: Question, subject: Term | None) -> int:
    """2 for each quoted phrase and 1 for the subject that the passage holds, and 1 more when a figure
    is asked and a sentence holding the subject states one in the asked unit (出庭应诉率98.6%)."""
    norm = normalise(passage.paragraph.text).lower()
    held = 2 * sum(p.lower() in norm for p in question.phrases)
    if not subject or not subject.found_in(norm):
        return held
    units = tuple(u for ask in question.asks for u in ask.units)
    text = passage.paragraph.text
    figure = units and any(subject.found_in(normalise(text[s:e]).lower()) and has_figure(text[s:e], units)
                           for s, e in split_sentences(text))
    return held + 1 + (1 if figure else 0)


def elapsed_ms(start: float) -> float:
    """Milliseconds since `start` (a perf_counter reading), as every timing the product reports."""
    return round((time.perf_counter() - start) * 1000, 1)
