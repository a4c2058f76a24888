"""The messages every caller sends a provider: a role and a text. Providers translate them into their
library's own type, so nothing outside llm/providers.py depends on (or pays the import of) llama-index."""

from __future__ import annotations

from dataclasses import dataclass

SYSTEM, USER, ASSISTANT = "system", "user", "assistant"


@dataclass(frozen=True)
class Message:
    role: str
    content: str


def system(content: str) -> Message:
    return Message(SYSTEM, content)


def user(content: str) -> Message:
    return Message(USER, content)
