"""Known context windows of chat models (llm/context_windows.tsv), for packing prompts to fit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("context_windows.tsv")


@lru_cache(maxsize=1)
def _table() -> list[tuple[str, int]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            prefix, tokens = line.split("\t")
            rows.append((prefix.lower(), int(tokens)))
    return sorted(rows, key=lambda r: -len(r[0]))


def known_window(model: str) -> int | None:
    """The window of the longest known model-name prefix (an Ollama tag like qwen2.5:7b matches qwen2.5)."""
    name = model.lower().split("/")[-1]
    return next((tokens for prefix, tokens in _table() if name.startswith(prefix)), None)
