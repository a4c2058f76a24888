"""Side-by-side comparison of reports: rows are the 纲要's areas (or one topic), columns the reports.

A cell holds the report's own practices in that area: whole sentences from its work parts (never a
bare heading, never a sentence from its problems or plans), those that say most first. Every
sentence of every report is placed in an area once (documents/areas.py), so a report is marked
未提及 only when none of its practice sentences speaks for the row. Below the matrix: highlights,
common problems and differences (documents/comparison_notes.py), every statement cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import ReportMeta
from ingest.text import normalise

from assistant.answering.answer import Citation, CitationNumbering
from assistant.answering.quotes import trim_to_clauses
from assistant.documents.areas import AREAS, Area, classify_many, topic_area
from assistant.documents.drafted import EXTRACT_MARK, Drafted
from assistant.documents.evidence import AREA_FIT_WEIGHT, Span, area_fit, honours_only, renumber, sentences, speaks_for, weight

CELL_POINTS = 2
# Sentences an LLM sees to write one cell (the cell's best, in rank order).
CELL_EVIDENCE = 6
# How a cell the LLM did not write is marked in a generated comparison.
NOT_MENTIONED = "未提及"
# A sentence longer than this is cut to its best run of clauses in a cell (marked with ……).
MAX_CELL_SENTENCE_CHARS = 260
CUT_MARK = "……"
# How much each word of a user's topic found in a sentence counts when ranking a topic row.
TOPIC_WORD_WEIGHT = 2.0


@dataclass
class Point:
    text: str  # without markers
    citations: list[Citation]
    mode: str = "extractive"  # "generative" when an LLM wrote it

    @property
    def marked(self) -> str:
        return self.text + "".join(f"[{c.n}]" for c in self.citations)

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": [c.n for c in self.citations], "mode": self.mode}


@dataclass
class Statement:
    text: str  # with [n] markers
    citations: list[Citation]

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": [c.n for c in self.citations]}


@dataclass
class Comparison(Drafted):
    rows: list[Area]
    reports: list[ReportMeta]
    cells: dict[tuple[str, str], list[Point]]  # (row name, report name) → points; empty = 未提及
    highlights: list[Statement] = field(default_factory=list)
    common_problems: list[Statement] = field(default_factory=list)
    differences: list[Statement] = field(default_factory=list)

    @property
    def statements(self) -> list[tuple[str, list[Statement]]]:
        return [("亮点做法", self.highlights), ("共性问题", self.common_problems), ("值得关注的差异", self.differences)]

    def to_dict(self) -> dict:
        """The `compare --json` document (schema in the README)."""
        return {
            "rows": [r.name for r in self.rows],
            "columns": [{"report": m.name, "region": m.region, "year": m.year} for m in self.reports],
            "cells": [{"row": row, "report": report, "mentioned": bool(points), "points": [p.to_dict() for p in points]}
                      for (row, report), points in self.cells.items()],
            "highlights": [s.text for s in self.highlights],
            "common_problems": [s.text for s in self.common_problems],
            "differences": [s.text for s in self.differences],
            "statements": {title: [s.to_dict() for s in items] for title, items in self.statements},
            **self.provenance(),
        }


def compare(store, reports: list[ReportMeta], topic: str | None = None, writer=None) -> Comparison:
    """The comparison of these reports; `writer` (documents/generation.py) has an LLM rewrite the cells."""
    from assistant.documents.comparison_notes import common_problems, differences, highlights

    rows = [topic_area(topic)] if topic else list(AREAS)
    numbering = CitationNumbering()
    idf = store.lexical().idf
    practice = {m.name: _practice_sentences(store, m) for m in reports}
    ranked = {(row.name, m.name): _ranked(row, practice[m.name], bool(topic), idf) for row in rows for m in reports}
    cells = {key: [cell_point(span, numbering, row.keywords) for span in spans[:CELL_POINTS]]
             for row in rows for key, spans in ranked.items() if key[0] == row.name}
    result = Comparison(rows, reports, cells)
    if writer is not None:
        _write_cells(writer, result, ranked, numbering)
    focus = rows[0].keywords if topic else None
    result.highlights = highlights(store, result, numbering, focus, idf)
    result.common_problems = common_problems(store, reports, numbering, focus)
    result.differences = differences(store, reports, numbering, rows if topic else None)
    _renumber(result)
    years = sorted({m.year for m in reports if m.year})
    if len(years) > 1:
        result.notes.append(f"所比较的报告年度不同（{years[0]}—{years[-1]}年），数字反映各自年度，不宜直接横向比较。")
    return result


def _practice_sentences(store, meta: ReportMeta) -> list[tuple[Span, str]]:
    """The report's practice sentences, each with the area it speaks of (a list of honours is none)."""
    spans = [s for s in sentences(meta, store.library.paragraphs(meta.name)) if not honours_only(s.text)]
    return list(zip(spans, classify_many([s.text for s in spans], by_meaning=False)))


