"""The offline answerer: builds the answer from the reports' own sentences, each one cited.

Kinds of answer, chosen by what the question asks:
- a fact (one report or a few): for each thing asked, the sentence that holds its words and, for a
  figure, a number in the asked unit; refused only when no retrieved sentence holds the asked subject;
- several reports (哪些地区…): every report in scope whose own best sentence holds the subject;
- a part (存在的问题 / 下一步): the part's items on the asked subject, or all its items;
- the reports themselves (哪份报告是开发区的？落款是哪天？): from their metadata;
- a named place or year with no report: said plainly, with the nearest report's answer as such.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from ingest.model import DocType, Paragraph, Part, ReportMeta
from ingest.text import normalise, split_sentences

from assistant.answering.answer import Answer
from assistant.answering.compose import compose, refusal, topic_of, where_searched
from assistant.answering.evidence import MIN_COVERAGE, Matcher, Sentence, answers_figure, categories
from assistant.answering.quotes import is_bare_heading, part_items, trim_to_clauses
from assistant.answering.reports_meta import metadata_answer
from assistant.retrieval.hybrid import Passage, Retrieval
from assistant.retrieval.places import COMMON_WORD_FREQUENCY
from assistant.retrieval.question import Ask, Question
from assistant.retrieval.tokens import word_frequency
from assistant.store.lexical import LexicalIndex

# Passages whose sentences are considered for a fact answer.
SENTENCE_POOL_PASSAGES = 6
# A further sentence must add at least this share of the question's weight (else it only repeats).
MIN_GAIN_SHARE = 0.15
# Most reports listed in a many-report answer, and most items listed per report part.
MAX_REPORTS = 30
MAX_ITEMS = 8
# A part item this long or shorter is quoted whole; a longer one by its heading and its sentences on the subject.
MAX_ITEM_CHARS = 240
# A part listed whole (存在哪些问题？) gives each item's heading with its first explaining sentence when
# the two together are at most this long: a bare heading says too little to act on.
MAX_LISTED_ITEM_CHARS = 160
MIN_SENTENCE_CHARS = 6
# A word standing in at least this share of all chunks (法治, 工作) names no subject within a part.
GENERAL_WORD_SHARE = 0.4

ParagraphsOf = Callable[[str], list[Paragraph]]


class ExtractiveAnswerer:
    def __init__(self, lexical: LexicalIndex, max_sentences: int = 4):
        self.lexical = lexical
        self.matcher = Matcher(lexical.idf, lexical.holds)
        self.max_sentences = max_sentences

    def answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer:
        """`paragraphs_of(report name)` gives a report's paragraphs (for parts and openings)."""
        question, scope = retrieval.question, retrieval.scope
        if not scope.reports:
            return refusal(question, "报告库中没有可供检索的报告，请先导入报告。")
        if question.about_reports:
            if scope.missing_places and not question.regions:
                return refusal(question, f"报告库中没有{'、'.join(scope.missing_places)}的报告。")
            return metadata_answer(question, scope.reports, paragraphs_of)
        if (scope.missing_places and not question.regions) or scope.missing_years:
            return self._near_answer(retrieval, paragraphs_of)
        answer = self.content_answer(retrieval, paragraphs_of)
        if scope.missing_places:  # some named places have reports, others not
            answer.notes.append(f"报告库中没有{'、'.join(scope.missing_places)}的报告")
        return answer

    def content_answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer:
        question = retrieval.question
        if question.part is not None:
            listed = self._part_answer(retrieval, paragraphs_of)
            if listed is not None:
                return listed
        if question.multi or (not retrieval.scope.restricted and question.which_report):
            return self._many_reports_answer(retrieval)
        return self._fact_answer(retrieval)

    # --- a fact --------------------------------------------------------------------------------
    def _fact_answer(self, retrieval: Retrieval) -> Answer:
        question = retrieval.question
        pool = retrieval.passages[:SENTENCE_POOL_PASSAGES]
        chosen: list[Sentence] = []
        unanswered: list[Ask] = []
        for ask in question.asks:
            if not ask.terms and any(answers_figure(s.text, ask, self.matcher) for s in chosen):
                continue  # 哪一类最多？有多少件？: the sentence naming the category already gives its count
            best = next((s for s in self.matcher.sentences(pool, ask) if self.matcher.answers(s, ask)), None)
            if best is None:
                unanswered.append(ask)
                continue
            if ask.superlative:
                best = _largest_category(best)
            chosen.append(best)
        if not chosen:  # nothing answered: say why for the first thing asked
            return self._nothing_found(retrieval, pool, (unanswered or question.asks)[0])
        chosen = _unique(self._with_support(pool, question, [_explained(s) for s in chosen]))
        picks = _trimmed(chosen, question)
        answer = compose(question, picks, per_report_labels=False)
        for ask in unanswered:  # a quoted sentence may still hold its figure beside some of its words
            near = ask.wants_figure and any(answers_figure(s.text, ask, self.matcher) for s in chosen)
            answer.notes.append(f"所引内容未必正面回答“{ask.text}”" if near else f"报告中未写明“{ask.text}”")
        answer.notes.extend(self._unmatched(question, chosen))
        return answer

    def _unmatched(self, question: Question, chosen: list[Sentence]) -> list[str]:
        """Notes for what the quoted sentences hold the other words of but not this: a specific word no
        report prints (输了 → 败诉), a figure the question states (收到行政复议120件)."""
        notes = []
        unknown = [t.word for t in question.terms if not t.figure and not self.matcher.known(t) and _specific_word(t.word)]
        if unknown:
            notes.append(f"报告库中没有出现“{'、'.join(unknown)}”一词，以上内容未必正面回答所问")
        quoted = [normalise(s.text).lower() for s in chosen]
        figures = [t for t in question.terms if t.figure and not any(t.found_in(q) for q in quoted)]
        for known in (False, True):
            if words := "、".join(t.word for t in figures if self.matcher.known(t) == known):
                where = "所引内容" if known else "报告库中"
                notes.append(f"{where}没有写明“{words}”，以上内容未必正面回答所问")
        return notes

    def _nothing_found(self, retrieval: Retrieval, pool: list[Passage], ask: Ask) -> Answer:
        """A refusal that says why: nothing on the topic, or the topic without the figure asked for (then
        the sentence on the topic is quoted, so that the user can check it)."""
        question = retrieval.question
        where, topic = where_searched(retrieval.scope), topic_of(question)
        stated = [t.word for t in ask.terms if t.figure]
        if ask.wants_figure or stated:
            plain = replace(ask, terms=[t for t in ask.terms if not t.figure], units=(), ordinal=False, superlative=False)
            near = next((s for s in self.matcher.sentences(pool, plain) if self.matcher.answers(s, plain)), None)
            if plain.terms and near is not None:
                topic = topic_of(question, figures=False)
                figure = f"“{'、'.join(stated)}”" if stated else "所问的数字"
                missing = f"{ask.bound.text}的数字" if ask.bound is not None else f"写明{figure}"
                shown = compose(question, _trimmed([_explained(near)], question), per_report_labels=False)
                shown.answer = f"{where}有关于“{topic}”的内容，但没有{missing}。相关原文：\n{shown.answer}"
                shown.refused = True
                return shown
        return refusal(question, f"{where}未找到关于“{topic}”的内容。")

    def _with_support(self, pool: list[Passage], question: Question, chosen: list[Sentence]) -> list[Sentence]:
        """Add sentences that hold question words the chosen ones lack (a fact spread over two sentences)."""
        if question.numeric or not question.asks:
            return _unique(chosen)
        ask = question.asks[0]
        weights = self.matcher.weights(ask.terms)
        total = sum(weights.values()) or 1.0
        covered = set().union(*(s.matched for s in chosen)) if chosen else set()
        for sentence in self.matcher.sentences(pool, ask):
            if len(chosen) >= self.max_sentences:
                break
            gain = sum(weights[w] for w in sentence.matched - covered)
            if gain >= MIN_GAIN_SHARE * total and sentence.coverage >= min(s.coverage for s in chosen) * 0.7:
                chosen.append(sentence)
                covered |= sentence.matched
        return _unique(chosen)

    # --- several reports -------------------------------------------------------------------------
    def _many_reports_answer(self, retrieval: Retrieval) -> Answer:
        question = retrieval.question
        ask = _main_ask(question)
        if not ask.wants_figure:  # 哪些报告给出了出庭应诉率？各是多少？: each report's sentence must give it
            ask = replace(ask, units=next((a.units for a in question.asks[1:] if a.units and not a.terms), ()))
        best: dict[str, Sentence] = {}
        for passage in retrieval.passages:
            if len(best) >= MAX_REPORTS and passage.report.name not in best:
                continue
            for sentence in self.matcher.sentences([passage], ask):
                if not self.matcher.answers(sentence, ask) or not _holds_phrases(sentence, question):
                    continue
                current = best.get(passage.report.name)
                if current is None or sentence.score > current.score:
                    best[passage.report.name] = sentence
                break
        if not best:
            return self._nothing_found(retrieval, retrieval.passages, ask)
        ordered = sorted((_explained(s) for s in best.values()), key=lambda s: -s.score)
        return compose(question, _trimmed(ordered, question), per_report_labels=True)

    # --- a part ----------------------------------------------------------------------------------
    def _part_answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer | None:
        """The part's items on the asked subject for each report concerned, or all of its items."""
        question = retrieval.question
        main = _main_ask(question)
        ask = Ask(main.text, [t for t in main.terms if self.lexical.general_share(t.word) < GENERAL_WORD_SHARE])
        reports = _part_reports(retrieval, question)
        picks: list[tuple[Passage, int, int]] = []
        searched: list[ReportMeta] = []
        for meta in reports:
            items = _items(paragraphs_of(meta.name), question.part)
            if not items:
                continue
            searched.append(meta)
            if ask.terms:
                items = [item for item in items if self._on_subject(item, ask)]
            for paragraph, start, end, stop in items[:MAX_ITEMS]:
                for s, e in _item_quotes(paragraph, start, end, stop, ask, self.matcher):
                    picks.append((Passage(paragraph, meta, 0.0, (s, e)), s, e))
        part = "存在问题" if question.part == Part.PROBLEMS else "下一步安排"
        if not searched:
            if not main.terms:  # nothing else asked: any passage would be a guess
                return refusal(question, f"{where_searched(retrieval.scope)}没有写{part}。")
            return None  # no report has the part: answer from the retrieved passages instead
        if not picks:
            labels = "、".join(m.heading_label() for m in searched)
            return refusal(question, f"{labels}报告的{part}部分未提及“{topic_of(question)}”。")
        return compose(question, picks, per_report_labels=True)

    def _on_subject(self, item: tuple[Paragraph, int, int, int], ask: Ask) -> bool:
        """An item is on the subject when it, or the heading of its paragraph, holds the asked words."""
        paragraph, start, _, stop = item
        text = (paragraph.heading or "") + paragraph.text[start:stop]
        return self.matcher.holds(normalise(text).lower(), ask.terms)[1] >= MIN_COVERAGE

    # --- nothing stored for the named place or year ---------------------------------------------
    def _near_answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer:
        """Say what the library lacks; offer the nearest report's answer, labelled as such."""
        question, scope = retrieval.question, retrieval.scope
        if scope.missing_places:
            lacking = f"报告库中没有{'、'.join(scope.missing_places)}的报告。"
        else:
            place = "、".join(question.regions)
            lacking = f"报告库中没有{place}{'、'.join(f'{y}年' for y in scope.missing_years)}的报告。"
        # What is offered instead comes from annual reports only: a court's or a 信息公开 report's figure
        # is no near answer to a question about a government's report.
        annual = replace(retrieval, passages=[p for p in retrieval.passages if p.report.doc_type == DocType.ANNUAL_REPORT])
        near = self.content_answer(annual, paragraphs_of)
        if near.refused or not near.citations:
            return refusal(question, lacking + "其他报告中也未找到相关内容。")
        what = "同一地区其他年份" if scope.missing_years and question.regions else "其他地区"
        near.answer = f"{lacking}以下是{what}报告中的相关内容，仅供参考：\n{near.answer}"
        near.refused = True
        near.notes.append(f"所问的{'地区' if scope.missing_places else '年份'}没有报告，引用来自{what}的报告")
        return near


