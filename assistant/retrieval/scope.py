"""Which reports a question may draw on. Narrowing never leaves nothing to search: a place with no
report, or a year with no report of the named region, widens the search and is said in the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import SESSION_REPORTS, Part, ReportMeta

from assistant.retrieval.question import Question
from assistant.retrieval.vocabulary import cue


@dataclass
class Scope:
    reports: list[ReportMeta]
    restricted: bool  # False when every report in the library (or the user's filter) is in scope
    missing_places: list[str] = field(default_factory=list)  # named places no report is about
    missing_years: list[int] = field(default_factory=list)  # named years no report of the named region covers
    plan_year: bool = False  # the named year is the year a report plans: its next-steps part is meant
    year_note: str | None = None  # how a relative year (去年) was read, when no report covers it
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
    report on year Y-1, so a next-steps question naming Y prefers that report. A report given at a 人大
    session goes by the year it is given (2023年政府工作报告: work of 2022, plans for 2023), so a question
    naming either year means it. A kind of report the question names (政府工作报告) narrows to that kind.
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
    kinds = [r for r in pool if r.doc_type in question.doc_types]
    if kinds and len(kinds) < len(pool):
        pool, sure = kinds, True  # 2023年政府工作报告里…: the reports of that kind
    base = {"missing_places": question.unknown_places, "uncertain_regions": uncertain}
    if question.relative is not None and not question.years:
        chosen, note = relative_reports(pool, question.relative)
        return Scope(chosen, sure or len(chosen) < len(pool), year_note=note, **base)
    if not question.years:
        return Scope(pool, sure, **base)
    if question.part == Part.NEXT:
        planned = [r for r in pool if _plans(r) in question.years and r.year not in question.years]
        if planned:
            return Scope(planned, True, plan_year=True, **base)
    named_by_session = any(kind in SESSION_REPORTS for kind in question.doc_types)  # 2022年政府工作报告: given in 2022
    same_year = [r for r in pool if (r.session_report and r.plan_year in question.years)
                 or (r.year in question.years and not (named_by_session and r.session_report))]
    if same_year:
        return Scope(same_year, True, **base)
    return Scope(pool, sure, missing_years=list(question.years), **base)


def wanted_part(question: Question, report: ReportMeta) -> Part | None:
    """The part of a report that answers: the one the question asks for, else the one its time points to
    (去年, or the year the report covers: its work; 今年/明年, or the year it plans: its plans)."""
    if question.part is not None:
        return question.part
    if question.relative is not None:
        return Part.NEXT if question.relative >= 0 else Part.WORK
    if report.year in question.years:
        return Part.WORK
    if report.plan_year is not None and report.plan_year in question.years and not report.session_report:
        return Part.NEXT  # (a session report goes by that year: 2023年政府工作报告 names it, not its plans)
    return None


def _plans(report: ReportMeta) -> int | None:
    return report.plan_year or (report.year + 1 if report.year is not None else None)


def relative_reports(pool: list[ReportMeta], shift: int) -> tuple[list[ReportMeta], str | None]:
    """The reports a relative year means, place by place: read against each place's latest report, as its
    reader reads it (a year after the one it covers: 去年 is the year it covers, 前年 the one before,
    今年/明年 what it plans). A year no report of the place covers falls back to the latest one, said in
    one line."""
    by_place: dict[str, list[ReportMeta]] = {}
    for report in pool:
        by_place.setdefault(report.region or report.name, []).append(report)
    chosen: list[ReportMeta] = []
    notes: list[str] = []
    for place, reports in by_place.items():
        dated = [r for r in reports if r.year is not None]
        if not dated:
            chosen.extend(reports)
            continue
        latest = max(dated, key=lambda r: (r.year, r.plan_year or 0))
        target = latest.year + 1 + shift
        if shift >= 0:
            chosen.append(latest)  # this year's or next year's plans: the latest report's
            continue
        covering = [r for r in dated if r.year == target]
        chosen.extend(covering or [latest])
        if not covering:
            notes.append(f"报告库中没有{place}{target}年的报告，以下依据其最近的{latest.year_text()}报告")
    return chosen, "；".join(notes) or None


def asks_each_report(question: Question, scope: Scope) -> bool:
    """A count or share asked with no place named, over several reports (法律援助办了多少件？): one
    report's figure would stand for all of them, so each report's figure is listed instead."""
    return (any(ask.units for ask in question.asks) and not question.multi and not question.which_report
            and not question.regions and not question.unknown_places and len(scope.reports) > 1
            and not cue("attribution").search(question.text))
