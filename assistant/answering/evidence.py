"""Finding the sentences that hold what a question asks.

A sentence holds an ask when it holds enough of the ask's words (weighted by how rare each word is in
the library, any form of a word counting: 审核 or 审查), and — when a figure is asked — a number in the
asked unit within the clauses around those words (asked 多少件, a 次 count is no answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ingest.text import figure_values, has_figure, has_ordinal, matching_form, normalise, split_sentences

from assistant.retrieval.hybrid import Passage
from assistant.retrieval.question import Ask, Term
from assistant.retrieval.tokens import sub_words
from assistant.retrieval.vocabulary import action_verbs

# Share of an ask's (weighted) words a sentence must hold to answer it.
MIN_COVERAGE = 0.5
# A missing word counts this much when all its sub-words occur (行政复议申请 → 行政复议 + 申请), in
# proportion when only some do (联动机制 → 联动).
SUB_WORD_CREDIT = 0.5
# The weight of a generic action verb (建立, 开展) against the other words of an ask.
ACTION_WEIGHT = 0.3
# A quoted phrase absent as a whole counts this share of the phrase's words that do occur.
PHRASE_PART_CREDIT = 0.8
# What the topic carried over from an earlier ask adds to a sentence's score (not to its coverage).
CONTEXT_WEIGHT = 0.3
# Score added for coming from a higher-ranked passage: RANK_PRIOR / (rank + 1).
RANK_PRIOR = 0.15
# Clauses before the figure's clause in which the ask's words may stand (收到行政复议申请84件，受理71件).
FIGURE_REACH = 2
# For 哪一类最多: score added to a sentence that counts categories by name (城乡建设类案件412件).
NAMED_CATEGORY_BONUS = 0.5
_CLAUSE_RE = re.compile(r"[^,，;；:：]+[,，;；:：]?")
# A sentence that opens like this breaks down the one before it (其中，求助类692件…): the two are one
# piece of evidence, so a breakdown is never quoted without its total.
_CONTINUATION_RE = re.compile(r"^\s*(?:其中|包括|分别|具体|主要包括)")
# A listed category with its count: 求助类692件, 城乡建设类案件412件, 刑事39件.
_CATEGORY_RE = re.compile(r"([\u4e00-\u9fff]{1,8}?类?)(?:案件|诉求|事项)?(\d+(?:\.\d+)?)\s*(件|宗|起|个|项|人次|人|次)")


@dataclass
class Sentence:
    passage: Passage
    rank: int
    start: int
    end: int
    matched: frozenset[str]  # the words (Term.word) it holds
    coverage: float
    score: float
    whole: bool = False  # quoted as it stands (not trimmed to clauses)

    @property
    def text(self) -> str:
        return self.passage.paragraph.text[self.start : self.end]


class Matcher:
    """Weighs an ask's words by their rarity in the library and finds them in sentences."""

    def __init__(self, idf: Callable[[str], float], known: Callable[[str], bool]):
        self.idf = idf
        self._known = known

    def known(self, term: Term) -> bool:
        """Whether any report of the library holds the word in one of its forms."""
        return any(self._known(f) for f in term.forms)

    def weights(self, terms: list[Term]) -> dict[str, float]:
        """Each word's rarity; an act weighs less, and a stated figure no report holds nothing (it cannot
        tell passages apart, and would leave every one short of coverage)."""
        actions = action_verbs()
        return {t.word: 0.0 if t.figure and not self.known(t)
                else min(self.idf(f) for f in t.forms) * (ACTION_WEIGHT if t.word in actions else 1.0) for t in terms}

    def holds(self, norm: str, terms: list[Term]) -> tuple[frozenset[str], float]:
        """(words held, weighted share held) of `terms` in normalised text."""
        weights = self.weights(terms)
        total = sum(weights.values())
        if not total:
            return frozenset(), 1.0
        matched, credit = set(), 0.0
        for term in terms:
            share = _share_held(norm, term)
            if share >= 1.0:
                matched.add(term.word)
            credit += share * weights[term.word]
        return frozenset(matched), credit / total

    def sentences(self, passages: list[Passage], ask: Ask) -> list[Sentence]:
        """Every sentence of the passages, scored for the ask; figure asks keep only sentences with one."""
        found = []
        for rank, passage in enumerate(passages):
            text = passage.paragraph.text
            heading = normalise(passage.paragraph.heading or "").lower()
            spans = joined_sentences(text)
            for index, (start, end) in enumerate(spans):
                if ask.superlative and index and categories(text[start:end]):
                    # 一审行政案件主要集中在…四类。城乡建设类案件412件…: the counted categories and the
                    # sentence that says what they are counts of are read together.
                    start = spans[index - 1][0]
                norm = normalise(text[start:end]).lower()
                if len(norm) < 4:
                    continue
                # A paragraph's heading is the topic of each of its sentences (2.畅通便民热线。全年受理…).
                matched, coverage = self.holds(norm if heading in norm else heading + norm, ask.terms)
                if ask.wants_figure and not answers_figure(text[start:end], ask, self):
                    continue
                context = self.holds(norm, ask.context)[1] if ask.context else 0.0
                score = coverage + CONTEXT_WEIGHT * context + RANK_PRIOR / (rank + 1)
                if ask.superlative and any(name.endswith("类") for name, *_ in categories(text[start:end])):
                    score += NAMED_CATEGORY_BONUS
                found.append(Sentence(passage, rank, start, end, matched, coverage, score))
        return sorted(found, key=lambda s: -s.score)

    def answers(self, sentence: Sentence, ask: Ask) -> bool:
        """Whether a sentence holds enough of the ask (its own words, else the topic carried over), and
        always its subject: the rarest of its words that the library knows at all."""
        terms = ask.terms or ask.context
        norm = normalise((sentence.passage.paragraph.heading or "") + sentence.text).lower()
        coverage = sentence.coverage if ask.terms else self.holds(norm, terms)[1]
        subject = self.subject(terms)
        return coverage >= MIN_COVERAGE and (subject is None or _share_held(norm, subject) > 0)

    def subject(self, terms: list[Term]) -> Term | None:
        """The most specific word of an ask that some report holds (a word no report holds says nothing
        about which passage answers: it only lowers every passage's coverage)."""
        known = [t for t in terms if self.known(t)]
        if len(known) < 2:
            return None
        weights = self.weights(known)
        things = [t for t in known if t.word not in action_verbs()] or known  # an act (培养, 建立) is no subject
        return max(things, key=lambda t: weights[t.word])


