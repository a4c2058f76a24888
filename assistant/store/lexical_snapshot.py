"""A saved copy of the lexical index, so that a process starting on a large library loads arrays instead
of reading every chunk's tokens; it then follows the change log from the copy's generation.

Layout: <lexical_dir>/current.json names the folder holding the latest copy, its generation, the library
it was made of (a data directory may be pointed at another library) and the tokenizer version. A copy is written into a new folder and the pointer swapped in one rename
(os.replace) under a file lock, so readers never see half a copy and only one process writes at a time.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from assistant.language.tokens import TOKENIZER_VERSION
from assistant.store.bm25 import Field, Segment
from assistant.store.file_lock import file_lock
from assistant.store.lexical import LexicalIndex

log = logging.getLogger("report-assistant.lexical")
POINTER_NAME = "current.json"
LOCK_NAME = ".lock"
FIELDS = ("words", "pairs")
# The index format: a copy of another format is ignored (and the index made from the stored tokens).
FORMAT = "segments-1"


def pointer(directory: Path, library: str) -> dict | None:
    """What the latest copy of `library`'s index is, or None (none, another library's, another format)."""
    try:
        data = json.loads((directory / POINTER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("tokenizer") != TOKENIZER_VERSION or data.get("format") != FORMAT or data.get("library") != library:
        return None
    return data


def load(directory: Path, library: str) -> LexicalIndex | None:
    """The latest saved copy, or None (none yet, of another library or format, or replaced while being read)."""
    current = pointer(directory, library)
    if current is None:
        return None
    folder = directory / current["folder"]
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        arrays = np.load(folder / "arrays.npz")
        chunk_ids = _lines(folder / "chunk_ids.txt")
        fields = []
        for name in FIELDS:
            vocab = {token: i for i, token in enumerate(_lines(folder / f"{name}_vocab.txt"))}
            segment = Segment(arrays[f"{name}_terms"], arrays[f"{name}_indptr"], arrays[f"{name}_slots"], arrays[f"{name}_tf"])
            lengths = arrays[f"{name}_lengths"]
            fields.append(Field(vocab, (segment,) if segment.postings else (), lengths, int(lengths.sum())))
        codes = arrays["report_codes"]
        return LexicalIndex(chunk_ids, codes, meta["reports"], np.ones(len(chunk_ids), bool), *fields, meta["generation"])
    except (OSError, ValueError, KeyError) as exc:
        log.info("lexical copy %s not read: %s", folder, exc)
        return None


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.split("\n") if text else []


def save(index: LexicalIndex, directory: Path, library: str) -> bool:
    """Write a compacted copy and point current.json at it; False when another process is writing one."""
    directory.mkdir(parents=True, exist_ok=True)
    with file_lock(directory / LOCK_NAME, wait=False) as locked:
        if not locked:
            return False
        current = pointer(directory, library)
        if current is not None and current.get("generation", -1) >= index.generation:
            return True  # someone saved this state or a later one
        index = index.compacted()
        folder = Path(tempfile.mkdtemp(prefix=f"g{index.generation}-", dir=directory))
        arrays = {"report_codes": index.report_codes}
        for name in FIELDS:
            field: Field = getattr(index, name)
            segment = field.segments[0] if field.segments else None
            arrays.update({f"{name}_terms": segment.terms if segment else np.zeros(0, np.int32),
                           f"{name}_indptr": segment.indptr if segment else np.zeros(1, np.int64),
                           f"{name}_slots": segment.slots if segment else np.zeros(0, np.int32),
                           f"{name}_tf": segment.tf if segment else np.zeros(0, np.float32),
                           f"{name}_lengths": field.lengths})
            vocab = sorted(field.vocab, key=field.vocab.__getitem__)
            (folder / f"{name}_vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
        np.savez(folder / "arrays.npz", **arrays)
        (folder / "chunk_ids.txt").write_text("\n".join(index.chunk_ids), encoding="utf-8")
        (folder / "meta.json").write_text(json.dumps({"generation": index.generation, "reports": index.report_names},
                                                     ensure_ascii=False), encoding="utf-8")
        staged = directory / f".{POINTER_NAME}.{folder.name}"
        staged.write_text(json.dumps({"generation": index.generation, "folder": folder.name, "format": FORMAT,
                                      "library": library, "tokenizer": TOKENIZER_VERSION}), encoding="utf-8")
        previous = (current or {}).get("folder")
        os.replace(staged, directory / POINTER_NAME)
        for old in directory.iterdir():  # a reader still loading the previous copy keeps it
            if old.name in {folder.name, previous, POINTER_NAME, LOCK_NAME}:
                continue
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        return True
