"""Character bigrams: what a question and a report still share when jieba splits them differently.

常务会上学法 is split 常务|会上|学法 in one text and 常务会|上学|法学 in another; the bigrams 务会, 上学,
学法 … are the same in both. Runs of Chinese characters (and of letters and digits) are cut into their
overlapping pairs, in the matching form (NFKC, simplified, lower case).
"""

from __future__ import annotations

import re

from ingest.text import matching_form

_RUN_RE = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9%.]+")


def bigrams(text: str) -> list[str]:
    """Every pair of adjacent characters within a run (with repeats: BM25 counts them)."""
    out: list[str] = []
    for run in _RUN_RE.finditer(matching_form(text).lower()):
        chars = run.group()
        out.extend(chars[i : i + 2] for i in range(len(chars) - 1))
    return out
