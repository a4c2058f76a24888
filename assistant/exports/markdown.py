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
                lines.append(f"{c.n}. {place} · {c.report} · {c.section or '导语'} · {c.paragraph_id}{c.origin_note}")
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
        cells = [_md_cell(c, c.cells[(row.name, m.name)]) for m in c.reports]
        lines.append("| " + " | ".join([row.name, *cells]) + " |")
    for heading, statements in c.statements:
        if statements:
            lines += ["", f"## {heading}", ""]
            lines += [f"- {s.text}" for s in statements]
    lines += ["", "## 来源", ""] + _source_lines(c.citations)
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(c, points) -> str:
    from assistant.documents.comparison import NOT_MENTIONED

    if not points:
        return NOT_MENTIONED
    return "<br>".join(c.shown(p).replace("|", "｜") for p in points)


def _source_lines(citations) -> list[str]:
    lines = []
    for c in citations:
        lines.append(f"{c.n}. {c.region or c.report}（{c.year or '?'}年）· {c.report} · {c.section or '导语'} · {c.paragraph_id}"
                     f"{c.origin_note}")
        lines.append(f"   > {mark_quote(c, '**', '**')}")
    return lines


def _checks(checks) -> str:
    checks = checks or {}
    return f"通过 {checks.get('verified', 0)}，修正 {checks.get('repaired', 0)}，存疑 {checks.get('flagged', 0)}"


def plan_markdown(p) -> str:
    """The 工作要点 as Markdown: parts and tasks, each task's evidence quoted below it, the problem
    cross-reference, then the numbered sources."""
    lines = [f"# {p.title}", ""]
    lines += [f"> {note}" for note in p.notes] + ([""] if p.notes else [])
    if p.mode == "generative":
        lines += [f"（由 {p.model} 起草，引用已核验：{_checks(p.checks)}）", ""]
    lines += [p.opening, ""]
    for i, section in enumerate(p.sections):
        lines += [f"## {cn_numeral(i + 1)}、{section.title}", ""]
        for j, task in enumerate(section.tasks):
            lines += [f"（{cn_numeral(j + 1)}）**{task.title}。**{p.shown(task)}", ""]
            lines += _evidence_lines(task.evidence)
    if p.closing:
        lines += [f"## {cn_numeral(len(p.sections) + 1)}、保障措施", ""]
        for j, task in enumerate(p.closing):
            lines += [f"（{cn_numeral(j + 1)}）**{task.title}。**{p.shown(task)}", ""]
            lines += _evidence_lines(task.evidence)
    if p.problems:
        lines += ["## 问题对照", ""]
        for k, link in enumerate(p.problems, 1):
            answer = f"见 {link.task}" if link.task else f"未单列任务：{link.reason}"
            lines.append(f"{k}. {link.text}[{link.citation.n}] → {answer}")
        lines.append("")
    lines += ["## 依据", ""] + _source_lines(p.citations)
    return "\n".join(lines).rstrip() + "\n"


def _evidence_lines(evidence) -> list[str]:
    if not evidence:
        return []
    lines = [f"> - {e.role}｜{e.source}：“{e.text}”" + "".join(f"[{c.n}]" for c in e.citations) for e in evidence]
    return lines + [""]


def summary_markdown(s) -> str:
    """A report summary as Markdown: per report its overview and the four sections, then the sources."""
    lines = [f"# {s.title}", ""]
    lines += [f"> {note}" for note in s.notes] + ([""] if s.notes else [])
    if s.mode == "generative":
        lines += [f"（由 {s.model} 概括，引用已核验：{_checks(s.checks)}）", ""]
    for digest in s.digests:
        if len(s.digests) > 1:
            lines += [f"## {digest.report.heading_label()}", ""]
        lines += [digest.overview, ""]
        level = "###" if len(s.digests) > 1 else "##"
        for number, section in enumerate(digest.sections, 1):
            lines += [f"{level} {cn_numeral(number)}、{section.title}", ""]
            if section.note:
                lines += [section.note, ""]
            lines += [f"- {'**' + point.area + '**：' if point.area else ''}{s.shown(point)}" for point in section.points]
            lines.append("")
    lines += ["## 来源", ""] + _source_lines(s.citations)
    return "\n".join(lines).rstrip() + "\n"
