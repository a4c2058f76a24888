"""Infer a report's metadata from its own text: area, level, province, city, code, author, type, year, date.

Place names come from the gazetteer (ingest/region.py), the document type from its title and opening
(ingest/doctype.py), dates from the page chrome or the signature (ingest/cleaning.py). Only a bounded
window of the text is read for names, so a file of any size is handled in time linear in its length.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import PurePath

from .cleaning import CleanText
from .doctype import classify
from .gazetteer import gazetteer
from .model import NATIONAL_REGION, SESSION_REPORTS, DocType, ReportMeta
from .region import CUES, OPENING_CHARS, WINDOW_CHARS, Place, infer_place, suffix_level
from .speaker import delivered_by
from .text import YEAR_RE, matching_form, years_in

# Words that end like a place name but name no place; the question parser skips them too.
GENERIC_PLACES = {
    "全区", "我区", "本区", "该区", "各区", "辖区", "城区", "社区", "园区", "景区", "小区", "片区", "街区", "市区",
    "郊区", "山区", "库区", "矿区", "灾区", "新区", "开发区", "高新区", "试验区", "示范区", "自贸区", "功能区",
    "全县", "我县", "本县", "该县", "各县", "郡县", "全市", "我市", "本市", "该市", "各市", "城市", "县市",
    "全旗", "我旗", "区县", "市县", "省市", "地市", "县区", "市区县",
}
# A heading naming next year's plans ("三、2024年工作打算") dates the report to the year before.
_NEXT_YEAR_HEADING_RE = re.compile(r"^\S{0,4}[、.]?\s*((?:19|20)\d{2})\s*年(?:度)?(?:工作|主要|重点)?(?:打算|安排|思路|计划|重点|要点|任务)")
_OPENING_YEAR_RE = re.compile(r"^((?:19|20)\d{2})\s*(?:年|(?=[^\d]))")
# A session report's review heading names the year it covers (一、2024年工作回顾); its dateline names the
# session, held early in the year it plans (——2023年3月5日在第十四届全国人民代表大会第一次会议上).
_REVIEW_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:[^,，。\n]{0,12})?(?:工作)?回顾")
_SESSION_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*在[^。\n]{0,40}(?:人民代表大会|人大)")
# Kinds that plan the year after the one they cover when they have a next-steps part.
_PLANNING_KINDS = (DocType.ANNUAL_REPORT.value, DocType.ADMIN_LAW_REPORT.value, DocType.WORK_SUMMARY.value,
                   DocType.JUDICIAL_WORK_REPORT.value, DocType.GOVERNMENT_WORK_REPORT.value)


def infer_metadata(name: str, clean: CleanText) -> ReportMeta:
    title = matching_form(clean.title) if clean.title else None
    body = [line for line in clean.lines if line != clean.addressee]
    window = matching_form("\n".join(_bounded(body, WINDOW_CHARS)))
    opening = window[:OPENING_CHARS]
    authors = [matching_form(a) for a in (clean.signer, clean.issuer) if a]
    if named := CUES["self_named"].search(window):  # 现将宝城镇2025年度…报告如下
        authors.append(named.group(1))
    place = infer_place(title, authors, matching_form(clean.source) if clean.source else None, opening, window,
                        matching_form(clean.addressee) if clean.addressee else None)
    if place.region is None and place.level != "国家":
        place = _named_in_file_name(name, place)
    if place.province is None and place.level not in ("部门", "国家"):  # a ministry or the country has none
        place.province = infer_province(window)
    doc_type = classify(title, window).value
    if doc_type in SESSION_REPORTS:
        year, plan_year, year_sure = session_years(window, title)
    else:
        year, year_sure = infer_year(window, title, body)
        plan_year = year if doc_type == DocType.PLAN.value else None
    uncertain = set(place.uncertain) | ({"year"} if year is not None and not year_sure else set())
    return ReportMeta(
        name=name,
        title=clean.title,
        region=place.region,
        aliases=place.aliases,
        level=place.level,
        province=place.province,
        city=place.city,
        division_code=place.division_code,
        author=place.author or clean.signer or clean.issuer,
        speaker=clean.speaker or delivered_by(window),
        doc_type=doc_type,
        year=year,
        plan_year=plan_year,
        published=clean.published,
        signed=clean.signed,
        uncertain=tuple(f for f in ("region", "level", "province", "city", "year") if f in uncertain),
    )


def _named_in_file_name(name: str, place: Place) -> Place:
    """A text that never names its place (全市…, 本区…) is often filed under it (上海市行政复议情况.txt): a
    division the gazetteer holds, named in the file's name, is taken as the region, to be confirmed (待确认)."""
    named = infer_place(matching_form(PurePath(name).stem), [], None, "", "")
    if named.region is None or "region" in named.uncertain or named.level == "国家":
        return place
    level = place.level if place.level == "部门" else named.level
    return replace(named, level=level, author=place.author, uncertain={"region", "level"} | set(place.uncertain))


def _bounded(lines: list[str], limit: int) -> list[str]:
    """The first lines up to `limit` characters (a long line is cut): the part of a report that names it."""
    out, size = [], 0
    for line in lines:
        out.append(line[: limit - size])
        size += len(out[-1])
        if size >= limit:
            break
    return out


def region_level(region: str | None) -> str | None:
    """The level of a region a user typed in: from the gazetteer, else from its suffix."""
    if not region:
        return None
    found = gazetteer().named(region)
    if len({d.level for d in found}) == 1:
        return found[0].level
    return suffix_level(region)


def infer_province(text: str) -> str | None:
    """The province named most often (full or short name) when no area was recognised."""
    counts = Counter(d for m in gazetteer().mentions(text) for d in m.divisions if d.rank == 0 and len(m.divisions) == 1)
    return counts.most_common(1)[0][0].name if counts else None


def session_years(window: str, title: str | None) -> tuple[int | None, int | None, bool]:
    """(year covered, year planned, sure) of a report given at a 人大 session: the review heading's year,
    else the year before the session's (its dateline's, else its title's)."""
    review = _REVIEW_YEAR_RE.search(window)
    session = _SESSION_DATE_RE.search(window)
    planned = int(session.group(1)) if session else (years_in(title)[0] if title and years_in(title) else None)
    if review:
        covered = int(review.group(1))
        return covered, planned if planned and planned > covered else covered + 1, True
    if planned:
        return planned - 1, planned, True
    year, sure = infer_year(window, title, [])
    return year, (year + 1 if year else None), False


def with_plan_year(meta: ReportMeta, has_next_part: bool) -> ReportMeta:
    """A report of a planning kind with a next-steps part plans the year after the one it covers."""
    if meta.plan_year is None and meta.year is not None and has_next_part and meta.doc_type in _PLANNING_KINDS:
        return replace(meta, plan_year=meta.year + 1)
    return meta


def infer_year(window: str, title: str | None, lines: list[str]) -> tuple[int | None, bool]:
    """(year covered, sure): the title's year, the year that opens the report, the year before the plans, else the commonest."""
    if title and (found := years_in(title)):
        return found[0], True
    if match := _OPENING_YEAR_RE.match(window):
        return int(match.group(1)), True
    for line in lines:
        if len(line) <= 40 and (match := _NEXT_YEAR_HEADING_RE.match(matching_form(line))):
            return int(match.group(1)) - 1, True
    years = Counter(int(y) for y in YEAR_RE.findall(window))
    return (years.most_common(1)[0][0], False) if years else (None, False)
