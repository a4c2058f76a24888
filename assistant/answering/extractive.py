"""The offline answerer: builds the answer from the reports' own sentences, each one cited.

It picks the sentences that hold the asked facts (weighted by how rare each question word is, with a
bonus for figures when the question asks 多少), trims them to the clauses that matter, and refuses
when the best evidence does not cover the question, rather than quoting something merely nearby.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model import ReportMeta
from ingest.text import normalise, numbers_in, split_sentences

from assistant.answering.answer import Answer, Citation
from assistant.store.lexical import LexicalIndex
from assistant.retrieval.query import QueryIntent
from assistant.answering.quotes import part_items, trim_to_clauses
from assistant.retrieval.hybrid import Passage, Retrieval
from assistant.retrieval.tokens import sub_words

# Share of the question's (idf-weighted) topic words the chosen evidence must contain, else refuse.
MIN_COVERAGE = 0.5
# A missing word whose sub-words all occur counts this much (行政复议申请 → 行政复议 + 申请).
SUB_WORD_CREDIT = 0.5
# Score added to a sentence holding a figure when the question asks for one.
FIGURE_BONUS = 0.3
# Score added for coming from a higher-ranked passage: RANK_PRIOR / (rank + 1).
RANK_PRIOR = 0.15
# A sentence after the first must score at least this share of the first and add at least this share
# of the question's weight; otherwise it is a side remark that only shares a stray word.
SECONDARY_MIN_SHARE = 0.7
MIN_GAIN_SHARE = 0.15
# Passages whose sentences are considered for a one-report answer.
SENTENCE_POOL_PASSAGES = 5
# Most reports listed in a many-report answer, and most items listed per report part.
MAX_REPORTS = 6
MAX_ITEMS = 8


@dataclass
class _Sentence:
    passage: Passage
    rank: int
    start: int
    end: int
    matched: frozenset[str]
    score: float


class ExtractiveAnswerer:
    def __init__(self, lexical: LexicalIndex, max_sentences: int = 4):
        self.lexical = lexical
        self.max_sentences = max_sentences

    def answer(self, retrieval: Retrieval, paragraphs_of=None) -> Answer:
        """`paragraphs_of(report name)` gives a report's paragraphs, for listing a whole part."""
        intent, scope = retrieval.intent, retrieval.scope
        if not scope.reports:
            names = "、".join(scope.missing) or "所问地区"
            return _refusal(intent, f"报告库中没有{names}的报告，无法回答。")
        if not retrieval.passages:
            return _refusal(intent, f"报告中未找到与“{_topic(intent)}”相关的内容。")
        if scope.year_relaxed:
            return self._near_hit(retrieval)
        if not intent.terms and not intent.part:
            return self._metadata_answer(retrieval, paragraphs_of)
        if intent.part and paragraphs_of is not None:
            listed = self._part_answer(retrieval, paragraphs_of)
            if listed:
                return listed
        if intent.multi:
            return self._many_reports_answer(retrieval)
        return self._fact_answer(retrieval)

    # --- the kinds of answer ---------------------------------------------------------------------
    def _fact_answer(self, retrieval: Retrieval) -> Answer:
        intent = retrieval.intent
        pool = self._sentences(retrieval.passages[:SENTENCE_POOL_PASSAGES], intent)
        chosen = self._greedy_cover(pool, intent)
        if not chosen or self._coverage(intent, chosen) < MIN_COVERAGE or (intent.numeric and not _has_figure(chosen)):
            return _refusal(intent, f"报告中未找到关于“{_topic(intent)}”的内容。")
        return _compose(intent, [(s.passage, s.start, s.end) for s in chosen], per_report_labels=False)

    def _many_reports_answer(self, retrieval: Retrieval) -> Answer:
        intent = retrieval.intent
        picks: list[tuple[Passage, int, int]] = []
        seen: set[str] = set()
        for passage in retrieval.passages:
            if passage.report.name in seen or len(seen) >= MAX_REPORTS:
                continue
            best = max(self._sentences([passage], intent), key=lambda s: s.score, default=None)
            if best and self._coverage(intent, [best]) >= MIN_COVERAGE:
                seen.add(passage.report.name)
                picks.append((passage, best.start, best.end))
        if not picks:
            return _refusal(intent, f"报告中未找到关于“{_topic(intent)}”的内容。")
        return _compose(intent, picks, per_report_labels=True)

    def _part_answer(self, retrieval: Retrieval, paragraphs_of) -> Answer | None:
        """List the items of the part asked about (存在问题 / 下一步) for each report concerned."""
        intent = retrieval.intent
        reports = _distinct_reports(retrieval.passages, MAX_REPORTS if intent.multi or not retrieval.scope.restricted else 1)
        picks: list[tuple[Passage, int, int]] = []
        for meta in reports:
            part_paragraphs = [p for p in paragraphs_of(meta.name) if p.part == intent.part]
            for paragraph, start, end in part_items(part_paragraphs)[:MAX_ITEMS]:
                picks.append((Passage(paragraph, meta, 0.0, (start, end)), start, end))
        if not picks:
            return None
        return _compose(intent, picks, per_report_labels=True)

    def _metadata_answer(self, retrieval: Retrieval, paragraphs_of) -> Answer:
        """'Which report / which place / which year': each report in scope, by its opening sentence."""
        picks = []
        for meta in retrieval.scope.reports[:MAX_REPORTS]:
            paragraphs = paragraphs_of(meta.name) if paragraphs_of else [p.paragraph for p in retrieval.passages if p.report.name == meta.name]
            if paragraphs:
                first = paragraphs[0]
                start, end = split_sentences(first.text)[0]
                start, end = trim_to_clauses(first.text, start, end, frozenset())
                picks.append((Passage(first, meta, 0.0, (start, end)), start, end))
        return _compose(retrieval.intent, picks, per_report_labels=True)

    def _near_hit(self, retrieval: Retrieval) -> Answer:
        intent = retrieval.intent
        years = "、".join(f"{y}年" for y in intent.years)
        place = "、".join(intent.regions) or "所问地区"
        fact = self._fact_answer(retrieval)
        if fact.refused or not fact.citations:
            return _refusal(intent, f"报告库中没有{place}{years}的报告。")
        first = fact.citations[0]
        text = (f"报告库中没有{place}{years}的报告，报告中未找到该年度的相关内容。"
                f"最接近的是{first.region or first.report}{first.year or ''}年的报告：{first.quote}[1]")
        return Answer(intent.question, text, "extractive", True, [first], notes=[f"{years}无匹配报告，已参照其他年份"])

    # --- sentence scoring ------------------------------------------------------------------------
    def _weights(self, intent: QueryIntent) -> dict[str, float]:
        return {t: self.lexical.idf(t) for t in intent.terms}

    def _matched(self, norm: str, weights: dict[str, float]) -> tuple[frozenset[str], float]:
        matched, credit = set(), 0.0
        for term, weight in weights.items():
            if term in norm:
                matched.add(term)
                credit += weight
            else:
                parts = sub_words(term)
                if parts and all(p in norm for p in parts):
                    credit += SUB_WORD_CREDIT * weight
        return frozenset(matched), credit

    def _sentences(self, passages: list[Passage], intent: QueryIntent) -> list[_Sentence]:
        weights = self._weights(intent)
        total = sum(weights.values()) or 1.0
        found = []
        for rank, passage in enumerate(passages):
            text = passage.paragraph.text
            for start, end in split_sentences(text):
                norm = normalise(text[start:end])
                if len(norm) < 4:
                    continue
                matched, credit = self._matched(norm, weights)
                score = credit / total + RANK_PRIOR / (rank + 1)
                if intent.numeric and numbers_in(text[start:end]):
                    score += FIGURE_BONUS
                found.append(_Sentence(passage, rank, start, end, matched, score))
        return found

    def _greedy_cover(self, pool: list[_Sentence], intent: QueryIntent) -> list[_Sentence]:
        """Best sentence first, then only sentences that add question words not yet covered."""
        chosen: list[_Sentence] = []
        covered: set[str] = set()
        weights = self._weights(intent)
        total = sum(weights.values()) or 1.0
        for sentence in sorted(pool, key=lambda s: -s.score):
            if len(chosen) >= self.max_sentences:
                break
            if chosen:
                gain = sum(weights[t] for t in sentence.matched - covered)
                if gain < MIN_GAIN_SHARE * total or sentence.score < SECONDARY_MIN_SHARE * chosen[0].score:
                    continue
                if intent.numeric and not numbers_in(sentence.passage.paragraph.text[sentence.start : sentence.end]):
                    continue
            chosen.append(sentence)
            covered |= sentence.matched
        for sentence in chosen:
            sentence.start, sentence.end = trim_to_clauses(sentence.passage.paragraph.text, sentence.start, sentence.end,
                                                 sentence.matched, intent.numeric)
        return chosen

    def _coverage(self, intent: QueryIntent, sentences: list[_Sentence]) -> float:
        weights = self._weights(intent)
        total = sum(weights.values())
        if total == 0:
            return 1.0
        text = normalise("".join(s.passage.paragraph.text[s.start : s.end] for s in sentences))
        return self._matched(text, weights)[1] / total


