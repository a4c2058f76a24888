"""Measurement commands: eval (question sets) and bench (a synthetic corpus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from assistant.interfaces.cli.common import app, console, settings

# Columns of the eval tables when the output is not a terminal (a log file, CI).
EVAL_TABLE_WIDTH = 150


@app.command("eval")
def evaluate(
    qa: Optional[Path] = typer.Option(None, "--qa", exists=True, dir_okay=False,
                                      help="一个问题集（JSON lines 文件）；默认取 assistant/evaluation/suites.json 中的全部问题集"),
    reports_dirs: Optional[list[Path]] = typer.Option(None, "--reports", exists=True,
                                                      help="问题集所问的报告（可重复）；默认 samples/reports"),
    areas: Optional[Path] = typer.Option(None, "--areas", exists=True, dir_okay=False,
                                         help="只评测领域准确率：标注了纲要领域的句子（JSON lines 文件）"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="将指标写入此文件"),
    suites_files: Optional[list[Path]] = typer.Option(None, "--suites", exists=True, dir_okay=False,
                                                      help="另加问题集清单（JSON，格式同 suites.json，路径相对于该文件；"
                                                           "标为盲测的集只评测、从不用于拟合）"),
    fit: bool = typer.Option(False, "--fit", help="在全部非盲测问题集上拟合段落排序和答句模型，写入 assistant/fitted/，"
                                                  "并按留一集法评测每个问题集"),
    loso: bool = typer.Option(False, "--loso", help="按留一集法评测（每集用不含该集拟合的模型），不写入模型"),
    commitments: Optional[Path] = typer.Option(None, "--commitments", exists=True, dir_okay=False,
                                               help="只评测承诺落实判断：人工标注的承诺对（JSON lines 文件），在当前报告库上"),
    held_out: Optional[list[str]] = typer.Option(None, "--held-out", help="与 --commitments 同用：留出不拟合的标注集（可重复）"),
) -> None:
    """评测问题集上的检索和回答，以及句子归入纲要领域的准确度。

    指标：recall@5/10、MRR、关键词、引用、拒答，并与同批报告上的 jieba BM25 和字二元组 BM25 对照。
    不加选项时，评测 assistant/evaluation/suites.json 列出的全部问题集和标注文件。"""
    from assistant.config.settings import SAMPLES_DIR
    from assistant.evaluation.areas import print_area_metrics, run_area_eval
    from assistant.evaluation.qa import (
        Suite,
        default_area_sets,
        default_suites,
        load_suites,
        print_metrics,
        print_summary,
        run_eval,
    )

    out = console if console.is_terminal else Console(width=EVAL_TABLE_WIDTH)  # tables stay readable in a log
    if commitments:
        _commitments(commitments, held_out or [], fit, json_out, out)
        return
    suites = [Suite(qa.stem, qa, tuple(reports_dirs or [SAMPLES_DIR]))] if qa else ([] if areas else default_suites())
    suites += [s for path in suites_files or [] for s in load_suites(path)]
    area_sets = [areas] if areas else ([] if qa or suites_files else default_area_sets())
    if fit or loso:
        from assistant.evaluation.loso import fit_and_measure

        results = fit_and_measure(settings(), suites, out, write=fit)
        for metrics in results:
            print_metrics(out, metrics)
    else:
        results = [run_eval(settings(), suite, out) for suite in suites]
        for metrics in results:
            print_metrics(out, metrics)
    if len(results) > 1:
        print_summary(out, results)
    area_results = []
    for path in area_sets:
        area_results.append(run_area_eval(path))
        print_area_metrics(out, area_results[-1])
    if json_out:
        if qa:
            data = results[0]
        elif areas:
            data = area_results[0]
        else:
            data = {"sets": results, "areas": area_results}
        json_out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _commitments(path: Path, held_out: list[str], write: bool, json_out: Optional[Path], out) -> None:
    """Fit the commitment matcher on the labels' tuning sets and measure it (held-out sets apart)."""
    from assistant.evaluation.commitments import print_commitment_metrics, run
    from assistant.interfaces.cli.common import open_assistant, run_or_exit

    assistant = open_assistant()
    report = run_or_exit(lambda: run(assistant.store, path, held_out, write))
    print_commitment_metrics(out, report)
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


@app.command()
def bench(
    n_reports: int = typer.Option(50, "--reports", min=1, help="生成的合成报告份数"),
    lexical_only: bool = typer.Option(False, "--lexical-only", help="1,000+ 份报告时跳过向量嵌入"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="将测得的数字写入此文件"),
    large_file_mb: float = typer.Option(0, "--large-file-mb", min=0, help="另解析一个这么大的文件，单位 MB（如 60）"),
    busy: int = typer.Option(0, "--busy", min=0, help="另测回答用时：后台繁忙进程数"),
    ocr_pages: int = typer.Option(0, "--ocr-pages", min=0, help="另生成这么多页的扫描件，测文字识别每页用时（如 5）"),
    fresh_chars: int = typer.Option(30_000, "--fresh-chars", min=0,
                                    help="最后新增一份这么多字的报告，测多久可按关键词检索、元数据更正用时（0：不测）"),
    database_url: Optional[str] = typer.Option(None, "--database-url", metavar="postgresql://…",
                                               help="在这个空的 PostgreSQL 报告库上测（共享报告库的后端）"),
) -> None:
    """生成易混淆的合成报告并导入，输出速度、体积、内存和召回率。"""
    from assistant.evaluation.bench import print_bench, run_bench
    from assistant.interfaces.cli.common import err, run_or_exit
    from assistant.store.database import is_postgres
    from assistant.store.open_errors import open_failure, postgres_failure

    if database_url and not is_postgres(database_url):
        err.print("--database-url 应为 postgresql://… 形式的 PostgreSQL 地址", style="red")
        raise typer.Exit(2)
    try:
        figures = run_or_exit(lambda: run_bench(settings(), n_reports, lexical_only, console, large_file_mb, busy,
                                                ocr_pages, fresh_chars, database_url))
    except Exception as exc:
        if postgres_failure(exc, database_url) is None:
            raise
        err.print(f"压力测试未完成：{open_failure(exc, database_url, '--database-url')}", style="red", markup=False,
                  highlight=False)
        raise typer.Exit(2) from exc
    print_bench(console, figures)
    if json_out:
        json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
