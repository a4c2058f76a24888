"""Measurement commands: eval (question sets) and bench (a synthetic corpus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from assistant.interfaces.cli.common import app, console, settings


@app.command("eval")
def evaluate(
    qa: Optional[Path] = typer.Option(None, "--qa", exists=True, dir_okay=False, help="questions (JSON lines)"),
    areas: Optional[Path] = typer.Option(None, "--areas", exists=True, dir_okay=False,
                                         help="sentences labelled with their 纲要 area (JSON lines): area accuracy"),
    reports_dir: Optional[Path] = typer.Option(None, "--reports", exists=True, help="ingest these into a fresh store first"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the metrics to this file"),
) -> None:
    """Measure retrieval and answers on a question set (recall@5/10, MRR, keywords, citations, refusals),
    and/or how well sentences are placed in the 纲要's areas (--areas)."""
    if qa is None and areas is None:
        console.print("[red]请给出 --qa 问题集或 --areas 领域标注集[/red]")
        raise typer.Exit(2)
    metrics: dict = {}
    if qa is not None:
        from assistant.evaluation.qa import print_metrics, run_eval

        metrics = run_eval(settings(), qa, reports_dir, console)
        print_metrics(console, metrics)
    if areas is not None:
        from assistant.evaluation.areas import print_area_metrics, run_area_eval

        metrics["areas"] = run_area_eval(areas)
        print_area_metrics(console, metrics["areas"])
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
