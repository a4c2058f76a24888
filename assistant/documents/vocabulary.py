"""The vocabulary files of documents/data/, read once: each file's header says where its entries come from."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def lines(name: str) -> list[str]:
    """The file's non-empty lines, without its # header."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Words every report uses in every part: they mark neither a shared problem nor a task's subject."""
    return frozenset(w for line in lines("generic_words.txt") for w in line.split())


@lru_cache(maxsize=1)
def national_sources() -> tuple[str, ...]:
    """Words that show a sentence quotes the central leadership or a national document."""
    return tuple(lines("national_sources.txt"))


@lru_cache(maxsize=1)
def action_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(adverbs, verbs) that open an action clause."""
    adverbs, verbs = lines("action_verbs.txt")[:2]
    return tuple(adverbs.split()), tuple(sorted(verbs.split(), key=len, reverse=True))


@lru_cache(maxsize=1)
def continuations() -> dict[str, str]:
    """One-off verb → the verb that carries it into next year (设立 → 用好)."""
    return dict(pair.split(">") for pair in lines("action_verbs.txt")[2].split())


@lru_cache(maxsize=1)
def remedies() -> tuple[tuple[str, str], ...]:
    """(judgement word, remedy verb) in the order they are checked."""
    return tuple(tuple(line.split("\t")) for line in lines("remedies.tsv") if not line.startswith("~"))


@lru_cache(maxsize=1)
def subject_verbs() -> tuple[tuple[str, str], ...]:
    """(subject ending, verb): subjects that take their own verb (…效果 → 提升)."""
    return tuple(tuple(line[1:].split("\t")) for line in lines("remedies.tsv") if line.startswith("~"))


@lru_cache(maxsize=1)
def honour_marker():
    """The pattern of a stated honour (入选, 荣获…称号, 被命名为)."""
    return re.compile(lines("honors.txt")[0])
