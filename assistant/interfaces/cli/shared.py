"""Commands of a shared library: the worker that builds vectors for every replica, and migration between
an embedded library (SQLite + Chroma in the data directory) and a shared one (PostgreSQL + a Chroma server)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from assistant.interfaces.cli.common import app, console, err, open_assistant, settings

# How often the worker prints where the queue stands while it moves.
WORKER_REPORT_S = 10.0


@app.command()
def worker() -> None:
    """向量工作进程：为全库（共享报告库的每个应用副本）在后台建立向量，一直运行到被中止。

    应用副本设 RA_QUEUE_IN_APP=false，导入后只写入记录和关键词索引，向量由本进程建立；进程被终止后，
    下次启动从队列中断处继续。"""
    from assistant.interfaces.terminal import queue_line

    assistant = open_assistant()
    if assistant.start_vector_worker() is None:
        err.print("报告库不使用向量（RA_EMBEDDING_PROVIDER=none）：不需要向量工作进程", style="red")
        raise typer.Exit(2)
    console.print(f"向量工作进程已启动：{assistant.status_rows()[3][1]}，{assistant.settings.embedding_provider.value} 向量模型",
                  markup=False, highlight=False)
    last = None
    while True:
        time.sleep(WORKER_REPORT_S)
        line = queue_line(assistant.vector_status()) or "向量化队列为空"
        if line != last:
            console.print(time.strftime("%H:%M:%S ") + line, markup=False, highlight=False)
            last = line


@app.command()
def migrate(
    to: str = typer.Option(..., "--to", metavar="目标",
                           help="postgresql://…（共享报告库，向量写入 --chroma 指定的 Chroma 服务），或一个数据目录（迁回本机）"),
    chroma: Optional[str] = typer.Option(None, "--chroma", metavar="主机:端口",
                                         help="目标为 PostgreSQL 时向量写入的 Chroma 服务（默认取 RA_CHROMA_HOST/RA_CHROMA_PORT）"),
) -> None:
    """把当前报告库（记录、更正、回答反馈、向量）复制到另一种存储：本机 → 共享（PostgreSQL + Chroma 服务）或反过来。

    源报告库只读不改；目标必须是空的。两边用同一个嵌入模型，向量原样复制，不重新计算。"""
    from assistant.config.settings import with_updates
    from assistant.store.database import is_postgres
    from assistant.store.migrate import MigrationError, migrate as move

    source = settings()
    if is_postgres(to):
        host, port = source.chroma_host, source.chroma_port
        if chroma:
            host, _, port_text = chroma.rpartition(":")
            if not host or not port_text.isdigit():
                err.print(f"--chroma 应写成 主机:端口，例如 127.0.0.1:8000（收到“{chroma}”）", style="red")
                raise typer.Exit(2)
            port = int(port_text)
        if not host and source.embedding_provider.value != "none":
            err.print("共享报告库的向量要写入 Chroma 服务：请用 --chroma 主机:端口 或 RA_CHROMA_HOST 指定", style="red")
            raise typer.Exit(2)
        target = with_updates(source, database_url=to, chroma_host=host, chroma_port=port)
    else:
        folder = Path(to)
        if folder.exists() and not folder.is_dir():
            err.print(f"{to} 不是文件夹：迁回本机时 --to 应为一个数据目录", style="red")
            raise typer.Exit(2)
        target = with_updates(source, database_url=None, data_dir=folder, chroma_host=None)
    if source.database_url == target.database_url and source.data_dir == target.data_dir:
        err.print("源和目标是同一个报告库", style="red")
        raise typer.Exit(2)
    started = time.perf_counter()
    try:
        moved = move(source, target)
    except MigrationError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    except Exception as exc:  # noqa: BLE001 - one line naming what could not be opened; the detail goes to the log
        from assistant.store.open_errors import open_failure

        reason = open_failure(exc, to, "--to") if is_postgres(to) else open_failure(exc)
        err.print(f"迁移失败：{reason}", style="red", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    where = "PostgreSQL" if is_postgres(to) else str(Path(to))
    console.print(f"已迁移到 {where}：{moved.reports} 份报告，{moved.chunks} 块，{moved.vectors} 个向量，"
                  f"{moved.feedback} 条回答反馈（{time.perf_counter() - started:.1f} 秒）", markup=False, highlight=False)
