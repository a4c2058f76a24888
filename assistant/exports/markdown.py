"""Markdown renderings: a conversation, a comparison and a plan, each with its numbered sources."""

from __future__ import annotations

from assistant.answering.answer import Answer, mark_quote
from ingest.text import cn_numeral


def conversation_markdown(answers: list[Answer], title: str = "法治报告助手 问答记录") -> str:
    """Questions, answers and, after each answer, its numbered sources with the quoted sentence in bold."""
    lines = [f"# {title}", ""]
    for number, answer in enumerate(answers, 1):
        lines += [f"## 问题 {number}：{answer.question}", ""]
        if answer.standalone_question:
            lines += [f"（按独立问题检索：{answer.standalone_question}）", ""]
        lines += [answer.answer, ""]
        if answer.citations:
            lines += ["来源：", ""]
            for c in answer.citations:
                place = f"{c.region or c.report} {c.year or ''}年".strip()
                lines.append(f"{c.n}. {place} · {c.report} · {c.section or '导语'} · {c.paragraph_id}")
                lines.append(f"   > {mark_quote(c, '**', '**')}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"



def comparison_markdown(c) -> str:
    """Headings, the matrix as a Markdown table, the statements below it, and a numbered source list."""
    title = "法治政府建设年度报告对比" + (f"：{c.rows[0].name}" if len(c.rows) == 1 else "")
    lines = [f"# {title}", ""]
    lines += [f"> {note}" for note in c.notes] + ([""] if c.notes else [])
    if c.mode == "generative":
        lines += [f"（由 {c.model} 概括，引用已核验：{_checks(c.checks)}）", ""]
    header = ["领域", *(m.heading_label() for m in c.reports)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in c.rows:
        cells = [_md_cell(c.cells[(row.name, m.name)]) for m in c.reports]
        lines.append("| " + " | ".join([row.name, *cells]) + " |")
    for heading, statements in (("亮点做法", c.highlights), ("共性问题", c.common_problems), ("值得关注的差异", c.differences)):
        if statements:
            lines += ["", f"## {heading}", ""]
            lines += [f"- {s.text}" for s in statements]
    lines += ["", "## 来源", ""] + _source_lines(c.citations)
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(points) -> str:
    from assistant.documents.comparison import NOT_MENTIONED

    if not points:
        return NOT_MENTIONED
    return "<br>".join(p.marked.replace("|", "｜") for p in points)


def _source_lines(citations) -> list[str]:
    lines = []
    for c in citations:
        lines.append(f"{c.n}. {c.region or c.report}（{c.year or '?'}年）· {c.report} · {c.section or '导语'} · {c.paragraph_id}")
        lines.append(f"   > {mark_quote(c, '**', '**')}")
    return lines


def _checks(checks) -> str:
    checks = checks or {}
    return f"通过 {checks.get('verified', 0)}，修正 {checks.get('repaired', 0)}，存疑 {checks.get('flagged', 0)}"


def plan_markdown(p) -> str:
    lines = [f"# {p.title}", ""]
    lines += [f"> {note}" for note in p.notes] + ([""] if p.notes else [])
    if p.mode == "generative":
        lines += [f"（由 {p.model} 起草，引用已核验：{_checks(p.checks)}）", ""]
    lines += [p.opening, ""]
    for i, section in enumerate(p.sections):
        lines += [f"## {cn_numeral(i + 1)}、{section.title}", ""]
        for j, task in enumerate(section.tasks):
            lines += [f"（{cn_numeral(j + 1)}）{task.title}。{task.text}" if p.is_material_draft else task.text, ""]
    if p.closing:
        lines += [f"## {cn_numeral(len(p.sections) + 1)}、保障措施", ""]
        lines += [f"（{cn_numeral(j + 1)}）{task.text}" if p.is_material_draft else task.text for j, task in enumerate(p.closing)]
        lines.append("")
    lines += ["## 依据", ""] + _source_lines(p.citations)
    return "\n".join(lines).rstrip() + "\n"


