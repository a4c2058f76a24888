"""`--help` in Chinese: Typer (with the Click it vendors) writes its help screens' fixed words in English
(Usage:, [OPTIONS], <str>, <list[int]>, "Show this message and exit."). Our users read Chinese, so when
help is about to be shown those words are replaced. Loading Typer's renderer costs ~30 ms, so none of
this runs for an ordinary command."""

from __future__ import annotations

import re

HELP_TEXT = "显示本帮助并退出。"
# Typer's type labels (<str>, <int> …) → what a user types there.
TYPE_WORDS = {"str": "文本", "int": "整数", "integer": "整数", "float": "数字", "path": "路径", "file": "文件",
              "directory": "文件夹", "bool": ""}
_LABEL_RE = re.compile(r"^<(?:list\[)?([A-Za-z]+)\]?(?: range)?>(\.\.\.)?$")
_RANGE_WORDS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜"}


def chinese_type(label: str | None) -> str | None:
    """'<str>' → '<文本>', '<list[int]>' → '<整数…>' (may repeat), '<bool>' → nothing (a flag takes no value)."""
    if not label:
        return label
    match = _LABEL_RE.match(label)
    if not match or match.group(1).lower() not in TYPE_WORDS:
        return label
    word = TYPE_WORDS[match.group(1).lower()]
    if not word:
        return None
    repeated = label.startswith("<list[") or match.group(2)
    return f"<{word}{'…' if repeated else ''}>"


def chinese_range(text: str | None) -> str | None:
    """'x>=1' → '≥1', '0<=x<=5' → '0≤数值≤5'."""
    if not text:
        return text
    for english, chinese in _RANGE_WORDS.items():
        text = text.replace(english, chinese)
    return text.replace("≥x", "≥数值").replace("x≥", "≥").replace("x≤", "≤").replace("x＞", "＞").replace("x＜", "＜")


def chinese_help() -> None:
    """Patch Typer's help words (idempotent)."""
    from typer import core, rich_utils
    from typer._click import decorators

    from assistant.interfaces.cli.usage import chinese_usage

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.ABORTED_TEXT = "已中止。"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    if getattr(decorators.help_option, "chinese", False):
        return
    english_help_option = decorators.help_option

    def help_option(names):
        decorate = english_help_option(names)

        def apply(command):
            command = decorate(command)
            command.params[-1].help = HELP_TEXT
            return command

        return apply

    help_option.chinese = True
    decorators.help_option = help_option
    for cls in (core.TyperArgument, core.TyperOption):
        english_type = cls.display_type_rich
        cls.display_type_rich = lambda self, ctx, _english=english_type: chinese_type(_english(self, ctx))
        english_range = cls._get_number_range_help_str
        cls._get_number_range_help_str = lambda self, _english=english_range: chinese_range(_english(self))
    for cls in (core.TyperCommand, core.TyperGroup):
        english_usage = cls.get_usage
        cls.get_usage = lambda self, ctx, _english=english_usage: chinese_usage(_english(self, ctx))
