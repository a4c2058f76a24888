"""Services of one place across the years: its series of reports, the commitments kept, figures by year."""

from __future__ import annotations

from ingest.model import DocType

from assistant.answering.answer import Answer
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

    def _years_answer(self, question: str, request) -> Answer:
        """A chat question about one place across the years, answered from its series (commitments kept, or
        figures by year), every statement cited."""
        from assistant.documents.years_request import TRACK

        if request.series is None:
            places = "、".join(dict.fromkeys(s.place for s in request.choices)) or "无"
            example = request.choices[0].place if request.choices else "某区"
            return Answer(question, f"报告库中有多个地区的报告（{places}），请指明地区，例如“{example}"
                                    f"{'去年说要做的事今年做了吗' if request.kind == TRACK else '这几年的关键数字怎么变的'}？”", "extractive", True)
        if request.kind == TRACK:
            return self._track_answer(question, request)
        return self._trend_answer(question, request)

    def _track_answer(self, question: str, request) -> Answer:
        from assistant.documents.tracking import track, tracking_text

        result = self._lexical_if_down(lambda store: track(store, request.series, request.years or None))
        rounds = [c for c in result.rounds if c.next_report is not None]
        notes = list(result.notes)
        if (request.latest or not request.years) and len(rounds) > 1:
            notes.append(f"只列出最近一年（{rounds[-1].heading}）；历年情况见“对比 → 历年”或 report-assistant track --region "
                         f"{request.series.place}")
            rounds = rounds[-1:]
        if not rounds:
            return Answer(question, " ".join(result.notes) or f"{request.series.place}没有可核对的相邻年度报告。", "extractive", True,
                          notes=notes)
        text, citations = tracking_text(rounds)
        return Answer(question, text, "extractive", False, citations=citations, notes=notes)

    def _trend_answer(self, question: str, request) -> Answer:
        from assistant.answering.answer import CitationNumbering
        from assistant.documents.figure_series import figure_series

        found = figure_series(self.store.library, request.series, request.indicators or None)
        place = request.series.place
        rows = [r for r in found.rows if len(r.points) >= 2] or found.rows
        if not rows:
            asked = "、".join(request.indicators) or "关键数字"
            return Answer(question, f"{place}的报告中未提及{asked}的逐年数字（共 {len(request.series.reports)} 份报告："
                                    f"{request.series.years_text()}）。", "extractive", True)
        numbering = CitationNumbering()
        metas = {m.name: m for m in request.series.reports}
        lines = []
        for row in rows:
            steps = []
            for point in row.points:
                n = _cite_figure(self.store.library, metas[point.report], point, numbering)
                steps.append(f"{point.year}年{point.value}{point.unit}" + (f"[{n}]" if n else ""))
            moved = f"，{row.movement()}" if row.movement() else ""
            lines.append(f"{row.indicator}：{' → '.join(steps)}{moved}。")
        notes = [f"{place}报告年份：{request.series.years_text()}；每个数字取该年报告工作部分首次写明的数值。"]
        return Answer(question, f"{place}历年数字：\n" + "\n".join(lines), "extractive", False,
                      citations=list(numbering.items), notes=notes)


def _cite_figure(library, meta, point, numbering) -> int | None:
    """The citation number of a figure's sentence (its paragraph found by id, the sentence within it)."""
    paragraph = next((p for p in library.paragraphs(meta.name) if p.id == point.paragraph_id), None)
    if paragraph is None:
        return None
    start = paragraph.text.find(point.sentence)
    if start < 0:
        return None
    return numbering.add(meta, paragraph, start, start + len(point.sentence)).n
