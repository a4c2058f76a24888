"""A setting that cannot be used, said in one Chinese line: which variable (or option), what it holds, what
it accepts (RA_UPLOAD_MAX_MB=“abc”：应为大于 0 的整数（单位 MB）). Pydantic words its errors in English
and a traceback helps no user; what a field accepts is read from its own type and bounds."""

from __future__ import annotations

from enum import Enum
from typing import get_args

# Units of the settings that have one, said after what they accept.
UNITS = {"upload_max_mb": "MB", "export_ttl_hours": "小时", "llm_timeout": "秒", "llm_total_timeout": "秒",
         "llm_budget": "秒", "chunk_chars": "字", "llm_context_window": "词元", "llm_max_answer_tokens": "词元"}
# Command-line options that set a field (their error names the option, not the variable).
OPTIONS = {"data_dir": "--data-dir", "llm_provider": "--provider", "llm_model": "--model"}


class SettingsError(ValueError):
    """A setting's value cannot be used; the message is the Chinese line to show."""


def accepted(field) -> str:
    """What a field accepts, from its annotation and bounds: 大于 0 的整数, none、openai…, true 或 false."""
    kinds = [a for a in (get_args(field.annotation) or (field.annotation,)) if a is not type(None)]
    kind = kinds[0] if kinds else str
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "以下之一：" + "、".join(str(m.value) for m in kind)
    if kind is bool:
        return "true 或 false"
    noun = {int: "整数", float: "数字"}.get(kind, "文本")
    bounds = {type(m).__name__: getattr(m, type(m).__name__.lower()) for m in field.metadata
              if type(m).__name__ in ("Gt", "Ge", "Lt", "Le")}
    low = f"大于 {bounds['Gt']}" if "Gt" in bounds else f"不小于 {bounds['Ge']}" if "Ge" in bounds else ""
    high = f"不大于 {bounds['Le']}" if "Le" in bounds else f"小于 {bounds['Lt']}" if "Lt" in bounds else ""
    if low and high:
        return f"{bounds.get('Gt', bounds.get('Ge'))} 到 {bounds.get('Le', bounds.get('Lt'))} 之间的{noun}"
    return f"{low or high} 的{noun}" if low or high else noun


def describe(exc, fields: dict, explicit: set[str]) -> str:
    """The first invalid value of a pydantic ValidationError as one Chinese line."""
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error.get("loc") else ""
        if name not in fields:
            continue
        where = OPTIONS.get(name, f"--{name.replace('_', '-')}") if name in explicit else f"RA_{name.upper()}"
        value = error.get("input")
        shown = f"=“{value}”" if isinstance(value, (str, int, float)) and "key" not in name and "auth" not in name else ""
        unit = f"（单位 {UNITS[name]}）" if name in UNITS else ""
        problems.append(f"{where}{shown} 无法使用：应为{accepted(fields[name])}{unit}")
    return "设置有误：" + ("；".join(problems) or "请检查以 RA_ 开头的环境变量") + "。"