def _distinct_reports(passages: list[Passage], limit: int) -> list[ReportMeta]:
    seen: dict[str, ReportMeta] = {}
    for p in passages:
        if p.report.name not in seen and len(seen) < limit:
            seen[p.report.name] = p.report
    return list(seen.values())


def _has_figure(sentences: list[_Sentence]) -> bool:
    return any(numbers_in(s.passage.paragraph.text[s.start : s.end]) for s in sentences)


def _compose(intent: QueryIntent, picks: list[tuple[Passage, int, int]], per_report_labels: bool) -> Answer:
    """Answer text and citations from chosen (passage, start, end) quotes, one [n] per quote."""
    citations: list[Citation] = []
    lines: list[str] = []
    reports = list(dict.fromkeys(p.report.name for p, _, _ in picks))
    by_report: dict[str, list[str]] = {name: [] for name in reports}
    for passage, start, end in picks:
        n = len(citations) + 1
        citations.append(Citation.of(n, passage.report, passage.paragraph, start, end))
        quote = passage.paragraph.text[start:end].strip().rstrip("，,;；")
        by_report[passage.report.name].append(f"{quote}[{n}]")
    metas = {p.report.name: p.report for p, _, _ in picks}
    if len(reports) == 1 and not per_report_labels:
        lines.append(f"据{metas[reports[0]].heading_label()}报告：" + "".join(_end(s) for s in by_report[reports[0]]))
    else:
        for name in reports:
            items = by_report[name]
            if len(items) == 1:
                lines.append(f"- {metas[name].heading_label()}：{_end(items[0])}")
            else:
                lines.append(f"- {metas[name].heading_label()}：")
                lines.extend(f"  {i}. {_end(item)}" for i, item in enumerate(items, 1))
    return Answer(intent.question, "\n".join(lines), "extractive", False, citations)


def _end(quote_with_marker: str) -> str:
    """Make sure each quoted sentence reads as a sentence: 'xxx[1]' → 'xxx。[1]' when it lacks an end."""
    body, marker = quote_with_marker.rsplit("[", 1)
    body = body.rstrip("，,;；:： ")
    if not body.endswith(("。", "！", "？", "”")):
        body += "。"
    return f"{body}[{marker}"


def _topic(intent: QueryIntent) -> str:
    return "".join(intent.terms[:4]) or intent.question


def _refusal(intent: QueryIntent, text: str) -> Answer:
    return Answer(intent.question, text, "extractive", True, [])
