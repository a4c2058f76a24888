"""Key figures users compare across reports, extracted by rules so that it works offline.

Each indicator is a pattern over the normalised sentence (NFKC, thousands separators removed). The
value kept is the text the report printed, found verbatim in its sentence, so every figure can be
traced to the sentence and paragraph it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from ingest.model import Paragraph, ReportMeta
from ingest.text import split_sentences


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    patterns: tuple[str, ...]  # group 1 is the value; an optional group 2 the unit as printed
    requires: str = ""  # a word the sentence must hold


N = r"(\d+(?:\.\d+)?)"
INDICATORS: tuple[Indicator, ...] = (
    Indicator("行政复议收案", "件", (rf"收到行政复议(?:申请|案件)?{N}件", rf"(?:共|新)?受理行政复议(?:申请|案件)?{N}件",
                                  rf"行政复议(?:申请|案件)(?:共)?{N}件")),
    Indicator("行政复议受理", "件", (rf"收到行政复议(?:申请|案件)?\d+件[,，]?(?:其中[:：]?)?(?:依法)?受理{N}件",), "行政复议"),
    Indicator("行政诉讼案件", "件", (rf"行政诉讼案件(?:发案)?{N}件", rf"行政应诉案件{N}件")),
    Indicator("负责人出庭率", "%", (rf"出庭率(?:保持|达到|达)?{N}%",)),
    Indicator("法律援助案件", "件", (rf"法律援助案件{N}件",)),
    Indicator("行政执法证发放", "张", (rf"发放{N}张行政执法证", rf"(?:发放|办理|换发)行政执法证(?:件)?{N}(?:张|个)")),
    Indicator("行政执法证年审", "人", (rf"完成{N}人证件年审",)),
    Indicator("规范性文件审核", "件", (rf"审核(?:行政)?规范性文件{N}件", rf"合法性审(?:核|查)[^。，,\d]{{0,12}}{N}件")),
    Indicator("规范性文件清理", "件", (rf"清理[^。，,\d]{{0,12}}规范性文件{N}件", rf"规范性文件[^。，,\d]{{0,6}}清理{N}件")),
    Indicator("人民调解案件", "件", (rf"调解(?:民间)?纠纷{N}件", rf"人民调解[^。，,\d]{{0,8}}{N}件")),
    Indicator("人民调解成功率", "%", (rf"调解成功率(?:达到|达)?{N}%",)),
    Indicator("行政处罚案件", "件", (rf"行政处罚案件{N}(件)", rf"(?:公示|作出)行政处罚{N}(宗|件)")),
    Indicator("普法活动", "场", (rf"(?:普法|法治宣传)[^。，,\d]{{0,10}}活动{N}(场|次)", rf"开展[^。，,\d]{{0,10}}(?:普法|法治宣传)[^。，,\d]{{0,6}}{N}(场|次)")),
    Indicator("领导干部学法", "次", (rf"(?:学法|法治讲座)[^。，,\d]{{0,8}}{N}次", rf"领导干部学法{N}次")),
)


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: str
    unit: str
    report: str
    region: str | None
    year: int | None
    paragraph_id: str
    sentence: str

    def to_dict(self) -> dict:
        return asdict(self)


def extract(meta: ReportMeta, paragraphs: list[Paragraph]) -> list[Figure]:
    """Every indicator value the report states, first statement of each (indicator, value) kept."""
    found: dict[tuple[str, str], Figure] = {}
    for paragraph in paragraphs:
        for start, end in split_sentences(paragraph.text):
            sentence = paragraph.text[start:end]
            norm = _normal(sentence)
            for indicator in INDICATORS:
                if indicator.requires and indicator.requires not in norm:
                    continue
                match = _first_match(indicator, norm)
                if match is None:
                    continue
                value, unit = match
                if (indicator.name, value) not in found:
                    found[(indicator.name, value)] = Figure(indicator.name, _printed(value, sentence), unit, meta.name,
                                                            meta.region, meta.year, paragraph.id, sentence.strip())
    return list(found.values())


def _first_match(indicator: Indicator, norm: str) -> tuple[str, str] | None:
    for pattern in indicator.patterns:
        match = re.search(pattern, norm)
        if match:
            unit = match.group(2) if match.re.groups >= 2 and match.group(2) else indicator.unit
            return match.group(1), unit
    return None


def _normal(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d),(?=\d{3})", "", norm)


def _printed(value: str, sentence: str) -> str:
    """The value as the report printed it (1,984 stays 1,984) so it is found verbatim in the sentence."""
    if value in sentence:
        return value
    pattern = r"\d{1,3}(?:[,，]\d{3})+" if len(value) > 3 else re.escape(value)
    for match in re.finditer(pattern, unicodedata.normalize("NFKC", sentence)):
        if re.sub(r"[,，]", "", match.group()) == value:
            return match.group()
    return value


def as_number(value: str) -> float:
    return float(re.sub(r"[,，%]", "", value))
