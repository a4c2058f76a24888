"""HTML of the documents the product drafts (comparisons, plans, summaries, commitments kept): escaped
text, [n] linked to the evidence panel (scopes 'compare', 'plan', 'summary', 'years': give `sources_html`
the same scope)."""

from __future__ import annotations

import html

from assistant.answering.answer import Citation, checks_text
from assistant.interfaces.web.html import MARKER_RE, card_html

DOCUMENT_CSS = """
.matrix-wrap { overflow-x: auto; }
table.matrix { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.matrix th, table.matrix td { border: 1px solid var(--border-color-primary); padding: 6px; vertical-align: top; }
table.matrix th { background: var(--background-fill-secondary); }
table.matrix td.none { color: var(--body-text-color-subdued); }
.plan h3, .summary h3 { margin-top: 1em; }
.task-evidence { margin: -0.4em 0 0.8em 2em; font-size: 0.9em; color: var(--body-text-color-subdued); }
.task-evidence ul { margin: 0.3em 0; padding-left: 1.2em; }
.ev-role { font-weight: 600; }
.summary .none { color: var(--body-text-color-subdued); }
.draft-note { color: #b03a2e; font-weight: 600; }
.track h4 { margin: 1em 0 0.3em; }
.track ol { padding-left: 1.6em; }
.track li { margin: 0.5em 0; }
.track .said { margin: 0.2em 0 0 0; color: var(--body-text-color-subdued); font-size: 0.93em; }
.status { display: inline-block; padding: 0 0.45em; border-radius: 4px; font-size: 0.85em; margin-left: 0.3em; white-space: nowrap; }
.status.done { background: #e3f1e6; color: #1e6b35; }
.status.partly { background: #fbf0d9; color: #8a5a00; }
.status.unseen { background: #f8e1de; color: #9b2c1f; }
"""
# The status marks of commitments kept (documents/tracking.py), as CSS classes.
STATUS_CLASSES = {"已见成效": "done", "部分": "partly", "未见报告": "unseen"}


# A comparison of more reports than this is wider than a desktop page.
SCROLL_HINT_REPORTS = 4


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
                cells.append("<td>" + "<br>".join(_linked(c.shown(p), "compare") for p in points) + "</td>")
            else:
                cells.append(f'<td class="none">{NOT_MENTIONED}</td>')
        rows.append(f"<tr><th>{html.escape(row.name)}</th>{''.join(cells)}</tr>")
    parts = [f'<div class="mode-line">{html.escape(n)}</div>' for n in c.notes]
    if c.mode == "generative":
        parts.append(f'<div class="mode-line">由 {html.escape(c.model or "")} 概括；{html.escape(checks_text(c.checks))}</div>')
    if len(c.reports) > SCROLL_HINT_REPORTS:  # wider than the page: say so, the scrollbar sits far below
        parts.append(f'<p class="hint scroll-hint">共 {len(c.reports)} 份报告：表格可左右滚动查看（触控板横向滑动或按住 Shift 滚动鼠标滚轮）。</p>')
    parts.append(f'<div class="matrix-wrap"><table class="matrix" id="matrix"><tr>{head}</tr>{"".join(rows)}</table></div>')
    for heading, statements in c.statements:
        if statements:
            items = "".join(f"<li>{_linked(s.text, 'compare')}</li>" for s in statements)
            parts.append(f"<h4>{heading}</h4><ul>{items}</ul>")
    return "".join(parts)


