"""Commitments kept: each year's next-steps items of one place, matched with what its next report did.

For each report of a series with plans (year N), its commitments (documents/commitments.py) are set
against the work sentences of the series' report of year N+1 (documents/commitment_match.py), and each
is marked 已见成效, 部分 or 未见报告, cited on both sides: the commitment in report N, the sentences that
carry it out in report N+1. A commitment not seen done shows the nearest sentence the next report has,
labelled as falling short, so the reader can check it. A report whose next year is not in the library
yet is named, with the year missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ingest.model import ReportMeta

from assistant.answering.answer import Citation, CitationNumbering
from assistant.answering.quotes import is_bare_heading
from assistant.documents.commitment_match import (DONE, NOT_SEEN, PARTLY, STATUSES, Weigher, chunk_of, commitment_features,
                                                  dense_scores, fitted, in_context, pair_features, promises, reports_work)
from assistant.documents.commitments import commitments, work_sentences
from assistant.documents.drafted import Drafted
from assistant.documents.evidence import renumber
from assistant.documents.series import Series, plan_year


@dataclass
class Outcome:
    """One commitment of year N and what the report of year N+1 says of it."""

    title: str  # the commitment's head, without its outline number
    text: str  # its whole text as printed (head and explanation)
    citation: Citation  # the commitment, in report N
    status: str  # 已见成效 | 部分 | 未见报告
    evidence: list[Citation] = field(default_factory=list)  # sentences of report N+1 carrying it out
    nearest: Citation | None = None  # for 未见报告: the closest sentence report N+1 has, short of the mark
    score: float = 0.0  # the fitted score of its being carried out (0–1)
    covered: float = 0.0  # the mean share of its clauses' words (and bigrams) one work sentence holds

    @property
    def citations(self) -> list[Citation]:
        return [self.citation, *self.evidence, *([self.nearest] if self.nearest else [])]

    @citations.setter
    def citations(self, value: list[Citation]) -> None:
        self.citation, rest = value[0], value[1:]
        self.evidence = rest[: len(self.evidence)]
        self.nearest = rest[len(self.evidence)] if self.nearest is not None else None

    def to_dict(self) -> dict:
        return {"title": self.title, "text": self.text, "status": self.status, "citation": self.citation.n,
                "evidence": [c.n for c in self.evidence], "nearest": self.nearest.n if self.nearest else None,
                "score": round(self.score, 3), "covered": round(self.covered, 3)}


@dataclass
class YearCheck:
    """The commitments of one report (its plans for `plan_year`) against the report of that year."""

    report: ReportMeta
    plan_year: int
    next_report: ReportMeta | None
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(o.status == s for o in self.outcomes) for s in STATUSES}

    @property
    def heading(self) -> str:
        """2021年报告的2022年安排 → 2022年报告 (the report of the year they are for)."""
        head = f"{self.report.year_text()}报告所列{self.plan_year}年安排"
        if self.next_report is None:
            return head
        return f"{head}（对照{self.next_report.year_text()}报告）"

    def summary(self) -> str:
        if self.next_report is None:
            return f"报告库中还没有{self.plan_year}年的报告，这些安排尚无从核对。"
        c = self.counts
        return (f"共 {len(self.outcomes)} 项：{DONE} {c[DONE]} 项，{PARTLY} {c[PARTLY]} 项，"
                f"{NOT_SEEN} {c[NOT_SEEN]} 项。")

    def to_dict(self) -> dict:
        return {"report": self.report.name, "year": self.report.year, "plan_year": self.plan_year,
                "next_report": self.next_report.name if self.next_report else None, "counts": self.counts,
                "summary": self.summary(), "outcomes": [o.to_dict() for o in self.outcomes]}


@dataclass
class Tracking(Drafted):
    series: Series
    rounds: list[YearCheck] = field(default_factory=list)  # one per report with plans, by year
    matching: str = "lexical"  # "hybrid" when e5 similarities were used

    @property
    def title(self) -> str:
        return f"{self.series.place}历年承诺落实情况"

    def outcomes(self) -> list[Outcome]:
        return [o for check in self.rounds for o in check.outcomes]

    def to_dict(self) -> dict:
        """The `track --json` document (schema in the README); never written by a model, so no checks."""
        data = {"title": self.title, "series": self.series.to_dict(), "matching": self.matching,
                "rounds": [c.to_dict() for c in self.rounds], **self.provenance()}
        data.pop("checks", None)
        return data


def track(store, series: Series, years: list[int] | None = None) -> Tracking:
    """The series' commitments, year by year (only the reports of `years` when given)."""
    numbering = CitationNumbering()
    result = Tracking(series=series)
    kinds = set()
    for report, later in series.pairs():
        if years and report.year not in years and plan_year(report) not in years:
            continue
        check = YearCheck(report, plan_year(report), later)
        if later is not None:
            check.outcomes, kind = _outcomes(store, report, later, numbering)
            kinds.add(kind)
        result.rounds.append(check)
    result.matching = "hybrid" if kinds == {"hybrid"} else "lexical"
    result.citations = renumber(result.outcomes())
    if not any(c.outcomes for c in result.rounds):
        result.notes.append(_nothing_to_check(series))
    if "lexical" in kinds and store.vectors is not None:
        result.notes.append("向量检索不可用，本次仅按词语匹配核对。")
    return result


