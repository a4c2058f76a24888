"""Whether a chat message asks for a summary of whole reports (请总结天桥区2022年报告的主要内容), and of which.

A request names a summary cue (总结, 概括, 摘要, 主要内容 …) and nothing else but the report (its region,
year and the words that name a report): "天桥区行政复议工作的主要内容" asks about a topic and stays a
question. Cues and report words are data (data/summary_cues.txt).
"""

from __future__ import annotations

from functools import lru_cache

from ingest.model import ReportMeta
from ingest.text import normalise

from assistant.documents.vocabulary import lines

# A summary in the chat covers at most this many reports (more: name a region or a year).
MAX_CHAT_REPORTS = 5


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    cues, excluded, report_words = lines("summary_cues.txt")[:3]
    return tuple(cues.split()), tuple(excluded.split()), frozenset(report_words.split())


def summary_scope(question: str, reports: list[ReportMeta]) -> list[ReportMeta] | None:
    """The reports a summary request is about, or None when the message is not such a request."""
    from assistant.retrieval.question import parse
    from assistant.retrieval.scope import scope_for

    cues, excluded, report_words = _cues()
    norm = normalise(question)
    if not any(c in norm for c in cues) or any(x in norm for x in excluded):
        return None
    parsed = parse(question, reports)
    words = [t.word for t in parsed.terms]
    leftover = [w for w in words if w not in report_words and not any(c in w or w in c for c in cues)]
    if leftover or (parsed.unknown_places and not parsed.regions) or parsed.part is not None or parsed.numeric:
        return None  # a topic (行政复议的主要内容), a part (讲了哪些问题), a figure or a place with no report: a question
    scope = scope_for(parsed, reports)
    if scope.missing_years:
        return None  # a year with no report: answered (and said) as an ordinary question
    return scope.reports or None
