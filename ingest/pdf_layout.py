"""From the positioned lines of a published PDF's pages to the report's paragraphs.

Offices publish reports as PDFs laid out for print: a running header and footer on most pages, page
numbers (— 3 —, 第3页, - 3 -, 3/12), a red-header first page (发文机关标志 …文件, 文号 X府发〔2023〕5号,
签发人), a 版记 at the end (抄送：…, …印发), every line wrapped at the page width and paragraphs broken
across pages. None of the furniture is report text; the wrapped lines are one paragraph again.

Where a line ends tells more than its last character: a line that reaches the right margin goes on in
the next line unless that one is indented (official documents indent a paragraph's first line by two
characters), so a paragraph that wraps right after a 。 is still one paragraph. A document drawn
without indents falls back on punctuation: a line that ends no sentence goes on.

Text-layer pages give characters and OCR gives line boxes: both become `Fragment`s grouped into
`Line`s here. Every step is one pass over the lines (sorting is per page, whose size is bounded).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from .structure import heading_level, is_standalone_heading

# Lines among a page's first or last few, inside this share of the page height, may be furniture.
EDGE_LINES = 3
EDGE_SHARE = 0.15
# A running header or footer is on at least this share of the pages (and on two at least).
RUNNING_SHARE = 0.5
# Between two pieces of one line: a gap this many character widths wide separates table cells.
CELL_GAP = 2.0
# Red-header lines and 版记 lines are looked for among this many lines at the start and the end.
HEAD_LINES = 8
TAIL_LINES = 15
CELL_SEPARATOR = " | "

_DASH = r"\-—–―－~～·•一_"
PAGE_NUMBER_RE = re.compile(
    rf"^(?:[{_DASH}\s]*\d{{1,4}}[{_DASH}\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$", re.IGNORECASE)
ISSUER_MARK_RE = re.compile(r"^([\u4e00-\u9fff（）()、]{2,40}?)文件$")  # 发文机关标志: XX区人民政府文件
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[(（【「]\s*\d{4}\s*[〕\])）】」]\s*\d{1,4}\s*号")
HEAD_MARK_RE = re.compile(r"^(?:签发人[:：]|份号|密级|紧急程度|(?:特急|加急|平急|特提|秘密|机密|绝密)(?:[★☆]|$)|\d{6}$)")
COPY_LINE_RE = re.compile(r"^(?:抄送|抄报|分送|发送)[:：]|印发$")
_SENTENCE_END = "。！？；：:!?;…"
_CLOSERS = "”’」』)）】》\"'"


@dataclass
class Fragment:
    """A piece of text with its box: one character of a text layer, or one box OCR read."""

    text: str
    x0: float
    x1: float
    top: float  # from the page's top edge, in the page's units (points)
    bottom: float


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    ocr: bool = False
    table: bool = False  # cells were found in it: a table row, never joined to another line

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass
class PageLines:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]


def group_lines(fragments: list[Fragment], ocr: bool = False,
                rules: list[tuple[float, float, float]] = ()) -> list[Line]:
    """Fragments on one baseline make a line, read left to right; a wide gap or a vertical rule between
    two of them (x, top, bottom) separates table cells."""
    rules = sorted(rules)
    ordered = sorted(fragments, key=lambda f: (f.top + f.bottom) / 2)
    lines: list[Line] = []
    current: list[Fragment] = []
    centre = 0.0
    for fragment in ordered:
        middle = (fragment.top + fragment.bottom) / 2
        if current and abs(middle - centre) <= 0.45 * max(fragment.bottom - fragment.top, current[0].bottom - current[0].top):
            current.append(fragment)
            centre += (middle - centre) / len(current)
            continue
        if current:
            lines.append(_line(current, ocr, rules))
        current, centre = [fragment], middle
    if current:
        lines.append(_line(current, ocr, rules))
    return lines


def _line(fragments: list[Fragment], ocr: bool, rules) -> Line:
    fragments.sort(key=lambda f: f.x0)
    height = max(f.bottom - f.top for f in fragments)
    width = _char_width(fragments, height)
    middle = (min(f.top for f in fragments) + max(f.bottom for f in fragments)) / 2
    parts = [fragments[0].text]
    table = False
    for left, right in zip(fragments, fragments[1:]):
        gap = right.x0 - left.x1
        if gap > CELL_GAP * width or (gap > 0 and _ruled(left.x1, right.x0, middle, rules)):
            parts.append(CELL_SEPARATOR)
            table = True
        elif ocr and _spaced(left.text[-1], right.text[0], gap, width):
            parts.append(" ")  # a text layer has its spaces as characters; OCR's boxes do not
        parts.append(right.text)
    return Line(re.sub(r" {2,}", " ", "".join(parts)).strip(), fragments[0].x0, max(f.x1 for f in fragments),
                min(f.top for f in fragments), max(f.bottom for f in fragments), ocr, table)


def _char_width(fragments: list[Fragment], height: float) -> float:
    chars = sum(len(f.text) for f in fragments)
    span = sum(f.x1 - f.x0 for f in fragments)
    return min(height, span / chars) if chars else height


def _ruled(left: float, right: float, middle: float, rules: list[tuple[float, float, float]]) -> bool:
    """A vertical rule (rules sorted by x) crosses the line's middle between `left` and `right`."""
    index = bisect_left(rules, (left - 1,))
    while index < len(rules) and rules[index][0] <= right + 1:
        if rules[index][1] <= middle <= rules[index][2]:
            return True
        index += 1
    return False


