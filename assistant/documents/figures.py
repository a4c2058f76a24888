"""Key figures users compare across reports, extracted by rules so that it works offline.

The indicator lexicon is data (data/indicators.tsv). Each sentence is matched in a normalised form:
NFKC, thousands separators and spaces inside figures removed, Chinese numerals before a unit turned
into digits with cn2an (三十二件 → 32件, 二十余次 → 20余次, 近百场 → 近100场). A topic named in a sentence
(行政复议) stays active for the clauses after it, so "收到行政复议申请63件，受理58件，审结55件" gives three
figures. The value kept is the text the report printed, found verbatim in its sentence, so every figure
is traced to its sentence, paragraph and part; approximations (余, 多, 近, 约) are flagged.

Only 法治政府建设年度报告 yield figures unless the caller includes other document types: a court's
行政审判 figures or a 信息公开 report's counts are not the same indicators.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import cn2an

from ingest.model import DocType, Paragraph, ReportMeta
from ingest.text import MULTIPLIERS, matching_form, split_sentences

LEXICON_FILE = Path(__file__).parent / "data" / "indicators.tsv"
N = r"(?<![\d.])((?:近|约|超过|超|逾|将近)?\d+(?:\.\d+)?(?:万|亿)?(?:余|多)?)"
GAP = r"[^,;:。\d]{0,12}?"
APPROXIMATE_MARKS = ("近", "约", "超", "逾", "余", "多")
_UNITS = "件|次|场|名|人次|人|项|所|家|卷|份|条|期|宗|起|篇|张|个"
# Chinese numerals of two or more characters (or with 十/百/千) right before a unit or 余/多.
_CN_NUMERAL_RE = re.compile(rf"(?<![第])([零〇一二两三四五六七八九十百千]{{2,}}|[十百千])(?=(?:余|多)?(?:{_UNITS}))")
_CLAUSE_RE = re.compile(r"[^,;:]+")
# A count per village or per school (每个村配备2名, 各村均培养3名) is no total of the report's area; a
# count per period (每年开展20次) is.
_PER_UNIT_RE = re.compile(r"每(?!年|月|季|周|半年|日|天)(?:个|一|所|家)?[\u4e00-\u9fff]|均(?!已|为|在|按|获|被)[\u4e00-\u9fff]")
_TOTAL_RE = re.compile(r"共|累计|合计|总计")
# 3名以上, 95%以上, 20次左右: the printed value is a bound or a round figure.
_BOUND_AFTER_RE = re.compile(rf"^(?:{_UNITS}|%)?(?:以上|左右|上下)")


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    patterns: tuple[str, ...]  # matched on the whole sentence; the {N} group is the value
    topic_patterns: tuple[tuple[str, str], ...] = ()  # (topic, pattern): matched on a clause while the topic is active


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: str  # as printed in the sentence (1,984 / 1.2万 / 三十二 / 二十余)
    unit: str
    report: str
    region: str | None
    year: int | None
    paragraph_id: str
    sentence: str
    part: str | None = None  # the report part the sentence stands in (work / problems / next …)
    doc_type: str | None = None
    approximate: bool = False  # 二十余次, 近百场, 约1.2万件
    number: float | None = None  # the value as a number (1.2万 → 12000)

    def to_dict(self) -> dict:
        return asdict(self)


def _load() -> tuple[dict[str, re.Pattern[str]], tuple[Indicator, ...]]:
    topics: dict[str, re.Pattern[str]] = {}
    units: dict[str, str] = {}
    plain: dict[str, list[str]] = {}
    topical: dict[str, list[tuple[str, str]]] = {}
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "@topic":
            topics[fields[1]] = re.compile(fields[2])
            continue
        name, unit, topic, pattern = fields
        units.setdefault(name, unit)
        pattern = pattern.replace("{N}", N).replace("{G}", GAP)
        if topic == "-":
            plain.setdefault(name, []).append(pattern)
        else:
            topical.setdefault(name, []).append((topic, pattern))
    return topics, tuple(Indicator(name, unit, tuple(plain.get(name, [])), tuple(topical.get(name, [])))
                         for name, unit in units.items())


TOPICS, INDICATORS = _load()
_PLAIN = [(indicator, re.compile(p)) for indicator in INDICATORS for p in indicator.patterns]
_TOPICAL = [(indicator, topic, re.compile(p)) for indicator in INDICATORS for topic, p in indicator.topic_patterns]


def extract(meta: ReportMeta, paragraphs: list[Paragraph], include_all_types: bool = False) -> list[Figure]:
    """Every indicator value the report states, first statement of each (indicator, value) kept.

    Reports whose type is not 法治政府建设年度报告 give none unless `include_all_types`.
    """
    if not include_all_types and meta.doc_type != DocType.ANNUAL_REPORT.value:
        return []
    found: dict[tuple[str, str], Figure] = {}
    for paragraph in paragraphs:
        topic: str | None = None
        for start, end in split_sentences(paragraph.text):
            sentence = paragraph.text[start:end]
            norm, numerals = _normal(sentence)
            for indicator, match, clause_topic in _matches(norm, topic):
                topic = clause_topic
                if _per_unit(match):
                    continue
                figure = _figure(meta, paragraph, sentence, indicator, match, numerals)
                found.setdefault((indicator.name, figure.value), figure)
            topic = _last_topic(norm) or topic
    return list(found.values())


def _matches(norm: str, topic: str | None):
    """(indicator, match, active topic) for the sentence: whole-sentence patterns, then clause by clause."""
    for indicator, pattern in _PLAIN:
        for match in pattern.finditer(norm):
            yield indicator, match, topic
    active = topic
    for clause in _CLAUSE_RE.finditer(norm):
        text = clause.group()
        active = _last_topic(text) or active
        for indicator, needed, pattern in _TOPICAL:
            if needed == active:
                for match in pattern.finditer(text):
                    yield indicator, match, active


def _value_group(match: re.Match[str]) -> int:
    """The index of the captured number: the group built from {N} (the last group that holds digits)."""
    for index in range(len(match.groups()), 0, -1):
        if match.group(index) and re.search(r"\d", match.group(index)):
            return index
    return 0


_TITLE_RE = re.compile(r"《[^》]*》")


def _last_topic(text: str) -> str | None:
    """The topic named last in the text; a law's title names none (《…规范性文件管理办法》 studied
    at a meeting keeps the meeting's topic)."""
    text = _TITLE_RE.sub(lambda m: " " * len(m.group()), text)
    best, position = None, -1
    for key, pattern in TOPICS.items():
        for match in pattern.finditer(text):
            if match.start() > position:
                best, position = key, match.start()
    return best


