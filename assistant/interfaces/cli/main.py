"""`report-assistant` / `python -m assistant`: the command-line face of the service functions.

Each module of this package adds its commands to the one Typer app; importing them registers them. That
import (rich, typer and the service's libraries) happens inside main(), so that a Ctrl-C while a
command starts is one Chinese line like any other, never a traceback.
"""

from __future__ import annotations

import gc
import sys

from assistant.interfaces.interrupt import INTERRUPTED, seen, stop, watch

# A command is one short process that loads ~120,000 long-lived library objects (Chroma, pydantic,
# numpy) and exits. Python's default of a collection every 700 new objects re-scans them ~270 times
# on one question (0.09 s); every 10,000 still collects an ingest's garbage while it runs.
COLLECT_EVERY_NEW_OBJECTS = 10_000


def commands():
    """The Typer app with every command registered (imported in the order `--help` lists them)."""
    from assistant.interfaces.cli import (
        documents,  # noqa: F401
        library,  # noqa: F401,I001
        measure,  # noqa: F401
        questions,  # noqa: F401
        shared,  # noqa: F401
    )
    from assistant.interfaces.cli.common import app

    return app


def __getattr__(name: str):
    if name == "app":  # `from assistant.interfaces.cli.main import app` (tests, embedding the CLI)
        return commands()
    raise AttributeError(name)


def main() -> None:
    watch()
    try:
        code = _run()
    except KeyboardInterrupt:
        stop()
    if code == INTERRUPTED or seen():
        stop()
    sys.exit(code)


def _run() -> int:
    gc.set_threshold(COLLECT_EVERY_NEW_OBJECTS, *gc.get_threshold()[1:])
    from rich.markup import escape
    from typer import Abort
    from typer._click.exceptions import ClickException  # typer 0.29 vendors Click; versions are pinned

    from assistant.interfaces.cli.common import HELP_FLAGS, chinese_panel_titles, err, quiet_logging
    from assistant.interfaces.cli.usage import usage_error_lines

    quiet_logging()

    app = commands()
    if len(sys.argv) <= 1 or any(arg in HELP_FLAGS for arg in sys.argv[1:]):
        chinese_panel_titles()
    try:
        code = app(standalone_mode=False)  # usage errors come back to us, to be said in Chinese
    except ClickException as exc:
        if type(exc).__name__ != "NoArgsIsHelpError":  # that one's help is already shown
            *context, message = usage_error_lines(exc)
            for line in context:
                err.print(line, markup=False, highlight=False)
            err.print(f"[red]{escape(message)}[/red]", highlight=False)
        return exc.exit_code
    except Abort:
        err.print("已中止。")
        return 1
    finally:
        # At exit Python would scan every object once more for cycles (0.15 s of a 1 s question). Nothing
        # depends on it: the stores commit as they write, and Python never promises finalizers at exit.
        gc.freeze()
    return code if isinstance(code, int) else 0
