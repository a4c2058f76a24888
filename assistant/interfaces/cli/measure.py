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
                                      help="one question set (JSON lines); default: every set in assistant/evaluation/suites.json"),
    reports_dirs: Optional[list[Path]] = typer.Option(None, "--reports", exists=True,
                                                      help="the reports the set asks about (repeat); default samples/reports"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the metrics to this file"),
) -> None:
    """Measure retrieval and answers on question sets (recall@5/10, MRR, keywords, citations, refusals),
    each beside a plain jieba BM25 over the same reports."""
    from assistant.config.settings import SAMPLES_DIR
    from assistant.evaluation.qa import Suite, default_suites, print_metrics, print_summary, run_eval

    suites = [Suite(qa.stem, qa, tuple(reports_dirs or [SAMPLES_DIR]))] if qa else default_suites()
    out = console if console.is_terminal else Console(width=EVAL_TABLE_WIDTH)  # tables stay readable in a log
    results = []
    for suite in suites:
        metrics = run_eval(settings(), suite, out)
        print_metrics(out, metrics)
        results.append(metrics)
    if len(results) > 1:
        print_summary(out, results)
    if json_out:
        data = results[0] if qa else {"sets": results}
        json_out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@app.command()
def bench(
    n_reports: int = typer.Option(50, "--reports", min=1, help="synthetic reports to generate"),
    lexical_only: bool = typer.Option(False, "--lexical-only", help="skip embeddings (for 1,000+ reports)"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the figures to this file"),
    large_file_mb: float = typer.Option(0, "--large-file-mb", min=0, help="also parse one file this large (e.g. 60)"),
    busy: int = typer.Option(0, "--busy", min=0, help="also time answers with this many busy processes running"),
) -> None:
    """Generate a confusable synthetic corpus, ingest it, and print speed, size, memory and recall."""
    from assistant.evaluation.bench import print_bench, run_bench

    figures = run_bench(settings(), n_reports, lexical_only, console, large_file_mb, busy)
    print_bench(console, figures)
    if json_out:
        json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
