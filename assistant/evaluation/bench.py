"""`bench`: a synthetic corpus of N confusable reports, ingested and queried, with figures printed.

Each synthetic report is a sample report with another region name, another year and other figures
swapped in, so many reports share their wording and differ only in the facts; the generated
questions ask for those facts, so recall@5 shows whether retrieval finds the right report's passage.
"""

from __future__ import annotations

import multiprocessing
import random
import re
import resource
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ingest.cleaning import clean
from ingest.metadata import infer_metadata
from ingest.pipeline import parse_file
from ingest.text import normalise

from assistant.evaluation.qa import percentiles
from assistant.evaluation.startup import cold_ask_seconds
from assistant.config.settings import SAMPLES_DIR, EmbeddingProvider, Settings, with_updates

NAME_CHARS = "东南西北安平宁和兴华新永长丰清泰康福瑞德嘉盛广阳明光云山河林春海"
UNITS = "件|人次|人|次|个|项|宗|名|万元|亿元|张|场|家|户|起|篇|条"
_FIGURE_RE = re.compile(rf"(?<![\d.年])(\d{{2,6}})(?=({UNITS}))")
QUESTIONS_PER_REPORT = 2
MAX_QUESTIONS = 1000  # asked of a large library: a seeded sample of the generated questions
BUSY_WARMUP_S = 0.5  # let the busy processes get scheduled before timing
UNPUNCTUATED_LINE_CHARS = 2 * 2**20 // 3  # a 2 MB line (UTF-8, 3 bytes a character) without punctuation
SEED = 20261123


@dataclass
class BenchQuestion:
    question: str
    report: str
    quote: str


def make_corpus(n: int, out_dir: Path, seed: int = SEED) -> list[BenchQuestion]:
    rng = random.Random(seed)
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    names = _unique_names(rng, n)
    questions: list[BenchQuestion] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        source = samples[i % len(samples)]
        text = source.read_text(encoding="utf-8")
        meta = infer_metadata(source.name, clean(text))
        region = names[i] + (meta.region[-1] if meta.region else "区")
        text = _swap_region(text, meta.region, region)
        year = rng.randint(2015, 2025)
        text = _swap_years(text, meta.year, year)
        text = _FIGURE_RE.sub(lambda m: str(max(10, int(int(m.group(1)) * rng.uniform(0.5, 1.8)))), text)
        name = f"syn_{i:04d}.txt"
        (out_dir / name).write_text(text, encoding="utf-8")
        questions.extend(_questions(rng, text, name, region, year))
    return questions


def _unique_names(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add("".join(rng.sample(NAME_CHARS, 2 if len(names) < 600 else 3)))
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


def _swap_region(text: str, old: str | None, new: str) -> str:
    if not old:
        return text
    text = text.replace(old, new)
    bare_old = old[:-3] if old.endswith("开发区") else old[:-1]
    return text.replace(bare_old, new[:-1]) if len(bare_old) >= 2 else text


def _swap_years(text: str, old: int | None, new: int) -> str:
    if not old:
        return text
    shift = new - old
    return re.sub(r"(20\d{2})(?=年)", lambda m: str(int(m.group(1)) + shift), text)


def _questions(rng: random.Random, text: str, report: str, region: str, year: int) -> list[BenchQuestion]:
    """Questions 'REGION YEAR年 <words before a figure> 多少<unit>？' over sentences with figures."""
    found = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=[。；;])", line):
            match = _FIGURE_RE.search(sentence)
            if not match:
                continue
            lead = re.split(r"[,，、:：;；]", sentence[: match.start()])[-1]
            lead = re.sub(r"^(\d{4}年|全年|今年|目前|截至目前|累计|共|其中)+", "", lead)
            # well-posed only: the words before the figure name one place in the report
            if 4 <= len(lead) <= 24 and region[:-1] not in lead and text.count(lead) == 1:
                quote = sentence[max(0, match.start() - len(lead)) : match.end() + len(match.group(2))]
                found.append(BenchQuestion(f"{region}{year}年{lead}多少{match.group(2)}？", report, quote))
    rng.shuffle(found)
    return found[:QUESTIONS_PER_REPORT]


