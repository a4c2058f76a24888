"""Dense vectors in Chroma, through llama-index's ChromaVectorStore, always with our own embeddings.

Embedded (PersistentClient under the data directory) by default, a `chroma run` server when
RA_CHROMA_HOST is set. Chroma's default embedding function downloads a model, so the collection is
created with embedding_function=None and every add and query passes vectors.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.config.settings import Settings

# HNSW search breadth: Chroma's default 100 gave 0.68 recall@10 here, 200 gave 0.91 (STACK-NOTES).
HNSW_EF = 200
EMBEDDING_KEY = "embedding_model"


class StoreMismatchError(RuntimeError):
    """The store was built with another embedding model: mixing vectors would return nonsense."""


class VectorStoreUnavailable(RuntimeError):
    """The Chroma server named in the settings cannot be reached."""


def check_embedding_model(recorded: str | None, wanted: str, where: str) -> None:
    """Refuse to open a store built with another embedding model than the settings ask for."""
    if recorded and recorded != wanted:
        raise StoreMismatchError(
            f"the store in {where} was built with embedding model '{recorded}', but the settings ask for "
            f"'{wanted}'. Re-ingest into a fresh data directory (report-assistant ingest --rebuild …) or set the "
            f"embedding settings back."
        )


def chroma_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:
            raise VectorStoreUnavailable(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
                f"(RA_CHROMA_HOST/RA_CHROMA_PORT): {exc}"
            ) from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class Vectors:
    """The dense half of the store: one Chroma collection recording the model that built it."""

    def __init__(self, settings: Settings, model_id: str):
        self.client = chroma_client(settings)
        self.collection = self.client.get_or_create_collection(
            settings.collection,
            embedding_function=None,
            metadata={EMBEDDING_KEY: model_id},
            configuration={"hnsw": {"space": "cosine", "ef_construction": HNSW_EF, "ef_search": HNSW_EF}},
        )
        check_embedding_model((self.collection.metadata or {}).get(EMBEDDING_KEY), model_id,
                              f"collection '{settings.collection}'")
        self.store = ChromaVectorStore(chroma_collection=self.collection)

    def count(self) -> int:
        return self.collection.count()

    def add(self, ids: list[str], texts: list[str], embeddings: list[list[float]], metadatas: list[dict[str, Any]]) -> None:
        nodes = [
            TextNode(id_=i, text=t, embedding=e, metadata=m, excluded_embed_metadata_keys=list(m), excluded_llm_metadata_keys=list(m))
            for i, t, e, m in zip(ids, texts, embeddings, metadatas)
        ]
        self.store.add(nodes)

    def delete_report(self, report: str) -> None:
        self.collection.delete(where={"report": report})

    def query(self, embedding: list[float], top_k: int, reports: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest chunks, optionally within some reports."""
        if top_k <= 0 or self.count() == 0:
            return []
        where = None
        if reports is not None:
            if not reports:
                return []
            where = {"report": {"$in": reports}} if len(reports) > 1 else {"report": reports[0]}
        result = self.store.query(
            VectorStoreQuery(query_embedding=embedding, similarity_top_k=min(top_k, self.count())), where=where
        )
        # ChromaVectorStore reports exp(-distance); cosine distance is 1 - similarity.
        return [(node_id, 1.0 + _log(sim)) for node_id, sim in zip(result.ids, result.similarities)]


def _log(value: float) -> float:
    import math

    return math.log(value) if value > 0 else -1.0