def plan_html(p) -> str:
    from ingest.text import cn_numeral

    parts = [f'<div class="plan"><h3>{html.escape(p.title)}</h3>']
    parts += [f'<p class="draft-note">{html.escape(n)}</p>' for n in p.notes]
    if p.mode == "generative":
        parts.append(f'<div class="mode-line">由 {html.escape(p.model or "")} 起草；{html.escape(checks_text(p.checks))}</div>')
    parts.append(f"<p>{_linked(p.opening, 'plan')}</p>")
    for i, section in enumerate(p.sections):
        parts.append(f"<h4>{cn_numeral(i + 1)}、{html.escape(section.title)}</h4>")
        parts += [_task_html(p, j, task) for j, task in enumerate(section.tasks)]
    if p.closing:
        parts.append(f"<h4>{cn_numeral(len(p.sections) + 1)}、保障措施</h4>")
        parts += [_task_html(p, j, task) for j, task in enumerate(p.closing)]
    if p.problems:
        items = "".join(f"<li>{_linked(f'{link.text}[{link.citation.n}]', 'plan')} → "
                        f"{html.escape('见' + link.task if link.task else '未单列任务：' + (link.reason or ''))}</li>"
                        for link in p.problems)
        parts.append(f'<h4>问题对照</h4><ol class="problem-links">{items}</ol>')
    parts.append("</div>")
    return "".join(parts)


def _task_html(p, j: int, task) -> str:
    """（一）headline and content; its evidence folded below (role, region and year, the quote)."""
    from ingest.text import cn_numeral

    head = f'<p class="task"><b>（{cn_numeral(j + 1)}）{html.escape(task.title)}。</b>{_linked(p.shown(task), "plan")}</p>'
    if not task.evidence:
        return head
    rows = "".join(f'<li><span class="ev-role">{html.escape(e.role)}</span>｜{html.escape(e.source)}：'
                   f'“{_linked(e.marked, "plan")}”</li>' for e in task.evidence)
    return head + f'<details class="task-evidence"><summary>依据（{len(task.evidence)}）</summary><ul>{rows}</ul></details>'


def summary_html(s) -> str:
    """A report summary: per report its overview and sections, [n] linked to the evidence panel ('summary')."""
    from ingest.text import cn_numeral

    parts = [f'<div class="summary"><h3>{html.escape(s.title)}</h3>']
    parts += [f'<p class="draft-note">{html.escape(n)}</p>' for n in s.notes]
    if s.mode == "generative":
        parts.append(f'<div class="mode-line">由 {html.escape(s.model or "")} 概括；{html.escape(checks_text(s.checks))}</div>')
    for digest in s.digests:
        if len(s.digests) > 1:
            parts.append(f"<h4>{html.escape(digest.report.heading_label())}</h4>")
        parts.append(f"<p>{html.escape(digest.overview)}</p>")
        for number, section in enumerate(digest.sections, 1):
            parts.append(f"<h5>{cn_numeral(number)}、{html.escape(section.title)}</h5>")
            if section.note:
                parts.append(f'<p class="none">{html.escape(section.note)}</p>')
            items = "".join(f"<li>{'<b>' + html.escape(pt.area) + '</b>：' if pt.area else ''}{_linked(s.shown(pt), 'summary')}</li>"
                            for pt in section.points)
            if items:
                parts.append(f"<ul>{items}</ul>")
    parts.append("</div>")
    return "".join(parts)


def tracking_html(t) -> str:
    """Each year's commitments with their status and the next report's sentences; [n] open the sources."""
    parts = ['<div class="track">'] + [f'<div class="mode-line">{html.escape(n)}</div>' for n in t.notes]
    for check in t.rounds:
        parts.append(f"<h4>{html.escape(check.heading)}</h4><p>{html.escape(check.summary())}</p>")
        items = []
        for o in check.outcomes:
            said = "".join(f'<p class="said">落实：{_linked(f"“{c.quote.strip()}”[{c.n}]", "years")}</p>' for c in o.evidence)
            if o.nearest is not None:
                said += f'<p class="said">最接近的表述（不足以认定落实）：{_linked(f"“{o.nearest.quote.strip()}”[{o.nearest.n}]", "years")}</p>'
            items.append(f'<li><b>{html.escape(o.title)}</b>{_linked(f"[{o.citation.n}]", "years")}'
                         f'<span class="status {STATUS_CLASSES[o.status]}">{o.status}</span>{said}</li>')
        if items:
            parts.append(f"<ol>{''.join(items)}</ol>")
    parts.append("</div>")
    return "".join(parts)