def _nothing_to_check(series: Series) -> str:
    if len(series.reports) < 2:
        return f"报告库中{series.place}只有{series.years_text() or '一份'}的报告：需要相邻两年的报告才能核对承诺落实情况。"
    return f"{series.place}的报告年份（{series.years_text()}）不相邻，或前一年的报告没有“下一步”部分，无从核对。"


@dataclass
class Candidates:
    """Every (commitment, work sentence) pair of two reports, with its features."""

    items: list
    said: list
    promises: list
    bags: list
    working: list[bool]  # per work sentence: it reports work done (a verb of action or a figure)
    rows: list[list[dict[str, float]]]  # per commitment, one row per work sentence
    kind: str  # "hybrid" when the rows hold the e5 similarity


def candidates(store, report: ReportMeta, later: ReportMeta) -> Candidates:
    """The commitments of `report`, the work sentences of `later` and the features of every pair."""
    from assistant.store.vectors import VectorStoreUnavailable

    settings = store.settings.years
    items = commitments(report, store.library.paragraphs(report.name))
    said = work_sentences(later, store.library.paragraphs(later.name))
    weigher = Weigher(store.lexical(), report)
    bags_of = promises(weigher, items)
    bags = [weigher.bag(span.text) for span in said]
    try:
        # a commitment's head and first sentences say what it is: they are its query
        dense = dense_scores(store, [item.context[:settings.query_chars] for item in items], later.name)
    except VectorStoreUnavailable:
        dense = None
    chunks = store.library.chunks_of(later.name)
    chunk_ids = [chunk_of(span, chunks) for span in said]
    rows = [[pair_features(p, bag, dense[i].get(cid, 0.0) if dense else None, weigher.scale)
             for bag, cid in zip(bags, chunk_ids)] for i, p in enumerate(bags_of)]
    return Candidates(items, said, bags_of, bags, [reports_work(span) for span in said], rows,
                      "hybrid" if dense is not None else "lexical")


@dataclass
class Judgement:
    status: str
    evidence: list[int]  # indexes of the work sentences shown, most probable first
    probabilities: np.ndarray  # of every work sentence
    features: dict[str, float]


def judge(decision, found: Candidates, cap: float, rows: list[list[dict[str, float]]] | None = None) -> list[Judgement]:
    """Each commitment's status and evidence (`rows`: the features to use instead of found.rows, e.g.
    without the e5 similarity). A commitment seen done shows at least its most probable sentence."""
    rows = found.rows if rows is None else rows
    judged = []
    summaries = []
    for p, sentence_rows in zip(found.promises, rows):
        dense = [r["dense"] for r in sentence_rows] if sentence_rows and "dense" in sentence_rows[0] else None
        summaries.append(commitment_features(p, found.bags, found.working, dense))
    summaries = in_context(summaries, cap)
    for p, sentence_rows, features in zip(found.promises, rows, summaries):
        probs = decision.pairs.probabilities(sentence_rows) if sentence_rows else np.zeros(0)
        status = decision.status(features)
        order = [int(j) for j in np.argsort(-probs) if found.working[int(j)]]
        chosen = [] if status == NOT_SEEN else [j for j in order if probs[j] >= decision.pairs.threshold] or order[:1]
        judged.append(Judgement(status, chosen, probs, features))
    return judged


