"""Writing an extractive answer: chosen quotes become sentences with [n] markers, grouped by report."""

from __future__ import annotations

from assistant.answering.answer import Answer, Citation
from assistant.answering.quotes import numbered
from assistant.retrieval.hybrid import Passage
from assistant.retrieval.question import Question
from assistant.retrieval.scope import Scope

# Reports named one by one when saying where an answer was looked for; more are counted.
MAX_NAMED_REPORTS = 4
_SENTENCE_ENDS = ("。", "！", "？", "”")


def compose(question: Question, picks: list[tuple[Passage, int, int]], per_report_labels: bool) -> Answer:
    """Answer text and citations from chosen (passage, start, end) quotes, one [n] per quote."""
    citations: list[Citation] = []
    reports = list(dict.fromkeys(p.report.name for p, _, _ in picks))
    by_report: dict[str, list[str]] = {name: [] for name in reports}
    for passage, start, end in picks:
        n = len(citations) + 1
        citations.append(Citation.of(n, passage.report, passage.paragraph, start, end))
        quote = passage.paragraph.text[start:end].strip().rstrip("，,;；")
        by_report[passage.report.name].append(f"{quote}[{n}]")
    metas = {p.report.name: p.report for p, _, _ in picks}
    lines: list[str] = []
    if len(reports) == 1 and not per_report_labels:
        lines.append(f"据{metas[reports[0]].heading_label()}报告：" + "".join(_end(s) for s in by_report[reports[0]]))
    else:
        for name in reports:
            items = by_report[name]
            if len(items) == 1:
                lines.append(f"- {metas[name].heading_label()}：{_end(items[0])}")
            else:
                lines.append(f"- {metas[name].heading_label()}：")
                lines.extend(f"  {'-' if numbered(item) else f'{i}.'} {_end(item)}" for i, item in enumerate(items, 1))
    return Answer(question.text, "\n".join(lines), "extractive", False, citations)


def _end(quote_with_marker: str) -> str:
    """Make each quote read as a sentence: 'xxx[1]' → 'xxx。[1]' when it lacks an end."""
    body, marker = quote_with_marker.rsplit("[", 1)
    body = body.rstrip("，,;；:： ")
    if not body.endswith(_SENTENCE_ENDS):
        body += "。"
    return f"{body}[{marker}"


def refusal(question: Question, text: str) -> Answer:
    return Answer(question.text, text, "extractive", True, [])


def topic_of(question: Question, figures: bool = True) -> str:
    """What the question asks about, in its own words, for a refusal (without the figures it states)."""
    if question.phrases:
        return "、".join(question.phrases)
    terms = [t for t in question.terms if figures or not t.figure]
    written = [t for t in terms if t.word in question.text.lower()] or terms  # the asker's words, not 搞 → 开展
    return "".join(_as_written(t.word, question.text) for t in written[:4]) or question.text


def _as_written(word: str, text: str) -> str:
    """A search word (lower-cased for matching) as the user wrote it: GDP, not gdp."""
    at = text.lower().find(word)
    return text[at : at + len(word)] if at >= 0 else word


def where_searched(scope: Scope) -> str:
    """'天桥区（2022年）报告中' or '报告库的 12 份报告中': refusals name what was searched."""
    if scope.restricted and len(scope.reports) <= MAX_NAMED_REPORTS:
        return "、".join(m.heading_label() for m in scope.reports) + "报告中"
    return f"报告库的 {len(scope.reports)} 份报告中"
