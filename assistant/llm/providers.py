"""LLM providers behind one interface, each a small class chosen by RA_LLM_PROVIDER.

All speak through llama-index's OpenAI / OpenAILike classes over an openai SDK client we build, so
that retries and timeouts are the SDK's own: it retries 408/409/429/5xx, timeouts and refused
connections `llm_max_retries` times with backoff, honours a server's Retry-After, and never retries
401/403/404 (llama-index's own retry loop is switched off so nothing is retried twice). Every call
streams: `llm_timeout` then bounds the silence between two pieces, not the length of an answer, and
a watchdog gives up once the model has not started within `llm_total_timeout` seconds, retries
included, so a hung model costs the user that long and no more.

Reasoning models (DeepSeek-R1, Qwen3, served by DeepSeek, DashScope, Ollama or vLLM) send their
thinking as `reasoning_content` deltas or as <think>…</think> inside the content: it comes out as
`Delta(reasoning=True)`, never as answer text (llm/reasoning.py).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from assistant.config.settings import LLMProviderName, Settings
from assistant.llm.messages import Message
from assistant.llm.reasoning import Delta, ThinkSplitter

# Seconds to open a connection: a server that cannot be reached says so at once.
CONNECT_TIMEOUT = 5.0


class ProviderError(RuntimeError):
    """The LLM could not be used; `reason` is one plain line for the user (never the API key)."""

    def __init__(self, reason: str, retryable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass
class Reply:
    text: str  # the answer, without any reasoning
    reasoning: str  # the model's thinking ('' for models that do not show it)


class LLMProvider:
    """One chat model. Subclasses only say how to build the llama-index LLM around our SDK client."""

    name: ClassVar[str]

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model = settings.llm_model
        self.llm = self.build(settings, self._client(settings))

    def build(self, settings: Settings, client):  # pragma: no cover - abstract (a llama-index LLM)
        raise NotImplementedError

    @staticmethod
    def _client(settings: Settings):
        import httpx
        import openai

        return openai.OpenAI(api_key=_key(settings), base_url=settings.llm_base_url, max_retries=settings.llm_max_retries,
                             timeout=httpx.Timeout(settings.llm_timeout, connect=min(CONNECT_TIMEOUT, settings.llm_timeout)))

    def stream_parts(self, messages: list[Message]) -> Iterator[Delta]:
        """Answer and reasoning pieces as they arrive; ProviderError when the model fails or stalls."""
        pieces: queue.Queue = queue.Queue()
        stop = threading.Event()
        worker = threading.Thread(target=self._pump, args=(messages, pieces, stop), daemon=True)
        worker.start()
        deadline = time.monotonic() + self.settings.llm_total_timeout
        started = False
        splitter = ThinkSplitter()
        try:
            while True:
                wait = self.settings.llm_timeout if started else deadline - time.monotonic()
                try:
                    kind, value = pieces.get(timeout=max(wait, 0.0))
                except queue.Empty:
                    raise self._stalled(started) from None
                if kind == "error":
                    raise translate(value, self.settings) from value
                if kind == "done":
                    yield from splitter.finish()
                    return
                started = True
                yield from (splitter.feed(value.text) if not value.reasoning else [value])
        finally:
            stop.set()

    def _pump(self, messages: list[Message], pieces: queue.Queue, stop: threading.Event) -> None:
        """Runs in a worker thread: the SDK call, its retries and its stream, piece by piece."""
        try:
            stream = self.llm.stream_chat(_chat_messages(messages))
            for chunk in stream:
                if stop.is_set():
                    stream.close()
                    return
                thinking = (chunk.additional_kwargs or {}).get("thinking_delta")
                if thinking:
                    pieces.put(("piece", Delta(thinking, reasoning=True)))
                if chunk.delta:
                    pieces.put(("piece", Delta(chunk.delta)))
            pieces.put(("done", None))
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread, translated there
            pieces.put(("error", exc))

    def _stalled(self, started: bool) -> ProviderError:
        where = self.settings.llm_base_url or "the OpenAI API"
        if started:
            return ProviderError(f"大模型服务在回答中途停顿超过 {self.settings.llm_timeout:g} 秒：{where}")
        return ProviderError(f"大模型服务在 {self.settings.llm_total_timeout:g} 秒内没有开始回答（含重试）：{where}",
                             retryable=True)

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Answer text as it arrives (reasoning left out)."""
        for delta in self.stream_parts(messages):
            if not delta.reasoning:
                yield delta.text

    def reply(self, messages: list[Message]) -> Reply:
        """The whole reply: answer and reasoning apart."""
        answer, reasoning = [], []
        for delta in self.stream_parts(messages):
            if delta.retract:
                answer.clear()
            (reasoning if delta.reasoning else answer).append(delta.text)
        return Reply("".join(answer).strip(), "".join(reasoning).strip())

    def complete(self, messages: list[Message]) -> str:
        return self.reply(messages).text


