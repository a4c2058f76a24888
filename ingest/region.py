"""Whose report is it: the area (official name, level, province, city, code), the author, and how sure we are.

Every place name is looked up in the gazetteer (ingest/gazetteer.py), never grown from characters, so
中牟县 cannot become 牟县 and "9个区委" cannot become a region. Evidence is weighed by where a name
stands: the title first, then the issuing body (落款, 发布机构, 来源), then the subject of the opening
sentence, then the body. Addressee lines (中共XX市委、XX市人民政府：) name the parent and are skipped; a
parent written before its county (大同市新荣区) qualifies it; names inside 《…》 count little; how the
report calls itself (全县, 我区, 区政府) tells which level to prefer. Same-name districts (朝阳区) are
resolved by the city or province the text names; when the evidence is thin the fields are flagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .author import bracketed_names, issuing_body
from .gazetteer import Division, Mention, gazetteer
from .model import NATIONAL_REGION
from .speaker import body_before_speaker
from .zones import ZONE_KINDS, find_zone

CUES_FILE = Path(__file__).parent / "data" / "region_cues.tsv"
# How people name the whole country's government in a question (国务院的报告, 中央政府工作报告).
NATIONAL_ALIASES = ("国务院", "中央政府", "中央")
# Weights of a name by where it stands.
TITLE_WEIGHT = 50.0
AUTHOR_WEIGHT = 30.0  # 落款 / 发布机构 / 发文机关
SUBJECT_WEIGHT = 40.0  # the subject of the opening sentence
SOURCE_WEIGHT = 8.0  # a portal's 来源 (often the office that posted it)
OPENING_WEIGHT = 6.0
ANCHORED_WEIGHT = 3.0  # in the body, followed by 区委 / 人民政府 … or after 法治 …
BODY_WEIGHT = 1.0
QUOTED_FACTOR = 0.3  # inside 《…》: another document's title
BODY_CAP = 30.0  # body mentions add up to at most this much per division
LEVEL_HINT_FACTOR = 2.0  # a division of the level the report calls itself (全县 → 县)
# Below this score no title, author or subject named the area: the region is flagged 待确认.
CONFIDENT_SCORE = 20.0
# A runner-up this close to the best leaves the choice open (flagged).
CLOSE_RATIO = 0.8
OPENING_CHARS = 300
SHORT_NAME_CHARS = 2  # names this short (范县, 新县) count only where a word can start
WORD_BOUNDARY_CHARS = set("省市州盟区县旗的在和与及对于是由将把从向、")
WINDOW_CHARS = 20000  # body text searched for names: a report names itself long before this
SELF_REFERENCE_CHARS = 3000
LEVELS_BY_SELF_WORD = {
    "省": {"省"},
    "市": {"地级市", "县级市", "省"},  # 全市 in a municipality's (北京市) report
    "区": {"区", "开发区", "省"},  # 全区 in an autonomous region's report
    "县": {"县"},
    "旗": {"旗"},
    "州": {"地级市"},
}


def _cues() -> dict[str, re.Pattern[str]]:
    cues = {}
    for line in CUES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, pattern = line.split("\t", 1)
            cues[kind] = re.compile(pattern)
    return cues


CUES = _cues()


@dataclass
class Place:
    region: str | None = None
    aliases: tuple[str, ...] = ()
    level: str | None = None
    province: str | None = None
    city: str | None = None
    division_code: str | None = None
    author: str | None = None
    uncertain: set[str] = field(default_factory=set)


@dataclass
class _Evidence:
    score: dict[Division, float] = field(default_factory=lambda: defaultdict(float))
    body: dict[Division, float] = field(default_factory=lambda: defaultdict(float))
    strong: set[Division] = field(default_factory=set)  # named by the title, an author line or the subject
    qualified: dict[Division, set[Division]] = field(default_factory=lambda: defaultdict(set))

    def total(self, division: Division) -> float:
        return self.score[division] + min(self.body[division], BODY_CAP)


def subject_of(sentence: str) -> str:
    """The subject of an opening sentence: '2022年,在县委…下,武定县人民政府办公室坚持…' → '武定县人民政府办公室'."""
    text = CUES["time_lead"].sub("", sentence, count=1)
    while text.startswith("在") and (end := text.find("下,")) != -1 and end < 60:
        text = text[end + 2 :]
    if body := body_before_speaker(text):
        return body
    match = CUES["subject_end"].search(text[:40])
    return text[: match.start()].strip(" ,，、") if match else ""


# A title may open with its year: 2024年度新江湾城街道法治政府建设工作报告.
_LEADING_YEAR_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?\s*")


def title_subject(title: str) -> str:
    """The issuing body at the head of a title: '上海市嘉定区人民政府2022年度…' → '上海市嘉定区人民政府';
    '2025年天津经济技术开发区法治政府…' → '天津经济技术开发区'."""
    title = _LEADING_YEAR_RE.sub("", title)
    match = re.search(r"关于|\d{4}|法治政府|推进|贯彻|依法行政|行政审判|政府信息公开", title)
    return title[: match.start()].strip() if match else ""


def is_department(subject: str) -> bool:
    return bool(subject) and bool(CUES["department"].search(subject)) and not CUES["not_department"].search(subject)


def self_level(text: str) -> str | None:
    """The level word a report uses for itself most (全县 / 我县 / 本县 / a bare 县人民政府 → 县)."""
    counts: dict[str, int] = defaultdict(int)
    for match in CUES["self_reference"].finditer(text[:SELF_REFERENCE_CHARS]):
        counts[next(g for g in match.groups() if g)] += 1
    return max(counts, key=counts.get) if counts else None


def infer_place(title: str | None, authors: list[str], source: str | None, opening: str, window: str,
                addressee: str | None = None) -> Place:
    """All inputs in matching form. `authors`: 落款 / 发布机构 lines; `opening`: the first sentence after any addressee.

    The addressee (the parent the report is sent to) never names the area, but it tells the province and
    city when nothing else does, and a zone's city.
    """
    evidence = _Evidence()
    subject = subject_of(opening)
    head = title_subject(title) if title else ""
    for text, weight in ((title or "", TITLE_WEIGHT), *((a, AUTHOR_WEIGHT) for a in authors),
                         (source or "", SOURCE_WEIGHT), (subject, SUBJECT_WEIGHT)):
        _weigh(evidence, gazetteer().mentions(text), text, weight, strong=True)
    _weigh(evidence, gazetteer().mentions(opening), opening, OPENING_WEIGHT, strong=False)
    _weigh(evidence, gazetteer().mentions(window), window, None, strong=False)
    level_word = _subject_level(head) or _subject_level(subject) or self_level(opening + window)
    place = _choose(evidence, level_word)
    parent = _parent_place(addressee)
    if place.region is None and parent.region:
        place = Place(province=parent.province, city=parent.city if parent.level != "地级市" else parent.region,
                      uncertain={"province", "city"})
    department_phrase = next((p for p in (head, subject) if is_department(p)), None)
    mismatch = "region" in place.uncertain and level_word is not None and not fits(place.level, place.region, level_word)
    place = _unlisted(place, [head, subject, *authors], window, place.region is None or mismatch)
    zone = find_zone([head, subject], [title or "", *authors, source or "", window], place, parent, level_word)
    if zone:
        place = zone
    speaker = CUES["national_speaker"].search("\n".join((title or "", head, *authors, opening)))
    if speaker or (department_phrase and _is_national(department_phrase)):
        # The State Council or a ministry speaks for the whole country: guessing an area from the body
        # (雄安新区, named in every national report) would mislead.
        author = "国务院" if speaker and not department_phrase else department_phrase
        return Place(region=NATIONAL_REGION, aliases=NATIONAL_ALIASES, level="国家", author=author)
    if department_phrase:
        place.level = "部门"
    place.author = issuing_body(head, authors, subject, department_phrase, source, place.region)
    place.aliases = (*place.aliases, *bracketed_names(head, place))
    return place


# A name the gazetteer does not hold (a division created after its data, a misspelling, or a town: the
# gazetteer stops at counties), written where only the report's own area stands: the title's or opening's
# subject, or X人民政府 / X法治政府建设 in the body (counties and above only: a body names many towns).
_UNLISTED_SUBJECT_RE = re.compile(
    r"^(?:中共)?([\u4e00-\u9fff]{2,12}?(?:自治县|县|区|市|旗|镇|乡|街道))(?:人民政府|政府|委|党委|办事处|法治|\(|$)")
_UNLISTED_BODY_RE = re.compile(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=中共))([\u4e00-\u9fff]{2,6}?(?:县|区|市|旗))(?=委|人民政府|政府|法治政府|全面依法治|坚持)")
# Not names: phrases starting with a function word (以区县政府为被申请人, 对全县) or ending in two level
# characters (区县, 市县, 县区: a class of divisions, not one).
_NOT_A_NAME_RE = re.compile(r"^(?:全|本|依法|法治|开发|高新|经开|自治)|^[我各该和与及在的将对为以由从按把经被政府委]"
                            r"|[区县市镇乡旗](?:县|区|市|旗)$")
# A body phrase starting with 新 (新城区 in 推进新城区建设) is none either; a subject may (新江湾城街道).
_NOT_A_BODY_NAME_RE = re.compile(r"^新")
# A name's level from its suffix, longest first: for names the gazetteer lacks (a new division, a town, a
# zone) and names a user types. A 市 it lacks is a 县级市 when read from a report's subject.
LEVEL_SUFFIXES = (("开发区", "开发区"), ("高新区", "开发区"), ("自治区", "省"), ("自治县", "县"), ("街道", "乡镇"),
                  ("县", "县"), ("旗", "旗"), ("省", "省"), ("区", "区"), ("州", "地级市"), ("盟", "地级市"),
                  ("镇", "乡镇"), ("乡", "乡镇"))


def suffix_level(name: str, city_level: str | None = None) -> str | None:
    """The level a name's suffix tells (寺庄镇 → 乡镇); a 市 gets `city_level`."""
    found = next((level for suffix, level in LEVEL_SUFFIXES if name.endswith(suffix)), None)
    return found or (city_level if name.endswith("市") else None)


