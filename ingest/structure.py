"""Parse a report's own outline (一、 → （一） → 1. → （1）) into a section path for every paragraph.

Headings are matched on the NFKC form, so （一） and (一), 1． and 1. are the same; the paragraph keeps
its original characters for display and citation. A heading either stands on its own line or opens a
paragraph ("（二）推进行政决策科学化…。一是…"): then its first sentence is the heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Paragraph, Part
from .parts import admits_problems, heading_part, is_combined, is_review, turns_to_next

CN_NUM = "一二三四五六七八九十百零〇"
# Heading kinds, outermost first: the rank is the nesting level in official documents.
HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{CN_NUM}]+(?:部分|章|节)\s*")),
    (1, re.compile(rf"^[{CN_NUM}]+\s*[、.]\s*")),
    (2, re.compile(rf"^\(\s*[{CN_NUM}]+\s*\)\s*[、.]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*[、.](?!\d)\s*")),
    (4, re.compile(r"^\(\s*\d{1,2}\s*\)\s*[、.]?\s*")),
]
# A heading's title is at most this long; a longer first sentence means the line is body text.
MAX_HEADING_CHARS = 60
_TITLE_END_RE = re.compile(r"[。！？；!?;:：]")

INLINE_PROBLEMS_SECTION = "存在的问题"
_PARTS_RE = re.compile(rf"^第[{CN_NUM}]+部分")


def heading_level(line: str) -> int | None:
    """The nesting rank of the heading `line` opens with, or None for body text."""
    return _match_heading(line)[0]


def _match_heading(line: str) -> tuple[int | None, int]:
    norm = unicodedata.normalize("NFKC", line)
    for rank, pattern in HEADING_PATTERNS:
        match = pattern.match(norm)
        if match and match.end() < len(norm):
            return rank, match.end()
    return None, 0


def is_standalone_heading(line: str) -> bool:
    """A heading line with no body after its title (no sentence-ending punctuation inside)."""
    return heading_level(line) is not None and len(line) <= MAX_HEADING_CHARS and not _TITLE_END_RE.search(line[:-1])


@dataclass
class _Open:
    rank: int
    title: str
    part: Part
    combined: bool = False  # problems and next steps under one heading


def split_heading(line: str) -> tuple[str | None, int | None]:
    """(heading title, rank) if the line opens with a heading, else (None, None).

    The title is the whole line for a standalone heading, else the line up to its first sentence end.
    """
    rank, _ = _match_heading(line)
    if rank is None:
        return None, None
    if is_standalone_heading(line):
        return line.rstrip("。"), rank
    end = _TITLE_END_RE.search(line)
    if end and end.start() <= MAX_HEADING_CHARS:
        return line[: end.start()], rank
    return None, None  # a numbered line whose first sentence is long is an enumerated body paragraph


def classify_part(title: str, report_year: int | None) -> Part:
    """The part a top-level heading opens (vocabulary in ingest/parts.py)."""
    return heading_part(title, report_year)


def _is_bodiless_item(rank: int, following: list[str], has_parts: bool) -> bool:
    """A numbered sub-heading with nothing under it before the next item of its rank or above — a one-line
    task such as （一）深化综合执法改革，推动执法力量下沉。 — is content, not only a title: it is kept as
    a paragraph (top-level headings are section titles even when empty)."""
    if rank < 2:
        return False
    if not following:
        return True
    _, next_rank = split_heading(following[0])
    if next_rank is None:
        return False
    if has_parts and not _PARTS_RE.match(unicodedata.normalize("NFKC", following[0])):
        next_rank += 1
    return next_rank <= rank


def parse_paragraphs(lines: list[str], report_name: str, report_year: int | None,
                     plans_after_review: bool = False) -> list[Paragraph]:
    """Turn cleaned lines into paragraphs, each with its section path and report part.

    `plans_after_review`: a report given at a 人大 session (政府工作报告) reviews the past year first, and
    everything after its review is what it plans, whatever its titles say (三、全面加强政府自身建设)."""
    stack: list[_Open] = []
    top_titles = 0
    paragraphs: list[Paragraph] = []
    has_parts = False  # a report divided into 第一部分… numbers its sections 一、 inside them
    pending: str | None = None  # a sub-heading alone on its line, waiting for its first body paragraph
    for index, line in enumerate(lines):
        title, rank = split_heading(line)
        pending, held = None, pending
        if title is not None and rank is not None:
            if _PARTS_RE.match(unicodedata.normalize("NFKC", title)):
                has_parts = True
            elif has_parts:
                rank += 1
            while stack and stack[-1].rank >= rank:
                stack.pop()
            # Sub-headings belong to the part their top-level heading opened.
            if stack:
                part = stack[0].part
            else:
                part = classify_part(title, report_year)
                if plans_after_review and top_titles and part == Part.WORK and not is_review(title):
                    part = Part.NEXT
                top_titles += 1
            stack.append(_Open(rank, title, part, combined=not stack and is_combined(title)))
            if stack[0].combined and len(stack) > 1 and turns_to_next(title, title):
                stack[0].part = part = Part.NEXT  # 下一步工作打算 as a sub-heading of a combined part
                stack[-1].part = part
            if is_standalone_heading(line) and not _is_bodiless_item(rank, lines[index + 1 :], has_parts):
                pending = line if rank >= 2 else None
                continue
        if stack and stack[0].combined and stack[0].part == Part.PROBLEMS and turns_to_next(line):
            for open_ in stack:
                open_.part = Part.NEXT  # the paragraph that turns from problems to plans (下一步，我区将…)
        path = tuple(o.title for o in stack)
        part = stack[-1].part if stack else Part.PREAMBLE
        if part in (Part.WORK, Part.PREAMBLE) and title is None and admits_problems(line):
            part, path = Part.PROBLEMS, (INLINE_PROBLEMS_SECTION,)
        if held is not None and title is None:
            # （四）应诉能力有待提升 on its own line names the item its body paragraph states: they are one
            # paragraph, so the item's heading can be found, quoted and listed with its body.
            line, title = f"{held}\n{line}", split_heading(held)[0]
        ordinal = len(paragraphs) + 1
        paragraphs.append(
            Paragraph(
                id=f"{report_name}#p{ordinal:03d}",
                ordinal=ordinal,
                text=line,
                section_path=path,
                part=part,
                heading=title,
            )
        )
    return paragraphs


# A paragraph shorter than this (a bare date, a stray heading) is not a report's opening, nor is a short
# line ending with a colon (中共XX县委、XX县人民政府：, the addressee).
MIN_OPENING_CHARS = 15
MAX_ADDRESSEE_CHARS = 40


def opening_paragraph(paragraphs: list[Paragraph]) -> Paragraph | None:
    """The report's opening paragraph, which names its region and year in most reports."""
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        addressee = len(text) <= MAX_ADDRESSEE_CHARS and text.endswith(("：", ":"))
        if len(text) >= MIN_OPENING_CHARS and not addressee:
            return paragraph
    return paragraphs[0] if paragraphs else None