def _main_ask(question: Question) -> Ask:
    return question.asks[0] if question.asks else Ask(question.text, [])


def _holds_phrases(sentence: Sentence, question: Question) -> bool:
    return all(p in sentence.matched for p in question.phrases) if question.phrases else True


def _specific_word(word: str) -> bool:
    """A dictionary word that is no everyday one (败诉, 公证; not 最后, nor a split's leftover like 区为)."""
    return 0 < word_frequency(word) < COMMON_WORD_FREQUENCY


def _explained(sentence: Sentence) -> Sentence:
    """A bare heading (二是深入开展法律援助工作。) says nothing on its own: quote it with the sentence
    that explains it, as a listed part does."""
    paragraph = sentence.passage.paragraph
    if not is_bare_heading(paragraph, sentence.start, sentence.end):
        return sentence
    for start, end in split_sentences(paragraph.text):
        if start >= sentence.end and len(normalise(paragraph.text[start:end])) >= MIN_SENTENCE_CHARS:
            return replace(sentence, end=end, whole=end - sentence.start <= MAX_LISTED_ITEM_CHARS)
    return sentence


def _unique(sentences: list[Sentence]) -> list[Sentence]:
    """Each stretch of text once: a sentence inside (or overlapping) one already chosen is merged into it."""
    out: list[Sentence] = []
    for s in sentences:
        same = next((o for o in out if o.passage.paragraph.id == s.passage.paragraph.id
                     and s.start < o.end and o.start < s.end), None)
        if same is None:
            out.append(s)
        else:
            same.start, same.end = min(same.start, s.start), max(same.end, s.end)
            same.matched |= s.matched
            same.whole = same.whole or s.whole
    return out