def place_under(name: str, fallback: Place | None = None) -> Place | None:
    """A name the gazetteer lacks, in the places written before it (高平市寺庄镇 → 寺庄镇 of 晋城市, 山西省)
    or else in `fallback`; None when nothing precedes it and no fallback is given."""
    parent, own = _split_known_prefix(name)
    if parent is None and fallback is None:
        return None
    context = _place(parent, set()) if parent else fallback
    city = context.region if parent and parent.rank == 1 else context.city
    return Place(region=own, level=suffix_level(own, "县级市"), province=context.province, city=city)


# A town's office written after its county's (鲤城区人民政府金龙街道办事处, 渠县宝城镇人民政府): the town wrote it.
_TOWN_SUBJECT_RE = re.compile(r"^(?:中共)?((?:[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|旗))*?)(?:人民政府|政府)?"
                              r"([\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))(?=办事处|人民政府|政府|党委|党工委|法治|\d|$)")


def _unlisted(place: Place, subjects: list[str], window: str, uncertain: bool) -> Place:
    """A name the gazetteer lacks, from the report's own subject (always: the subject names the author) or,
    when nothing was found, or only an uncertain place of another level than the report calls itself
    (a province for a report that says 全县), from the body. Flagged 待确认: better a name to confirm than none."""
    towns = [m.group(1) + m.group(2) for s in subjects if s and (m := _TOWN_SUBJECT_RE.match(s))]
    names = towns + [m.group(1) for s in subjects if s and (m := _UNLISTED_SUBJECT_RE.match(s))]
    from_body = not names and uncertain
    if from_body:
        counts: dict[str, int] = defaultdict(int)
        for match in _UNLISTED_BODY_RE.finditer(window):
            counts[match.group(1)] += 1
        names = [n for n in sorted(counts, key=counts.get, reverse=True)[:1] if not _NOT_A_BODY_NAME_RE.match(n)]
    for name in names:
        found = place_under(name.removeprefix("中共"), place)
        own = found.region
        if len(own) < 3 or _NOT_A_NAME_RE.match(own) or gazetteer().named(own) or _is_zone_name(own):
            continue
        found.uncertain = {"region", "level", "province", "city"}
        return found
    return place


