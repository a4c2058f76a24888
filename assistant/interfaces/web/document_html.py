"""HTML of the documents the product drafts (comparisons, plans): escaped text, [n] linked to the evidence panel."""

from __future__ import annotations

import html

from assistant.answering.answer import Citation
from assistant.interfaces.web.html import MARKER_RE, card_html

DOCUMENT_CSS = """
.matrix-wrap { overflow-x: auto; }
table.matrix { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.matrix th, table.matrix td { border: 1px solid var(--border-color-primary); padding: 6px; vertical-align: top; }
table.matrix th { background: var(--background-fill-secondary); }
table.matrix td.none { color: var(--body-text-color-subdued); }
.plan h3 { margin-top: 1em; }
.draft-note { color: #b03a2e; font-weight: 600; }
"""


def _linked(text: str, scope: str) -> str:
    """Escaped text whose [n] open card n of this scope ('compare', 'plan') in the evidence panel."""
    escaped = html.escape(text).replace("\n", "<br>")
    return MARKER_RE.sub(lambda m: f'<a class="cite" href="#ev-{scope}-{m.group(1)}">[{m.group(1)}]</a>', escaped)


def sources_html(citations: list[Citation], scope: str, title: str) -> str:
    cards = "".join(card_html(c, scope) for c in citations) or '<p class="ev-empty">没有引用。</p>'
    return f'<div class="ev-panel"><div class="ev-turn shown"><div class="ev-head">{html.escape(title)}</div>{cards}</div></div>'


def comparison_html(c) -> str:
    from assistant.documents.comparison import NOT_MENTIONED

    head = "".join(f"<th>{html.escape(x)}</th>" for x in ["领域", *(m.heading_label() for m in c.reports)])
    rows = []
    for row in c.rows:
        cells = []
        for meta in c.reports:
            points = c.cells[(row.name, meta.name)]
            if points:
                cells.append("<td>" + "<br>".join(_linked(p.marked, "compare") for p in points) + "</td>")
            else:
                cells.append(f'<td class="none">{NOT_MENTIONED}</td>')
        rows.append(f"<tr><th>{html.escape(row.name)}</th>{''.join(cells)}</tr>")
    parts = [f'<div class="mode-line">{html.escape(n)}</div>' for n in c.notes]
    if c.mode == "generative":
        parts.append(f'<div class="mode-line">由 {html.escape(c.model or "")} 概括；引用核验 {html.escape(str(c.checks))}</div>')
    parts.append(f'<div class="matrix-wrap"><table class="matrix" id="matrix"><tr>{head}</tr>{"".join(rows)}</table></div>')
    for heading, statements in (("亮点做法", c.highlights), ("共性问题", c.common_problems), ("值得关注的差异", c.differences)):
        if statements:
            items = "".join(f"<li>{_linked(s.text, 'compare')}</li>" for s in statements)
            parts.append(f"<h4>{heading}</h4><ul>{items}</ul>")
    return "".join(parts)


def plan_html(p) -> str:
    from ingest.text import cn_numeral

    parts = [f'<div class="plan"><h3>{html.escape(p.title)}</h3>']
    parts += [f'<p class="draft-note">{html.escape(n)}</p>' for n in p.notes]
    if p.mode == "generative":
        parts.append(f'<div class="mode-line">由 {html.escape(p.model or "")} 起草；引用核验 {html.escape(str(p.checks))}</div>')
    parts.append(f"<p>{_linked(p.opening, 'plan')}</p>")
    for i, section in enumerate(p.sections):
        parts.append(f"<h4>{cn_numeral(i + 1)}、{html.escape(section.title)}</h4>")
        for j, task in enumerate(section.tasks):
            text = f"（{cn_numeral(j + 1)}）{task.title}。{task.text}" if p.is_material_draft else task.text
            parts.append(f"<p>{_linked(text, 'plan')}</p>")
    if p.closing:
        parts.append(f"<h4>{cn_numeral(len(p.sections) + 1)}、保障措施</h4>")
        for j, task in enumerate(p.closing):
            parts.append(f"<p>{_linked(f'（{cn_numeral(j + 1)}）{task.text}' if p.is_material_draft else task.text, 'plan')}</p>")
    parts.append("</div>")
    return "".join(parts)
