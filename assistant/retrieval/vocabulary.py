"""The question vocabulary, kept as data files in vocabulary/ (each says where its entries come from).

- colloquial.tsv: everyday words → the reports' words (法援 → 法律援助; 审了 → 审核|审查|…);
- units.tsv: what "多少X" asks for → the units a report may print for it (件 → 件|宗|起…);
- actions.txt: generic action verbs, which weigh less than a question's subject;
- attributes.tsv: words naming a report's level or dates (县级市, 落款) in questions about reports;
- cues.tsv: patterns that tell what a question is about besides its topic (a part, several reports, 第几 …);
- province_abbreviations.tsv: the provinces' one-character abbreviations (鲁, 皖);
- plan_markers.txt: words that mark a sentence as a plan or target (将, 拟, 预期, 左右).

Every file is read by the same two loaders: `lines` (one entry a line) and `table` (a key, a tab, the
value). Entries are matched on jieba tokens, never inside a word: 办了 is replaced, 举办了 is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VOCABULARY_DIR = Path(__file__).with_name("vocabulary")


@lru_cache(maxsize=None)
def lines(name: str) -> tuple[str, ...]:
    """The entries of a vocabulary file: its non-empty lines that are no comment (#)."""
    text = (VOCABULARY_DIR / name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, str]:
    """A two-column vocabulary file as a mapping (key, then a tab, then the value)."""
    return dict(line.split("\t", 1) for line in lines(name))


@dataclass(frozen=True)
class Colloquial:
    tokens: tuple[str, ...]  # the everyday form as jieba splits it
    official: tuple[str, ...]  # the reports' forms; the first is the one searched for


def _split(text: str) -> tuple[str, ...]:
    """An entry as a question's words come: split by the question tokenizer."""
    from assistant.language.tokens import tokenize

    return tuple(tokenize(text, search=False, question=True))


@lru_cache(maxsize=1)
def colloquial_forms() -> tuple[Colloquial, ...]:
    """Everyday forms, longest (in tokens, then characters) first."""
    forms = [Colloquial(_split(everyday), tuple(official.split("|"))) for everyday, official in table("colloquial.tsv").items()]
    return tuple(sorted(forms, key=lambda f: (len(f.tokens), len("".join(f.tokens))), reverse=True))


@lru_cache(maxsize=1)
def alternatives() -> dict[str, tuple[str, ...]]:
    """Official word searched for → every official form that counts as holding it (审核 → 审核|审查|…)."""
    return {form.official[0]: form.official for form in colloquial_forms() if len(form.official) > 1}


@lru_cache(maxsize=1)
def unit_answers() -> dict[str, tuple[str, ...]]:
    """A question's measure word (件, 人, 率 …) → the units that answer it ("%" for any share)."""
    return {measure: tuple(units.split("|")) for measure, units in table("units.tsv").items()}


@lru_cache(maxsize=1)
def action_verbs() -> frozenset[str]:
    """Generic action verbs (建立, 开展 …): a question's act, weighed less than its subject."""
    return frozenset(lines("actions.txt"))


@lru_cache(maxsize=1)
def plan_markers() -> frozenset[str]:
    """Words that mark a sentence as a plan or a target (将, 拟, 预期 …)."""
    return frozenset(lines("plan_markers.txt"))


@lru_cache(maxsize=1)
def attribute_words() -> dict[str, tuple[str, ...]]:
    """Words naming a report's attributes → the levels they mean (() for 哪一年, 落款 …)."""
    words = {word: () if levels == "-" else tuple(levels.split("|")) for word, levels in table("attributes.tsv").items()}
    graded = {f"{word}{grade}": levels for word, levels in words.items() if levels and not word.endswith("级")
              for grade in ("级", "一级")}  # 镇级, 镇一级
    return graded | words


@lru_cache(maxsize=None)
def cue(name: str) -> re.Pattern[str]:
    """The pattern of one question cue in vocabulary/cues.tsv (problems, next, multi, ordinal …)."""
    patterns = table("cues.tsv")
    if name not in patterns:
        raise KeyError(f"vocabulary/cues.tsv has no cue '{name}'")
    return re.compile(patterns[name])
