"""Exports users take away: the conversation as Markdown (comparisons and plans add theirs)."""

from __future__ import annotations

from .answers import Answer, mark_quote


def conversation_markdown(answers: list[Answer], title: str = "法治报告助手 问答记录") -> str:
    """Questions, answers and, after each answer, its numbered sources with the quoted sentence in bold."""
    lines = [f"# {title}", ""]
    for number, answer in enumerate(answers, 1):
        lines += [f"## 问题 {number}：{answer.question}", ""]
        if answer.standalone_question:
            lines += [f"（按独立问题检索：{answer.standalone_question}）", ""]
        lines += [answer.answer, ""]
        if answer.citations:
            lines += ["来源：", ""]
            for c in answer.citations:
                place = f"{c.region or c.report} {c.year or ''}年".strip()
                lines.append(f"{c.n}. {place} · {c.report} · {c.section or '导语'} · {c.paragraph_id}")
                lines.append(f"   > {mark_quote(c, '**', '**')}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- comparisons ------------------------------------------------------------------------------
def comparison_markdown(c) -> str:
    """Headings, the matrix as a Markdown table, the statements below it, and a numbered source list."""
    title = "法治政府建设年度报告对比" + (f"：{c.rows[0].name}" if len(c.rows) == 1 else "")
    lines = [f"# {title}", ""]
    lines += [f"> {note}" for note in c.notes] + ([""] if c.notes else [])
    if c.mode == "generative":
        lines += [f"（由 {c.model} 概括，引用已核验：{_checks(c.checks)}）", ""]
    header = ["领域", *(m.heading_label() for m in c.reports)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in c.rows:
        cells = [_md_cell(c.cells[(row.name, m.name)]) for m in c.reports]
        lines.append("| " + " | ".join([row.name, *cells]) + " |")
    for heading, statements in (("亮点做法", c.highlights), ("共性问题", c.common_problems), ("值得关注的差异", c.differences)):
        if statements:
            lines += ["", f"## {heading}", ""]
            lines += [f"- {s.text}" for s in statements]
    lines += ["", "## 来源", ""] + _source_lines(c.citations)
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(points) -> str:
    from .compare import NOT_MENTIONED

    if not points:
        return NOT_MENTIONED
    return "<br>".join(p.marked.replace("|", "｜") for p in points)


def _source_lines(citations) -> list[str]:
    lines = []
    for c in citations:
        lines.append(f"{c.n}. {c.region or c.report}（{c.year or '?'}年）· {c.report} · {c.section or '导语'} · {c.paragraph_id}")
        lines.append(f"   > {mark_quote(c, '**', '**')}")
    return lines


def _checks(checks) -> str:
    checks = checks or {}
    return f"通过 {checks.get('verified', 0)}，修正 {checks.get('repaired', 0)}，存疑 {checks.get('flagged', 0)}"


def comparison_docx(c, path) -> None:
    from .compare import NOT_MENTIONED

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


def comparison_xlsx(c, path) -> None:
    from openpyxl import Workbook

    from .compare import NOT_MENTIONED

    book = Workbook()
    sheet = book.active
    sheet.title = "对比"
    sheet.append(["领域", *(m.heading_label() for m in c.reports)])
    for row in c.rows:
        sheet.append([row.name, *("\n".join(p.marked for p in c.cells[(row.name, m.name)]) or NOT_MENTIONED for m in c.reports)])
    notes = book.create_sheet("要点")
    for heading, statements in (("亮点做法", c.highlights), ("共性问题", c.common_problems), ("值得关注的差异", c.differences)):
        for s in statements:
            notes.append([heading, s.text])
    _source_sheet(book, c.citations)
    book.save(str(path))


def _source_sheet(book, citations) -> None:
    sheet = book.create_sheet("来源")
    sheet.append(["编号", "地区", "年份", "文件", "章节", "段落编号", "引文", "段落原文"])
    for c in citations:
        sheet.append([c.n, c.region, c.year, c.report, c.section, c.paragraph_id, c.quote, c.text])


# --- key figures ---------------------------------------------------------------------------------
FIGURE_HEADERS = ["指标", "数值", "单位", "地区", "年份", "文件", "段落编号", "原句"]


def figure_rows(figures) -> list[list]:
    return [[f.indicator, f.value, f.unit, f.region, f.year, f.report, f.paragraph_id, f.sentence] for f in figures]


def figures_table(figures, path) -> None:
    """.xlsx or .csv by the file's suffix."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel opens Chinese CSV correctly
            writer = csv.writer(handle)
            writer.writerow(FIGURE_HEADERS)
            writer.writerows(figure_rows(figures))
        return
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "关键数字"
    sheet.append(FIGURE_HEADERS)
    for row in figure_rows(figures):
        sheet.append(row)
    book.save(str(path))


CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


def figures_chart(figures, indicator: str, path) -> None:
    """A bar chart of one indicator across reports, with Chinese labels (needs a CJK font installed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from .figures import as_number

    chosen = [f for f in figures if f.indicator == indicator]
    if not chosen:
        raise ValueError(f"no figures for indicator '{indicator}'")
    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((name for name in CJK_FONTS if name in installed), None)
    if font is None:
        raise RuntimeError("no CJK font found for chart labels: install one (Debian: apt-get install fonts-noto-cjk)")
    plt.rcParams["font.family"] = font
    plt.rcParams["axes.unicode_minus"] = False
    labels = [f"{f.region or f.report}\n{f.year or ''}年" for f in chosen]
    values = [as_number(f.value) for f in chosen]
    fig, ax = plt.subplots(figsize=(max(5, 1.4 * len(chosen)), 4), dpi=120)
    bars = ax.bar(labels, values, color="#b03a2e")
    ax.bar_label(bars, labels=[f"{f.value}{f.unit}" for f in chosen])
    ax.set_title(f"{indicator}（各报告所载年度数字）")
    ax.set_ylabel(chosen[0].unit)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(str(path))
    plt.close(fig)


# --- work plans ------------------------------------------------------------------------------------
def plan_markdown(p) -> str:
    lines = [f"# {p.title}", ""]
    lines += [f"> {note}" for note in p.notes] + ([""] if p.notes else [])
    if p.mode == "generative":
        lines += [f"（由 {p.model} 起草，引用已核验：{_checks(p.checks)}）", ""]
    lines += [p.opening, ""]
    for i, section in enumerate(p.sections):
        lines += [f"## {_cn(i + 1)}、{section.title}", ""]
        for j, task in enumerate(section.tasks):
            lines += [f"（{_cn(j + 1)}）{task.title}。{task.text}" if p.is_material_draft else task.text, ""]
    if p.closing:
        lines += [f"## {_cn(len(p.sections) + 1)}、保障措施", ""]
        lines += [f"（{_cn(j + 1)}）{task.text}" if p.is_material_draft else task.text for j, task in enumerate(p.closing)]
        lines.append("")
    lines += ["## 依据", ""] + _source_lines(p.citations)
    return "\n".join(lines).rstrip() + "\n"


def plan_docx(p, path) -> None:
    doc = _official_document()
    _title(doc, p.title)
    for note in p.notes:
        _body(doc, note)
    _body(doc, p.opening)
    for i, section in enumerate(p.sections):
        _heading(doc, f"{_cn(i + 1)}、{section.title}", 1)
        for j, task in enumerate(section.tasks):
            _body(doc, f"（{_cn(j + 1)}）{task.title}。{task.text}" if p.is_material_draft else task.text)
    if p.closing:
        _heading(doc, f"{_cn(len(p.sections) + 1)}、保障措施", 1)
        for j, task in enumerate(p.closing):
            _body(doc, f"（{_cn(j + 1)}）{task.text}" if p.is_material_draft else task.text)
    _sources(doc, p.citations, heading="依据")
    doc.save(str(path))


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


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
    import re

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
