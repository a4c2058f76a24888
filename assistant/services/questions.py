"""Question services: retrieval, answers (LLM or extractive), follow-ups, and near answers when the reports are silent."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from ingest.model import DocType, ReportMeta
from ingest.text import replace_years

from assistant.answering.answer import Answer
from assistant.errors import UsageError
from assistant.answering.conversation import Turn, rewrite
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.scorer import SentenceScorer
from assistant.answering.generative import GenerativeAnswerer
from assistant.config.settings import Settings
from assistant.llm.providers import LLMProvider, ProviderError
from assistant.retrieval.hybrid import Retrieval, elapsed_ms, retrieve
from assistant.retrieval.linear import LinearModel
from assistant.store.report_store import ReportStore
from assistant.store.vectors import VectorStoreUnavailable, keyword_only_note

log = logging.getLogger("report-assistant.service")
# How an answer's note about reports searched by their words alone begins (the app shows it under 详情).
VECTORS_PENDING = "向量尚未建完"
NAMED_PENDING = 3


class QuestionServices:
    """The questions' part of the Assistant (mixed in there, beside DocumentServices whose summary
    answers a request to summarise)."""

    settings: Settings
    store: ReportStore
    provider: LLMProvider | None
    provider_error: str | None
    # The fitted models used instead of those in fitted/ (eval sets them to measure models fitted without
    # the question set being measured: leave-one-set-out).
    passage_model: LinearModel | None = None
    sentence_model: LinearModel | None = None


    def retrieve(self, question: str, reports: list[str] | None = None, top_k: int | None = None) -> Retrieval:
        return self._retrieve(question, reports, top_k)[0]

    def _retrieve(self, question: str, reports: list[str] | None, top_k: int | None = None,
                  store: ReportStore | None = None) -> tuple[Retrieval, str | None]:
        """Hybrid retrieval, or keyword retrieval alone with a note saying so when Chroma is lost."""
        try:
            return retrieve(store or self.store, question, top_k, reports, self.passage_model), None
        except VectorStoreUnavailable as exc:
            log.warning("vector store lost, keyword search only: %s", exc.reason)
            return retrieve(self.store.without_vectors(), question, top_k, reports, self.passage_model), keyword_only_note(exc)

    def ask(self, question: str, reports: list[str] | None = None, history: list[Turn] | None = None,
            scope_note: str | None = None) -> Answer:
        """The whole answer at once (the stream, consumed)."""
        answer = None
        for item in self.ask_stream(question, reports, history, scope_note):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(self, question: str, reports: list[str] | None = None, history: list[Turn] | None = None,
                   scope_note: str | None = None) -> Iterator[str | Answer]:
        """Text deltas while an LLM writes, then the final, citation-checked Answer (always last).

        Without an LLM, or when it fails, the extractive answer is the final item; a failure says why
        in `fallback_reason`. Follow-ups are rewritten from this conversation's `history` only.
        `scope_note` (a report filter that matched nothing: see choose_reports) is said on the answer.
        """
        if not question or not question.strip():
            raise UsageError("请输入问题")
        started = time.perf_counter()
        metas = self.store.reports()
        standalone, note = rewrite(question, history or [], metas, self.provider, self.settings.history_turns)
        across = self._years_request(standalone, metas, reports)
        if across is not None:
            answer = self._years_answer(question, across)
            answer.standalone_question = standalone if standalone != question else None
            answer.notes.extend(n for n in (scope_note, note) if n)
            answer.timings_ms = {"total": elapsed_ms(started)}
            yield answer
            return
        summary_scope = self._summary_scope(standalone, metas, reports)
        if summary_scope:
            answer = self._summary_answer(question, summary_scope)
            answer.standalone_question = standalone if standalone != question else None
            answer.timings_ms = {"total": elapsed_ms(started)}
            yield answer
            return
        retrieval, degraded = self._retrieve(standalone, reports)
        answer: Answer | None = None
        reason = self.provider_error
        if self.provider is not None and retrieval.passages:
            try:
                for item in GenerativeAnswerer(self.provider, self.settings).stream(standalone, retrieval):
                    if isinstance(item, Answer):
                        answer = item
                    else:
                        yield item
            except ProviderError as exc:
                reason = exc.reason
        if answer is None:
            answer = self.answer_from(retrieval)
            answer.fallback_reason = reason
        answer.question = question
        answer.standalone_question = standalone if standalone != question else None
        answer.notes.extend(n for n in (scope_note, note) if n)
        if retrieval.scope.plan_year and not answer.refused:
            planned = "、".join(f"{y}年" for y in retrieval.question.years)
            answer.notes.append(f"{planned}的安排写在上一年度报告的“下一步”部分，故引用{'、'.join(r.heading_label() for r in retrieval.scope.reports)}报告")
        if retrieval.scope.year_note:
            answer.notes.append(retrieval.scope.year_note)
        if retrieval.scope.each_report and not answer.refused:
            answer.notes.append(each_report_note(answer, len(retrieval.scope.reports)))
        if retrieval.scope.uncertain_regions:
            answer.notes.append(f"{'、'.join(retrieval.scope.uncertain_regions)}的地区信息为自动识别、待确认（可在报告库中核对）")
        if degraded:
            answer.notes.append(degraded)
        else:
            pending = self._vectors_pending(retrieval)
            if pending:
                answer.notes.append(pending)
        answer.timings_ms = {**retrieval.timings_ms, **answer.timings_ms, "total": elapsed_ms(started)}
        yield answer

    def _vectors_pending(self, retrieval: Retrieval) -> str | None:
        """Which searched reports were found by their words alone (their vectors are still being built)."""
        waiting = self.store.unembedded()
        pending = [(m, *waiting[m.name]) for m in retrieval.scope.reports if m.name in waiting]
        if not pending:
            return None
        named = "、".join(f"{m.label()}（已向量化 {done}/{total} 块）" for m, done, total in pending[:NAMED_PENDING])
        more = f"等 {len(pending)} 份报告" if len(pending) > NAMED_PENDING else ""
        return f"{VECTORS_PENDING}：{named}{more}，本次对其仅按关键词检索"

    @staticmethod
    def _years_request(question: str, metas: list[ReportMeta], reports: list[str] | None):
        """What a question about one place across the years asks (承诺落实了吗, 这几年怎么变的), or None."""
        from assistant.documents.years_request import years_request

        pool = [m for m in metas if reports is None or m.name in reports]
        return years_request(question, pool) if pool else None

    @staticmethod
    def _summary_scope(question: str, metas: list[ReportMeta], reports: list[str] | None) -> list[ReportMeta] | None:
        """The reports a chat message asks to summarise (总结/概括/摘要/主要内容), or None for a question."""
        from assistant.documents.summary_request import summary_scope

        pool = [m for m in metas if reports is None or m.name in reports]
        return summary_scope(question, pool) if pool else None

    def answer_from(self, retrieval: Retrieval) -> Answer:
        """Answer from passages already retrieved (eval measures the two steps apart)."""
        t0 = time.perf_counter()
        answerer = self.answerer()
        answer = answerer.answer(retrieval, self.store.library.paragraphs)
        question = retrieval.question
        whole_part = question.part is not None and not any(ask.terms for ask in question.asks)
        if answer.refused and not answer.citations and question.regions and retrieval.scope.restricted and not whole_part:
            self._add_other_region_hit(answer, retrieval, answerer)  # not for 存在哪些问题: others' lists are no answer
        answer.timings_ms = {**retrieval.timings_ms, "answer": elapsed_ms(t0)}
        return answer

    def answerer(self) -> ExtractiveAnswerer:
        scorer = SentenceScorer(self.sentence_model) if self.sentence_model is not None else None
        return ExtractiveAnswerer(self.store.lexical(), self.settings.answer, scorer)

    def _add_other_region_hit(self, answer: Answer, retrieval: Retrieval, answerer: ExtractiveAnswerer) -> None:
        """Nothing for the named region: say so, and offer what other regions' reports hold, as such."""
        in_scope = {m.name for m in retrieval.scope.reports}
        others = [m.name for m in self.store.reports() if m.name not in in_scope and m.doc_type == DocType.ANNUAL_REPORT]
        if not others:
            return
        question = retrieval.question.text
        for region in retrieval.question.regions:
            question = question.replace(region, "")
        question = replace_years(question)  # other regions' reports are of their own years
        near = answerer.answer(self._retrieve(question, others)[0], self.store.library.paragraphs)
        if near.refused or not near.citations:
            return
        answer.answer = f"{answer.answer}其他地区的报告中有相关内容，仅供参考：\n{near.answer}"
        answer.citations = near.citations
        answer.notes.append("所问地区的报告未提及，引用来自其他地区的报告")


def each_report_note(answer: Answer, searched: int) -> str:
    """What an answer listing each report's figure says about the reports it does not list."""
    cited = len({c.report for c in answer.citations})
    if cited == 1:
        return f"问题未指明地区；所查{searched}份报告中只有这一份写明了这一数字"
    return f"问题未指明地区：列出各报告写明的数字（所查{searched}份报告中{cited}份写明）"
