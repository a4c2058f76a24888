"""The reports' own sentences as evidence for drafted documents (summaries, comparisons, plans).

Every drafted document cites whole sentences of a report. This module knows what a sentence is
(`ingest.text.split_sentences`, the one splitter), which sentences are bare headings (an outline
number and a short title: "1.提升政务服务数据指标。"), how much a sentence says (figures, named
measures, specific words) and what the items of a problems or next-steps part are (a heading with
the sentences that explain it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Paragraph, Part, ReportMeta
from ingest.text import normalise, split_sentences

from assistant.answering.answer import Citation, CitationNumbering
from assistant.answering.quotes import fact_figures, is_bare_heading, part_items, strip_outline_number

# Parts whose sentences say what a report did (practices), as opposed to what it lacks or plans.
PRACTICE_PARTS = (Part.WORK, Part.DUTY)
# Sentences shorter than this say nothing on their own ("成效明显。").
MIN_SENTENCE_CHARS = 12
# A sentence longer than this is shown whole only when nothing shorter says as much.
LONG_SENTENCE_CHARS = 200
# How much each kind of content adds to a sentence's weight (users compare figures and named measures).
FIGURE_WEIGHT = 1.5
NAMED_MEASURE_WEIGHT = 1.0
MAX_COUNTED = 3  # figures or names beyond this many add nothing more
# How much being wholly about an area adds when ranking an area's sentences (a mixed sentence loses).
AREA_FIT_WEIGHT = 3.0
# A sentence speaks for an area only when at least this share of its area words are that area's.
MIN_AREA_FIT = 0.4
# ... and its words of that area must weigh at least this much (one strong word, or two hints).
MIN_AREA_SCORE = 2.0
_NAMED_RE = re.compile(r"《[^》]{2,60}》|“[^”]{2,20}”")
# Sentences that lean on the one before them ("其中，…") do not stand alone in a table cell.
_DEPENDENT_RE = re.compile(r"^(其中|其余|此外|另外|同时|对此|为此|这|该)")


@dataclass(frozen=True)
class Span:
    """A run of text inside one paragraph of one report: a sentence, or an item of a part."""

    meta: ReportMeta
    paragraph: Paragraph
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.paragraph.text[self.start : self.end].strip()

    @property
    def body(self) -> str:
        """The text without its outline number or 一是, and without the closing 。；."""
        return strip_outline_number(self.text)

    def cite(self, numbering: CitationNumbering) -> Citation:
        lead = len(self.paragraph.text[self.start : self.end]) - len(self.paragraph.text[self.start : self.end].lstrip())
        return numbering.add(self.meta, self.paragraph, self.start + lead, self.end)


@dataclass(frozen=True)
class Item:
    """An item of a problems or next-steps part: its heading (or first sentence) and what explains it."""

    head: Span
    detail: tuple[Span, ...]

    @property
    def title(self) -> str:
        return self.head.body

    @property
    def whole(self) -> Span:
        """Heading and explanation as one quotable run (the heading alone is never quoted bare)."""
        last = self.detail[0] if self.detail else self.head
        return Span(self.head.meta, self.head.paragraph, self.head.start, last.end)

    @property
    def context(self) -> str:
        end = self.detail[-1].end if self.detail else self.head.end
        return self.head.paragraph.text[self.head.start : end]


def sentences(meta: ReportMeta, paragraphs: list[Paragraph], parts: tuple[Part, ...] = PRACTICE_PARTS) -> list[Span]:
    """The report's content sentences in these parts, whole, without bare headings or fragments."""
    found = []
    for paragraph in paragraphs:
        if paragraph.part not in parts:
            continue
        for start, end in split_sentences(paragraph.text):
            text = paragraph.text[start:end].strip()
            if len(normalise(strip_outline_number(text))) < MIN_SENTENCE_CHARS or is_bare_heading(paragraph, start, end):
                continue
            found.append(Span(meta, paragraph, start, end))
    return found


