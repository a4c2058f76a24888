"""Text normalisation and sentence splitting shared by parsing, retrieval, answers and evaluation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_RE = re.compile(r"\s+")
# A year as reports and questions write it: 2023年, 2023 年 (matched on NFKC text).
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
# A sentence ends at 。！？； (full- or half-width after NFKC) plus any closing quotes or brackets.
# (A line break inside a paragraph — a heading over its body — ends a sentence too.)
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+[”’」』）)]*|$)")


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # OpenCC's own dictionaries, bundled in its wheel: works offline

    return opencc.OpenCC("t2s")


def matching_form(text: str) -> str:
    """NFKC (full-width → half-width) and traditional → simplified: the form names and cues are matched in.

    Portals serve some reports in traditional characters (東城區); metadata must read them the same way.
    """
    return _to_simplified().convert(unicodedata.normalize("NFKC", text))


def normalise(text: str) -> str:
    """What text is compared in: the matching form (NFKC, traditional → simplified) without white space.

    A question typed in simplified characters then finds a report a portal serves in traditional ones
    (一審行政訴訟敗訴率), and a full-width （一） matches a half-width (一)."""
    return _SPACE_RE.sub("", matching_form(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans [start, end) of the sentences of `text`, covering it without gaps."""
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE_RE.finditer(text):
        if match.end() > match.start():
            spans.append((match.start(), match.end()))
    return spans


_NUMBER_RE = re.compile(r"\d+(?:[.,，]\d+)*%?")


def numbers_in(text: str) -> list[str]:
    """The figures in `text`, normalised: '1,984' → '1984', '１００％' → '100%'."""
    found = []
    for match in _NUMBER_RE.finditer(unicodedata.normalize("NFKC", text)):
        value = match.group().replace(",", "").replace("，", "")
        found.append(value)
    return found


def holds_number(text: str, value: str) -> bool:
    """Whether `text` states the number `value` whole: 84 is in 收到84件 and 84%, not in 1984件 or 84.5%."""
    value = value.rstrip("%")
    return any(n.rstrip("%") == value for n in numbers_in(text))


_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三: how official documents number their parts (1–99)."""
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


def years_in(text: str) -> list[int]:
    """Every year written in `text` (2023年), in order, as integers."""
    return [int(y) for y in YEAR_RE.findall(unicodedata.normalize("NFKC", text))]


def replace_years(text: str, replacement: str = "") -> str:
    """`text` with every written year (2023年) replaced, e.g. removed or swapped for another year."""
    return YEAR_RE.sub(replacement, text)


# A number as reports print it: 1,984 / 12.5 / 1.2万 / 二十余 / 近百 / 约300 / 三十二 (matched on NFKC text).
NUMBER_PATTERN = r"(?:约|近|超|逾|达)?(?:\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千]+)(?:余|多)?\s*(?:万|亿)?(?:余|多)?"
_ORDINAL_RE = re.compile(r"第\s*[\d零〇一二两三四五六七八九十百]+\s*(?:次|届|批|期|轮|名|位|个)|[一二三四五六七八九十]+届|首(?:批|届|次|期|轮)")


MULTIPLIERS = {"万": 1e4, "亿": 1e8}


def as_number(value: str) -> float:
    """A printed value as a number: '1,984' → 1984, '1.2万' → 12000, '三十二' → 32, '98.7%' → 98.7."""
    text = re.sub(r"[,，%余多近约超逾达\s]", "", value)
    multiplier = next((m for k, m in MULTIPLIERS.items() if k in text), 1.0)
    text = text.replace("万", "").replace("亿", "")
    try:
        return float(text) * multiplier
    except ValueError:
        import cn2an  # Chinese numerals only: its import is slow

        return float(cn2an.cn2an(text, "smart")) * multiplier


def figure_values(text: str, units: tuple[str, ...]) -> list[float]:
    """The values `text` states in one of `units` ("%" a share): 共办理1,984件 → [1984.0] for 件."""
    norm = matching_form(text)
    if "%" in units:
        return [as_number(m.group(1)) for m in re.finditer(r"(\d+(?:\.\d+)?)\s*%", norm)]
    plain = [re.escape(u) for u in sorted(units, key=len, reverse=True) if u != "*"]
    unit = f"\\s*(?:{'|'.join(plain)})" if plain else r"(?![\d.]|\s*年)"  # any number but a year
    values = []
    for match in re.finditer(rf"(?<![\d.])({NUMBER_PATTERN}){unit}", norm):
        try:
            values.append(as_number(match.group(1)))
        except ValueError:
            continue  # 十百 and other runs that are no number
    return values


# A count written in Chinese numerals with its measure word (十一个方面, 三项, 两条): any number asked
# (几个) is answered by it too; 一个 alone is too common an article to count.
_COUNTED_RE = re.compile(r"(?:[两三四五六七八九十]|[一二三四五六七八九十]{2,})[百千]?\s*(?:个|项|条|方面|大|类|批|件)")


def has_figure(text: str, units: tuple[str, ...]) -> bool:
    """Whether `text` states a number in one of `units` ("%" also accepts 百分之…; "*" any number that is
    not a year), e.g. 84件, 1.2 万件, 95%, 连续14年 (a year, 2021年, counts no years)."""
    norm = matching_form(text)
    if "年" in units:
        norm = YEAR_RE.sub(" ", norm)
    if "*" in units and (re.search(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]|\s*年)", norm) or _COUNTED_RE.search(norm)):
        return True
    plain = [re.escape(u) for u in sorted(units, key=len, reverse=True) if u not in ("%", "*")]
    if plain and re.search(rf"{NUMBER_PATTERN}\s*(?:{'|'.join(plain)})", norm):
        return True
    return "%" in units and bool(re.search(r"\d\s*%|百分之", norm))


def has_ordinal(text: str) -> bool:
    """Whether `text` states an ordinal: 第四次, 第 2 届, 十四届, 首批."""
    return bool(_ORDINAL_RE.search(matching_form(text)))


# Latin punctuation written between Chinese words (many portals' text has 84件,受理71件): what Chinese
# typesetting prints instead. Only next to a CJK character, so 1,984 and 12:30 keep theirs.
_CJK = "\u4e00-\u9fff》”）"
_LATIN_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_LATIN_MARK_RE = re.compile(rf"(?<=[{_CJK}])\s*([,;:?!])\s*|\s*([,;:?!])\s*(?=[\u4e00-\u9fff《“（])")


def chinese_punctuation(text: str) -> str:
    """Drafted text set as Chinese: ',' between Chinese words becomes '，' (quotes keep the source's own)."""
    return _LATIN_MARK_RE.sub(lambda m: _LATIN_MARKS[m.group(1) or m.group(2)], text)