def _share_held(norm: str, term: Term) -> float:
    if term.found_in(norm):
        return 1.0
    if term.parts:
        return PHRASE_PART_CREDIT * sum(p in norm for p in term.parts) / len(term.parts)
    parts = sub_words(term.word)
    return SUB_WORD_CREDIT * sum(p in norm for p in parts) / len(parts) if parts else 0.0


def joined_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, a breakdown (其中…) joined to the sentence it breaks down."""
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        if spans and _CONTINUATION_RE.match(text[start:end]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def answers_figure(sentence: str, ask: Ask, matcher: Matcher) -> bool:
    """Whether the sentence states the kind of figure the ask wants close to the ask's words."""
    clauses = [m.group() for m in _CLAUSE_RE.finditer(sentence)] or [sentence]
    topic = ask.terms or ask.context
    near: list[tuple[float, str]] = []  # (how much of the topic is near, the clause) of each figure
    for index, clause in enumerate(clauses):
        if not _figure_kind(clause, ask):
            continue
        window = normalise("".join(clauses[max(0, index - FIGURE_REACH) : index + 1])).lower()
        own = matcher.holds(normalise(clause).lower(), topic)[1] if topic else 1.0
        if not topic or matcher.holds(window, topic)[0] or matcher.holds(window, topic)[1] > 0:
            near.append((own, clause))
    if near:  # a bound (超过1000件) is met by the figure whose own clause holds most of the topic
        return ask.bound is None or _meets(max(near, key=lambda n: n[0])[1], ask)
    if ask.superlative:  # several counted categories, or one counted by its name (城乡建设类案件412件)
        found = categories(sentence)
        return len(found) >= 2 or any(name.endswith("类") for name, *_ in found)
    return False


def _meets(clause: str, ask: Ask) -> bool:
    return any(ask.bound.holds(v) for v in figure_values(clause, ask.units))


def _figure_kind(clause: str, ask: Ask) -> bool:
    if ask.units and has_figure(clause, ask.units):
        return True
    if ask.ordinal and has_ordinal(clause):
        return True
    return ask.superlative and bool(_CATEGORY_RE.search(clause))


def categories(text: str) -> list[tuple[str, float, int, int]]:
    """The categories a sentence lists with their counts: (name, count, start, end of the item).

    A count named as a category (城乡建设类案件412件) is one wherever it stands; in "受理投诉952件。其中，
    求助类692件…" an unnamed count before 其中 is the total the breakdown divides, not a category.
    """
    form = matching_form(text)  # 城鄉建設類 is 城乡建设类; the conversion keeps every character's place
    text = form if len(form) == len(text) else text
    breakdown = re.search(r"其中|包括", text)
    found = []
    for m in _CATEGORY_RE.finditer(text):
        if m.group(1).endswith("类") or breakdown is None or m.start() >= breakdown.end():
            found.append((m.group(1), float(m.group(2)), m.start(), m.end()))
    return found
