"""The report library's records: reports, paragraphs and chunks (with their tokens), the source of truth.

Vectors live in Chroma (vectors.py), built in the background from the queue kept here (vector_queue.py);
the lexical index is derived from the stored tokens and follows the change log (lexical.py).
A write goes pending → records and tokens → ok: a run killed in between leaves a 'pending' report that
the next run clears; readers only ever see reports whose status is 'ok'. Once ok, a report is searchable
by its words; its vectors follow, chunk by chunk, and a killed run's queue is resumed by the next.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Iterator

from ingest.model import Chunk, Paragraph, ParsedReport, Part, ReportMeta

from assistant.store.database import Database

OK, PENDING = "ok", "pending"
# The change log's name for "every report": the library was emptied (`ingest --rebuild`); followers start over.
EVERY_REPORT = ""
# Ids bound per IN (…) query: well under SQLite's limit on bound parameters.
ID_BATCH = 500
REPORT_COLUMNS = "meta, source_path, sha256, status, paragraphs, chunks, chars, embedded"


@dataclass(frozen=True)
class ReportRecord:
    meta: ReportMeta
    source_path: str
    sha256: str
    status: str
    paragraphs: int
    chunks: int
    chars: int
    embedded: int = 0  # chunks whose vector is built


@dataclass(frozen=True)
class StoredChunk:
    id: str
    report: str
    paragraph_id: str
    text: str
    start: int
    end: int
    index_text: str


@dataclass(frozen=True)
class QueuedChunk:
    """A chunk waiting for its vector, with what Chroma keeps beside it."""

    id: str
    report: str
    write_id: int
    index_text: str
    paragraph_id: str
    part: str


def index_header(meta: ReportMeta, paragraph: Paragraph) -> str:
    place = "".join(x for x in (meta.province, meta.city, meta.region) if x)
    year = f"{meta.year}年" if meta.year else ""
    return f"{place} {year} {paragraph.part.label} {' '.join(paragraph.section_path)}"


def index_text(meta: ReportMeta, paragraph: Paragraph, chunk_text: str) -> str:
    """What the lexical and dense indexes see: who, when, which part and section, then the text.

    Carrying region, year and outline lets '绥滨县存在的问题' find 绥滨县's problem list.
    """
    return f"{index_header(meta, paragraph)}\n{chunk_text}"


class Library:
    """The records, over SQLite or PostgreSQL (database.py)."""

    def __init__(self, db: Database):
        self.db = db

    def close(self) -> None:
        self.db.close()

    def _rows(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        return list(self.db.execute(sql, params).fetchall())

    def _one(self, sql: str, params: tuple | list = ()):
        return self.db.execute(sql, params).fetchone()

    # --- state -------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        row = self._one("SELECT value FROM state WHERE key=?", (key,))
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                        (key, value))

    def identity(self) -> str:
        """This library's own id, made when it is first opened (a copy of the lexical index saved for another
        library, or for this one before it was emptied, is not taken for this one's)."""
        self.db.execute("INSERT INTO state(key, value) VALUES ('library', ?) ON CONFLICT(key) DO NOTHING",
                        (uuid.uuid4().hex,))  # two processes opening a new library at once keep the first id
        return str(self.get_state("library"))

    def empty(self) -> None:
        """Remove every report, its corrections and the state (the answer feedback stays); the change log says
        so in one row, so that every process following it starts its index over."""
        with self.db.transaction():
            for table in ("reports", "overrides", "paragraphs", "chunks", "changes", "state"):
                self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - table names of this module
            self._log(EVERY_REPORT)

    @property
    def generation(self) -> int:
        """The last change to the set of searchable chunks; derived indexes follow the log up to it."""
        return int(self._one("SELECT COALESCE(MAX(seq), 0) FROM changes")[0])

    def _log(self, name: str) -> int:
        """Log a change to `name` (inside the transaction making it); its number follows every committed one."""
        self.db.order_changes()
        return int(self._one("INSERT INTO changes(report, at) VALUES (?, ?) RETURNING seq", (name, time.time()))[0])

    def changes_since(self, generation: int) -> tuple[int, list[str]]:
        """The library's generation now and the reports changed after `generation` (each once)."""
        rows = self._rows("SELECT seq, report FROM changes WHERE seq > ? ORDER BY seq", (generation,))
        if not rows:
            return max(generation, self.generation), []
        return int(rows[-1][0]), list(dict.fromkeys(r[1] for r in rows))

    # --- reports -----------------------------------------------------------------------------
    def reports(self, include_pending: bool = False) -> list[ReportRecord]:
        where = "" if include_pending else f" WHERE status = '{OK}'"
        return [_record(row) for row in self._rows(f"SELECT {REPORT_COLUMNS} FROM reports{where} ORDER BY name")]

    def report(self, name: str) -> ReportRecord | None:
        row = self._one(f"SELECT {REPORT_COLUMNS} FROM reports WHERE name=?", (name,))
        return _record(row) if row else None

    def reports_named(self, names: list[str]) -> list[ReportRecord]:
        rows = []
        for start in range(0, len(names), ID_BATCH):
            batch = names[start : start + ID_BATCH]
            rows += self._rows(f"SELECT {REPORT_COLUMNS} FROM reports WHERE name IN ({','.join('?' * len(batch))})", batch)
        return [_record(row) for row in rows]

    def report_with_sha(self, sha: str, exclude: str | None = None) -> ReportRecord | None:
        """A stored report whose source file had exactly this content (duplicates under another name)."""
        row = self._one(f"SELECT {REPORT_COLUMNS} FROM reports WHERE sha256=? AND status=? AND name <> ? "
                        "ORDER BY name LIMIT 1", (sha, OK, exclude or ""))
        return _record(row) if row else None

    def pending(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT name FROM reports WHERE status=?", (PENDING,))]

    def overrides(self, name: str) -> dict:
        row = self._one("SELECT fields FROM overrides WHERE name=?", (name,))
        return json.loads(row[0]) if row else {}

    def set_overrides(self, name: str, fields: dict) -> None:
        merged = json.dumps({**self.overrides(name), **fields}, ensure_ascii=False)
        self.db.execute("INSERT INTO overrides(name, fields) VALUES (?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET fields=excluded.fields", (name, merged))

    def begin_write(self, report: ParsedReport) -> int:
        """Phase 1: mark the report pending and drop its old rows (its old vectors go next). Returns the
        write's id, which its chunks carry (the vector queue tells a replaced version's chunks by it)."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO reports(name, source_path, sha256, status, meta, paragraphs, chunks, chars, ingested_at, embedded)"
                " VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?, 0) ON CONFLICT(name) DO UPDATE SET source_path=excluded.source_path,"
                " sha256=excluded.sha256, status=excluded.status, meta=excluded.meta, paragraphs=0, chunks=0, chars=0,"
                " ingested_at=excluded.ingested_at, embedded=0",
                (report.meta.name, report.source_path, report.sha256, PENDING, _meta_json(report.meta), time.time()),
            )
            self._delete_rows(report.meta.name)
            write_id = self._log(report.meta.name)
            self.db.execute("UPDATE reports SET write_id=? WHERE name=?", (write_id, report.meta.name))
        return write_id

    def finish_write(self, report: ParsedReport, index_texts: dict[str, str], tokens: dict[str, tuple[str, str]],
                     write_id: int, embedded: bool) -> None:
        """Phase 2: store paragraphs, chunks and their tokens, and mark the report ok (searchable by its
        words at once). With `embedded` False its chunks join the vector queue."""
        name = report.meta.name
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO paragraphs(id, report, ordinal, text, section, part, heading, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(p.id, name, p.ordinal, p.text, json.dumps(p.section_path, ensure_ascii=False), p.part.value, p.heading,
                  int(p.ocr)) for p in report.paragraphs],
            )
            self.db.executemany(
                "INSERT INTO chunks(id, report, paragraph_id, ordinal, text, start, end_, index_text, words, pairs, embedded,"
                " write_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(c.id, name, c.paragraph_id, c.ordinal, c.text, c.start, c.end, index_texts[c.id], *tokens[c.id],
                  int(embedded), write_id) for c in report.chunks],
            )
            self.db.execute(
                "UPDATE reports SET status=?, meta=?, paragraphs=?, chunks=?, chars=?, ingested_at=?, embedded=? WHERE name=?",
                (OK, _meta_json(report.meta), len(report.paragraphs), len(report.chunks), report.char_count, time.time(),
                 len(report.chunks) if embedded else 0, name),
            )
            self._log(name)

    def update_meta(self, name: str, meta: ReportMeta, chunks: list[tuple[str, str, str, str]]) -> None:
        """A metadata correction: the report's metadata and its chunks' index texts and tokens
        (id, index_text, words, pairs), in one transaction; the text and the vectors stay."""
        with self.db.transaction():
            self.db.execute("UPDATE reports SET meta=? WHERE name=?", (_meta_json(meta), name))
            self.db.executemany("UPDATE chunks SET index_text=?, words=?, pairs=? WHERE id=?",
                                [(text, words, pairs, cid) for cid, text, words, pairs in chunks])
            self._log(name)

    def forget_hash(self, name: str) -> None:
        """Make the next ingest of this report re-parse it even though its file did not change."""
        self.db.execute("UPDATE reports SET sha256='' WHERE name=?", (name,))

    def mark_pending(self, name: str) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE reports SET status=? WHERE name=?", (PENDING, name))
            self._log(name)

    def delete(self, name: str) -> None:
        with self.db.transaction():
            self._delete_rows(name)
            self.db.execute("DELETE FROM reports WHERE name=?", (name,))
            self._log(name)

    def _delete_rows(self, name: str) -> None:
        self.db.execute("DELETE FROM paragraphs WHERE report=?", (name,))
        self.db.execute("DELETE FROM chunks WHERE report=?", (name,))

    # --- reading -----------------------------------------------------------------------------
    def paragraphs(self, report: str) -> list[Paragraph]:
        rows = self._rows("SELECT id, ordinal, text, section, part, heading, ocr FROM paragraphs WHERE report=? "
                          "ORDER BY ordinal", (report,))
        return [_paragraph(row) for row in rows]

    def _rows_by_ids(self, select: str, ids: list[str]) -> list[tuple]:
        """`select … WHERE id IN (…)` in batches (SQLite caps the number of bound parameters)."""
        rows: list[tuple] = []
        for start in range(0, len(ids), ID_BATCH):
            batch = ids[start : start + ID_BATCH]
            rows.extend(self._rows(f"{select} WHERE id IN ({','.join('?' * len(batch))})", batch))
        return rows

    def paragraphs_by_id(self, ids: list[str]) -> dict[str, Paragraph]:
        rows = self._rows_by_ids("SELECT id, ordinal, text, section, part, heading, ocr FROM paragraphs", ids)
        return {row[0]: _paragraph(row) for row in rows}

    def chunks(self) -> list[StoredChunk]:
        """All chunks of ok reports, in a stable order."""
        rows = self._rows("SELECT c.id, c.report, c.paragraph_id, c.text, c.start, c.end_, c.index_text FROM chunks c "
                          f"JOIN reports r ON r.name = c.report WHERE r.status = '{OK}' ORDER BY c.report, c.id")
        return [StoredChunk(*row) for row in rows]

    def chunk_spans(self, ids: list[str]) -> dict[str, tuple[int, int]]:
        """Where each chunk sits inside its paragraph."""
        return {cid: (s, e) for cid, s, e in self._rows_by_ids("SELECT id, start, end_ FROM chunks", ids)}

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        return dict(self._rows_by_ids("SELECT id, text FROM chunks", ids))

    def chunks_of(self, report: str) -> list[Chunk]:
        rows = self._rows("SELECT id, paragraph_id, ordinal, text, start, end_ FROM chunks WHERE report=? ORDER BY id",
                          (report,))
        return [Chunk(*row) for row in rows]

    def index_rows(self, report: str) -> list[tuple[str, str, str, str]]:
        """(id, index_text, words, pairs) of a report's chunks."""
        return self._rows("SELECT id, index_text, words, pairs FROM chunks WHERE report=? ORDER BY id", (report,))

    # --- tokens, for the lexical index ------------------------------------------------------------
    def token_rows(self, reports: list[str] | None = None, batch: int = 20_000) -> Iterator[list[tuple]]:
        """(id, report, words, pairs) of ok reports' chunks (all, or those of `reports`), in batches,
        ordered by report and id."""
        if reports is not None:
            for start in range(0, len(reports), ID_BATCH):
                names = reports[start : start + ID_BATCH]
                yield self._rows("SELECT c.id, c.report, c.words, c.pairs FROM chunks c JOIN reports r ON r.name = c.report"
                                 f" WHERE r.status = '{OK}' AND c.report IN ({','.join('?' * len(names))})"
                                 " ORDER BY c.report, c.id", names)
            return
        after = ("", "")
        while True:
            rows = self._rows("SELECT c.id, c.report, c.words, c.pairs FROM chunks c JOIN reports r ON r.name = c.report"
                              f" WHERE r.status = '{OK}' AND (c.report > ? OR (c.report = ? AND c.id > ?))"
                              " ORDER BY c.report, c.id LIMIT ?", (after[0], after[0], after[1], batch))
            if not rows:
                return
            yield rows
            after = (rows[-1][1], rows[-1][0])

    def untokenised(self, limit: int = 5000) -> list[tuple[str, str]]:
        """(id, index_text) of chunks stored by an earlier version, without tokens."""
        return self._rows("SELECT id, index_text FROM chunks WHERE words IS NULL OR pairs IS NULL LIMIT ?", (limit,))

    def set_tokens(self, rows: list[tuple[str, str, str]]) -> None:
        with self.db.transaction():
            self.db.executemany("UPDATE chunks SET words=?, pairs=? WHERE id=?", [(w, p, cid) for cid, w, p in rows])

    def clear_tokens(self) -> None:
        """Every chunk tokenised again (words are split another way now)."""
        self.db.execute("UPDATE chunks SET words=NULL, pairs=NULL")

    # --- the vector queue ----------------------------------------------------------------------------
    def queued(self, limit: int) -> list[QueuedChunk]:
        """Chunks of ok reports whose vectors are not built, oldest write first."""
        rows = self._rows("SELECT c.id, c.report, c.write_id, c.index_text, c.paragraph_id, p.part FROM chunks c"
                          " JOIN reports r ON r.name = c.report JOIN paragraphs p ON p.id = c.paragraph_id"
                          f" WHERE c.embedded = 0 AND r.status = '{OK}' ORDER BY c.write_id, c.id LIMIT ?", (limit,))
        return [QueuedChunk(*row) for row in rows]

    def mark_embedded(self, chunks: list[QueuedChunk]) -> set[str]:
        """Record built vectors; returns the ids whose row is no longer that write's (replaced or removed)."""
        stale: set[str] = set()
        with self.db.transaction():
            for chunk in chunks:
                updated = self.db.execute("UPDATE chunks SET embedded=1 WHERE id=? AND write_id=?",
                                          (chunk.id, chunk.write_id)).rowcount
                if not updated:
                    stale.add(chunk.id)
            for report in {c.report for c in chunks}:
                self.db.execute("UPDATE reports SET embedded=(SELECT COUNT(*) FROM chunks WHERE report=? AND embedded=1)"
                                " WHERE name=?", (report, report))
        return stale

    def embedded_ids(self, report: str) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM chunks WHERE report=? AND embedded=1", (report,))]

    def existing_chunks(self, ids: list[str]) -> set[str]:
        return {row[0] for row in self._rows_by_ids("SELECT id FROM chunks", ids)}

    def unembedded(self) -> dict[str, tuple[int, int]]:
        """Reports whose vectors are not all built: name → (built, chunks)."""
        return {r[0]: (r[1], r[2]) for r in self._rows(
            f"SELECT name, embedded, chunks FROM reports WHERE status = '{OK}' AND embedded < chunks ORDER BY write_id")}

    def queue_length(self) -> int:
        return int(self._one(f"SELECT COUNT(*) FROM chunks c JOIN reports r ON r.name = c.report"
                             f" WHERE c.embedded = 0 AND r.status = '{OK}'")[0])


def _meta_json(meta: ReportMeta) -> str:
    return json.dumps(meta.to_dict(), ensure_ascii=False)


def _record(row) -> ReportRecord:
    meta, source_path, sha, status, paragraphs, chunks, chars, embedded = row
    return ReportRecord(ReportMeta.from_dict(json.loads(meta)), source_path, sha, status, paragraphs, chunks, chars,
                        embedded or 0)


def _paragraph(row) -> Paragraph:
    pid, ordinal, text, section, part, heading, ocr = row
    return Paragraph(id=pid, ordinal=ordinal, text=text, section_path=tuple(json.loads(section)), part=Part(part),
                     heading=heading, ocr=bool(ocr))
