"""BM25 over jieba words and over character bigrams (bm25s), persisted beside the store and rebuilt
only when the library changed. Bigrams hold where jieba splits a question unlike the report.

Layout: <lexical_dir>/current.json names the folder holding the published index and its library
generation. A rebuild writes a new folder and swaps the pointer in one rename (os.replace), under a
file lock, so concurrent readers (app sessions, CLI processes) never see half an index and only one
of them builds.
"""

from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from assistant.store.library import Library, StoredChunk
from assistant.language.stopwords import is_stopword
from assistant.language.bigrams import bigrams
from assistant.language.tokens import TOKENIZER_VERSION, add_words, tokenize

logging.getLogger("bm25s").setLevel(logging.WARNING)

POINTER_NAME = "current.json"
WORDS, BIGRAMS = "words", "bigrams"  # the index's two fields, each in a folder of its own
LOCK_NAME = ".lock"


class Field:
    """One BM25 index over every chunk (its words, or its bigrams) and how many chunks hold each token."""

    def __init__(self, retriever):
        self.retriever = retriever
        vocab = retriever.vocab_dict if getattr(retriever, "vocab_dict", None) else {}
        counts = np.diff(retriever.scores["indptr"]) if vocab else np.zeros(0, dtype=int)
        self.doc_freq = {token: int(counts[i]) for token, i in vocab.items() if token}

    def scores(self, tokens: list[str], size: int) -> np.ndarray:
        tokens = [t for t in tokens if t in self.doc_freq]
        if not tokens:
            return np.zeros(size)
        return np.asarray(self.retriever.get_scores(tokens), dtype=float)


def idf(doc_freq: int, size: int) -> float:
    """BM25's inverse document frequency; a token no chunk holds gets the highest weight."""
    return math.log(1 + (size - doc_freq + 0.5) / (doc_freq + 0.5))


class LexicalIndex:
    """BM25 scores for every stored chunk; knows which library generation it was built from."""

    def __init__(self, chunk_ids: list[str], reports: list[str], words: Field, pairs: Field, generation: int):
        self.chunk_ids = chunk_ids
        self.reports = np.array(reports, dtype=object)
        self.words = words
        self.pairs = pairs
        self.generation = generation
        self.size = len(chunk_ids)

    @property
    def retriever(self):
        return self.words.retriever

    @property
    def doc_freq(self) -> dict[str, int]:
        return self.words.doc_freq

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term no chunk holds gets the highest weight."""
        return idf(self.doc_frequency(term), self.size)

    def bigram_idf(self, pair: str) -> float:
        return idf(self.pairs.doc_freq.get(pair, 0), self.size)

    def doc_frequency(self, word: str) -> int:
        """Chunks holding the word: exact for one token, else (政务服务 = 政务 + 服务) at most the count of
        its rarest token, an upper bound that keeps a common phrase from weighing like an unknown word."""
        key = word.lower()
        if key in self.doc_freq:
            return self.doc_freq[key]
        tokens = tokenize(key, question=True)
        return min((self.doc_freq.get(t, 0) for t in tokens), default=0)

    def general_share(self, word: str) -> float:
        """Share of all chunks holding the word (法治 and 工作 stand in most; 复议 in few)."""
        return self.doc_frequency(word) / self.size if self.size else 0.0

    def holds(self, word: str) -> bool:
        """Whether some chunk holds the word (as one token, or as all of its search tokens)."""
        return self.doc_frequency(word) > 0

    def scores(self, query: str, reports: list[str] | None = None) -> np.ndarray:
        """BM25 score of every chunk for `query`'s words (zero outside `reports` when given)."""
        tokens = [t for t in tokenize(query, question=True) if not is_stopword(t)]
        return self._within(self.words.scores(tokens, self.size), reports)

    def bigram_scores(self, pairs: list[str], reports: list[str] | None = None) -> np.ndarray:
        """BM25 score of every chunk for the character bigrams `pairs`."""
        return self._within(self.pairs.scores(pairs, self.size), reports)

    def _within(self, scores: np.ndarray, reports: list[str] | None) -> np.ndarray:
        if reports is not None and len(scores):
            scores = scores * np.isin(self.reports, reports)
        return scores


def load_or_build(library: Library, directory: Path, region_names: list[str]) -> LexicalIndex:
    """The published index if it matches the library's generation, else a fresh one (then published).

    Processes needing a rebuild take turns under a file lock; whoever comes second finds the index
    the first one published and loads it.
    """
    add_words(region_names)
    index = _load_current(directory, library.generation)
    if index is not None:
        return index
    directory.mkdir(parents=True, exist_ok=True)
    with _exclusive(directory / LOCK_NAME):
        generation = library.generation
        index = _load_current(directory, generation)
        if index is None:
            index = build(library.chunks(), generation)
            _publish(index, directory)
    return index


def build(chunks: list[StoredChunk], generation: int) -> LexicalIndex:
    return LexicalIndex([c.id for c in chunks], [c.report for c in chunks],
                        _field([tokenize(c.index_text) for c in chunks]),
                        _field([bigrams(c.index_text) for c in chunks]), generation)


def _field(token_lists: list[list[str]]) -> Field:
    import bm25s

    retriever = bm25s.BM25()
    if token_lists:
        retriever.index(token_lists, show_progress=False)
    return Field(retriever)


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """An inter-process lock (fcntl), held while an index is built and published."""
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_current(directory: Path, generation: int) -> LexicalIndex | None:
    """The published index when it is of this generation; None when stale, missing or just replaced."""
    try:
        pointer = json.loads((directory / POINTER_NAME).read_text(encoding="utf-8"))
        if pointer.get("generation") != generation or pointer.get("tokenizer") != TOKENIZER_VERSION:
            return None  # another library state, or words split another way: built again
        folder = directory / pointer["folder"]
        return _load(folder, json.loads((folder / "meta.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


def _publish(index: LexicalIndex, directory: Path) -> None:
    """Write the index into a folder of its own, then point current.json at it in one rename.

    Folders older than the previous one are removed; a reader still loading one of those gets None
    from _load_current and loads again.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"g{index.generation}-", dir=directory))
    if index.size:
        for name, field in ((WORDS, index.words), (BIGRAMS, index.pairs)):
            field.retriever.save(str(folder / name), show_progress=False)
    meta = {"generation": index.generation, "chunk_ids": index.chunk_ids, "reports": list(index.reports)}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    pointer = directory / POINTER_NAME
    try:
        previous = json.loads(pointer.read_text(encoding="utf-8")).get("folder")
    except (OSError, ValueError):
        previous = None
    staged = directory / f".{POINTER_NAME}.{folder.name}"
    staged.write_text(json.dumps({"generation": index.generation, "folder": folder.name, "tokenizer": TOKENIZER_VERSION}),
                      encoding="utf-8")
    os.replace(staged, pointer)
    for old in directory.iterdir():
        if old.name in {folder.name, previous, POINTER_NAME, LOCK_NAME}:
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _load(directory: Path, meta: dict) -> LexicalIndex:
    import bm25s

    def field(name: str) -> Field:
        return Field(bm25s.BM25.load(str(directory / name), show_progress=False) if meta["chunk_ids"] else bm25s.BM25())

    return LexicalIndex(meta["chunk_ids"], meta["reports"], field(WORDS), field(BIGRAMS), meta["generation"])
