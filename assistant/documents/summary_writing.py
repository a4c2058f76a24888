"""An LLM writing each report's summary from the evidence the offline summary selects (its detailed
length), in parallel; a digest the model could not write in time stays extractive, marked."""

from __future__ import annotations

import re

from assistant.answering.answer import CitationNumbering
from assistant.documents.drafted import EXTRACT_MARK
from assistant.documents.summary import SECTION_TITLES, WORK, Point, Summary

# The model is asked for about this many characters per length.
LENGTH_HINTS = {"一页": "全文约400至600字", "详细": "全文约1000至1500字"}
_HEADING_RE = re.compile(r"^[#\s]*(?:[一二三四五六七八九十]+[、.．]\s*)?(" + "|".join(SECTION_TITLES) + r")\s*[:：]?\s*$")
# A short line without sentence end inside the work section names the area of what follows.
MAX_LABEL_CHARS = 20


def write_digests(writer, summary: Summary, detailed: list, numbering: CitationNumbering) -> None:
    from assistant.config.prompts import render
    from assistant.documents.generation import Job

    jobs = []
    for i, digest in enumerate(detailed):
        spans = [span for section in digest.sections for point in section.points for span in point.spans]
        prompt = render("summary_user", label=digest.report.heading_label(), length=LENGTH_HINTS[summary.length.value],
                        sections="、".join(SECTION_TITLES), context="$evidence")
        jobs.append(Job(i, digest.report.heading_label(), render("summary_system"), prompt, spans))
    outcomes = writer.run(jobs)
    failed: dict[str, int] = {}
    done = 0
    for i, digest in enumerate(summary.digests):
        outcome = outcomes[i]
        sections = _sections(outcome, numbering) if outcome.checked else None
        if not sections:
            reason = outcome.reason or "模型的回答没有按要求分节"
            failed[reason] = failed.get(reason, 0) + 1
            continue
        done += 1
        for section in digest.sections:
            written = sections.get(section.title)
            if written:
                section.points, section.note = written, None
    summary.written_by(writer, done, failed,
                       lambda count, reason: f"{count} 份报告的摘要未由模型写成（{reason}），保留原文摘录，标注“{EXTRACT_MARK}”。")


def _sections(outcome, numbering: CitationNumbering) -> dict[str, list[Point]] | None:
    """The model's text split by the four section headings; None when it wrote none of them."""
    from assistant.documents.generation import sentences_of

    found: dict[str, list[Point]] = {}
    current, area = None, None
    for text, citations in sentences_of(outcome, numbering):
        heading = _HEADING_RE.match(text)
        if heading:
            current, area = heading.group(1), None
            found.setdefault(current, [])
            continue
        if current is None:
            continue
        if current == WORK and len(text) <= MAX_LABEL_CHARS and not text.endswith(("。", "；")) and not re.search(r"\d", text):
            area = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", text).strip("：: ")
            continue
        found[current].append(Point(text if text.endswith(("。", "；")) else text + "。", citations,
                                    area if current == WORK else None, "generative"))
    return found or None



