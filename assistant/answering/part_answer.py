"""Answers that list a part of a report: its problems (存在哪些问题) or its plans (明年打算干什么).

A part is read from the report's own outline (ingest/parts.py): a titled section, a problems paragraph
without a title (我们也清醒看到…), a 政府工作报告's sections after its review. Asked alone, every item is
listed, each with the sentence that explains its title (a part written as prose, paragraph by paragraph),
but those the asker already named (除了…还有). Asked with a subject of its own (明年在行政复议方面打算怎么
做), the part's sentences the scorer accepts for it are quoted, and when none is, the whole part, said so.
A subject is a specific word of the question (no everyday word: 重点抓哪些工作 names none) that narrows
the part: held by some of its items but not by most, and not already said by the part's own titles or
opening sentence (法治政府建设存在哪些问题, 全省发展还面临哪些困难 name no subject). Asked for a figure, the question is answered like any other, its
sentences preferred from the part (None here).
"""

from __future__ import annotations

from typing import Callable

from ingest.model import Paragraph, Part, ReportMeta
from ingest.text import normalise, split_sentences

from assistant.answering.answer import Answer
from assistant.answering.compose import compose, refusal, topic_of, where_searched
from assistant.answering.matching import Matcher
from assistant.answering.quotes import is_plain, part_items
from assistant.answering.words import specific_word
from assistant.language.tokens import word_frequency
from assistant.retrieval.hybrid import Passage, Retrieval
from assistant.retrieval.question import Ask, Question

ParagraphsOf = Callable[[str], list[Paragraph]]

# Most reports listed in a many-report answer, and most items listed per report part.
MAX_REPORTS = 30
MAX_ITEMS = 8
# A part listed whole (存在哪些问题？) gives each item's heading with its first explaining sentence when
# the two together are at most this long: a bare heading says too little to act on.
MAX_LISTED_ITEM_CHARS = 160
MIN_SENTENCE_CHARS = 6
# A word held by at least this share of a part's items does not narrow it: it names no subject.
MAX_SUBJECT_SHARE = 0.5
# Share of the (weighted) words an asker already named that an item must hold to be about them.
MIN_ITEM_COVERAGE = 0.5
# A part written as prose is quoted paragraph by paragraph, each cut at a sentence end within this length.
MAX_PLAIN_ITEM_CHARS = 500


def part_answer(retrieval: Retrieval, paragraphs_of: ParagraphsOf, answerer) -> Answer | None:
    """The asked part of each report concerned: its sentences on the asked subject, or every item; None
    when the question asks for a figure (answered from passages, the part preferred)."""
    question = retrieval.question
    if question.numeric:
        return None
    matcher = answerer.matcher
    main = question.asks[0] if question.asks else Ask(question.text, [])
    reports = [(meta, paragraphs_of(meta.name)) for meta in _part_reports(retrieval, question)]
    subject = _subject(main, question.part, reports, matcher)
    if subject:
        on_subject = _on_subject_sentences(retrieval, reports, Ask(main.text, subject, bigrams=main.bigrams), answerer)
        if on_subject is not None:
            return on_subject
    excluded = Ask(main.text, question.excluded)
    picks: list[tuple[Passage, int, int]] = []
    searched: list[ReportMeta] = []
    for meta, paragraphs in reports:
        items = _items(paragraphs, question.part)
        if not items:
            continue
        searched.append(meta)
        if excluded.terms:
            items = [item for item in items if not _on_subject(item, excluded, matcher)]
        for paragraph, start, end, stop in items[:MAX_ITEMS]:
            s, e = _plain_quote(paragraph) if is_plain(paragraph) else _item_quote(paragraph, start, end, stop)
            picks.append((Passage(paragraph, meta, 0.0, (s, e)), s, e))
    part = "存在问题" if question.part == Part.PROBLEMS else "下一步安排"
    if not picks:
        return refusal(question, f"{where_searched(retrieval.scope)}没有写{part}。")
    answer = compose(question, picks, per_report_labels=True)
    if subject:
        answer.notes.append(f"{part}部分未找到专门提及“{'、'.join(t.word for t in subject)}”的内容，以上为该部分的全部条目")
    return answer


