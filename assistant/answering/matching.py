"""What a sentence holds of what a question asks: its words, weighted by their rarity in the library (any
form of a word counting: 审核 or 审查), and — when a figure is asked — a number in the asked unit within
the clauses around those words (asked 多少件, a 次 count is no answer). The candidates' features are
computed with these (answering/candidates.py).
"""

from __future__ import annotations

import math
import re
from typing import Callable

from ingest.text import figure_values, has_figure, has_ordinal, matching_form, normalise, split_sentences

from assistant.config.settings import AnswerSettings
from assistant.retrieval.question import Ask, Term
from assistant.language.stopwords import is_noun
from assistant.language.tokens import general_rarity, sub_words
from assistant.retrieval.vocabulary import action_verbs

_CLAUSE_RE = re.compile(r"[^,，;；:：]+[,，;；:：]?")
# A sentence that opens like this breaks down the one before it (其中，求助类692件…): the two are one
# piece of evidence, so a breakdown is never quoted without its total.
_CONTINUATION_RE = re.compile(r"^\s*(?:其中|包括|分别|具体|主要包括)")
# A listed category with its count: 求助类692件, 城乡建设类案件412件, 刑事39件.
_CATEGORY_RE = re.compile(r"([\u4e00-\u9fff]{1,8}?类?)(?:案件|诉求|事项)?(\d+(?:\.\d+)?)\s*(件|宗|起|个|项|人次|人|次)")


class Matcher:
    """Weighs an ask's words by their rarity in the library and finds them in sentences.

    A word's weight is its rarity in the library (idf, as a share of the rarest possible) blended with its
    rarity in the general language (general_rarity): in a library of a few short reports, a word two of
    them hold (府院联动) would otherwise weigh less than a generic one only one holds (列为); the more
    chunks the library has, the more its own statistics count (settings.prior_chunks is the prior's weight).
    Its other numbers are named in AnswerSettings too."""

    def __init__(self, idf: Callable[[str], float], known: Callable[[str], bool], size: int = 0,
                 settings: AnswerSettings | None = None):
        self.idf = idf
        self._known = known
        self.size = size
        self.settings = settings or AnswerSettings()
        self._top_idf = math.log(1 + (size + 0.5) / 0.5) if size else 1.0

    def rarity(self, form: str) -> float:
        """The blended rarity of one form of a word, 0 to 1."""
        library = min(1.0, self.idf(form) / self._top_idf)
        prior = self.settings.prior_chunks
        return (self.size * library + prior * general_rarity(form)) / (self.size + prior)

    def known(self, term: Term) -> bool:
        """Whether any report of the library holds the word in one of its forms."""
        return any(self._known(f) for f in term.forms)

    def unknown_noun(self, term: Term) -> bool:
        """A dictionary noun no report holds, nor all of its parts (公证; not 资格考试 where 资格 and 考试
        are held): a thing the library cannot state anything about."""
        if term.figure or self.known(term) or not is_noun(term.word):
            return False
        parts = sub_words(term.word)
        return not parts or not all(self._known(p) for p in parts)

    def weights(self, terms: list[Term]) -> dict[str, float]:
        """Each word's rarity; an act weighs less, and a stated figure no report holds nothing (it cannot
        tell passages apart, and would leave every one short of coverage)."""
        actions = action_verbs()
        return {t.word: 0.0 if t.figure and not self.known(t)
                else min(self.rarity(f) for f in t.forms) * (self.settings.action_weight if t.word in actions else 1.0)
                for t in terms}

    def holds(self, norm: str, terms: list[Term]) -> tuple[frozenset[str], float]:
        """(words held, weighted share held) of `terms` in normalised text."""
        weights = self.weights(terms)
        total = sum(weights.values())
        if not total:
            return frozenset(), 1.0
        matched, credit = set(), 0.0
        for term in terms:
            share = self.share_held(norm, term)
            if share >= 1.0:
                matched.add(term.word)
            credit += share * weights[term.word]
        return frozenset(matched), credit / total

    def share_held(self, norm: str, term: Term) -> float:
        """How much of the term normalised text holds: 1 whole; a quoted phrase or a long word by the share
        of its parts held (行政复议申请 → 行政复议 + 申请), at the credit the settings give; else 0."""
        if term.found_in(norm):
            return 1.0
        if term.parts:
            return self.settings.phrase_part_credit * sum(p in norm for p in term.parts) / len(term.parts)
        parts = sub_words(term.word)
        return self.settings.sub_word_credit * sum(p in norm for p in parts) / len(parts) if parts else 0.0

    def subject(self, terms: list[Term]) -> Term | None:
        """The most specific word of an ask that some report holds, by the general language (行政复议, not
        申请, however often a library says 行政复议): a word no report holds says nothing about which
        passage answers, and an act (培养, 建立) is no subject."""
        known = [t for t in terms if self.known(t)]
        if len(known) < 2:
            return known[0] if known else None
        weights = self.weights(known)
        things = [t for t in known if t.word not in action_verbs()] or known
        return max(things, key=lambda t: (round(general_rarity(t.word), 2), weights[t.word]))


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
    near = _figure_clauses(sentence, ask, matcher)
    if near:  # a bound (超过1000件) is met by the figure whose own clause holds most of the topic
        return ask.bound is None or _meets(max(near, key=lambda n: n[0])[1], ask)
    if ask.superlative:  # several counted categories, or one counted by its name (城乡建设类案件412件)
        found = categories(sentence)
        return len(found) >= 2 or any(name.endswith("类") for name, *_ in found)
    return False


def clause_with_figure(sentence: str, ask: Ask, matcher: Matcher) -> str | None:
    """The clause stating the asked figure whose own words hold most of the ask's topic."""
    near = _figure_clauses(sentence, ask, matcher)
    return max(near, key=lambda n: n[0])[1] if near else None


def _figure_clauses(sentence: str, ask: Ask, matcher: Matcher) -> list[tuple[float, str]]:
    """(how much of the topic its own clause holds, the clause) of each clause stating the asked kind of
    figure with some of the topic within the settings' figure_reach clauses before it."""
    clauses = [m.group() for m in _CLAUSE_RE.finditer(sentence)] or [sentence]
    topic = ask.terms or ask.context
    near: list[tuple[float, str]] = []  # (how much of the topic is near, the clause) of each figure
    for index, clause in enumerate(clauses):
        if not _figure_kind(clause, ask):
            continue
        window = normalise("".join(clauses[max(0, index - matcher.settings.figure_reach) : index + 1])).lower()
        own = matcher.holds(normalise(clause).lower(), topic)[1] if topic else 1.0
        if not topic or matcher.holds(window, topic)[0] or matcher.holds(window, topic)[1] > 0:
            near.append((own, clause))
    return near


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
