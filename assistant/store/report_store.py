"""The report store: records with their tokens (SQLite or PostgreSQL), the lexical index derived from
them, and Chroma vectors built from the queue, kept consistent with each other.

A write goes records pending → records, tokens ok (searchable by its words at once) → vectors, chunk by
chunk, from the queue (vector_queue.py). A process killed before 'ok' leaves a 'pending' report, which
`recover()` clears at the start of the next write; one killed later leaves queued chunks, which the next
worker resumes. Readers only see 'ok' reports.
"""

from __future__ import annotations

import copy
import logging
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from ingest.model import ParsedReport, ReportMeta

from assistant.config.settings import Settings
from assistant.errors import UsageError
from assistant.language.tokens import TOKENIZER_VERSION, add_words
from assistant.store import lexical_snapshot
from assistant.store.chunk_tokens import swap_header, tokens_of
from assistant.store.database import open_database
from assistant.store.embeddings import embedding_id, make_embedding
from assistant.store.file_lock import file_lock
from assistant.store.lexical import LexicalIndex
from assistant.store.library import EVERY_REPORT, Library, index_header, index_text
from assistant.store.vector_queue import QueueProgress, chunk_metadata, status
from assistant.store.vectors import Vectors, check_embedding_model

log = logging.getLogger("report-assistant.store")
ProgressFn = Callable[[int], None]
# A copy of the lexical index is saved once this many reports changed since the last (or a tenth of them).
SNAPSHOT_AFTER_CHANGES = 40
FOLLOW_BATCH = 500  # changed reports read and indexed at a time
PG_WRITE_LOCK = 7236003  # the advisory lock of ingestion in a shared library


class ReportStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.library = Library(open_database(settings.database_url, settings.library_path))
        if self.library.db.shared and settings.embedding_provider.value != "none" and not settings.chroma_host:
            raise UsageError("共享报告库（RA_DATABASE_URL 为 PostgreSQL）的向量要放在 Chroma 服务上：请设置 RA_CHROMA_HOST 和 "
                             "RA_CHROMA_PORT（或 RA_EMBEDDING_PROVIDER=none 只用关键词检索）")
        self.model_id = embedding_id(settings)
        check_embedding_model(self.library.get_state("embedding_model"), self.model_id, _where(settings))
        self.library.set_state("embedding_model", self.model_id)
        self.identity = self.library.identity()
        self.embedding = make_embedding(settings)
        if self.embedding is not None:
            self.embedding.warm_up()  # while the Chroma client loads below
        self.vectors = Vectors(settings, self.model_id) if self.embedding is not None else None
        self._lexical: LexicalIndex | None = None
        self._lexical_lock = threading.Lock()  # one thread brings the index up to date; the others read the last
        self.write_lock = threading.Lock()  # one ingestion at a time in this process; readers never wait on it
        self.queue_thread_lock = threading.Lock()
        self._saver: threading.Thread | None = None
        self._reports: tuple[int, list[ReportMeta]] | None = None

    def close(self) -> None:
        self.wait_saved()
        self.library.close()

    # --- writing -------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """One ingestion at a time, in this process and across every process on the library (a lock file
        beside SQLite, an advisory lock in PostgreSQL): `recover()` must never take another's write in
        progress for one a killed run left."""
        with self.write_lock:
            db = self.library.db
            if db.shared:
                with db.pinned():  # a session lock: this thread's statements on the connection holding it
                    db.execute("SELECT pg_advisory_lock(?)", (PG_WRITE_LOCK,))
                    try:
                        yield
                    finally:
                        db.execute("SELECT pg_advisory_unlock(?)", (PG_WRITE_LOCK,))
                return
            with file_lock(self.settings.data_dir / ".write.lock"):
                yield

    def recover(self) -> list[str]:
        """Clear reports a killed run left half-written; they are re-ingested like new files."""
        cleared = self.library.pending()
        for name in cleared:
            if self.vectors:
                self.vectors.delete_report(name)
            self.library.delete(name)
        return cleared

    def put(self, report: ParsedReport, progress: ProgressFn | None = None) -> None:
        """Store a parsed report with its tokens, replacing any earlier version of it; its vectors are
        queued (vector_queue.py). A lost Chroma server fails here, before the stored version is touched."""
        overrides = self.library.overrides(report.meta.name)
        if overrides:
            from ingest.pipeline import apply_overrides  # the parser's modules load only when writing

            report.meta = apply_overrides(report.meta, overrides)
        by_id = {p.id: p for p in report.paragraphs}
        texts = {c.id: index_text(report.meta, by_id[c.paragraph_id], c.text) for c in report.chunks}
        add_words([report.meta.region or "", *report.meta.aliases])  # its own name stays one word
        tokens = {cid: tokens_of(text) for cid, text in texts.items()}
        if self.vectors:
            self.vectors.count()
        write_id = self.library.begin_write(report)
        if self.vectors:
            self.vectors.delete_report(report.meta.name)
        self.library.finish_write(report, texts, tokens, write_id, embedded=self.vectors is None)
        if progress:
            progress(len(report.chunks))

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
        """Record a user's metadata correction and re-index the report's metadata only: each chunk's
        header tokens are swapped, its text's tokens and its vector kept (nothing is parsed or embedded)."""
        record = self.library.report(name)
        if record is None:
            raise KeyError(name)
        self.library.set_overrides(name, fields)
        from ingest.pipeline import apply_overrides

        meta = apply_overrides(record.meta, self.library.overrides(name))
        add_words([meta.region or "", *meta.aliases])
        paragraphs = {p.id: p for p in self.library.paragraphs(name)}
        cache: dict = {}
        rows = []
        for cid, text, words, pairs in self.library.index_rows(name):
            paragraph = paragraphs[cid.rsplit(".c", 1)[0]] if cid.rsplit(".c", 1)[0] in paragraphs else None
            if paragraph is None:
                continue
            rows.append((cid, *swap_header(text, index_header(meta, paragraph), words, pairs, cache)))
        self.library.update_meta(name, meta, rows)
        self._correct_vector_metadata(name, meta)
        self.lexical()
        return meta

    def _correct_vector_metadata(self, name: str, meta: ReportMeta) -> None:
        """The report facts Chroma keeps beside built vectors (read by no answer: a lost server is logged)."""
        if self.vectors is None:
            return
        from assistant.store.library import QueuedChunk

        paragraphs = {p.id: p.part.value for p in self.library.paragraphs(name)}
        chunks = [QueuedChunk(c.id, name, 0, "", c.paragraph_id, paragraphs.get(c.paragraph_id, ""))
                  for c in self.library.chunks_of(name)]
        embedded = set(self.library.embedded_ids(name))
        chunks = [c for c in chunks if c.id in embedded]
        try:
            if chunks:
                self.vectors.update_metadata([c.id for c in chunks], [chunk_metadata(meta, c) for c in chunks])
        except Exception as exc:  # noqa: BLE001 - the records are right; the vectors' copy catches up on re-ingest
            log.warning("metadata beside the vectors of %s not updated: %s", name, exc)

    # --- the lexical index -------------------------------------------------------------------------
    def lexical(self) -> LexicalIndex:
        """The lexical index of the current library, brought up to date report by report.

        One thread updates it after a change; meanwhile the others keep answering from the previous
        index (whose slots of a rewritten report hold the old chunks) instead of waiting.
        """
        current = self._lexical
        if current is not None and current.generation == self.library.generation:
            return current
        if not self._lexical_lock.acquire(blocking=current is None):
            return current  # type: ignore[return-value]  # being updated by another thread
        try:
            current = self._lexical
            if current is None:
                current = self._initial_index()
            if current.generation != self.library.generation:
                current = self._follow(current)
            self._lexical = current
            self._save_if_due(current)
            return current
        finally:
            self._lexical_lock.release()

    def _initial_index(self) -> LexicalIndex:
        """The saved copy when there is one, else the index made from every stored chunk's tokens."""
        self._tokenise_missing()
        add_words([n for r in self.library.reports() for n in (r.meta.region or "", *r.meta.aliases)])
        saved = lexical_snapshot.load(self.settings.lexical_dir, self.identity)
        if saved is not None:
            return saved
        return self._index_from_tokens()

    def _index_from_tokens(self) -> LexicalIndex:
        generation = self.library.generation
        index = LexicalIndex.empty(generation)
        for rows in self.library.token_rows():
            index = index.updated(generation, [], rows)
        return index

    def _follow(self, index: LexicalIndex) -> LexicalIndex:
        """The index with the reports changed since its generation taken out and their current chunks put in
        (a few hundred reports at a time: a large import is not held in memory twice); made over from the
        tokens when the library was emptied since (`ingest --rebuild`, its id made anew)."""
        with self.library.db.snapshot():
            generation, changed = self.library.changes_since(index.generation)
            emptied = EVERY_REPORT in changed
            for start in range(0, 0 if emptied else len(changed), FOLLOW_BATCH):
                names = changed[start : start + FOLLOW_BATCH]
                add_words([n for r in self.library.reports_named(names) for n in (r.meta.region or "", *r.meta.aliases)])
                rows = [row for batch in self.library.token_rows(names) for row in batch]
                index = index.updated(index.generation, names, rows)
        if emptied:
            self.identity = self.library.identity()
            return self._index_from_tokens()
        return index.at(generation)

    def _tokenise_missing(self) -> None:
        """Tokens for chunks a library of an earlier version stored without them (once), or again for all
        when words are split another way now."""
        if self.library.get_state("tokens") != TOKENIZER_VERSION:
            if self.library.get_state("tokens") is not None:
                self.library.clear_tokens()
            self.library.set_state("tokens", TOKENIZER_VERSION)
        rows = self.library.untokenised()
        if rows:
            add_words([n for r in self.library.reports(include_pending=True) for n in (r.meta.region or "", *r.meta.aliases)])
        while rows:
            self.library.set_tokens([(cid, *tokens_of(text)) for cid, text in rows])
            rows = self.library.untokenised()

    def _save_if_due(self, index: LexicalIndex) -> None:
        """Save a copy of the index in the background once enough has changed since the last one."""
        if self._saver is not None and self._saver.is_alive():
            return
        saved = lexical_snapshot.pointer(self.settings.lexical_dir, self.identity)
        if saved is not None:
            changed = index.generation - saved["generation"]
            if changed < max(SNAPSHOT_AFTER_CHANGES, len(index.report_names) // 10):
                return
        elif not index.size:
            return
        self._saver = threading.Thread(target=self._save, args=(index,), name="lexical-copy", daemon=True)
        self._saver.start()

    def _save(self, index: LexicalIndex) -> None:
        try:
            lexical_snapshot.save(index, self.settings.lexical_dir, self.identity)
        except Exception:  # noqa: BLE001 - a copy is an optimisation: the index is made from the tokens without it
            log.exception("saving a copy of the lexical index failed")

    def wait_saved(self) -> None:
        """Let a copy being saved finish (a command about to exit)."""
        if self._saver is not None:
            self._saver.join()

    # --- reading -------------------------------------------------------------------------------
    def without_vectors(self) -> "ReportStore":
        """This store seen through its lexical index only (when the Chroma server is lost)."""
        view = copy.copy(self)
        view.vectors = None
        view.embedding = None
        return view

    def reports(self) -> list[ReportMeta]:
        """Every ok report's metadata, read again only when the library changed (each question needs them:
        10,000 reports take a second to read)."""
        generation = self.library.generation  # first: a change after it is read again next time
        cached = self._reports
        if cached is None or cached[0] != generation:
            cached = (generation, [r.meta for r in self.library.reports()])
            self._reports = cached
        return list(cached[1])

    def vector_status(self) -> QueueProgress:
        return status(self)

    def unembedded(self) -> dict[str, tuple[int, int]]:
        """Reports whose vectors are not all built yet: name → (built, chunks); none without vectors."""
        return self.library.unembedded() if self.vectors is not None else {}


def _where(settings: Settings) -> str:
    if settings.database_url:
        from assistant.store.database import is_postgres

        if is_postgres(settings.database_url):
            return "PostgreSQL（RA_DATABASE_URL）"
    return str(settings.data_dir)
