"""The reports of one place (and one issuing body) across the years, from their metadata.

Two reports belong to one series when they speak for the same area (its division code when the
gazetteer knows it, else its name with its province and city: 北京市朝阳区 and 长春市朝阳区 stay apart),
come from the same kind of body (a 司法局's own report is not its government's: for a department the
issuing body is part of the key) and are the same kind of document (a 政府工作报告 is checked against the
next 政府工作报告, not against a 法治政府建设年度报告). Within a series the reports are in the order of the
years whose work they cover (ReportMeta.year); a report's plans are for its plan_year (year + 1 unless
the report says otherwise), so what report A promised is looked for in the report whose year is A's plan
year.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model import ReportMeta


@dataclass(frozen=True)
class Series:
    place: str  # 桐溪区, 全国, or a department's name for its own reports
    body: str | None  # the issuing body, for a department's reports (普陀区司法局)
    doc_type: str
    reports: tuple[ReportMeta, ...]  # by year, then file name

    @property
    def label(self) -> str:
        """桐溪区 · 法治政府建设年度报告 (the place, and the body where it is a department)."""
        who = self.place if not self.body or self.body == self.place else f"{self.place}（{self.body}）"
        return f"{who} · {self.doc_type}"

    @property
    def years(self) -> list[int]:
        return sorted({m.year for m in self.reports if m.year})

    def by_year(self, year: int) -> ReportMeta | None:
        """The series' report of the work of `year` (the first by file name when there are two)."""
        return next((m for m in self.reports if m.year == year), None)

    def pairs(self) -> list[tuple[ReportMeta, ReportMeta | None]]:
        """Each report with plans, and the report of the year its plans are for (None when the library
        has none yet), in the order of the years."""
        return [(m, self.by_year(plan_year(m))) for m in self.reports if plan_year(m)]

    def years_text(self) -> str:
        """2021年、2022年、2023年 (the years of work covered)."""
        return "、".join(f"{y}年" for y in self.years)

    def to_dict(self) -> dict:
        return {"label": self.label, "place": self.place, "body": self.body, "doc_type": self.doc_type,
                "years": self.years, "reports": [m.name for m in self.reports]}


def plan_year(meta: ReportMeta) -> int | None:
    """The year a report's plans are for: as read or corrected, else the year after its work."""
    return meta.plan_year or (meta.year + 1 if meta.year else None)


def place_key(meta: ReportMeta) -> tuple:
    """What makes two reports speak for the same place, body and kind of document."""
    area = meta.division_code or (meta.region or "", meta.province or "", meta.city or "")
    body = (meta.author or "") if meta.level == "部门" else ""
    return (area, body, meta.doc_type)


def series_of(metas: list[ReportMeta]) -> list[Series]:
    """Every series of the library (a report alone is a series of one year), the longest first, then by place."""
    groups: dict[tuple, list[ReportMeta]] = {}
    for meta in metas:
        if meta.region or meta.author:
            groups.setdefault(place_key(meta), []).append(meta)
    found = []
    for members in groups.values():
        members.sort(key=lambda m: (m.year or 0, m.name))
        first = members[0]
        body = first.author if first.level == "部门" else None
        found.append(Series(first.region or first.author or first.name, body, first.doc_type, tuple(members)))
    return sorted(found, key=lambda s: (-len(s.reports), s.place, s.doc_type))


# The suffixes people leave off a place's name (中牟 for 中牟县, 普陀 for 普陀区).
_SUFFIXES = ("自治县", "自治旗", "区", "县", "市", "旗", "镇", "街道")


def series_named(metas: list[ReportMeta], ref: str) -> list[Series]:
    """The series a name stands for: a region in any of its forms (长阳, 长阳县, 长阳土家族自治县), an issuing
    body, or one of the series' files."""
    ref = ref.strip()
    return [s for s in series_of(metas) if any(_names(m, ref) for m in s.reports)]


def _names(meta: ReportMeta, ref: str) -> bool:
    if ref in (meta.name, meta.region, meta.author) or ref in meta.aliases:
        return True
    region = meta.region or ""
    return len(ref) >= 2 and any(region == ref + suffix for suffix in _SUFFIXES)
