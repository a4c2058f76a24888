"""Dense vectors in Chroma (its own client: the llama-index wrapper added a second of start-up and
nothing we used), always with our own embeddings.

Embedded (PersistentClient under the data directory) by default, a `chroma run` server when
RA_CHROMA_HOST is set. Chroma's default embedding function downloads a model, so the collection is
created with embedding_function=None and every add and query passes vectors.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, TypeVar

from assistant.config.settings import Settings

log = logging.getLogger("report-assistant.vectors")
T = TypeVar("T")

# HNSW search breadth: Chroma's default 100 gave 0.68 recall@10 here, 200 gave 0.91 (STACK-NOTES).
HNSW_EF = 200
# Vectors sent to Chroma per call (well under the largest batch its clients accept).
ADD_BATCH = 1000
EMBEDDING_KEY = "embedding_model"


class StoreMismatchError(RuntimeError):
    """The store was built with another embedding model: mixing vectors would return nonsense."""


class VectorStoreUnavailable(RuntimeError):
    """The Chroma server named in the settings cannot be reached; `reason` is one line for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def unavailable(settings: Settings) -> VectorStoreUnavailable:
    return VectorStoreUnavailable(f"无法连接 Chroma 服务 {settings.chroma_host}:{settings.chroma_port}"
                                  "（RA_CHROMA_HOST / RA_CHROMA_PORT）")


def keyword_only_note(exc: VectorStoreUnavailable) -> str:
    """What an answer or a document says when it was made with the keyword index alone."""
    return f"{exc.reason}：本次仅按关键词检索，结果可能不全"


def _is_connection_error(exc: Exception) -> bool:
    """httpx transport errors (refused, reset, timed out) and chromadb's own 'could not connect'."""
    import httpx

    return isinstance(exc, (httpx.TransportError, ConnectionError)) or "Could not connect" in str(exc)


def check_embedding_model(recorded: str | None, wanted: str, where: str) -> None:
    """Refuse to open a store built with another embedding model than the settings ask for."""
    if recorded and recorded != wanted:
        raise StoreMismatchError(
            f"数据目录 {where} 中的报告库是用嵌入模型“{recorded}”建立的，当前设置要求“{wanted}”。"
            f"请把嵌入模型设置（RA_EMBEDDING_PROVIDER）改回去，或用 report-assistant ingest --rebuild 重新导入。"
        )


def chroma_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:
            log.warning("Chroma server %s:%s: %s", settings.chroma_host, settings.chroma_port, exc)
            raise unavailable(settings) from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class Vectors:
    """The dense half of the store: one Chroma collection recording the model that built it.

    A Chroma server that cannot be reached at start-up is tried again on first use, so that the
    keyword index can answer meanwhile; every call made while it is lost raises VectorStoreUnavailable.
    """

    def __init__(self, settings: Settings, model_id: str):
        self.settings = settings
        self.model_id = model_id
        self._lock = threading.Lock()
        self._collection = None
        try:
            self._connect()
        except VectorStoreUnavailable as exc:
            log.warning("%s; trying again on first use", exc.reason)

    def _connect(self):
        with self._lock:
            if self._collection is None:
                client = chroma_client(self.settings)
                collection = self._guard(lambda: client.get_or_create_collection(
                    self.settings.collection,
                    embedding_function=None,
                    metadata={EMBEDDING_KEY: self.model_id},
                    configuration={"hnsw": {"space": "cosine", "ef_construction": HNSW_EF, "ef_search": HNSW_EF}},
                ))
                check_embedding_model((collection.metadata or {}).get(EMBEDDING_KEY), self.model_id,
                                      f"collection '{self.settings.collection}'")
                self._collection = collection
            return self._collection

    @property
    def collection(self):
        return self._connect()

    def _guard(self, call: Callable[[], T]) -> T:
        """Run a Chroma call; a lost server becomes VectorStoreUnavailable (one line), the detail goes to the log."""
        try:
            return call()
        except Exception as exc:
            if not _is_connection_error(exc):
                raise
            log.warning("Chroma call failed: %s", exc)
            raise unavailable(self.settings) from exc

    def count(self) -> int:
        return self._guard(lambda: self.collection.count())

    def add(self, ids: list[str], texts: list[str], embeddings: list[list[float]], metadatas: list[dict[str, Any]]) -> None:
        for start in range(0, len(ids), ADD_BATCH):
            part = slice(start, start + ADD_BATCH)
            self._guard(lambda: self.collection.add(ids=ids[part], embeddings=embeddings[part], metadatas=metadatas[part],
                                                    documents=texts[part]))

    def upsert(self, ids: list[str], texts: list[str], embeddings: list[list[float]], metadatas: list[dict[str, Any]]) -> None:
        """Add or overwrite vectors by chunk id (the queue may build a chunk's vector twice after a kill)."""
        for start in range(0, len(ids), ADD_BATCH):
            part = slice(start, start + ADD_BATCH)
            self._guard(lambda: self.collection.upsert(ids=ids[part], embeddings=embeddings[part], metadatas=metadatas[part],
                                                       documents=texts[part]))

    def update_metadata(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None:
        """New report facts beside existing vectors (a metadata correction: nothing is embedded again)."""
        for start in range(0, len(ids), ADD_BATCH):
            part = slice(start, start + ADD_BATCH)
            self._guard(lambda: self.collection.update(ids=ids[part], metadatas=metadatas[part]))

    def delete_ids(self, ids: list[str]) -> None:
        self._guard(lambda: self.collection.delete(ids=ids))

    def delete_report(self, report: str) -> None:
        self._guard(lambda: self.collection.delete(where={"report": report}))

    def query(self, embedding: list[float], top_k: int, reports: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest chunks, optionally within some reports."""
        size = self.count() if top_k > 0 else 0
        if size == 0:
            return []
        where = None
        if reports is not None:
            if not reports:
                return []
            where = {"report": {"$in": reports}} if len(reports) > 1 else {"report": reports[0]}
        result = self._guard(lambda: self.collection.query(query_embeddings=[embedding], n_results=min(top_k, size),
                                                           where=where, include=["distances"]))
        # The collection's space is cosine: distance = 1 - similarity.
        return [(chunk_id, 1.0 - distance) for chunk_id, distance in zip(result["ids"][0], result["distances"][0])]
