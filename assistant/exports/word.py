"""Word (.docx) renderings of comparisons and plans, in the fonts and sizes of official documents."""

from __future__ import annotations

import re

from ingest.text import cn_numeral


def comparison_docx(c, path) -> None:
    from assistant.documents.comparison import NOT_MENTIONED

    doc = _official_document()
    _title(doc, "法治政府建设年度报告对比" + (f"：{c.rows[0].name}" if len(c.rows) == 1 else ""))
    for note in c.notes:
        _body(doc, note)
    table = doc.add_table(rows=1, cols=len(c.reports) + 1)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["领域", *(m.heading_label() for m in c.reports)]):
        _cited_runs(cell.paragraphs[0], text, bold=True)
    for row in c.rows:
        cells = table.add_row().cells
        _cited_runs(cells[0].paragraphs[0], row.name, bold=True)
        for cell, meta in zip(cells[1:], c.reports):
            points = c.cells[(row.name, meta.name)]
            _cited_runs(cell.paragraphs[0], "\n".join(p.marked for p in points) if points else NOT_MENTIONED)
    for number, (heading, statements) in enumerate((("亮点做法", c.highlights), ("共性问题", c.common_problems),
                                                     ("值得关注的差异", c.differences)), 1):
        if statements:
            _heading(doc, f"{'一二三'[number - 1]}、{heading}", 1)
            for s in statements:
                _body(doc, s.text)
    _sources(doc, c.citations)
    doc.save(str(path))



def plan_docx(p, path) -> None:
    doc = _official_document()
    _title(doc, p.title)
    for note in p.notes:
        _body(doc, note)
    _body(doc, p.opening)
    for i, section in enumerate(p.sections):
        _heading(doc, f"{cn_numeral(i + 1)}、{section.title}", 1)
        for j, task in enumerate(section.tasks):
            _body(doc, f"（{cn_numeral(j + 1)}）{task.title}。{task.text}" if p.is_material_draft else task.text)
    if p.closing:
        _heading(doc, f"{cn_numeral(len(p.sections) + 1)}、保障措施", 1)
        for j, task in enumerate(p.closing):
            _body(doc, f"（{cn_numeral(j + 1)}）{task.text}" if p.is_material_draft else task.text)
    _sources(doc, p.citations, heading="依据")
    doc.save(str(path))



# --- docx building blocks --------------------------------------------------------------------------
TITLE_FONT, HEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋"
TITLE_FALLBACK = "黑体"  # Word shows this where 方正小标宋 is not installed


def _official_document():
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(16)  # 三号, the size of official documents
    _east_asian(style.element, BODY_FONT)
    return doc


def _east_asian(element, font: str, ascii_font: str | None = None) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)
    if ascii_font:
        fonts.set(qn("w:ascii"), ascii_font)
        fonts.set(qn("w:hAnsi"), ascii_font)


def _title(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_heading(level=0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(22)  # 二号
    run.font.name = TITLE_FALLBACK
    _east_asian(run._element, TITLE_FONT, TITLE_FALLBACK)


def _heading(doc, text: str, level: int) -> None:
    from docx.shared import Pt

    paragraph = doc.add_heading(level=level)
    run = paragraph.add_run(text)
    run.font.size = Pt(16)
    run.font.name = HEADING_FONT
    _east_asian(run._element, HEADING_FONT, HEADING_FONT)


def _body(doc, text: str):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = paragraph.style.font.size * 2 if paragraph.style.font.size else None
    _cited_runs(paragraph, text)
    return paragraph


def _cited_runs(paragraph, text: str, bold: bool = False) -> None:
    """Text with its [n] markers as superscript runs."""


    for piece in re.split(r"(\[\d+\])", text):
        if not piece:
            continue
        run = paragraph.add_run(piece)
        run.bold = bold
        if re.fullmatch(r"\[\d+\]", piece):
            run.font.superscript = True


def _sources(doc, citations, heading: str = "来源") -> None:
    _heading(doc, heading, 1)
    for c in citations:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"[{c.n}] {c.region or c.report}（{c.year or '?'}年）· {c.report} · {c.section or '导语'} · "
                          f"{c.paragraph_id}：")
        paragraph.add_run(c.quote.strip()).bold = True