@dataclass
class Checked:
    """One commitment as judged, before it is cited: its item, status and the sentences of the next report."""

    item: object  # evidence.Item
    status: str
    evidence: list  # evidence.Span of the next report carrying it out, most probable first
    nearest: object | None  # for 未见报告: the closest sentence, short of the mark
    score: float
    covered: float


def checked(store, report: ReportMeta, later: ReportMeta) -> tuple[list[Checked], str]:
    """Every commitment of `report` judged against `later`'s work, and the kind of matching used."""
    found = candidates(store, report, later)
    decision = fitted()[found.kind]
    settings = store.settings.years
    result = []
    for item, judged in zip(found.items, judge(decision, found, settings.relative_cap)):
        nearest = None
        if judged.status == NOT_SEEN and len(judged.probabilities):
            order = [int(j) for j in np.argsort(-judged.probabilities)]
            nearest = found.said[next((j for j in order if not _heading(found.said[j])), order[0])]
        result.append(Checked(item, judged.status, [found.said[j] for j in _evidence(found, judged, settings)], nearest,
                              decision.score(judged.features), judged.features["unit_mean"]))
    return result, found.kind


def _outcomes(store, report: ReportMeta, later: ReportMeta, numbering: CitationNumbering) -> tuple[list[Outcome], str]:
    found, kind = checked(store, report, later)
    outcomes = [Outcome(c.item.title, c.item.context.strip(), _cite_item(c.item, numbering), c.status,
                        [span.cite(numbering) for span in c.evidence],
                        c.nearest.cite(numbering) if c.nearest is not None else None, c.score, c.covered)
                for c in found]
    return outcomes, kind


def _heading(span) -> bool:
    return is_bare_heading(span.paragraph, span.start, span.end)


def _evidence(found: Candidates, judged: Judgement, settings) -> list[int]:
    """The sentences shown as carrying a commitment out: the most probable, and those nearly as probable
    (settings.years.evidence_ratio), at most settings.years.evidence_sentences; a bare heading (（二）推进
    立法联系和民主参与) only when no sentence of substance is chosen."""
    if not judged.evidence:
        return []
    best = judged.probabilities[judged.evidence[0]]
    close = [j for j in judged.evidence if judged.probabilities[j] >= settings.evidence_ratio * best]
    body = [j for j in close if not _heading(found.said[j])]
    return (body or close)[: settings.evidence_sentences]


def _cite_item(item, numbering: CitationNumbering) -> Citation:
    """The commitment as one quote: its head and the sentences explaining it (within its paragraph)."""
    end = item.detail[-1].end if item.detail else item.head.end
    span = type(item.head)(item.head.meta, item.head.paragraph, item.head.start, end)
    return span.cite(numbering)


@dataclass
class _Shown:
    """What the chat quotes of one outcome: the commitment and one sentence of the next report."""

    outcome: Outcome
    citations: list[Citation]


def tracking_text(rounds: list[YearCheck]) -> tuple[str, list[Citation]]:
    """Some rounds as the chat's answer: per year its summary, then each commitment with its status and the
    sentence that best carries it out (or the nearest one, said to fall short), with [n] markers; the
    citations renumbered from 1 over what is quoted (the page and the exports show every sentence)."""
    shown = [[_Shown(o, [o.citation, *(o.evidence[:1] or ([o.nearest] if o.nearest else []))]) for o in check.outcomes]
             for check in rounds]
    citations = renumber([s for group in shown for s in group])
    lines = []
    for check, group in zip(rounds, shown):
        lines += [f"【{check.heading}】", check.summary()]
        for k, s in enumerate(group, 1):
            head, *other = s.citations
            said = ""
            if other and s.outcome.evidence:
                said = f"：{other[0].quote.strip()}[{other[0].n}]"
            elif other:
                said = f"；最接近的表述为：{other[0].quote.strip()}[{other[0].n}]（不足以认定落实）"
            lines.append(f"{k}. {s.outcome.title}[{head.n}]〔{s.outcome.status}〕{said}")
        lines.append("")
    return "\n".join(lines).strip(), citations
