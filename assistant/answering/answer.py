"""The answer every mode returns: text with [n] markers and the numbered sources behind them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.model import Paragraph, ReportMeta


# Said beside a source whose text came from OCR.
SCANNED_NOTE = "（来自扫描件识别，个别字可能有误）"


@dataclass
class Citation:
    n: int
    report: str
    region: str | None
    year: int | None
    section: str
    paragraph_id: str
    text: str  # the whole paragraph, as printed in the report
    quote: str  # the supporting sentence, a verbatim substring of `text`
    quote_start: int
    quote_end: int
    part: str = ""  # the part of the report the paragraph belongs to (Part value: work, problems, next …)
    scanned: bool = False  # the paragraph was read by OCR from a scanned page: a character may be misread

    @classmethod
    def of(cls, n: int, meta: ReportMeta, paragraph: Paragraph, start: int, end: int) -> "Citation":
        return cls(n, meta.name, meta.region, meta.year, paragraph.section, paragraph.id, paragraph.text,
                   paragraph.text[start:end], start, end, paragraph.part.value, paragraph.ocr)

    @property
    def origin_note(self) -> str:
        """What every front end says beside a source read from a scan."""
        return SCANNED_NOTE if self.scanned else ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    mode: str  # "extractive" | "generative"
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. a year that matched no report
    model: str | None = None  # the LLM that wrote a generative answer
    checks: dict[str, int] | None = None  # generative: {"verified", "repaired", "flagged"}
    standalone_question: str | None = None  # a follow-up rewritten for retrieval
    fallback_reason: str | None = None  # why the LLM was not used, when one is configured
    reasoning: str | None = None  # a reasoning model's thinking: never the answer, never checked; shown collapsed

    def to_dict(self) -> dict:
        data = {
            "question": self.question,
            "answer": self.answer,
            "mode": self.mode,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": self.timings_ms,
            "notes": self.notes,
        }
        optional = {"model": self.model, "checks": self.checks, "standalone_question": self.standalone_question,
                    "fallback_reason": self.fallback_reason, "reasoning": self.reasoning}
        data.update({k: v for k, v in optional.items() if v is not None})
        return data


def checks_text(checks: dict[str, int] | None) -> str:
    """The citation checks of an LLM answer or document, as every front end says them."""
    c = checks or {}
    return f"引用核验：通过 {c.get('verified', 0)}，修正 {c.get('repaired', 0)}，存疑 {c.get('flagged', 0)}"


def mode_text(mode: str, model: str | None, checks: dict[str, int] | None) -> str:
    """Which mode made an answer or a document, as every front end says it."""
    return f"大模型 {model or ''} 生成（{checks_text(checks)}）" if mode == "generative" else "离线摘录模式"


# What each timing the service reports is called wherever it is shown (the app's 详情, the CLI).
TIMING_LABELS = {
    "lexical": "关键词检索", "dense": "向量检索", "fusion": "融合排序", "retrieval": "检索合计", "answer": "组织答案",
    "first_token": "首字", "generation": "生成", "total": "合计",
}


def timing_text(timings: dict[str, float]) -> str:
    return " · ".join(f"{TIMING_LABELS.get(k, '其他步骤')} {v:.0f} 毫秒" for k, v in timings.items())


def mark_quote(citation: Citation, left: str = "【", right: str = "】") -> str:
    """The paragraph with its supporting sentence marked, for terminals and exports."""
    t = citation.text
    return t[: citation.quote_start] + left + t[citation.quote_start : citation.quote_end] + right + t[citation.quote_end :]


class CitationNumbering:
    """Numbers citations across the whole comparison; the same quote keeps its number."""

    def __init__(self):
        self.items: list[Citation] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def add(self, meta: ReportMeta, paragraph: Paragraph, start: int, end: int) -> Citation:
        key = (paragraph.id, start, end)
        if key not in self._index:
            self.items.append(Citation.of(len(self.items) + 1, meta, paragraph, start, end))
            self._index[key] = len(self.items) - 1
        return self.items[self._index[key]]
