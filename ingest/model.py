"""The data model every other part of the product speaks: a parsed report, its paragraphs, its chunks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum


class Part(StrEnum):
    """Which of the standard parts of an annual report a section belongs to."""

    WORK = "work"  # 主要工作完成情况 / 工作开展情况 / 主要举措和成效
    PROBLEMS = "problems"  # 存在的问题 / 不足
    NEXT = "next"  # 下一步工作安排 / 工作思路 / 工作重点
    DUTY = "duty"  # 党政主要负责人履行推进法治建设第一责任人职责情况
    PREAMBLE = "preamble"  # opening paragraphs before the first heading

    @property
    def label(self) -> str:
        return PART_LABELS[self]


PART_LABELS = {
    Part.WORK: "工作情况",
    Part.PROBLEMS: "存在问题",
    Part.NEXT: "下一步安排",
    Part.DUTY: "第一责任人职责",
    Part.PREAMBLE: "导语",
}


class DocType(StrEnum):
    """What kind of document a file is. Only annual reports feed figures and comparisons by default."""

    ANNUAL_REPORT = "法治政府建设年度报告"
    GOVERNMENT_WORK_REPORT = "政府工作报告"  # given to the 人民代表大会: last year's work, this year's plans
    COURT_REPORT = "行政审判报告"  # a court's 行政审判白皮书 / report to the 人大
    JUDICIAL_WORK_REPORT = "法院检察院工作报告"  # a court's or procuratorate's yearly report to the 人民代表大会
    WORK_SUMMARY = "工作总结"  # a body's summary of its year (not a 法治政府建设 report)
    DISCLOSURE_REPORT = "政府信息公开年度报告"
    ADMIN_LAW_REPORT = "依法行政报告"  # the pre-2019 依法行政工作情况报告
    CASE_ANALYSIS = "复议应诉分析"  # an analysis of 行政复议 / 行政应诉 cases
    PLAN = "工作要点或方案"  # a plan, not a report of work done
    INTERPRETATION = "政策解读"  # an interpretation of a report or policy (起草背景 / 主要内容)
    NEWS = "新闻或其他"  # news, speeches (各位代表), papers, five-year reviews: not one year's report
    OTHER = "其他"


# Kinds of document given at the yearly 人民代表大会 session: delivered early in the year they plan, they
# report on the year before (a 2026年政府工作报告: work of 2025, plans for 2026).
SESSION_REPORTS = (DocType.GOVERNMENT_WORK_REPORT.value, DocType.JUDICIAL_WORK_REPORT.value)

# The levels a report's author can have. 国家: the State Council and its ministries (region 全国);
# 部门: a department (区司法局) reporting on its area; 开发区: a development zone or 新区 administration,
# which is no administrative division.
LEVELS = ("国家", "省", "地级市", "县级市", "区", "县", "旗", "乡镇", "部门", "开发区")  # 乡镇: towns, 乡 and 街道
NATIONAL_REGION = "全国"


# The metadata fields a user may correct (`reports --set`, the library page); the rest follow from them.
EDITABLE_FIELDS = ("region", "year", "plan_year", "province", "city", "level", "title", "published", "doc_type", "author", "speaker")


@dataclass(frozen=True)
class ReportMeta:
    """What a report is about; every field but `name` may be unknown (None) or corrected by the user."""

    name: str  # file name: the report's key in the library
    title: str | None = None
    region: str | None = None  # the area's official name (长阳土家族自治县), or a zone's name
    aliases: tuple[str, ...] = ()  # other names people use for it (长阳县, 长阳)
    level: str | None = None  # one of LEVELS
    province: str | None = None  # full official name (湖北省, 广西壮族自治区)
    city: str | None = None  # the prefecture-level city (or 州/盟) the area belongs to
    division_code: str | None = None  # the national administrative division code, when the gazetteer knows it
    author: str | None = None  # the issuing body (XX区人民政府, XX区司法局)
    speaker: str | None = None  # who delivered it to a congress (山东省省长 周乃翔), when the report says
    doc_type: str = DocType.ANNUAL_REPORT.value
    year: int | None = None  # the year whose work the report covers
    plan_year: int | None = None  # the year its plans are for, where it has plans (a next-steps part, a plan)
    published: str | None = None  # ISO date when the page or signature gives one
    signed: str | None = None  # ISO date under the signature (落款), when the report ends with one
    uncertain: tuple[str, ...] = ()  # fields inferred without confidence: shown as 待确认 until the user confirms

    @classmethod
    def from_dict(cls, data: dict) -> "ReportMeta":
        """From stored JSON: lists become tuples, keys this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in known}
        return cls(**values)

    @property
    def needs_review(self) -> bool:
        return bool(self.uncertain)

    @property
    def who(self) -> str:
        """Who the report speaks for: its region, or for a department's report the department
        (普陀区司法局), since a reader tells the two apart by it."""
        if self.level == "部门" and self.author:
            return self.author
        return self.region or self.name

    @property
    def session_report(self) -> bool:
        """Given at the yearly 人大 session: people name it by the year it is given (2026年政府工作报告)."""
        return self.doc_type in SESSION_REPORTS

    def year_text(self) -> str:
        """The year as people name the report: '2022年', or for a session report '2026年政府工作报告'."""
        if self.session_report and (self.plan_year or self.year):
            return f"{self.plan_year or self.year + 1}年{self.doc_type}"
        return f"{self.year}年" if self.year else ""

    def label(self) -> str:
        """Short human label, e.g. '天桥区 2022年'."""
        return f"{self.who} {self.year_text()}" if self.year_text() else self.who

    def heading_label(self) -> str:
        """Region with its year in brackets, as table headings and answers print it: '天桥区（2022年）'."""
        return f"{self.who}（{self.year_text()}）" if self.year_text() else self.who

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of report text as printed, with where it sits in the report's outline."""

    id: str
    ordinal: int
    text: str
    section_path: tuple[str, ...]
    part: Part
    heading: str | None = None  # the heading this paragraph opens with, if any
    ocr: bool = False  # read by OCR from a scanned page: its characters may differ from the printed ones

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: sentences of one paragraph, with its character span inside that paragraph."""

    id: str
    paragraph_id: str
    ordinal: int
    text: str
    start: int
    end: int


@dataclass
class ParsedReport:
    """Everything ingestion learns from one file."""

    meta: ReportMeta
    source_path: str
    sha256: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def char_count(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)


class IngestError(Exception):
    """A file that cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
