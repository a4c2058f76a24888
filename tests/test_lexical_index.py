"""The lexical index grows report by report from stored tokens, and scores as a full rebuild would."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from assistant.language.tokens import tokenize
from assistant.store import lexical_snapshot
from assistant.store.bm25 import Field, add_segment, build, merge
from assistant.store.chunk_tokens import pairs_from_runs, tokens_of
from assistant.store.lexical import LexicalIndex

from .conftest import SAMPLES

TIANQIAO = "004_6793ac9eb53e21ba.txt"
SUIBIN = "003_fb7ec0fd7d2f86b8.txt"
QUERIES = ["行政复议 法律援助 案件 复议", "普法 宣传 活动", "存在 问题 不足", "天桥区 2022年", "规范性文件 备案审查"]


def _reference(a, query: str, field: str) -> dict[str, float]:
    """bm25s over every stored chunk of the library as it is now, built from scratch: chunk id → score."""
    rows = [r for batch in a.store.library.token_rows() for r in batch]
    docs = [r[2].split() if field == "words" else pairs_from_runs(r[3]) for r in rows]
    retriever = bm25s.BM25()
    retriever.index(docs, show_progress=False)
    tokens = tokenize(query, question=True) if field == "words" else pairs_from_runs(query)
    tokens = [t for t in tokens if t in retriever.vocab_dict]
    scores = retriever.get_scores(tokens) if tokens else np.zeros(len(rows))
    return {r[0]: float(s) for r, s in zip(rows, scores)}


def _mine(index: LexicalIndex, query: str, field: str) -> dict[str, float]:
    if field == "words":
        scores = index.words.scores(tokenize(query, question=True), index.live, index.size)
    else:
        scores = index.pairs.scores(pairs_from_runs(query), index.live, index.size)
    return {cid: float(s) for cid, s, alive in zip(index.chunk_ids, scores, index.live) if alive}


def _assert_same_as_rebuild(a) -> None:
    index = a.store.lexical()
    assert index.size == len(a.store.library.chunks())
    for query in QUERIES:
        for field in ("words", "pairs"):
            ref, mine = _reference(a, query, field), _mine(index, query, field)
            assert set(ref) == set(mine)
            assert max(abs(ref[c] - mine[c]) for c in ref) < 1e-4 * max(1.0, max(ref.values()))


def test_adding_replacing_correcting_and_removing_reports_scores_as_a_full_rebuild(lexical_assistant, samples_copy):
    a = lexical_assistant
    for path in sorted(samples_copy.iterdir())[:3]:  # one report at a time: a segment each
        a.ingest([path])
    _assert_same_as_rebuild(a)
    a.ingest([samples_copy])
    _assert_same_as_rebuild(a)
    path = samples_copy / TIANQIAO
    path.write_text(path.read_text(encoding="utf-8").replace("共收到行政复议84件", "共收到行政复议85件"), encoding="utf-8")
    a.ingest([path])  # replaced: its old slots dead, df and lengths without them
    a.set_metadata(SUIBIN, {"region": "绥芬河市", "year": "2020"})
    _assert_same_as_rebuild(a)
    a.remove(SUIBIN)
    _assert_same_as_rebuild(a)
    index = a.store.lexical()
    assert index.doc_frequency("绥芬河市") == 0 and index.holds("天桥区")
    assert "85" in a.ask("天桥区2022年共收到多少件行政复议申请？").answer


def test_a_process_follows_another_ones_changes_without_reading_other_reports(lexical_assistant, samples_copy, monkeypatch):
    from assistant.service import Assistant

    a = lexical_assistant
    a.ingest([samples_copy])
    other = Assistant(a.settings)  # a second process on the same library (another replica, the CLI)
    try:
        assert other.store.lexical().size == a.store.lexical().size
        read: list = []
        original = other.store.library.token_rows
        monkeypatch.setattr(other.store.library, "token_rows", lambda reports=None, **kw: read.append(reports) or original(reports, **kw))
        a.remove(TIANQIAO)
        assert other.ask("天桥区2022年共收到多少件行政复议申请？").refused
        assert read == [[TIANQIAO]]  # only the changed report's rows were read
        _assert_same_as_rebuild(other)
    finally:
        other.close()


def test_a_saved_copy_loads_as_the_index_it_was(lexical_assistant, samples_copy):
    a = lexical_assistant
    a.ingest([samples_copy])
    a.remove(SUIBIN)  # dead slots: the copy is compacted
    index = a.store.lexical()
    a.store.wait_saved()  # a copy the store saved by itself in the background
    assert lexical_snapshot.save(index, a.settings.lexical_dir, a.store.identity)
    assert lexical_snapshot.load(a.settings.lexical_dir, "another library") is None
    loaded = lexical_snapshot.load(a.settings.lexical_dir, a.store.identity)
    assert loaded.generation == index.generation and loaded.size == index.size
    for query in QUERIES:
        assert _mine(loaded, query, "words") == pytest.approx(_mine(index, query, "words"))
        assert _mine(loaded, query, "pairs") == pytest.approx(_mine(index, query, "pairs"))


def test_segments_merge_like_a_binary_counter():
    vocab: dict[str, int] = {}
    field = Field(vocab, (), np.zeros(0, np.int32), 0)
    segments = ()
    slot = 0
    for i in range(64):
        docs = [field.term_ids_of(f"甲 乙{i % 3} 丙{i}".split())]
        segment, _ = build(docs, slot)
        slot += 1
        segments = add_segment(segments, segment)
        sizes = [s.postings for s in segments]
        assert all(a > 2 * b for a, b in zip(sizes, sizes[1:]))  # each more than twice the next
    assert len(segments) <= 7
    whole = merge(list(segments))
    assert whole.postings == 64 * 3
    start, end = whole.lookup(np.asarray([vocab["甲"]]))[0]
    assert list(whole.slots[start:end]) == list(range(64))


def test_a_correction_swaps_the_header_tokens_only():
    from assistant.store.chunk_tokens import swap_header

    body = (SAMPLES / TIANQIAO).read_text(encoding="utf-8").splitlines()[5]
    old = f"山东省济南市天桥区 2022年 工作情况 一、主要工作\n{body}"
    words, pairs = tokens_of(old)
    new_text, new_words, new_pairs = swap_header(old, "山东省济南市历下区 2021年 工作情况 一、主要工作", words, pairs, {})
    assert (new_words, new_pairs) == tokens_of(new_text)
    assert "历下区" in new_words.split() and "天桥区" not in new_words.split()
