"""Library services: importing reports (files, uploads, new versions), listing, correcting, removing them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest.loading import file_sha256
from ingest.model import EDITABLE_FIELDS, ReportMeta

from assistant.config.settings import Settings
from assistant.errors import UnknownReport, UsageError
from assistant.store.corrections import check_corrections
from assistant.store.ingestion import DUPLICATE, ERROR, FileResult, IngestProgress, collect_files, ingest_files
from assistant.store.library import ReportRecord
from assistant.store.report_store import ReportStore
from assistant.store.uploads import check_upload, drop_version, pending_versions, place_upload, take_version


@dataclass
class ReportChoice:
    """The reports a filtered question searches: `names` (None: all), and the note its answer carries."""

    names: list[str] | None
    note: str | None = None


@dataclass
class LibraryRow:
    meta: ReportMeta
    paragraphs: int
    chunks: int
    chars: int
    source_path: str
    embedded: int | None = None  # chunks whose vector is built (None: a store without vectors)

    def to_dict(self) -> dict:
        return {**self.meta.to_dict(), "needs_review": self.meta.needs_review, "paragraphs": self.paragraphs,
                "chunks": self.chunks, "chars": self.chars, "source_path": self.source_path, "embedded": self.embedded}


class LibraryServices:
    """The library's part of the Assistant (mixed in there; it holds the store and the settings)."""

    settings: Settings
    store: ReportStore
    vector_worker = None  # a QueueWorker building vectors in the background (the app, `worker`), or None

    def _ingest(self, files: list[Path], progress: IngestProgress | None, replace: bool = False) -> list[FileResult]:
        """Files stored and searchable by their words; their vectors built before returning, or by the
        background worker when this process runs one."""
        later = self.vector_worker is not None or not self.settings.queue_in_app  # a worker process builds them
        results = ingest_files(self.store, files, progress, replace, "later" if later else "wait")
        if self.vector_worker:
            self.vector_worker.wake()
        return results

    def ingest(self, paths: list[Path], progress: IngestProgress | None = None, replace: bool = False) -> list[FileResult]:
        """Import files and folders; `replace` lets a file replace a stored report of its name with other content."""
        files, refused = collect_files(paths, self.settings.upload_max_mb)
        return refused + self._ingest(files, progress, replace)

    def start_vector_worker(self):
        """Build queued vectors in a background thread of this process from now on."""
        from assistant.store.vector_queue import QueueWorker

        if self.vector_worker is None and self.store.vectors is not None:
            self.vector_worker = QueueWorker(self.store).start()
        return self.vector_worker

    def vector_status(self):
        """The vector queue: chunks waiting, the report being vectorised (QueueProgress), and the worker's error."""
        progress = self.store.vector_status()
        if self.vector_worker is not None and self.vector_worker.error and progress.waiting:
            progress.error = self.vector_worker.error
        return progress

    def library(self) -> list[LibraryRow]:
        vectors = self.store.vectors is not None
        return [_row(r, vectors) for r in self.store.library.reports()]

    def set_metadata(self, report: str, fields: dict[str, str]) -> ReportMeta:
        name = self._name(report)
        unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
        if unknown:
            raise UsageError(f"无法修改字段 {', '.join(unknown)}；可修改：{', '.join(EDITABLE_FIELDS)}")
        fields = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in fields.items()}
        check_corrections(fields)
        return self.store.correct(name, fields)

    def remove(self, report: str) -> None:
        name = self._name(report)
        self.store.remove(name)

    def reindex(self, progress: IngestProgress | None = None) -> list[FileResult]:
        """Parse and index every stored report again from its source file (after a parser upgrade)."""
        records = self.store.library.reports()
        paths = [Path(r.source_path) for r in records]
        for record in records:
            if Path(record.source_path).exists():
                self.store.library.forget_hash(record.meta.name)
        return self._ingest(paths, progress, replace=True)

    def ingest_uploads(self, files: list[tuple[str, Path]], progress: IngestProgress | None = None) -> list[FileResult]:
        """Store uploaded files (original name, temporary path) under the data directory and ingest them.

        Results come in the order of `files`. Content already stored (under any name, or earlier in
        this batch) is not stored again; a file whose name a report with other content holds waits as
        a new version (see pending_versions / accept_version).
        """
        uploads = self.settings.uploads_dir
        results: dict[int, FileResult] = {}
        accepted: list[tuple[int, Path]] = []
        seen: dict[str, str] = {}  # content hash → name, within this batch
        for index, (original, temp) in enumerate(files):
            name, refusal = check_upload(original, temp, self.settings.upload_max_mb)
            sha = file_sha256(temp.read_bytes()) if refusal is None else ""
            if refusal is None and sha in seen:
                refusal = FileResult(original, name, DUPLICATE, f"已存在，与本次上传的 {seen[sha]} 内容相同")
            placement = place_upload(self.store, uploads, name, temp) if refusal is None else None
            if placement is not None and placement.path is not None:
                accepted.append((index, placement.path))
                seen[sha] = name
            else:
                results[index] = refusal or placement.result  # type: ignore[union-attr]
        done = self._ingest([path for _, path in accepted], progress)
        results.update({index: result for (index, _), result in zip(accepted, done)})
        self._forget_failed_uploads([path for (_, path), result in zip(accepted, done) if result.status == ERROR])
        return [results[i] for i in sorted(results)]

    def _forget_failed_uploads(self, paths: list[Path]) -> None:
        """An upload that could not be imported is not kept in the data folder (nothing refers to it),
        unless a stored report still reads its source from there."""
        sources = {r.source_path for r in self.store.library.reports(include_pending=True)}
        for path in paths:
            if str(path) not in sources:
                path.unlink(missing_ok=True)

    def pending_versions(self) -> list[str]:
        """Reports with an uploaded new version waiting for the user to replace or discard it."""
        return pending_versions(self.settings.uploads_dir)

    def accept_version(self, report: str, progress: IngestProgress | None = None) -> FileResult:
        """Replace a report with its waiting new version (the user said so)."""
        try:
            path = take_version(self.settings.uploads_dir, report)
        except FileNotFoundError as exc:
            raise UsageError(f"没有待确认的新版本：{Path(report).name}") from exc
        return self._ingest([path], progress, replace=True)[0]

    def discard_version(self, report: str) -> None:
        if not drop_version(self.settings.uploads_dir, report):
            raise UsageError(f"没有待确认的新版本：{Path(report).name}")

    def choose_reports(self, names: list[str] | None = None, regions: list[str] | None = None,
                       years: list[int] | None = None) -> ReportChoice:
        """The report files matching every given filter (None: no filter, all reports). A filter that
        matches no report never empties the search: every report is searched and the answer says so."""
        if not (names or regions or years):
            return ReportChoice(None)
        chosen = [m.name for m in self.store.reports()
                  if (not names or m.name in names) and (not regions or m.region in regions or set(m.aliases) & set(regions))
                  and (not years or m.year in years)]
        if chosen:
            return ReportChoice(chosen)
        asked = "、".join([*(names or []), *(regions or []), *(f"{y}年" for y in years or [])])
        return ReportChoice(None, f"报告库中没有符合筛选条件（{asked}）的报告，已在全部报告中检索")

    def resolve_reports(self, refs: list[str] | None) -> list[ReportMeta]:
        """Reports named by file name (or path) or by region; none named means all of them."""
        metas = self.store.reports()
        if not refs:
            return metas
        chosen: list[ReportMeta] = []
        for ref in refs:
            name = Path(ref).name
            found = [m for m in metas if m.name == name or m.region == ref or ref in m.aliases]  # 长阳县 → 长阳土家族自治县
            if not found:
                raise UnknownReport(unknown_report(ref, metas))
            chosen.extend(m for m in found if m not in chosen)
        return chosen

    def _name(self, report: str) -> str:
        name = Path(report).name
        if self.store.library.report(name) is None:
            raise UnknownReport(unknown_report(name, self.store.reports(), by_file=True))
        return name


