"""Which places a question names: the stored regions (by official name, alias or city + name), and
places no stored report is about (北京市朝阳区 when the library holds 长春市朝阳区; a zone; a county).

A name is read as a place only where it stands as one: a full name anywhere, a short name (中牟) first
in the question or before a year, 那边 or 的, and never from inside a word (示范县 holds no 范县).
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.gazetteer import gazetteer
from ingest.model import ReportMeta
from ingest.text import matching_form

from assistant.retrieval.tokens import tokenize, word_frequency
from assistant.retrieval.vocabulary import cue, filler_words

# A development zone named in a question (zones are no administrative divisions: the gazetteer lacks them).
_ZONE_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:高新技术产业开发区|经济技术开发区|开发区|高新区|新区))")
_NOT_A_NAME = re.compile(r"[哪什各全每该本我其他这那某些个地的是了开在和与给对把从]")
# A short name without its suffix (中牟, 义乌) names a place only where a place stands: first in the
# question, or before a year or 那边/这边/的 (平安 in 平安建设 is no 平安区).
PLACE_SUFFIXES = ("省", "市", "区", "县", "旗", "州", "盟", "自治区", "开发区", "新区", "镇", "乡", "街道")
# jieba's dictionary frequency above which a short name is an everyday word first (平安 ≈ 10^4, 中牟 ≈ 10^2).
COMMON_WORD_FREQUENCY = 1000
_BARE_PLACE_AFTER = re.compile(r"^(?:\s*(?:19|20)\d{2}\s*年|那边|这边|那里)")
_POSSESSIVE_AFTER = re.compile(r"^的")  # 中牟的报告; but 公安的报告 is the police's


def region_names(reports: list[ReportMeta]) -> dict[str, str]:
    """Every spelling that names a stored region → that region: the official name, its aliases, and each
    with its city in front (天桥区, 天桥, 济南市天桥区, 济南天桥区)."""
    names: dict[str, str] = {}
    for meta in reports:
        if not meta.region:  # no region read: the report goes by its file name, as the library shows it
            stem = Path(meta.name).stem
            if len(stem) >= 2:
                names.setdefault(matching_form(stem), meta.name)
            continue
        own = {meta.region, *meta.aliases}
        cities = {meta.city, meta.city.removesuffix("市")} if meta.city and meta.city != meta.region else set()
        for name in own:
            names.setdefault(matching_form(name), meta.region)
            for city in cities:
                if city and len(city) >= 2 and city != name:
                    names.setdefault(matching_form(city + name), meta.region)
    return names


def question_places(norm: str, reports: list[ReportMeta]) -> tuple[list[str], list[str], str]:
    """(stored regions named, places named that no report is about, the question without them).

    A stored region's name counts only where the city or province written before it is its own:
    北京市朝阳区 is not 长春市朝阳区. A city or province named alone (郑州的报告) names the stored
    reports inside it.
    """
    names = region_names(reports)
    by_region = {m.region or m.name: m for m in reports}
    mentions = gazetteer().mentions(norm)
    regions: set[str] = set()
    unknown: list[str] = []
    rest = norm
    for name in sorted(names, key=len, reverse=True):
        start = rest.find(name)
        if start < 0 or (not name.endswith(PLACE_SUFFIXES) and not _stands(rest, start, start + len(name))):
            continue
        qualifier = next((m for m in mentions if m.end == start), None)  # 北京市朝阳区, 舟山普陀区
        meta = by_region[names[name]]
        if qualifier and not _consistent(qualifier, meta):
            unknown.append(qualifier.form + name)
            rest = blank(rest, qualifier.start, qualifier.end)
        else:
            regions.add(meta.region or meta.name)
        end = start + len(name)
        author = cue("author").match(rest[end:])
        rest = blank(rest, start, end + (author.end() if author else 0))
    for match in _ZONE_RE.finditer(rest):
        zone = match.group(1)
        if not _NOT_A_NAME.search(zone) and zone not in filler_words():
            unknown.append(zone)
            rest = blank(rest, match.start(1), match.end(1))
    starts = {m.start for m in mentions}
    word_starts = _word_starts(norm)
    qualifier = ""
    for mention in mentions:
        if not rest[mention.start : mention.end].strip() or not _stands_as_place(rest, mention):
            continue
        if mention.start not in word_starts:
            continue  # 示范县 holds 范县 as 示范|县: a name starting inside a word is no place
        author = cue("author").match(rest[mention.end :])
        rest = blank(rest, mention.start, mention.end + (author.end() if author else 0))
        if mention.end in starts:  # 营口市 in 营口市站前区 only says where 站前区 is
            qualifier = mention.form
            continue
        inside = [m.region for m in reports if m.region and _contains(mention, m)]
        if inside:
            regions.update(inside)
        elif not any(meta.region in regions and _contains(mention, meta) for meta in reports):
            unknown.append(qualifier + mention.form)
        qualifier = ""
    return sorted(regions), list(dict.fromkeys(unknown)), rest


def _word_starts(text: str) -> set[int]:
    """Where the question's words begin, as the question tokenizer splits it (taught every stored name)."""
    starts, position = set(), 0
    for word in tokenize(text, search=False, question=True):
        found = text.lower().find(word, position)
        if found >= 0:
            starts.add(found)
            position = found + len(word)
    return starts


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces (positions of the rest stay put)."""
    return text[:start] + " " * (end - start) + text[end:]


def _stands_as_place(text: str, mention) -> bool:
    """A full name stands as a place anywhere; a bare short name only where `_stands` says."""
    return not mention.bare or _stands(text, mention.start, mention.end)


def _stands(text: str, start: int, end: int) -> bool:
    """Before a year or 那边, or as 那X呢, a short name is a place; before 的, or first in the question,
    only if it is no common word (中牟 or 正定 at the start name a place, 平安 in 平安建设 and 公安 in
    两个公安的 do not)."""
    if _BARE_PLACE_AFTER.match(text[end:]) or (text[:start].strip() == "那" and text[end:].lstrip().startswith("呢")):
        return True  # 中牟2023年…, 中牟那边…, a follow-up 那中牟呢？
    uncommon = word_frequency(text[start:end]) < COMMON_WORD_FREQUENCY
    return uncommon and (bool(_POSSESSIVE_AFTER.match(text[end:])) or not text[:start].strip())


def _consistent(qualifier, meta: ReportMeta) -> bool:
    """Whether a city or province written before a stored region's name is that region's own."""
    named = {d.name for d in qualifier.divisions}
    return bool(named & {meta.city, meta.province}) or not (meta.city or meta.province)


def _contains(mention, meta: ReportMeta) -> bool:
    """Whether a named city or province (or the region itself) holds the stored report's region."""
    return any(d.name in (meta.region, meta.city, meta.province) for d in mention.divisions)
