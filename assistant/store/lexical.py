"""BM25 over jieba tokens (bm25s), persisted beside the store and rebuilt only when the library changed."""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.store.library import Library, StoredChunk
from assistant.retrieval.tokens import add_words, stopwords, tokenize

logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """BM25 scores for every stored chunk; knows which library generation it was built from."""

    def __init__(self, chunk_ids: list[str], reports: list[str], retriever, doc_freq: Counter, generation: int):
        self.chunk_ids = chunk_ids
        self.reports = np.array(reports, dtype=object)
        self.retriever = retriever
        self.doc_freq = doc_freq
        self.generation = generation
        self.size = len(chunk_ids)

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term no chunk holds gets the highest weight."""
        df = self.doc_frequency(term)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def doc_frequency(self, word: str) -> int:
        """Chunks holding the word: exact for one token, else (政务服务 = 政务 + 服务) at most the count of
        its rarest token, an upper bound that keeps a common phrase from weighing like an unknown word."""
        key = word.lower()
        if key in self.doc_freq:
            return self.doc_freq[key]
        tokens = tokenize(key)
        return min((self.doc_freq.get(t, 0) for t in tokens), default=0)

    def general_share(self, word: str) -> float:
        """Share of all chunks holding the word (法治 and 工作 stand in most; 复议 in few)."""
        return self.doc_frequency(word) / self.size if self.size else 0.0

    def holds(self, word: str) -> bool:
        """Whether some chunk holds the word (as one token, or as all of its search tokens)."""
        return self.doc_frequency(word) > 0

    def scores(self, query: str, reports: list[str] | None = None) -> np.ndarray:
        """BM25 score of every chunk for `query` (zero outside `reports` when given)."""
        if self.size == 0:
            return np.zeros(0)
        vocab = self.retriever.vocab_dict
        tokens = [t for t in tokenize(query) if t in vocab and t not in stopwords()]
        if not tokens:
            return np.zeros(self.size)
        scores = np.asarray(self.retriever.get_scores(tokens), dtype=float)
        if reports is not None:
            scores = scores * np.isin(self.reports, reports)
        return scores


def load_or_build(library: Library, directory: Path, region_names: list[str]) -> LexicalIndex:
    """The persisted index if it matches the library's generation, else a fresh one (then saved)."""
    add_words(region_names)
    generation = library.generation
    meta_path = directory / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("generation") == generation:
            return _load(directory, meta)
    index = build(library.chunks(), generation)
    _save(index, directory)
    return index


def build(chunks: list[StoredChunk], generation: int) -> LexicalIndex:
    import bm25s

    token_lists = [tokenize(c.index_text) for c in chunks]
    retriever = bm25s.BM25()
    if token_lists:
        retriever.index(token_lists, show_progress=False)
    doc_freq = Counter(t for tokens in token_lists for t in set(tokens))
    return LexicalIndex([c.id for c in chunks], [c.report for c in chunks], retriever, doc_freq, generation)


def _save(index: LexicalIndex, directory: Path) -> None:
    tmp = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if index.size:
        index.retriever.save(str(tmp), show_progress=False)
    meta = {
        "generation": index.generation,
        "chunk_ids": index.chunk_ids,
        "reports": list(index.reports),
        "doc_freq": dict(index.doc_freq),
    }
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    tmp.rename(directory)  # readers see the old index or the new one, never half of one


def _load(directory: Path, meta: dict) -> LexicalIndex:
    import bm25s

    retriever = bm25s.BM25.load(str(directory), show_progress=False) if meta["chunk_ids"] else bm25s.BM25()
    return LexicalIndex(meta["chunk_ids"], meta["reports"], retriever, Counter(meta["doc_freq"]), meta["generation"])
