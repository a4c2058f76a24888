"""Files uploaded through the app: checked for type and size, stored under the data directory.

An upload never overwrites a stored report's source: a file whose name is taken by a report with
other content waits in `<uploads>/.versions/` until the user replaces the report with it (or
discards it); content already stored under another name is not stored again.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.loading import SUPPORTED_SUFFIXES, file_sha256

from assistant.store.ingestion import ERROR, FileResult, classify, too_large
from assistant.store.report_store import ReportStore

MAX_NAME_CHARS = 120
_UNSAFE_RE = re.compile(r"[^\w\u4e00-\u9fff.\-（）()]+")
VERSIONS = ".versions"  # new versions awaiting the user's decision, one per report name


def safe_name(original: str) -> str:
    """The file's own name (it is the report's key) without any path or character a shell would mind."""
    name = Path(unicodedata.normalize("NFC", original).replace("\\", "/")).name
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = _UNSAFE_RE.sub("_", stem).strip("._") or "report"
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix


def check_upload(original: str, temp: Path, max_mb: int) -> tuple[str, FileResult | None]:
    """The safe name of an upload and, when it must be refused, the result saying why."""
    name = safe_name(original)
    suffix = Path(name).suffix
    size = temp.stat().st_size
    if suffix not in SUPPORTED_SUFFIXES:
        reason = f"不支持的文件类型 {suffix or '（无扩展名）'}，支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}"
    elif size == 0:
        reason = "文件为空"
    else:
        reason = too_large(size, max_mb)
    return name, (FileResult(original, name, ERROR, reason) if reason else None)


def store_uploads(files: list[tuple[str, Path]], uploads_dir: Path, max_mb: int) -> tuple[list[Path], list[FileResult]]:
    """Copy accepted uploads (original name, temp path) into `uploads_dir`; refuse the others with a reason."""
    uploads_dir.mkdir(parents=True, exist_ok=True)
    accepted: list[Path] = []
    refused: list[FileResult] = []
    for original, temp in files:
        name, refusal = check_upload(original, temp, max_mb)
        if refusal:
            refused.append(refusal)
        else:
            target = uploads_dir / name
            _copy_into(temp, target)
            accepted.append(target)
    return accepted, refused


@dataclass(frozen=True)
class Placement:
    """Where an upload goes: `path` to ingest, or `result` to report instead (duplicate, new version)."""

    path: Path | None
    result: FileResult | None


def place_upload(store: ReportStore, uploads_dir: Path, name: str, temp: Path) -> Placement:
    """Decide by content hash what an accepted upload is, and put its bytes where that decision says."""
    data = temp.read_bytes()
    decided = classify(store, name, file_sha256(data))
    if decided is None:
        target = uploads_dir / name
        _write_into(data, target)
        return Placement(target, None)
    decided.path = name
    if decided.status == "new_version":
        _write_into(data, uploads_dir / VERSIONS / name)
        decided.reason += "：可在“待确认的新版本”中选择替换"
    return Placement(None, decided)


def pending_versions(uploads_dir: Path) -> list[str]:
    """Names of reports with an uploaded new version waiting for the user's decision."""
    folder = uploads_dir / VERSIONS
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink()) if folder.is_dir() else []


def take_version(uploads_dir: Path, name: str) -> Path:
    """Move a waiting new version over the report's upload source; the caller ingests it (replacing)."""
    staged = uploads_dir / VERSIONS / safe_name(name)
    if not staged.is_file() or staged.is_symlink():
        raise FileNotFoundError(name)
    target = uploads_dir / staged.name
    target.unlink(missing_ok=True)
    os.replace(staged, target)
    return target


def drop_version(uploads_dir: Path, name: str) -> bool:
    staged = uploads_dir / VERSIONS / safe_name(name)
    if staged.is_file():
        staged.unlink()
        return True
    return False


def _copy_into(source: Path, target: Path) -> None:
    _write_into(source.read_bytes(), target)


def _write_into(data: bytes, target: Path) -> None:
    """Write through a private temporary file and rename: never through a link left at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if target.is_symlink():
            target.unlink()
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
