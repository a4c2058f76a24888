"""Read what a question asks for: which reports (region, year), which part, one report or many."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.metadata import GENERIC_PLACES
from ingest.model import Part, ReportMeta
from ingest.text import normalise, replace_years, years_in

from assistant.retrieval.tokens import content_terms, official_terms

PART_CUES: list[tuple[Part, re.Pattern[str]]] = [
    (Part.PROBLEMS, re.compile(r"问题|不足|短板|差距|薄弱")),
    (Part.NEXT, re.compile(r"下一步|计划|打算|安排|思路|工作重点|工作要点|明年|来年|下一年")),
]
MULTI_RE = re.compile(r"哪些(报告|地区|地方|区|县|市)|哪几|各地|各区|各县|各报告|分别|都有|对比|比较|共同|异同|各自")
NUMERIC_RE = re.compile(r"多少|几[件个项名人次家宗万亿%]|比例|比率|[率额量数]是|数量|金额|百分")
# A place named at the start of a question or after a separator, e.g. 历下区2022年… or 和历下区.
_QUOTED_RE = re.compile(r"[“\"「『‘']([^”\"」』’']{2,30})[”\"」』’']")
_NOT_A_NAME = re.compile(r"[哪什各全每该本我其他这那某些个地]")
_PLACE_RE = re.compile(r"(?:^|[，,。；;、和与及跟同对在])([\u4e00-\u9fff]{2,4}?(?:区|县|旗))")


@dataclass
class QueryIntent:
    question: str
    regions: list[str] = field(default_factory=list)
    unknown_regions: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    part: Part | None = None
    multi: bool = False
    numeric: bool = False
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # quoted in the question: wanted verbatim


def understand(question: str, reports: list[ReportMeta]) -> QueryIntent:
    norm = unicodedata.normalize("NFKC", question)
    known = _known_names(reports)
    regions = sorted({region for alias, region in known.items() if alias in norm})
    intent = QueryIntent(
        question=question,
        regions=regions,
        unknown_regions=_unknown_places(norm, known),
        years=sorted(set(years_in(norm))),
        part=next((part for part, cue in PART_CUES if cue.search(norm)), None),
        multi=bool(MULTI_RE.search(norm)),
        numeric=bool(NUMERIC_RE.search(norm)),
    )
    stripped = norm
    for alias in sorted(known, key=len, reverse=True):
        stripped = stripped.replace(alias, " ")
    stripped = replace_years(stripped, " ")
    intent.phrases = [normalise(p) for p in _QUOTED_RE.findall(norm)]
    intent.terms = official_terms([*intent.phrases, *(t for t in content_terms(stripped) if t not in intent.phrases)])
    return intent


def _known_names(reports: list[ReportMeta]) -> dict[str, str]:
    """Every spelling that names a stored region → that region (天桥区, 济南市天桥区)."""
    names: dict[str, str] = {}
    for meta in reports:
        if meta.region:
            names[meta.region] = meta.region
            if meta.city:
                names[meta.city + meta.region] = meta.region
    return names


def _unknown_places(norm: str, known: dict[str, str]) -> list[str]:
    found = []
    for match in _PLACE_RE.finditer(norm):
        place = match.group(1)
        if place in GENERIC_PLACES or _NOT_A_NAME.search(place) or any(place in alias or alias in place for alias in known):
            continue
        found.append(place)
    return found


@dataclass
class Scope:
    """Which reports a question may draw on, and how the question's own year was honoured."""

    reports: list[ReportMeta]
    restricted: bool  # False when every stored report is in scope
    year_relaxed: bool = False  # the named year matched no report of the named region
    missing: list[str] = field(default_factory=list)  # named places with no stored report


def scope_for(intent: QueryIntent, reports: list[ReportMeta]) -> Scope:
    """Narrow to the named regions and years; a year that matches nothing is relaxed, and said so."""
    if intent.unknown_regions and not intent.regions:
        return Scope([], True, missing=intent.unknown_regions)
    pool = [r for r in reports if r.region in intent.regions] if intent.regions else list(reports)
    if not intent.years:
        return Scope(pool, bool(intent.regions))
    dated = [r for r in pool if r.year is not None and _year_matches(r.year, intent)]
    if dated:
        return Scope(dated, True)
    return Scope(pool, bool(intent.regions), year_relaxed=True)


def _year_matches(report_year: int, intent: QueryIntent) -> bool:
    """A report of year Y covers Y; its next-steps part speaks of Y+1 (老边区2024年的下一步 → 2023 report)."""
    if report_year in intent.years:
        return True
    return intent.part == Part.NEXT and report_year + 1 in intent.years
