"""Document commands: compare, figures, plan."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from assistant.interfaces.cli.common import (
    PROVIDER_HELP,
    app,
    console,
    err,
    llm_settings,
    open_assistant,
    run_or_exit,
    write_output,
)


@app.command()
def compare(
    reports_: Optional[list[str]] = typer.Option(None, "--reports", help="report files or regions (repeat); default all"),
    topic: Optional[str] = typer.Option(None, "--topic", help="one topic as the only row (e.g. 行政复议)"),
    out: Optional[Path] = typer.Option(None, "--out", help="write FILE.md, FILE.docx or FILE.xlsx"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    as_json: bool = typer.Option(False, "--json", help="print the comparison as JSON"),
) -> None:
    """Compare reports side by side: 纲要 areas (or one topic) × reports, every cell cited."""
    from assistant.exports.markdown import comparison_markdown
    from assistant.exports.spreadsheet import comparison_xlsx
    from assistant.exports.word import comparison_docx

    assistant = open_assistant(llm_settings(provider, None))
    started = time.perf_counter()
    result = run_or_exit(lambda: assistant.compare(reports_, topic))
    seconds = time.perf_counter() - started
    if out:
        write_output(out, {".md": lambda p: p.write_text(comparison_markdown(result), encoding="utf-8"),
                     ".docx": lambda p: comparison_docx(result, p), ".xlsx": lambda p: comparison_xlsx(result, p)})
    if as_json:
        print(json.dumps(_comparison_json(result), ensure_ascii=False, indent=2))
    elif not out:
        console.print(comparison_markdown(result), markup=False, highlight=False)
    err.print(f"对比用时 {seconds:.1f} 秒（{result.mode}）")


def _comparison_json(result) -> dict:
    return {
        "mode": result.mode, "model": result.model, "checks": result.checks, "notes": result.notes,
        "rows": [r.name for r in result.rows],
        "columns": [{"report": m.name, "region": m.region, "year": m.year} for m in result.reports],
        "cells": [{"row": row, "report": report, "mentioned": bool(points),
                   "points": [{"text": p.text, "citations": [c.n for c in p.citations]} for p in points]}
                  for (row, report), points in result.cells.items()],
        "highlights": [s.text for s in result.highlights],
        "common_problems": [s.text for s in result.common_problems],
        "differences": [s.text for s in result.differences],
        "citations": [c.to_dict() for c in result.citations],
    }


@app.command()
def figures(
    indicator: Optional[str] = typer.Option(None, "--indicator", help="one indicator (e.g. 行政复议收案)"),
    reports_: Optional[list[str]] = typer.Option(None, "--reports", help="report files or regions; default all"),
    out: Optional[Path] = typer.Option(None, "--out", help="write FILE.xlsx or FILE.csv"),
    chart: Optional[Path] = typer.Option(None, "--chart", help="bar chart of --indicator as FILE.png"),
    as_json: bool = typer.Option(False, "--json", help="print the table as JSON"),
) -> None:
    """Key figures (行政复议, 法律援助, 行政执法证 …) from every report, each traced to its sentence."""
    from rich.table import Table

    from assistant.exports.chart import figures_chart
    from assistant.exports.spreadsheet import FIGURE_HEADERS, figure_rows, figures_table

    assistant = open_assistant()
    found = run_or_exit(lambda: assistant.figures(reports_, indicator))
    if out:
        write_output(out, {".xlsx": lambda p: figures_table(found, p), ".csv": lambda p: figures_table(found, p)})
    if chart:
        if not indicator:
            err.print("[red]--chart needs --indicator[/red]")
            raise typer.Exit(2)
        run_or_exit(lambda: figures_chart(found, indicator, chart))
    if as_json:
        print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
        return
    table = Table(title="关键数字")
    for header in FIGURE_HEADERS:
        table.add_column(header)
    for row in figure_rows(found):
        table.add_row(*(str(x) if x is not None else "" for x in row))
    console.print(table)


@app.command()
def plan(
    report: str = typer.Option(..., "--report", help="the target report file or region"),
    year: Optional[int] = typer.Option(None, "--year", help="the plan's year (default: the report's year + 1)"),
    out: Optional[Path] = typer.Option(None, "--out", help="write FILE.md or FILE.docx"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    as_json: bool = typer.Option(False, "--json", help="print the plan as JSON"),
) -> None:
    """Draft next year's 工作要点 from the report's problems, its commitments and peers' practices."""
    from assistant.exports.markdown import plan_markdown
    from assistant.exports.word import plan_docx

    assistant = open_assistant(llm_settings(provider, None))
    started = time.perf_counter()
    result = run_or_exit(lambda: assistant.plan(report, year))
    seconds = time.perf_counter() - started
    if out:
        write_output(out, {".md": lambda p: p.write_text(plan_markdown(result), encoding="utf-8"), ".docx": lambda p: plan_docx(result, p)})
    if as_json:
        print(json.dumps({
            "title": result.title, "year": result.year, "report": result.report.name, "mode": result.mode,
            "model": result.model, "checks": result.checks, "notes": result.notes, "opening": result.opening,
            "problems": [{"text": t, "citation": n} for t, n in result.problems],
            "sections": [{"title": s.title, "tasks": [{"title": t.title, "text": t.text, "problem": t.problem} for t in s.tasks]}
                         for s in result.sections],
            "closing": [t.text for t in result.closing],
            "citations": [c.to_dict() for c in result.citations],
        }, ensure_ascii=False, indent=2))
    elif not out:
        console.print(plan_markdown(result), markup=False, highlight=False)
    err.print(f"起草用时 {seconds:.1f} 秒（{result.mode}）")
