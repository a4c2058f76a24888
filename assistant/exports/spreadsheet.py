"""Spreadsheet renderings: a comparison as .xlsx, key figures as .xlsx or .csv, any one-sheet table (table_xlsx).

Sheets are set up to be read, not just parsed: column widths fitted to the text (CJK characters
count double), long cells wrapped and top-aligned, the header row frozen and bold.
"""

from __future__ import annotations

from pathlib import Path

# Column widths in Excel units (about one Latin character): bounds for fitting and the matrix's cells.
MIN_WIDTH, MAX_WIDTH, MATRIX_CELL_WIDTH = 8, 60, 45


def comparison_xlsx(c, path) -> None:
    from openpyxl import Workbook

    from assistant.documents.comparison import NOT_MENTIONED

    book = Workbook()
    sheet = book.active
    sheet.title = "对比"
    sheet.append(["领域", *(m.heading_label() for m in c.reports)])
    for row in c.rows:
        sheet.append([row.name, *("\n".join(c.shown(p) for p in c.cells[(row.name, m.name)]) or NOT_MENTIONED for m in c.reports)])
    _readable(sheet, fixed={i: MATRIX_CELL_WIDTH for i in range(2, len(c.reports) + 2)}, freeze="B2")  # area column stays
    notes = book.create_sheet("要点")
    notes.append(["类别", "内容"])
    for heading, statements in c.statements:
        for s in statements:
            notes.append([heading, s.text])
    _readable(notes)
    _source_sheet(book, c.citations)
    book.save(str(path))


def _source_sheet(book, citations) -> None:
    sheet = book.create_sheet("来源")
    sheet.append(["编号", "地区", "年份", "文件", "章节", "段落编号", "引文", "段落原文"])
    for c in citations:
        sheet.append([c.n, c.region, c.year, c.report, c.section, c.paragraph_id, c.quote, c.text])
    _readable(sheet)


FIGURE_HEADERS = ["指标", "数值", "单位", "原文写法", "地区", "年份", "文件", "段落编号", "原句"]


def figure_rows(figures) -> list[list]:
    """数值 is a number a spreadsheet can sum and sort; 原文写法 is the figure as printed (约数 marked)."""
    return [[f.indicator, _number(f.number), f.unit, f.value + ("（约数）" if f.approximate else ""), f.region, f.year,
             f.report, f.paragraph_id, f.sentence] for f in figures]


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


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
    table_xlsx(path, "关键数字", FIGURE_HEADERS, figure_rows(figures))


def table_xlsx(path: Path, title: str, headers: list[str], rows: list[list], widths: list[int] | None = None) -> None:
    """One sheet: a bold, frozen header row over the rows, every cell wrapped; widths given or fitted."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    _readable(sheet, fixed=dict(enumerate(widths, 1)) if widths else None)
    book.save(str(path))


TRACKING_HEADERS = ["承诺年度报告", "安排年度", "对照报告", "承诺", "状态", "承诺原文", "落实的原句", "最接近的表述（不足以认定落实）", "引用编号"]


def tracking_xlsx(t, path) -> None:
    """Commitments kept: one row a commitment (its status, both sides quoted), then the sources sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "承诺落实"
    sheet.append(TRACKING_HEADERS)
    for check in t.rounds:
        for o in check.outcomes:
            numbers = [c.n for c in o.citations]
            sheet.append([check.report.heading_label(), check.plan_year,
                          check.next_report.heading_label() if check.next_report else "", o.title, o.status, o.text,
                          "\n".join(c.quote.strip() for c in o.evidence), o.nearest.quote.strip() if o.nearest else "",
                          "、".join(str(n) for n in numbers)])
    _readable(sheet)
    _source_sheet(book, t.citations)
    book.save(str(path))


def series_xlsx(fs, path) -> None:
    """Key figures by year: a sheet of indicators × years (numbers a spreadsheet can chart), and one of
    every value with its sentence."""
    from openpyxl import Workbook

    years = fs.series.years
    book = Workbook()
    sheet = book.active
    sheet.title = "逐年数字"
    sheet.append(["指标", "单位", *(f"{y}年" for y in years), "变化"])
    for row in fs.rows:
        by_year = {p.year: _number(p.number) for p in row.points}
        sheet.append([row.indicator, row.unit, *(by_year.get(y) for y in years), row.movement() or ""])
    _readable(sheet)
    sentences = book.create_sheet("原句")
    sentences.append(FIGURE_HEADERS)
    for row in figure_rows([p for r in fs.rows for p in r.points]):
        sentences.append(row)
    _readable(sentences)
    book.save(str(path))


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in text.split("\n")), default=0)
    return longest


def _readable(sheet, fixed: dict[int, int] | None = None, freeze: str = "A2") -> None:
    """Fit column widths, wrap and top-align every cell, bold and freeze the header row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    fixed = fixed or {}
    for index, column in enumerate(sheet.iter_cols(), 1):
        width = fixed.get(index) or min(MAX_WIDTH, max(MIN_WIDTH, max(_display_width(c.value) for c in column) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = freeze
