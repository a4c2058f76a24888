"""Whether a chat message asks about one place across the years, and about which place and years.

Two questions are answered from the library's series (documents/series.py) rather than by retrieval:
- commitments kept (去年说要做的事今年做了吗？ / 桐溪区2022年的承诺落实了没有): a cue of its own (承诺, 兑现),
  or a word pointing at what was planned (打算, 下一步) with one asking whether it was done (做了吗);
- figures across the years (桐溪区行政复议案件这几年怎么变的？): a word of change over the years (这几年,
  逐年, 变化) with an indicator or an indicator's subject (行政复议) the lexicon knows.
Cues are data (data/years_cues.txt). The place is the one the question names (retrieval/question.py's
reading, with its follow-ups rewritten before), else the only place whose reports span several years.
A place with the reports of one year only is asked an ordinary question (None here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ingest.model import ReportMeta
from ingest.text import normalise

from assistant.documents.figure_series import indicators_named
from assistant.documents.series import Series, series_named, series_of
from assistant.documents.vocabulary import lines

TRACK, TREND = "track", "trend"


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.split()) for line in lines("years_cues.txt")[:5])


@dataclass
class YearsRequest:
    kind: str  # track | trend
    series: Series | None  # None: no place could be told (`choices` lists those that could be meant)
    years: list[int] = field(default_factory=list)  # years the question names (or 去年/今年 read against the series)
    latest: bool = False  # 去年说要做的…今年: the latest year that can be checked
    indicators: list[str] = field(default_factory=list)  # trend: the indicators asked about (none: all)
    choices: list[Series] = field(default_factory=list)


def kind_of(question: str) -> str | None:
    """track, trend or None (an ordinary question)."""
    own, planned, done, excluded, change = _cues()
    norm = normalise(question)
    for word in excluded:
        norm = norm.replace(word, " ")
    if any(c in norm for c in own) or (any(c in norm for c in planned) and any(c in norm for c in done)):
        return TRACK
    if any(c in norm for c in change) and indicators_named(norm):
        return TREND
    return None


def years_request(question: str, reports: list[ReportMeta]) -> YearsRequest | None:
    """What an across-the-years message asks, or None for an ordinary question."""
    from assistant.retrieval.question import parse

    kind = kind_of(question)
    if kind is None or not reports:
        return None
    parsed = parse(question, reports)
    if parsed.unknown_places and not parsed.regions:
        return None  # a place no report is about: the ordinary answer says so
    request = YearsRequest(kind, None, list(parsed.years), latest=parsed.relative is not None and not parsed.years)
    if kind == TREND:
        request.indicators = indicators_named(normalise(question))
    candidates = [s for region in parsed.regions for s in series_named(reports, region)]
    if not candidates:
        candidates = series_of(reports)
    spanning = [s for s in candidates if len(s.years) >= 2]
    if not spanning:
        # One year of a place: 有什么变化 / 计划完成情况 ask what that report says (同比, 完成了…), answered
        # by the ordinary path.
        return None
    places = list(dict.fromkeys(s.place for s in spanning))
    if len(places) == 1:
        request.series = _preferred([s for s in spanning if s.place == places[0]])
    else:
        request.choices = spanning
    return request


def _preferred(found: list[Series]) -> Series:
    """A place's 法治政府建设年度报告 series before its other kinds, then the longest."""
    from ingest.model import DocType

    annual = [s for s in found if s.doc_type == DocType.ANNUAL_REPORT.value]
    return (annual or found)[0]
