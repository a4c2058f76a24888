"""The report library's records: reports, paragraphs and chunks in SQLite, the source of truth for text.

Vectors live in Chroma (see vectors.py) and the BM25 index is derived from these rows (lexical.py).
Every write goes pending → vectors → ok, so a run killed at any point leaves a 'pending' mark that
the next run cleans up; readers only ever see reports whose status is 'ok'.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ingest.model import Chunk, Paragraph, ParsedReport, Part, ReportMeta

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    name TEXT PRIMARY KEY, source_path TEXT, sha256 TEXT, status TEXT NOT NULL,
    meta TEXT NOT NULL, paragraphs INTEGER, chunks INTEGER, chars INTEGER, ingested_at REAL
);
CREATE TABLE IF NOT EXISTS overrides (name TEXT PRIMARY KEY, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS paragraphs (
    id TEXT PRIMARY KEY, report TEXT NOT NULL, ordinal INTEGER, text TEXT NOT NULL,
    section TEXT NOT NULL, part TEXT NOT NULL, heading TEXT, ocr INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS paragraphs_report ON paragraphs(report, ordinal);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, report TEXT NOT NULL, paragraph_id TEXT NOT NULL, ordinal INTEGER,
    text TEXT NOT NULL, start INTEGER, end_ INTEGER, index_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_report ON chunks(report);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""

OK, PENDING = "ok", "pending"
# Ids bound per IN (…) query: well under SQLite's limit on bound parameters.
ID_BATCH = 500


@dataclass(frozen=True)
class ReportRecord:
    meta: ReportMeta
    source_path: str
    sha256: str
    status: str
    paragraphs: int
    chunks: int
    chars: int


@dataclass(frozen=True)
class StoredChunk:
    id: str
    report: str
    paragraph_id: str
    text: str
    start: int
    end: int
    index_text: str


def index_text(meta: ReportMeta, paragraph: Paragraph, chunk_text: str) -> str:
    """What the lexical and dense indexes see: who, when, which part and section, then the text.

    Carrying region, year and outline lets '绥滨县存在的问题' find 绥滨县's problem list.
    """
    place = "".join(x for x in (meta.province, meta.city, meta.region) if x)
    year = f"{meta.year}年" if meta.year else ""
    section = " ".join(paragraph.section_path)
    return f"{place} {year} {paragraph.part.label} {section}\n{chunk_text}"


class Library:
    """SQLite records of the library. Each thread gets its own connection (the app serves several
    browser sessions at once); WAL lets readers go on while one writer commits."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._db.executescript(SCHEMA)
        self._add_missing_columns()

    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
            self._connections.append(db)
        return db

    def close(self) -> None:
        for db in self._connections:
            db.close()
        self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _add_missing_columns(self) -> None:
        """A library stored by an earlier version lacks the paragraphs' OCR mark: added, every row unmarked."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(paragraphs)")}
        if "ocr" not in columns:
            self._db.execute("ALTER TABLE paragraphs ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0")

    # --- state -------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        """Bumped on every change to the set of stored chunks; derived indexes compare against it."""
        return int(self.get_state("generation") or 0)

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO state(key, value) VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # --- reports -----------------------------------------------------------------------------
    def reports(self, include_pending: bool = False) -> list[ReportRecord]:
        sql = "SELECT meta, source_path, sha256, status, paragraphs, chunks, chars FROM reports"
        if not include_pending:
            sql += f" WHERE status = '{OK}'"
        rows = self._db.execute(sql + " ORDER BY name").fetchall()
        return [_record(row) for row in rows]

    def report(self, name: str) -> ReportRecord | None:
        row = self._db.execute(
            "SELECT meta, source_path, sha256, status, paragraphs, chunks, chars FROM reports WHERE name=?", (name,)
        ).fetchone()
        return _record(row) if row else None

    def report_with_sha(self, sha: str, exclude: str | None = None) -> ReportRecord | None:
        """A stored report whose source file had exactly this content (duplicates under another name)."""
        row = self._db.execute(
            "SELECT meta, source_path, sha256, status, paragraphs, chunks, chars FROM reports "
            "WHERE sha256=? AND status=? AND name IS NOT ? ORDER BY name LIMIT 1", (sha, OK, exclude)
        ).fetchone()
        return _record(row) if row else None

    def pending(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM reports WHERE status=?", (PENDING,))]

    def overrides(self, name: str) -> dict:
        row = self._db.execute("SELECT fields FROM overrides WHERE name=?", (name,)).fetchone()
        return json.loads(row[0]) if row else {}

    def set_overrides(self, name: str, fields: dict) -> None:
        merged = {**self.overrides(name), **fields}
        self._db.execute("INSERT OR REPLACE INTO overrides(name, fields) VALUES (?, ?)", (name, json.dumps(merged, ensure_ascii=False)))

    def begin_write(self, report: ParsedReport) -> None:
        """Phase 1: mark the report pending and drop its old rows (its vectors go next)."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO reports(name, source_path, sha256, status, meta, paragraphs, chunks, chars, ingested_at)"
                " VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?)",
                (report.meta.name, report.source_path, report.sha256, PENDING, _meta_json(report.meta), time.time()),
            )
            self._delete_rows(db, report.meta.name)
            self._bump(db)

    def finish_write(self, report: ParsedReport, index_texts: dict[str, str]) -> None:
        """Phase 3: the vectors are in; store paragraphs and chunks and mark the report ok."""
        name = report.meta.name
        with self._tx() as db:
            db.executemany(
                "INSERT INTO paragraphs(id, report, ordinal, text, section, part, heading, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(p.id, name, p.ordinal, p.text, json.dumps(p.section_path, ensure_ascii=False), p.part.value, p.heading,
                  int(p.ocr)) for p in report.paragraphs],
            )
            db.executemany(
                "INSERT INTO chunks(id, report, paragraph_id, ordinal, text, start, end_, index_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(c.id, name, c.paragraph_id, c.ordinal, c.text, c.start, c.end, index_texts[c.id]) for c in report.chunks],
            )
            db.execute(
                "UPDATE reports SET status=?, meta=?, paragraphs=?, chunks=?, chars=?, ingested_at=? WHERE name=?",
                (OK, _meta_json(report.meta), len(report.paragraphs), len(report.chunks), report.char_count, time.time(), name),
            )
            self._bump(db)

    def forget_hash(self, name: str) -> None:
        """Make the next ingest of this report re-parse it even though its file did not change."""
        self._db.execute("UPDATE reports SET sha256='' WHERE name=?", (name,))

    def mark_pending(self, name: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE reports SET status=? WHERE name=?", (PENDING, name))
            self._bump(db)

    def delete(self, name: str) -> None:
        with self._tx() as db:
            self._delete_rows(db, name)
            db.execute("DELETE FROM reports WHERE name=?", (name,))
            self._bump(db)

    def _delete_rows(self, db: sqlite3.Connection, name: str) -> None:
        db.execute("DELETE FROM paragraphs WHERE report=?", (name,))
        db.execute("DELETE FROM chunks WHERE report=?", (name,))

    # --- reading -----------------------------------------------------------------------------
    def paragraphs(self, report: str) -> list[Paragraph]:
        rows = self._db.execute(
            "SELECT id, ordinal, text, section, part, heading, ocr FROM paragraphs WHERE report=? ORDER BY ordinal", (report,)
        ).fetchall()
        return [_paragraph(row) for row in rows]

    def _rows_by_ids(self, select: str, ids: list[str]) -> list[tuple]:
        """`select … WHERE id IN (…)` in batches (SQLite caps the number of bound parameters)."""
        rows: list[tuple] = []
        for start in range(0, len(ids), ID_BATCH):
            batch = ids[start : start + ID_BATCH]
            rows.extend(self._db.execute(f"{select} WHERE id IN ({','.join('?' * len(batch))})", batch))
        return rows

    def paragraphs_by_id(self, ids: list[str]) -> dict[str, Paragraph]:
        rows = self._rows_by_ids("SELECT id, ordinal, text, section, part, heading, ocr FROM paragraphs", ids)
        return {row[0]: _paragraph(row) for row in rows}

    def chunks(self) -> list[StoredChunk]:
        """All chunks of ok reports, in a stable order (the order the lexical index numbers them)."""
        rows = self._db.execute(
            "SELECT c.id, c.report, c.paragraph_id, c.text, c.start, c.end_, c.index_text FROM chunks c "
            f"JOIN reports r ON r.name = c.report WHERE r.status = '{OK}' ORDER BY c.report, c.id"
        ).fetchall()
        return [StoredChunk(*row) for row in rows]

    def chunk_spans(self, ids: list[str]) -> dict[str, tuple[int, int]]:
        """Where each chunk sits inside its paragraph."""
        return {cid: (s, e) for cid, s, e in self._rows_by_ids("SELECT id, start, end_ FROM chunks", ids)}

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        return dict(self._rows_by_ids("SELECT id, text FROM chunks", ids))

    def chunks_of(self, report: str) -> list[Chunk]:
        rows = self._db.execute(
            "SELECT id, paragraph_id, ordinal, text, start, end_ FROM chunks WHERE report=? ORDER BY id", (report,)
        ).fetchall()
        return [Chunk(*row) for row in rows]


def _meta_json(meta: ReportMeta) -> str:
    return json.dumps(meta.to_dict(), ensure_ascii=False)


def _record(row) -> ReportRecord:
    meta, source_path, sha, status, paragraphs, chunks, chars = row
    return ReportRecord(ReportMeta.from_dict(json.loads(meta)), source_path, sha, status, paragraphs, chunks, chars)


def _paragraph(row) -> Paragraph:
    pid, ordinal, text, section, part, heading, ocr = row
    return Paragraph(id=pid, ordinal=ordinal, text=text, section_path=tuple(json.loads(section)), part=Part(part),
                     heading=heading, ocr=bool(ocr))

