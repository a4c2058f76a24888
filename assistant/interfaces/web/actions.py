"""What every page shares: the service and access rules, and the wrapper every event handler runs in.

A handler returns (or yields) a tuple of its outputs whose last one is the page's notice: one line
where the action was, never Gradio's English error overlay. Errors a user can act on show their own
Chinese message; anything else shows a generic line with a log reference, never the exception text
or a path.
"""

from __future__ import annotations

import functools
import html
import logging
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable

import gradio as gr

from assistant.errors import UsageError
from assistant.interfaces.web.access import EDITOR, VIEWER_REFUSAL, Access
from assistant.interfaces.web.sessions import ExportRegistry
from assistant.llm.providers import ProviderError
from assistant.service import Assistant
from assistant.store.vectors import VectorStoreUnavailable

log = logging.getLogger("report-assistant.web")
OK, ERROR, BUSY, WARN = "ok", "error", "busy", "warn"
# Exceptions whose message is written for the user.
USER_ERRORS = (UsageError, ProviderError, VectorStoreUnavailable)


class Refused(Exception):
    """A handler's way to end with one Chinese line for the user (an input it cannot use)."""


def notice(text: str, kind: str = OK) -> str:
    """One escaped line of feedback; an empty text clears the notice."""
    if not text:
        return ""
    role = "alert" if kind == ERROR else "status"
    return f'<div class="notice filled {kind}" role="{role}">{html.escape(text)}</div>'


def user_message(exc: BaseException) -> str:
    if isinstance(exc, Refused):
        return str(exc)
    if isinstance(exc, USER_ERRORS):
        return getattr(exc, "reason", None) or str(exc)
    reference = secrets.token_hex(3)
    log.error("request failed [%s]", reference, exc_info=exc)
    return f"处理失败，请稍后重试；如仍失败，请把日志编号 {reference} 告诉管理员"


@dataclass
class Page:
    """Handed to every page builder: the service, who may do what, and the session export folders."""

    app: Assistant
    access: Access
    exports: ExportRegistry

    def require_reports(self, what: str) -> None:
        """Refuse, saying so, when the library is empty (a picker then offers nothing to choose)."""
        if not self.app.store.reports():
            raise Refused(f"报告库还是空的：请先在“报告库”页导入报告，再{what}")

    def role(self, request: gr.Request | None) -> str:
        return self.access.role(getattr(request, "username", None) if request else None)

    def action(self, outputs: int, editor: bool = False) -> Callable:
        """Wrap a handler with `outputs` outputs (the last one its notice): errors become that notice."""

        def decorate(fn: Callable) -> Callable:
            def single(values: tuple):
                return values[0] if outputs == 1 else values  # one output takes its value, not a 1-tuple

            def failed(exc: BaseException):
                return single((*([gr.skip()] * (outputs - 1)), notice(user_message(exc), ERROR)))

            def finish(result):
                values = result if isinstance(result, tuple) else (result,)
                last = values[-1]
                return single((*values[:-1], notice(last) if isinstance(last, str) and not last.startswith("<") else last))

            def refused(args, kwargs) -> bool:
                request = next((a for a in (*args, *kwargs.values()) if isinstance(a, gr.Request)), None)
                return editor and self.role(request) != EDITOR

            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                if refused(args, kwargs):
                    yield failed(Refused(VIEWER_REFUSAL))
                    return
                try:
                    result = fn(*args, **kwargs)
                    if hasattr(result, "__next__"):
                        for item in result:
                            yield finish(item)
                    else:
                        yield finish(result)
                except Exception as exc:  # noqa: BLE001 - every failure ends as one line in the page
                    yield failed(exc)

            return wrapper

        return decorate


def busy(text: str) -> str:
    return notice(text, BUSY)


# How often a page's progress line is refreshed while a long job runs in a worker thread.
POLL_S = 0.4


class Finished:
    """What `in_worker` yields last: the job's result."""

    def __init__(self, value: Any):
        self.value = value


def in_worker(job: Callable[[], Any], status: Callable[[], str]) -> Iterator[str | Finished]:
    """Run `job` in a worker thread, yielding `status()` every POLL_S until it ends, then Finished(result).
    The job's exception is raised here, in the page's own handler, where it becomes the notice."""
    box: dict = {}

    def run():
        try:
            box["value"] = job()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the page's thread below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(POLL_S)
        yield status()
    if "error" in box:
        raise box["error"]
    yield Finished(box.get("value"))


class DraftProgress:
    """The progress(done, total, what) the service reports while a model writes a document's parts."""

    def __init__(self, working: str):
        self.working = working
        self.done = self.total = 0
        self.what = ""

    def __call__(self, done: int, total: int, what: str = "") -> None:
        self.done, self.total, self.what = done, total, what

    def line(self) -> str:
        if not self.total:
            return busy(self.working)
        return busy(f"{self.working}模型已写完 {self.done}/{self.total}{'：' + self.what if self.what else ''}")
