"""A plan's 保障措施: each standard measure (prompts/plan_closing.md) in the report's own words where
it has them (its next steps first, then its work and duty parts), else the general wording, marked."""

from __future__ import annotations

from ingest.model import Paragraph, Part, ReportMeta

from assistant.answering.answer import CitationNumbering
from assistant.documents.evidence import sentences
from assistant.documents.plan_text import action_clauses

# Parts searched for the report's own wording of a measure, in this order.
SOURCE_PARTS = (Part.NEXT, Part.DUTY, Part.WORK)


def measures() -> list[tuple[str, tuple[str, ...], str]]:
    """(title, cue words, general wording) for each measure of prompts/plan_closing.md."""
    from assistant.config.prompts import render

    found = []
    for line in render("plan_closing").splitlines():
        if line.strip():
            title, cues, text = (part.strip() for part in line.split("|"))
            found.append((title, tuple(cues.split("、")), text))
    return found


def safeguards(target: ReportMeta, paragraphs: list[Paragraph], used: set[tuple[str, int]], label: str,
               numbering: CitationNumbering, commitments: list | None = None) -> list:
    """The measures, each in the report's own words where it has them; `commitments` are next-step items
    that are themselves a measure (推进法治督察考核): they are used first, whole."""
    from assistant.documents.plans import Evidence, Task

    result = []
    taken = set(used) | {(s.paragraph.id, s.start) for c in commitments or [] for s in (c.head, *c.detail)}
    for title, cues, general in measures():
        item = max(commitments or [], key=lambda c: sum(cue in c.title for cue in cues), default=None)
        if item is not None and sum(cue in item.title for cue in cues) >= 2:
            commitments.remove(item)
            detail = list(item.detail[:2]) or [item.head]
            result.append(Task(title, "".join(d.body + "。" for d in detail), [d.cite(numbering) for d in detail],
                               [Evidence.of("本地承诺", item.whole, numbering, label)]))
            continue
        own = _own_wording(target, paragraphs, cues, taken)
        if own is None:
            result.append(Task(title, general, template=True))
            continue
        span, actions = own
        taken.add((span.paragraph.id, span.start))
        result.append(Task(title, actions, [span.cite(numbering)], [Evidence.of("依据", span, numbering, label)]))
    return result


def _own_wording(target: ReportMeta, paragraphs: list[Paragraph], cues: tuple[str, ...], taken: set):
    """The report's sentence that says most about this measure, as actions (first part that has one)."""
    for part in SOURCE_PARTS:
        best = None
        for span in sentences(target, paragraphs, (part,)):
            hits = sum(1 for cue in cues if cue in span.text)
            if not hits or (span.paragraph.id, span.start) in taken:
                continue
            actions = action_clauses(span.text)
            if actions and any(cue in actions for cue in cues) and (best is None or hits > best[0]):
                best = (hits, span, actions)
        if best:
            return best[1], best[2]
    return None
