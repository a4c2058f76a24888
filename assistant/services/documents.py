"""Document services: comparisons, key figures, work plans and summaries drafted from the reports."""

from __future__ import annotations

import logging
import time

from ingest.model import DocType, ReportMeta

from assistant.answering.answer import Answer
from assistant.config.settings import Settings
from assistant.errors import UsageError
from assistant.llm.providers import LLMProvider
from assistant.retrieval.hybrid import elapsed_ms
from assistant.store.report_store import ReportStore
from assistant.store.vectors import VectorStoreUnavailable, keyword_only_note

log = logging.getLogger("report-assistant.service")


class DocumentServices:
    """The drafted documents' part of the Assistant (mixed in there, beside LibraryServices which
    resolves the reports named)."""

    settings: Settings
    store: ReportStore
    provider: LLMProvider | None
    provider_error: str | None


    def compare(self, refs: list[str] | None = None, topic: str | None = None, progress=None):
        """Reports side by side (all annual reports when none is named); with an LLM its cells are
        rewritten in parallel, `progress(done, total, what)` told after each."""
        from assistant.documents.comparison import compare

        reports, skipped = self._annual_reports(refs)
        if not reports:
            raise UsageError("报告库为空，请先导入报告")
        started = time.perf_counter()
        writer = self._writer(progress)
        result = self._lexical_if_down(lambda store: compare(store, reports, topic or None, writer))
        result.notes[:0] = skipped + self._llm_notes()
        result.timings = {"total_ms": elapsed_ms(started), "llm_calls": writer.calls if writer else 0}
        return result

    def figures(self, refs: list[str] | None = None, indicator: str | None = None, include_all_types: bool = False):
        """Key figures of the chosen reports; documents that are not 法治政府建设年度报告 (a court's 行政审判
        report, a 信息公开 report) give none unless `include_all_types`."""
        from assistant.documents.figures import INDICATORS, extract

        names = [i.name for i in INDICATORS]
        if indicator and indicator not in names:
            matching = [n for n in names if indicator in n]  # 法律援助 → 法律援助案件 when only one holds it
            if len(matching) != 1:
                raise UsageError(f"未知指标“{indicator}”；可用指标：{'、'.join(matching or names)}")
            indicator = matching[0]
        found = [f for m in self.resolve_reports(refs)
                 for f in extract(m, self.store.library.paragraphs(m.name), include_all_types)]
        return [f for f in found if not indicator or f.indicator == indicator]

    def plan(self, ref: str, year: int | None = None, progress=None):
        """Next year's 工作要点 for one report; with an LLM each task is rewritten in parallel."""
        from assistant.documents.plans import draft_plan

        reports = self.resolve_reports([ref])
        if len(reports) != 1:
            raise UsageError(f"“{ref}”对应 {len(reports)} 份报告，请指定其中一个文件")
        started = time.perf_counter()
        writer = self._writer(progress)
        result = self._lexical_if_down(lambda store: draft_plan(store, reports[0], year, writer))
        result.notes[:0] = self._llm_notes()
        result.timings = {"total_ms": elapsed_ms(started), "llm_calls": writer.calls if writer else 0}
        return result

    def summarize(self, refs: list[str] | None = None, length: str = "一页", progress=None):
        """A cited summary of reports named by file or region (all when none is named): work by area with
        its figures, highlights, problems, next steps. `length` is 一页 or 详细."""
        from assistant.documents.summary import Length, summarize

        try:
            chosen_length = Length(length)
        except ValueError as exc:
            raise UsageError(f"摘要长度只能是 {'、'.join(x.value for x in Length)}，而不是“{length}”") from exc
        reports = self.resolve_reports(refs)
        if not reports:
            raise UsageError("报告库为空，请先导入报告")
        started = time.perf_counter()
        writer = self._writer(progress)
        result = self._lexical_if_down(lambda store: summarize(store, reports, chosen_length, writer))
        result.notes[:0] = self._llm_notes()
        result.timings = {"total_ms": elapsed_ms(started), "llm_calls": writer.calls if writer else 0}
        return result

    def _summary_answer(self, question: str, scope: list[ReportMeta]) -> Answer:
        """A chat request for a summary (请总结…报告的主要内容), answered by the one-page summary."""
        from assistant.documents.summary import summary_text
        from assistant.documents.summary_request import MAX_CHAT_REPORTS

        chosen = scope[:MAX_CHAT_REPORTS]
        summary = self.summarize([m.name for m in chosen])
        answer = Answer(question=question, answer=summary_text(summary), mode=summary.mode, refused=False,
                        citations=summary.citations, notes=list(summary.notes), model=summary.model, checks=summary.checks)
        answer.notes.append("按报告摘要回答（一页）；详细摘要可在“报告库”页的“报告摘要”中生成并下载。")
        if len(scope) > len(chosen):
            answer.notes.append(f"共有 {len(scope)} 份报告，仅摘要前 {len(chosen)} 份；请指明地区或年份。")
        return answer

    def _annual_reports(self, refs: list[str] | None) -> tuple[list[ReportMeta], list[str]]:
        """Named reports as named; with none named, the annual reports only (look-alikes such as a court's
        white paper or a 信息公开 report are left out unless the user names them), and a note saying so."""
        reports = self.resolve_reports(refs)
        if refs:
            return reports, []
        annual = [m for m in reports if m.doc_type == DocType.ANNUAL_REPORT.value]
        others = [m for m in reports if m not in annual]
        note = [f"未纳入非年度报告：{'、'.join(f'{m.label()}（{m.doc_type}）' for m in others)}；需要时请指名加入。"] if others else []
        return annual, note

    def _writer(self, progress=None):
        """The LLM writer for drafted documents, or None when they are extractive."""
        if self.provider is None:
            return None
        from assistant.documents.generation import Writer

        return Writer(self.provider, self.settings, progress)

    def _llm_notes(self) -> list[str]:
        return [f"未使用大模型：{self.provider_error}"] if self.provider is None and self.provider_error else []

    def _lexical_if_down(self, make):
        """Run `make(store)`; when the Chroma server is lost, again on the keyword index alone, saying so."""
        try:
            return make(self.store)
        except VectorStoreUnavailable as exc:
            log.warning("vector store lost, keyword search only: %s", exc.reason)
            result = make(self.store.without_vectors())
            result.notes.append(keyword_only_note(exc))
            return result
