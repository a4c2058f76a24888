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

import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from assistant.config.settings import LLMProviderName, Settings
from assistant.llm.messages import Message
from assistant.llm.reasoning import Delta, ThinkSplitter

log = logging.getLogger("report-assistant.llm")
# Seconds to open a connection: a server that cannot be reached says so at once.
CONNECT_TIMEOUT = 5.0
# How often the caller's thread looks whether a rate limit already rules out an answer in time.
POLL_S = 0.25
OPENAI_API = "OpenAI 官方接口"
BAD_KEY = ("大模型密钥无法使用：密钥只由英文字母、数字和符号组成，这里却含有中文、省略号（…）或空格等字符，不可能是有效的密钥。"
           "请粘贴服务商给出的完整密钥（RA_LLM_API_KEY 或“设置”页）。")


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
        if not _usable_key(_key(settings)):  # it would fail in the HTTP header as UnicodeEncodeError
            raise ProviderError(BAD_KEY)
        self.llm = self.build(settings, self._client(settings))

    def build(self, settings: Settings, client):  # pragma: no cover - abstract (a llama-index LLM)
        raise NotImplementedError

    @staticmethod
    def _client(settings: Settings):
        import httpx
        import openai

        http = openai.DefaultHttpxClient(event_hooks={"response": [_note_response]})  # sees each 429 the SDK retries
        return openai.OpenAI(api_key=_key(settings), base_url=settings.llm_base_url, max_retries=settings.llm_max_retries,
                             timeout=httpx.Timeout(settings.llm_timeout, connect=min(CONNECT_TIMEOUT, settings.llm_timeout)),
                             http_client=http)

    def stream_parts(self, messages: list[Message]) -> Iterator[Delta]:
        """Answer and reasoning pieces as they arrive; ProviderError when the model fails or stalls, or
        when a rate limit (429 with Retry-After) asks for a wait beyond what is left of the total time."""
        pieces: queue.Queue = queue.Queue()
        stop = threading.Event()
        call = _Call()
        worker = threading.Thread(target=self._pump, args=(messages, pieces, stop, call), daemon=True)
        worker.start()
        deadline = time.monotonic() + self.settings.llm_total_timeout
        started = False
        splitter = ThinkSplitter()
        try:
            while True:
                limit = time.monotonic() + self.settings.llm_timeout if started else deadline
                while True:
                    try:
                        kind, value = pieces.get(timeout=max(min(limit - time.monotonic(), POLL_S), 0.0))
                        break
                    except queue.Empty:
                        if not started and call.rate_limited and call.resume_at > deadline:
                            raise self._rate_limited(call) from None
                        if time.monotonic() >= limit:
                            raise self._stalled(started, call) from None
                if kind == "error":
                    raise translate(value, self.settings) from value
                if kind == "done":
                    if not started:  # a 200 without one piece: an HTML page, a proxy's answer, an empty stream
                        raise ProviderError(f"大模型服务没有返回任何内容（不是兼容 OpenAI 接口的应答，请检查服务地址）：{self._where()}")
                    yield from splitter.finish()
                    return
                started = True
                yield from (splitter.feed(value.text) if not value.reasoning else [value])
        finally:
            stop.set()

    def _pump(self, messages: list[Message], pieces: queue.Queue, stop: threading.Event, call: "_Call") -> None:
        """Runs in a worker thread: the SDK call, its retries and its stream, piece by piece."""
        _calls.current = call
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

    def _where(self) -> str:
        return self.settings.llm_base_url or OPENAI_API

    def _rate_limited(self, call: "_Call") -> ProviderError:
        wait = f"要求 {call.retry_after:g} 秒后再试，" if call.retry_after is not None else ""
        return ProviderError(f"大模型服务限流（429）：{wait}超出了等待上限 {self.settings.llm_total_timeout:g} 秒"
                             f"（RA_LLM_TOTAL_TIMEOUT）：{self._where()}", retryable=True)

    def _stalled(self, started: bool, call: "_Call") -> ProviderError:
        where = self._where()
        if started:
            return ProviderError(f"大模型服务在回答中途停顿超过 {self.settings.llm_timeout:g} 秒：{where}")
        if call.rate_limited:
            return self._rate_limited(call)
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


def _usable_key(key: str) -> bool:
    """A key goes into an HTTP header: printable ASCII without spaces (the README's 'sk-…' is not one)."""
    return key.isascii() and all(33 <= ord(c) <= 126 for c in key)


class _Call:
    """What one model call's HTTP responses said so far (filled by _note_response in the worker thread)."""

    def __init__(self):
        self.rate_limited = False
        self.retry_after: float | None = None  # seconds the server asked for, when it said
        self.resume_at = 0.0  # when the SDK will try again, at the earliest (time.monotonic())


_calls = threading.local()
# The openai SDK waits what Retry-After says only up to this many seconds (openai/_base_client.py).
SDK_MAX_RETRY_AFTER = 60


def _note_response(response) -> None:
    """httpx response hook, in the worker thread: remember a 429 and how long the server asked to wait."""
    call = getattr(_calls, "current", None)
    if call is None or response.status_code != 429:
        return
    call.rate_limited = True
    call.retry_after = _retry_after(response.headers)
    if call.retry_after is not None and call.retry_after <= SDK_MAX_RETRY_AFTER:
        call.resume_at = time.monotonic() + call.retry_after


def _retry_after(headers) -> float | None:
    """Seconds from Retry-After (seconds or an HTTP date) or retry-after-ms."""
    from email.utils import parsedate_to_datetime

    if headers.get("retry-after-ms"):
        try:
            return float(headers["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        from datetime import datetime, timezone

        return max((parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None


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

    where = settings.llm_base_url or OPENAI_API
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
    if isinstance(exc, (UnicodeError, json.JSONDecodeError, openai.APIResponseValidationError)):
        return ProviderError(f"大模型服务返回的内容无法读取（不是兼容 OpenAI 接口的应答，请检查服务地址）：{where}")
    if isinstance(exc, (KeyError, IndexError, TypeError, AttributeError)):
        return ProviderError(f"大模型服务的应答缺少应有的内容（不是兼容 OpenAI 接口的格式，请检查服务地址）：{where}")
    log.warning("model call failed: %r", exc)  # the log keeps the detail; the user reads one Chinese line
    return ProviderError(f"大模型调用失败（原因已记入日志）：{where}")
