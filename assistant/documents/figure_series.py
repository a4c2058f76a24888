"""Key figures of one place across the years: each indicator as a series, one value a year, with its sentence.

The figures are those of documents/figures.py (the indicator lexicon, each value traced to its sentence).
A report may state one indicator more than once (a total in the work part, the same figure again in a
summary; 收到 and 新收 of one kind of case): the value kept for a year is the first its work or duty part
states, else the first anywhere. A series holds one place's reports of one kind (documents/series.py), so
the reports of another kind (政府工作报告) give their figures too: they are compared with their own kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import Part

from assistant.documents.figures import INDICATORS, Figure, extract
from assistant.documents.series import Series

# The parts whose figures say what the year's work was (a plan's or a problem's figure is no result).
_WORK_PARTS = (Part.WORK.value, Part.DUTY.value)


@dataclass
class IndicatorSeries:
    indicator: str
    unit: str
    points: list[Figure] = field(default_factory=list)  # one a year, by year

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.points if p.year]

    def change(self) -> str:
        """86件 → 112件 → 135件 (each value as printed, approximations marked with 约)."""
        return " → ".join(f"{p.year}年{_shown(p)}" for p in self.points)

    def movement(self) -> str | None:
        """上升 / 下降 / 持平 / 有升有降 from the first value to the last (None with fewer than two)."""
        numbers = [p.number for p in self.points if p.number is not None]
        if len(numbers) < 2:
            return None
        steps = [b - a for a, b in zip(numbers, numbers[1:])]
        if all(s > 0 for s in steps):
            return "逐年上升"
        if all(s < 0 for s in steps):
            return "逐年下降"
        if all(s == 0 for s in steps):
            return "持平"
        return "有升有降"

    def to_dict(self) -> dict:
        return {"indicator": self.indicator, "unit": self.unit, "movement": self.movement(),
                "points": [p.to_dict() for p in self.points]}


def _shown(figure: Figure) -> str:
    return f"{figure.value}{figure.unit}" + ("（约数）" if figure.approximate else "")


@dataclass
class FigureSeries:
    series: Series
    rows: list[IndicatorSeries]

    @property
    def title(self) -> str:
        return f"{self.series.place}关键数字（{self.series.years_text()}）"

    def to_dict(self) -> dict:
        return {"title": self.title, "series": self.series.to_dict(), "indicators": [r.to_dict() for r in self.rows]}


def figure_series(library, series: Series, indicators: list[str] | None = None) -> FigureSeries:
    """Every indicator any report of the series states, as a series by year (only `indicators` when given);
    the indicators stated in the most years first, then in the lexicon's order."""
    order = {i.name: n for n, i in enumerate(INDICATORS)}
    by_indicator: dict[str, dict[int, Figure]] = {}
    for meta in series.reports:
        if not meta.year:
            continue
        found = extract(meta, library.paragraphs(meta.name), include_all_types=True)
        for figure in sorted(found, key=lambda f: f.part not in _WORK_PARTS):  # stable: work part first
            if indicators and figure.indicator not in indicators:
                continue
            by_indicator.setdefault(figure.indicator, {}).setdefault(meta.year, figure)
    rows = []
    for name, years in by_indicator.items():
        points = [years[y] for y in sorted(years)]
        rows.append(IndicatorSeries(name, points[0].unit, points))
    rows.sort(key=lambda r: (-len(r.points), order.get(r.indicator, len(order))))
    return FigureSeries(series, rows)


def indicators_named(text: str) -> list[str]:
    """The indicators a question or an option names: those whose whole name it holds (行政复议收案), else
    those named after a subject it holds (行政复议 → 行政复议收案, 行政复议审结 …; the subjects are the
    lexicon's topic words); none when it names neither."""
    names = [i.name for i in INDICATORS]
    whole = [n for n in names if n in text]
    if whole:
        return [n for n in whole if not any(n != m and n in m for m in whole)]  # 行政复议纠错率 over 行政复议纠错
    subjects = [w for w in _subjects() if w in text]
    return [n for n in names if any(w in n for w in subjects)]


def _subjects() -> tuple[str, ...]:
    """The words of the lexicon's topics (行政复议, 法律援助, 人民调解 …), from data/indicators.tsv."""
    from assistant.documents.figures import TOPICS

    words = {w for pattern in TOPICS.values() for w in pattern.pattern.split("|") if len(w) >= 2 and w.isalpha()}
    return tuple(sorted(words, key=len, reverse=True))
