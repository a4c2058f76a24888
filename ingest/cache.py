"""Files built once from installed data and kept in the user's cache folder between runs.

A file's name carries a key made of its sources' paths, sizes and times: when a package is upgraded
the file is built again. Writing goes through a temporary file and one rename, so a reader never sees
half a file; a home folder that cannot be written only costs the time of building again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Callable

# The user's cache folder, as XDG defines it.
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "report-assistant"
log = logging.getLogger("report-assistant.cache")


def cached_file(name: str, sources: list[Path], suffix: str) -> Path:
    """Where the file built from `sources` is kept."""
    key = hashlib.sha1("|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources).encode())
    return CACHE_DIR / f"{name}-{key.hexdigest()[:16]}{suffix}"


def write_cached(path: Path, write: Callable[[Path], None]) -> bool:
    """Build the file with `write(temporary_path)` and put it in place; False when it could not be kept."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(temp)
        os.replace(temp, path)
        return True
    except OSError as exc:
        log.info("cache file not written (%s): %s", path, exc)
        temp.unlink(missing_ok=True)
        return False
