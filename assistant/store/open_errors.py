"""Why a store could not be opened, as one Chinese line: our own errors say it already (another embedding
model built the store, the Chroma server is down); a library's English error (sqlite, chromadb) is
logged and replaced by what it most likely means."""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger("report-assistant.store")


def open_failure(exc: Exception) -> str:
    from assistant.errors import UsageError
    from assistant.store.vectors import StoreMismatchError, VectorStoreUnavailable

    if isinstance(exc, VectorStoreUnavailable):
        return exc.reason
    if isinstance(exc, (StoreMismatchError, UsageError)):
        return str(exc)
    log.error("cannot open the store", exc_info=exc)
    postgres = _postgres_failure(exc)
    if postgres:
        return postgres
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "报告库正被另一个程序写入（数据库已锁定），请稍后再试"
    if isinstance(exc, PermissionError):
        return "没有读写数据目录的权限，请检查 RA_DATA_DIR 或 --data-dir 所指的文件夹"
    if isinstance(exc, (sqlite3.DatabaseError, OSError)):
        return "数据目录中的文件无法读写或已损坏（详情已记入日志）"
    return "打开时发生内部错误（详情已记入日志）"


def _postgres_failure(exc: Exception) -> str | None:
    """A shared library's PostgreSQL that cannot be reached or used: named by host and port, never its password."""
    if type(exc).__module__.split(".")[0] != "psycopg":
        return None
    from assistant.config.settings import load_settings

    try:
        from urllib.parse import urlsplit

        url = urlsplit(load_settings().database_url or "")
        where = f"{url.hostname or '本机'}:{url.port or 5432}"
    except Exception:  # noqa: BLE001 - the line still says what failed
        where = "RA_DATABASE_URL 所指的服务器"
    if "authentication" in str(exc) or "password" in str(exc):
        return f"PostgreSQL {where} 拒绝登录：请检查 RA_DATABASE_URL 中的用户名和密码"
    if "does not exist" in str(exc):
        return f"PostgreSQL {where} 上没有 RA_DATABASE_URL 所指的数据库，请先创建"
    return f"无法连接 PostgreSQL {where}（RA_DATABASE_URL）：请确认数据库服务已启动"
