"""Ingest files and folders into the store: one result per file, one bad file never stops the others.

Safety rules every front end gets from here:
- only files inside the path the user named are read: symbolic links are never followed out of it;
- files above the size limit are refused with a message naming the limit;
- the same content under another name is not stored twice, and a new version of a stored report
  replaces it only when the caller says so (`replace=True`), or when the very same file is ingested
  again after being edited in place.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ingest.loading import file_sha256, is_supported
from ingest.model import IngestError

from assistant.store.embeddings import EmbeddingError
from assistant.store.report_store import ReportStore
from assistant.store.vectors import VectorStoreUnavailable

log = logging.getLogger("report-assistant.ingest")

OK, UNCHANGED, ERROR = "ok", "unchanged", "error"
DUPLICATE = "duplicate"  # the same content is already stored under another name: nothing written
NEW_VERSION = "new_version"  # a report of this name exists with other content: kept aside until confirmed
# What each status is called wherever a person reads it (CLI table, app).
STATUS_LABELS = {OK: "已导入", UNCHANGED: "未变化", DUPLICATE: "重复，未导入", NEW_VERSION: "新版本待确认", ERROR: "失败"}
# Statuses after which the file's content is in the library.
STORED = {OK, UNCHANGED, DUPLICATE}
OUTSIDE_LINK = "是指向所选路径之外的符号链接，为安全起见未读取"
NAMED_LINK = "是符号链接，为安全起见未读取；请直接指定它指向的文件"


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
    vectors_pending: bool = False  # stored and searchable by its words, its vectors not built (the reason says why)

    def to_dict(self) -> dict:
        return self.__dict__.copy()

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class IngestProgress:
    """Callbacks a front end implements to show progress (the CLI's bar, the app's per-file rows)."""

    def file_started(self, path: Path, index: int, total: int) -> None: ...

    def pages_done(self, done: int, total: int) -> None:
        """A PDF's page `done` of `total` has been read (a scanned page by OCR, about a second each)."""

    def chunks_done(self, count: int) -> None:
        """`count` more chunks of the current file are stored and searchable by their words."""

    def file_finished(self, result: FileResult) -> None: ...

    def vectors_done(self, queue) -> None:
        """The vector queue moved (a QueueProgress: chunks waiting, the report being vectorised)."""


def too_large(size: int, max_mb: int) -> str | None:
    """The refusal for a file above the size limit (shared by folder ingest and uploads), else None."""
    if size > max_mb * 2**20:
        return f"文件过大（{size / 2**20:.1f} MB），超过上限 {max_mb} MB"
    return None


