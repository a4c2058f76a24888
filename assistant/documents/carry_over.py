"""Last year's commitments not yet seen done, as tasks a work plan carries over.

A plan drafted from the report of year N (for year N+1) looks up the same place's report of year N-1:
its next-steps items were promised for year N, and the report of year N says whether they were done
(documents/tracking.py). Those it shows no sign of (未见报告), or only in part (部分), are carried over:
each a task in the words of the commitment, with the commitment cited in report N-1 and, for one done in
part, what report N says of it, so the drafter sees what is left.
"""

from __future__ import annotations

from ingest.model import ReportMeta

from assistant.answering.answer import CitationNumbering
from assistant.documents.commitment_match import NOT_SEEN, PARTLY
from assistant.documents.plans import Evidence, Section, Task
from assistant.documents.series import plan_year, series_of

SECTION_TITLE = "延续上年未见成效的承诺"


def previous_report(store, target: ReportMeta) -> ReportMeta | None:
    """The report of the same place, body and kind whose plans were for the year `target` covers."""
    if not target.year:
        return None
    for series in series_of(store.reports()):
        if any(m.name == target.name for m in series.reports):
            return next((m for m in series.reports if m.year == target.year - 1 and plan_year(m) == target.year), None)
    return None


def carry_over(store, target: ReportMeta, numbering: CitationNumbering) -> tuple[Section | None, str | None]:
    """The carried-over tasks as one plan section (None when there is nothing to carry), and a note."""
    from assistant.documents.plan_text import headline
    from assistant.documents.tracking import checked

    previous = previous_report(store, target)
    if previous is None:
        return None, None
    judged, _ = checked(store, previous, target)
    left = [c for c in judged if c.status in (NOT_SEEN, PARTLY)]
    label, target_label = previous.heading_label(), target.heading_label()
    tasks = []
    for c in left:
        item = c.item
        detail = list(item.detail[:2])
        text = "".join(d.body + "。" for d in detail) or item.title + "。"
        evidence = [Evidence.of(f"上年承诺（{c.status}）", item.whole, numbering, label)]
        evidence += [Evidence.of("已有进展", span, numbering, target_label) for span in c.evidence[:1]]
        cited = [d.cite(numbering) for d in detail] or [item.head.cite(numbering)]
        tasks.append(Task(headline(item.title), text, cited, evidence, area=None))
    note = (f"{label}报告所列{target.year}年安排共 {len(judged)} 项，{target.year}年报告中"
            f"未见成效或仅部分落实 {len(left)} 项，列为“{SECTION_TITLE}”。")
    return (Section(SECTION_TITLE, tasks) if tasks else None), note
