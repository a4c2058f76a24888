"""Document commands: compare, figures, track, plan, summary. Each prints the document's own Markdown or its
own `to_dict()` as JSON (the schemas are in the README); nothing here rebuilds a document's structure."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
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
    require_output_type,
    run_or_exit,
    write_output,
)


@contextmanager
def _progress(enabled: bool):
    """A progress bar on stderr fed by the service's progress(done, total, what) callback (LLM mode)."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("大模型写作中", total=None)

        def report(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"大模型写作中：{what}")

        yield report


def _draft(provider: Optional[str], as_json: bool, out: Optional[Path], build, markdown, writers: dict):
    """Run one drafting job (with a progress bar in LLM mode), write or print the document, return it and
    its seconds. `build(assistant, progress)` makes the document; `writers` maps a suffix to
    writer(document, path); Markdown is always one of the outputs."""
    files = {".md": lambda doc, p: p.write_text(markdown(doc), encoding="utf-8"), **writers}
    if out:
        require_output_type(out, list(files))
    assistant = open_assistant(llm_settings(provider, None))
    started = time.perf_counter()
    with _progress(assistant.provider is not None and not as_json) as progress:
        result = run_or_exit(lambda: build(assistant, progress))
    seconds = time.perf_counter() - started
    if out:
        write_output(out, {suffix: (lambda p, w=w: w(result, p)) for suffix, w in files.items()})
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif not out:
        console.print(markdown(result), markup=False, highlight=False, soft_wrap=True)  # piped into a .md file unbroken
    return result, seconds


@app.command()
def compare(
    reports_: Optional[list[str]] = typer.Option(None, "--reports", help="报告文件或地区（可重复）；默认全部年度报告"),
    topic: Optional[str] = typer.Option(None, "--topic", help="只对比一个主题（如 行政复议）"),
    out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.md、.docx 或 .xlsx）"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出对比结果"),
) -> None:
    """并列对比报告：纲要各领域（或一个主题）× 各报告，每格注明出处。"""
    from assistant.exports.markdown import comparison_markdown
    from assistant.exports.spreadsheet import comparison_xlsx
    from assistant.exports.word import comparison_docx

    result, seconds = _draft(provider, as_json, out, lambda a, progress: a.compare(reports_, topic, progress=progress),
                             comparison_markdown, {".docx": comparison_docx, ".xlsx": comparison_xlsx})
    err.print(f"对比用时 {seconds:.1f} 秒（{result.mode_label()}，模型调用 {result.timings.get('llm_calls', 0)} 次）")


