"""What every command shares: the Typer app, the consoles, settings from flags, and one-line errors."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from assistant.config.settings import Settings, load_settings

HELP_FLAGS = ("--help", "-h")


def chinese_panel_titles() -> None:
    """Help screens in Chinese (see help_words.py)."""
    from assistant.interfaces.cli.help_words import chinese_help

    chinese_help()


app = typer.Typer(add_completion=False, no_args_is_help=True, help="法治报告助手：导入、检索、引用法治政府建设年度报告。")
# Written to a file or a pipe, rich would cut tables (the library's names, provinces) at 80 columns:
# give them this much room unless COLUMNS says otherwise.
PIPED_WIDTH = 200


def _width(stream) -> int | None:
    return None if stream.isatty() or os.environ.get("COLUMNS") else PIPED_WIDTH


console = Console(width=_width(sys.stdout))
err = Console(stderr=True, width=_width(sys.stderr))
_state: dict[str, Optional[Path]] = {"data_dir": None}


@app.callback()
def _global(
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="数据目录（默认取 RA_DATA_DIR，未设置则用 ./data）"),
) -> None:
    _state["data_dir"] = data_dir


def settings(**overrides) -> Settings:
    """The settings in use; a value that cannot be used is one red Chinese line and exit status 2."""
    from assistant.config.setting_errors import SettingsError

    try:
        loaded = load_settings(data_dir=_state["data_dir"], **overrides)
    except SettingsError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from None
    log_to_file(loaded.data_dir / LOG_FILE)
    return loaded


# Libraries log in English (pypdf's "EOF marker not found", zipfile's BadZipFile, chromadb's connection
# errors); the user reads the Chinese result lines. The detail goes to this file in the data directory.
LOG_FILE = Path("logs") / "cli.log"


class _LogFile(logging.FileHandler):
    """A log file opened (and its folder made) only when something is logged."""

    def __init__(self, path: Path):
        super().__init__(path, encoding="utf-8", delay=True)

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def quiet_logging() -> None:
    """Nothing logged reaches the terminal (Python would print warnings of unconfigured loggers there)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    root.setLevel(logging.INFO)


def log_to_file(path: Path) -> None:
    root = logging.getLogger()
    if any(isinstance(h, _LogFile) for h in root.handlers):
        return
    handler = _LogFile(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)


def open_assistant(s: Settings | None = None):
    from assistant.service import Assistant

    from assistant.store.open_errors import open_failure

    try:
        return Assistant(s or settings())
    except Exception as exc:  # a configuration problem: say what, never a stack trace nor a library's English
        err.print(f"无法打开报告库：{open_failure(exc)}", style="red", markup=False, highlight=False)
        raise typer.Exit(2) from exc



PROVIDER_HELP = "大模型服务：none | openai | openai-compatible（默认取 RA_LLM_PROVIDER）"


def llm_settings(provider: str | None, model: str | None) -> Settings:
    return settings(llm_provider=provider, llm_model=model)



def run_or_exit(call):
    """Run a service call; a usage problem becomes one red line and exit status 2."""
    from assistant.errors import UnknownReport
    from assistant.service import UsageError

    try:
        return call()
    except UnknownReport as exc:
        err.print(f"{exc}；全部报告及其文件名：report-assistant reports", style="red", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    except (UsageError, ValueError, RuntimeError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def require_output_type(out: Path, suffixes) -> None:
    """Stop before any work when the output file's type cannot be written."""
    if out.suffix.lower() not in suffixes:
        err.print(f"[red]{out.name}：不支持这种文件格式，请用 {'、'.join(suffixes)}[/red]")
        raise typer.Exit(2)


def write_output(out: Path, writers: dict) -> None:
    require_output_type(out, list(writers))
    writer = writers[out.suffix.lower()]
    out.parent.mkdir(parents=True, exist_ok=True)
    writer(out)
    err.print(f"已写入 {out}")
