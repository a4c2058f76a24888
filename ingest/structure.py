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
from .text import YEAR_RE

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

# Words in a top-level heading that tell which standard part it opens. Checked in this order.
PART_KEYWORDS: list[tuple[Part, re.Pattern[str]]] = [
    (Part.PROBLEMS, re.compile(r"问题|不足|短板|差距|薄弱环节")),
    (Part.NEXT, re.compile(r"下一步|打算|工作安排|工作计划|工作要点|努力方向|展望")),
    (Part.DUTY, re.compile(r"第一责任人")),
]
# Words that open a next-steps part only when the heading names a year after the report's.
FUTURE_PART_RE = re.compile(r"安排|思路|重点|任务|计划|目标")
# A paragraph (outside any problems section) that admits problems inline: 仍存在一些问题…一是…
INLINE_PROBLEMS_RE = re.compile(r"(仍|还|也)存在(一些|以下|着)?(问题|不足|短板)|存在的问题(和|与|及)不足|不足之处")
_ENUMERATION_RE = re.compile(r"[一二三四五六七八九十]是")
INLINE_PROBLEMS_SECTION = "存在的问题"


def admits_problems(line: str) -> bool:
    """A body paragraph that lists the report's problems inline (仍存在一些问题…一是…二是…)."""
    return bool(INLINE_PROBLEMS_RE.search(line)) and len(_ENUMERATION_RE.findall(line)) >= 2


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
    for part, pattern in PART_KEYWORDS:
        if pattern.search(title):
            return part
    year = re.match(r"^\D{0,4}" + YEAR_RE.pattern, unicodedata.normalize("NFKC", title))
    if year and report_year and int(year.group(1)) > report_year and FUTURE_PART_RE.search(title):
        return Part.NEXT
    return Part.WORK


def parse_paragraphs(lines: list[str], report_name: str, report_year: int | None) -> list[Paragraph]:
    """Turn cleaned lines into paragraphs, each with its section path and report part."""
    stack: list[_Open] = []
    paragraphs: list[Paragraph] = []
    for line in lines:
        title, rank = split_heading(line)
        if title is not None and rank is not None:
            while stack and stack[-1].rank >= rank:
                stack.pop()
            # Sub-headings belong to the part their top-level heading opened.
            part = stack[0].part if stack else classify_part(title, report_year)
            stack.append(_Open(rank, title, part))
            if is_standalone_heading(line):
                continue
        path = tuple(o.title for o in stack)
        part = stack[-1].part if stack else Part.PREAMBLE
        if part in (Part.WORK, Part.PREAMBLE) and title is None and admits_problems(line):
            part, path = Part.PROBLEMS, (INLINE_PROBLEMS_SECTION,)
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