def _split_known_prefix(name: str) -> tuple[Division | None, str]:
    """大同市北福区 → (大同市, 北福区); 重庆市开州区铁桥镇 → (开州区, 铁桥镇): the known places written in
    full before an unlisted one, the lowest of them returned."""
    parent = None
    while (mentions := gazetteer().mentions(name)) and mentions[0].start == 0 and not mentions[0].bare \
            and mentions[0].end < len(name):
        parent, name = mentions[0].divisions[0], name[mentions[0].end :]
    return parent, name


def _is_zone_name(name: str) -> bool:
    return name.endswith(ZONE_KINDS)


def _parent_place(addressee: str | None) -> Place:
    """The lowest division an addressee line names (中共XX县委、县人民政府： → XX县)."""
    if not addressee:
        return Place()
    divisions = [d for m in gazetteer().mentions(addressee) if not m.bare for d in m.divisions]
    return _place(max(divisions, key=lambda d: d.rank), set()) if divisions else Place()


def _is_national(phrase: str) -> bool:
    """自然资源部, 国家市场监督管理总局: a central department, named without any place or level word."""
    places = [m for m in gazetteer().mentions(phrase) if not _inside_word(phrase, m)]
    return bool(CUES["national"].match(phrase)) and not places and not re.search(r"[省市区县旗州]", phrase)