# Regions named when a name matches no report (the whole list is one `reports` away).
SHOWN_REGIONS = 8


def unknown_report(ref: str, metas: list[ReportMeta], by_file: bool = False) -> str:
    """'No such report', with what the library holds (the nearest first): its regions, or its file names
    when a file was asked for."""
    what = "报告文件" if by_file else "报告或地区"
    if not metas:
        return f"报告库中没有名为“{ref}”的{what}：报告库还是空的，请先导入报告"
    from difflib import get_close_matches

    held = list(dict.fromkeys(m.name if by_file else m.region for m in metas if by_file or m.region))
    near = get_close_matches(ref, held, n=3, cutoff=0.3)
    shown = list(dict.fromkeys([*near, *held]))[:SHOWN_REGIONS]
    more = "等" if len(held) > len(shown) else ""
    return f"报告库中没有名为“{ref}”的{what}。库中的{'文件' if by_file else '地区'}：{'、'.join(shown)}{more}"


def reset_store(settings: Settings) -> None:
    """Delete everything the store holds (for `ingest --rebuild` after changing the embedding model)."""
    if settings.chroma_host:
        from assistant.store.vectors import chroma_client

        client = chroma_client(settings)
        if settings.collection in [c.name for c in client.list_collections()]:
            client.delete_collection(settings.collection)
    else:
        shutil.rmtree(settings.chroma_path, ignore_errors=True)
    from assistant.store.database import is_postgres

    if is_postgres(settings.database_url):
        from assistant.store.database import PostgresDatabase
        from assistant.store.library import Library

        library = Library(PostgresDatabase(settings.database_url))
        library.empty()  # replicas running on it start their lexical index over
        library.close()
    for path in (settings.library_path, settings.library_path.with_name(settings.library_path.name + "-wal"),
                 settings.library_path.with_name(settings.library_path.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(settings.lexical_dir, ignore_errors=True)


def _row(record: ReportRecord, vectors: bool) -> LibraryRow:
    return LibraryRow(record.meta, record.paragraphs, record.chunks, record.chars, record.source_path,
                      record.embedded if vectors else None)

