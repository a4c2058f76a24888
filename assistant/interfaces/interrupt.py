"""Ctrl-C, said in Chinese and never as a traceback, whenever it comes: while a command or the app starts
(importing its libraries takes a second), while it works, or while it shuts down.

After the first Ctrl-C a second one is ignored (Python would otherwise print a traceback from whatever
shutdown step it interrupts), the line is printed and the process ends at once: the stores commit as
they write (pending → vectors → ok), so nothing a reader sees depends on cleaning up.
"""

from __future__ import annotations

import os
import signal
import sys

INTERRUPTED = 130  # the exit status of a program stopped with Ctrl-C
MESSAGE = "已中断。"
_seen: list[int] = []


def watch() -> None:
    """Ctrl-C raises KeyboardInterrupt as usual and is remembered: a library importing an optional part
    inside a bare `except:` swallows the exception, and the command then ends with the line anyway."""
    def remember(signum, frame):
        _seen.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, remember)


def seen() -> bool:
    return bool(_seen)


def stop(message: str = MESSAGE, code: int = INTERRUPTED) -> None:
    """Say why we stop, in one Chinese line, and end the process now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        os.write(2, f"\n{message}\n".encode("utf-8"))
    except OSError:
        pass
    os._exit(code)
