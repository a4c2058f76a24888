"""Usage errors in Chinese: Click (vendored by typer 0.29) words them in English, and our users read
Chinese. The command line is parsed as usual; a usage error is caught here and printed as one usage
line, one hint and one Chinese sentence from usage_messages.tsv."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MESSAGES_FILE = Path(__file__).with_name("usage_messages.tsv")
_USAGE_WORDS = {"Usage:": "用法：", "[OPTIONS]": "[选项]", "COMMAND": "命令", "[ARGS]...": "[参数]…"}


@lru_cache(maxsize=1)
def _messages() -> list[tuple[re.Pattern[str], str]]:
    rows = []
    for line in MESSAGES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, template = line.split("\t")
            rows.append((re.compile(pattern), template))
    return rows


def chinese_message(message: str) -> str:
    """Click's English message as its Chinese line (the English one when no pattern knows it)."""
    for pattern, template in _messages():
        if match := pattern.match(message.strip()):
            return match.expand(template)
    return message


def chinese_usage(usage: str) -> str:
    """'Usage: report-assistant ask [OPTIONS] {question}' → '用法：report-assistant ask [选项] {question}'."""
    for english, chinese in _USAGE_WORDS.items():
        usage = usage.replace(english, chinese)
    return re.sub(r"：\s+", "：", usage).replace("...", "…")


def usage_error_lines(exc) -> list[str]:
    """The lines to print for a Click usage error: usage, where help is, what went wrong."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(chinese_usage(ctx.get_usage()))
        lines.append(f"运行 {ctx.command_path} --help 查看帮助。")
    lines.append(chinese_message(exc.format_message()))
    return lines
