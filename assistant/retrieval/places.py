"""Which places a question names: the stored regions (by official name, alias or city + name), and
places no stored report is about (北京市朝阳区 when the library holds 长春市朝阳区; a zone; a county).

A name is read as a place only where it stands as one: a full name anywhere, a short name (中牟) first
in the question or before a year, 那边 or 的, and never from inside a word (示范县 holds no 范县). The
short name of a province or prefecture city (江苏, 重庆, 大同) is a place wherever it stands as a word of
its own, and so is a province's one-character abbreviation (鲁, 皖) at the head of the question or
before 的, 那份 or a year: people name provinces and cities so, and no common word shares their names
(as 平安 or 公安 share a county's).
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.gazetteer import gazetteer
from ingest.model import ReportMeta
from ingest.text import matching_form

from assistant.language.tokens import tokenize, word_frequency
from assistant.language.stopwords import is_stopword
from assistant.retrieval.vocabulary import cue, table

# A development zone named in a question (zones are no administrative divisions: the gazetteer lacks them).
_ZONE_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:高新技术产业开发区|经济技术开发区|开发区|高新区|新区))")
_NOT_A_NAME = re.compile(r"[哪什各全每该本我其他这那某些个地的是了开在和与给对把从]")
# A short name without its suffix (中牟, 义乌) names a place only where a place stands: first in the
# question, or before a year or 那边/这边/的 (平安 in 平安建设 is no 平安区).
PLACE_SUFFIXES = ("省", "市", "区", "县", "旗", "州", "盟", "自治区", "开发区", "新区", "镇", "乡", "街道")
# jieba's dictionary frequency above which a short name is an everyday word first (平安 ≈ 10^4, 中牟 ≈ 10^2).
COMMON_WORD_FREQUENCY = 1000
_BARE_PLACE_AFTER = re.compile(r"^(?:\s*(?:19|20)\d{2}\s*年|那边|这边|那里|去年|今年|前年|明年)")
_POSSESSIVE_AFTER = re.compile(r"^的")  # 中牟的报告; but 公安的报告 is the police's
# Levels whose short names stand wherever they are a word of their own (the nation's by its longer names
# only, 国务院 or 中央政府: 全国 and 中央 are everyday words of reports, 全国第一, 中央依法治国办).
WELL_KNOWN_LEVELS = ("省", "地级市")
NATIONAL_NAMES_MIN_CHARS = 3
# What follows a province's one-character abbreviation when it names the province (鲁的, 皖那份, 川2025年).
_ABBREVIATION_AFTER = re.compile(r"^(?:的|那|这|省|去年|今年|前年|明年|上一年|\s*(?:19|20)?\d{2}\s*年)")
_TOWN_SUFFIXES = ("街道", "镇", "乡")
# Spellings that add a level word to a stored region's short name (火炬区 for 火炬开发区, 天桥区).
_SPELLED_LEVELS = {"区": "区", "开发区": "区", "县": "县", "县级市": "市", "地级市": "市", "旗": "旗"}


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
        for suffix in _TOWN_SUFFIXES:  # 三都 for 三都镇, 金龙 for 金龙街道: towns go by their stem too
            if meta.region.endswith(suffix) and len(meta.region) - len(suffix) >= 2:
                own.add(meta.region.removesuffix(suffix))
        level_word = _SPELLED_LEVELS.get(meta.level or "")
        own |= {a + level_word for a in meta.aliases if level_word and len(a) >= 2 and not a.endswith(PLACE_SUFFIXES)}
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
    words = _words(norm)
    regions: set[str] = set()
    unknown: list[str] = []
    rest = norm
    for name in sorted(names, key=len, reverse=True):
        start = rest.find(name)
        if start < 0:
            continue
        level = by_region[names[name]].level
        well_known = (level in WELL_KNOWN_LEVELS or (level == "国家" and len(name) >= NATIONAL_NAMES_MIN_CHARS)) \
            and (start, start + len(name)) in words
        if not name.endswith(PLACE_SUFFIXES) and not well_known and not _stands(rest, start, start + len(name)):
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
        if not _NOT_A_NAME.search(zone) and not is_stopword(zone):
            unknown.append(zone)
            rest = blank(rest, match.start(1), match.end(1))
    for start, end in sorted(words):
        province = abbreviations().get(rest[start:end]) if end - start == 1 else None
        if province and (not rest[:start].strip() or _ABBREVIATION_AFTER.match(rest[end:])):
            inside = [m.region for m in reports if province in (m.region, m.province)]
            regions.update(inside) if inside else unknown.append(province)
            rest = blank(rest, start, end)
    starts = {m.start for m in mentions}
    word_starts = {start for start, _ in words}
    qualifier = ""
    for mention in mentions:
        if not rest[mention.start : mention.end].strip():
            continue
        well_known = all(d.rank <= 1 for d in mention.divisions) and (mention.start, mention.end) in words
        if not well_known and not _stands_as_place(rest, mention):
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


def _words(text: str) -> set[tuple[int, int]]:
    """The (start, end) of each word of the question, as the question tokenizer splits it (taught every
    stored name)."""
    spans, position, lowered = set(), 0, text.lower()
    for word in tokenize(text, search=False, question=True):
        found = lowered.find(word, position)
        if found >= 0:
            spans.add((found, found + len(word)))
            position = found + len(word)
    return spans


def abbreviations() -> dict[str, str]:
    """A province's one-character abbreviation → its official name (vocabulary/province_abbreviations.tsv)."""
    return table("province_abbreviations.tsv")


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
