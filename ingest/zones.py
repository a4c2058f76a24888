"""Development zones (高新区, 经开区, 开发区, 新区): administrations that report like an area but are no division.

The gazetteer does not list them (but for a few with codes, such as 苏州工业园区), so a zone is
recognised when the report's own subject is one (the title's issuing body or the opening sentence's
subject), and named in its fullest written form: 天津滨海高新区 → 天津滨海高新技术产业开发区 when the page
writes that; a bare 高新区 takes its city's short name (珠海高新技术产业开发区). Its province and city
are those of the place the rest of the text names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .gazetteer import gazetteer

if TYPE_CHECKING:
    from .region import Place

# Short kinds and the full kind they stand for.
EXPANSIONS = {"高新区": "高新技术产业开发区", "经开区": "经济技术开发区"}
SHORT_KINDS = {full: short for short, full in EXPANSIONS.items()}
GENERIC_KINDS = {"开发区", "新区", "园区", "工业园区", "保税区"}  # too general to stand for one zone
ZONE_KINDS = ("高新技术产业开发区", "经济技术开发区", "高新技术开发区", "经济开发区", "工业园区", "高新区", "经开区",
              "开发区", "保税区", "新区")
_KIND = "|".join(ZONE_KINDS)
_ZONE_RE = re.compile(rf"([\u4e00-\u9fff]{{0,10}}?)({_KIND})")
MIN_ZONE_MENTIONS = 1
# Words that may precede a zone name inside a phrase but are not part of it.
_LEADING_WORDS_RE = re.compile(r"^(中共|中国|国家级|省级|区|县|市|年度|年)")  # 年: after a title's year


def find_zone(subjects: list[str], texts: list[str], place: "Place", parent: "Place",
              level_word: str | None) -> "Place | None":
    """A Place for the zone that is the report's subject, or None when the subject is no zone.

    A report that calls itself 区 (区党政办, 全区) but names no district of its own is a zone's when its
    text keeps naming one kind of zone (围绕高新区中心工作). `parent`: the place an addressee line names.
    """
    from .region import Place

    autonomous_region = place.level == "省" and (place.region or "").endswith("自治区")
    if level_word == "区" and place.level != "区" and not autonomous_region and (kind := _commonest_kind(texts[-1])):
        subjects = [*subjects, kind]
    if place.region is None or (parent.region and place.uncertain):
        place = parent if parent.region else place
    for subject in subjects:
        match = _ZONE_RE.search(subject or "")
        if not match or _is_division(subject, match):
            continue
        prefix, kind = _prefix(match.group(1)), match.group(2)
        name = _fullest(prefix, kind, texts)
        if not prefix and name == kind:
            name = _quoted_name(kind, texts[-1]) or name
        if not prefix and name == kind:
            city_short = _short_city(place)
            name = city_short + EXPANSIONS.get(kind, kind) if city_short else kind
        short = SHORT_KINDS.get(kind, kind)
        written = {kind, short, prefix + kind, prefix + short, name.replace(EXPANSIONS.get(short, short), short)}
        aliases = tuple(sorted(a for a in written if a != name and a not in GENERIC_KINDS and a != EXPANSIONS.get(short)))
        city = place.city if place.level not in ("地级市", "省") else place.region
        if place.level == "省" and place.region in _municipalities():
            city = place.region
        uncertain = {f for f in place.uncertain if f in ("province", "city")}
        return Place(region=name, aliases=aliases, level="开发区", province=place.province, city=city,
                     division_code=None, uncertain=uncertain)
    return None


def _commonest_kind(window: str) -> str | None:
    """The zone kind a text names most often on its own (高新区), if it names one at least twice."""
    counts: dict[str, int] = {}
    for match in re.finditer(rf"(?<![\u4e00-\u9fff])(?:{_KIND})|(?<=[,，、在绕全本我])(?:{_KIND})", window):
        counts[match.group()] = counts.get(match.group(), 0) + 1
    kind = max(counts, key=counts.get) if counts else None
    return kind if kind and counts[kind] >= MIN_ZONE_MENTIONS else None


def _is_division(subject: str, match: re.Match[str]) -> bool:
    """浦东新区 / 滨海新区 are districts, not zones; a zone run with a district (高新区(新市区)) is the district."""
    mentions = gazetteer().mentions(subject)
    if any(m.start <= match.start(2) < m.end and not m.bare for m in mentions):
        return True
    return any(not m.bare and m.divisions[0].rank == 2 and m.start >= match.end() for m in mentions)


def _prefix(prefix: str) -> str:
    """Drop leading words and a place written with its suffix (中山市火炬开发区 → 火炬开发区)."""
    prefix = _LEADING_WORDS_RE.sub("", prefix)
    for mention in gazetteer().mentions(prefix):
        if mention.start == 0 and not mention.bare and mention.end < len(prefix):
            return prefix[mention.end :]
    return prefix


def _fullest(prefix: str, kind: str, texts: list[str]) -> str:
    """The longest written form of this zone in the title, author lines or source."""
    best = prefix + kind
    full_kind = EXPANSIONS.get(kind, kind)
    for text in texts[:-1]:  # the body window is too noisy to take a name from
        for match in _ZONE_RE.finditer(text or ""):
            candidate_prefix = _prefix(match.group(1))
            if match.group(2) in (kind, full_kind) and candidate_prefix.endswith(prefix) and candidate_prefix:
                candidate = candidate_prefix + match.group(2)
                if len(candidate) > len(best) and (prefix or candidate_prefix):
                    best = candidate
    if best == prefix + kind and kind in EXPANSIONS and prefix:
        best = prefix + full_kind
    return best


def _quoted_name(kind: str, body: str) -> str | None:
    """新区司法局 writes its zone's name only in the body, at the head of the titles it quotes (《金普新区
    2025年…》, “金普新区社会治安…”): the commonest such name of this kind, when the report names no fuller one."""
    counts: dict[str, int] = {}
    for match in re.finditer(rf"(?<=[“《\"])([\u4e00-\u9fff]{{2,4}}?)({re.escape(kind)})", body):
        if not _LEADING_WORDS_RE.match(match.group(1)) and not _is_division(match.group(), match):
            counts[match.group()] = counts.get(match.group(), 0) + 1
    return max(counts, key=counts.get) if counts else None


def _short_city(place: "Place") -> str:
    """The short name of the zone's city (珠海市 → 珠海), from the place the text names."""
    if place.level in ("县级市", "县", "区"):
        city = place.region  # a zone inside a 县级市 (张家港经开区) takes that city's name
    else:
        city = place.city if place.level not in ("地级市",) else place.region
    if not city:
        return ""
    return city[:-1] if city.endswith("市") and len(city) >= 3 else city


def _municipalities() -> set[str]:
    return {"北京市", "天津市", "上海市", "重庆市"}
