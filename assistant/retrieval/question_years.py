"""The years a question names: written out (2023年), bare (（2024）), with two digits (23年) when the library
holds that year, or relative to the report asked about (去年, 明年)."""

from __future__ import annotations

import re

from ingest.model import ReportMeta
from ingest.text import matching_form, replace_years, years_in

# The measure words a count in a question carries (84件, 3场, 120卷).
MEASURE_WORDS = "件项次人个名场家条份起宗期所卷"

# A year a question writes without 年 (淮南（2024）…, 2023绥滨): four digits that count nothing.
_BARE_YEAR_RE = re.compile(rf"(?<![\d.])((?:19|20)\d{{2}})(?![\d.%]|\s*(?:年|[{MEASURE_WORDS}万亿元]))")


# A year written with two digits (23年那份报告): read as 20xx only when some report of the library covers
# or plans that year (连续23年 counts years).
_SHORT_YEAR_RE = re.compile(r"(?<![\d.])(\d{2})\s*年(?!来|以来|间|之|多|度以来)")


def question_years(text: str, reports: list[ReportMeta] = ()) -> list[int]:
    """The years a question names: written with 年 (2023年), alone (（2024）), or with two digits (23年)
    when the library has a report of that year."""
    form = matching_form(text)
    years = years_in(form) + [int(y) for y in _BARE_YEAR_RE.findall(replace_years(form, " "))]
    held = {y for r in reports for y in (r.year, r.plan_year) if y}
    return years + [2000 + int(y) for y in _SHORT_YEAR_RE.findall(replace_years(form, " ")) if 2000 + int(y) in held]


# Years named relative to the reader's present; a reader of a report reads it the year after the one it
# covers (the year it plans), so 去年 is the year it covers.
RELATIVE_YEARS = {"前年": -2, "上一年": -1, "上年": -1, "去年": -1, "今年": 0, "本年": 0, "明年": 1, "来年": 1,
                  "下一年": 1, "下年": 1}
_RELATIVE_RE = re.compile("|".join(sorted(RELATIVE_YEARS, key=len, reverse=True)))


def relative_year(text: str) -> int | None:
    """The shift a relative year word names (去年 → -1), the first one written."""
    match = _RELATIVE_RE.search(text)
    return RELATIVE_YEARS[match.group()] if match else None


def without_years(text: str) -> str:
    """The text with every year it names, written out, bare, short or relative, blanked."""
    return _RELATIVE_RE.sub(" ", _SHORT_YEAR_RE.sub(" ", _BARE_YEAR_RE.sub(" ", replace_years(text, " "))))
