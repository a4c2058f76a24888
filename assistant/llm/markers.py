"""Citation markers as models really write them, read into one form: [1], [1,2].

Seen from DeepSeek, Qwen, GLM and small local models: [1] 【1】 ［1］ [1,2] [1、2] [1-3] [1–3] [^1]
〔1〕 (来源1) （来源：1） [来源1] and runs like [1][2]. Document numbers (〔2023〕5号) and bracketed years
are not markers: a marker holds at most MAX_MARKER_DIGITS digits.
"""

from __future__ import annotations

import re

MAX_MARKER_DIGITS = 3
_N = rf"\d{{1,{MAX_MARKER_DIGITS}}}"
_LIST = rf"{_N}(?:\s*(?:[,，、;；]|[-–—~～至])\s*{_N})*"
# Every way of writing a marker; group 1 is the number list.
_ANY_RE = re.compile(
    rf"\[\s*\^?\s*(?:来源|资料|source)?\s*[:：]?\s*({_LIST})\s*\]"  # [1] [1,2] [1-3] [^1] [来源1]
    rf"|【\s*(?:来源|资料)?\s*[:：]?\s*({_LIST})\s*】"  # 【1】
    rf"|［\s*(?:来源|资料)?\s*[:：]?\s*({_LIST})\s*］"  # ［1］
    rf"|〔\s*({_N}(?:\s*[,，、]\s*{_N})*)\s*〕(?!\d|号)"  # 〔1〕, never 〔2023〕5号
    rf"|[（(]\s*(?:来源|资料)\s*[:：]?\s*({_LIST})\s*[）)]"  # (来源1)
)
# The normalised form, as the rest of the product reads it.
MARKER_RE = re.compile(r"\[(\d+(?:,\d+)*)\]")
# A range longer than this is not a citation list ([1-300] is a typo or a figure).
MAX_RANGE = 20


def _numbers(listing: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,，、;；]\s*", listing.strip()):
        bounds = re.split(r"\s*[-–—~～至]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            numbers.extend(range(low, high + 1) if 0 <= high - low <= MAX_RANGE else [low, high])
        elif part.isdigit():
            numbers.append(int(part))
    return list(dict.fromkeys(numbers))


def normalise_markers(text: str) -> str:
    """Every marker written as [n] or [n,m]; runs like [1][2] stay as they are."""
    def canonical(match: re.Match) -> str:
        listing = next(g for g in match.groups() if g)
        return "[" + ",".join(str(n) for n in _numbers(listing)) + "]"

    return _ANY_RE.sub(canonical, text)


def marker_numbers(text: str) -> list[int]:
    """The source numbers cited in already normalised text, in order."""
    return [int(n) for m in MARKER_RE.finditer(text) for n in m.group(1).split(",")]
