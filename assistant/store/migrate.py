"""Moving a library between the two back ends: an embedded one (SQLite and Chroma in a data directory) and a
shared one (PostgreSQL and a Chroma server), either way. Everything goes: reports, paragraphs, chunks with
their tokens, metadata corrections, answer feedback, and the vectors (copied as they are: nothing is
embedded again, so both must use the same embedding model).

The source is only read. Vectors are copied first, the records last in one transaction: a run killed
midway leaves the target without records (its vectors are overwritten by the next run), never a library
that lists reports it cannot search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.config.settings import Settings
from assistant.store.database import open_database
from assistant.store.library import OK

# Tables and columns copied, in an order that needs no other; the change log is written anew (one row per
# report), so that every process builds its lexical index from the copied tokens.
TABLES = {
    "reports": "name, source_path, sha256, status, meta, paragraphs, chunks, chars, ingested_at, embedded, write_id",
    "overrides": "name, fields",
    "paragraphs": "id, report, ordinal, text, section, part, heading, ocr",
    "chunks": "id, report, paragraph_id, ordinal, text, start, end_, index_text, words, pairs, embedded, write_id",
    "feedback": 'created, "user", rating, note, question, answer, mode, citations',
}
STATE_KEYS = ("embedding_model", "tokens")
ROWS_PER_BATCH = 2000
VECTORS_PER_BATCH = 500


class MigrationError(RuntimeError):
    """A migration that cannot start; the message is one Chinese line."""


@dataclass
class Moved:
    reports: int = 0
    chunks: int = 0
    vectors: int = 0
    feedback: int = 0


def migrate(source: Settings, target: Settings, progress: Callable[[str, int], None] | None = None) -> Moved:
    """Copy the library of `source` into the empty library of `target` (their settings say where each is)."""
    src_db = open_database(source.database_url, source.library_path)
    dst_db = open_database(target.database_url, target.library_path)
    try:
        if dst_db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]:
            raise MigrationError("目标报告库不是空的：迁移只写入空的报告库，请换一个数据库或数据目录")
        if src_db.execute("SELECT COUNT(*) FROM reports WHERE status <> ?", (OK,)).fetchone()[0]:
            raise MigrationError("源报告库有未写完的报告：请先运行一次 report-assistant ingest（会清理它们），再迁移")
        model = _state(src_db, "embedding_model")
        recorded = _state(dst_db, "embedding_model")
        if recorded and model and recorded != model:
            raise MigrationError(f"目标报告库用的嵌入模型是“{recorded}”，源报告库是“{model}”：向量不能混用")
        moved = Moved()
        if model and model != "none":
            moved.vectors = _copy_vectors(source, target, model, progress)
        with dst_db.transaction():
            for table, columns in TABLES.items():
                count = _copy_table(src_db, dst_db, table, columns, progress)
                if table == "reports":
                    moved.reports = count
                elif table == "chunks":
                    moved.chunks = count
                elif table == "feedback":
                    moved.feedback = count
            for key in STATE_KEYS:
                value = _state(src_db, key)
                if value is not None:
                    dst_db.execute("INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                                   (key, value))
            names = [r[0] for r in src_db.execute("SELECT name FROM reports ORDER BY name").fetchall()]
            dst_db.executemany("INSERT INTO changes(report, at) VALUES (?, 0)", [(n,) for n in names])
        return moved
    finally:
        src_db.close()
        dst_db.close()


def _state(db, key: str) -> str | None:
    row = db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def _copy_table(src, dst, table: str, columns: str, progress) -> int:
    count, offset = 0, 0
    marks = ", ".join("?" * len(columns.split(",")))
    order = "id" if table == "feedback" else ("name" if table in ("reports", "overrides") else "id")
    while True:
        rows = src.execute(f"SELECT {columns} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?",
                           (ROWS_PER_BATCH, offset)).fetchall()
        if not rows:
            return count
        dst.executemany(f"INSERT INTO {table}({columns}) VALUES ({marks})", [tuple(r) for r in rows])
        count += len(rows)
        offset += len(rows)
        if progress:
            progress(table, count)


def _copy_vectors(source: Settings, target: Settings, model: str, progress) -> int:
    from assistant.store.vectors import Vectors

    src, dst = Vectors(source, model), Vectors(target, model)
    count, offset = 0, 0
    while True:
        page = src._guard(lambda: src.collection.get(include=["embeddings", "metadatas", "documents"],
                                                     limit=VECTORS_PER_BATCH, offset=offset))
        ids = page["ids"]
        if not ids:
            return count
        dst.upsert(list(ids), list(page["documents"]), [list(map(float, e)) for e in page["embeddings"]],
                   list(page["metadatas"]))
        count += len(ids)
        offset += len(ids)
        if progress:
            progress("vectors", count)
