"""Services of one place across the years: its series of reports, the commitments kept, figures by year."""

from __future__ import annotations

from ingest.model import DocType

from assistant.config.settings import Settings
from assistant.errors import UsageError
from assistant.store.report_store import ReportStore


class YearServices:
    """The across-years part of the Assistant (mixed in there; its front ends: `track`, `figures --by-year`,
    the 对比 → 历年 page and the chat's 承诺/这几年 questions)."""

    settings: Settings
    store: ReportStore

    def series(self):
        """Every series of the library (one place, one body, one kind of report), the longest first."""
        from assistant.documents.series import series_of

        return series_of(self.store.reports())

    def series_for(self, ref: str):
        """The series a place, body or file names; of several (a place's 法治政府 reports and its 政府工作报告),
        the 法治政府建设年度报告 one, else the longest. The others are named in the error when none fits."""
        from assistant.documents.series import series_named

        ref = (ref or "").strip()
        if not ref:
            raise UsageError("请指定地区（如 --region 桐溪区）")
        metas = self.store.reports()
        if not metas:
            raise UsageError("报告库为空，请先导入报告")
        found = series_named(metas, ref)
        if not found:
            places = "、".join(dict.fromkeys(s.place for s in self.series())) or "无"
            raise UsageError(f"报告库中没有“{ref}”的报告；可选地区：{places}")
        annual = [s for s in found if s.doc_type == DocType.ANNUAL_REPORT.value]
        return (annual or found)[0]

    def track(self, region: str, years: list[int] | None = None):
        """The commitments of `region`'s reports, each year's against the next year's report (only the
        rounds touching `years` when given), cited on both sides."""
        from assistant.documents.tracking import track
        from assistant.store.vectors import VectorStoreUnavailable, keyword_only_note

        chosen = self.series_for(region)
        try:
            return track(self.store, chosen, years)
        except VectorStoreUnavailable as exc:
            result = track(self.store.without_vectors(), chosen, years)
            result.notes.append(keyword_only_note(exc))
            return result

    def figures_by_year(self, region: str, indicator: str | None = None):
        """`region`'s key figures as series by year (only the indicators `indicator` names when given)."""
        from assistant.documents.figure_series import figure_series, indicators_named

        chosen = self.series_for(region)
        wanted = None
        if indicator:
            wanted = indicators_named(indicator)
            if not wanted:
                from assistant.documents.figures import INDICATORS

                raise UsageError(f"未知指标“{indicator}”；可用指标：{'、'.join(i.name for i in INDICATORS)}")
        return figure_series(self.store.library, chosen, wanted)
