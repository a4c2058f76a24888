"""What a report promised for the next year, and what the next year's report says was done.

A commitment is an item of the report's next-steps part as `answering/quotes.part_items` reads it (a
sub-heading, an 一是/二是 item), with the sentences that explain it (`evidence.items`). A 政府工作报告
writes most of its tasks as prose paragraphs under each heading, each opening with a short lead sentence
("提升科技创新能力。实施基础研究十年规划…"): such a paragraph, which no item covers, is a commitment of its
own, its first sentence the head (what part_items takes of a part written as plain paragraphs). Lines
that promise nothing are left out: a salutation (各位代表！), an opening that announces the list (重点做好
以下工作：), a paragraph without any verb of action.

The work of the following year is the next report's sentences in its work and duty parts, whole: never
its problems or its own plans, which say what was not done or is still to do.
"""

from __future__ import annotations

import re

from ingest.model import Paragraph, Part, ReportMeta
from ingest.text import normalise, split_sentences

from assistant.answering.quotes import is_bare_heading, is_plain
from assistant.documents.evidence import MIN_SENTENCE_CHARS, Item, Span, items
from assistant.documents.vocabulary import action_words

# An opening that announces the list of tasks after it (重点做好以下工作：, 具体安排如下：).
_ANNOUNCES_RE = re.compile(r"(以下|如下)[^。！？]{0,12}[:：。]\s*$|[:：]\s*$")
# A commitment holds at least this many characters of its own (a salutation or a fragment holds fewer).
MIN_COMMITMENT_CHARS = 12


def commitments(meta: ReportMeta, paragraphs: list[Paragraph]) -> list[Item]:
    """The report's next-steps items, in the report's order, each with the sentences explaining it."""
    listed = [item for item in items(meta, paragraphs, Part.NEXT) if promises(item)]
    covered = {item.head.paragraph.id for item in listed}
    for paragraph in paragraphs:
        if paragraph.part == Part.NEXT and paragraph.id not in covered and is_plain(paragraph):
            item = _paragraph_item(meta, paragraph)
            if item is not None and promises(item) and acts(item):
                listed.append(item)
    listed.sort(key=lambda item: (item.head.paragraph.ordinal, item.head.start))
    return _distinct(listed)


def _paragraph_item(meta: ReportMeta, paragraph: Paragraph) -> Item | None:
    """A prose paragraph as one item: its first sentence the head, the others its explanation."""
    spans = [(s, e) for s, e in split_sentences(paragraph.text) if paragraph.text[s:e].strip()]
    if not spans:
        return None
    (start, end), rest = spans[0], spans[1:]
    detail = tuple(Span(meta, paragraph, s, e) for s, e in rest
                   if len(normalise(paragraph.text[s:e])) >= MIN_SENTENCE_CHARS and not is_bare_heading(paragraph, s, e))
    return Item(Span(meta, paragraph, start, end), detail)


def _distinct(listed: list[Item]) -> list[Item]:
    """Each item once (a paragraph both part_items and the prose rule could read is read once)."""
    seen, kept = set(), []
    for item in listed:
        key = (item.head.paragraph.id, item.head.start)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def promises(item: Item) -> bool:
    """Whether an item can be a commitment: long enough, and not the announcement of a list."""
    return len(normalise(item.context)) >= MIN_COMMITMENT_CHARS and not (not item.detail and _ANNOUNCES_RE.search(item.head.text))


def acts(item: Item) -> bool:
    """Whether a prose paragraph holds a verb of action (a note about the text, a salutation, a
    judgement of the situation hold none)."""
    _, verbs = action_words()
    return any(verb in item.context for verb in verbs)


# A work sentence says something with at least this many characters (出台碳达峰行动方案。 is evidence).
MIN_WORK_CHARS = 6


def work_sentences(meta: ReportMeta, paragraphs: list[Paragraph]) -> list[Span]:
    """What the report says was done: the sentences of its work and duty parts, headings included (in a
    work part a heading says what was done: 一是保持宏观政策连续性针对性)."""
    found = []
    for paragraph in paragraphs:
        if paragraph.part not in (Part.WORK, Part.DUTY):
            continue
        for start, end in split_sentences(paragraph.text):
            if len(normalise(paragraph.text[start:end])) >= MIN_WORK_CHARS:
                found.append(Span(meta, paragraph, start, end))
    return found
