"""Make every library we use work without a network: call before any of them is imported."""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path


def configure() -> None:
    """Point tiktoken at llama-index's bundled BPE files and turn off telemetry and hub look-ups."""
    spec = find_spec("llama_index.core")
    if spec and spec.origin:
        cache = Path(spec.origin).parent / "_static" / "tiktoken_cache"
        if cache.is_dir():
            os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache))
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