def fits(level: str | None, name: str | None, level_word: str) -> bool:
    """Whether an area of this level can call itself 全<level_word> (全区 fits a 自治区, not another province)."""
    if level == "省" and level_word == "区":
        return bool(name and name.endswith("自治区"))
    return level in LEVELS_BY_SELF_WORD.get(level_word, set())


def _subject_level(subject: str) -> str | None:
    """区政府 / 我县 / 县人民政府 as the subject tell the level even when no name is given."""
    match = re.search(r"(?:^|[我本全])(省|市|区|县|旗|州)(?=人民政府|政府|司法|党政办|政府办|综治|[\u4e00-\u9fff]{0,8}(?:局|办|厅)$|$)", subject)
    return match.group(1) if match else None


def _weigh(evidence: _Evidence, mentions: list[Mention], text: str, weight: float | None, strong: bool) -> None:
    """Add each mention's weight to its divisions; `weight` None: the body (anchored or plain, capped)."""
    quoted = _quoted_spans(text) if not strong else []  # the opening and body may cite 《XX省…纲要》
    for index, mention in enumerate(mentions):
        nxt = mentions[index + 1] if index + 1 < len(mentions) else None
        if nxt and nxt.start == mention.end and _qualifies(mention, nxt, evidence):
            continue  # 大同市新荣区: the city only qualifies the district
        anchored = _anchored(text, mention)
        if _inside_word(text, mention) and not (mention.bare and anchored):
            continue  # 示范县 holds 范县, 自然资源部 holds 资源: neither names a county
        strong_place = weight and weight >= AUTHOR_WEIGHT and _ends_as_name(text, mention)
        if mention.bare and not anchored and not strong_place and not _is_province(mention):
            continue
        divisions = _senior(mention.divisions) if mention.bare else mention.divisions
        in_quote = any(a <= mention.start < b for a, b in quoted)
        for division in divisions:
            if weight is not None:
                evidence.score[division] += weight * (QUOTED_FACTOR if in_quote else 1.0) / len(divisions)
                if strong:
                    evidence.strong.add(division)
                continue
            amount = (ANCHORED_WEIGHT if anchored else BODY_WEIGHT) * (QUOTED_FACTOR if in_quote else 1.0)
            evidence.body[division] += amount / len(divisions)


# A zone's name after a bare city name: 合肥高新区, 中山火炬开发区.
_ZONE_HEAD_RE = re.compile(rf"[\u4e00-\u9fff]{{0,4}}(?:{'|'.join(ZONE_KINDS)})")


def _ends_as_name(text: str, mention: Mention) -> bool:
    """A bare short name ends where a word ends (中牟2023年, 中牟司法局, 中牟坚持…) or heads a zone's name
    (合肥高新区): 公安 in 全区公安机关 runs into the next word and names no 公安县."""
    after = text[mention.end :]
    return (not after or not "\u4e00" <= after[0] <= "\u9fff" or after[0] in WORD_BOUNDARY_CHARS
            or bool(CUES["anchor_after"].match(after) or CUES["subject_end"].match(after) or _ZONE_HEAD_RE.match(after)))


