"""HTTP rules in front of Gradio's own routes.

- Files: Gradio's upload routes (POST /gradio_api/upload, and any multipart POST but the login form) take files only from
  a user who may import (an editor), and no body larger than the import limit (RA_UPLOAD_MAX_MB) plus
  the form's own overhead; anything else is refused before a byte is written to the data folder.
- Browsers: every browser gets a random, HttpOnly cookie on its first page; a session's downloads are
  bound to it (sessions.py), so a download link works only in the browser session that made it.
"""

from __future__ import annotations

import secrets

from assistant.interfaces.web.access import EDITOR, Access

BROWSER_COOKIE = "ra-browser"
# A multipart form's boundaries and headers around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
NOT_ALLOWED = "当前账号为只读账号，不能上传文件".encode()


def gradio_user(app, cookies: dict[str, str]) -> str | None:
    """The user Gradio's login cookie names (`app` is the Gradio app serving the request)."""
    cookie_id = getattr(app, "cookie_id", None)
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return getattr(app, "tokens", {}).get(token) if token else None


def login_token(app, cookies: dict[str, str]) -> str | None:
    """The login session's own token (a second login of the same user has another)."""
    cookie_id = getattr(app, "cookie_id", None)
    return cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")


def _cookies(scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # noqa: BLE001 - a malformed cookie header counts as none
        return {}
    return {k: m.value for k, m in jar.items()}


def _header(scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), None)


class Guard:
    """ASGI middleware applying the rules above (Starlette has put the Gradio app in scope["app"])."""

    def __init__(self, app, access: Access, max_upload_bytes: int):
        self.app = app
        self.access = access
        self.max_bytes = max_upload_bytes + FORM_OVERHEAD_BYTES

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        if scope.get("method") == "POST" and self._carries_files(scope):
            if self.access.role(gradio_user(scope.get("app"), cookies)) != EDITOR:
                await _refuse(send, 403, NOT_ALLOWED)
                return
            length = _header(scope, b"content-length")
            if length is None or not length.isdigit() or int(length) > self.max_bytes:
                limit = (self.max_bytes - FORM_OVERHEAD_BYTES) // 2**20
                await _refuse(send, 413, f"文件过大：单个文件不得超过 {limit} MB（RA_UPLOAD_MAX_MB）".encode())
                return
        if BROWSER_COOKIE in cookies or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return

        async def with_cookie(message):  # on the page itself (and the login page), not on every asset
            headers = dict(message.get("headers") or [])
            if message["type"] == "http.response.start" and headers.get(b"content-type", b"").startswith(b"text/html"):
                value = f"{BROWSER_COOKIE}={secrets.token_urlsafe(24)}; Path=/; HttpOnly; SameSite=Strict"
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", value.encode())]}
            await send(message)

        await self.app(scope, receive, with_cookie)

    @staticmethod
    def _carries_files(scope) -> bool:
        path = scope.get("path", "").rstrip("/")
        content_type = _header(scope, b"content-type") or ""
        if path.endswith("/login"):  # the login form (its browser sends it as multipart) carries no file
            return False
        return path.endswith("/upload") or content_type.startswith("multipart/")


async def _refuse(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
