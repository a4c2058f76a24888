"""Read what a question asks: which reports (regions, years), which part, one report or many, and each
thing it asks for — its topic words (in the reports' vocabulary), the unit of a figure, 第几, 哪一类最多.

A question may ask several things ("收到多少件申请、受理了多少件？"): each piece is an `Ask`, and an ask
that names no topic of its own ("受理了多少件") is about the topic of the ask before it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.model import Part, ReportMeta
from ingest.text import normalise, replace_years, years_in

from assistant.retrieval.tokens import join_suffixes, tokenize
from assistant.retrieval.vocabulary import alternatives, attribute_words, colloquial_forms, cue, filler_phrases, filler_words, unit_answers

_QUOTED_RE = re.compile(r"[“\"「『‘']([^”\"」』’']{2,30})[”\"」』’']")
_PIECE_RE = re.compile(r"[^，,？?；;。！!]+")
_UNIT_RE = re.compile(r"(?:多少|几)\s*(" + "|".join(sorted((u for u in unit_answers() if u not in ("率", "比例", "比率", "占比", "百分之几", "百分比")), key=len, reverse=True)) + ")")
# A share is asked for: 出庭率是多少, 占比多少, 百分之几 (not 率先, 效率高).
_SHARE_RE = re.compile(r"(?:率|比例|比率|占比)(?:是|为|有|达到|达)?(?:多少|几)|百分之几|百分比|多大比例")
_VERB_TAIL = ("了", "过", "着")
# Places named in a question that the library may not hold: a name ending like a county-level area.
# (县委, 区政府 name a body of the area, not the area: the name must not run on into one.)
_PLACE_RE = re.compile(r"(?:^|[，,。；;、和与及跟同对在市省的])([\u4e00-\u9fff]{2,5}?(?:区|县|旗))(?!委|政府|级|域|里|内|直)")
_NOT_A_NAME = re.compile(r"[哪什各全每该本我其他这那某些个地的是了开在和与给对把从]")


@dataclass(frozen=True)
class Term:
    """A topic word of a question and the forms a report may print it in (审核 → 审核, 审查, 审结 …).

    A quoted phrase is also held, less surely, by a passage holding most of its `parts` (its own words).
    """

    word: str
    forms: tuple[str, ...]
    parts: tuple[str, ...] = ()

    @classmethod
    def of(cls, word: str) -> "Term":
        return cls(word, tuple(normalise(f).lower() for f in alternatives().get(word, (word,))))


@dataclass
class Ask:
    """One thing a question asks for."""

    text: str
    terms: list[Term]
    context: list[Term] = field(default_factory=list)  # the topic carried over from the ask before
    units: tuple[str, ...] = ()  # units a figure answering it may carry; "%" for a share
    ordinal: bool = False  # 第几次 / 第几届: the answer is an ordinal
    superlative: bool = False  # 哪一类最多: the answer compares listed categories

    @property
    def wants_figure(self) -> bool:
        return bool(self.units) or self.ordinal or self.superlative


@dataclass
class Question:
    text: str
    regions: list[str] = field(default_factory=list)  # stored regions the question names
    unknown_places: list[str] = field(default_factory=list)  # places it names that no stored report is about
    years: list[int] = field(default_factory=list)
    part: Part | None = None
    multi: bool = False
    which_report: bool = False  # asks which report (哪份报告是开发区的？)
    report_date: bool = False  # asks when a report was signed or published
    asks: list[Ask] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # quoted in the question, normalised

    @property
    def terms(self) -> list[Term]:
        """Every topic word of the question, each once, in order."""
        seen: dict[str, Term] = {}
        for ask in self.asks:
            for term in ask.terms:
                seen.setdefault(term.word, term)
        return list(seen.values())

    @property
    def numeric(self) -> bool:
        return any(ask.wants_figure for ask in self.asks)

    @property
    def about_reports(self) -> bool:
        """A question about the reports themselves (which one, its level, when published), not their
        content: all its words name attributes of reports."""
        words = attribute_words()
        return (self.which_report or self.report_date) and all(t.word in words for t in self.terms)

    @property
    def levels(self) -> set[str]:
        """The report levels the question asks for (县级市 → 县级市; 省级 → 省)."""
        return {level for t in self.terms for level in attribute_words().get(t.word, ())}


def region_names(reports: list[ReportMeta]) -> dict[str, str]:
    """Every spelling that names a stored region → that region: the official name, its aliases, and each
    with its city in front (天桥区, 天桥, 济南市天桥区, 济南天桥区)."""
    names: dict[str, str] = {}
    for meta in reports:
        if not meta.region:
            continue
        own = {meta.region, *meta.aliases}
        cities = {meta.city, meta.city.removesuffix("市")} if meta.city else set()
        for name in own:
            names.setdefault(unicodedata.normalize("NFKC", name), meta.region)
            for city in cities:
                if city and len(city) >= 2 and city != name:
                    names.setdefault(unicodedata.normalize("NFKC", city + name), meta.region)
    return names


def parse(question: str, reports: list[ReportMeta]) -> Question:
    norm = unicodedata.normalize("NFKC", question)
    names = region_names(reports)
    found, rest = _take_names(norm, names)
    years = sorted(set(years_in(rest)))
    rest = replace_years(rest, " ")
    parsed = Question(
        text=question,
        regions=sorted({names[n] for n in found}),
        unknown_places=_unknown_places(rest, names),
        years=years,
        part=_part(rest),
        multi=bool(cue("multi").search(rest)),
        which_report=bool(cue("which_report").search(rest)),
        report_date=bool(cue("report_date").search(rest)),
        phrases=[normalise(p) for p in _QUOTED_RE.findall(norm)],
    )
    parsed.asks = _asks(rest, parsed)
    return parsed


def _take_names(norm: str, names: dict[str, str]) -> tuple[list[str], str]:
    """The stored regions' spellings in the question (longest first, never overlapping) and the
    question with them blanked out."""
    found = []
    rest = norm
    for name in sorted(names, key=len, reverse=True):
        if name in rest:
            found.append(name)
            rest = rest.replace(name, " ")
    return found, rest


def _unknown_places(rest: str, names: dict[str, str]) -> list[str]:
    places = []
    for match in _PLACE_RE.finditer(rest):
        place = match.group(1)
        if _NOT_A_NAME.search(place) or place in filler_words() or any(place in n or n in place for n in names):
            continue
        places.append(place)
    return places


def _part(rest: str) -> Part | None:
    if cue("problems").search(rest):
        return Part.PROBLEMS
    if cue("next").search(rest):
        return Part.NEXT
    return None


def _asks(rest: str, parsed: Question) -> list[Ask]:
    """Split into the pieces that ask something; a piece without a question word belongs to the next."""
    pieces: list[str] = []
    pending = ""
    for match in _PIECE_RE.finditer(rest):
        piece = pending + match.group()
        if cue("asks").search(piece) or cue("ordinal").search(piece) or cue("superlative").search(piece):
            pieces.append(piece)
            pending = ""
        else:
            pending = piece + "，"
    if pending or not pieces:
        pieces.append(pending or rest)
    asks: list[Ask] = []
    for piece in pieces:
        ask = _ask(piece, parsed.phrases)
        if asks and not ask.terms and not ask.wants_figure:
            continue  # 结果怎么样？: nothing the ask before does not already ask
        if asks and not ask.terms:
            ask.context = asks[-1].terms or asks[-1].context
        elif asks:
            ask.context = [t for t in asks[-1].terms if t.word not in {x.word for x in ask.terms}]
        asks.append(ask)
    return asks


def _ask(piece: str, phrases: list[str]) -> Ask:
    ordinal = bool(cue("ordinal").search(piece))
    superlative = bool(cue("superlative").search(piece))
    cleaned = piece
    for name in ("ordinal", "superlative", "problems", "next", "multi", "which_report", "report_date"):
        cleaned = cue(name).sub(" ", cleaned)
    units = _units(cleaned)  # after the cues: 哪几个县 and 这几份 ask for no figure
    cleaned = _SHARE_RE.sub(" ", _UNIT_RE.sub(" ", cleaned))
    terms = [_phrase_term(p) for p in phrases if p in normalise(piece)]
    quoted = {t.word for t in terms}
    for word in topic_words(_QUOTED_RE.sub(" ", cleaned)):
        if word not in quoted:
            terms.append(Term.of(word))
    return Ask(piece.strip(), list({t.word: t for t in terms}.values()), units=units, ordinal=ordinal,
               superlative=superlative)


def _phrase_term(phrase: str) -> Term:
    return Term(phrase, (phrase.lower(),), tuple(normalise(w).lower() for w in topic_words(phrase)))


def _units(piece: str) -> tuple[str, ...]:
    table = unit_answers()
    units: list[str] = []
    for match in _UNIT_RE.finditer(piece):
        units.extend(table[match.group(1)])
    if _SHARE_RE.search(piece):
        units.append("%")
    if "多少钱" in piece or "金额" in piece:
        units.extend(table["钱"])
    return tuple(dict.fromkeys(units))


def topic_words(text: str) -> list[str]:
    """The topic words of a piece of question, in the reports' vocabulary, without fillers."""
    tokens = [t for t in tokenize(text, search=False)]
    tokens = [t[:-1] if len(t) > 2 and t.endswith(_VERB_TAIL) else t for t in tokens]
    tokens = _replace_sequences(tokens)
    return list(dict.fromkeys(join_suffixes(tokens, filler_words())))


def _replace_sequences(tokens: list[str]) -> list[str]:
    """Everyday forms become the reports' words and filler phrases go, matched as whole token runs."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in filler_phrases():
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            for form in colloquial_forms():
                if tuple(tokens[i : i + len(form.tokens)]) == form.tokens:
                    out.append(form.official[0])
                    i += len(form.tokens)
                    break
            else:
                out.append(tokens[i])
                i += 1
    return out
