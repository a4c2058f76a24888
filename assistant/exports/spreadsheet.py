"""Spreadsheet renderings: a comparison as .xlsx, key figures as .xlsx or .csv."""

from __future__ import annotations

def comparison_xlsx(c, path) -> None:
    from openpyxl import Workbook

    from assistant.documents.comparison import NOT_MENTIONED

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