def run_bench(settings: Settings, n: int, lexical_only: bool, console: Console | None = None,
              large_file_mb: float = 0, busy: int = 0, ocr_pages: int = 0, fresh_chars: int = 30_000,
              database_url: str | None = None) -> dict:
    from assistant.service import Assistant

    root = settings.data_dir / "bench"
    shutil.rmtree(root, ignore_errors=True)
    corpus = root / "corpus"
    questions = make_corpus(n, corpus)
    generated = len(questions)
    if len(questions) > MAX_QUESTIONS:
        questions = random.Random(SEED).sample(questions, MAX_QUESTIONS)
    update = {"data_dir": root / "store", "database_url": database_url}
    if lexical_only:
        update["embedding_provider"] = EmbeddingProvider.NONE
    bench_settings = with_updates(settings, **update)
    if database_url:
        _require_empty(database_url)
    assistant = Assistant(bench_settings)
    if console:
        console.print(f"压力测试：{n} 份合成报告，{len(questions)} 个问题，"
                      f"{'仅关键词检索' if lexical_only else '关键词 + 向量检索'}")
    t0 = time.perf_counter()
    results = assistant.ingest([corpus])
    ingest_s = time.perf_counter() - t0
    chars = sum(r.chars for r in results)
    chunks = sum(r.chunks for r in results)
    assistant.retrieve("预热")  # load indexes once, as a running app has
    retrieval_ms, answer_ms, hits, missed = _latencies(assistant, questions)
    loaded = {}
    if busy:
        with BusyProcesses(busy):
            loaded_retrieval, loaded_answer, _, _ = _latencies(assistant, questions)
        loaded = {"busy_processes": busy, "loaded_retrieval_ms": percentiles(loaded_retrieval),
                  "loaded_answer_ms": percentiles(loaded_answer)}
    fresh = {}
    if fresh_chars:
        from assistant.evaluation.freshness import measure_fresh

        fresh = measure_fresh(assistant, fresh_chars, root / "fresh")
    assistant.close()
    env = {"RA_EMBEDDING_PROVIDER": "none"} if lexical_only else {}
    if database_url:
        env["RA_DATABASE_URL"] = database_url
    cold = cold_ask_seconds(bench_settings.data_dir, questions[0].question, env) if questions else {}
    large = measure_large_file(large_file_mb, root) if large_file_mb else {}
    scans = {}
    if ocr_pages:
        from assistant.evaluation.scan_bench import measure_ocr

        scans = measure_ocr(ocr_pages, root / "scan")
    return {**_figures(n, lexical_only, results, ingest_s, chars, chunks, bench_settings, questions,
                       retrieval_ms, answer_ms, hits), "questions_generated": generated, "missed": missed,
            **loaded, **fresh, **cold, **large, **scans}


def _require_empty(url: str) -> None:
    from assistant.errors import UsageError
    from assistant.store.database import PostgresDatabase

    db = PostgresDatabase(url)
    try:
        if db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]:
            raise UsageError("--database-url 所指的报告库不是空的：压力测试只写入空的数据库")
    finally:
        db.close()


def database_mb(url: str | None) -> float | None:
    if not url:
        return None
    from assistant.store.database import PostgresDatabase

    db = PostgresDatabase(url)
    try:
        return round(db.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20, 1)
    finally:
        db.close()


def _latencies(assistant, questions: list[BenchQuestion]) -> tuple[list[float], list[float], int, list[dict]]:
    """Retrieval and extractive-answer latency (ms) per question, how many found their passage in the top 5,
    and the questions that did not (with what came first instead)."""
    retrieval_ms, answer_ms, hits, missed = [], [], 0, []
    for q in questions:
        t1 = time.perf_counter()
        retrieval = assistant.retrieve(q.question)
        t2 = time.perf_counter()
        assistant.answer_from(retrieval)
        t3 = time.perf_counter()
        retrieval_ms.append((t2 - t1) * 1000)
        answer_ms.append((t3 - t1) * 1000)
        quote = normalise(q.quote)
        hit = any(p.report.name == q.report and quote in normalise(p.paragraph.text) for p in retrieval.passages[:5])
        hits += hit
        if not hit:
            top = retrieval.passages[0] if retrieval.passages else None
            missed.append({"question": q.question, "report": q.report, "quote": q.quote,
                           "report_in_top5": any(p.report.name == q.report for p in retrieval.passages[:5]),
                           "first": f"{top.report.name} {top.paragraph.text[:60]}" if top else ""})
    return retrieval_ms, answer_ms, hits, missed


def _spin() -> None:
    while True:
        pass


class BusyProcesses:
    """`count` processes that keep a core busy each, as other users' work does on a shared machine."""

    def __init__(self, count: int):
        self.processes = [multiprocessing.get_context("spawn").Process(target=_spin, daemon=True) for _ in range(count)]

    def __enter__(self):
        for process in self.processes:
            process.start()
        time.sleep(BUSY_WARMUP_S)
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
            process.join()


