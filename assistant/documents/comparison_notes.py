"""What the comparison says below its matrix: highlights (practices only one report has, each once),
problems several reports admit, and the same indicator stated by several reports, years shown."""

from __future__ import annotations

from ingest.model import Paragraph, Part, ReportMeta
from ingest.text import normalise

from assistant.answering.answer import CitationNumbering
from assistant.documents.areas import Area
from assistant.documents.distinctive import Vocabulary, own_practices
from assistant.documents.evidence import items
from assistant.documents.figures import Figure, extract
from assistant.documents.vocabulary import generic_words

MAX_HIGHLIGHTS_PER_REPORT = 2
MAX_COMMON_PROBLEMS = 5


def _on_topic(text: str, focus: tuple[str, ...] | None) -> bool:
    return focus is None or any(normalise(k) in normalise(text) for k in focus)


def highlights(store, result, numbering: CitationNumbering, focus: tuple[str, ...] | None, idf) -> list:
    """Each report's practices with a name no other report of the library uses, then rows only one
    report covers (when at least three are compared); every sentence and every name once."""
    from assistant.documents.comparison import Statement

    vocabulary = Vocabulary.of(store)
    statements, used = [], set()
    for meta in result.reports:
        paragraphs = store.library.paragraphs(meta.name)
        found = [p for p in own_practices(meta, paragraphs, vocabulary, 3 * MAX_HIGHLIGHTS_PER_REPORT, idf)
                 if _on_topic(p.span.text, focus)]
        for practice in found[:MAX_HIGHLIGHTS_PER_REPORT]:
            key = (practice.span.paragraph.id, practice.span.start)
            if key in used:
                continue
            used.add(key)
            citation = practice.span.cite(numbering)
            statements.append(Statement(f"{meta.heading_label()}的特色做法“{practice.name}”：{practice.span.body}。[{citation.n}]",
                                        [citation]))
    if len(result.reports) >= 3:
        for row in result.rows:
            covering = [m for m in result.reports if result.cells[(row.name, m.name)]]
            if len(covering) != 1:
                continue
            point = result.cells[(row.name, covering[0].name)][0]
            key = (point.citations[0].paragraph_id, point.citations[0].quote_start)
            if key in used:
                continue
            used.add(key)
            statements.append(Statement(f"在“{row.name}”方面，仅{covering[0].heading_label()}有相关做法：{point.marked}",
                                        list(point.citations)))
    return statements


def common_problems(store, reports: list[ReportMeta], numbering: CitationNumbering,
                    focus: tuple[str, ...] | None) -> list:
    """Problems several reports admit: subject words shared by their problem items."""
    from assistant.documents.comparison import Statement
    from assistant.language.tokens import content_terms

    generic = generic_words()
    by_term: dict[str, list] = {}
    for meta in reports:
        seen: set[str] = set()
        for item in items(meta, store.library.paragraphs(meta.name), Part.PROBLEMS):
            if not _on_topic(item.context, focus):
                continue
            for term in content_terms(item.title):
                if term in generic or len(term) < 2 or term in seen:
                    continue
                seen.add(term)
                by_term.setdefault(term, []).append((meta, item))
    shared = sorted(((t, found) for t, found in by_term.items() if len(found) >= 2), key=lambda x: (-len(x[1]), x[0]))
    statements, covered = [], []
    for term, found in shared:
        key = {(item.head.paragraph.id, item.head.start) for _, item in found}
        if any(key <= done for done in covered) or len(statements) >= MAX_COMMON_PROBLEMS:
            continue
        covered.append(key)
        parts, cited = [], []
        for meta, item in found:
            citation = item.head.cite(numbering)
            parts.append(f"{meta.region or meta.name}：{item.title}[{citation.n}]")
            cited.append(citation)
        statements.append(Statement(f"“{term}”方面的不足见于{len(found)}份报告——" + "；".join(parts) + "。", cited))
    return statements


def differences(store, reports: list[ReportMeta], numbering: CitationNumbering, rows: list[Area] | None) -> list:
    """The same indicator stated by several reports, side by side with each report's year, each value
    cited to its sentence."""
    from assistant.documents.comparison import Statement

    figures: dict[str, list[tuple[ReportMeta, Figure]]] = {}
    paragraphs_by_id: dict[str, Paragraph] = {}
    for meta in reports:
        paragraphs = store.library.paragraphs(meta.name)
        paragraphs_by_id.update((p.id, p) for p in paragraphs)
        for figure in extract(meta, paragraphs):
            if rows and not any(k in figure.indicator or figure.indicator[:4] in k for r in rows for k in r.keywords):
                continue
            stated = figures.setdefault(figure.indicator, [])
            if not any(m.name == meta.name for m, _ in stated):  # a report's first statement of it
                stated.append((meta, figure))
    statements = []
    for indicator, values in figures.items():
        if len({m.name for m, _ in values}) < 2:
            continue
        parts, cited = [], []
        for meta, figure in values:
            paragraph = paragraphs_by_id[figure.paragraph_id]
            start = max(paragraph.text.find(figure.sentence), 0)
            citation = numbering.add(meta, paragraph, start, start + len(figure.sentence))
            parts.append(f"{meta.heading_label()}{figure.value}{figure.unit}[{citation.n}]")
            cited.append(citation)
        years = {m.year for m, _ in values}
        note = "（年度不同，仅供参考）" if len(years) > 1 else ""
        statements.append(Statement(f"{indicator}{note}：" + "，".join(parts) + "。", cited))
    return statements
