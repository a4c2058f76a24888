"""`report-assistant` / `python -m assistant`: the command-line face of the service functions.

Each module of this package adds its commands to the one Typer app; importing them here registers them.
"""

from __future__ import annotations

import sys

# Imported in the order `--help` lists their commands.
from assistant.interfaces.cli import (
    documents,  # noqa: F401
    library,  # noqa: F401,I001
    measure,  # noqa: F401
    questions,  # noqa: F401
)
from assistant.interfaces.cli.common import app, err


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)
