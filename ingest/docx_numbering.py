"""Word's automatic numbering, computed: the 一、（一）1.（1） a .docx shows but does not hold in its text.

A numbered paragraph carries only a reference (w:numPr: a list `numId` and a level `ilvl`, on the
paragraph or on its style); the numbers are drawn by Word from numbering.xml: each abstract list
defines per level a start, a number format (decimal, chineseCounting …) and a pattern (lvlText
"（%2）", where %n is level n's current number), and when a level starts again (lvlRestart). This
module keeps the counters as Word does, in document order: lists that share an abstract definition
share their counters unless a `startOverride` restarts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

LEVELS = 9
_CHINESE = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
            "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"}
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A label ending with one of these is followed by the text directly; another (第一章) by a space.
_CLOSING = "、.．)）:：]】"


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after a use of this 1-based level (0: never); None: any higher
    suffix: str = "tab"
    legal: bool = False  # isLgl: every number in the label as a decimal
    style: str | None = None  # pStyle: the paragraph style this level belongs to


@dataclass
class _List:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # level → startOverride


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def format_number(number: int, fmt: str) -> str:
    """One number in a Word number format."""
    import cn2an

    if fmt in _CHINESE:
        return cn2an.an2cn(number, "up" if fmt == "chineseLegalSimplified" else "low")
    if fmt == "ideographTraditional" and 1 <= number <= len(_HEAVENLY_STEMS):
        return _HEAVENLY_STEMS[number - 1]
    if fmt.startswith("decimalEnclosedCircle") and 1 <= number <= len(_CIRCLED):
        return _CIRCLED[number - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(number))
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(number)


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


class Numbering:
    """The numbering definitions of one document and the counters of its lists, advanced in document order."""

    def __init__(self, numbering_element=None, styles_element=None):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.lists: dict[str, _List] = {}
        self.style_refs: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if numbering_element is not None:
            self._read_numbering(numbering_element)
        if styles_element is not None:
            self._read_styles(styles_element)

    @classmethod
    def of(cls, document) -> "Numbering":
        """The numbering of a python-docx Document (none when it has no numbering part)."""
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        return cls(numbering, document.styles.element)

    def _read_numbering(self, root) -> None:
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                index = _int(lvl.get(qn("w:ilvl")), 0)
                text = lvl.find(qn("w:lvlText"))
                levels[index] = Level(
                    start=_int(_val(lvl, "w:start"), 1), fmt=_val(lvl, "w:numFmt") or "decimal",
                    text=text.get(qn("w:val"), "") if text is not None else "",
                    restart=_int(_val(lvl, "w:lvlRestart"), None), suffix=_val(lvl, "w:suff") or "tab",
                    legal=lvl.find(qn("w:isLgl")) is not None and _val(lvl, "w:isLgl") not in ("0", "false"),
                    style=_val(lvl, "w:pStyle"))
            self.abstracts[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _int(_val(override, "w:startOverride"), None)
                if start is not None:
                    overrides[_int(override.get(qn("w:ilvl")), 0)] = start
            self.lists[num.get(qn("w:numId"))] = _List(_val(num, "w:abstractNumId"), overrides)

    def _read_styles(self, root) -> None:
        own, based = {}, {}
        for style in root.findall(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            ppr = style.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is not None:
                own[sid] = (_val(numpr, "w:numId"), _int(_val(numpr, "w:ilvl"), None))
            if (parent := _val(style, "w:basedOn")) is not None:
                based[sid] = parent
        for sid in set(own) | set(based):
            seen, current = set(), sid
            while current is not None and current not in own and current not in seen:
                seen.add(current)
                current = based.get(current)
            if current in own:
                self.style_refs[sid] = own[current]

    def _reference(self, paragraph) -> tuple[str | None, int]:
        ppr = paragraph.find(qn("w:pPr"))
        style = _val(ppr, "w:pStyle") if ppr is not None else None
        num_id, level = self.style_refs.get(style, (None, None)) if style else (None, None)
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr, "w:numId") or num_id
            level = _int(_val(numpr, "w:ilvl"), level)
        if level is None and num_id in self.lists and style:  # the level whose pStyle is this style
            levels = self.abstracts.get(self.lists[num_id].abstract, {})
            level = next((i for i, lvl in levels.items() if lvl.style == style), 0)
        return num_id, level or 0

    def label(self, paragraph) -> str:
        """The number Word shows before this paragraph (a w:p element), '' for none; advances the counters."""
        num_id, level = self._reference(paragraph)
        if not num_id or num_id == "0" or num_id not in self.lists:
            return ""
        listed = self.lists[num_id]
        levels = self.abstracts.get(listed.abstract)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(listed.abstract, [None] * LEVELS)
        if num_id not in self.started:
            self.started.add(num_id)
            for index in listed.overrides:
                counters[index] = None
        start = listed.overrides.get(level, levels[level].start)
        counters[level] = start if counters[level] is None else counters[level] + 1
        for deeper in range(level + 1, LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and level < restart):
                counters[deeper] = None
        return self._format(levels, counters, level)

    def _format(self, levels: dict[int, Level], counters: list[int | None], level: int) -> str:
        own = levels[level]
        if own.fmt in ("bullet", "none") or not own.text:
            return ""
        text = own.text
        for index in range(LEVELS):
            mark = f"%{index + 1}"
            if mark in text:
                lvl = levels.get(index, Level())
                number = counters[index] if counters[index] is not None else lvl.start
                text = text.replace(mark, format_number(number, "decimal" if own.legal else lvl.fmt))
        if own.suffix == "nothing" or text.endswith(tuple(_CLOSING)):
            return text
        return text + " "
