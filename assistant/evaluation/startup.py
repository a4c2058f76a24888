"""How long a question takes from the command line, start-up included: what a user at a terminal waits.

Each run is a fresh process (`python -m assistant … ask`), so nothing is warm but the operating
system's file cache, as for a user who types one question after another.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COLD_ASK_RUNS = 3


def cold_ask_seconds(data_dir: Path, question: str, env: dict[str, str] | None = None,
                     runs: int = COLD_ASK_RUNS) -> dict:
    """Wall seconds of `runs` fresh `ask` processes on the store in `data_dir`: median and fastest."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data_dir), "ask", question],
                              env={**os.environ, **(env or {})}, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"ask failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return {"cold_ask_s": {"median": round(statistics.median(times), 2), "fastest": round(min(times), 2), "runs": runs}}
