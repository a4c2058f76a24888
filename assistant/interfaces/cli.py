"""`report-assistant` / `python -m assistant`: the command-line face of the service functions."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from assistant.store.ingestion import ERROR
from assistant.config.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="法治报告助手：导入、检索、引用法治政府建设年度报告。")
console = Console()
err = Console(stderr=True)
_state: dict[str, Optional[Path]] = {"data_dir": None}


@app.callback()
def _global(
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="data directory (else RA_DATA_DIR, else ./data)"),
) -> None:
    _state["data_dir"] = data_dir


def settings(**overrides) -> Settings:
    return load_settings(data_dir=_state["data_dir"], **overrides)


def _open(s: Settings | None = None):
    from assistant.service import Assistant

    try:
        return Assistant(s or settings())
    except Exception as exc:  # a configuration problem: say what, never a stack trace
        err.print(f"[red]无法打开报告库：{exc}[/red]")
        raise typer.Exit(2) from exc


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="files or folders (walked recursively)"),
    rebuild: bool = typer.Option(False, "--rebuild", help="empty the store first (after changing the embedding model)"),
    as_json: bool = typer.Option(False, "--json", help="print results as JSON"),
) -> None:
    """Import reports (txt, md, html, docx, pdf); unchanged files are skipped."""
    from assistant.interfaces.terminal import BarProgress, ingest_table
    from assistant.service import reset_store

    s = settings()
    if rebuild:
        reset_store(s)
    assistant = _open(s)
    if as_json:
        results = assistant.ingest(paths)
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        with BarProgress(console) as bar:
            results = assistant.ingest(paths, bar)
        console.print(ingest_table(results))
    raise typer.Exit(1 if any(r.status == ERROR for r in results) else 0)


PROVIDER_HELP = "LLM provider: none | openai | openai-compatible (else RA_LLM_PROVIDER)"


@app.command()
def ask(
    question: str = typer.Argument(..., help="the question, in Chinese"),
    report: Optional[list[str]] = typer.Option(None, "--report", help="restrict to these report files"),
    region: Optional[list[str]] = typer.Option(None, "--region", help="restrict to reports of these regions"),
    year: Optional[list[int]] = typer.Option(None, "--year", help="restrict to reports of these years"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    model: Optional[str] = typer.Option(None, "--model", help="LLM model name (else RA_LLM_MODEL)"),
    stream: bool = typer.Option(True, "--stream/--no-stream", help="print the LLM's words as they arrive"),
    as_json: bool = typer.Option(False, "--json", help="print the answer as JSON"),
) -> None:
    """Answer a question from the reports, every sentence cited."""
    assistant = _open(_llm_settings(provider, model))
    reports_filter = assistant.select_reports([Path(r).name for r in report or []], region, year)
    _answer(assistant, question, reports_filter, [], stream and not as_json, as_json)


@app.command()
def chat(
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    model: Optional[str] = typer.Option(None, "--model", help="LLM model name (else RA_LLM_MODEL)"),
    save: Optional[Path] = typer.Option(None, "--save", help="write the conversation as Markdown at the end"),
) -> None:
    """An interactive conversation in the terminal; follow-ups (那绥滨县呢？) are understood."""
    from assistant.answering.conversation import Turn
    from assistant.exports.markdown import conversation_markdown

    assistant = _open(_llm_settings(provider, model))
    history: list[Turn] = []
    answers = []
    console.print("法治报告助手：输入问题，空行或 Ctrl-D 退出。")
    while True:
        try:
            question = console.input("[bold]问：[/bold]").strip()
        except EOFError:
            break
        if not question:
            break
        answer = _answer(assistant, question, None, history, True, False)
        answers.append(answer)
        history.append(Turn(question, answer.standalone_question or question, answer.answer))
    if save:
        save.write_text(conversation_markdown(answers), encoding="utf-8")
        console.print(f"已保存到 {save}")


def _llm_settings(provider: str | None, model: str | None) -> Settings:
    try:
        return settings(llm_provider=provider, llm_model=model)
    except ValueError as exc:
        err.print(f"[red]设置有误：{exc.errors()[0]['msg'] if hasattr(exc, 'errors') else exc}[/red]")
        raise typer.Exit(2) from exc


def _answer(assistant, question: str, reports_filter, history, stream: bool, as_json: bool):
    from assistant.answering.answer import Answer
    from assistant.interfaces.terminal import print_answer

    answer = None
    streamed = False
    for item in assistant.ask_stream(question, reports_filter, history):
        if isinstance(item, Answer):
            answer = item
        elif stream:
            console.print(item, end="", highlight=False, markup=False)
            streamed = True
    if streamed:
        console.print("\n")
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(console, answer)
    return answer


@app.command()
def reports(
    assignments: Optional[list[str]] = typer.Argument(None, help="field=value … for --set (region, year, province, city, level, title, published)"),
    set_: Optional[str] = typer.Option(None, "--set", help="FILE: the report whose metadata to correct"),
    as_json: bool = typer.Option(False, "--json", help="print the library as JSON"),
) -> None:
    """List the library (one row per report), or correct a report's region/year with --set."""
    from assistant.interfaces.terminal import library_table
    from assistant.service import UsageError

    assistant = _open()
    if set_ or assignments:
        name, fields = _parse_set(set_, assignments or [])
        try:
            meta = assistant.set_metadata(name, fields)
        except UsageError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        console.print(f"已更新 {meta.name}：{meta.label()}")
    rows = assistant.library()
    if as_json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        console.print(library_table(rows))


