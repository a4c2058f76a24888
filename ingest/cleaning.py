"""Remove the chrome of scraped government pages and lift out title, dates, source and signature.

Portal pages wrap the report in lines that belong to the page (site headers with today's date,
无障碍/简体/繁体, breadcrumbs, 来源/发布时间, 政务公开 metadata tables, 【字体】 and share widgets, 一图读懂
links, footers, the title repeated). None of it may be indexed or cited; what it tells (publication
date, issuing office, title) becomes metadata. The kinds of chrome lines are data (data/chrome.tsv).
Every step looks at each line once: linear in the size of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .speaker import speaker_line
from .text import matching_form

CHROME_FILE = Path(__file__).parent / "data" / "chrome.tsv"
# Only lines up to this long can be chrome; report paragraphs are longer or end in sentence punctuation.
MAX_CHROME_CHARS = 160
# Kinds whose pattern would also match a closing signature date: applied only above the report text.
HEAD_ONLY_KINDS = {"source_date"}
# A line this long with sentence punctuation is report prose: the page header ends before it.
PROSE_MIN_CHARS = 50
MAX_TITLE_CHARS = 90
MIN_TITLE_CHARS = 8  # shorter lines with 报告/通知 are column names (工作报告, 通知公告)
TITLE_SEARCH_LINES = 12
# A lone short line above the title or the first paragraph (通知公告, 工作报告, 2022卷) names a column.
MAX_COLUMN_NAME_CHARS = 10
MAX_SIGNER_CHARS = 40
SIGNATURE_LINES = 2  # a closing signing body and date
MAX_ADDRESSEE_CHARS = 80

_BULLET_RE = re.compile(r"^[•·●◆■▪►\-*]+\s*")
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
# Labelled dates, by preference: the page's publication date, then the document's own date.
_LABELLED_DATE_RE = re.compile(r"(发布|更新|公开|成文|生成|发文|印发)?(?:时间|日期)\s*[:：|]?\s*\|?\s*" + _DATE)
_PUBLISH_LABELS = {None, "发布", "更新", "公开"}
_ANY_DATE_RE = re.compile(_DATE)
_EUROPEAN_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_LINE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CN_DATE_LINE_RE = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")
_SOURCE_RE = re.compile(r"(?:信息|文章|稿件)?来源\s*[:：|]\s*\|?\s*([^\s|:：]{2,30})")
_ISSUER_RE = re.compile(r"(?:发布机构|发文机关|发文单位)\s*[:：|]?\s*\|?\s*([^\s|:：]{2,30})")
_SIGNER_RE = re.compile(r"(政府|委员会|办公室|管委会|办事处|街道|司法局|司法厅|党委|党工委|法院|局|厅)$")
_TITLE_WORD_RE = re.compile(r"报告|情况|白皮书|年报|要点|方案|意见|解读|综述|总结|通知|规划|纲要")
_TAG_RE = re.compile(r"^[【\[][^】\]]{1,12}[】\]]\s*")
_ORG_LINE_RE = re.compile(r"(人民政府|政府|司法局|司法厅|委员会|办公室|管委会|管理委员会|法院)$")
_TITLE_CONTINUES_RE = re.compile(r"^(关于|\d{4}\s*年)")
_ADDRESSEE_RE = re.compile(r"[:：]$")
_HEADING_RE = re.compile(r"^([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.])")
_SENTENCE_MARK_RE = re.compile(r"[。；;！？!?]")


def _load_kinds() -> list[tuple[str, re.Pattern[str]]]:
    kinds = []
    for line in CHROME_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, pattern = line.split("\t", 1)
            kinds.append((kind, re.compile(pattern)))
    return kinds


CHROME_KINDS = _load_kinds()


@dataclass
class CleanText:
    lines: list[str]
    title: str | None = None
    published: str | None = None
    signer: str | None = None
    speaker: str | None = None  # who delivered it (山东省省长 周乃翔), from a line under the dateline
    signed: str | None = None
    source: str | None = None  # the 来源 of a portal page (often the office that posted it)
    issuer: str | None = None  # 发布机构 / 发文机关 of a 政务公开 metadata table
    addressee: str | None = None  # a line the report is addressed to (中共XX县委、县人民政府：): names the parent
    removed: list[str] = field(default_factory=list)
    removed_kinds: list[str] = field(default_factory=list)


def chrome_kind(line: str, in_head: bool = True) -> str | None:
    """The kind of page furniture `line` is, or None for report text."""
    if len(line) > MAX_CHROME_CHARS:
        return None
    form = _BULLET_RE.sub("", matching_form(line)).strip()
    if not form:
        return "empty"
    for kind, pattern in CHROME_KINDS:
        if (in_head or kind not in HEAD_ONLY_KINDS) and pattern.search(form):
            return kind
    return None


def clean(text: str) -> CleanText:
    """Split into non-empty stripped lines and drop page furniture, keeping what it tells as metadata."""
    raw = [_strip(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in raw if line]
    result = CleanText(lines=[])
    head_end = _first_prose(lines)
    dates: list[tuple[int, str]] = []
    kept: list[str] = []
    for index, line in enumerate(lines):
        kind = chrome_kind(line, in_head=index < head_end)
        if kind is None:
            kept.append(_BULLET_RE.sub("", line) if index < head_end else line)
            continue
        _read_chrome(result, line, kind, dates)
        result.removed.append(line)
        result.removed_kinds.append(kind)
    if dates:
        result.published = min(dates)[1]
    result.lines = kept
    _lift_signature(result)
    _lift_title(result)
    _lift_speaker(result)
    _drop_column_names(result)
    _find_addressee(result)
    return result


def _strip(line: str) -> str:
    return line.strip(" \t\u3000\u00a0\ufeff\u200b")


def _first_prose(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if len(line) >= PROSE_MIN_CHARS and _SENTENCE_MARK_RE.search(line) or _HEADING_RE.match(matching_form(line)):
            return index
    return max(0, len(lines) - SIGNATURE_LINES)  # no prose: keep the last lines for a signature


def _read_chrome(result: CleanText, line: str, kind: str, dates: list[tuple[int, str]]) -> None:
    """Keep what a chrome line tells: dates (ranked by how surely they are the publication date), offices."""
    form = matching_form(line)
    if kind == "site_header":
        return  # today's date on a portal header is the crawl date, never the report's
    for match in _LABELLED_DATE_RE.finditer(form):
        rank = 0 if match.group(1) in _PUBLISH_LABELS else 1
        dates.append((rank, _iso(*match.groups()[1:])))
    if kind == "source_date" and not _LABELLED_DATE_RE.search(form):
        bare = _ANY_DATE_RE.search(form)
        european = _EUROPEAN_DATE_RE.match(form)
        if bare:
            dates.append((2, _iso(*bare.groups())))
        elif european:
            day, month, year = european.groups()
            dates.append((2, _iso(year, month, day)))
    if (source := _SOURCE_RE.search(form)) and not result.source:
        result.source = source.group(1)
    if (issuer := _ISSUER_RE.search(form)) and not result.issuer:
        result.issuer = issuer.group(1)


def _title_key(line: str) -> str:
    form = _TAG_RE.sub("", matching_form(line))
    return re.sub(r"[\s的]", "", form)


def _is_title(line: str) -> bool:
    form = _TAG_RE.sub("", matching_form(line))
    return (MIN_TITLE_CHARS <= len(form) <= MAX_TITLE_CHARS and not _SENTENCE_MARK_RE.search(form) and not form.endswith((":", "："))
            and bool(_TITLE_WORD_RE.search(form)) and not _HEADING_RE.match(form))


def _lift_title(result: CleanText) -> None:
    """The first title-like line near the top (joined with an issuing-body line above it); its repeats go."""
    lines = result.lines
    limit = min(len(lines), TITLE_SEARCH_LINES)
    for index in range(limit):
        line = lines[index]
        if len(line) >= PROSE_MIN_CHARS and _SENTENCE_MARK_RE.search(line):
            return
        joined = None
        if (index + 1 < len(lines) and len(line) <= MAX_SIGNER_CHARS and _ORG_LINE_RE.search(line)
                and _TITLE_CONTINUES_RE.match(lines[index + 1]) and _is_title(lines[index + 1])):
            joined = line + lines[index + 1]
        if joined or _is_title(line):
            result.title = _TAG_RE.sub("", joined or line).strip()
            del lines[index : index + (2 if joined else 1)]
            _drop_repeats(result, index)
            return


def _drop_repeats(result: CleanText, start: int) -> None:
    """Remove later copies of the title above the report text ('…情况的报告' / '…情况报告', a tag prefix)."""
    key = _title_key(result.title or "")
    index = 0
    while index < min(len(result.lines), start + TITLE_SEARCH_LINES):
        line = result.lines[index]
        other = _title_key(line)
        if other and len(line) <= MAX_TITLE_CHARS and (other == key or (len(other) >= 6 and (other in key or key in other))):
            result.removed.append(line)
            result.removed_kinds.append("title_twice")
            del result.lines[index]
            continue
        if len(line) >= PROSE_MIN_CHARS and _SENTENCE_MARK_RE.search(line):
            return
        index += 1


def _lift_speaker(result: CleanText) -> None:
    """An office and a name above the first paragraph, on one line or two (国务院总理 / 李克强): the speaker."""
    lines = result.lines
    for index in range(min(len(lines), TITLE_SEARCH_LINES)):
        line = matching_form(lines[index])
        if len(line) >= PROSE_MIN_CHARS or _SENTENCE_MARK_RE.search(line):
            return
        if found := speaker_line(line, matching_form(lines[index + 1]) if index + 1 < len(lines) else None):
            result.speaker, taken = found
            result.removed.extend(lines[index : index + taken])
            result.removed_kinds.extend(["speaker"] * taken)
            del lines[index : index + taken]
            return


def _drop_column_names(result: CleanText) -> None:
    """Lone short lines above the first paragraph that are neither headings nor an addressee: column names."""
    lines = result.lines
    index = 0
    while index < len(lines) and index < TITLE_SEARCH_LINES:
        line = lines[index]
        form = matching_form(line)
        if len(line) >= PROSE_MIN_CHARS or _HEADING_RE.match(form) or _ADDRESSEE_RE.search(form):
            return
        if (len(form) <= MAX_COLUMN_NAME_CHARS and not _SENTENCE_MARK_RE.search(form) and not _ORG_LINE_RE.search(form)
                and not re.search(r"[|\d]", form)):  # table cells and figures are report content
            result.removed.append(line)
            result.removed_kinds.append("column_name")
            del lines[index]
            continue
        index += 1


def _find_addressee(result: CleanText) -> None:
    for line in result.lines[:3]:
        if len(line) <= MAX_ADDRESSEE_CHARS and _ADDRESSEE_RE.search(matching_form(line)):
            result.addressee = line
            return


def _lift_signature(result: CleanText) -> None:
    """A closing '<signing body>' line and '<date>' line are metadata, not report text."""
    lines = result.lines
    if lines and (date := _signature_date(lines[-1])):
        result.signed = date
        lines.pop()
        if lines and len(lines[-1]) <= MAX_SIGNER_CHARS and _SIGNER_RE.search(matching_form(lines[-1])):
            result.signer = lines.pop()
    if not result.published and result.signed:
        result.published = result.signed  # set after the page's own dates were read


def _signature_date(line: str) -> str | None:
    form = matching_form(line).replace(" ", "")
    if match := _DATE_LINE_RE.match(form):
        return _iso(*match.groups())
    if match := _CN_DATE_LINE_RE.match(form):
        digits = "〇一二三四五六七八九"
        year = "".join(str(digits.index(c)) if c in digits else "0" for c in match.group(1).replace("○", "〇").replace("零", "〇"))
        return _iso(year, str(_cn_small(match.group(2))), str(_cn_small(match.group(3))))
    return None


def _cn_small(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十八 → 28, 三十一 → 31 (month and day numbers)."""
    digits = "〇一二三四五六七八九"
    if "十" not in text:
        return digits.index(text)
    tens, _, ones = text.partition("十")
    return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
