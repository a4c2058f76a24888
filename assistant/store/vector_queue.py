"""The vector queue: one for the whole library, kept in the library itself (chunks with embedded = 0),
so that a process killed at any moment leaves it for the next one to resume.

A stored report is searchable by its words at once; its chunks' vectors are built here, a few chunks at
a time (so progress moves every second or two), oldest report first, by one worker at a time across
every process (a lock file beside SQLite, an advisory lock in PostgreSQL). Vectors are upserted under
the chunk's id before the chunk is marked; a run killed in between embeds those chunks again and
upserts the same ids, never duplicates. A chunk whose report was replaced or removed meanwhile is
told by its write id: its vector is overwritten later by the new version's, or deleted when the chunk
is gone.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from assistant.store.embeddings import EmbeddingError
from assistant.store.file_lock import file_lock
from assistant.store.library import QueuedChunk
from assistant.store.vectors import VectorStoreUnavailable

log = logging.getLogger("report-assistant.vectors")
BATCH_STATE = "vector_batch"  # the batch the worker is embedding now (any process's page reads it)
PG_QUEUE_LOCK = 7236002  # the advisory lock id of the queue's worker in a shared library
IDLE_POLL_S = 1.0
RETRY_AFTER_FAILURE_S = 10.0


@dataclass
class QueueProgress:
    """Where the queue stands: chunks waiting, and the report being vectorised with its counts."""

    waiting: int = 0
    report: str = ""
    done: int = 0
    total: int = 0
    error: str = ""
    batch: int = 0  # chunks being embedded right now
    seconds: float = 0.0  # how long that batch has taken so far (the line moves while a batch runs)


@contextmanager
def queue_lock(store) -> Iterator[bool]:
    """Whether this process may work the queue now (only one may, across every process)."""
    db = store.library.db
    if db.shared:
        # a session lock, held by the connection this thread keeps while it works (released if the process dies)
        with db.pinned():
            got = db.execute("SELECT pg_try_advisory_lock(?)", (PG_QUEUE_LOCK,)).fetchone()[0]
            try:
                yield bool(got)
            finally:
                if got:
                    db.execute("SELECT pg_advisory_unlock(?)", (PG_QUEUE_LOCK,))
        return
    with store.queue_thread_lock, file_lock(store.settings.data_dir / ".vector-queue.lock", wait=False) as mine:
        yield mine


def drain(store, progress: Callable[[QueueProgress], None] | None = None, stop: threading.Event | None = None) -> bool:
    """Build every queued vector (or until `stop` is set). False when another process works the queue.
    A lost Chroma server or a failing embedding model raises (the queue stays for the next run)."""
    if store.vectors is None or store.embedding is None:
        return True
    with queue_lock(store) as mine:
        if not mine:
            return False
        while not (stop and stop.is_set()):
            batch = store.library.queued(max(1, store.settings.embedding_batch_size))
            if not batch:
                break
            store.library.set_state(BATCH_STATE, json.dumps({"size": len(batch), "at": time.time()}))
            embed_batch(store, batch)
            if progress:
                progress(status(store))
        store.library.set_state(BATCH_STATE, "")
        return True


def embed_batch(store, batch: list[QueuedChunk]) -> None:
    try:
        vectors = store.embedding.get_text_embedding_batch([c.index_text for c in batch])
    except (EmbeddingError, VectorStoreUnavailable):
        raise
    except Exception as exc:
        raise EmbeddingError(f"embedding model '{store.model_id}' failed: {exc}") from exc
    records = {name: store.library.report(name) for name in {c.report for c in batch}}
    metadatas = [chunk_metadata(records[c.report].meta if records[c.report] else None, c) for c in batch]
    store.vectors.upsert([c.id for c in batch], [c.index_text.split("\n", 1)[-1] for c in batch], vectors, metadatas)
    stale = store.library.mark_embedded(batch)
    if stale:  # replaced or removed while embedding: a chunk gone for good loses its vector
        gone = sorted(stale - store.library.existing_chunks(sorted(stale)))
        if gone:
            store.vectors.delete_ids(gone)


def chunk_metadata(meta, chunk: QueuedChunk) -> dict:
    """What Chroma keeps beside each vector, so dense search can filter on report facts."""
    return {"report": chunk.report, "region": (meta.region if meta else "") or "",
            "province": (meta.province if meta else "") or "", "year": (meta.year if meta else 0) or 0,
            "part": chunk.part, "paragraph_id": chunk.paragraph_id}


def status(store) -> QueueProgress:
    """The queue as the library page and `reports` show it."""
    if store.vectors is None:
        return QueueProgress()
    waiting = store.library.unembedded()  # oldest write first: the queue's order
    if not waiting:
        return QueueProgress()
    first, (done, total) = next(iter(waiting.items()))
    progress = QueueProgress(sum(t - d for d, t in waiting.values()), first, done, total)
    try:
        batch = json.loads(store.library.get_state(BATCH_STATE) or "{}")
    except ValueError:
        batch = {}
    if batch.get("size"):
        progress.batch, progress.seconds = int(batch["size"]), max(0.0, time.time() - float(batch["at"]))
    return progress


class QueueWorker:
    """The queue worked in a background thread of a long-running process (the app, `worker`): it sleeps
    while nothing waits, and wakes when a report is stored (`wake()`) or every second."""

    def __init__(self, store):
        self.store = store
        self.error = ""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vector-queue", daemon=True)

    def start(self) -> "QueueWorker":
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            pause = IDLE_POLL_S
            try:
                drain(self.store, stop=self._stop)
                self.error = ""
            except VectorStoreUnavailable as exc:
                self.error, pause = exc.reason, RETRY_AFTER_FAILURE_S
            except EmbeddingError as exc:
                log.warning("vector queue: %s", exc)
                self.error, pause = "向量模型调用失败，稍后自动重试（详情见服务日志）", RETRY_AFTER_FAILURE_S
            except Exception:  # noqa: BLE001 - the worker must outlive one surprise; the log keeps it
                log.exception("vector queue failed")
                self.error, pause = "向量化出错，稍后自动重试（详情见服务日志）", RETRY_AFTER_FAILURE_S
            self._wake.wait(pause)
            self._wake.clear()


def wait_idle(store, timeout: float) -> bool:
    """Wait until the queue is empty (another process is working it); False on timeout."""
    deadline = time.monotonic() + timeout
    while store.library.queue_length():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
