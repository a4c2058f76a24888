"""What kind of document a file is: only 法治政府建设年度报告 feed figures and comparisons by default.

A court's 行政审判 report, a 政府信息公开工作年度报告, a 依法行政 report of the older style, a 复议/应诉
case analysis, a plan, a policy interpretation or a news item can all look like a report; each is told
by how it is titled and how it opens. The rules are data (data/doc_types.tsv), tried in order.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import DocType

RULES_FILE = Path(__file__).parent / "data" / "doc_types.tsv"
OPENING_CHARS = 1500


def _rules() -> list[tuple[DocType, str, re.Pattern[str]]]:
    rules = []
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, where, pattern = line.split("\t", 2)
            rules.append((DocType(kind), where, re.compile(pattern, re.S)))
    return rules


RULES = _rules()


def classify(title: str | None, opening: str) -> DocType:
    """The document type from its title and opening text (both in matching form)."""
    head = ((title or "") + "\n" + opening)[:OPENING_CHARS]
    for kind, where, pattern in RULES:
        if pattern.search(title or "" if where == "title" else head):
            return kind
    return DocType.OTHER
