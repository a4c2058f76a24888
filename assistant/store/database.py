"""The library's database, one of two engines chosen by one setting (RA_DATABASE_URL): SQLite in the data
directory (the default: one machine, nothing to run) or PostgreSQL (a library shared by several app
replicas and a worker). The records are the same; only the SQL dialect and connections differ.

Both hold the same tables: reports, paragraphs and chunks (with each chunk's tokens, computed once when
it is stored, and whether its vector is built), the metadata overrides, the change log the lexical index
follows (one row per report added, replaced, corrected or removed), state, and the answer feedback.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from assistant.store.connections import ConnectionPool, Rows, run

TABLES = """
CREATE TABLE IF NOT EXISTS reports (
    name TEXT PRIMARY KEY, source_path TEXT, sha256 TEXT, status TEXT NOT NULL,
    meta TEXT NOT NULL, paragraphs INTEGER, chunks INTEGER, chars INTEGER, ingested_at REAL,
    embedded INTEGER NOT NULL DEFAULT 0, write_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS overrides (name TEXT PRIMARY KEY, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS paragraphs (
    id TEXT PRIMARY KEY, report TEXT NOT NULL, ordinal INTEGER, text TEXT NOT NULL,
    section TEXT NOT NULL, part TEXT NOT NULL, heading TEXT, ocr INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS paragraphs_report ON paragraphs(report, ordinal);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, report TEXT NOT NULL, paragraph_id TEXT NOT NULL, ordinal INTEGER,
    text TEXT NOT NULL, start INTEGER, end_ INTEGER, index_text TEXT NOT NULL,
    words TEXT, pairs TEXT, embedded INTEGER NOT NULL DEFAULT 1, write_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_report ON chunks(report);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""
# Columns a library stored by an earlier version lacks, added with their defaults on opening: its
# chunks' vectors were all built before (embedded = 1), its tokens are computed once on first use.
ADDED_COLUMNS = {
    "paragraphs": [("ocr", "INTEGER NOT NULL DEFAULT 0")],
    "reports": [("embedded", "INTEGER NOT NULL DEFAULT 0"), ("write_id", "INTEGER NOT NULL DEFAULT 0")],
    "chunks": [("words", "TEXT"), ("pairs", "TEXT"), ("embedded", "INTEGER NOT NULL DEFAULT 1"),
               ("write_id", "INTEGER NOT NULL DEFAULT 0")],
}
SQLITE_TABLES = TABLES + """
CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, report TEXT NOT NULL, at REAL);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, user TEXT, rating TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT, citations TEXT NOT NULL
);
"""
POSTGRES_TABLES = TABLES.replace("ingested_at REAL", "ingested_at DOUBLE PRECISION") + """
CREATE TABLE IF NOT EXISTS changes (seq BIGSERIAL PRIMARY KEY, report TEXT NOT NULL, at DOUBLE PRECISION);
CREATE TABLE IF NOT EXISTS feedback (
    id BIGSERIAL PRIMARY KEY, created DOUBLE PRECISION NOT NULL, "user" TEXT, rating TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT, citations TEXT NOT NULL
);
"""
# Connections a process opens at most (to each library): readers beyond it wait a moment for one. Three
# replicas and a worker stay well under PostgreSQL's default of 100.
MAX_CONNECTIONS = 8
# The vector queue: chunks whose vector is not built yet, in the order they were stored.
QUEUE_INDEX = "CREATE INDEX IF NOT EXISTS chunks_queue ON chunks(write_id, id) WHERE embedded = 0"


class Database:
    """Connections of one engine, pooled (connections.py): `execute(sql, params)` with `?` placeholders
    (its rows read at once), `transaction()`, `snapshot()`, `pinned()` for a session's lock."""

    url: str
    shared = False  # several machines' processes (PostgreSQL) rather than one machine's
    pool: ConnectionPool

    def _run(self, connection, sql: str, params) -> Rows:
        return run(connection, sql, params)

    def execute(self, sql: str, params: tuple | list = ()) -> Rows:
        with self.pool.connection() as connection:
            return self._run(connection, sql, params)

    def executemany(self, sql: str, rows: list) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:  # pragma: no cover - abstract
        yield

    def pinned(self):
        """Every statement of this thread in the block on one connection (a session-level lock is its)."""
        return self.pool.pinned()

    def order_changes(self) -> None:
        """Inside a transaction about to log a change: changes commit in the order of their numbers, so a
        reader that sees change n has seen every change before it (the log's followers rely on it). SQLite
        needs nothing: its write transactions run one at a time."""

    def close(self) -> None:
        self.pool.close()


class SqliteDatabase(Database):
    """SQLite in WAL mode: readers go on, each on its own connection, while one writer commits."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.url = str(path)
        self.pool = ConnectionPool(self._connect, lambda db: not db.in_transaction, MAX_CONNECTIONS)
        with self.pool.connection() as db:
            db.executescript(SQLITE_TABLES)
            self._add_missing_columns(db)
            db.execute(QUEUE_INDEX)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    @staticmethod
    def _add_missing_columns(db: sqlite3.Connection) -> None:
        for table, columns in ADDED_COLUMNS.items():
            present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns:
                if name not in present:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def executemany(self, sql: str, rows: list) -> None:
        with self.pool.connection() as db:
            db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.pool.pinned() as db:
            if db.in_transaction:  # nested: part of the enclosing one
                yield
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                yield
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the library (a deferred transaction: WAL keeps its snapshot)."""
        with self.pool.pinned() as db:
            if db.in_transaction:
                yield
                return
            db.execute("BEGIN")
            try:
                yield
            finally:
                db.execute("COMMIT")


_PLACEHOLDER_RE = re.compile(r"\?")
CHANGE_LOG_LOCK = 7236004  # the advisory lock numbering a change in a shared library


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3: pooled connections, autocommit outside transactions."""

    shared = True

    def __init__(self, url: str):
        import psycopg  # only a shared library needs it

        self._psycopg = psycopg
        self.url = url
        self._sql: dict[str, str] = {}
        idle = psycopg.pq.TransactionStatus.IDLE
        self.pool = ConnectionPool(self._connect, lambda db: not db.closed and db.info.transaction_status == idle,
                                   MAX_CONNECTIONS)
        with self.transaction():
            self.execute("SELECT pg_advisory_xact_lock(7236001)")  # replicas starting at once create tables in turn
            for statement in POSTGRES_TABLES.split(";"):
                if statement.strip():
                    self.execute(statement)
            for table, columns in ADDED_COLUMNS.items():
                for name, kind in columns:
                    self.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}")
            self.execute(QUEUE_INDEX)

    def _connect(self):
        return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def _convert(self, sql: str) -> str:
        converted = self._sql.get(sql)
        if converted is None:
            converted = _PLACEHOLDER_RE.sub("%s", sql.replace("%", "%%"))
            self._sql[sql] = converted
        return converted

    def _run(self, connection, sql: str, params) -> Rows:
        return run(connection, self._convert(sql), params or None)

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            with self.pool.connection() as db, db.cursor() as cursor:
                cursor.executemany(self._convert(sql), rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.pool.pinned() as db, db.transaction():
            yield

    def order_changes(self) -> None:
        # Without it a change numbered later could commit first: a replica seeing it would take the library
        # for up to date past the earlier one, still being written, and never read that one.
        self.execute("SELECT pg_advisory_xact_lock(?)", (CHANGE_LOG_LOCK,))  # held until this transaction ends

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self.pool.pinned() as db, db.transaction():
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("postgresql", "postgres")


def open_database(url: str | None, sqlite_path: Path) -> Database:
    """PostgreSQL when the setting names one, else the SQLite file of the data directory."""
    return PostgresDatabase(url) if is_postgres(url) else SqliteDatabase(sqlite_path)