def _on_subject_sentences(retrieval: Retrieval, reports: list[tuple[ReportMeta, list[Paragraph]]], ask: Ask,
                          answerer) -> Answer | None:
    """The part's sentences on the subject, best first (None when none is): those holding every subject
    word, and those the scorer accepts holding some. The part is already the asked one, so a sentence
    naming the whole subject needs no score to be on it (the acceptance was fitted on whole-library facts)."""
    question = retrieval.question
    passages = [Passage(p, meta, 0.0, (0, len(p.text))) for meta, paragraphs in reports for p in paragraphs
                if p.part == question.part]
    words = {t.word for t in ask.terms}
    accepted = [c for c in answerer.ranked(passages, ask, question)
                if c.matched >= words or (answerer.scorer.accepts(c) and c.matched & words)]
    if not accepted:
        return None
    chosen = [c.explained() for c in accepted[: answerer.settings.max_sentences]]
    chosen.sort(key=lambda c: (c.passage.report.name, c.passage.paragraph.ordinal, c.start))
    return compose(question, [(c.passage, c.start, c.end) for c in chosen], per_report_labels=True)


def _subject(ask: Ask, part: Part, reports: list[tuple[ReportMeta, list[Paragraph]]], matcher: Matcher) -> list:
    """The words of the ask that name a subject within the part (see the module's docstring)."""
    paragraphs = [p for _, ps in reports for p in ps if p.part == part]
    framing = [t for p in paragraphs for t in p.section_path]
    framing += [p.text[s:e] for p in paragraphs if is_plain(p) for s, e in split_sentences(p.text)[:1]]
    framed = normalise(" ".join(framing)).lower()
    items = [normalise(p.text[s:stop]).lower() for p, s, _, stop in _items(paragraphs, part)]
    subject = []
    for term in ask.terms:
        held = sum(term.found_in(item) for item in items)
        specific = specific_word(term.word) or not word_frequency(term.word)
        if matcher.known(term) and specific and not term.found_in(framed) and 0 < held <= MAX_SUBJECT_SHARE * len(items):
            subject.append(term)
    return subject


def _on_subject(item: tuple[Paragraph, int, int, int], ask: Ask, matcher: Matcher) -> bool:
    """An item is on the subject when it, or the heading of its paragraph, holds the asked words."""
    paragraph, start, _, stop = item
    text = (paragraph.heading or "") + paragraph.text[start:stop]
    return matcher.holds(normalise(text).lower(), ask.terms)[1] >= MIN_ITEM_COVERAGE


def _part_reports(retrieval: Retrieval, question: Question) -> list[ReportMeta]:
    """The reports whose part is asked: the named ones, else (哪些地区…) those retrieved, best first."""
    if retrieval.scope.restricted and (question.regions or not question.multi):
        return retrieval.scope.reports
    return list({p.report.name: p.report for p in retrieval.passages}.values())[:MAX_REPORTS]


def _items(paragraphs: list[Paragraph], part: Part) -> list[tuple[Paragraph, int, int, int]]:
    """A part's items (paragraph, start, end of its heading or first sentence, where its own text stops)."""
    raw = part_items([p for p in paragraphs if p.part == part])
    items = []
    for i, (paragraph, start, end) in enumerate(raw):
        following = raw[i + 1] if i + 1 < len(raw) else None
        stop = following[1] if following and following[0].id == paragraph.id else len(paragraph.text)
        items.append((paragraph, start, end, stop))
    return items


def _plain_quote(paragraph: Paragraph) -> tuple[int, int]:
    """A prose paragraph of the part: whole, or cut at the last sentence end within MAX_PLAIN_ITEM_CHARS."""
    end = 0
    for _, e in split_sentences(paragraph.text):
        if e > MAX_PLAIN_ITEM_CHARS and end:
            break
        end = e
    return 0, end


def _item_quote(paragraph: Paragraph, start: int, end: int, stop: int) -> tuple[int, int]:
    """What to quote of an item: its heading and the sentence that explains it (within MAX_LISTED_ITEM_CHARS)."""
    for _, e in split_sentences(paragraph.text[end:stop]):
        if end + e - start > MAX_LISTED_ITEM_CHARS:
            break
        if len(normalise(paragraph.text[end : end + e])) >= MIN_SENTENCE_CHARS:
            return start, end + e  # the heading's own end mark alone is no sentence: read on
    return start, end