def _inside_word(text: str, mention: Mention) -> bool:
    """A short name glued to the word before it (示范县 → 范县; 自然资源部 → 资源) is part of that word.
    Full names longer than two characters are names wherever they stand (…的嘉定区…)."""
    if mention.start == 0 or (not mention.bare and mention.end - mention.start > SHORT_NAME_CHARS):
        return False
    before = text[mention.start - 1]
    return "\u4e00" <= before <= "\u9fff" and before not in WORD_BOUNDARY_CHARS


def _senior(divisions: tuple[Division, ...]) -> tuple[Division, ...]:
    """A bare short form (中山, 南昌) names the most senior division it can: people write 中山区 in full."""
    top = min(d.rank for d in divisions)
    return tuple(d for d in divisions if d.rank == top)


def _qualifies(parent: Mention, child: Mention, evidence: _Evidence) -> bool:
    pairs = [(p, c) for p in parent.divisions for c in child.divisions if c.within(p)]
    for p, c in pairs:
        evidence.qualified[c].add(p)
    return bool(pairs)


def _is_province(mention: Mention) -> bool:
    return any(d.rank == 0 for d in mention.divisions)


def _anchored(text: str, mention: Mention) -> bool:
    after = text[mention.end : mention.end + 8]
    before = text[max(0, mention.start - 4) : mention.start]
    return bool(CUES["anchor_after"].match(after) or CUES["anchor_before"].search(before))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"《[^《》]{0,80}》", text)]


def _choose(evidence: _Evidence, level_word: str | None) -> Place:
    candidates = {d for d in [*evidence.score, *evidence.body] if evidence.total(d) > 0}
    if not candidates:
        return Place(uncertain={"region"} if level_word else set())
    def rank(d: Division) -> tuple[float, float, int]:
        total = evidence.total(d) * (LEVEL_HINT_FACTOR if level_word and fits(d.level, d.name, level_word) else 1.0)
        return (total, _context(evidence, d), d.current)

    ordered = sorted(candidates, key=rank, reverse=True)
    best = _climb(ordered[0], evidence, level_word)
    uncertain: set[str] = set()
    best_total = rank(best)[0]
    if best not in evidence.strong and best_total < CONFIDENT_SCORE:
        uncertain |= {"region", "level", "province", "city"}
    rival = next((d for d in ordered[1:] if d.name == best.name or not (best.within(d) or d.within(best))), None)
    if rival and rank(rival)[0] >= CLOSE_RATIO * best_total and not (rival.name == best.name and _context(evidence, best) > _context(evidence, rival)):
        uncertain |= {"region", "level", "province", "city"}
    return _place(best, uncertain)


def _climb(best: Division, evidence: _Evidence, level_word: str | None) -> Division:
    """A province's (or city's) report that names only its cities (or counties): go up to the level it calls itself."""
    if best in evidence.strong or level_word not in ("省", "市", "州"):
        return best
    g = gazetteer()
    target_rank = 0 if level_word == "省" else 1
    if best.rank <= target_rank or (level_word == "市" and best.level == "县级市"):
        return best
    ancestor = g.province_of(best) if target_rank == 0 else g.parent_city(best)
    return ancestor or best


def _context(evidence: _Evidence, division: Division) -> float:
    """How much the text names this division's province or city (or writes them right before it)."""
    g = gazetteer()
    parents = [p for p in (g.parent_city(division), g.province_of(division)) if p and p != division]
    qualified = 100.0 if evidence.qualified.get(division) else 0.0
    return qualified + sum(evidence.total(p) for p in parents)


def _place(division: Division, uncertain: set[str]) -> Place:
    g = gazetteer()
    province = division.province
    city = division.city if division.rank == 2 else (division.name if division.rank == 1 else None)
    return Place(region=division.name, aliases=g.aliases(division), level=division.level, province=province,
                 city=city, division_code=division.code, uncertain=uncertain)
