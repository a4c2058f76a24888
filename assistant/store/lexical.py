"""The lexical index: BM25 over jieba words and over character bigrams (bm25.py), from the tokens stored
with each chunk, following the library's change log report by report instead of being rebuilt.

A LexicalIndex never changes once made: `updated()` gives a new one sharing the unchanged segments, so
threads answering questions keep a consistent index while another brings it up to date. Chunk slots
only grow; a replaced or removed report's slots go dead (scores 0, report ''), and are dropped when
dead slots pass a third of all (`compacted()`). Bigrams hold where jieba splits a question unlike the
report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from assistant.language.stopwords import is_stopword
from assistant.language.tokens import tokenize
from assistant.store.bm25 import EMPTY, Field, build
from assistant.store.chunk_tokens import pairs_from_runs

COMPACT_DEAD_SHARE = 1 / 3


def idf(doc_freq: int, size: int) -> float:
    """BM25's inverse document frequency; a token no chunk holds gets the highest weight."""
    return math.log(1 + (size - doc_freq + 0.5) / (doc_freq + 0.5))


class LexicalIndex:
    """BM25 scores for every stored chunk; knows which library generation it reflects.

    `chunk_ids`, `reports` and the score arrays are indexed by slot; `size` counts live chunks."""

    def __init__(self, chunk_ids: list[str], report_codes: np.ndarray, report_names: list[str], live: np.ndarray,
                 words: Field, pairs: Field, generation: int):
        self.chunk_ids = chunk_ids
        self.report_codes = report_codes  # int32 per slot, -1 for a dead slot
        self.report_names = report_names  # code → name (grows only)
        self.live = live
        self.words = words
        self.pairs = pairs
        self.generation = generation
        self.size = int(live.sum())
        self._reports: np.ndarray | None = None
        self._df_cache: dict[str, int] = {}

    @classmethod
    def empty(cls, generation: int = 0) -> "LexicalIndex":
        none = np.zeros(0, np.int32)
        return cls([], none, [], np.zeros(0, bool), Field({}, (), none, 0), Field({}, (), none, 0), generation)

    @property
    def reports(self) -> np.ndarray:
        """The report of each slot ('' for a dead one), as names."""
        if self._reports is None:  # fixed-width text: comparing 280,000 of them with one name is one C loop
            names = np.array([*self.report_names, ""], dtype=str)
            self._reports = names[self.report_codes]  # -1 → the trailing ''
        return self._reports

    def report_slots(self) -> dict[str, np.ndarray]:
        codes = np.flatnonzero(self.live)
        order = codes[np.argsort(self.report_codes[codes], kind="stable")]
        held = self.report_codes[order]
        cuts = np.flatnonzero(np.r_[True, held[1:] != held[:-1]]) if len(held) else np.zeros(0, int)
        return {self.report_names[held[a]]: order[a:b] for a, b in zip(cuts, [*cuts[1:], len(order)])}

    # --- what the answering layer reads ------------------------------------------------------------
    def idf(self, term: str) -> float:
        """Inverse document frequency; a term no chunk holds gets the highest weight."""
        return idf(self.doc_frequency(term), self.size)

    def bigram_idf(self, pair: str) -> float:
        return idf(self.pairs.doc_freq(pair, self.live), self.size)

    def doc_frequency(self, word: str) -> int:
        """Chunks holding the word: exact for one token, else (政务服务 = 政务 + 服务) at most the count of
        its rarest token, an upper bound that keeps a common phrase from weighing like an unknown word."""
        key = word.lower()
        found = self._df_cache.get(key)
        if found is None:
            if key in self.words.vocab:
                found = self.words.doc_freq(key, self.live)
            else:
                found = min((self.words.doc_freq(t, self.live) for t in tokenize(key, question=True)), default=0)
            self._df_cache[key] = found
        return found

    def general_share(self, word: str) -> float:
        """Share of all chunks holding the word (法治 and 工作 stand in most; 复议 in few)."""
        return self.doc_frequency(word) / self.size if self.size else 0.0

    def holds(self, word: str) -> bool:
        """Whether some chunk holds the word (as one token, or as all of its search tokens)."""
        return self.doc_frequency(word) > 0

    def scores(self, query: str, reports: list[str] | None = None) -> np.ndarray:
        """BM25 score of every chunk for `query`'s words (zero outside `reports` when given)."""
        tokens = [t for t in tokenize(query, question=True) if not is_stopword(t)]
        return self._within(self.words.scores(tokens, self.live, self.size), reports)

    def bigram_scores(self, pairs: list[str], reports: list[str] | None = None) -> np.ndarray:
        """BM25 score of every chunk for the character bigrams `pairs`."""
        return self._within(self.pairs.scores(pairs, self.live, self.size), reports)

    def _within(self, scores: np.ndarray, reports: list[str] | None) -> np.ndarray:
        scores = scores.astype(float)
        if reports is not None and len(scores):
            chosen = set(reports)
            wanted = [i for i, name in enumerate(self.report_names) if name in chosen]
            scores = scores * np.isin(self.report_codes, wanted)
        return scores

    # --- following the library -------------------------------------------------------------------------
    def updated(self, generation: int, changed: Iterable[str], rows: list[tuple[str, str, str, str]]) -> "LexicalIndex":
        """A new index: the `changed` reports' old slots dead, `rows` (id, report, words, pairs: the current
        chunks of those still stored) added as new slots."""
        live = self.live.copy()
        codes = self.report_codes.copy()
        names = list(self.report_names)
        changed = set(changed)
        dead = np.flatnonzero(live & np.isin(codes, [i for i, n in enumerate(names) if n in changed]))
        live[dead] = False
        codes[dead] = -1
        words, pairs = self.words.without(dead), self.pairs.without(dead)
        if rows:
            known = {n: i for i, n in enumerate(names)}
            new_codes = np.fromiter((known.setdefault(r[1], len(known)) for r in rows), np.int32, len(rows))
            names = list(known)
            first = len(live)
            word_segment, word_lengths = build([words.term_ids_of((r[2] or "").split()) for r in rows], first)
            pair_segment, pair_lengths = build([pairs.term_ids_of(pairs_from_runs(r[3] or "")) for r in rows], first)
            words, pairs = words.with_segment(word_segment, word_lengths), pairs.with_segment(pair_segment, pair_lengths)
            live = np.concatenate([live, np.ones(len(rows), bool)])
            codes = np.concatenate([codes, new_codes])
            chunk_ids = self.chunk_ids + [r[0] for r in rows]
        else:
            chunk_ids = self.chunk_ids
        index = LexicalIndex(chunk_ids, codes, names, live, words, pairs, generation)
        return index.compacted() if len(live) and (len(live) - index.size) > COMPACT_DEAD_SHARE * len(live) else index

    def at(self, generation: int) -> "LexicalIndex":
        """The same index, stamped with the library generation it now reflects."""
        index = LexicalIndex(self.chunk_ids, self.report_codes, self.report_names, self.live, self.words, self.pairs,
                             generation)
        index._reports = self._reports
        return index

    def compacted(self) -> "LexicalIndex":
        """Dead slots dropped, the live ones numbered again in order, each field one segment."""
        keep = self.live
        renumber = (np.cumsum(keep) - 1).astype(np.int32)
        used = sorted(set(self.report_codes[keep].tolist()))
        recode = np.full(len(self.report_names) + 1, -1, np.int32)
        recode[used] = np.arange(len(used), dtype=np.int32)
        names = [self.report_names[i] for i in used]
        return LexicalIndex([c for c, alive in zip(self.chunk_ids, keep) if alive], recode[self.report_codes[keep]],
                            names, np.ones(int(keep.sum()), bool), self.words.compacted(keep, renumber),
                            self.pairs.compacted(keep, renumber), self.generation)

    @property
    def segment_count(self) -> int:
        return len([s for s in self.words.segments if s is not EMPTY])