def _spaced(before: str, after: str, gap: float, width: float) -> bool:
    """A space the text had between Latin letters or digits and anything else (86 件, Word 文件)."""
    return gap > 0.2 * width and (before.isascii() and before.isalnum() or after.isascii() and after.isalnum())


# --- furniture --------------------------------------------------------------------------------

def _form(text: str) -> str:
    return re.sub(r"[\s|]", "", unicodedata.normalize("NFKC", text))


def _edge_lines(page: PageLines) -> list[tuple[str, Line]]:
    """Lines that may be a header or footer: among the first or last few, near the page's edges."""
    out = []
    for index, line in enumerate(page.lines):
        if index < EDGE_LINES and line.bottom <= EDGE_SHARE * page.height:
            out.append(("top", line))
        elif index >= len(page.lines) - EDGE_LINES and line.top >= (1 - EDGE_SHARE) * page.height:
            out.append(("bottom", line))
    return out


def drop_furniture(pages: list[PageLines]) -> None:
    """Remove page numbers and running headers and footers from every page, in place."""
    seen: dict[tuple[str, str], list[tuple[int, Line]]] = defaultdict(list)
    furniture: set[int] = set()
    for page_index, page in enumerate(pages):
        for zone, line in _edge_lines(page):
            form = _form(line.text)
            if PAGE_NUMBER_RE.match(unicodedata.normalize("NFKC", line.text).strip()):
                furniture.add(id(line))
            elif form:
                seen[(zone, re.sub(r"\d+", "#", form))].append((page_index, line))
    needed = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    for occurrences in seen.values():
        if len({page_index for page_index, _ in occurrences}) < needed:
            continue
        tops = sorted(line.top for _, line in occurrences)
        usual = tops[len(tops) // 2]
        furniture.update(id(line) for _, line in occurrences if abs(line.top - usual) <= 2 * line.size)
    for page in pages:
        page.lines = [line for line in page.lines if id(line) not in furniture]


def red_header(lines: list[Line]) -> tuple[list[Line], str | None]:
    """Drop the red header's lines from the first page's head (发文机关标志, 文号, 签发人, 份号, 密级, 紧急程度);
    the issuing body its mark names is returned. The mark is large type among the first lines: a title
    that ends in 文件 (关于清理行政规范性文件…) is not one."""
    issuer = None
    kept = []
    sizes = sorted(line.size for line in lines)
    usual = sizes[len(sizes) // 2] if sizes else 0.0
    for index, line in enumerate(lines):
        form = _form(line.text)
        if index < HEAD_LINES:
            if (match := ISSUER_MARK_RE.match(form)) and index < 3 and line.size >= 1.3 * usual:
                issuer = issuer or match.group(1)
                continue
            if DOC_NUMBER_RE.fullmatch(form) or (DOC_NUMBER_RE.search(form) and "签发人" in form) or HEAD_MARK_RE.match(form):
                continue
        kept.append(line)
    return kept, issuer


def copy_block_start(lines: list[Line]) -> int:
    """Where the 版记 (抄送：…, …印发) starts among the last lines, else len(lines)."""
    for index in range(max(0, len(lines) - TAIL_LINES), len(lines)):
        if COPY_LINE_RE.search(_form(lines[index].text)):
            return index
    return len(lines)


# --- paragraphs -------------------------------------------------------------------------------

@dataclass
class _Metrics:
    left: float
    right: float
    char: float
    body_size: float


def _cluster_edge(values: list[float], tolerance: float, lowest: bool) -> float | None:
    """The lowest (or highest) value shared by at least a tenth of the lines (two at least): a margin."""
    if not values:
        return None
    values = sorted(values, reverse=not lowest)
    need = max(2, len(values) // 10)
    for index in range(len(values) - need + 1):
        if abs(values[index + need - 1] - values[index]) <= tolerance:
            return values[index]
    return values[0]


def _metrics(lines: list[Line], fallback: _Metrics | None = None) -> _Metrics | None:
    long = [line for line in lines if len(line.text) >= 8 and not line.table]
    if len(long) < 4:
        return fallback
    widths = sorted((line.x1 - line.x0) / len(line.text) for line in long)
    char = widths[len(widths) // 2]
    sizes = sorted(line.size for line in long)
    left = _cluster_edge([line.x0 for line in long], char / 2, lowest=True)
    right = _cluster_edge([line.x1 for line in long], char / 2, lowest=False)
    return _Metrics(left, right, char, sizes[len(sizes) // 2])


def _ends_sentence(text: str) -> bool:
    text = text.rstrip().rstrip(_CLOSERS)
    return bool(text) and text[-1] in _SENTENCE_END


def paragraphs(pages: list[PageLines]) -> list[tuple[str, bool]]:
    """The body lines of all pages joined into paragraphs: (text, read by OCR)."""
    everything = [line for page in pages for line in page.lines]
    whole = _metrics(everything)
    if whole is None:
        return [(line.text, line.ocr) for line in everything]
    placed = [(line, _metrics(page.lines, whole) or whole) for page in pages for line in page.lines]
    indented = sum(1 for line, m in placed if 1.5 * m.char <= line.x0 - m.left <= 2.6 * m.char)
    indents = indented >= max(2, len(placed) // 20)  # the document indents its paragraphs' first lines
    out: list[list] = []
    previous: tuple[Line, _Metrics] | None = None
    for line, metrics in placed:
        if previous is not None and _continues(previous, (line, metrics), indents, out[-1][0]):
            out[-1][0] += (" " if _latin(out[-1][0][-1:]) and _latin(line.text[:1]) else "") + line.text
            out[-1][1] = out[-1][1] or line.ocr
        else:
            out.append([line.text, line.ocr])
        previous = (line, metrics)
    return [(text, ocr) for text, ocr in out]


def _latin(char: str) -> bool:
    """Latin words wrapped at a line end had a space there; a number (20|22) or Chinese did not."""
    return char.isascii() and char.isalpha()


def _continues(previous: tuple[Line, _Metrics], current: tuple[Line, _Metrics], indents: bool, so_far: str) -> bool:
    """True when `current` is the wrapped rest of the paragraph `previous` ends."""
    (before, m0), (line, m1) = previous, current
    if before.table or line.table:
        return False
    big = min(before.size, line.size) >= 1.15 * m1.body_size
    if big and _centred(before, m0) and _centred(line, m1) and not _ends_sentence(before.text):
        return True  # a title set over two lines
    if line.x0 - m1.left >= m1.char or heading_level(line.text) is not None:
        return False  # indented (a new paragraph, a centred or right-aligned line) or a numbered heading
    fills = before.x1 >= m0.right - 1.5 * m0.char
    if indents and fills:
        return True
    if _ends_sentence(before.text) or is_standalone_heading(so_far) or before.size >= 1.15 * m0.body_size:
        return False
    # A line short of the margin that ends no sentence: wrapped where the PDF's maker broke it (or OCR's
    # box ended early), unless it stands apart from the body (centred, right-aligned).
    reach = 2.6 if indents else 1.0
    return fills or before.x0 - m0.left < reach * m0.char


def _centred(line: Line, metrics: _Metrics) -> bool:
    middle = (metrics.left + metrics.right) / 2
    return abs((line.x0 + line.x1) / 2 - middle) <= 2 * metrics.char and line.x0 - metrics.left >= metrics.char
