"""BM25 over an inverted index that grows by segments, never rebuilt from the text.

Scores are Lucene's BM25 as bm25s computes them (k1 = 1.5, b = 0.75, idf = ln(1 + (N - df + 0.5) /
(df + 0.5)), a query token given twice counts twice), but nothing is precomputed that depends on the
library as a whole: each posting keeps its term frequency, each chunk slot its length, and df, N and the
average length are read at query time from what is live. So adding a report is one new segment (its
own postings), removing one marks its slots dead: the statistics are current at once, without re-reading
any other chunk.

Segments merge when a newer one grows to half the size of the one before it (a binary counter): at
most log₂ of the postings' count of segments, each posting merged that many times over its life.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

K1, B = 1.5, 0.75
SLOT = np.int32
TF = np.float32


@dataclass(frozen=True)
class Segment:
    """Postings of a set of chunk slots: for each term id (sorted), its slots and term frequencies."""

    terms: np.ndarray  # int32, sorted, unique
    indptr: np.ndarray  # int64, len(terms) + 1
    slots: np.ndarray  # int32
    tf: np.ndarray  # float32

    @property
    def postings(self) -> int:
        return len(self.slots)

    def lookup(self, term_ids: np.ndarray) -> list[tuple[int, int]]:
        """(start, end) of each term's postings here ((0, 0) when absent)."""
        if not len(self.terms):
            return [(0, 0)] * len(term_ids)
        at = np.searchsorted(self.terms, term_ids)
        at_clipped = np.minimum(at, len(self.terms) - 1)
        found = self.terms[at_clipped] == term_ids
        return [(int(self.indptr[i]), int(self.indptr[i + 1])) if ok else (0, 0) for i, ok in zip(at_clipped, found)]

    def term_column(self) -> np.ndarray:
        """The term id of every posting."""
        return np.repeat(self.terms, np.diff(self.indptr))


EMPTY = Segment(np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, SLOT), np.zeros(0, TF))


def from_postings(terms: np.ndarray, slots: np.ndarray, tf: np.ndarray) -> Segment:
    """A segment from postings already ordered by term, then slot."""
    if not len(terms):
        return EMPTY
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    indptr = np.r_[starts, len(terms)].astype(np.int64)
    return Segment(terms[starts].astype(np.int32), indptr, slots.astype(SLOT), tf.astype(TF))


def build(token_lists: list[list[int]], first_slot: int) -> tuple[Segment, np.ndarray]:
    """The segment of chunks given as lists of term ids (slots first_slot, first_slot + 1, …) and their lengths."""
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int32, count=len(token_lists))
    if not lengths.sum():
        return EMPTY, lengths
    term_ids = np.fromiter((t for tokens in token_lists for t in tokens), dtype=np.int64, count=int(lengths.sum()))
    docs = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    keys, counts = np.unique(term_ids * len(token_lists) + docs, return_counts=True)  # by term, then chunk
    terms, slots = np.divmod(keys, len(token_lists))
    return from_postings(terms, slots + first_slot, counts), lengths


def merge(segments: list[Segment], keep: np.ndarray | None = None, renumber: np.ndarray | None = None) -> Segment:
    """One segment holding the others' postings (older segments first, so slots stay ordered per term).
    With `keep` (live slots) dead postings are dropped; with `renumber` slots are mapped to new numbers."""
    segments = [s for s in segments if s.postings]
    if not segments:
        return EMPTY
    terms = np.concatenate([s.term_column() for s in segments])
    slots = np.concatenate([s.slots for s in segments])
    tf = np.concatenate([s.tf for s in segments])
    if keep is not None:
        alive = keep[slots]
        terms, slots, tf = terms[alive], slots[alive], tf[alive]
    if renumber is not None:
        slots = renumber[slots]
    order = np.argsort(terms, kind="stable")
    return from_postings(terms[order], slots[order], tf[order])


def add_segment(segments: tuple[Segment, ...], new: Segment) -> tuple[Segment, ...]:
    """The segments with `new` appended, merging while the newest is at least half the one before."""
    out = [*segments, new] if new.postings else list(segments)
    while len(out) >= 2 and out[-2].postings <= 2 * out[-1].postings:
        out[-2:] = [merge(out[-2:])]
    return tuple(out)


class Field:
    """One BM25 field (jieba words, or character bigrams): its vocabulary, segments and chunk lengths."""

    def __init__(self, vocab: dict[str, int], segments: tuple[Segment, ...], lengths: np.ndarray, total_length: int):
        self.vocab = vocab  # grows only: an older Field never holds the newer ids, so sharing it is safe
        self.segments = segments
        self.lengths = lengths  # per slot
        self.total_length = total_length  # of live slots
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def ids(self, tokens: list[str]) -> list[int]:
        return [self.vocab[t] for t in tokens if t in self.vocab]

    def postings(self, term_id: int, live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Live slots holding the term and its frequency in each (cached: a Field never changes)."""
        found = self._cache.get(term_id)
        if found is None:
            key = np.asarray([term_id])
            parts = [(s, s.lookup(key)[0]) for s in self.segments]
            slots = np.concatenate([s.slots[a:b] for s, (a, b) in parts if b > a] or [np.zeros(0, SLOT)])
            tf = np.concatenate([s.tf[a:b] for s, (a, b) in parts if b > a] or [np.zeros(0, TF)])
            alive = live[slots]
            found = (slots[alive], tf[alive])
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[term_id] = found
        return found

    def doc_freq(self, token: str, live: np.ndarray) -> int:
        term_id = self.vocab.get(token)
        return 0 if term_id is None else len(self.postings(term_id, live)[0])

    def scores(self, tokens: list[str], live: np.ndarray, size: int) -> np.ndarray:
        """BM25 of every slot for the tokens (repeats count again), zero for dead slots."""
        out = np.zeros(len(live), dtype=TF)
        if not size:
            return out
        average = np.float32(self.total_length / size)
        for term_id in self.ids(tokens):
            slots, tf = self.postings(term_id, live)
            if not len(slots):
                continue
            idf = np.float32(math.log(1 + (size - len(slots) + 0.5) / (len(slots) + 0.5)))
            norm = np.float32(K1) * (np.float32(1 - B) + np.float32(B) * self.lengths[slots] / average)
            out[slots] += idf * (tf / (norm + tf))
        return out

    def with_segment(self, segment: Segment, lengths: np.ndarray) -> "Field":
        return Field(self.vocab, add_segment(self.segments, segment), np.concatenate([self.lengths, lengths]),
                     self.total_length + int(lengths.sum()))

    def without(self, dead_slots: np.ndarray) -> "Field":
        return Field(self.vocab, self.segments, self.lengths, self.total_length - int(self.lengths[dead_slots].sum()))

    def compacted(self, keep: np.ndarray, renumber: np.ndarray) -> "Field":
        """Dead slots dropped, the rest numbered again, every segment merged into one."""
        return Field(self.vocab, (merge(list(self.segments), keep, renumber),), self.lengths[keep], self.total_length)

    def term_ids_of(self, tokens: list[str]) -> list[int]:
        """Ids of the tokens, new tokens getting new ids."""
        vocab = self.vocab
        return [vocab.setdefault(t, len(vocab)) for t in tokens]
