"""Which reports a question may draw on. Narrowing never leaves nothing to search: a place with no
report, or a year with no report of the named region, widens the search and is said in the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import Part, ReportMeta

from assistant.retrieval.question import Question
from assistant.retrieval.vocabulary import cue


@dataclass
class Scope:
    reports: list[ReportMeta]
    restricted: bool  # False when every report in the library (or the user's filter) is in scope
    missing_places: list[str] = field(default_factory=list)  # named places no report is about
    missing_years: list[int] = field(default_factory=list)  # named years no report of the named region covers
    plan_year: bool = False  # the named year is the year after a report's: its next-steps part is meant
    uncertain_regions: list[str] = field(default_factory=list)  # matched regions the library marks 待确认
    each_report: bool = False  # a figure asked of no place over several reports: each report's is listed

    @property
    def widened(self) -> bool:
        """The question named something the library does not hold, so the search went wider."""
        return bool(self.missing_places or self.missing_years)


def named_reports(question: Question, reports: list[ReportMeta]) -> list[ReportMeta]:
    """The reports of the regions the question names (matched on the official name)."""
    return [r for r in reports if (r.region or r.name) in question.regions]


def scope_for(question: Question, reports: list[ReportMeta]) -> Scope:
    """Narrow to the named regions and years; what matches nothing is searched wider and reported.

    A plan year is not a report year: what a region plans for year Y is in the next-steps part of its
    report on year Y-1, so a next-steps question naming Y prefers that report.
    """
    named = named_reports(question, reports)
    # A match on a region inferred without confidence narrows too (its answer says the region is
    # unconfirmed): searching everything let another region's sentence answer a question about it,
    # unlabelled. When its reports hold nothing, other regions' hits are offered as such.
    uncertain = sorted({r.region for r in named if "region" in r.uncertain})
    sure = bool(named)
    pool = named if sure else list(reports)
    towns = [r for r in pool if r.level == "乡镇"]
    if not sure and towns and cue("towns").search(question.text):
        pool, sure = towns, True  # 哪些乡镇…: the towns' reports
    base = {"missing_places": question.unknown_places, "uncertain_regions": uncertain}
    if not question.years:
        return Scope(pool, sure, **base)
    if question.part == Part.NEXT:
        planned = [r for r in pool if r.year is not None and r.year + 1 in question.years]
        if planned:
            return Scope(planned, True, plan_year=True, **base)
    same_year = [r for r in pool if r.year in question.years]
    if same_year:
        return Scope(same_year, True, **base)
    return Scope(pool, sure, missing_years=list(question.years), **base)


def asks_each_report(question: Question, scope: Scope) -> bool:
    """A count or share asked with no place named, over several reports (法律援助办了多少件？): one
    report's figure would stand for all of them, so each report's figure is listed instead."""
    return (any(ask.units for ask in question.asks) and not question.multi and not question.which_report
            and not question.regions and not question.unknown_places and len(scope.reports) > 1
            and not cue("attribution").search(question.text))
