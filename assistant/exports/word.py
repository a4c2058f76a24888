"""Word (.docx) renderings of comparisons, plans and summaries, laid out as official documents.

GB/T 9704 (党政机关公文格式): A4, margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm; the
title in 方正小标宋简体 二号, first-level headings in 黑体 and second-level in 楷体_GB2312 三号, the
body in 仿宋_GB2312 三号 with a fixed 28-point line spacing and a two-character first-line indent.
Where the reader's Word lacks a font it shows its own substitute; the names are what offices install.
"""

from __future__ import annotations

import re

from ingest.text import cn_numeral

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
# Latin-script fallback for the title where 方正小标宋 is not installed.
TITLE_FALLBACK = "黑体"
PAGE_CM = (21.0, 29.7)  # A4
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
TITLE_PT, BODY_PT, SMALL_PT, TABLE_PT = 22, 16, 14, 10.5  # 二号, 三号, 四号, 五号
LINE_SPACING_PT = 28


def comparison_docx(c, path) -> None:
    from assistant.documents.comparison import NOT_MENTIONED

    doc = _official_document(landscape=len(c.reports) > 2)
    _title(doc, "法治政府建设年度报告对比" + (f"：{c.rows[0].name}" if len(c.rows) == 1 else ""))
    for note in c.notes:
        _body(doc, note)
    table = doc.add_table(rows=1, cols=len(c.reports) + 1)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["领域", *(m.heading_label() for m in c.reports)]):
        _cited_runs(cell.paragraphs[0], text, bold=True, size=TABLE_PT)
    for row in c.rows:
        cells = table.add_row().cells
        _cited_runs(cells[0].paragraphs[0], row.name, bold=True, size=TABLE_PT)
        for cell, meta in zip(cells[1:], c.reports):
            points = c.cells[(row.name, meta.name)]
            _cited_runs(cell.paragraphs[0], "\n".join(c.shown(p) for p in points) if points else NOT_MENTIONED, size=TABLE_PT)
    present = [(heading, statements) for heading, statements in c.statements if statements]
    for number, (heading, statements) in enumerate(present, 1):  # numbered as printed: 一、 even when alone
        _heading(doc, f"{cn_numeral(number)}、{heading}", 1)
        for s in statements:
            _body(doc, s.text)
    _sources(doc, c.citations)
    doc.save(str(path))


def plan_docx(p, path) -> None:
    doc = _official_document()
    _title(doc, p.title)
    for note in p.notes:
        _note(doc, note)
    _body(doc, p.opening)
    for i, section in enumerate(p.sections):
        _heading(doc, f"{cn_numeral(i + 1)}、{section.title}", 1)
        _tasks(doc, p, section.tasks)
    if p.closing:
        _heading(doc, f"{cn_numeral(len(p.sections) + 1)}、保障措施", 1)
        _tasks(doc, p, p.closing)
    if p.problems:
        _heading(doc, "问题对照", 1)
        for k, link in enumerate(p.problems, 1):
            _body(doc, f"{k}. {link.text}[{link.citation.n}] → " + (f"见{link.task}" if link.task else f"未单列任务：{link.reason}"))
    _sources(doc, p.citations, heading="依据")
    doc.save(str(path))


def plan_text_docx(p, path) -> None:
    """The draft alone, to send on after review: no notes, evidence, [n] markers or sources."""
    doc = _official_document()
    _title(doc, p.title)
    _body(doc, p.opening)
    for i, (title, tasks) in enumerate([*((s.title, s.tasks) for s in p.sections), *([("保障措施", p.closing)] if p.closing else [])]):
        _heading(doc, f"{cn_numeral(i + 1)}、{title}", 1)
        for j, task in enumerate(tasks):
            _task(doc, f"（{cn_numeral(j + 1)}）{task.title}。", task.text)
    doc.save(str(path))


def _tasks(doc, plan, tasks) -> None:
    """Tasks （一）（二）… each with its headline, content and the evidence under it."""
    for j, task in enumerate(tasks):
        _task(doc, f"（{cn_numeral(j + 1)}）{task.title}。", plan.shown(task))
        _evidence(doc, task.evidence)


def summary_docx(s, path) -> None:
    doc = _official_document()
    _title(doc, s.title)
    for note in s.notes:
        _note(doc, note)
    for digest in s.digests:
        if len(s.digests) > 1:
            _heading(doc, digest.report.heading_label(), 1)
        _body(doc, digest.overview)
        for number, section in enumerate(digest.sections, 1):
            _heading(doc, f"{cn_numeral(number)}、{section.title}", 1 if len(s.digests) == 1 else 2)
            if section.note:
                _body(doc, section.note)
            for point in section.points:
                _body(doc, (f"{point.area}：" if point.area else "") + s.shown(point))
    _sources(doc, s.citations)
    doc.save(str(path))


