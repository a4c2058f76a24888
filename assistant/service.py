"""The service functions every front end calls (CLI today, the Gradio app, tests): no logic lives elsewhere."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.loading import file_sha256
from ingest.model import DocType, ReportMeta
from ingest.text import replace_years
from ingest.pipeline import EDITABLE_FIELDS

from assistant.answering.answer import Answer
from assistant.answering.conversation import Turn, rewrite
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.generative import GenerativeAnswerer
from assistant.config import saved_llm
from assistant.errors import UsageError
from assistant.store.corrections import check_corrections
from assistant.config.settings import Settings
from assistant.llm.providers import LLMProvider, ProviderError, make_provider
from assistant.retrieval.hybrid import Retrieval, elapsed_ms, retrieve
from assistant.store.feedback import FeedbackLog, FeedbackRecord
from assistant.store.ingestion import DUPLICATE, FileResult, IngestProgress, collect_files, ingest_files
from assistant.store.library import ReportRecord
from assistant.store.report_store import ReportStore
from assistant.store.uploads import check_upload, drop_version, pending_versions, place_upload, take_version
from assistant.store.vectors import VectorStoreUnavailable

log = logging.getLogger("report-assistant.service")


@dataclass
class LibraryRow:
    meta: ReportMeta
    paragraphs: int
    chunks: int
    chars: int
    source_path: str

    def to_dict(self) -> dict:
        return {**self.meta.to_dict(), "needs_review": self.meta.needs_review, "paragraphs": self.paragraphs,
                "chunks": self.chunks, "chars": self.chars, "source_path": self.source_path}


class Assistant:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = ReportStore(settings)
        self.feedback_log = FeedbackLog(settings.library_path)
        self.provider: LLMProvider | None = None
        self.provider_error: str | None = None
        try:
            self.provider = make_provider(settings)
        except ProviderError as exc:  # a misconfigured LLM must not stop offline answers
            self.provider_error = exc.reason

    def close(self) -> None:
        self.store.close()

    # --- library -------------------------------------------------------------------------------
    def ingest(self, paths: list[Path], progress: IngestProgress | None = None, replace: bool = False) -> list[FileResult]:
        """Import files and folders; `replace` lets a file replace a stored report of its name with other content."""
        files, refused = collect_files(paths, self.settings.upload_max_mb)
        return refused + ingest_files(self.store, files, progress, replace)

    def library(self) -> list[LibraryRow]:
        return [_row(r) for r in self.store.library.reports()]

    def set_metadata(self, report: str, fields: dict[str, str]) -> ReportMeta:
        name = self._name(report)
        unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
        if unknown:
            raise UsageError(f"无法修改字段 {', '.join(unknown)}；可修改：{', '.join(EDITABLE_FIELDS)}")
        fields = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in fields.items()}
        check_corrections(fields)
        return self.store.correct(name, fields)

    def remove(self, report: str) -> None:
        name = self._name(report)
        self.store.remove(name)

    def reindex(self, progress: IngestProgress | None = None) -> list[FileResult]:
        """Parse and index every stored report again from its source file (after a parser upgrade)."""
        records = self.store.library.reports()
        paths = [Path(r.source_path) for r in records]
        for record in records:
            if Path(record.source_path).exists():
                self.store.library.forget_hash(record.meta.name)
        return ingest_files(self.store, paths, progress, replace=True)

    def ingest_uploads(self, files: list[tuple[str, Path]], progress: IngestProgress | None = None) -> list[FileResult]:
        """Store uploaded files (original name, temporary path) under the data directory and ingest them.

        Results come in the order of `files`. Content already stored (under any name, or earlier in
        this batch) is not stored again; a file whose name a report with other content holds waits as
        a new version (see pending_versions / accept_version).
        """
        uploads = self.settings.uploads_dir
        results: dict[int, FileResult] = {}
        accepted: list[tuple[int, Path]] = []
        seen: dict[str, str] = {}  # content hash → name, within this batch
        for index, (original, temp) in enumerate(files):
            name, refusal = check_upload(original, temp, self.settings.upload_max_mb)
            sha = file_sha256(temp.read_bytes()) if refusal is None else ""
            if refusal is None and sha in seen:
                refusal = FileResult(original, name, DUPLICATE, f"已存在，与本次上传的 {seen[sha]} 内容相同")
            placement = place_upload(self.store, uploads, name, temp) if refusal is None else None
            if placement is not None and placement.path is not None:
                accepted.append((index, placement.path))
                seen[sha] = name
            else:
                results[index] = refusal or placement.result  # type: ignore[union-attr]
        done = ingest_files(self.store, [path for _, path in accepted], progress)
        results.update({index: result for (index, _), result in zip(accepted, done)})
        return [results[i] for i in sorted(results)]

    def pending_versions(self) -> list[str]:
        """Reports with an uploaded new version waiting for the user to replace or discard it."""
        return pending_versions(self.settings.uploads_dir)

    def accept_version(self, report: str, progress: IngestProgress | None = None) -> FileResult:
        """Replace a report with its waiting new version (the user said so)."""
        try:
            path = take_version(self.settings.uploads_dir, report)
        except FileNotFoundError as exc:
            raise UsageError(f"没有待确认的新版本：{Path(report).name}") from exc
        return ingest_files(self.store, [path], progress, replace=True)[0]

    def discard_version(self, report: str) -> None:
        if not drop_version(self.settings.uploads_dir, report):
            raise UsageError(f"没有待确认的新版本：{Path(report).name}")

    def select_reports(self, names: list[str] | None = None, regions: list[str] | None = None,
                       years: list[int] | None = None) -> list[str] | None:
        """The report files matching every given filter, or None when no filter is given (all reports)."""
        if not (names or regions or years):
            return None
        return [m.name for m in self.store.reports()
                if (not names or m.name in names) and (not regions or m.region in regions or set(m.aliases) & set(regions))
                and (not years or m.year in years)]

    def status(self) -> dict:
        """What the settings page and `report-assistant status` show; never the API key."""
        s = self.settings
        rows = self.library()
        return {
            "llm_provider": s.llm_provider.value,
            "llm_model": s.llm_model if self.provider else None,
            "llm_base_url": s.llm_base_url if self.provider else None,
            "llm_problem": self.provider_error,
            "embedding": self.store.model_id,
            "store": f"chroma server {s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.chroma_path),
            "data_dir": str(s.data_dir),
            "reports": len(rows),
            "paragraphs": sum(r.paragraphs for r in rows),
            "chunks": sum(r.chunks for r in rows),
        }

    def check_llm(self, candidate: dict[str, str | None] | None = None) -> tuple[bool, str]:
        """Send one tiny request to the configured LLM, or to `candidate` LLM settings not yet applied."""
        provider, problem = self.provider, self.provider_error
        if candidate is not None:
            try:
                provider, problem = make_provider(saved_llm.candidate(self.settings, candidate, llm_max_retries=0)), None
            except ProviderError as exc:
                provider, problem = None, exc.reason
        if provider is None:
            return False, problem or "未配置 LLM（RA_LLM_PROVIDER=none），使用离线摘录模式"
        from assistant.llm.messages import user

        started = time.perf_counter()
        try:
            reply = provider.complete([user("请只回复“好”。")])
        except ProviderError as exc:
            return False, exc.reason
        return True, f"{provider.model} 已响应（{elapsed_ms(started):.0f} ms）：{reply.strip()[:40]}"

    # --- LLM settings from the app ---------------------------------------------------------------
    def llm_settings(self) -> dict:
        """What the settings page shows: values in use (never the key itself), whether a key is set,
        and which fields environment variables set (those cannot be changed from the page)."""
        s = self.settings
        return {"llm_provider": s.llm_provider.value, "llm_base_url": s.llm_base_url or "", "llm_model": s.llm_model,
                "key_set": s.llm_api_key is not None and bool(s.llm_api_key.get_secret_value()),
                "locked": saved_llm.locked_fields(), "problem": self.provider_error}

    def apply_llm_settings(self, values: dict[str, str | None]) -> None:
        """Use new LLM settings at once (no restart) and save them in the data directory.

        `values` holds any of saved_llm.FIELDS; a key of None keeps the current key. Fields set by an
        environment variable are refused: the environment wins, as at start-up.
        """
        candidate = saved_llm.candidate(self.settings, values)
        try:
            provider = make_provider(candidate)
        except ProviderError as exc:
            raise UsageError(exc.reason) from exc
        saved_llm.save(self.settings.llm_file, saved_llm.savable(candidate))
        self.settings, self.provider, self.provider_error = candidate, provider, None

    # --- answer feedback -------------------------------------------------------------------------
    def record_feedback(self, answer: Answer, rating: str, note: str = "", user: str | None = None,
                        feedback_id: int | None = None) -> int:
        """Keep a user's 👍/👎 (and note) on an answer with its question and citations; returns its id."""
        return self.feedback_log.record(answer, rating, note.strip(), user, feedback_id)

    def feedback(self) -> list[FeedbackRecord]:
        return self.feedback_log.all()

    # --- comparisons, figures, plans -------------------------------------------------------------
    def resolve_reports(self, refs: list[str] | None) -> list[ReportMeta]:
        """Reports named by file name (or path) or by region; none named means all of them."""
        metas = self.store.reports()
        if not refs:
            return metas
        chosen: list[ReportMeta] = []
        for ref in refs:
            name = Path(ref).name
            found = [m for m in metas if m.name == name or m.region == ref or ref in m.aliases]  # 长阳县 → 长阳土家族自治县
            if not found:
                raise UsageError(f"报告库中没有名为“{ref}”的报告或地区")
            chosen.extend(m for m in found if m not in chosen)
        return chosen

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

        if indicator and indicator not in {i.name for i in INDICATORS}:
            raise UsageError(f"未知指标“{indicator}”；可用指标：{'、'.join(i.name for i in INDICATORS)}")
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
        answer.notes.append("按报告摘要回答（一页）；详细摘要可在报告库页面或用 summary 命令导出。")
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
        return [f"未使用 LLM：{self.provider_error}"] if self.provider is None and self.provider_error else []

    def _lexical_if_down(self, make):
        """Run `make(store)`; when the Chroma server is lost, again on the keyword index alone, saying so."""
        try:
            return make(self.store)
        except VectorStoreUnavailable as exc:
            log.warning("vector store lost, keyword search only: %s", exc.reason)
            result = make(self.store.without_vectors())
            result.notes.append(_keyword_only(exc))
            return result

    def _name(self, report: str) -> str:
        name = Path(report).name
        if self.store.library.report(name) is None:
            raise UsageError(f"报告库中没有名为 {name} 的报告")
        return name

    # --- questions -----------------------------------------------------------------------------
    def retrieve(self, question: str, reports: list[str] | None = None, top_k: int | None = None) -> Retrieval:
        return self._retrieve(question, reports, top_k)[0]

    def _retrieve(self, question: str, reports: list[str] | None, top_k: int | None = None,
                  store: ReportStore | None = None) -> tuple[Retrieval, str | None]:
        """Hybrid retrieval, or keyword retrieval alone with a note saying so when Chroma is lost."""
        try:
            return retrieve(store or self.store, question, top_k, reports), None
        except VectorStoreUnavailable as exc:
            log.warning("vector store lost, keyword search only: %s", exc.reason)
            return retrieve(self.store.without_vectors(), question, top_k, reports), _keyword_only(exc)

    def ask(self, question: str, reports: list[str] | None = None, history: list[Turn] | None = None) -> Answer:
        """The whole answer at once (the stream, consumed)."""
        answer = None
        for item in self.ask_stream(question, reports, history):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(self, question: str, reports: list[str] | None = None,
                   history: list[Turn] | None = None) -> Iterator[str | Answer]:
        """Text deltas while an LLM writes, then the final, citation-checked Answer (always last).

        Without an LLM, or when it fails, the extractive answer is the final item; a failure says why
        in `fallback_reason`. Follow-ups are rewritten from this conversation's `history` only.
        """
        started = time.perf_counter()
        metas = self.store.reports()
        standalone, note = rewrite(question, history or [], metas, self.provider, self.settings.history_turns)
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
        if note:
            answer.notes.append(note)
        if retrieval.scope.uncertain_regions:
            answer.notes.append(f"{'、'.join(retrieval.scope.uncertain_regions)}的地区信息待确认，已在全部报告中检索")
        if degraded:
            answer.notes.append(degraded)
        answer.timings_ms = {**retrieval.timings_ms, **answer.timings_ms, "total": elapsed_ms(started)}
        yield answer

    @staticmethod
    def _summary_scope(question: str, metas: list[ReportMeta], reports: list[str] | None) -> list[ReportMeta] | None:
        """The reports a chat message asks to summarise (总结/概括/摘要/主要内容), or None for a question."""
        from assistant.documents.summary_request import summary_scope

        pool = [m for m in metas if reports is None or m.name in reports]
        return summary_scope(question, pool) if pool else None

    def answer_from(self, retrieval: Retrieval) -> Answer:
        """Answer from passages already retrieved (eval measures the two steps apart)."""
        t0 = time.perf_counter()
        answerer = ExtractiveAnswerer(self.store.lexical(), self.settings.answer_sentences)
        answer = answerer.answer(retrieval, self.store.library.paragraphs)
        if answer.refused and not answer.citations and retrieval.question.regions and retrieval.scope.restricted:
            self._add_other_region_hit(answer, retrieval, answerer)
        answer.timings_ms = {**retrieval.timings_ms, "answer": elapsed_ms(t0)}
        return answer

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


def reset_store(settings: Settings) -> None:
    """Delete everything the store holds (for `ingest --rebuild` after changing the embedding model)."""
    if settings.chroma_host:
        from assistant.store.vectors import chroma_client

        client = chroma_client(settings)
        if settings.collection in [c.name for c in client.list_collections()]:
            client.delete_collection(settings.collection)
    else:
        shutil.rmtree(settings.chroma_path, ignore_errors=True)
    for path in (settings.library_path, settings.library_path.with_name(settings.library_path.name + "-wal"),
                 settings.library_path.with_name(settings.library_path.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(settings.lexical_dir, ignore_errors=True)


def _keyword_only(exc: VectorStoreUnavailable) -> str:
    return f"{exc.reason}：本次仅按关键词检索，结果可能不全"


def _row(record: ReportRecord) -> LibraryRow:
    return LibraryRow(record.meta, record.paragraphs, record.chunks, record.chars, record.source_path)

