"""Side-by-side comparison of reports: rows are the 纲要's areas (or one topic), columns the reports.

Coverage is retrieved per report and per row (a map step), never from one global top-k, so a report
is only marked 未提及 when its own best passages for that row hold none of the row's words. Below the
matrix: highlights, common problems and differences, every statement cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Paragraph, Part, ReportMeta
from ingest.text import normalise, numbers_in, split_sentences

from assistant.answering.answer import Citation, CitationNumbering
from assistant.documents.figures import Figure, extract
from assistant.documents.areas import AREAS, Area, topic_area
from assistant.answering.quotes import MAX_QUOTE_CHARS, part_items, trim_to_clauses
from assistant.retrieval.hybrid import retrieve
from assistant.retrieval.tokens import content_terms

# Passages retrieved for each (row, report) cell, and points kept per cell.
CELL_PASSAGES = 6
CELL_POINTS = 2
# How much a figure in a sentence counts toward choosing it for a cell (users compare numbers).
FIGURE_WEIGHT = 1.5
NOT_MENTIONED = "未提及"
# Words too common in these reports to mark a shared problem or a distinctive practice.
GENERIC_WORDS = {"法治", "建设", "工作", "进一步", "加强", "需要", "有待", "提高", "存在", "问题", "部分", "不足",
                 "政府", "推进", "开展", "水平", "能力", "方面", "情况", "单位", "部门", "力度", "提升", "法治政府"}
_QUOTED_RE = re.compile(r"“([^”]{3,12})”")
# National slogans every report quotes: not a local practice.
NATIONAL_SLOGANS = {"两个确立", "两个维护", "四个意识", "四个自信", "放管服", "八五", "七五", "关键少数", "谁执法谁普法",
                    "枫桥经验", "互联网+政务服务", "一网通办", "最多跑一次", "一件事一次办", "三项制度", "双随机、一公开"}
MAX_HIGHLIGHTS_PER_REPORT = 2
MAX_COMMON_PROBLEMS = 5


@dataclass
class Point:
    text: str  # without markers
    citations: list[Citation]

    @property
    def marked(self) -> str:
        return self.text + "".join(f"[{c.n}]" for c in self.citations)


@dataclass
class Statement:
    text: str  # with [n] markers
    citations: list[int]


@dataclass
class Comparison:
    rows: list[Area]
    reports: list[ReportMeta]
    cells: dict[tuple[str, str], list[Point]]  # (row name, report name) → points; empty = 未提及
    citations: list[Citation] = field(default_factory=list)
    highlights: list[Statement] = field(default_factory=list)
    common_problems: list[Statement] = field(default_factory=list)
    differences: list[Statement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mode: str = "extractive"
    model: str | None = None
    checks: dict[str, int] | None = None


def compare(store, reports: list[ReportMeta], topic: str | None = None, provider=None) -> Comparison:
    rows = [topic_area(topic)] if topic else list(AREAS)
    numbering = CitationNumbering()
    cells = {(row.name, meta.name): _cell(store, row, meta, numbering) for row in rows for meta in reports}
    result = Comparison(rows, reports, cells)
    if provider is not None:
        _generate_cells(store, result, numbering, provider)
    focus = rows[0].keywords if topic else None
    result.highlights = _highlights(store, result, numbering, focus)
    result.common_problems = _common_problems(store, reports, numbering, focus)
    result.differences = _differences(store, reports, numbering, rows if topic else None)
    result.citations = numbering.items
    _renumber(result)
    years = sorted({m.year for m in reports if m.year})
    if len(years) > 1:
        result.notes.append(f"所比较的报告年度不同（{years[0]}—{years[-1]}年），数字反映各自年度，不宜直接横向比较。")
    return result


def _cell(store, row: Area, meta: ReportMeta, numbering: CitationNumbering) -> list[Point]:
    """The report's main measures and figures on this row, from its own best passages."""
    passages = retrieve(store, row.query, top_k=CELL_PASSAGES, reports=[meta.name]).passages
    keywords = [normalise(k) for k in row.keywords]
    candidates = []
    for rank, passage in enumerate(passages):
        text = passage.paragraph.text
        for start, end in split_sentences(text):
            norm = normalise(text[start:end])
            hits = frozenset(k for k in keywords if k in norm)
            if hits:
                mentions = sum(norm.count(k) for k in hits)
                score = len(hits) * 2 + mentions + (FIGURE_WEIGHT if numbers_in(text[start:end]) else 0) - rank * 0.1
                candidates.append((score, passage, start, end, hits))
    points: list[Point] = []
    for _, passage, start, end, hits in sorted(candidates, key=lambda c: -c[0])[:CELL_POINTS]:
        start, end = trim_to_clauses(passage.paragraph.text, start, end, hits, True)
        citation = numbering.add(meta, passage.paragraph, start, end)
        points.append(Point(passage.paragraph.text[start:end].strip(), [citation]))
    points.sort(key=lambda p: (p.citations[0].paragraph_id, p.citations[0].quote_start))  # in the report's own order
    return points


