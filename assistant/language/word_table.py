"""jieba's full dictionary as a table on disk, read word by word: each word's frequency and part of speech.

Loading the dictionary whole takes about 0.6 s (350,000 words and their prefixes); splitting one
question needs a few hundred look-ups. The table (SQLite, in the user's cache folder, built once from
jieba's own dictionary file) gives exactly the splits of the whole dictionary, so a command that asks
one question starts fast. A smaller dictionary of the library's own words was tried first: it split
differently (那份 kept whole, 生产总值 cut into words reports do hold) and answers changed.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

import jieba

from ingest.cache import cached_file, write_cached

# Look-ups remembered per process (a word costs a few microseconds to read again; this bounds memory).
REMEMBERED_LOOKUPS = 200_000


class WordTable:
    """The `FREQ` mapping jieba's Tokenizer reads (word or prefix → frequency, 0 for a bare prefix), backed
    by the table; words added at run time (region names) live in memory."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.total = int(self._db.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0])
        self._added: dict[str, int] = {}
        self._read = lru_cache(maxsize=REMEMBERED_LOOKUPS)(self._read_row)

    def _read_row(self, word: str) -> int | None:
        row = self._db.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        return None if row is None else int(row[0])

    def tag(self, word: str) -> str | None:
        """The word's part of speech as jieba's dictionary gives it (n, v, d …), None for a word it lacks."""
        row = self._db.execute("SELECT tag FROM tags WHERE word = ?", (word,)).fetchone()
        return None if row is None else row[0]

    def get(self, word: str, default: int | None = None) -> int | None:
        value = self._added.get(word)
        if value is None:
            value = self._read(word)
        return default if value is None else value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __setitem__(self, word: str, freq: int) -> None:
        self._added[word] = freq


@lru_cache(maxsize=1)
def word_table() -> WordTable | None:
    """The table, built on first use; None when it cannot be kept (a read-only home folder)."""
    source = Path(jieba.__file__).parent / "dict.txt"
    path = cached_file("jieba-words", [source, Path(__file__)], ".sqlite3")
    if not path.is_file() and not write_cached(path, _build):
        return None
    return WordTable(path)


@lru_cache(maxsize=1)
def _tags_in_memory() -> dict[str, str]:
    """jieba's parts of speech read from its dictionary file (when no table can be kept)."""
    source = Path(jieba.__file__).parent / "dict.txt"
    with open(source, encoding="utf-8") as handle:
        return {parts[0]: parts[2] for parts in (line.split() for line in handle) if len(parts) >= 3}


@lru_cache(maxsize=REMEMBERED_LOOKUPS)
def word_tag(word: str) -> str | None:
    """The word's part of speech in jieba's dictionary (its commonest use), None when it has none."""
    table = word_table()
    return table.tag(word) if table is not None else _tags_in_memory().get(word)


def table_tokenizer() -> jieba.Tokenizer | None:
    """A jieba Tokenizer over the table, built on first use; None when the table cannot be kept (a
    read-only home folder): the caller then loads the whole dictionary."""
    table = word_table()
    if table is None:
        return None
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = table, table.total, True
    return tokenizer


def _build(path: Path) -> None:
    """Write jieba's dictionary, as its own Tokenizer reads it, into a table (about two seconds, once)."""
    full = jieba.Tokenizer()
    full.check_initialized()
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE tags (word TEXT PRIMARY KEY, tag TEXT NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.executemany("INSERT INTO words VALUES (?, ?)", full.FREQ.items())
        db.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)", _tags_in_memory().items())
        db.execute("INSERT INTO meta VALUES ('total', ?)", (str(full.total),))
        db.commit()
    finally:
        db.close()
