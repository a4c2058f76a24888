"""The report store: SQLite records + Chroma vectors + BM25, kept consistent with each other.

Writes go in three steps (records pending → vectors → records ok). A process killed between any two
leaves a 'pending' report, which `recover()` clears at the start of the next write, so there are never
duplicates or orphans; readers only see 'ok' reports.
"""

from __future__ import annotations

import copy
import threading
from typing import Callable

from ingest.model import ParsedReport, ReportMeta

from assistant.store.embeddings import EmbeddingError, embedding_id, make_embedding
from assistant.store.lexical import LexicalIndex, load_or_build
from assistant.store.library import Library, index_text
from assistant.config.settings import Settings
from assistant.store.vectors import Vectors, check_embedding_model

ProgressFn = Callable[[int], None]


class ReportStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.library = Library(settings.library_path)
        self.model_id = embedding_id(settings)
        check_embedding_model(self.library.get_state("embedding_model"), self.model_id, str(settings.data_dir))
        self.library.set_state("embedding_model", self.model_id)
        self.embedding = make_embedding(settings)
        if self.embedding is not None:
            self.embedding.warm_up()  # while the Chroma client loads below
        self.vectors = Vectors(settings, self.model_id) if self.embedding is not None else None
        self._lexical: LexicalIndex | None = None
        self._lexical_lock = threading.Lock()  # one rebuild of the BM25 index at a time in this process
        self.write_lock = threading.Lock()  # one ingestion at a time; readers never wait on it

    def close(self) -> None:
        self.library.close()

    # --- writing -------------------------------------------------------------------------------
    def recover(self) -> list[str]:
        """Clear reports a killed run left half-written; they are re-ingested like new files."""
        cleared = self.library.pending()
        for name in cleared:
            if self.vectors:
                self.vectors.delete_report(name)
            self.library.delete(name)
        return cleared

    def put(self, report: ParsedReport, progress: ProgressFn | None = None) -> None:
        """Store a parsed report, replacing any earlier version of it.

        Embeddings are computed before anything is written, so a failing embedding model leaves the
        stored version of the report untouched.
        """
        overrides = self.library.overrides(report.meta.name)
        if overrides:
            from ingest.pipeline import apply_overrides  # the parser's modules load only when writing

            report.meta = apply_overrides(report.meta, overrides)
        texts = self._index_texts(report)
        if self.vectors:
            self.vectors.count()  # a Chroma server already lost fails here, before minutes of embedding
        vectors = self._embed(report, texts, progress)
        if self.vectors:
            self.vectors.count()  # one lost meanwhile fails here, before the stored version is touched
        self.library.begin_write(report)
        if self.vectors:
            self.vectors.delete_report(report.meta.name)
            if vectors:
                self._add_vectors(report, vectors)
        self.library.finish_write(report, texts)

    def _index_texts(self, report: ParsedReport) -> dict[str, str]:
        by_id = {p.id: p for p in report.paragraphs}
        return {c.id: index_text(report.meta, by_id[c.paragraph_id], c.text) for c in report.chunks}

    def _embed(self, report: ParsedReport, texts: dict[str, str], progress: ProgressFn | None) -> list[list[float]]:
        if self.embedding is None:
            if progress:
                progress(len(report.chunks))
            return []
        vectors: list[list[float]] = []
        batch = max(1, self.settings.embedding_batch_size)
        for start in range(0, len(report.chunks), batch):
            chunks = report.chunks[start : start + batch]
            try:
                vectors.extend(self.embedding.get_text_embedding_batch([texts[c.id] for c in chunks]))
            except EmbeddingError:
                raise
            except Exception as exc:
                raise EmbeddingError(f"embedding model '{self.model_id}' failed: {exc}") from exc
            if progress:
                progress(len(chunks))
        return vectors

    def _add_vectors(self, report: ParsedReport, vectors: list[list[float]]) -> None:
        assert self.vectors is not None
        by_id = {p.id: p for p in report.paragraphs}
        metadatas = [_chunk_metadata(report.meta, by_id[c.paragraph_id].part.value, c.paragraph_id) for c in report.chunks]
        self.vectors.add([c.id for c in report.chunks], [c.text for c in report.chunks], vectors, metadatas)

    def remove(self, name: str) -> bool:
        if self.library.report(name) is None:
            return False
        if self.vectors:
            self.vectors.count()  # fail before marking anything when the Chroma server is lost
        self.library.mark_pending(name)
        if self.vectors:
            self.vectors.delete_report(name)
        self.library.delete(name)
        return True

    def correct(self, name: str, fields: dict) -> ReportMeta:
        """Record a user's metadata correction and re-index the report's text with it (no re-parse)."""
        record = self.library.report(name)
        if record is None:
            raise KeyError(name)
        self.library.set_overrides(name, fields)
        from ingest.pipeline import apply_overrides

        meta = apply_overrides(record.meta, self.library.overrides(name))
        report = ParsedReport(
            meta=meta,
            source_path=record.source_path,
            sha256=record.sha256,
            paragraphs=self.library.paragraphs(name),
            chunks=self.library.chunks_of(name),
        )
        self.put(report)
        return meta

    # --- reading -------------------------------------------------------------------------------
    def lexical(self) -> LexicalIndex:
        """The BM25 index of the current library.

        One thread rebuilds it after a change; meanwhile the others keep answering from the previous
        index (whose chunks of a rewritten report are skipped) instead of waiting or building their own.
        """
        current = self._lexical
        if current is not None and current.generation == self.library.generation:
            return current
        if not self._lexical_lock.acquire(blocking=current is None):
            return current  # type: ignore[return-value]  # being rebuilt by another thread
        try:
            if self._lexical is None or self._lexical.generation != self.library.generation:
                regions = [r.meta.region for r in self.library.reports() if r.meta.region]
                self._lexical = load_or_build(self.library, self.settings.lexical_dir, regions)
            return self._lexical
        finally:
            self._lexical_lock.release()

    def without_vectors(self) -> "ReportStore":
        """This store seen through its lexical index only (when the Chroma server is lost)."""
        view = copy.copy(self)
        view.vectors = None
        view.embedding = None
        return view

    def reports(self) -> list[ReportMeta]:
        return [r.meta for r in self.library.reports()]


def _chunk_metadata(meta: ReportMeta, part: str, paragraph_id: str) -> dict:
    """What Chroma keeps beside each vector, so dense search can filter on report facts."""
    return {
        "report": meta.name,
        "region": meta.region or "",
        "province": meta.province or "",
        "year": meta.year or 0,
        "part": part,
        "paragraph_id": paragraph_id,
    }
