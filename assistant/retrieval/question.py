"""Read what a question asks: which reports (regions, years), which part, one report or many, and each
thing it asks for — its topic words (in the reports' vocabulary), the unit of a figure, 第几, 哪一类最多.

A question may ask several things ("收到多少件申请、受理了多少件？"): each piece is an `Ask`, and an ask
that names no topic of its own ("受理了多少件") is about the topic of the ask before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Part, ReportMeta
from ingest.parts import question_cue, question_part
from ingest.text import holds_number, matching_form, normalise

from assistant.language.tokens import word_frequency
from assistant.retrieval.places import COMMON_WORD_FREQUENCY, blank, question_places
from assistant.retrieval.question_years import MEASURE_WORDS as _MEASURE_WORDS, question_years, relative_year, without_years
from assistant.retrieval.vocabulary import alternatives, attribute_words, cue, table, unit_answers
from assistant.retrieval.words import content_bigrams, topic_words

_QUOTED_RE = re.compile(r"[“\"「『‘']([^”\"」』’']{2,30})[”\"」』’']")
_PIECE_RE = re.compile(r"[^，,？?；;。！!、]+")
_UNIT_RE = re.compile(r"(?:多少|几)\s*(" + "|".join(sorted((u for u in unit_answers() if u not in ("率", "比例", "比率", "占比", "百分之几", "百分比")), key=len, reverse=True)) + ")")
# A share is asked for: 出庭率是多少, 占比多少, 百分之几 (not 率先, 效率高).
_SHARE_RE = re.compile(r"(?:率|比例|比率|占比)(?:是|为|有|达到|达)?(?:多少|几)|百分之几|百分比|多大比例")
# A question that only names a rate (新荣区的负责人出庭率) asks for it.
_RATE_NAMED_RE = re.compile(r"[\u4e00-\u9fff]率\s*[？?。！!，,]*\s*$")
# "多少" with no measure word after it (收案多少、受理多少) asks for a number of any unit.
_ANY_FIGURE_RE = re.compile(r"多少|几(?![十百千万])")
# A total asked for (一共有多少, 一共收了多少件): the adverb says how to count, not what.
_TOTAL_RE = re.compile(r"一共|总共|共计|合计|总计")
# A count named by its noun (案件数对比, 人数, 次数) asks for a figure in that noun's units.
_COUNT_NOUN_RE = re.compile(r"(案件|件|人|次|场|项)数(?!据|字)")
_COUNT_NOUN_UNITS = {"案件": "件"}
ANY_UNIT = "*"
# A figure the question states (哪个区收到行政复议84件？): the answer is the passage stating it. Not a
# bound (超过1000件, 100人以上), an ordinal (第3届) nor a number without a measure word (12345热线).
# The measure words a count in a question carries (84件, 3场, 120卷).
_STATED_FIGURE_RE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|人次|[{_MEASURE_WORDS}])?(?![\d.])")
_BOUND_BEFORE_RE = re.compile(r"(?:超过|超|多于|少于|大于|小于|高于|低于|不少于|不低于|不足|不到|至少|最多|第)\s*$")
_BOUND_AFTER_RE = re.compile(r"^\s*(?:以上|以下|以内|左右|多|余)")
# How a bound compares (超过1000件: more than 1000); 左右, 多, 余 and 第 are no bound a figure can be held to.
_BOUND_OPERATORS = {"超过": ">", "超": ">", "多于": ">", "大于": ">", "高于": ">", "不少于": ">=", "不低于": ">=",
                    "至少": ">=", "以上": ">=", "少于": "<", "小于": "<", "低于": "<", "不足": "<", "不到": "<",
                    "最多": "<=", "以下": "<=", "以内": "<="}


@dataclass(frozen=True)
class Term:
    """A topic word of a question and the forms a report may print it in (审核 → 审核, 审查, 审结 …).

    A quoted phrase is also held, less surely, by a passage holding most of its `parts` (its own words).
    A figure the question states (84件) is held only by a passage stating that number whole.
    """

    word: str
    forms: tuple[str, ...]
    parts: tuple[str, ...] = ()
    figure: bool = False

    @classmethod
    def of(cls, word: str) -> "Term":
        return cls(word, tuple(normalise(f).lower() for f in alternatives().get(word, (word,))))

    def found_in(self, norm: str) -> bool:
        """Whether normalised text holds the word in one of its forms (a figure: its number, not 1984 for 84)."""
        if self.figure:
            return holds_number(norm, self.forms[0])
        return any(form in norm for form in self.forms)


@dataclass(frozen=True)
class Bound:
    """A bound a figure must meet (超过1000件: > 1000 in 件), as the question wrote it."""

    operator: str  # >, >=, <, <=
    value: float
    unit: str | None
    text: str

    def holds(self, value: float) -> bool:
        return {">": value > self.value, ">=": value >= self.value, "<": value < self.value,
                "<=": value <= self.value}[self.operator]


@dataclass
class Ask:
    """One thing a question asks for."""

    text: str
    terms: list[Term]
    context: list[Term] = field(default_factory=list)  # the topic carried over from the ask before
    units: tuple[str, ...] = ()  # units a figure answering it may carry; "%" for a share
    ordinal: bool = False  # 第几次 / 第几届: the answer is an ordinal
    superlative: bool = False  # 哪一类最多: the answer compares listed categories
    bound: Bound | None = None  # 超过1000件的: the figure must meet it
    names_place: bool = False  # its piece of the question names a place (增城区…几次？习水县…几次？)
    regions: list[str] = field(default_factory=list)  # the stored regions its own piece names
    bigrams: tuple[str, ...] = ()  # character bigrams of its content (they survive jieba splitting unlike a report)

    @property
    def wants_figure(self) -> bool:
        return bool(self.units) or self.ordinal or self.superlative


@dataclass
class Question:
    text: str
    regions: list[str] = field(default_factory=list)  # stored regions the question names
    unknown_places: list[str] = field(default_factory=list)  # places it names that no stored report is about
    years: list[int] = field(default_factory=list)
    relative: int | None = None  # 前年 -2, 去年 -1, 今年 0, 明年 +1: a year counted from the report asked about
    part: Part | None = None
    multi: bool = False
    most: str | None = None  # "max" or "min": which of several reports has the most or least (哪个省…最高)
    which_report: bool = False  # asks which report (哪份报告是开发区的？)
    report_date: bool = False  # asks when a report was signed or published
    asks: list[Ask] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # quoted in the question, normalised
    doc_types: list[str] = field(default_factory=list)  # kinds of report it names (政府工作报告 …)
    excluded: list[Term] = field(default_factory=list)  # what the asker already knows (除了A和B，还有啥): not asked

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
        content: all its words name attributes of reports, or are everyday words (关于2024年工作的)."""
        words = attribute_words()
        return (self.which_report or self.report_date) and all(
            t.word in words or word_frequency(t.word) >= COMMON_WORD_FREQUENCY for t in self.terms)

    @property
    def levels(self) -> set[str]:
        """The report levels the question asks for (县级市 → 县级市; 省级 → 省; 镇一级, which jieba splits into
        two words neither of which is a topic, → 乡镇)."""
        words = attribute_words()
        return ({level for t in self.terms for level in words.get(t.word, ())}
                | {level for word, levels in words.items() if word.endswith("级") and word in self.text for level in levels})


