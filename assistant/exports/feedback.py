"""Answer feedback as .xlsx: one row per verdict, with the question, the answer and its sources.

Kept apart from spreadsheet.py (documents the product drafts): this exports what users said.
"""

from __future__ import annotations

from pathlib import Path

from assistant.store.feedback import RATING_LABELS, FeedbackRecord

FEEDBACK_HEADERS = ["时间", "用户", "评价", "备注", "问题", "回答", "模式", "引用来源"]
# Column widths in characters (a CJK character counts about two), the long text columns wrapped.
WIDTHS = [17, 10, 10, 30, 36, 70, 12, 70]
WRAPPED = {"备注", "问题", "回答", "引用来源"}
MODE_LABELS = {"extractive": "离线摘录", "generative": "LLM 生成"}


def feedback_rows(records: list[FeedbackRecord]) -> list[list]:
    return [[r.when, r.user or "", RATING_LABELS.get(r.rating, r.rating), r.note, r.question, r.answer,
             MODE_LABELS.get(r.mode or "", r.mode or ""), _sources(r.citations)] for r in records]


def _sources(citations: list[dict]) -> str:
    return "\n".join(f"[{c['n']}] {c.get('region') or ''} {c.get('year') or ''}年 · {c.get('section') or '导语'} · "
                     f"{c.get('report')}：{c.get('quote')}" for c in citations)


def feedback_xlsx(records: list[FeedbackRecord], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "回答反馈"
    sheet.append(FEEDBACK_HEADERS)
    for row in feedback_rows(records):
        sheet.append(row)
    for index, (header, width) in enumerate(zip(FEEDBACK_HEADERS, WIDTHS), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        wrap = Alignment(wrap_text=header in WRAPPED, vertical="top")
        for cell in sheet[get_column_letter(index)]:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    book.save(str(path))