def _renumber(result: Comparison) -> None:
    """Number sources by first use (matrix row by row, then the statements) and drop unused ones."""
    from dataclasses import replace

    old = {c.n: c for c in result.citations}
    new: dict[int, Citation] = {}

    def renumbered(n: int) -> Citation:
        if n not in new:
            new[n] = replace(old[n], n=len(new) + 1)
        return new[n]

    for row in result.rows:
        for meta in result.reports:
            for point in result.cells[(row.name, meta.name)]:
                point.citations = [renumbered(c.n) for c in point.citations]
    for statement in (*result.highlights, *result.common_problems, *result.differences):
        statement.citations = [renumbered(n).n for n in statement.citations]
        statement.text = re.sub(r"\[(\d+)\]", lambda m: f"[{renumbered(int(m.group(1))).n}]", statement.text)
    result.citations = sorted(new.values(), key=lambda c: c.n)


def _generate_cells(store, result: Comparison, numbering: CitationNumbering, provider) -> None:
    """An LLM rewrites each covered cell from that cell's passages; every figure is checked as in answers."""
    from llama_index.core.llms import ChatMessage, MessageRole

    from assistant.answering.citecheck import check
    from assistant.answering.context import format_passage
    from assistant.config.prompts import render
    from assistant.llm.providers import ProviderError

    totals = {"verified": 0, "repaired": 0, "flagged": 0}
    for row in result.rows:
        for meta in result.reports:
            if not result.cells[(row.name, meta.name)]:
                continue  # 未提及 stays 未提及: nothing to write from
            passages = retrieve(store, row.query, top_k=CELL_PASSAGES // 2, reports=[meta.name]).passages
            context = "\n\n".join(format_passage(n, p) for n, p in enumerate(passages, 1))
            prompt = render("compare_cell", label=meta.heading_label(), row=row.name, context=context)
            try:
                text = provider.complete([ChatMessage(role=MessageRole.USER, content=prompt)])
            except ProviderError as exc:
                result.notes.append(f"未使用 LLM：{exc.reason}；表格为原文摘录。")
                return
            if text.strip().startswith(NOT_MENTIONED):
                result.cells[(row.name, meta.name)] = []
                continue
            checked = check(text, passages)
            for key in totals:
                totals[key] += getattr(checked, key)
            result.cells[(row.name, meta.name)] = _points_from(checked, numbering)
    result.mode, result.model, result.checks = "generative", provider.model, totals


def _points_from(checked, numbering: CitationNumbering) -> list[Point]:
    """One point per generated sentence, its local [n] markers renumbered into the comparison's list."""
    local = {c.n: c for c in checked.citations}
    points = []
    for sentence in re.split(r"(?<=[。；！？])", checked.text):
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", sentence)]
        body = re.sub(r"\[\d+\]", "", sentence).strip()
        if not body:
            continue
        cites = []
        for m in markers:
            c = local[m]
            meta = ReportMeta(name=c.report, region=c.region, year=c.year)
            paragraph = Paragraph(c.paragraph_id, 0, c.text, tuple(c.section.split(" > ")) if c.section else (), Part.WORK)
            cites.append(numbering.add(meta, paragraph, c.quote_start, c.quote_end))
        points.append(Point(body, cites))
    return points


def _on_topic(text: str, focus: tuple[str, ...] | None) -> bool:
    return focus is None or any(k in text for k in focus)


def _highlights(store, result: Comparison, numbering: CitationNumbering, focus: tuple[str, ...] | None) -> list[Statement]:
    """Practices one report has and others lack: rows only it covers, and its own named practices."""
    statements: list[Statement] = []
    if len(result.reports) >= 3:
        for row in result.rows:
            covering = [m for m in result.reports if result.cells[(row.name, m.name)]]
            if len(covering) == 1:
                point = result.cells[(row.name, covering[0].name)][0]
                statements.append(Statement(f"在“{row.name}”方面，仅{covering[0].heading_label()}有相关表述："
                                            f"{point.marked}", [c.n for c in point.citations]))
    texts = {m.name: "".join(p.text for p in store.library.paragraphs(m.name)) for m in result.reports}
    for meta in result.reports:
        others = [t for name, t in texts.items() if name != meta.name]
        count = 0
        for paragraph in store.library.paragraphs(meta.name):
            if paragraph.part != Part.WORK or count >= MAX_HIGHLIGHTS_PER_REPORT or not _on_topic(paragraph.text, focus):
                continue
            for term in dict.fromkeys(_QUOTED_RE.findall(paragraph.text)):
                if (count >= MAX_HIGHLIGHTS_PER_REPORT or term in GENERIC_WORDS or term in NATIONAL_SLOGANS
                        or (meta.region or "") in term or any(term in other for other in others)):
                    continue
                start, end = _sentence_with(paragraph.text, f"“{term}”")
                citation = numbering.add(meta, paragraph, start, end)
                statements.append(Statement(f"{meta.heading_label()}的特色做法“{term}”：{citation.quote.strip()}"
                                            f"[{citation.n}]", [citation.n]))
                count += 1
    return statements


def _common_problems(store, reports: list[ReportMeta], numbering: CitationNumbering,
                     focus: tuple[str, ...] | None) -> list[Statement]:
    """Problems several reports admit: words shared by their problem items."""
    by_term: dict[str, list[tuple[ReportMeta, Paragraph, int, int]]] = {}
    for meta in reports:
        problems = [p for p in store.library.paragraphs(meta.name) if p.part == Part.PROBLEMS and _on_topic(p.text, focus)]
        seen: set[str] = set()
        for paragraph, start, end in part_items(problems):
            for term in content_terms(paragraph.text[start:end]):
                if term in GENERIC_WORDS or len(term) < 2 or term in seen:
                    continue
                seen.add(term)
                by_term.setdefault(term, []).append((meta, paragraph, start, end))
    shared = sorted(((t, items) for t, items in by_term.items() if len(items) >= 2), key=lambda x: (-len(x[1]), x[0]))
    statements = []
    covered: list[set[tuple[str, int]]] = []
    for term, items in shared:
        key = {(p.id, start) for _, p, start, _ in items}
        if any(key <= done for done in covered) or len(statements) >= MAX_COMMON_PROBLEMS:
            continue
        covered.append(key)
        parts, numbers = [], []
        for meta, paragraph, start, end in items:
            citation = numbering.add(meta, paragraph, start, end)
            parts.append(f"{meta.region or meta.name}：{citation.quote.strip().rstrip('。；;')}[{citation.n}]")
            numbers.append(citation.n)
        statements.append(Statement(f"“{term}”方面的不足见于{len(items)}份报告——" + "；".join(parts) + "。", numbers))
    return statements


def _differences(store, reports: list[ReportMeta], numbering: CitationNumbering, rows: list[Area] | None) -> list[Statement]:
    """The same indicator reported by several reports, side by side, each value cited to its sentence."""
    figures: dict[str, list[tuple[ReportMeta, Figure]]] = {}
    paragraphs_by_id: dict[str, Paragraph] = {}
    for meta in reports:
        paragraphs = store.library.paragraphs(meta.name)
        paragraphs_by_id.update((p.id, p) for p in paragraphs)
        for figure in extract(meta, paragraphs):
            if rows and not any(k in figure.indicator or figure.indicator.startswith(k[:2]) for r in rows for k in r.keywords):
                continue
            figures.setdefault(figure.indicator, []).append((meta, figure))
    statements = []
    for indicator, values in figures.items():
        if len({m.name for m, _ in values}) < 2:
            continue
        parts, numbers = [], []
        for meta, figure in values:
            paragraph = paragraphs_by_id[figure.paragraph_id]
            start = paragraph.text.find(figure.sentence)
            citation = numbering.add(meta, paragraph, max(start, 0), max(start, 0) + len(figure.sentence))
            parts.append(f"{meta.region or meta.name}（{meta.year}年）{figure.value}{figure.unit}[{citation.n}]")
            numbers.append(citation.n)
        statements.append(Statement(f"{indicator}：" + "，".join(parts) + "。", numbers))
    return statements


def _sentence_with(text: str, needle: str) -> tuple[int, int]:
    for start, end in split_sentences(text):
        if needle in text[start:end]:
            return trim_to_clauses(text, start, end, frozenset([normalise(needle)])) if end - start > MAX_QUOTE_CHARS else (start, end)
    return 0, min(len(text), MAX_QUOTE_CHARS)
