"""Choosing quotes from report paragraphs: a part's items, and long sentences trimmed to what matters.

Shared by answers, comparisons and plans, which all cite the reports' own words.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.model import Paragraph
from ingest.structure import HEADING_PATTERNS, heading_level
from ingest.text import YEAR_RE, normalise, numbers_in, split_sentences

# A quoted sentence longer than this is trimmed to its most relevant run of clauses.
MAX_QUOTE_CHARS = 120
_CLAUSE_MARKS = set(",，;；:：")
_OPENING, _CLOSING = set("(（[【“‘《"), set(")）]】”’》")
_ENUM_RE = re.compile(r"[一二三四五六七八九十]+是")
_LEADING_ENUM_RE = re.compile(r"^[一二三四五六七八九十]+是[,，、:：]?")
# A numbered sentence this short (after its number, without figures or a second clause) is a title.
MAX_TITLE_CHARS = 30
# Numbers inside a quoted name (“3·15”消费者权益日, 《…2021—2025年》) are no figures.
_QUOTED_NAME_RE = re.compile(r"“[^”]{1,20}”|《[^》]{1,60}》")


def _clauses(text: str, brackets: bool = True) -> list[tuple[int, int]]:
    """Clause spans, cut at commas, semicolons and colons outside brackets and quotes: 刑事立案数(同比
    下降13.4%，降幅全市第一) stays one clause. A bracket the text never closes (案件类警情(同比下降21.9%，…)
    would swallow the rest: then every mark cuts."""
    spans, start, depth = [], 0, 0
    for i, char in enumerate(text):
        if brackets and char in _OPENING:
            depth += 1
        elif brackets and char in _CLOSING:
            depth = max(0, depth - 1)
        elif char in _CLAUSE_MARKS and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    if brackets and depth > 0:
        return _clauses(text, brackets=False)
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip(",，;；:： ")]


def trim_to_clauses(text: str, start: int, end: int, matched: frozenset[str], want_figure: bool = False) -> tuple[int, int]:
    """Shorten a long sentence to its best run of clauses (those with the matched words and figures).
    Clauses keep their brackets whole unless that leaves no short run holding what was asked (a list of
    bracketed figures longer than a quote: 案件类警情(同比下降21.9%，…)、刑事立案数(…)…)."""
    if end - start <= MAX_QUOTE_CHARS:
        return start, end
    found, value = _best_run(text, start, end, matched, want_figure, brackets=True)
    if value <= 0:
        found, _ = _best_run(text, start, end, matched, want_figure, brackets=False)
    return found


def _best_run(text: str, start: int, end: int, matched: frozenset[str], want_figure: bool,
              brackets: bool) -> tuple[tuple[int, int], float]:
    clauses = [(start + a, start + b) for a, b in _clauses(text[start:end], brackets)]
    def value(a: int, b: int) -> float:
        segment = normalise(text[clauses[a][0] : clauses[b][1]])
        hits = sum(1 for t in matched if t in segment)
        return hits + (0.5 if want_figure and fact_figures(segment) else 0)  # a date (2023年) is no figure
    best, best_value = (0, 0), -1.0
    for a in range(len(clauses)):
        for b in range(a, len(clauses)):
            if clauses[b][1] - clauses[a][0] > MAX_QUOTE_CHARS:
                break
            v = value(a, b)
            if v > best_value:
                best, best_value = (a, b), v
    return (clauses[best[0]][0], clauses[best[1]][1]), best_value


def leading_clauses(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence cut after its last whole clause within MAX_QUOTE_CHARS (its opening, not its best run)."""
    if end - start <= MAX_QUOTE_CHARS:
        return start, end
    stop = start
    for _, clause_end in _clauses(text[start:end]):
        if clause_end > MAX_QUOTE_CHARS:
            break
        stop = start + clause_end
    return start, max(stop, start + MAX_QUOTE_CHARS if stop == start else stop)


def numbered(text: str) -> bool:
    """Whether a quote opens with the report's own numbering ((一), 1., 一是): a list then adds none."""
    return heading_level(text) is not None or bool(_ENUM_RE.match(text.lstrip()))


def part_items(paragraphs: list[Paragraph]) -> list[tuple[Paragraph, int, int]]:
    """The items of a part: each sub-heading, each 一是/二是 item, else each paragraph's first sentence."""
    items: list[tuple[Paragraph, int, int]] = []
    for paragraph in paragraphs:
        text = paragraph.text
        marks = [m.start() for m in _ENUM_RE.finditer(text)]
        if paragraph.heading:
            start = text.find(paragraph.heading)
            items.append((paragraph, max(start, 0), max(start, 0) + len(paragraph.heading)))
        elif len(marks) >= 2:
            for i, pos in enumerate(marks):
                end = marks[i + 1] if i + 1 < len(marks) else len(text)
                items.append((paragraph, pos, _first_sentence_end(text, pos, end)))
        elif marks and marks[0] == 0:
            items.append((paragraph, 0, _first_sentence_end(text, 0, len(text))))
    if not items:  # a part written as plain paragraphs: their opening sentences
        for paragraph in paragraphs:
            start, end = split_sentences(paragraph.text)[0]
            items.append((paragraph, start, min(end, start + MAX_QUOTE_CHARS)))
    return items


def is_plain(paragraph: Paragraph) -> bool:
    """A paragraph with neither a heading nor an enumeration (一是…二是…): prose, one item as a whole."""
    return not paragraph.heading and len(_ENUM_RE.findall(paragraph.text)) < 2 and not _ENUM_RE.match(paragraph.text)


def _first_sentence_end(text: str, start: int, limit: int) -> int:
    spans = split_sentences(text[start:limit])
    return start + spans[0][1] if spans else limit


def strip_outline_number(text: str) -> str:
    """'(一)法治建设意识需进一步加强。' → '法治建设意识需进一步加强'; '一是加强…' → '加强…'."""
    text = text.strip()
    norm = unicodedata.normalize("NFKC", text)
    for _, pattern in HEADING_PATTERNS:
        match = pattern.match(norm)
        if match:
            text = text[match.end() :] if len(norm) == len(text) else norm[match.end() :]
            break
    text = _LEADING_ENUM_RE.sub("", text.strip())
    return text.strip().rstrip("。；;，,：:")


def is_bare_heading(paragraph: Paragraph, start: int, end: int) -> bool:
    """A sentence that is only a title: the paragraph's heading, or a short numbered line with no figure."""
    sentence = paragraph.text[start:end].strip()
    if paragraph.heading and start <= paragraph.text.find(paragraph.heading) < end:
        return True
    numbered = _numbered(sentence)
    body = strip_outline_number(sentence)
    return numbered and len(body) <= MAX_TITLE_CHARS and not fact_figures(body) and not re.search(r"[,，]", body)


def _numbered(sentence: str) -> bool:
    norm = unicodedata.normalize("NFKC", sentence)
    return bool(_LEADING_ENUM_RE.match(norm) or any(p.match(norm) for _, p in HEADING_PATTERNS))


def fact_figures(text: str) -> list[str]:
    """Figures that are facts: not the years a sentence is dated by, nor the numbers inside a quoted
    name (“3·15”消费者权益日, “12.4”宪法宣传周)."""
    years = {y for y in YEAR_RE.findall(unicodedata.normalize("NFKC", text))}
    return [n for n in numbers_in(_QUOTED_NAME_RE.sub("", text)) if n not in years]

