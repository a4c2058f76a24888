"""Prove an LLM answer's citations instead of trusting them.

Markers are read as models write them (llm/markers.py: [1] 【1】 ［1］ [1,2] [1-3] [^1] 〔1〕 (来源1)).
For every sentence: markers that point at no passage are removed and the sentence counted as
flagged; a sentence stating a figure must
cite a passage holding that figure (1,984 = 1984, 百分之百 = 100%), else the citation is moved to a
passage that does (repaired) or the sentence is marked 未经来源核实 (flagged); a sentence with no
marker gets one to its best-matching passage (repaired).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import normalise, numbers_in, split_sentences

from assistant.answering.answer import Citation
from assistant.answering.context import passage_header
from assistant.llm.markers import MARKER_RE, marker_numbers, normalise_markers
from assistant.retrieval.hybrid import Passage

UNVERIFIED_MARK = "（未经来源核实）"
# Share of a sentence's character bigrams a passage must hold for a marker to be attached to it.
MIN_ATTACH_OVERLAP = 0.3
# Sentences shorter than this (after markers are removed) are connectives, not claims.
MIN_CLAIM_CHARS = 8
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    verified: int
    repaired: int
    flagged: int


@dataclass
class _Sentence:
    body: str  # text without markers
    markers: list[int]
    tail: str  # the sentence end and whitespace that followed


def check(answer: str, passages: list[Passage]) -> Checked:
    sources = [_source_text(n, p) for n, p in enumerate(passages, 1)]
    counts = {"verified": 0, "repaired": 0, "flagged": 0}
    used: dict[int, int] = {}  # passage number → citation number
    quotes: dict[int, tuple[int, int]] = {}
    out: list[str] = []
    for sentence in _sentences(normalise_markers(answer)):
        body = sentence.body
        figures = figures_in(body)
        valid = [m for m in dict.fromkeys(sentence.markers) if 1 <= m <= len(passages)]
        is_claim = len(normalise(body)) >= MIN_CLAIM_CHARS or bool(figures)
        status, chosen = _judge(body, figures, valid, sources, is_claim)
        if status:
            counts[status] += 1
        if len(valid) < len(set(sentence.markers)) and status != "flagged":
            counts["flagged"] += 1  # a marker with no such source: removed, and the sentence counted
        if status == "flagged":
            body = body.rstrip() + UNVERIFIED_MARK
        numbers = []
        for m in chosen:
            if m not in used:
                used[m] = len(used) + 1
                quotes[m] = _best_quote(passages[m - 1].paragraph.text, body, figures)
            numbers.append(used[m])
        out.append(body + "".join(f"[{n}]" for n in numbers) + sentence.tail)
    citations = [Citation.of(used[m], passages[m - 1].report, passages[m - 1].paragraph, *quotes[m])
                 for m in sorted(used, key=used.get)]
    return Checked("".join(out).strip(), citations, **counts)


def _judge(body: str, figures: list[str], valid: list[int], sources: list[str], is_claim: bool) -> tuple[str | None, list[int]]:
    """(verified | repaired | flagged | None, passage numbers to cite) for one sentence."""
    if valid and all(any(f in _numbers(sources[m - 1]) for m in valid) for f in figures):
        return "verified", valid
    if not is_claim:
        return None, valid
    holding = [n for n, src in enumerate(sources, 1) if all(f in _numbers(src) for f in figures)]
    if figures and not holding:
        return "flagged", valid
    best = _best_passage(body, holding if figures else range(1, len(sources) + 1), sources)
    if best is not None:
        return "repaired", [best]
    return ("flagged", valid) if figures else (None, valid)


def _best_passage(body: str, candidates, sources: list[str]) -> int | None:
    grams = _bigrams(body)
    if not grams:
        return None
    scored = [(len(grams & _bigrams(sources[n - 1])) / len(grams), n) for n in candidates]
    if not scored:
        return None
    share, best = max(scored)
    return best if share >= MIN_ATTACH_OVERLAP else None


def _best_quote(text: str, body: str, figures: list[str]) -> tuple[int, int]:
    """The sentence of the passage that supports `body`: one holding its figures, else the most similar."""
    spans = split_sentences(text)
    grams = _bigrams(body)

    def value(span: tuple[int, int]) -> tuple[int, float]:
        sentence = text[span[0] : span[1]]
        has = sum(1 for f in figures if f in _numbers(sentence))
        overlap = len(grams & _bigrams(sentence)) / (len(grams) or 1)
        return has, overlap

    return max(spans, key=value) if spans else (0, len(text))


_LEADING_MARKERS_RE = re.compile(rf"^(?:[ \t]*{MARKER_RE.pattern})+[ \t]*")


def _sentences(answer: str) -> list[_Sentence]:
    """Sentences (ingest.text.split_sentences, line by line); markers right after a sentence's end
    belong to it, not to the next one."""
    raw: list[str] = []
    for line in answer.splitlines(keepends=True):
        body, newline = line.rstrip("\n"), line[len(line.rstrip("\n")) :]
        pieces = [body[s:e] for s, e in split_sentences(body)] or [""]
        pieces[-1] += newline
        for piece in pieces:
            lead = _LEADING_MARKERS_RE.match(piece)
            if lead and raw and lead.end() > 0:
                raw[-1] += piece[: lead.end()]
                piece = piece[lead.end() :]
            if piece:
                raw.append(piece)
    result = []
    for text in raw:
        markers = marker_numbers(text)
        stripped = MARKER_RE.sub("", text)
        tail_match = re.search(r"[。！？；!?;]?\s*$", stripped)
        tail = tail_match.group() if tail_match else ""
        result.append(_Sentence(stripped[: len(stripped) - len(tail)], markers, tail))
    return result


def _source_text(n: int, passage: Passage) -> str:
    return passage_header(n, passage) + "\n" + passage.paragraph.text


def figures_in(text: str) -> list[str]:
    """Figures a sentence states, normalised, with Chinese percentages turned into digits."""
    return list(dict.fromkeys(numbers_in(_cn_percent(text))))


def _numbers(text: str) -> set[str]:
    found = set(numbers_in(_cn_percent(text)))
    return found | {f.rstrip("%") for f in found}


def _cn_percent(text: str) -> str:
    """百分之百 → 100%, 百分之九十五 → 95%, 百分之五 → 5%."""
    def repl(match: re.Match) -> str:
        words = match.group(1)
        if words == "百":
            return "100%"
        value = 0
        if "十" in words:
            tens, _, ones = words.partition("十")
            value = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        elif len(words) == 1 and words in _CN_DIGITS:
            value = _CN_DIGITS[words]
        else:
            return match.group(0)
        return f"{value}%"

    return re.sub(r"百分之([零一二两三四五六七八九十百]{1,3})", repl, text)


def _bigrams(text: str) -> set[str]:
    norm = normalise(text)
    return {norm[i : i + 2] for i in range(len(norm) - 1)}
