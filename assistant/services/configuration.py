"""Configuration services: the status shown, the LLM settings set from the page, answer feedback."""

from __future__ import annotations

import time

from assistant.answering.answer import Answer
from assistant.config import saved_llm
from assistant.config.settings import Settings
from assistant.errors import UsageError
from assistant.llm.providers import LLMProvider, ProviderError, make_provider
from assistant.retrieval.hybrid import elapsed_ms
from assistant.store.feedback import FeedbackLog, FeedbackRecord
from assistant.store.report_store import ReportStore


class ConfigurationServices:
    """The configuration's part of the Assistant (mixed in there)."""

    settings: Settings
    store: ReportStore
    provider: LLMProvider | None
    provider_error: str | None
    feedback_log: FeedbackLog

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

    def status_rows(self, with_paths: bool = False) -> list[tuple[str, str]]:
        """The status as Chinese label and value, as the settings page and `status` print it; the folders
        only for the command line (the page never shows a server path)."""
        info, s = self.status(), self.settings
        embedding = {"none": "不使用（仅关键词检索）", "local": "内置 multilingual-e5-small（本机运行）"}.get(
            s.embedding_provider.value, f"{s.embedding_model}（向量接口）")
        store = f"Chroma 服务 {s.chroma_host}:{s.chroma_port}" if s.chroma_host else "本机内置向量库"
        answering = f"大模型生成（{info['llm_model']}）" if self.provider else "离线摘录（不使用大模型）"
        records = "PostgreSQL（多个应用副本共享）" if self.store.library.db.shared else "本机数据库文件（数据目录中）"
        rows = [("报告", f"{info['reports']} 份"), ("段落", str(info["paragraphs"])), ("检索块", str(info["chunks"])),
                ("记录库", records), ("向量模型", embedding), ("向量库", store), ("回答方式", answering)]
        waiting = self.store.library.queue_length() if self.store.vectors is not None else 0
        if waiting:
            rows.append(("待建向量", f"{waiting} 块（已可按关键词检索）"))
        if self.provider and info.get("llm_base_url"):
            rows.append(("大模型地址", info["llm_base_url"]))
        if info.get("llm_problem"):
            rows.append(("大模型问题", info["llm_problem"]))
        if with_paths:
            if not s.chroma_host:
                rows.append(("向量库位置", str(s.chroma_path)))
            rows.append(("数据目录", str(s.data_dir)))
        return rows

    def check_llm(self, candidate: dict[str, str | None] | None = None) -> tuple[bool, str]:
        """Send one tiny request to the configured LLM, or to `candidate` LLM settings not yet applied."""
        provider, problem = self.provider, self.provider_error
        if candidate is not None:
            try:
                provider, problem = make_provider(saved_llm.candidate(self.settings, candidate, llm_max_retries=0)), None
            except ProviderError as exc:
                provider, problem = None, exc.reason
        if provider is None:
            return False, problem or "未配置大模型（现在是离线摘录模式）：请先选择大模型服务，填写地址和模型名称"
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
