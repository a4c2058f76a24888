"""The question vocabulary, kept as data files in vocabulary/ (each says where its entries come from).

- fillers.txt: words and phrases that carry no topic (question words, frames, function words);
- colloquial.tsv: everyday words → the reports' words (法援 → 法律援助; 审了 → 审核|审查|…);
- units.tsv: what "多少X" asks for → the units a report may print for it (件 → 件|宗|起…);
- actions.txt: generic action verbs, which weigh less than a question's subject;
- attributes.tsv: words naming a report's level or dates (县级市, 落款) in questions about reports;
- cues.tsv: patterns that tell what a question is about besides its topic (a part, several reports, 第几 …).

Entries are matched on jieba tokens, never inside a word: 办了 is replaced, 举办了 is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VOCABULARY_DIR = Path(__file__).with_name("vocabulary")


@dataclass(frozen=True)
class Colloquial:
    tokens: tuple[str, ...]  # the everyday form as jieba splits it
    official: tuple[str, ...]  # the reports' forms; the first is the one searched for


def _lines(name: str) -> list[str]:
    text = (VOCABULARY_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _split(text: str) -> tuple[str, ...]:
    """An entry as a question's words come: split by the question tokenizer."""
    from assistant.retrieval.tokens import tokenize

    return tuple(tokenize(text, search=False, question=True))


@lru_cache(maxsize=1)
def filler_words() -> frozenset[str]:
    """Fillers that are one token: dropped wherever they stand. An entry jieba splits alone (那|份) may be one
    token in a question (度|那份|报告): every entry counts whole too."""
    return frozenset(_lines("fillers.txt"))


@lru_cache(maxsize=1)
def filler_phrases() -> tuple[tuple[str, ...], ...]:
    """Fillers of several tokens (结果怎么样 = 结果 + 怎么样), longest first: dropped only as a whole."""
    phrases = {_split(entry) for entry in _lines("fillers.txt")}
    return tuple(sorted((p for p in phrases if len(p) > 1), key=len, reverse=True))


@lru_cache(maxsize=1)
def colloquial_forms() -> tuple[Colloquial, ...]:
    """Everyday forms, longest (in tokens, then characters) first."""
    forms = []
    for line in _lines("colloquial.tsv"):
        everyday, official = line.split("\t")
        forms.append(Colloquial(_split(everyday), tuple(official.split("|"))))
    return tuple(sorted(forms, key=lambda f: (len(f.tokens), len("".join(f.tokens))), reverse=True))


@lru_cache(maxsize=1)
def alternatives() -> dict[str, tuple[str, ...]]:
    """Official word searched for → every official form that counts as holding it (审核 → 审核|审查|…)."""
    return {form.official[0]: form.official for form in colloquial_forms() if len(form.official) > 1}


@lru_cache(maxsize=1)
def unit_answers() -> dict[str, tuple[str, ...]]:
    """A question's measure word (件, 人, 率 …) → the units that answer it ("%" for any share)."""
    return {measure: tuple(units.split("|")) for measure, units in (line.split("\t") for line in _lines("units.tsv"))}


@lru_cache(maxsize=1)
def action_verbs() -> frozenset[str]:
    """Generic action verbs (建立, 开展 …): a question's act, weighed less than its subject."""
    return frozenset(_lines("actions.txt"))


@lru_cache(maxsize=1)
def attribute_words() -> dict[str, tuple[str, ...]]:
    """Words naming a report's attributes → the levels they mean (() for 哪一年, 落款 …)."""
    table = {}
    for line in _lines("attributes.tsv"):
        word, levels = line.split("\t")
        table[word] = () if levels == "-" else tuple(levels.split("|"))
    return table


@lru_cache(maxsize=None)
def cue(name: str) -> re.Pattern[str]:
    """The pattern of one question cue in vocabulary/cues.tsv (problems, next, multi, ordinal …)."""
    table = dict(line.split("\t", 1) for line in _lines("cues.tsv"))
    if name not in table:
        raise KeyError(f"vocabulary/cues.tsv has no cue '{name}'")
    return re.compile(table[name])

