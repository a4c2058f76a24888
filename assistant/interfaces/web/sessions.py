"""Per-session downloads: each browser session writes its exports into a folder of its own and only
that session can fetch them, by a random token, through /exports/<token>/<file>: the request must come
from the same browser (its ra-browser cookie, guards.py) and, with a login, the same login session (a
second login of the same user, elsewhere, gets 404).

Gradio's file route serves every file under its upload and cache folders to anyone who knows the
path; exports therefore never go through it. Folders are removed when the session ends (Gradio
deletes the session's state) and, in any case, once older than RA_EXPORT_TTL_HOURS.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from assistant.interfaces.web.guards import BROWSER_COOKIE, gradio_user, login_token
from assistant.store.uploads import safe_name

log = logging.getLogger("report-assistant.web")
EXPORT_PREFIX = "exports"


@dataclass
class ExportSession:
    token: str
    user: str | None
    folder: Path
    created: float = field(default_factory=time.time)
    browser: str | None = None  # the browser's ra-browser cookie when the session opened
    login: str | None = None  # the login session's token, when the app has a login

    def path_for(self, filename: str) -> Path:
        """Where an export called `filename` goes (a safe name inside this session's folder)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / safe_name(filename)

    def url(self, path: Path) -> str:
        """The link the page offers (relative to the app's root, so it works behind a path prefix)."""
        return f"{EXPORT_PREFIX}/{self.token}/{quote(path.name)}"


class ExportRegistry:
    """The live sessions' export folders under `<data_dir>/web/exports`, looked up by token."""

    def __init__(self, root: Path, ttl_hours: float):
        self.root = root
        self.ttl_s = ttl_hours * 3600
        self._sessions: dict[str, ExportSession] = {}
        self._lock = threading.Lock()
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o700)

    def open(self, user: str | None, browser: str | None = None, login: str | None = None) -> ExportSession:
        self.sweep()
        token = secrets.token_urlsafe(24)
        session = ExportSession(token, user, self.root / token, browser=browser, login=login)
        with self._lock:
            self._sessions[token] = session
        return session

    def close(self, session: ExportSession | None) -> None:
        """Gradio's delete_callback for the session state: the session ended, its files go."""
        if session is None:
            return
        with self._lock:
            self._sessions.pop(session.token, None)
        shutil.rmtree(session.folder, ignore_errors=True)

    def sweep(self) -> None:
        """Remove export folders older than the time limit (sessions that never said goodbye)."""
        cutoff = time.time() - self.ttl_s
        with self._lock:
            for token, session in list(self._sessions.items()):
                if session.created < cutoff:
                    del self._sessions[token]
        for folder in self.root.iterdir() if self.root.is_dir() else ():
            try:
                if folder.stat().st_mtime < cutoff:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    def get(self, token: str) -> ExportSession | None:
        with self._lock:
            session = self._sessions.get(token)
        if session and time.time() - session.created > self.ttl_s:
            self.close(session)
            return None
        return session

    def route(self, login_required: bool) -> Route:
        """GET /exports/<token>/<file>: the session's own file, to that session's user only."""

        async def serve(request: Request):
            session = self.get(request.path_params["token"])
            name = request.path_params["name"]
            if session is None or "/" in name or name.startswith("."):
                return _not_found()
            cookies = dict(request.cookies)
            if session.browser is None or cookies.get(BROWSER_COOKIE) != session.browser:
                return _not_found()  # another browser (or a client that never loaded the page)
            if login_required and (gradio_user(request.app, cookies) != session.user
                                   or login_token(request.app, cookies) != session.login):
                return _not_found()  # another user, or the same user's other login
            path = session.folder / name
            if path.is_symlink() or not path.is_file() or path.resolve().parent != session.folder.resolve():
                return _not_found()
            return FileResponse(path, filename=name, content_disposition_type="attachment",
                                headers={"Cache-Control": "private, no-store"})

        return Route(f"/{EXPORT_PREFIX}/{{token}}/{{name}}", serve, methods=["GET"])


def _not_found() -> PlainTextResponse:
    return PlainTextResponse("文件不存在或已过期", status_code=404)