# --- docx building blocks --------------------------------------------------------------------------
def _official_document(landscape: bool = False):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    width, height = PAGE_CM
    if landscape:  # a wide comparison table: the page turned, the margins kept
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(BODY_PT)
    _east_asian(style.element, BODY_FONT, BODY_FONT)
    _fixed_spacing(style.paragraph_format)
    return doc


def _fixed_spacing(paragraph_format, points: float = LINE_SPACING_PT) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


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


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = font
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)  # headings are black in official documents, not Word's blue
    _east_asian(run._element, font, font)
    return run


def _title(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = doc.add_heading(level=0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_spacing(paragraph.paragraph_format, TITLE_PT * 1.5)
    run = _run(paragraph, text, TITLE_FALLBACK, TITLE_PT)
    _east_asian(run._element, TITLE_FONT, TITLE_FALLBACK)


def _heading(doc, text: str, level: int) -> None:
    paragraph = doc.add_heading(level=level)
    _fixed_spacing(paragraph.paragraph_format)
    paragraph.paragraph_format.first_line_indent = _indent()
    _run(paragraph, text, HEADING_FONT if level == 1 else SUBHEADING_FONT, BODY_PT)


def _indent():
    from docx.shared import Pt

    return Pt(BODY_PT * 2)  # two characters


def _body(doc, text: str):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = _indent()
    _cited_runs(paragraph, text)
    return paragraph


def _note(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    _run(paragraph, text, SUBHEADING_FONT, SMALL_PT)


def _task(doc, title: str, text: str) -> None:
    """（一）headline in 楷体, then its content: the way 工作要点 set their tasks."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = _indent()
    _run(paragraph, title, SUBHEADING_FONT, BODY_PT, bold=True)
    _cited_runs(paragraph, text)


def _evidence(doc, evidence) -> None:
    """A task's evidence, smaller and set apart: role, region and year, the quoted sentences."""
    from docx.shared import Pt

    for e in evidence:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = _indent()
        _fixed_spacing(paragraph.paragraph_format, SMALL_PT * 1.5)
        paragraph.paragraph_format.space_after = Pt(2)
        _run(paragraph, f"【{e.role}】{e.source}：", SUBHEADING_FONT, SMALL_PT)
        _cited_runs(paragraph, f"“{e.text}”" + "".join(f"[{c.n}]" for c in e.citations), size=SMALL_PT, font=SUBHEADING_FONT)


def _cited_runs(paragraph, text: str, bold: bool = False, size: float = BODY_PT, font: str = BODY_FONT) -> None:
    """Text with its [n] markers as superscript runs."""
    for piece in re.split(r"(\[\d+\])", text):
        if not piece:
            continue
        run = _run(paragraph, piece, font, size, bold)
        if re.fullmatch(r"\[\d+\]", piece):
            run.font.superscript = True


def _sources(doc, citations, heading: str = "来源") -> None:
    _heading(doc, heading, 1)
    for c in citations:
        paragraph = doc.add_paragraph()
        _fixed_spacing(paragraph.paragraph_format, SMALL_PT * 1.5)
        _run(paragraph, f"[{c.n}] {c.region or c.report}（{c.year or '?'}年）· {c.report} · {c.section or '导语'} · "
                        f"{c.paragraph_id}：", BODY_FONT, SMALL_PT)
        _run(paragraph, c.quote.strip(), BODY_FONT, SMALL_PT, bold=True)


def tracking_docx(t, path) -> None:
    """Commitments kept as an official document: per year its summary, each commitment with its status
    and the sentences of the next report carrying it out, then the sources."""
    from docx.shared import Pt

    doc = _official_document()
    _title(doc, t.title)
    for note in t.notes:
        _note(doc, note)
    for number, check in enumerate(t.rounds, 1):
        _heading(doc, f"{cn_numeral(number)}、{check.heading}", 1)
        _body(doc, check.summary())
        for k, o in enumerate(check.outcomes, 1):
            _task(doc, f"（{cn_numeral(k)}）{o.title}〔{o.status}〕", f"[{o.citation.n}]")
            shown = [("落实", c) for c in o.evidence] + ([("最接近的表述（不足以认定落实）", o.nearest)] if o.nearest else [])
            for role, c in shown:
                paragraph = doc.add_paragraph()
                paragraph.paragraph_format.left_indent = _indent()
                _fixed_spacing(paragraph.paragraph_format, SMALL_PT * 1.5)
                paragraph.paragraph_format.space_after = Pt(2)
                _run(paragraph, f"【{role}】", SUBHEADING_FONT, SMALL_PT)
                _cited_runs(paragraph, f"“{c.quote.strip()}”[{c.n}]", size=SMALL_PT, font=SUBHEADING_FONT)
    _sources(doc, t.citations)
    doc.save(str(path))