def _parse_set(report: str | None, assignments: list[str]) -> tuple[str, dict[str, str]]:
    """`--set FILE region=… year=…`: the file, then field=value pairs."""
    if not report or not assignments or any("=" not in a for a in assignments):
        err.print("[red]用法：reports --set FILE field=value [field=value …]（例如 region=老边区 year=2023）[/red]")
        raise typer.Exit(2)
    return report, dict(a.split("=", 1) for a in assignments)


@app.command()
def remove(report: str = typer.Argument(..., help="report file name (or path)")) -> None:
    """Delete a report and everything indexed from it."""
    from assistant.service import UsageError

    assistant = _open()
    try:
        assistant.remove(report)
    except UsageError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"已删除 {Path(report).name}")


@app.command()
def reindex() -> None:
    """Parse and index every stored report again from its source file."""
    from assistant.interfaces.terminal import BarProgress, ingest_table

    assistant = _open()
    with BarProgress(console) as bar:
        results = assistant.reindex(bar)
    console.print(ingest_table(results))
    raise typer.Exit(1 if any(r.status == ERROR for r in results) else 0)


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="print as JSON")) -> None:
    """Provider, model, embedding model, store location and counts (never the API key)."""
    info = _open().status()
    if as_json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        for key, value in info.items():
            console.print(f"{key}: {value if value is not None else '—'}")


@app.command("check-llm")
def check_llm() -> None:
    """Send one tiny request to the configured LLM and say whether it answered."""
    ok, message = _open().check_llm()
    (console if ok else err).print(message)
    raise typer.Exit(0 if ok else 1)


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

    assistant = _open(_llm_settings(provider, None))
    started = time.perf_counter()
    result = _usage(lambda: assistant.compare(reports_, topic))
    seconds = time.perf_counter() - started
    if out:
        _write(out, {".md": lambda p: p.write_text(comparison_markdown(result), encoding="utf-8"),
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

    assistant = _open()
    found = _usage(lambda: assistant.figures(reports_, indicator))
    if out:
        _write(out, {".xlsx": lambda p: figures_table(found, p), ".csv": lambda p: figures_table(found, p)})
    if chart:
        if not indicator:
            err.print("[red]--chart needs --indicator[/red]")
            raise typer.Exit(2)
        _usage(lambda: figures_chart(found, indicator, chart))
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

    assistant = _open(_llm_settings(provider, None))
    started = time.perf_counter()
    result = _usage(lambda: assistant.plan(report, year))
    seconds = time.perf_counter() - started
    if out:
        _write(out, {".md": lambda p: p.write_text(plan_markdown(result), encoding="utf-8"), ".docx": lambda p: plan_docx(result, p)})
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


def _usage(call):
    """Run a service call; a usage problem becomes one red line and exit status 2."""
    from assistant.service import UsageError

    try:
        return call()
    except (UsageError, ValueError, RuntimeError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _write(out: Path, writers: dict) -> None:
    writer = writers.get(out.suffix.lower())
    if writer is None:
        err.print(f"[red]{out}: unsupported output type; use {', '.join(writers)}[/red]")
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer(out)
    err.print(f"已写入 {out}")


@app.command("eval")
def evaluate(
    qa: Path = typer.Option(..., "--qa", exists=True, dir_okay=False, help="questions (JSON lines)"),
    reports_dir: Optional[Path] = typer.Option(None, "--reports", exists=True, help="ingest these into a fresh store first"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the metrics to this file"),
) -> None:
    """Measure retrieval and answers on a question set (recall@5/10, MRR, keywords, citations, refusals)."""
    from assistant.evaluation.qa import print_metrics, run_eval

    metrics = run_eval(settings(), qa, reports_dir, console)
    print_metrics(console, metrics)
    if json_out:
        json_out.write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")


@app.command()
def bench(
    n_reports: int = typer.Option(50, "--reports", min=1, help="synthetic reports to generate"),
    lexical_only: bool = typer.Option(False, "--lexical-only", help="skip embeddings (for 1,000+ reports)"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the figures to this file"),
) -> None:
    """Generate a confusable synthetic corpus, ingest it, and print speed, size, memory and recall."""
    from assistant.evaluation.bench import print_bench, run_bench

    figures = run_bench(settings(), n_reports, lexical_only, console)
    print_bench(console, figures)
    if json_out:
        json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)
