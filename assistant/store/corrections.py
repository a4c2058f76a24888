"""Checks on a user's metadata corrections, shared by the CLI and the app (through the service)."""

from __future__ import annotations

import datetime

from ingest.model import LEVELS, DocType

from assistant.errors import UsageError


def check_corrections(fields: dict[str, str | None]) -> None:
    """Refuse values the library could not use, with one line saying what is expected."""
    for key, label in (("year", "年份"), ("plan_year", "计划年份")):
        year = fields.get(key)
        if year is not None and not (str(year).isdigit() and len(str(year)) == 4):
            raise UsageError(f"{label}应为四位数字，例如 2024（收到“{year}”）")
    level = fields.get("level")
    if level is not None and level not in LEVELS:
        raise UsageError(f"级别应为 {'、'.join(LEVELS)} 之一（收到“{level}”）")
    doc_type = fields.get("doc_type")
    if doc_type is not None and doc_type not in {d.value for d in DocType}:
        raise UsageError(f"文件类型应为 {'、'.join(d.value for d in DocType)} 之一（收到“{doc_type}”）")
    published = fields.get("published")
    if published is not None:
        try:
            datetime.date.fromisoformat(str(published))
        except ValueError as exc:
            raise UsageError(f"发布日期应写成 2024-03-15 这样的形式（收到“{published}”）") from exc