@app.command()
def figures(
    indicator: Optional[str] = typer.Option(None, "--indicator", help="只看一项指标（如 行政复议收案）"),
    reports_: Optional[list[str]] = typer.Option(None, "--reports", help="报告文件或地区（可重复）；默认全部"),
    region: Optional[str] = typer.Option(None, "--region", help="一个地区（与 --by-year 同用：该地区历年的数字）"),
    by_year: bool = typer.Option(False, "--by-year", help="按年份对照一个地区的数字（需 --region）"),
    out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.xlsx 或 .csv；--by-year 时 .xlsx 或 .md）"),
    chart: Optional[Path] = typer.Option(None, "--chart", help="存为 .png 图：--indicator 指标的柱状图；--by-year 时为折线图"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出表格"),
) -> None:
    """关键数字（行政复议、法律援助、行政执法证…），每项可查原句；--by-year 看一个地区历年的变化。"""
    from rich.table import Table

    from assistant.exports.chart import figures_chart
    from assistant.exports.spreadsheet import FIGURE_HEADERS, figure_rows, figures_table

    if by_year or region:
        _figures_by_year(region, indicator, by_year, out, chart, as_json)
        return
    assistant = open_assistant()
    found = run_or_exit(lambda: assistant.figures(reports_, indicator))
    if out:
        write_output(out, {".xlsx": lambda p: figures_table(found, p), ".csv": lambda p: figures_table(found, p)})
    if chart:
        if not indicator:
            err.print("[red]--chart 需要同时指定 --indicator[/red]")
            raise typer.Exit(2)
        named = found[0].indicator if found else indicator  # the full name a partial --indicator stood for
        run_or_exit(lambda: figures_chart(found, named, chart))
    if as_json:
        print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
        return
    table = Table(title="关键数字")
    for header in FIGURE_HEADERS:
        table.add_column(header)
    for row in figure_rows(found):
        table.add_row(*(str(x) if x is not None else "" for x in row))
    console.print(table)


def _figures_by_year(region: Optional[str], indicator: Optional[str], by_year: bool, out: Optional[Path],
                     chart: Optional[Path], as_json: bool) -> None:
    """`figures --region X --by-year`: the place's indicators as series, a table of indicators × years."""
    from rich.table import Table

    from assistant.exports.chart import series_chart
    from assistant.exports.markdown import series_markdown
    from assistant.exports.spreadsheet import series_xlsx

    if not (by_year and region):
        err.print("[red]--region 与 --by-year 需同时使用：例如 figures --region 桐溪区 --by-year[/red]")
        raise typer.Exit(2)
    if out:
        require_output_type(out, [".xlsx", ".md"])
    assistant = open_assistant()
    found = run_or_exit(lambda: assistant.figures_by_year(region, indicator))
    if out:
        write_output(out, {".xlsx": lambda p: series_xlsx(found, p),
                           ".md": lambda p: p.write_text(series_markdown(found), encoding="utf-8")})
    if chart:
        run_or_exit(lambda: series_chart(found.rows, found.series.place, chart))
    if as_json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return
    years = found.series.years
    table = Table(title=found.title)
    for header in ["指标", *(f"{y}年" for y in years), "变化"]:
        table.add_column(header)
    for row in found.rows:
        values = {p.year: f"{p.value}{p.unit}" + ("（约）" if p.approximate else "") for p in row.points}
        table.add_row(row.indicator, *(values.get(y, "—") for y in years), row.movement() or "—")
    console.print(table)
    if not found.rows:
        err.print(f"{found.series.place}的报告中未找到可逐年对照的关键数字。")


@app.command()
def track(
    region: str = typer.Option(..., "--region", help="地区（或发文机关、报告文件）"),
    year: Optional[list[int]] = typer.Option(None, "--year", help="只看涉及这一年的承诺（可重复）"),
    out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.md、.docx 或 .xlsx）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """承诺落实：一个地区每年报告“下一步”所列事项，在次年报告中是否见到成效（已见成效 / 部分 / 未见报告），两边均有出处。"""
    from assistant.exports.markdown import tracking_markdown
    from assistant.exports.spreadsheet import tracking_xlsx
    from assistant.exports.word import tracking_docx

    result, seconds = _draft(None, as_json, out, lambda a, progress: a.track(region, year or None), tracking_markdown,
                             {".docx": tracking_docx, ".xlsx": tracking_xlsx})
    checked = sum(len(c.outcomes) for c in result.rounds)
    err.print(f"核对用时 {seconds:.1f} 秒（{len(result.rounds)} 个年度、{checked} 项承诺；"
              f"{'词语与向量' if result.matching == 'hybrid' else '仅词语'}匹配）")


@app.command()
def plan(
    report: str = typer.Option(..., "--report", help="目标报告（文件或地区）"),
    year: Optional[int] = typer.Option(None, "--year", help="工作要点的年份（默认：报告年份 + 1）"),
    out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.md 或 .docx）"),
    text_only: bool = typer.Option(False, "--text-only", help="docx 只含正文（无依据、引用和说明），供核对后转发"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出工作要点"),
) -> None:
    """起草下一年工作要点：依据报告的问题、承诺和其他地区的做法。"""
    from assistant.exports.markdown import plan_markdown
    from assistant.exports.word import plan_docx, plan_text_docx

    if text_only and (out is None or out.suffix.lower() != ".docx"):
        err.print("[red]--text-only 只用于 Word 文件：请同时指定 --out 文件名.docx[/red]")
        raise typer.Exit(2)
    result, seconds = _draft(provider, as_json, out, lambda a, progress: a.plan(report, year, progress=progress),
                             plan_markdown, {".docx": plan_text_docx if text_only else plan_docx})
    err.print(f"起草用时 {seconds:.1f} 秒（{result.mode_label()}，{len(result.sections)} 个部分、{len(result.tasks)} 项任务）")


@app.command()
def summary(
    report: list[str] = typer.Option(..., "--report", help="报告文件或地区（可重复，指定多份）"),
    length: str = typer.Option("一页", "--length", help="篇幅：一页 或 详细"),
    out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.md 或 .docx）"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出摘要"),
) -> None:
    """按纲要领域摘要报告：工作、数字、亮点、问题和下一步，均有出处。"""
    from assistant.exports.markdown import summary_markdown
    from assistant.exports.word import summary_docx

    result, seconds = _draft(provider, as_json, out, lambda a, progress: a.summarize(report, length, progress=progress),
                             summary_markdown, {".docx": summary_docx})
    err.print(f"摘要用时 {seconds:.1f} 秒（{result.mode_label()}）")