def _ranked(row: Area, practice: list[tuple[Span, str]], is_topic: bool, idf) -> list[Span]:
    """The report's practice sentences on this row, most telling first."""
    if is_topic:
        words = [normalise(k) for k in row.keywords]
        scored = [(TOPIC_WORD_WEIGHT * hits + weight(span, idf), span) for span, _ in practice
                  if (hits := sum(1 for w in words if w in normalise(span.text)))]
    else:
        scored = [(weight(span, idf) + AREA_FIT_WEIGHT * area_fit(span, row.name), span) for span, area in practice
                  if area == row.name and speaks_for(span, row.name)]
    return [span for _, span in sorted(scored, key=lambda x: -x[0])]


def cell_point(span: Span, numbering: CitationNumbering, keywords: tuple[str, ...] = ()) -> Point:
    """A whole sentence as a point; only an overlong one is cut to its best clauses, and says so."""
    if len(span.text) <= MAX_CELL_SENTENCE_CHARS:
        return Point(span.body + "。", [span.cite(numbering)])
    start, end = trim_to_clauses(span.paragraph.text, span.start, span.end, frozenset(normalise(k) for k in keywords), True)
    cut = Span(span.meta, span.paragraph, start, end)
    return Point(cut.body + CUT_MARK, [cut.cite(numbering)])


def _write_cells(writer, result: Comparison, ranked: dict[tuple[str, str], list[Span]], numbering: CitationNumbering) -> None:
    """The LLM rewrites each covered cell from that cell's best sentences; cells it could not write in
    time keep their sentences, marked as extractive."""
    from assistant.config.prompts import render
    from assistant.documents.generation import Job, sentences_of

    labels = {m.name: m.heading_label() for m in result.reports}
    jobs = [Job(key, f"{labels[key[1]]} · {key[0]}", None,
                render("compare_cell", label=labels[key[1]], row=key[0], context="$evidence"), ranked[key][:CELL_EVIDENCE])
            for key, points in result.cells.items() if points]
    outcomes = writer.run(jobs)
    failed: dict[str, int] = {}
    written = 0
    for key, outcome in outcomes.items():
        if outcome.checked is None:
            failed[outcome.reason] = failed.get(outcome.reason, 0) + 1
            continue
        written += 1
        if outcome.checked.text.strip().startswith(NOT_MENTIONED):
            result.cells[key] = []
            continue
        result.cells[key] = [Point(text, cites, "generative") for text, cites in sentences_of(outcome, numbering)]
    result.written_by(writer, written, failed,
                      lambda count, reason: f"{count} 个单元格未由模型改写（{reason}），保留原文摘录，标注“{EXTRACT_MARK}”。")


def _renumber(result: Comparison) -> None:
    """Sources numbered by first use (matrix row by row, then the statements), unused ones dropped;
    the [n] inside statements follow their citations."""
    holders = [p for row in result.rows for m in result.reports for p in result.cells[(row.name, m.name)]]
    statements = [s for _, items in result.statements for s in items]
    old = [[c.n for c in s.citations] for s in statements]
    result.citations = renumber([*holders, *statements])
    for statement, before in zip(statements, old):
        mapping = {b: c.n for b, c in zip(before, statement.citations)}
        statement.text = re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", statement.text)
