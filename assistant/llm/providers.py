"""LLM providers behind one interface, each a small class chosen by RA_LLM_PROVIDER.

All speak through llama-index's OpenAI / OpenAILike classes over the official openai SDK. Retries
are ours, not the SDK's or llama-index's (both set to 0), so that a 429 or 5xx is retried exactly
`llm_max_retries` times with backoff, a 401 never, and a stream that already produced text never.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Callable, ClassVar

from llama_index.core.llms import LLM, ChatMessage

from assistant.config.settings import LLMProviderName, Settings


class ProviderError(RuntimeError):
    """The LLM could not be used; `reason` is one plain line for the user (never the API key)."""

    def __init__(self, reason: str, retryable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class LLMProvider:
    """One chat model. Subclasses only say how to build the llama-index LLM."""

    name: ClassVar[str]

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model = settings.llm_model
        self.llm = self.build(settings)

    def build(self, settings: Settings) -> LLM:  # pragma: no cover - abstract
        raise NotImplementedError

    def complete(self, messages: list[ChatMessage]) -> str:
        return self._with_retries(lambda: self.llm.chat(messages).message.content or "")

    def stream(self, messages: list[ChatMessage]) -> Iterator[str]:
        """Text deltas as they arrive. Retries happen only before the first delta."""
        attempt = 0
        while True:
            produced = False
            try:
                for chunk in self.llm.stream_chat(messages):
                    if chunk.delta:
                        produced = True
                        yield chunk.delta
                return
            except Exception as exc:  # noqa: BLE001 - translated below, never swallowed
                error = translate(exc, self.settings)
                if produced or not error.retryable or attempt >= self.settings.llm_max_retries:
                    raise error from exc
            self._sleep(attempt)
            attempt += 1

    def _with_retries(self, call: Callable[[], str]) -> str:
        attempt = 0
        while True:
            try:
                return call()
            except Exception as exc:  # noqa: BLE001
                error = translate(exc, self.settings)
                if not error.retryable or attempt >= self.settings.llm_max_retries:
                    raise error from exc
            self._sleep(attempt)
            attempt += 1

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.settings.llm_retry_backoff * (2**attempt))


def _key(settings: Settings) -> str:
    return settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"


class OpenAIProvider(LLMProvider):
    name = LLMProviderName.OPENAI.value

    def build(self, settings: Settings) -> LLM:
        from llama_index.llms.openai import OpenAI

        return OpenAI(model=settings.llm_model, api_key=_key(settings), api_base=settings.llm_base_url,
                      temperature=settings.llm_temperature, timeout=settings.llm_timeout, max_retries=0,
                      max_tokens=settings.llm_max_answer_tokens)


class OpenAICompatibleProvider(LLMProvider):
    name = LLMProviderName.OPENAI_COMPATIBLE.value

    def build(self, settings: Settings) -> LLM:
        from llama_index.llms.openai_like import OpenAILike

        if not settings.llm_base_url:
            raise ProviderError("RA_LLM_BASE_URL is not set: an openai-compatible provider needs the server's URL")
        return OpenAILike(model=settings.llm_model, api_base=settings.llm_base_url, api_key=_key(settings),
                          is_chat_model=True, context_window=settings.llm_context_window,
                          temperature=settings.llm_temperature, timeout=settings.llm_timeout, max_retries=0,
                          max_tokens=settings.llm_max_answer_tokens)


PROVIDERS: dict[str, type[LLMProvider]] = {p.name: p for p in (OpenAIProvider, OpenAICompatibleProvider)}


def make_provider(settings: Settings) -> LLMProvider | None:
    """The configured provider, or None when answers are extractive (RA_LLM_PROVIDER=none)."""
    if settings.llm_provider == LLMProviderName.NONE:
        return None
    return PROVIDERS[settings.llm_provider.value](settings)


def translate(exc: Exception, settings: Settings) -> ProviderError:
    """One readable line for any failure of the provider, saying whether a retry may help."""
    import openai

    where = settings.llm_base_url or "the OpenAI API"
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, openai.AuthenticationError):
        return ProviderError(f"LLM 服务拒绝了密钥（401），请检查 RA_LLM_API_KEY（{where}）")
    if isinstance(exc, openai.PermissionDeniedError):
        return ProviderError(f"LLM 服务拒绝访问（403）：{where}")
    if isinstance(exc, openai.NotFoundError):
        return ProviderError(f"LLM 服务找不到模型“{settings.llm_model}”或接口（404）：{where}")
    if isinstance(exc, openai.RateLimitError):
        return ProviderError(f"LLM 服务限流（429），重试后仍失败：{where}", retryable=True)
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError(f"LLM 服务在 {settings.llm_timeout:g} 秒内没有响应：{where}", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"无法连接 LLM 服务：{where}", retryable=True)
    if isinstance(exc, openai.InternalServerError):
        return ProviderError(f"LLM 服务内部错误（{getattr(exc, 'status_code', '5xx')}），重试后仍失败：{where}", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        return ProviderError(f"LLM 服务返回错误（{exc.status_code}）：{where}")
    return ProviderError(f"LLM 调用失败：{exc.__class__.__name__}")
