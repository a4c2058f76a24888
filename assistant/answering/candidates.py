"""Candidate answer sentences and the named features the fitted scorer weighs them by.

For one thing a question asks (an Ask), every sentence of the top passages is a candidate; a breakdown
(其中…) is read with the sentence it breaks down. Each candidate gets plain numbers with names, computed
from the question, the passage and the library's statistics (never from sample wording): how much of
the asked words and character bigrams it holds (weighted by their rarity in the library), whether it
states a figure in the asked unit near them, whether its paragraph is in the asked part, of the asked
place and year, and how its passage ranked. `FEATURES` lists them; the weights live in fitted/.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ingest.model import Part
from ingest.text import holds_number, normalise, split_sentences, years_in

from assistant.answering.matching import Matcher, answers_figure, categories, joined_sentences
from assistant.answering.quotes import fact_figures, is_bare_heading
from assistant.language.stopwords import is_noun
from assistant.retrieval.hybrid import Passage
from assistant.language.tokens import tokenize
from assistant.retrieval.question import Ask, Question
from assistant.retrieval.vocabulary import plan_markers, unit_answers
from assistant.retrieval.scope import wanted_part

FEATURES = (
    "words",  # idf-weighted share of the ask's words (those some report holds) in the sentence or its heading
    "words_all",  # the same share counting every asked word, one no report holds weighing as the rarest
    "words_unknown",  # share of the ask's words no report holds (the same for every candidate of an ask)
    "unknown_noun",  # a dictionary noun of the ask no report holds (公证 asked of a library without it)
    "bigrams",  # idf-weighted share of the ask's content bigrams in the sentence or its heading
    "subject",  # the ask's rarest known word is held
    "subject_share",  # how much of it is held (a long word by its parts: 整改措施 by 整改)
    "context",  # share of the topic carried over from the ask before that is held
    "phrase",  # a phrase the question quotes is held
    "figure",  # a figure is asked and the sentence states one in the asked unit near the asked words
    "no_figure",  # a figure is asked and the sentence states none in that unit
    "stated",  # the question states a figure (84件) and the sentence holds it
    "numbers",  # the sentence states any fact figure
    "plan_words",  # the sentence is worded as a plan or target (将, 拟, 预期, 左右)
    "plan_wanted",  # … and the question's time points to plans (今年, 明年, the year a report plans)
    "plan_unwanted",  # … but the question's time points to work done (去年, the year a report covers)
    "year_named",  # the sentence names a year the question means
    "year_other",  # the sentence names only other years
    "part",  # the paragraph is in the part the question asks for, or that its time points to (去年: work)
    "part_other",  # a part is asked or pointed to, and the paragraph is in another one
    "other_part",  # no part is asked and the paragraph is a problems or next-steps one
    "place",  # the report is of a place the question names
    "year",  # the report covers a year the question names
    "passage",  # exp(the passage's retrieval score − the best passage's)
    "rank",  # 1 / (1 + the passage's rank)
    "dense",  # the passage's dense similarity to the question (0 without vectors)
    "heading",  # the paragraph's heading holds the asked words (share)
    "bare",  # the sentence is only a title
    "length",  # log of its length
    "first",  # the first sentence of its paragraph
)
# Which way each feature can only push a sentence's rank, by what it means (fitting keeps the weights of
# these at or above 0, +1, or at or below 0, -1; the rest are free): evidence for or against answering.
SIGNS = {"words": 1, "words_all": 1, "bigrams": 1, "subject": 1, "subject_share": 1, "context": 1, "phrase": 1, "figure": 1,
         "no_figure": -1, "stated": 1, "plan_wanted": 1, "plan_unwanted": -1, "year_named": 1, "year_other": -1,
         "part": 1, "part_other": -1, "place": 1, "year": 1, "passage": 1, "rank": 1, "dense": 1, "bare": -1}
# Sentences shorter than this (after normalising) are no candidates (a stray 一是, a date).
MIN_CANDIDATE_CHARS = 4
# Length (characters) whose log scales the length feature to about 1.
LENGTH_SCALE = 200
# A bare heading is quoted with the first following sentence at least this long, whole when the two
# together are at most MAX_EXPLAINED_CHARS.
MIN_EXPLAINING_CHARS = 6
MAX_EXPLAINED_CHARS = 160


@dataclass
class Candidate:
    passage: Passage
    rank: int
    start: int
    end: int
    matched: frozenset[str]  # the words (Term.word) it holds
    features: dict[str, float]
    score: float = 0.0  # the fitted scorer's probability that it answers
    rank_score: float = 0.0  # the fitted ranking's score (orders one question's candidates)
    whole: bool = False  # quoted as it stands (not trimmed to clauses)
    label: int | None = field(default=None, compare=False)  # set only when collecting training rows

    @property
    def text(self) -> str:
        return self.passage.paragraph.text[self.start : self.end]

    @property
    def coverage(self) -> float:
        return self.features["words"]

    def explained(self) -> "Candidate":
        """A bare heading (二是深入开展法律援助工作。) says nothing on its own: quoted with the sentence
        that explains it, as a listed part is."""
        paragraph = self.passage.paragraph
        if not is_bare_heading(paragraph, self.start, self.end):
            return self
        for start, end in split_sentences(paragraph.text):
            if start >= self.end and len(normalise(paragraph.text[start:end])) >= MIN_EXPLAINING_CHARS:
                return replace(self, end=end, whole=end - self.start <= MAX_EXPLAINED_CHARS)
        return self


class CandidateMaker:
    """Turns passages into scored-ready candidates for each ask of a question."""

    def __init__(self, matcher: Matcher, bigram_idf):
        self.matcher = matcher
        self.bigram_idf = bigram_idf

    def candidates(self, passages: list[Passage], ask: Ask, question: Question) -> list[Candidate]:
        terms = ask.terms or ask.context
        known = [t for t in terms if self.matcher.known(t)]
        unknown = 1.0 - len(known) / len(terms) if terms else 0.0
        unknown_noun = float(any(self.matcher.unknown_noun(t) for t in terms))
        subject = self.matcher.subject(terms)
        pair_weights = {p: self.bigram_idf(p) for p in ask.bigrams}
        pair_total = sum(pair_weights.values()) or 1.0
        top = max((p.score for p in passages), default=0.0)
        stated = [t for t in ask.terms if t.figure]
        meant_years = set(question.years) | _relative_years(question, passages)
        found = []
        for rank, passage in enumerate(passages):
            paragraph = passage.paragraph
            heading = normalise(paragraph.heading or "").lower()
            spans = joined_sentences(paragraph.text)
            shared = self._passage_features(passage, question, ask.regions or question.regions, rank, top)
            heading_share = self.matcher.holds(heading, known)[1] if heading and known else 0.0
            for index, (start, end) in enumerate(spans):
                if ask.superlative and index and categories(paragraph.text[start:end]):
                    start = spans[index - 1][0]  # the counted categories read with what they are counts of
                text = paragraph.text[start:end]
                norm = normalise(text).lower()
                if len(norm) < MIN_CANDIDATE_CHARS:
                    continue
                scope = norm if heading in norm else heading + norm
                matched, words = self.matcher.holds(scope, known) if known else (frozenset(), 0.0)
                words_all = self.matcher.holds(scope, terms)[1] if terms else 0.0
                pairs = sum(w for p, w in pair_weights.items() if p in scope) / pair_total
                figure = ask.wants_figure and answers_figure(text, ask, self.matcher)
                planned = bool(plan_markers() & set(tokenize(text, search=False, question=True)))
                named = set(years_in(text)) & meant_years
                features = {
                    **shared,
                    "words": words,
                    "words_all": words_all,
                    "words_unknown": unknown,
                    "unknown_noun": unknown_noun,
                    "bigrams": pairs,
                    "subject": float(subject is None or subject.word in matched),
                    "subject_share": 1.0 if subject is None else self.matcher.share_held(scope, subject),
                    "context": self.matcher.holds(norm, ask.context)[1] if ask.context and ask.terms else 0.0,
                    "phrase": float(any(p.lower() in scope for p in question.phrases)),
                    "figure": float(figure),
                    "no_figure": float(ask.wants_figure and not figure),
                    "stated": float(bool(stated) and all(states_figure(norm, t) for t in stated)),
                    "numbers": float(bool(fact_figures(text))),
                    "plan_words": float(planned),
                    "plan_wanted": float(planned and wanted_part(question, passage.report) == Part.NEXT),
                    "plan_unwanted": float(planned and wanted_part(question, passage.report) == Part.WORK),
                    "year_named": float(bool(named)),
                    "year_other": float(bool(years_in(text)) and not named),
                    "heading": heading_share,
                    "bare": float(is_bare_heading(paragraph, start, end)),
                    "length": math.log1p(len(norm)) / math.log1p(LENGTH_SCALE),
                    "first": float(index == 0),
                }
                found.append(Candidate(passage, rank, start, end, matched, features))
        return found

    @staticmethod
    def _passage_features(passage: Passage, question: Question, regions: list[str], rank: int, top: float) -> dict[str, float]:
        part = passage.paragraph.part
        meta = passage.report
        wanted = wanted_part(question, meta)
        return {
            "part": float(wanted is not None and part == wanted),
            "part_other": float(wanted is not None and part not in (wanted, Part.PREAMBLE)),
            "other_part": float(question.part is None and part in (Part.PROBLEMS, Part.NEXT)),
            "place": float(bool(regions) and (meta.region or meta.name) in regions),
            "year": float(bool(question.years) and (meta.year in question.years or meta.plan_year in question.years)),
            "passage": math.exp(min(passage.score - top, 0.0)),
            "rank": 1.0 / (1 + rank),
            "dense": passage.dense_score or 0.0,
        }



def states_figure(norm: str, term) -> bool:
    """Whether normalised text states a figure the question states: its number whole, in a unit that
    answers the question's (120件 is not 120卷)."""
    number = term.forms[0]
    unit = term.word[len(number):]
    if not holds_number(norm, number):
        return False
    units = unit_answers().get(unit, (unit,)) if unit and unit != "%" else ()
    return not units or bool(re.search(rf"(?<![\d.]){re.escape(number)}\s*(?:{'|'.join(map(re.escape, units))})", norm))


def _relative_years(question: Question, passages: list[Passage]) -> set[int]:
    """The years a relative year (去年, 今年) means in the reports of these passages."""
    if question.relative is None:
        return set()
    return {meta.year + 1 + question.relative for meta in {p.report.name: p.report for p in passages}.values()
            if meta.year is not None}
