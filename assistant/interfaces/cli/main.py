"""`report-assistant` / `python -m assistant`: the command-line face of the service functions.

Each module of this package adds its commands to the one Typer app; importing them here registers them.
"""

from __future__ import annotations

import gc
import sys

# Imported in the order `--help` lists their commands.
from assistant.interfaces.cli import (
    documents,  # noqa: F401
    library,  # noqa: F401,I001
    measure,  # noqa: F401
    questions,  # noqa: F401
)
from assistant.interfaces.cli.common import HELP_FLAGS, app, chinese_panel_titles, err

# A command is one short process that loads ~120,000 long-lived library objects (Chroma, pydantic,
# numpy) and exits. Python's default of a collection every 700 new objects re-scans them ~270 times
# on one question (0.09 s); every 10,000 still collects an ingest's garbage while it runs.
COLLECT_EVERY_NEW_OBJECTS = 10_000


def main() -> None:
    gc.set_threshold(COLLECT_EVERY_NEW_OBJECTS, *gc.get_threshold()[1:])
    if len(sys.argv) <= 1 or any(arg in HELP_FLAGS for arg in sys.argv[1:]):
        chinese_panel_titles()
    try:
        app()
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)
    finally:
        # At exit Python would scan every object once more for cycles (0.15 s of a 1 s question). Nothing
        # depends on it: the stores commit as they write, and Python never promises finalizers at exit.
        gc.freeze()
