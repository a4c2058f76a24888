"""LLM settings saved from the app's settings page, and the presets that page offers.

Precedence, highest first: command-line flags, RA_ environment variables, this saved file, defaults.
The file lives in the data directory with owner-only permissions (it may hold an API key).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.config.settings import Settings, with_updates

log = logging.getLogger("report-assistant.settings")

# The settings the page may save, in the order it shows them.
FIELDS = ("llm_provider", "llm_base_url", "llm_model", "llm_api_key")
PRESETS_FILE = Path(__file__).with_name("llm_presets.toml")


@dataclass(frozen=True)
class Preset:
    id: str
    label: str
    provider: str
    base_url: str
    model: str
    key: bool


def presets() -> list[Preset]:
    with PRESETS_FILE.open("rb") as handle:
        return [Preset(**entry) for entry in tomllib.load(handle)["preset"]]


def env_var(field: str) -> str:
    return f"RA_{field.upper()}"


def locked_fields() -> dict[str, str]:
    """The LLM fields an environment variable sets (those win over the page): field → variable name."""
    present = {k.upper() for k in os.environ}
    return {f: env_var(f) for f in FIELDS if env_var(f) in present}


def read_saved(path: Path) -> dict[str, str]:
    """The saved values; an unreadable file counts as none saved (and is logged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable LLM settings file %s: %s", path, exc)
        return {}
    return {k: v for k, v in data.items() if k in FIELDS and isinstance(v, str)}


def apply_saved(settings: Settings, explicit: set[str]) -> Settings:
    """`settings` with the saved values for every field neither the environment nor a flag set."""
    saved = read_saved(settings.llm_file)
    changes = {k: v for k, v in saved.items() if k not in explicit and k not in locked_fields()}
    if not changes:
        return settings
    try:
        return with_updates(settings, **changes)
    except ValueError as exc:
        log.warning("ignoring invalid saved LLM settings: %s", exc)
        return settings


def candidate(current: Settings, values: dict[str, str | None], **extra) -> Settings:
    """`current` with the page's LLM values (a key of None keeps the current key), validated.

    Fields an environment variable sets cannot be changed from the page: the environment wins.
    """
    from assistant.errors import UsageError

    locked = locked_fields()
    changes = {k: v for k, v in values.items() if k in FIELDS and not (k == "llm_api_key" and v is None)}
    refused = [locked[k] for k in changes if k in locked and (changes[k] or "") != plain(getattr(current, k))]
    if refused:
        raise UsageError(f"{'、'.join(refused)} 由环境变量设定，不能在页面修改")
    changes = {k: (v or None) if k in ("llm_base_url", "llm_api_key") else v for k, v in changes.items()}
    try:
        return with_updates(current, **changes, **extra)
    except ValueError as exc:
        raise UsageError("大模型设置有误：请检查服务类型、地址和模型名称") from exc


def savable(settings: Settings) -> dict[str, str]:
    """The values to save: every page field the environment does not set."""
    return {f: plain(getattr(settings, f)) for f in FIELDS if f not in locked_fields()}


def plain(value) -> str:
    """A setting's value as the page and the file hold it (secrets revealed, enums as their value)."""
    if hasattr(value, "get_secret_value"):
        return value.get_secret_value()
    return str(getattr(value, "value", value) or "")


def save(path: Path, values: dict[str, str]) -> None:
    """Write the values readable by the owner only, replacing the file in one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({k: v for k, v in values.items() if k in FIELDS}, handle, ensure_ascii=False)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
