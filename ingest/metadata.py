"""Infer a report's region, level, province, city and year from its own text.

Region names are found where official prose anchors them (中共X委, X人民政府, the title, the opening
sentence) and then sized by how often each candidate spelling recurs in the report: 天桥区 recurs as
often as 桥区 while 市天桥区 does not, so 天桥区 is the name. Generic words (全区, 我县, 开发区) never are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .cleaning import CleanText
from .model import ReportMeta
from .text import years_in

PROVINCES = [
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
]
_PROVINCE_FULL = {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "内蒙古": "内蒙古自治区",
                  "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
                  "香港": "香港特别行政区", "澳门": "澳门特别行政区"}
_PROVINCE_RE = re.compile("(" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + ")(省|市|自治区)?")

REGION_SUFFIXES = ("自治县", "自治旗", "开发区", "高新区", "新区", "区", "县", "旗", "市")
# Words that end like a place name but name no place.
GENERIC_PLACES = {
    "全区", "我区", "本区", "该区", "各区", "辖区", "城区", "社区", "园区", "景区", "小区", "片区", "街区", "市区",
    "郊区", "山区", "库区", "矿区", "灾区", "新区", "开发区", "高新区", "试验区", "示范区", "自贸区", "功能区",
    "全县", "我县", "本县", "该县", "各县", "郡县", "全市", "我市", "本市", "该市", "各市", "城市", "县市",
    "全旗", "我旗", "区县", "市县", "省市", "地市", "县区", "市区县",
}
# A candidate starting like this is an institution or a slogan, not a place (依法治县, 法治老边区).
GENERIC_PREFIXES = ("依法治", "法治", "全面", "平安", "建设")
# Characters that end a place name when scanning leftwards: function words and collectives.
_NAME_STOP = set("的在及与或了是对将把于至全我各该等为以从向由中共省届次级")
# Text right after a region name that shows it is the report's own government.
_ANCHOR_AFTER_RE = re.compile(r"^(?:委|人民政府|政府|委员会|党工委|管委会|全面依法治|依法治|法治政府)")
# A longer spelling must recur at least this share as often as the shorter one to replace it.
NAME_EXTENSION_RATIO = 0.6
MAX_NAME_CHARS = 6
OPENING_CHARS = 120


def infer_metadata(name: str, clean: CleanText) -> ReportMeta:
    text = "\n".join(clean.lines)
    norm = unicodedata.normalize("NFKC", text)
    title = clean.title
    region, city = infer_region(norm, unicodedata.normalize("NFKC", title) if title else None)
    return ReportMeta(
        name=name,
        title=title,
        region=region,
        level=region_level(region),
        province=infer_province(norm),
        city=city,
        year=infer_year(norm, title),
        published=clean.published,
        signed=clean.signed,
    )


def region_level(region: str | None) -> str | None:
    if not region:
        return None
    for suffix in ("自治县", "县"):
        if region.endswith(suffix):
            return "县"
    if region.endswith("旗"):
        return "旗"
    if region.endswith("市"):
        return "市"
    return "区" if region.endswith("区") else None


def infer_region(text: str, title: str | None) -> tuple[str | None, str | None]:
    """(region, city): the county-level name the report is about, and its city when written before it."""
    counts: Counter[str] = Counter()
    sources = [(title or "", True), (text[:OPENING_CHARS], True), (text, False)]
    for source, anchored_anywhere in sources:
        for index in _suffix_positions(source):
            after = source[index + 1 :]
            if not anchored_anywhere and not _ANCHOR_AFTER_RE.match(after):
                continue
            name = _grow_name(source, index, text)
            if name:
                counts[name] += 1
    if not counts:
        return None, None
    county = [n for n in counts if not n.endswith("市")]
    pool = county or list(counts)
    region = max(pool, key=lambda n: (counts[n], text.count(n), len(n)))
    return region, _city_before(region, (title or "") + "\n" + text)


def _city_before(region: str, text: str) -> str | None:
    """The city written right before the region (大同市新荣区 → 大同市), if any."""
    index = text.find("市" + region)
    while index >= 0:
        city = _grow_name(text, index, text)
        if city and city.endswith("市"):
            return city
        index = text.find("市" + region, index + 1)
    return None


def _suffix_positions(source: str) -> list[int]:
    return [m.end() - 1 for m in re.finditer("|".join(REGION_SUFFIXES), source)]


def _grow_name(source: str, end: int, whole: str) -> str | None:
    """Grow a name leftwards from the suffix at `end` while the longer spelling still recurs."""
    suffix = next(s for s in REGION_SUFFIXES if source.endswith(s, 0, end + 1))
    start = end + 1 - len(suffix)
    best: str | None = None
    best_count = 0
    for length in range(1, MAX_NAME_CHARS + 1):
        pos = start - length
        if pos < 0 or not _is_cjk(source[pos]) or source[pos] in _NAME_STOP:
            break
        if suffix != "市" and source[pos] in "市省":  # 大同市新荣区: the county name stops at the city
            break
        candidate = source[pos : end + 1]
        count = whole.count(candidate)
        if best is not None and best not in GENERIC_PLACES and count < NAME_EXTENSION_RATIO * best_count:
            break
        best, best_count = candidate, count
    if best is None or best in GENERIC_PLACES or len(best) - len(suffix) < 1 or best.startswith(GENERIC_PREFIXES):
        return None
    return best


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def infer_province(text: str) -> str | None:
    counts = Counter(m.group(1) for m in _PROVINCE_RE.finditer(text) if m.group(2) or m.group(1) not in ("山西",))
    if not counts:
        return None
    short = counts.most_common(1)[0][0]
    return _PROVINCE_FULL.get(short, short + "省")


def infer_year(text: str, title: str | None) -> int | None:
    """The year the report covers: the title's year, else the year that opens the report, else the commonest."""
    for source in (title or "", text[:OPENING_CHARS]):
        found = years_in(source)
        if found:
            return found[0]
    years = Counter(years_in(text))
    return years.most_common(1)[0][0] if years else None
