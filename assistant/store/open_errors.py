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
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "报告库正被另一个程序写入（数据库已锁定），请稍后再试"
    if isinstance(exc, PermissionError):
        return "没有读写数据目录的权限，请检查 RA_DATA_DIR 或 --data-dir 所指的文件夹"
    if isinstance(exc, (sqlite3.DatabaseError, OSError)):
        return "数据目录中的文件无法读写或已损坏（详情已记入日志）"
    return "打开时发生内部错误（详情已记入日志）"
