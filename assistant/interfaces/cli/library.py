"""Library commands: ingest, reports (and --set), remove, reindex, status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from assistant.interfaces.cli.common import app, console, err, open_assistant, run_or_exit, settings


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., metavar="路径", help="文件或文件夹（递归查找）"),
    rebuild: bool = typer.Option(False, "--rebuild", help="先清空存储（更换嵌入模型后使用）"),
    replace: bool = typer.Option(False, "--replace", help="同名报告内容不同时，用新文件替换已存的报告"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出结果"),
) -> None:
    """导入报告（txt、md、html、docx、pdf），跳过未改动和重复的文件。"""
    from assistant.interfaces.terminal import BarProgress, ingest_table
    from assistant.service import reset_store
    from assistant.store.ingestion import ERROR, NEW_VERSION

    s = settings()
    if rebuild:
        reset_store(s)
    assistant = open_assistant(s)
    if as_json:
        results = assistant.ingest(paths, replace=replace)
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        with BarProgress(console) as bar:
            results = assistant.ingest(paths, bar, replace=replace)
        console.print(ingest_table(results))
        if any(r.status == NEW_VERSION for r in results):
            err.print("同名报告的新版本未替换旧版本；确认替换请加 --replace 重新导入。")
        _say_queue(assistant, "另一进程（应用或 worker）正在后台建立向量")
    assistant.close()
    raise typer.Exit(1 if any(r.status in (ERROR, NEW_VERSION) or r.vectors_pending for r in results) else 0)



@app.command()
def reports(
    assignments: Optional[list[str]] = typer.Argument(None, metavar="字段=值", help="配合 --set 使用，可多个 字段=值；字段有 region, year, plan_year, province, city, level, title, published, doc_type, author, speaker"),
    set_: Optional[str] = typer.Option(None, "--set", help="要更正元数据的报告（文件名）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出报告库"),
) -> None:
    """列出报告库（每份报告一行），或用 --set 更正报告的地区、年份等。"""
    from assistant.interfaces.terminal import library_table

    assistant = open_assistant()
    if set_ or assignments:
        name, fields = _parse_set(set_, assignments or [])
        meta = run_or_exit(lambda: assistant.set_metadata(name, fields))
        console.print(f"已更新 {meta.name}：{meta.label()}")
    rows = assistant.library()
    if as_json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        console.print(library_table(rows))
        _say_queue(assistant)


def _say_queue(assistant, who: str = "") -> None:
    """The vector queue's line under a table, when chunks still wait for their vectors."""
    from assistant.interfaces.terminal import queue_line

    line = queue_line(assistant.vector_status())
    if line:
        console.print(f"{who}：{line}" if who else line, markup=False, highlight=False)


def _parse_set(report: str | None, assignments: list[str]) -> tuple[str, dict[str, str]]:
    """`--set FILE region=… year=…`: the file, then field=value pairs."""
    if not report or not assignments or any("=" not in a for a in assignments):
        err.print("[red]用法：reports --set 文件名 字段=值 [字段=值 …]（例如 region=老边区 year=2023）[/red]")
        raise typer.Exit(2)
    return report, dict(a.split("=", 1) for a in assignments)


@app.command()
def remove(report: str = typer.Argument(..., metavar="报告", help="报告文件名（或路径）")) -> None:
    """删除一份报告及其全部索引内容。"""
    assistant = open_assistant()
    run_or_exit(lambda: assistant.remove(report))
    console.print(f"已删除 {Path(report).name}")


@app.command()
def reindex() -> None:
    """从源文件重新解析、索引每份已存报告。"""
    from assistant.interfaces.terminal import BarProgress, ingest_table
    from assistant.store.ingestion import ERROR

    assistant = open_assistant()
    with BarProgress(console) as bar:
        results = assistant.reindex(bar)
    console.print(ingest_table(results))
    raise typer.Exit(1 if any(r.status == ERROR for r in results) else 0)


@app.command()
def feedback(
    out: Optional[Path] = typer.Option(None, "--out", help="将反馈写入的 .xlsx 文件"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出反馈"),
) -> None:
    """用户在应用中对回答的 👍/👎 和备注，附问题、回答和来源。"""
    from assistant.exports.feedback import (
        FEEDBACK_HEADERS,
        feedback_rows,
        feedback_xlsx,
    )
    from assistant.interfaces.cli.common import write_output

    records = open_assistant().feedback()
    if out:
        write_output(out, {".xlsx": lambda p: feedback_xlsx(records, p)})
    if as_json:
        print(json.dumps([r.__dict__ for r in records], ensure_ascii=False, indent=2))
    elif not out:
        from rich.table import Table

        table = Table(title=f"回答反馈（{len(records)} 条）")
        for header in FEEDBACK_HEADERS[:5]:
            table.add_column(header)
        for row in feedback_rows(records):
            table.add_row(*(str(x) for x in row[:5]))
        console.print(table)


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="以 JSON 输出")) -> None:
    """大模型服务、模型、嵌入模型、存储位置和数量（不显示 API 密钥）。"""
    assistant = open_assistant()
    if as_json:  # field names for programs; people read the lines below
        print(json.dumps(assistant.status(), ensure_ascii=False, indent=2))
    else:
        for label, value in assistant.status_rows(with_paths=True):
            console.print(f"{label}：{value}", markup=False, highlight=False)
