"""HTML for the browser app. Every piece of report text is escaped: a report holding <script> shows it."""

from __future__ import annotations

import html
import re

from assistant.answering.answer import Answer, Citation
from assistant.store.ingestion import ERROR, FileResult
from assistant.interfaces.terminal import mode_line, timing_line
from assistant.service import LibraryRow

MARKER_RE = re.compile(r"\[(\d+)\]")

# Client-side behaviour: a click on [n] in the chat opens card n of that answer in the evidence panel.
CITATION_JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#ev-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const id = link.getAttribute('href').slice(1);
    const card = document.getElementById(id);
    if (!card) return;
    document.querySelectorAll('.ev-card.active').forEach((c) => c.classList.remove('active'));
    document.querySelectorAll('.ev-turn').forEach((t) => t.classList.toggle('shown', t.contains(card)));
    card.classList.add('active');
    card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
  }, true);
}
"""

CSS = """
.ev-panel { max-height: 70vh; overflow-y: auto; }
.ev-turn { display: none; }
.ev-turn.shown { display: block; }
.ev-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 6px 0; }
.ev-card.active { border-color: #c0392b; box-shadow: 0 0 0 2px rgba(192, 57, 43, .25); }
.ev-head { font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 4px; }
.ev-text { line-height: 1.7; }
.ev-text mark { background: #ffe08a; padding: 0 2px; }
.ev-empty { color: var(--body-text-color-subdued); }
.mode-line { font-size: 0.85em; color: var(--body-text-color-subdued); }
a.cite { text-decoration: none; font-weight: 600; }
@media (max-width: 640px) { .ev-panel { max-height: none; } }
"""


# HTML's special characters and the ones Markdown gives meaning to, as numeric entities: they show as
# themselves and do nothing (no tag, no image, no link).
_ESCAPES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[]()!#|~+-"}


def safe_text(text: str) -> str:
    """Text for a Markdown-rendering component, escaped in one pass; line breaks kept."""
    return "".join(_ESCAPES.get(c, c) for c in text).replace("\n", "<br>")


def answer_html(answer: Answer, turn: int) -> str:
    """The chat message: escaped answer text whose [n] open evidence card n of this turn."""
    parts = []
    if answer.standalone_question:
        parts.append(f'<div class="mode-line">按独立问题检索：{html.escape(answer.standalone_question)}</div>')
    if answer.fallback_reason:
        parts.append(f'<div class="mode-line">未使用 LLM：{html.escape(answer.fallback_reason)}，以下为离线摘录答案。</div>')
    pieces = re.split(r"(\[\d+\])", answer.answer)
    text = "".join(f'<a class="cite" href="#ev-{turn}-{p[1:-1]}">{p}</a>' if MARKER_RE.fullmatch(p) else safe_text(p)
                   for p in pieces)
    parts.append(f"<div>{text}</div>")
    for note in answer.notes:
        parts.append(f'<div class="mode-line">注：{html.escape(note)}</div>')
    parts.append(f'<div class="mode-line">{html.escape(mode_line(answer))} · {html.escape(timing_line(answer))}</div>')
    return "".join(parts)


def evidence_html(answers: list[Answer]) -> str:
    """All sources of the conversation, newest answer first and shown; older answers open on click."""
    if not answers:
        return '<div class="ev-panel"><p class="ev-empty">点击回答中的 [n] 查看引用原文。</p></div>'
    sections = []
    for turn in range(len(answers), 0, -1):
        answer = answers[turn - 1]
        cards = "".join(card_html(c, turn) for c in answer.citations) or '<p class="ev-empty">此回答没有引用。</p>'
        shown = " shown" if turn == len(answers) else ""
        sections.append(f'<div class="ev-turn{shown}" id="ev-{turn}"><div class="ev-head">问题 {turn}：'
                        f"{html.escape(answer.question)}</div>{cards}</div>")
    return f'<div class="ev-panel">{"".join(sections)}</div>'


def card_html(c: Citation, turn: int | str) -> str:
    head = " · ".join(html.escape(x) for x in (f"[{c.n}] {c.region or '?'} {c.year or '?'}年", c.report,
                                               c.section or "导语", c.paragraph_id))
    t = c.text
    body = (html.escape(t[: c.quote_start]) + "<mark>" + html.escape(t[c.quote_start : c.quote_end]) + "</mark>"
            + html.escape(t[c.quote_end :]))
    return f'<div class="ev-card" id="ev-{turn}-{c.n}"><div class="ev-head">{head}</div><div class="ev-text">{body}</div></div>'


LIBRARY_HEADERS = ["文件", "地区", "级别", "省份", "城市", "年份", "发布日期", "段落", "块"]


def library_rows(rows: list[LibraryRow]) -> list[list]:
    return [[r.meta.name, r.meta.region or "", r.meta.level or "", r.meta.province or "", r.meta.city or "",
             r.meta.year or "", r.meta.published or "", r.paragraphs, r.chunks] for r in rows]


RESULT_HEADERS = ["文件", "状态", "地区", "年份", "段落", "块", "说明"]
_STATUS = {"ok": "已导入", "unchanged": "未变化", ERROR: "失败"}


def result_rows(results: list[FileResult]) -> list[list]:
    return [[r.name, _STATUS.get(r.status, r.status), r.region or "", r.year or "", r.paragraphs, r.chunks, r.reason]
            for r in results]