def _trimmed(sentences: list[Sentence], question: Question) -> list[tuple[Passage, int, int]]:
    """Long sentences cut to their clauses holding the asked words and figures."""
    words = frozenset(f for t in question.terms for f in t.forms)
    picks = []
    for s in sentences:
        if s.whole:
            picks.append((s.passage, s.start, s.end))
            continue
        start, end = trim_to_clauses(s.passage.paragraph.text, s.start, s.end, words, question.numeric)
        picks.append((s.passage, start, end))
    return picks


def _largest_category(sentence: Sentence) -> Sentence:
    """For 哪一类最多: the sentence up to the end of the clause listing the largest category."""
    found = categories(sentence.text)
    if len(found) < 2:
        return sentence
    _, _, _, end = max(found, key=lambda c: c[1])
    text = sentence.passage.paragraph.text
    clause_end = re.search(r"[,，;；。]|$", text[sentence.start + end :])
    sentence.end = sentence.start + end + (clause_end.end() if clause_end else 0)
    sentence.whole = True
    return sentence


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


def _item_quotes(paragraph: Paragraph, start: int, end: int, stop: int, ask: Ask,
                 matcher: Matcher) -> list[tuple[int, int]]:
    """What to quote of an item: when the whole part is listed, its heading and the sentence that explains
    it (within MAX_LISTED_ITEM_CHARS); on a subject, its opening sentences up to MAX_ITEM_CHARS and any
    later sentence that holds the asked words."""
    if not ask.terms:
        for _, e in split_sentences(paragraph.text[end:stop]):
            if end + e - start > MAX_LISTED_ITEM_CHARS:
                break
            if len(normalise(paragraph.text[end : end + e])) >= MIN_SENTENCE_CHARS:
                return [(start, end + e)]  # the heading's own end mark alone is no sentence: read on
        return [(start, end)]
    quotes: list[tuple[int, int]] = []
    for s, e in split_sentences(paragraph.text[start:stop]):
        s, e = start + s, start + e
        opening = quotes and quotes[-1][0] == start and e - start <= MAX_ITEM_CHARS
        on_subject = matcher.holds(normalise(paragraph.text[s:e]).lower(), ask.terms)[0]
        if opening or (quotes and on_subject and quotes[-1][1] == s):
            quotes[-1] = (quotes[-1][0], e)  # the item's opening run, or a run on the subject, grows
        elif not quotes or on_subject:
            quotes.append((s, e))
    return quotes
