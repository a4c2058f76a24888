"""Prompt templates live in prompts/*.md (Chinese, `$name` placeholders); this module only fills them."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from string import Template

from assistant.config.settings import DEFAULT_PROMPTS_DIR

PROMPTS_DIR = Path(os.environ.get("RA_PROMPTS_DIR", DEFAULT_PROMPTS_DIR))


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    path = PROMPTS_DIR / f"{name}.md"
    try:
        return Template(path.read_text(encoding="utf-8").strip())
    except OSError as exc:
        raise RuntimeError(f"prompt template {path} is missing: {exc}") from exc


def render(name: str, **values: str) -> str:
    """Fill template `name`; a missing placeholder value is an error, not an empty string."""
    return _template(name).substitute(**values)
