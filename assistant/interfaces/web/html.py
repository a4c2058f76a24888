"""HTML of answers and their evidence. Every piece of text from a report, a user or a model is escaped
for HTML and for Markdown: a report holding <script> or ![img](url) shows it and nothing runs or loads."""

from __future__ import annotations

import html
import re

from assistant.answering.answer import Answer, Citation, mode_text, timing_text
from assistant.services.questions import VECTORS_PENDING

MARKER_RE = re.compile(r"\[(\d+)\]")

# HTML's special characters and the ones Markdown gives meaning to, as numeric entities: they show as
# themselves and do nothing (no tag, no image, no link). '$', '{' and '}' too: template syntax.
_ESCAPES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[]()!#|~+-${}"}


def safe_text(text: str) -> str:
    """Text for a Markdown-rendering component, escaped in one pass; line breaks kept."""
    return "".join(_ESCAPES.get(c, c) for c in text).replace("\n", "<br>")


def safe_line(text: str) -> str:
    """One line of text inside our own HTML (attributes included)."""
    return safe_text(text).replace("<br>", " ")


def report_label(region: str | None, year: int | None, name: str) -> str:
    """How a report is named on the page: region and year; the file name only when neither is known."""
    if not region and not year:
        return name
    return f"{region or '地区待确认'} {year}年" if year else (region or name)




def answer_html(answer: Answer, turn: int) -> str:
    """The chat message: escaped answer text whose [n] open evidence card n of this turn."""
    parts = []
    if answer.standalone_question:
        parts.append(f'<div class="mode-line">按独立问题检索：{safe_line(answer.standalone_question)}</div>')
    if answer.fallback_reason:
        parts.append(f'<div class="mode-line">未使用大模型：{safe_line(answer.fallback_reason)}，以下为离线摘录答案。</div>')
    if answer.reasoning:  # a reasoning model's thinking: kept apart from the answer, folded, never checked
        parts.append(f'<details class="answer-reasoning"><summary>思考过程（模型的推理，未经来源核验）</summary>'
                     f'<div>{safe_text(answer.reasoning)}</div></details>')
    def inline(line: str) -> str:
        pieces = re.split(r"(\[\d+\])", line)
        return "".join(_cite_link(p, turn, answer) if MARKER_RE.fullmatch(p) else safe_text(p) for p in pieces)

    parts.append(f'<div class="content">{_with_lists(answer.answer, inline)}</div>')
    details = [n for n in answer.notes if n.startswith(VECTORS_PENDING)]  # how it searched: under 详情
    for note in answer.notes:
        if note not in details:
            parts.append(f'<div class="mode-line">注：{safe_line(note)}</div>')
    search = "".join(f'<div class="search-note">{safe_line(n)}</div>' for n in details)
    parts.append(f'<details class="answer-details"><summary>详情：{safe_line(mode_text(answer.mode, answer.model, answer.checks))}</summary>'
                 f"{search}{safe_line(timing_text(answer.timings_ms))}</details>")
    return "".join(parts)


# An answer's list lines: "- 天桥区（2022年）：…" and, under one, "  1. …" or "  - …".
_ITEM_RE = re.compile(r"^-\s+(.*)$")
_SUB_ITEM_RE = re.compile(r"^\s+(?:-|\d+\.)\s+(.*)$")


def _with_lists(text: str, inline) -> str:
    """The answer's lines as HTML: list lines become a list (items nested under a report), other lines
    paragraphs of text; `inline` renders one line's text (escaped, citations linked)."""
    out: list[str] = []
    in_list = in_sub = False
    for line in text.split("\n"):
        top, sub = _ITEM_RE.match(line), _SUB_ITEM_RE.match(line)
        if sub and in_list:
            if not in_sub:
                out.append("<ul>")
                in_sub = True
            out.append(f"<li>{inline(sub.group(1))}</li>")
            continue
        if in_sub:
            out.append("</ul>")
            in_sub = False
        if top:
            out.append(("</li>" if in_list else "<ul class=\"answer-list\">") + f"<li>{inline(top.group(1))}")
            in_list = True
            continue
        if in_list:
            out.append("</li></ul>")
            in_list = False
        out.append(inline(line) + "<br>")
    if in_sub:
        out.append("</ul>")
    if in_list:
        out.append("</li></ul>")
    return "".join(out).removesuffix("<br>")


def _cite_link(marker: str, turn: int | str, answer: Answer | None = None) -> str:
    n = marker[1:-1]
    title = ""
    if answer is not None:
        c = next((c for c in answer.citations if str(c.n) == n), None)
        if c is not None:
            title = f' aria-label="引用 {n}：{safe_line(report_label(c.region, c.year, c.report))}"'
    return f'<a class="cite" href="#ev-{turn}-{n}"{title}>{marker}</a>'


def evidence_html(answers: list[Answer]) -> str:
    """All sources of the conversation, newest answer first and shown; older answers open on click."""
    if not answers:
        return '<div class="ev-panel"><p class="ev-empty">回答中的 [n] 可点击，这里会显示引用的原文。</p></div>'
    sections = []
    for turn in range(len(answers), 0, -1):
        answer = answers[turn - 1]
        cards = "".join(card_html(c, turn) for c in answer.citations) or '<p class="ev-empty">此回答没有引用。</p>'
        shown = " shown" if turn == len(answers) else ""
        sections.append(f'<div class="ev-turn{shown}" id="ev-{turn}"><div class="ev-question">问题 {turn}：'
                        f"{safe_line(answer.question)}</div>{cards}</div>")
    return f'<div class="ev-panel">{"".join(sections)}</div>'


def card_html(c: Citation, turn: int | str) -> str:
    """One source: its report by region and year, its section, the paragraph with the sentence marked;
    the file name and paragraph ID in a detail."""
    who = report_label(c.region, c.year, c.report)
    section = (c.section or "导语") + c.origin_note
    label = f"[{c.n}] {who} · {section}"
    t = c.text
    body = (safe_text(t[: c.quote_start]) + "<mark>" + safe_text(t[c.quote_start : c.quote_end]) + "</mark>"
            + safe_text(t[c.quote_end :]))
    return (f'<div class="ev-card" id="ev-{turn}-{c.n}" data-label="{safe_line(label)}">'
            f'<div class="ev-head">[{c.n}] {safe_line(who)}</div><div class="ev-section">{safe_line(section)}</div>'
            f'<div class="ev-text">{body}</div>'
            f"<details><summary>出处</summary>文件 {safe_line(c.report)} · 段落 {safe_line(c.paragraph_id)}</details></div>")


def sheet_bar(title: str) -> str:
    """The top of an evidence sheet (phones, comparison and plan pages): its title and the way back."""
    return (f'<div class="sheet-bar"><strong>{safe_line(title)}</strong>'
            '<button type="button" class="sheet-close">返回</button></div>')


def sheet_opener(sheet_id: str, label: str) -> str:
    """The phone's button that opens an evidence sheet (shown once the sheet holds a source)."""
    return f'<button type="button" class="sheet-open" data-sheet="{sheet_id}">{safe_line(label)}</button>'


def downloads_html(links: list[tuple[str, str]], hint: str = "", autoclick: bool = False) -> str:
    """One-click download links (label, url) next to the button that made them."""
    auto = " data-autoclick" if autoclick else ""
    items = "".join(f'<a class="dl" href="{html.escape(url, quote=True)}" download{auto}>{safe_line(label)}</a>'
                    for label, url in links)
    tail = f'<span class="hint">{safe_line(hint)}</span>' if hint else ""
    return f'<div class="downloads filled">{items}{tail}</div>'
