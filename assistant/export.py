"""Exports users take away: the conversation as Markdown (comparisons and plans add theirs)."""

from __future__ import annotations

from .answers import Answer, mark_quote


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
