"""Files uploaded through the app: checked for type and size, stored under the data directory."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from ingest.loading import SUPPORTED_SUFFIXES

from assistant.store.ingestion import ERROR, FileResult

MAX_NAME_CHARS = 120
_UNSAFE_RE = re.compile(r"[^\w\u4e00-\u9fff.\-（）()]+")


def safe_name(original: str) -> str:
    """The file's own name (it is the report's key) without any path or character a shell would mind."""
    name = Path(unicodedata.normalize("NFC", original).replace("\\", "/")).name
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = _UNSAFE_RE.sub("_", stem).strip("._") or "report"
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix


def store_uploads(files: list[tuple[str, Path]], uploads_dir: Path, max_mb: int) -> tuple[list[Path], list[FileResult]]:
    """Copy accepted uploads (original name, temp path) into `uploads_dir`; refuse the others with a reason."""
    uploads_dir.mkdir(parents=True, exist_ok=True)
    accepted: list[Path] = []
    refused: list[FileResult] = []
    for original, temp in files:
        name = safe_name(original)
        suffix = Path(name).suffix
        size = temp.stat().st_size
        if suffix not in SUPPORTED_SUFFIXES:
            refused.append(FileResult(original, name, ERROR, f"不支持的文件类型 {suffix or '（无扩展名）'}，支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}"))
        elif size > max_mb * 2**20:
            refused.append(FileResult(original, name, ERROR, f"文件过大（{size / 2**20:.1f} MB），上限 {max_mb} MB"))
        elif size == 0:
            refused.append(FileResult(original, name, ERROR, "文件为空"))
        else:
            target = uploads_dir / name
            shutil.copyfile(temp, target)
            accepted.append(target)
    return accepted, refused
