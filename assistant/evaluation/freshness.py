"""`bench`'s figures for a report added to the library it built: how soon it is found by its words (issue
18: ≤ 3 s for 30,000 characters; issue 19: whatever the library's size), how long a metadata correction
takes, and, with vectors, the whole ingest's throughput against the raw embedder on the same chunks."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from ingest.text import normalise

from assistant.config.settings import SAMPLES_DIR
from ingest.cleaning import clean
from ingest.metadata import infer_metadata

from assistant.evaluation.bench import _FIGURE_RE, SEED, BenchQuestion, _questions, _swap_region, _swap_years
from assistant.store.ingestion import ingest_files
from assistant.store.vector_queue import drain

FRESH_REGION = "新近"
CORRECTED_REGION = "更正区"
SEARCH_TIMEOUT_S = 60
RAW_BATCH = 64  # the raw embedder's batch (the old default: one call per 64 passages)


def fresh_report(chars: int, folder: Path) -> tuple[Path, BenchQuestion]:
    """A report of about `chars` characters (the samples' text, each part moved to one region and year the way
    `bench` makes its corpus, figures changed in the repeats), and a question about its first part."""
    rng = random.Random(SEED + 1)
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    parts, total, region, year = [], 0, "", 2025
    while total < chars:
        source = samples[len(parts) % len(samples)]
        text = source.read_text(encoding="utf-8")
        meta = infer_metadata(source.name, clean(text))
        region = region or FRESH_REGION + (meta.region[-1] if meta.region else "区")
        text = _swap_years(_swap_region(text, meta.region, region), meta.year, year)
        if len(parts) >= len(samples):  # a repeat: other figures, so that the question's quote stays unique
            text = _FIGURE_RE.sub(lambda m: str(int(m.group(1)) + 1), text)
        parts.append(text)
        total += len(text)
    text = "\n".join(parts)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fresh_{chars // 1000}k.txt"
    path.write_text(text, encoding="utf-8")
    first = _questions(rng, parts[0], path.name, region, year)
    return path, next(q for q in first if text.count(q.quote) == 1)


def _found(assistant, question: str, report: str, quote: str) -> bool:
    retrieval = assistant.retrieve(question)
    return any(p.report.name == report and normalise(quote) in normalise(p.paragraph.text) for p in retrieval.passages[:5])


def measure_fresh(assistant, chars: int, folder: Path) -> dict:
    """Add one report to the library and time each step (the library as `bench` left it)."""
    path, question = fresh_report(chars, folder)
    store = assistant.store
    started = time.perf_counter()
    [result] = ingest_files(store, [path], vectors="later")
    stored_s = time.perf_counter() - started
    searchable_s = None
    while time.perf_counter() - started < SEARCH_TIMEOUT_S:
        if _found(assistant, question.question, path.name, question.quote):
            searchable_s = time.perf_counter() - started
            break
        time.sleep(0.1)
    t0 = time.perf_counter()
    assistant.set_metadata(path.name, {"region": CORRECTED_REGION})
    corrected_s = time.perf_counter() - t0
    region = question.question.split(str(2025))[0]
    found_corrected = _found(assistant, question.question.replace(region, CORRECTED_REGION), path.name, question.quote)
    figures = {"fresh_chars": result.chars, "fresh_chunks": result.chunks, "fresh_stored_s": round(stored_s, 2),
               "fresh_searchable_s": round(searchable_s, 2) if searchable_s is not None else None,
               "metadata_save_s": round(corrected_s, 3), "metadata_found_after": found_corrected}
    if store.vectors is not None:
        t1 = time.perf_counter()
        drain(store)
        figures.update(_throughput(store, path.name, stored_s + time.perf_counter() - t1))
    return figures


def _throughput(store, name: str, full_s: float) -> dict:
    """The whole ingest (parse, tokens, index, queued vectors) against the raw embedder on the same texts."""
    texts = [row[1] for row in store.library.index_rows(name)]
    t0 = time.perf_counter()
    for start in range(0, len(texts), RAW_BATCH):
        store.embedding.passages(texts[start : start + RAW_BATCH])
    raw_s = time.perf_counter() - t0
    return {"full_ingest_s": round(full_s, 1), "raw_embed_s": round(raw_s, 1),
            "full_chunks_per_s": round(len(texts) / full_s, 2), "raw_chunks_per_s": round(len(texts) / raw_s, 2),
            "full_vs_raw": round(raw_s / full_s, 3)}


def fresh_rows(f: dict) -> list[tuple[str, str]]:
    """The figures as the bench table prints them."""
    if "fresh_chars" not in f:
        return []
    searchable = f"{f['fresh_searchable_s']} 秒" if f["fresh_searchable_s"] is not None else f"{SEARCH_TIMEOUT_S} 秒内未找到"
    rows = [(f"新增一份 {f['fresh_chars']} 字的报告（{f['fresh_chunks']} 块）到可按关键词检索",
             f"{searchable}（其中写入 {f['fresh_stored_s']} 秒）"),
            ("保存一项元数据更正", f"{f['metadata_save_s']} 秒（更正后按新地区名{'找到' if f['metadata_found_after'] else '未找到'}）")]
    if "full_vs_raw" in f:
        rows.append(("完整导入吞吐 / 单纯向量计算",
                     f"{f['full_chunks_per_s']} / {f['raw_chunks_per_s']} 块每秒 = {f['full_vs_raw']:.0%}"
                     f"（完整 {f['full_ingest_s']} 秒，单纯向量 {f['raw_embed_s']} 秒）"))
    return rows