def measure_large_file(megabytes: float, work_dir: Path) -> dict:
    """Parse one file of `megabytes` (the samples repeated, plus a 2 MB line without punctuation): the step
    that must stay linear. Embedding it is another matter (about 7 chunks/s on 2 cores)."""
    samples = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES_DIR.glob("*.txt")))
    unpunctuated = "法治政府建设" * (UNPUNCTUATED_LINE_CHARS // 6)
    target = int(megabytes * 2**20)
    repeats = max(1, (target - len(unpunctuated.encode())) // len(samples.encode()))
    path = work_dir / "large.txt"
    path.write_text((samples + "\n") * repeats + unpunctuated + "\n", encoding="utf-8")
    started = time.perf_counter()
    report = parse_file(path)
    seconds = time.perf_counter() - started
    chars = sum(len(p.text) for p in report.paragraphs)
    return {"large_file_mb": round(path.stat().st_size / 2**20, 1), "large_parse_seconds": round(seconds, 1),
            "large_chars_per_s": round(chars / seconds), "large_chunks": len(report.chunks),
            "large_longest_chunk": max(len(c.text) for c in report.chunks), "large_region": report.meta.region}


def _figures(n, lexical_only, results, ingest_s, chars, chunks, bench_settings, questions, retrieval_ms, answer_ms,
             hits) -> dict:
    return {
        "reports": n,
        "mode": "lexical-only" if lexical_only else "hybrid",
        "failed_files": sum(1 for r in results if r.status == "error"),
        "chunks": chunks,
        "characters": chars,
        "ingest_seconds": round(ingest_s, 1),
        "ingest_chars_per_s": round(chars / ingest_s),
        "ingest_chunks_per_s": round(chunks / ingest_s, 1),
        "store_mb": round(_size(bench_settings.data_dir) / 2**20, 1),
        "database_mb": database_mb(bench_settings.database_url),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "questions": len(questions),
        "retrieval_ms": percentiles(retrieval_ms),
        "answer_ms": percentiles(answer_ms),
        "recall_at_5": round(hits / len(questions), 3) if questions else None,
    }


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _latency(figures: dict) -> str:
    return f"中位数 {figures.get('p50')} ms，p95 {figures.get('p95')} ms"


def print_bench(console: Console, f: dict) -> None:
    mode = "仅关键词检索" if f["mode"] == "lexical-only" else "关键词 + 向量检索"
    table = Table(title=f"压力测试：{f['reports']} 份报告（{mode}）")
    table.add_column("项目")
    table.add_column("测得")
    rows = [
        ("导入", f"{f['ingest_seconds']} 秒，每秒 {f['ingest_chars_per_s']} 字、{f['ingest_chunks_per_s']} 块"),
        ("语料", f"{f['characters']} 字，{f['chunks']} 块，{f['failed_files']} 个文件失败"),
        ("存储占用", f"{f['store_mb']} MB" + (f"，另 PostgreSQL 数据库 {f['database_mb']} MB" if f.get("database_mb") else "")),
        ("内存峰值", f"{f['peak_rss_mb']} MB"),
        ("检索用时", _latency(f["retrieval_ms"])),
        ("摘录回答用时", _latency(f["answer_ms"])),
        ("前5段召回率", f"{f['recall_at_5']}（{f['questions']} 个问题，取自生成的 {f.get('questions_generated', f['questions'])} 个）"),
    ]
    from assistant.evaluation.freshness import fresh_rows

    rows += fresh_rows(f)
    if "busy_processes" in f:
        rows += [(f"检索用时（{f['busy_processes']} 个繁忙进程）", _latency(f["loaded_retrieval_ms"])),
                 (f"摘录回答用时（{f['busy_processes']} 个繁忙进程）", _latency(f["loaded_answer_ms"]))]
    if "cold_ask_s" in f:
        cold = f["cold_ask_s"]
        rows.append(("命令行提一个问题（每次新进程）", f"中位数 {cold['median']} 秒，最快 {cold['fastest']} 秒（{cold['runs']} 次）"))
    if "large_file_mb" in f:
        rows.append((f"解析一个 {f['large_file_mb']} MB 的文件",
                     f"{f['large_parse_seconds']} 秒，每秒 {f['large_chars_per_s']} 字，{f['large_chunks']} 块"
                     f"（最长 {f['large_longest_chunk']} 字），地区 {f['large_region'] or '未识别'}"))
    if "ocr_pages" in f:
        accuracy = f"，字符准确率 {f['ocr_char_accuracy']}" if "ocr_char_accuracy" in f else ""
        rows.append((f"识别一个 {f['ocr_pages']} 页的扫描件",
                     f"每页 {f['ocr_s_per_page']} 秒（中位 {f['ocr_s_per_page_median']} 秒）{accuracy}"))
    elif "ocr_skipped" in f:
        rows.append(("识别扫描件", f"未测：{f['ocr_skipped']}"))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
