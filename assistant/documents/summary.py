"""A summary of one report, or of several: what each did by 纲要 area (with the figures that matter),
its own highlights, the problems it admits and its next steps, every sentence cited.

Offline the summary is built from the report's own key sentences: for each area the sentences that
say most (figures, named measures, specific words), never a list of headings; each problem and
next step with the sentence that explains it. With an LLM the model writes from the same evidence
(see documents/generation.py) and every figure is checked as in answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from ingest.model import Part, ReportMeta

from assistant.answering.answer import Citation, CitationNumbering
from assistant.documents.areas import AREAS, classify_many
from assistant.documents.distinctive import Vocabulary, own_practices
from assistant.documents.drafted import Drafted
from assistant.documents.evidence import AREA_FIT_WEIGHT, Item, Span, area_fit, items, renumber, sentences, speaks_for, weight


class Length(StrEnum):
    PAGE = "一页"
    DETAILED = "详细"


@dataclass(frozen=True)
class LengthRule:
    per_area: int  # key sentences kept per area
    highlights: int
    steps: int  # next-step items kept


LENGTHS = {Length.PAGE: LengthRule(per_area=1, highlights=3, steps=6),
           Length.DETAILED: LengthRule(per_area=3, highlights=5, steps=20)}

WORK, HIGHLIGHTS, PROBLEMS, NEXT_STEPS = "主要做法与成效", "特色亮点", "存在问题", "下一步安排"
SECTION_TITLES = (WORK, HIGHLIGHTS, PROBLEMS, NEXT_STEPS)
# Words that show a sentence states a shortcoming (the sentence of a problem item worth quoting).
_SHORTCOMING_RE = re.compile(r"不够|不足|不高|不强|不到位|不及时|不完善|缺少|缺乏|欠缺|薄弱|滞后|有待|较低|较少|单一|困难|难以|偏")


@dataclass
class Point:
    text: str  # without markers
    citations: list[Citation]
    area: str | None = None  # the 纲要 area, for work points
    mode: str = "extractive"  # "generative" when an LLM wrote it
    spans: list = field(default_factory=list, repr=False)  # the evidence.Span behind it (for an LLM)

    @property
    def marked(self) -> str:
        return self.text + "".join(f"[{c.n}]" for c in self.citations)

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": [c.n for c in self.citations], "area": self.area, "mode": self.mode}


@dataclass
class SummarySection:
    title: str
    points: list[Point] = field(default_factory=list)
    note: str | None = None  # said instead of points (报告未单列存在问题)

    def to_dict(self) -> dict:
        return {"title": self.title, "points": [p.to_dict() for p in self.points], "note": self.note}


@dataclass
class Digest:
    """The summary of one report: an overview line and the four sections."""

    report: ReportMeta
    overview: str
    sections: list[SummarySection]

    def section(self, title: str) -> SummarySection:
        return next(s for s in self.sections if s.title == title)

    def to_dict(self) -> dict:
        return {"report": self.report.name, "region": self.report.region, "year": self.report.year,
                "overview": self.overview, "sections": [s.to_dict() for s in self.sections]}


@dataclass
class Summary(Drafted):
    title: str
    length: Length
    digests: list[Digest]

    def points(self) -> list[Point]:
        return [p for d in self.digests for s in d.sections for p in s.points]

    def to_dict(self) -> dict:
        return {"title": self.title, "length": self.length.value, "reports": [d.to_dict() for d in self.digests],
                **self.provenance()}


def summarize(store, reports: list[ReportMeta], length: Length = Length.PAGE, writer=None) -> Summary:
    """The summary of these reports (each report a digest), every point cited; `writer` has an LLM
    write each digest from the same evidence (the detailed selection)."""
    numbering = CitationNumbering()
    vocabulary = Vocabulary.of(store)
    idf = store.lexical().idf
    rule = LENGTHS[length]
    digests = [_digest(store, meta, rule, numbering, vocabulary, idf) for meta in reports]
    title = (f"{reports[0].region or reports[0].name}{reports[0].year or ''}年法治政府建设年度报告摘要" if len(reports) == 1
             else f"{len(reports)}份法治政府建设年度报告摘要")
    summary = Summary(title, length, digests)
    if writer is not None:
        detailed = [_digest(store, meta, LENGTHS[Length.DETAILED], CitationNumbering(), vocabulary, idf) for meta in reports]
        from assistant.documents.summary_writing import write_digests

        write_digests(writer, summary, detailed, numbering)
    summary.citations = renumber(summary.points())
    return summary


def _digest(store, meta: ReportMeta, rule: LengthRule, numbering: CitationNumbering, vocabulary, idf) -> Digest:
    paragraphs = store.library.paragraphs(meta.name)
    work = sentences(meta, paragraphs)
    by_area = _by_area(work)
    used: set[tuple[str, int]] = set()
    work_points = []
    for area in AREAS:
        fitting = [s for s in by_area.get(area.name, []) if speaks_for(s, area.name)]
        ranked = sorted(fitting, key=lambda s: -(weight(s, idf) + AREA_FIT_WEIGHT * area_fit(s, area.name)))
        for span in ranked[: rule.per_area]:
            used.add((span.paragraph.id, span.start))
            work_points.append(Point(span.body + "。", [span.cite(numbering)], area.name, spans=[span]))
    highlights = [Point(f"“{p.name}”：{p.span.body}。", [p.span.cite(numbering)], spans=[p.span])
                  for p in own_practices(meta, paragraphs, vocabulary, rule.highlights + len(used), idf)
                  if (p.span.paragraph.id, p.span.start) not in used][: rule.highlights]
    problems = [_item_point(item, numbering, problem=True) for item in items(meta, paragraphs, Part.PROBLEMS)]
    steps = [_item_point(item, numbering) for item in items(meta, paragraphs, Part.NEXT)][: rule.steps]
    sections = [SummarySection(WORK, work_points), SummarySection(HIGHLIGHTS, highlights),
                SummarySection(PROBLEMS, problems), SummarySection(NEXT_STEPS, steps)]
    for section, missing in ((sections[0], "报告未写明主要工作情况。"), (sections[1], "未发现其他报告没有的具名做法。"),
                             (sections[2], "报告未单列存在的问题。"), (sections[3], "报告未写明下一步安排。")):
        if not section.points:
            section.note = missing
    return Digest(meta, _overview(meta, {p.area for p in work_points}, problems, steps), sections)


def _by_area(spans: list[Span]) -> dict[str, list[Span]]:
    grouped: dict[str, list[Span]] = {}
    for span, area in zip(spans, classify_many([s.text for s in spans], by_meaning=False)):
        grouped.setdefault(area, []).append(span)
    return grouped


def _item_point(item: Item, numbering: CitationNumbering, problem: bool = False) -> Point:
    """'heading：the sentence that explains it', cited to both; a heading with nothing after it stands alone
    only when it is itself a full statement (天桥区's inline 一是…二是…)."""
    detail = item.detail
    if problem:
        detail = tuple(sorted(detail, key=lambda s: not _SHORTCOMING_RE.search(s.text)))
    if not detail:
        return Point(item.title + "。", [item.head.cite(numbering)], spans=[item.head])
    chosen = detail[0]
    spans = [item.head, chosen]
    if chosen.paragraph.id == item.head.paragraph.id and chosen.start >= item.head.end:
        spans = [Span(item.head.meta, item.head.paragraph, item.head.start, chosen.end)]
    return Point(f"{item.title}：{chosen.body}。", [s.cite(numbering) for s in spans], spans=spans)


def _overview(meta: ReportMeta, listed: set[str], problems: list, steps: list) -> str:
    """One line on what the digest lists: the areas with a point below (not every area a sentence hints at)."""
    covered = [a.name for a in AREAS if a.name in listed]
    who = f"{meta.region or meta.name}{meta.year or ''}年度报告"
    return (f"{who}的工作情况涉及《纲要》{len(covered)}个领域（{'、'.join(covered) or '无'}），"
            f"列出存在问题{len(problems)}项、下一步安排{len(steps)}项。")


def summary_text(summary: Summary) -> str:
    """The summary as plain text with [n] markers (the chat's answer; Markdown adds headings)."""
    lines: list[str] = []
    for digest in summary.digests:
        if len(summary.digests) > 1:
            lines.append(f"【{digest.report.heading_label()}】")
        lines.append(digest.overview)
        for number, section in enumerate(digest.sections, 1):
            lines.append(f"{'一二三四'[number - 1]}、{section.title}")
            if section.note:
                lines.append(section.note)
            for point in section.points:
                label = f"（{point.area}）" if point.area else ""
                lines.append(f"{label}{point.marked}")
        lines.append("")
    return "\n".join(lines).strip()