# What the asker already knows and leaves out of the question: 除了A和B(以外)，还有… / 除A外还…
_EXCLUDED_RE = re.compile(r"除了?([^，,。？?；;]{2,40}?)(?:以外|之外|外)?\s*[，,]?\s*(?=还|其他|另外|别的)")


def _excluded(text: str) -> tuple[list[Term], str, str]:
    """(the topic words of a 除了… clause, the question without the clause, the clause)."""
    match = _EXCLUDED_RE.search(text)
    if not match:
        return [], text, ""
    terms = [Term.of(w) for w in topic_words(_QUOTED_RE.sub(lambda m: m.group(1), match.group(1)))]
    return terms, blank(text, match.start(), match.end()), normalise(match.group(1))


def document_kinds(text: str) -> tuple[list[str], str]:
    """(the kinds of report the question names, the question with every word naming a report blanked)."""
    kinds: list[str] = []
    for kind, pattern in table("document_words.tsv").items():
        for match in re.finditer(pattern, text):
            if kind != "-":
                kinds.append(kind)
            text = blank(text, match.start(), match.end())
    return list(dict.fromkeys(kinds)), text


def parse(question: str, reports: list[ReportMeta]) -> Question:
    norm = matching_form(question)
    regions, unknown, rest = question_places(norm, reports)
    places = "".join(c if r != c else " " for c, r in zip(norm, rest))  # only the places named
    if unknown and cue("attribution").search(norm):
        rest, unknown = norm, []  # 哪份报告提到依托瑞金的…: the place is what is asked about, not where
    years = sorted(set(question_years(rest, reports)))
    relative = relative_year(rest)
    rest = without_years(rest)
    framed = rest  # cues about reports (哪份报告, 报告是关于) read before the words naming a report go
    doc_types, rest = document_kinds(rest)
    excluded, rest, known = _excluded(rest)
    parsed = Question(
        text=question,
        regions=regions,
        unknown_places=unknown,
        years=years,
        relative=relative,
        part=question_part(rest),
        multi=bool(cue("multi").search(framed)),
        which_report=bool(cue("which_report").search(framed)),
        report_date=bool(cue("report_date").search(framed)),
        phrases=[normalise(p) for p in _QUOTED_RE.findall(norm) if not known or normalise(p) not in known],
        doc_types=doc_types,
        excluded=excluded,
    )
    parsed.asks = _asks(rest, parsed, places, reports)
    several = parsed.multi or cue("attribution").search(rest) or len(regions) > 1 or len(years) > 1
    if several and not any(a.superlative for a in parsed.asks):
        parsed.most = "min" if cue("most_min").search(rest) else "max" if cue("most_max").search(rest) else None
    if parsed.most:
        parsed.multi = True
    if len(regions) > 1 and len(parsed.asks) == 1:
        parsed.multi = True  # 天桥区和绥滨县的…多少？ asks it of each
    elif len(regions) > 1 and all(ask.names_place for ask in parsed.asks):
        parsed.multi = False  # 增城区…几次？习水县…几次？ (even 对比): each place is asked its own thing
    return parsed