def honours_only(text: str) -> bool:
    """A sentence that mostly lists honours (入选…榜单，荣获…称号，获优秀等次): at least half its clauses
    state one. It says what an area won, not what it did (a practice ending …，被评为全省先进 is kept)."""
    from assistant.documents.vocabulary import honour_marker

    clauses = [c for c in re.split(r"[，,；;]", text) if c.strip()]
    honoured = sum(1 for c in clauses if honour_marker().search(c))
    return honoured > 0 and 2 * honoured >= len(clauses)


def weight(span: Span, idf=None) -> float:
    """How much a sentence says: its figures, its named measures, and how specific its words are."""
    text = span.body
    score = FIGURE_WEIGHT * min(len(fact_figures(text)), MAX_COUNTED)
    names = [n for n in _NAMED_RE.findall(text) if re.search(r"[\u4e00-\u9fff]{2}", n)]
    score += NAMED_MEASURE_WEIGHT * min(len(names), MAX_COUNTED)
    if idf is not None:
        score += specificity(text, idf)
    if _DEPENDENT_RE.match(text):
        score -= FIGURE_WEIGHT
    if len(text) > LONG_SENTENCE_CHARS:
        score -= FIGURE_WEIGHT
    return score


def area_fit(span: Span, area: str) -> float:
    """The share of the sentence's area words that belong to `area` (1.0: about nothing else, 0.0: it
    holds none of the area's words)."""
    from assistant.documents.areas import lexical_scores

    scores = lexical_scores(span.text)
    total = sum(scores.values())
    return scores.get(area, 0.0) / total if total else 0.0


def speaks_for(span: Span, area: str) -> bool:
    """The sentence is mostly about this area, and says so with at least one strong word of it."""
    from assistant.documents.areas import lexical_scores

    scores = lexical_scores(span.text)
    total = sum(scores.values())
    own = scores.get(area, 0.0)
    return own >= MIN_AREA_SCORE and own / total >= MIN_AREA_FIT


def specificity(text: str, idf) -> float:
    """The mean rarity (idf) of a sentence's content words, scaled to about 0–2: slogans score low."""
    from assistant.language.tokens import content_terms

    terms = [t for t in content_terms(text) if len(t) >= 2]
    if not terms:
        return 0.0
    return sum(idf(t) for t in terms) / len(terms) / SPECIFICITY_SCALE


# A mean idf of this much counts one point (idf of a word in one chunk of a few thousand is about 8).
SPECIFICITY_SCALE = 4.0


def items(meta: ReportMeta, paragraphs: list[Paragraph], part: Part) -> list[Item]:
    """A part's items, each with the sentences that explain it up to the next item."""
    chosen = [p for p in paragraphs if p.part == part]
    raw = part_items(chosen)
    result = []
    for i, (paragraph, start, end) in enumerate(raw):
        following = raw[i + 1] if i + 1 < len(raw) else None
        stop = following[1] if following and following[0].id == paragraph.id else len(paragraph.text)
        detail = tuple(Span(meta, paragraph, s, e) for s, e in split_sentences(paragraph.text)
                       if s >= end and e <= stop and len(normalise(paragraph.text[s:e])) >= MIN_SENTENCE_CHARS
                       and not is_bare_heading(paragraph, s, e))
        result.append(Item(Span(meta, paragraph, start, end), detail))
    return result


def renumber(holders) -> list[Citation]:
    """Number sources by first use over objects with a `citations` list (in display order) and drop
    the ones nothing uses; returns the new source list. [n] markers inside texts are not touched."""
    from dataclasses import replace

    new: dict[tuple[str, int, int], Citation] = {}
    for holder in holders:
        renumbered = []
        for c in holder.citations:
            key = (c.paragraph_id, c.quote_start, c.quote_end)
            if key not in new:
                new[key] = replace(c, n=len(new) + 1)
            renumbered.append(new[key])
        holder.citations = renumbered
    return list(new.values())