def _chat_messages(messages: list[Message]) -> list:
    """Our messages as llama-index's (imported here: only a configured LLM pays for llama-index)."""
    from llama_index.core.llms import ChatMessage, MessageRole

    return [ChatMessage(role=MessageRole(m.role), content=m.content) for m in messages]


def _key(settings: Settings) -> str:
    return settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"


class OpenAIProvider(LLMProvider):
    name = LLMProviderName.OPENAI.value

    def build(self, settings: Settings, client):
        from llama_index.llms.openai import OpenAI

        return OpenAI(model=settings.llm_model, api_key=_key(settings), api_base=settings.llm_base_url,
                      temperature=settings.llm_temperature, max_retries=0, openai_client=client,
                      max_tokens=settings.llm_max_answer_tokens)


class OpenAICompatibleProvider(LLMProvider):
    name = LLMProviderName.OPENAI_COMPATIBLE.value

    def build(self, settings: Settings, client):
        from llama_index.llms.openai_like import OpenAILike

        if not settings.llm_base_url:
            raise ProviderError("未填写大模型服务地址（RA_LLM_BASE_URL）：兼容 OpenAI 的服务需要它的地址，例如 http://127.0.0.1:11434/v1")
        return OpenAILike(model=settings.llm_model, api_base=settings.llm_base_url, api_key=_key(settings),
                          is_chat_model=True, context_window=settings.context_window(),
                          temperature=settings.llm_temperature, max_retries=0, openai_client=client,
                          max_tokens=settings.llm_max_answer_tokens)


PROVIDERS: dict[str, type[LLMProvider]] = {p.name: p for p in (OpenAIProvider, OpenAICompatibleProvider)}


def make_provider(settings: Settings) -> LLMProvider | None:
    """The configured provider, or None when answers are extractive (RA_LLM_PROVIDER=none)."""
    if settings.llm_provider == LLMProviderName.NONE:
        return None
    return PROVIDERS[settings.llm_provider.value](settings)


def translate(exc: Exception, settings: Settings) -> ProviderError:
    """One readable line for any failure of the provider, after the SDK's own retries."""
    import openai

    where = settings.llm_base_url or "the OpenAI API"
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, openai.AuthenticationError):
        return ProviderError(f"大模型服务拒绝了密钥（401），请检查 RA_LLM_API_KEY（{where}）")
    if isinstance(exc, openai.PermissionDeniedError):
        return ProviderError(f"大模型服务拒绝访问（403）：{where}")
    if isinstance(exc, openai.NotFoundError):
        return ProviderError(f"大模型服务找不到模型“{settings.llm_model}”或接口（404）：{where}")
    if isinstance(exc, openai.RateLimitError):
        return ProviderError(f"大模型服务限流（429），重试后仍失败：{where}", retryable=True)
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError(f"大模型服务在 {settings.llm_timeout:g} 秒内没有响应：{where}", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"无法连接 大模型服务：{where}", retryable=True)
    if isinstance(exc, openai.InternalServerError):
        return ProviderError(f"大模型服务内部错误（{getattr(exc, 'status_code', '5xx')}），重试后仍失败：{where}", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        return ProviderError(f"大模型服务返回错误（{exc.status_code}）：{where}")
    return ProviderError(f"大模型调用失败：{exc.__class__.__name__}")