def _regions_named(text: str, reports: list[ReportMeta]) -> list[str]:
    return question_places(text.strip(), reports)[0] if text.strip() else []


def _asks(rest: str, parsed: Question, places: str, reports: list[ReportMeta]) -> list[Ask]:
    """Split into the pieces that ask something; a piece without a question word belongs to the next.
    `places`: the question with only the places it names left (the rest blank), position for position."""
    pieces: list[tuple[str, str]] = []  # (piece, the places it names of its own)
    pending, pending_start = "", 0
    for match in _PIECE_RE.finditer(rest):
        piece = pending + match.group()
        if cue("asks").search(piece) or cue("ordinal").search(piece) or cue("superlative").search(piece):
            pieces.append((piece, places[pending_start : match.end()]))
            pending, pending_start = "", match.end()
        else:
            pending = piece + "，"
    if pending or not pieces:
        pieces.append((pending or rest, places[pending_start:]))
    pieces = [(part, named) for piece, named in pieces for part in _distributed(piece)]
    asks: list[Ask] = []
    for piece, named in pieces:
        ask = _ask(piece, parsed.phrases)
        ask.names_place = bool(named.strip())
        ask.regions = [r for r in parsed.regions if r in _regions_named(named, reports)] if ask.names_place else []
        if asks and not ask.terms and not ask.wants_figure:
            continue  # 结果怎么样？: nothing the ask before does not already ask
        if asks and not ask.terms:
            ask.context = asks[-1].terms or asks[-1].context
        elif asks:
            ask.context = [t for t in asks[-1].terms if t.word not in {x.word for x in ask.terms}]
        asks.append(ask)
    _rate_asked(asks)
    return asks


# 各/分别/各自 after two things joined (城镇新增就业和粮食产量目标各是多少): each is asked on its own.
_DISTRIBUTIVE_RE = re.compile(r"各(?![地区县市乡镇部门单位级类项种位])|分别|各自")
_JOINED_RE = re.compile(r"[和与及、，,]|以及")


def _distributed(piece: str) -> list[str]:
    """A piece asking the same of several things joined before 各/分别, as one piece per thing (each
    with the words after 各 that say what is asked)."""
    cue_at = _DISTRIBUTIVE_RE.search(piece)
    if not cue_at:
        return [piece]
    things = [t for t in _JOINED_RE.split(piece[: cue_at.start()]) if t.strip()]
    if len(things) < 2:
        return [piece]
    frame = piece[cue_at.start() :]
    return [thing + frame for thing in things]


def _rate_asked(asks: list[Ask]) -> None:
    """哪些报告给出了出庭应诉率？各是多少？: a rate named in one ask and 多少 in the next ask for a share."""
    for before, ask in zip(asks, asks[1:]):
        if ask.units == (ANY_UNIT,) and not ask.terms and any(t.word.endswith("率") for t in before.terms):
            ask.units = before.units = ("%",)


