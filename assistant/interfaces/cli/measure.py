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
    areas: Optional[Path] = typer.Option(None, "--areas", exists=True, dir_okay=False,
                                         help="only: sentences labelled with their 纲要 area (JSON lines), area accuracy"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the metrics to this file"),
) -> None:
    """Measure retrieval and answers on question sets (recall@5/10, MRR, keywords, citations, refusals),
    each beside a plain jieba BM25 over the same reports, and how well sentences are placed in the
    纲要's areas. With no option: every set and labelled-area file in assistant/evaluation/suites.json."""
    from assistant.config.settings import SAMPLES_DIR
    from assistant.evaluation.areas import print_area_metrics, run_area_eval
    from assistant.evaluation.qa import (
        Suite,
        default_area_sets,
        default_suites,
        print_metrics,
        print_summary,
        run_eval,
    )

    out = console if console.is_terminal else Console(width=EVAL_TABLE_WIDTH)  # tables stay readable in a log
    suites = [Suite(qa.stem, qa, tuple(reports_dirs or [SAMPLES_DIR]))] if qa else ([] if areas else default_suites())
    area_sets = [areas] if areas else ([] if qa else default_area_sets())
    results = []
    for suite in suites:
        metrics = run_eval(settings(), suite, out)
        print_metrics(out, metrics)
        results.append(metrics)
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
