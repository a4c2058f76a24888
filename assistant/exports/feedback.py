"""Answer feedback as .xlsx: one row per verdict, with the question, the answer and its sources.

Kept apart from spreadsheet.py (documents the product drafts): this exports what users said.
"""

from __future__ import annotations

from pathlib import Path

from assistant.exports.spreadsheet import table_xlsx
from assistant.store.feedback import RATING_LABELS, FeedbackRecord

FEEDBACK_HEADERS = ["时间", "用户", "评价", "备注", "问题", "回答", "模式", "引用来源"]
# Column widths in characters (a CJK character counts about two).
WIDTHS = [17, 10, 10, 30, 36, 70, 12, 70]
MODE_LABELS = {"extractive": "离线摘录", "generative": "大模型生成"}


def feedback_rows(records: list[FeedbackRecord]) -> list[list]:
    return [[r.when, r.user or "", RATING_LABELS.get(r.rating, r.rating), r.note, r.question, r.answer,
             MODE_LABELS.get(r.mode or "", r.mode or ""), _sources(r.citations)] for r in records]


def _sources(citations: list[dict]) -> str:
    return "\n".join(f"[{c['n']}] {c.get('region') or ''} {c.get('year') or ''}年 · {c.get('section') or '导语'} · "
                     f"{c.get('report')}：{c.get('quote')}" for c in citations)


def feedback_xlsx(records: list[FeedbackRecord], path: Path) -> None:
    table_xlsx(path, "回答反馈", FEEDBACK_HEADERS, feedback_rows(records), WIDTHS)