def _ask(piece: str, phrases: list[str]) -> Ask:
    ordinal = bool(cue("ordinal").search(piece))
    superlative = bool(cue("superlative").search(piece))
    cleaned = piece
    for pattern in (*(cue(n) for n in ("time_frame", "ordinal", "superlative", "most_max", "most_min", "multi", "which_report",
                                       "report_date")),
                    question_cue(Part.PROBLEMS), question_cue(Part.NEXT)):
        cleaned = pattern.sub(" ", cleaned) if pattern else cleaned
    cleaned = _DISTRIBUTIVE_RE.sub(" ", cleaned)
    units = _units(cleaned)  # after the cues: 哪几个县 and 这几份 ask for no figure
    if units:
        cleaned = _TOTAL_RE.sub(" ", cleaned)
    figures, bound, cleaned = _stated_figures(cleaned)
    if bound is not None and not units:
        units = _bound_units(bound)
    cleaned = _COUNT_NOUN_RE.sub(" ", _SHARE_RE.sub(" ", _UNIT_RE.sub(" ", cleaned)))  # the measure is no topic
    terms = [_phrase_term(p) for p in phrases if p in normalise(piece)]
    quoted = {t.word for t in terms}
    either = _alternatives(cleaned)
    for word in topic_words(_QUOTED_RE.sub(" ", cleaned)):
        if word in either:
            terms.append(either[word])
        elif word not in quoted:
            terms.append(Term.of(word))
    terms.extend(figures)
    pairs = dict.fromkeys((*content_bigrams(_QUOTED_RE.sub(" ", cleaned)), *(b for p in phrases if p in normalise(piece)
                                                                              for b in content_bigrams(p))))
    return Ask(piece.strip(), list({t.word: t for t in terms}.values()), units=units, ordinal=ordinal,
               superlative=superlative, bound=bound, bigrams=tuple(pairs))


# Two words written as alternatives: 合法性/法制审核 (either word, with what follows).
_ALTERNATIVE_RE = re.compile(r"([\u4e00-\u9fff]{2,})\s*[/／]\s*([\u4e00-\u9fff]{2,})")


def _alternatives(piece: str) -> dict[str, Term]:
    """Each word of an "X/Y" pair → one term held by either (合法性/法制审核: 合法性 or 法制)."""
    pairs: dict[str, Term] = {}
    for match in _ALTERNATIVE_RE.finditer(piece):
        left, right = topic_words(match.group(1)), topic_words(match.group(2))
        if left and right:
            a, b = Term.of(left[-1]), Term.of(right[0])
            term = Term(f"{a.word}/{b.word}", tuple(dict.fromkeys(a.forms + b.forms)))
            pairs[a.word] = pairs[b.word] = term
    return pairs


def _stated_figures(piece: str) -> tuple[list[Term], Bound | None, str]:
    """The figures a piece states (84件, 100%) as terms, the bound it sets (超过1000件), and the piece
    without them."""
    figures: list[Term] = []
    bound: Bound | None = None
    for match in reversed(list(_STATED_FIGURE_RE.finditer(piece))):
        number, unit = match.group(1), match.group(2)
        before = _BOUND_BEFORE_RE.search(piece[: match.start()])
        after = _BOUND_AFTER_RE.match(piece[match.end() :])
        if before or after:  # a bound carries no topic: 超过 and 以上 go with it
            start, end = before.start() if before else match.start(), match.end() + (after.end() if after else 0)
            word = (before.group().strip() if before else "") or (after.group().strip() if after else "")
            if word in _BOUND_OPERATORS:
                bound = Bound(_BOUND_OPERATORS[word], float(number), unit, piece[start:end].strip())
            piece = blank(piece, start, end)
            continue
        if not unit:
            continue  # a number that counts nothing names something (12345热线, “1811”体系) or is a year
        figures.insert(0, Term(match.group().replace(" ", ""), (number,), figure=True))
        piece = blank(piece, match.start(), match.end())
    return figures, bound, piece


def _bound_units(bound: Bound) -> tuple[str, ...]:
    """The units a figure meeting the bound may carry: those of its own measure word, any number if none."""
    if bound.unit is None:
        return (ANY_UNIT,)
    return ("%",) if bound.unit == "%" else unit_answers().get(bound.unit, (bound.unit,))


def _phrase_term(phrase: str) -> Term:
    return Term(phrase, (phrase.lower(),), tuple(normalise(w).lower() for w in topic_words(phrase)))


def _units(piece: str) -> tuple[str, ...]:
    table = unit_answers()
    units: list[str] = []
    for match in _UNIT_RE.finditer(piece):
        units.extend(table[match.group(1)])
    for match in _COUNT_NOUN_RE.finditer(piece):
        units.extend(table[_COUNT_NOUN_UNITS.get(match.group(1), match.group(1))])
    if _SHARE_RE.search(piece) or (not units and _RATE_NAMED_RE.search(piece) and not cue("asks").search(piece)):
        units.append("%")
    if "多少钱" in piece or "金额" in piece:
        units.extend(table["钱"])
    if not units and _ANY_FIGURE_RE.search(piece):
        units.append(ANY_UNIT)  # 收案多少？: a number, whatever its unit
    return tuple(dict.fromkeys(units))
