"""Who may use the app and what they may change: login, the exposure rule, viewer and editor roles.

- Bound to loopback (127.0.0.1, ::1, localhost) without RA_AUTH: one local user, an editor.
- Bound to anything else: a login is required; the app refuses to start without RA_AUTH.
- With a login, RA_EDITORS names the users who may upload, correct, delete and set the LLM; the
  others are viewers (they ask, compare and draft). Without RA_EDITORS every user is an editor.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

from assistant.config.settings import Settings

EDITOR, VIEWER = "editor", "viewer"
ROLE_LABELS = {EDITOR: "可编辑", VIEWER: "只读"}
VIEWER_REFUSAL = "当前账号为只读账号，不能进行此操作；如需导入、更正或删除报告，请联系管理员开通编辑权限"
EXPOSED_WITHOUT_LOGIN = ("无法启动：应用监听 {host}，同一网络中的任何人都能访问，必须先设置登录账号："
                         "RA_AUTH=用户名:密码（多个用逗号分隔）；只在本机使用请设 RA_HOST=127.0.0.1")


class AccessError(ValueError):
    """The access settings cannot be used; the message is one Chinese line for the operator."""


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(settings: Settings) -> list[tuple[str, str]] | None:
    """RA_AUTH=user:password[,user2:password2] → [(user, password)], or None when unset."""
    if not settings.auth:
        return None
    pairs = []
    for item in settings.auth.get_secret_value().split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise AccessError("RA_AUTH 格式应为 用户名:密码（多个用逗号分隔），例如 RA_AUTH=sifaju:口令1,fzb:口令2")
        pairs.append((user, password))
    return pairs


@dataclass(frozen=True)
class Access:
    credentials: tuple[tuple[str, str], ...] | None
    editors: frozenset[str] | None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Access":
        """The access rules, or AccessError when the app must not start as configured."""
        credentials = parse_auth(settings)
        if credentials is None and not is_loopback(settings.host):
            raise AccessError(EXPOSED_WITHOUT_LOGIN.format(host=settings.host))
        editors = None
        if settings.editors:
            editors = frozenset(u.strip() for u in settings.editors.split(",") if u.strip())
            unknown = sorted(editors - {u for u, _ in credentials or ()})
            if credentials is None or unknown:
                raise AccessError(f"RA_EDITORS 中的用户 {'、'.join(unknown) or '（全部）'} 不在 RA_AUTH 的账号里")
        return cls(tuple(credentials) if credentials else None, editors)

    @property
    def login_required(self) -> bool:
        return self.credentials is not None

    def check_password(self, user: str, password: str) -> bool:
        """Gradio's login callback: constant-time comparison of every stored pair."""
        matched = False
        for known_user, known_password in self.credentials or ():
            same = hmac.compare_digest(known_user.encode(), user.encode())
            same &= hmac.compare_digest(known_password.encode(), password.encode())
            matched |= same
        return matched

    def role(self, user: str | None) -> str:
        if not self.login_required:
            return EDITOR
        if user is None:
            return VIEWER
        return EDITOR if self.editors is None or user in self.editors else VIEWER
