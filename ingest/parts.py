"""Which standard part of a report a heading, paragraph or question is about: the one place that knows.

The vocabulary is data (data/part_headings.tsv). Structure parsing asks `heading_part` for each
top-level heading, `combined` for headings that hold problems and next steps together (存在的问题和
下一步工作打算: problems first, next steps from the paragraph that turns to them), and `admits_problems`
for body paragraphs listing problems inline. The question parser asks `question_part`.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Part
from .text import YEAR_RE, matching_form

VOCABULARY_FILE = Path(__file__).parent / "data" / "part_headings.tsv"
# Inline problems must be enumerated at least this many times (一是…二是…) to be the problems part.
MIN_INLINE_ITEMS = 2
_ENUMERATION_RE = re.compile(r"[一二三四五六七八九十]是")
_PART_ORDER = (Part.PROBLEMS, Part.NEXT, Part.DUTY)


def _load() -> dict[tuple[str, str], re.Pattern[str]]:
    cues: dict[tuple[str, str], list[str]] = {}
    for line in VOCABULARY_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            part, scope, pattern = line.split("\t", 2)
            cues.setdefault((part, scope), []).append(pattern)
    return {key: re.compile("|".join(f"(?:{p})" for p in patterns)) for key, patterns in cues.items()}


CUES = _load()


def _cue(part: Part, scope: str) -> re.Pattern[str] | None:
    return CUES.get((part.value, scope))


def is_combined(title: str) -> bool:
    """A heading that holds problems and next steps together (存在的问题和下一步工作打算)."""
    pattern = _cue(Part.PROBLEMS, "combined")
    return bool(pattern and pattern.search(matching_form(title)))


def heading_part(title: str, report_year: int | None) -> Part:
    """The part a top-level heading opens; a combined heading opens with its problems."""
    form = matching_form(title)
    for part in _PART_ORDER:
        pattern = _cue(part, "heading")
        if pattern and pattern.search(form):
            return part
    year = re.match(r"^\D{0,6}" + YEAR_RE.pattern, form)
    future = _cue(Part.NEXT, "future")
    if year and report_year and int(year.group(1)) > report_year and future and future.search(form):
        return Part.NEXT
    return Part.WORK


def turns_to_next(text: str, heading: str | None = None) -> bool:
    """Inside a combined part: this paragraph (or its sub-heading) begins the next steps (下一步，我区将…)."""
    if heading and not is_combined(heading) and heading_part(heading, None) == Part.NEXT:
        return True
    pattern = _cue(Part.NEXT, "transition")
    return bool(pattern and pattern.search(matching_form(text)))


def admits_problems(text: str) -> bool:
    """A body paragraph that lists the report's problems inline (仍存在一些问题…一是…二是…), or that opens
    by admitting them (在肯定成绩的同时，我们也清醒看到…)."""
    pattern = _cue(Part.PROBLEMS, "inline")
    form = matching_form(text)
    listed = bool(pattern and pattern.search(form)) and len(_ENUMERATION_RE.findall(form)) >= MIN_INLINE_ITEMS
    return listed or opens_with_problems(text)


def opens_with_problems(text: str) -> bool:
    """A body paragraph that opens by admitting problems (我们也清醒看到…困难和挑战), listing them in prose."""
    pattern = _cue(Part.PROBLEMS, "opening")
    return bool(pattern and pattern.search(matching_form(text)))


def is_review(title: str) -> bool:
    """A top-level title of a review of the work done (2025年工作回顾, 取得新进展新成效)."""
    pattern = _cue(Part.WORK, "review")
    return bool(pattern and pattern.search(matching_form(title)))


def question_cue(part: Part) -> re.Pattern[str] | None:
    """The words a question uses for a part (to read them as the part, not as the question's topic)."""
    return _cue(part, "question")


def question_part(question: str) -> Part | None:
    """The part a question asks about (存在哪些问题 → problems; 明年计划 → next), if any."""
    form = matching_form(question)
    for part in (Part.PROBLEMS, Part.NEXT):
        pattern = _cue(part, "question")
        if pattern and pattern.search(form):
            return part
    return None