def _normal(text: str) -> tuple[str, dict[str, str]]:
    """Matching form of a sentence, and the Chinese numerals it turned into digits (digits → as written)."""
    norm = matching_form(text)  # traditional characters too (一審行政訴訟敗訴率)
    norm = re.sub(r"(?<=\d),(?=\d{3})", "", norm)
    norm = re.sub(r"(?<=\d)\s+(?=\S)|(?<=\S)\s+(?=\d)", "", norm)
    numerals: dict[str, str] = {}

    def to_digits(match: re.Match[str]) -> str:
        written = match.group(1)
        try:
            value = cn2an.cn2an(written, "smart")
        except (ValueError, KeyError):
            value = {"十": 10, "百": 100, "千": 1000}.get(written)
        if value is None:
            return written
        digits = str(int(value)) if float(value).is_integer() else str(value)
        numerals[digits] = written
        return digits

    return _CN_NUMERAL_RE.sub(to_digits, norm), numerals


def _figure(meta: ReportMeta, paragraph: Paragraph, sentence: str, indicator: Indicator, match: re.Match[str],
            numerals: dict[str, str]) -> Figure:
    group = _value_group(match)
    captured = match.group(group)
    before = match.string[max(0, match.start(group) - 2) : match.start(group)]  # 近 / 约 left to a pattern's gap
    number_text = re.search(r"\d+(?:\.\d+)?", captured).group()
    multiplier = next((m for k, m in MULTIPLIERS.items() if k in captured), 1.0)
    return Figure(
        indicator=indicator.name,
        value=_printed(captured, number_text, sentence, numerals),
        unit=_printed_unit(match.string[match.end(group) : match.end(group) + 2], indicator.unit),
        report=meta.name,
        region=meta.region,
        year=meta.year,
        paragraph_id=paragraph.id,
        sentence=sentence.strip(),
        part=paragraph.part.value,
        doc_type=meta.doc_type,
        approximate=(any(mark in captured + before[-1:] for mark in APPROXIMATE_MARKS) or before == "超过"
                     or bool(_BOUND_AFTER_RE.match(match.string[match.end(group) : match.end(group) + 4]))),
        number=round(float(number_text) * multiplier, 4),
    )


def _per_unit(match: re.Match[str]) -> bool:
    """Whether the value counts per village, school or unit: 每/均 before it in its clause, no 共 between."""
    start = match.start(_value_group(match))
    clause_start = max((m.end() for m in re.finditer(r"[,;:。]", match.string[:start])), default=0)
    before = match.string[clause_start:start]
    per = max((m.end() for m in _PER_UNIT_RE.finditer(before)), default=-1)
    return per >= 0 and not _TOTAL_RE.search(before[per:])


def _printed_unit(after: str, default: str) -> str:
    """The unit as printed right after the value (699宗 stays 宗), else the indicator's own."""
    unit = re.match(rf"(?:{_UNITS}|%)", after)
    return unit.group() if unit else default


def _printed(captured: str, number_text: str, sentence: str, numerals: dict[str, str]) -> str:
    """The value as the report printed it (1,984 / 三十二 / 二十余 / 1.2万), found verbatim in the sentence."""
    core = re.sub(r"^(近|约|超过|超|逾|将近)", "", captured)
    nfkc = unicodedata.normalize("NFKC", sentence)
    if core in sentence:
        return core
    if number_text in numerals:
        written = core.replace(number_text, numerals[number_text])
        if written in sentence:
            return written
        if numerals[number_text] in sentence:
            return numerals[number_text]
    pattern = r"\d{1,3}(?:[,，]\d{3})+" if len(number_text) > 3 else re.escape(number_text)
    for match in re.finditer(pattern, sentence):
        if re.sub(r"[,，]", "", match.group()) == number_text:
            return match.group()
    return number_text if number_text in sentence or number_text in nfkc else core


