"""Answers about the reports themselves — which report is a 开发区's or a 县级市's, which year it covers,
when it was signed or published — from their metadata, each report cited by its opening sentence."""

from __future__ import annotations

from typing import Callable

from ingest.model import Paragraph, ReportMeta
from ingest.structure import opening_paragraph
from ingest.text import split_sentences

from assistant.answering.answer import Answer
from assistant.answering.compose import compose, refusal
from assistant.answering.quotes import leading_clauses
from assistant.retrieval.hybrid import Passage
from assistant.retrieval.question import Question


def metadata_answer(question: Question, reports: list[ReportMeta], paragraphs_of: Callable[[str], list[Paragraph]]) -> Answer:
    """The reports in scope that have the asked attribute, with their level, year and dates."""
    wanted = question.levels
    chosen = [m for m in reports if not wanted or _level_of(m) in wanted]
    if not chosen:
        return refusal(question, f"报告库中没有{'、'.join(sorted(wanted))}一级的报告。")
    picks: list[tuple[Passage, int, int]] = []
    facts: dict[str, str] = {}
    for meta in chosen:
        opening = _opening(paragraphs_of(meta.name))
        facts[meta.name] = describe(meta, dates=question.report_date)
        if opening is not None:
            paragraph, start, end = opening
            picks.append((Passage(paragraph, meta, 0.0, (start, end)), start, end))
    answer = compose(question, picks, per_report_labels=True) if picks else refusal(question, "")
    answer.refused = False
    lines = [f"- {m.heading_label()}：{facts[m.name]}" for m in chosen]
    answer.answer = "\n".join(lines) + ("\n据各报告开篇：\n" + answer.answer if picks else "")
    return answer


def describe(meta: ReportMeta, dates: bool = False) -> str:
    """One line about a report: its region, level, province, year, author and, when asked, its dates."""
    parts = [meta.region or meta.name]
    if meta.level:
        parts.append(f"级别：{meta.level}")
    if meta.province:
        parts.append(meta.province)
    if meta.session_report and meta.year_text():
        parts.append(meta.year_text() + (f"（回顾{meta.year}年工作）" if meta.year else ""))
    elif meta.year:
        parts.append(f"{meta.year}年度报告")
    if meta.author:
        parts.append(f"发文单位：{meta.author}")
    if meta.speaker:
        parts.append(f"报告人：{meta.speaker}")
    if dates or meta.published:
        parts.append(f"发布日期：{_cn_date(meta.published) if meta.published else '未写明'}")
    if dates:
        parts.append(f"落款日期：{_cn_date(meta.signed) if meta.signed else '未写明'}")
    return "，".join(parts) + "。"


def _level_of(meta: ReportMeta) -> str | None:
    if meta.level:
        return meta.level
    return "开发区" if meta.region and meta.region.endswith(("开发区", "新区", "高新区")) else None


def _opening(paragraphs: list[Paragraph]) -> tuple[Paragraph, int, int] | None:
    """The report's first sentence, which names its region and year in most reports (an addressee line
    such as 金华市人民政府： is skipped)."""
    first = opening_paragraph(paragraphs)
    spans = split_sentences(first.text) if first else []
    if not spans:
        return None
    start, end = leading_clauses(first.text, *spans[0])
    return first, start, end


def _cn_date(iso: str) -> str:
    """2022-02-17 → 2022年2月17日."""
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"