def collect_files(paths: Iterable[Path], max_mb: int | None = None) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest (folders walked recursively for supported types) and errors for the rest.

    A named file that is a symbolic link is refused; inside a named folder, links are never followed:
    one pointing outside the folder is reported, one pointing inside is skipped (its target is walked).
    """
    files: list[Path] = []
    errors: list[FileResult] = []
    for path in paths:
        if path.is_symlink() and not path.is_dir():
            errors.append(FileResult(str(path), path.name, ERROR, NAMED_LINK))
        elif path.is_dir():
            found, refused = _walk(path)
            files.extend(found)
            errors.extend(refused)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(FileResult(str(path), path.name or str(path), ERROR, f"找不到 {path}：没有这个文件或文件夹，请检查路径"))
    if max_mb is None:
        return files, errors
    kept = []
    for file in files:
        reason = too_large(file.stat().st_size, max_mb)
        if reason:
            errors.append(FileResult(str(file), file.name, ERROR, reason))
        else:
            kept.append(file)
    return kept, errors


def _walk(folder: Path) -> tuple[list[Path], list[FileResult]]:
    root = folder.resolve()
    files: list[Path] = []
    errors: list[FileResult] = []
    for directory, subdirs, names in os.walk(root, followlinks=False):
        here = Path(directory)
        for name in sorted([*names, *subdirs]):
            path = here / name
            if path.is_symlink():
                if not path.resolve().is_relative_to(root):
                    errors.append(FileResult(str(path), name, ERROR, OUTSIDE_LINK))
            elif name in names and is_supported(path) and not name.startswith("."):
                files.append(path)
    return sorted(files), errors


# How a failure for a lost Chroma server begins (vectors.unavailable's reason).
CHROMA_DOWN = "无法连接 Chroma 服务"


def ingest_files(store: ReportStore, files: list[Path], progress: IngestProgress | None = None,
                 replace: bool = False, vectors: str = "wait") -> list[FileResult]:
    """Ingest each file in turn; the lexical index is brought up to date before returning (the files are
    searchable by their words). `vectors`: "wait" builds the queued vectors before returning (unless
    another process is building them), "later" leaves them to a background worker."""
    progress = progress or IngestProgress()
    with store.writing():
        try:
            recovered = store.recover()
        except VectorStoreUnavailable as exc:
            return [FileResult(str(p), p.name, ERROR, exc.reason) for p in files]
        results = []
        lost: str | None = None  # once the Chroma server is known to be down, no file is parsed or embedded
        for index, path in enumerate(files):
            progress.file_started(path, index, len(files))
            # A progress hook written before pages_done existed (duck-typed) still works without it.
            result = ingest_one(store, path, progress.chunks_done, replace, getattr(progress, "pages_done", None), lost)
            if result.status == ERROR and result.reason.startswith(CHROMA_DOWN):
                lost = result.reason
            if result.status == UNCHANGED and path.name in recovered:
                result.status = OK
            progress.file_finished(result)
            results.append(result)
    if any(r.status == OK for r in results):
        store.lexical()  # brought up to date now, not by the first question after the change
    if vectors == "wait":
        build_vectors(store, progress, results)
    return results


def build_vectors(store: ReportStore, progress: IngestProgress, results: list[FileResult]) -> None:
    """Build the queued vectors now. A failure leaves them queued: each file stored in this run says so."""
    from assistant.store.vector_queue import drain

    hook = getattr(progress, "vectors_done", None)
    try:
        if hook and store.vectors is not None:
            hook(store.vector_status())
        drain(store, hook)
    except (VectorStoreUnavailable, EmbeddingError) as exc:
        log.warning("vector queue stopped: %s", exc)
        why = exc.reason if isinstance(exc, VectorStoreUnavailable) else f"向量模型 {model_name(store)} 调用失败（详情见日志）"
        waiting = store.library.unembedded()
        for result in results:
            if result.status in STORED and result.name in waiting:
                result.vectors_pending = True
                said = f"已可按关键词检索；向量未建完：{why}，恢复后再次导入或启动应用时继续"
                result.reason = "; ".join(x for x in (result.reason, said) if x)


def model_name(store: ReportStore) -> str:
    return store.model_id.split(":", 1)[-1].split("@")[0]


def read_named_file(path: Path) -> bytes:
    """The file's bytes, refusing to follow a symbolic link put in its place since it was listed."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def classify(store: ReportStore, name: str, sha: str, source: str | None = None,
             replace: bool = False) -> FileResult | None:
    """What storing content `sha` under `name` would mean: None to go ahead, else the result to report."""
    existing = store.library.report(name)
    if existing and existing.status == "ok" and existing.sha256 == sha:
        return _result(Path(source or name), UNCHANGED, existing.meta, existing.paragraphs, existing.chunks,
                       existing.chars, time.perf_counter())
    twin = store.library.report_with_sha(sha, exclude=name)
    if twin is not None:
        return FileResult(source or name, name, DUPLICATE, f"已存在，与 {twin.meta.label()}（{twin.meta.name}）内容相同",
                          twin.meta.region, twin.meta.year)
    edited_in_place = existing is not None and source is not None and existing.source_path == source
    if existing and existing.status == "ok" and not (replace or edited_in_place or not existing.sha256):
        return FileResult(source or name, name, NEW_VERSION,
                          f"与已入库的同名报告（{existing.meta.label()}）内容不同，未替换", existing.meta.region, existing.meta.year)
    return None


def ingest_one(store: ReportStore, path: Path, on_chunks: Callable[[int], None] | None = None,
               replace: bool = False, on_pages: Callable[[int, int], None] | None = None,
               vectors_lost: str | None = None) -> FileResult:
    """One file: read, classify (unchanged, duplicate, new version), parse, embed, store. With
    `vectors_lost` (the Chroma server failed earlier in this run) a file that would be written fails at
    once with that reason instead of being parsed and embedded for nothing."""
    started = time.perf_counter()
    try:
        data = read_named_file(path)
    except OSError as exc:
        reason = NAMED_LINK if path.is_symlink() else f"无法读取文件：{exc.strerror or '读取失败'}"
        return FileResult(str(path), path.name, ERROR, reason)
    try:
        decided = classify(store, path.name, file_sha256(data), str(path), replace)
        if decided is not None:
            decided.seconds = _since(started)
            return decided
        if vectors_lost:
            return FileResult(str(path), path.name, ERROR, vectors_lost, seconds=_since(started))
        from ingest.pipeline import parse_file  # the parser loads only when a file is read, not for questions

        report = parse_file(path, data, chunk_chars=store.settings.chunk_chars, on_page=on_pages,
                            max_unpacked_mb=store.settings.upload_max_mb)
        store.put(report, on_chunks)
    except IngestError as exc:
        return FileResult(str(path), path.name, ERROR, exc.reason, seconds=_since(started))
    except VectorStoreUnavailable as exc:
        return FileResult(str(path), path.name, ERROR, exc.reason, seconds=_since(started))
    except EmbeddingError as exc:
        log.warning("%s: %s", path, exc)
        return FileResult(str(path), path.name, ERROR, f"向量模型 {model_name(store)} 调用失败，"
                          "报告未导入（详情见服务日志）", seconds=_since(started))
    except Exception:  # noqa: BLE001 - one file's surprise must not stop the others; the log keeps the trace
        log.exception("ingest of %s failed", path)
        return FileResult(str(path), path.name, ERROR, "导入时发生内部错误，报告未导入（详情见服务日志）",
                          seconds=_since(started))
    return _result(path, OK, report.meta, len(report.paragraphs), len(report.chunks), report.char_count, started,
                   "; ".join(report.warnings))


def _result(path: Path, status: str, meta, paragraphs: int, chunks: int, chars: int, started: float, reason: str = "") -> FileResult:
    return FileResult(str(path), path.name, status, reason, meta.region, meta.year, paragraphs, chunks, chars, _since(started))


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
