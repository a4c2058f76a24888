"""Ingest files and folders into the store: one result per file, one bad file never stops the others."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ingest.loading import file_sha256, is_supported
from ingest.model import IngestError
from ingest.pipeline import parse_file

from assistant.store.embeddings import EmbeddingError
from assistant.store.report_store import ReportStore

OK, UNCHANGED, ERROR = "ok", "unchanged", "error"


@dataclass
class FileResult:
    path: str
    name: str
    status: str
    reason: str = ""
    region: str | None = None
    year: int | None = None
    paragraphs: int = 0
    chunks: int = 0
    chars: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return self.__dict__.copy()


class IngestProgress:
    """Callbacks a front end implements to show progress (the CLI's bar, the app's per-file rows)."""

    def file_started(self, path: Path, index: int, total: int) -> None: ...

    def chunks_done(self, count: int) -> None: ...

    def file_finished(self, result: FileResult) -> None: ...


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest (folders walked recursively for supported types) and errors for missing paths."""
    files: list[Path] = []
    errors: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_supported(p) and not p.name.startswith(".")))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(FileResult(str(path), path.name, ERROR, "文件或文件夹不存在"))
    return files, errors


def ingest_files(store: ReportStore, files: list[Path], progress: IngestProgress | None = None) -> list[FileResult]:
    progress = progress or IngestProgress()
    with store.write_lock:
        recovered = store.recover()
        results = []
        for index, path in enumerate(files):
            progress.file_started(path, index, len(files))
            result = ingest_one(store, path, progress.chunks_done)
            if result.status == UNCHANGED and path.name in recovered:
                result.status = OK
            progress.file_finished(result)
            results.append(result)
    return results


def ingest_one(store: ReportStore, path: Path, on_chunks: Callable[[int], None] | None = None) -> FileResult:
    started = time.perf_counter()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(str(path), path.name, ERROR, f"无法读取文件：{exc.strerror or exc}")
    existing = store.library.report(path.name)
    if existing and existing.status == "ok":
        if existing.sha256 == file_sha256(data):
            return _result(path, UNCHANGED, existing.meta, existing.paragraphs, existing.chunks, existing.chars, started)
        if existing.source_path != str(path) and Path(existing.source_path).exists():
            return FileResult(str(path), path.name, ERROR,
                              f"已有同名报告来自 {existing.source_path}，请将其中一个改名后再导入")
    try:
        report = parse_file(path, data, chunk_chars=store.settings.chunk_chars)
        store.put(report, on_chunks)
    except IngestError as exc:
        return FileResult(str(path), path.name, ERROR, exc.reason, seconds=_since(started))
    except EmbeddingError as exc:
        return FileResult(str(path), path.name, ERROR, str(exc), seconds=_since(started))
    return _result(path, OK, report.meta, len(report.paragraphs), len(report.chunks), report.char_count, started,
                   "; ".join(report.warnings))


def _result(path: Path, status: str, meta, paragraphs: int, chunks: int, chars: int, started: float, reason: str = "") -> FileResult:
    return FileResult(str(path), path.name, status, reason, meta.region, meta.year, paragraphs, chunks, chars, _since(started))


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
