"""Why a store could not be opened, as one Chinese line: our own errors say it already (another embedding
model built the store, the Chroma server is down); a library's English error (sqlite, chromadb) is
logged and replaced by what it most likely means."""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger("report-assistant.store")


def open_failure(exc: Exception, database_url: str | None = None, setting: str = "RA_DATABASE_URL") -> str:
    """Why the store could not be opened; a PostgreSQL named by a command's option (`setting`, with its
    `database_url`) rather than by RA_DATABASE_URL is named as such."""
    from assistant.errors import UsageError
    from assistant.store.vectors import StoreMismatchError, VectorStoreUnavailable

    if isinstance(exc, VectorStoreUnavailable):
        return exc.reason
    if isinstance(exc, (StoreMismatchError, UsageError)):
        return str(exc)
    log.error("cannot open the store", exc_info=exc)
    postgres = postgres_failure(exc, database_url, setting)
    if postgres:
        return postgres
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "报告库正被另一个程序写入（数据库已锁定），请稍后再试"
    if isinstance(exc, PermissionError):
        return "没有读写数据目录的权限，请检查 RA_DATA_DIR 或 --data-dir 所指的文件夹"
    if isinstance(exc, (sqlite3.DatabaseError, OSError)):
        return "数据目录中的文件无法读写或已损坏（详情已记入日志）"
    return "打开时发生内部错误（详情已记入日志）"


def postgres_failure(exc: Exception, database_url: str | None = None, setting: str = "RA_DATABASE_URL") -> str | None:
    """A shared library's PostgreSQL that cannot be reached or used: named by host and port, never its
    password (None for any other error)."""
    if type(exc).__module__.split(".")[0] != "psycopg":
        return None
    from urllib.parse import urlsplit

    try:
        if database_url is None:
            from assistant.config.settings import load_settings

            database_url = load_settings().database_url
        url = urlsplit(database_url or "")
        where = f"{url.hostname or '本机'}:{url.port or 5432}"
    except Exception:  # noqa: BLE001 - the line still says what failed
        where = f"{setting} 所指的服务器"
    if "authentication" in str(exc) or "password" in str(exc):
        return f"PostgreSQL {where} 拒绝登录：请检查 {setting} 中的用户名和密码"
    if "does not exist" in str(exc):
        return f"PostgreSQL {where} 上没有 {setting} 所指的数据库，请先创建"
    return f"无法连接 PostgreSQL {where}（{setting}）：请确认数据库服务已启动"
