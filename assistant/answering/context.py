"""Pack retrieved passages into the prompt within the model's token budget, whole passages only."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.retrieval.hybrid import Passage

# The BPE used to count tokens; llama-index ships it, so counting works offline.
TOKEN_ENCODING = "cl100k_base"
# Tokens kept free for message framing (roles, separators) that the texts themselves do not show.
FRAMING_TOKENS = 64


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    return tiktoken.get_encoding(TOKEN_ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text))


def passage_header(n: int, passage: Passage) -> str:
    meta = passage.report
    place = "，".join(x for x in (meta.region, meta.city, meta.province) if x) or meta.name
    year = f"{meta.year}年" if meta.year else "年份不详"
    section = passage.paragraph.section or "导语"
    return f"[{n}] {place} · {year}报告 · {section}"


def format_passage(n: int, passage: Passage) -> str:
    return f"{passage_header(n, passage)}\n{passage.paragraph.text}"


@dataclass
class PackedContext:
    passages: list[Passage]  # numbered 1..len in this order
    text: str
    tokens: int
    dropped: int


def pack(passages: list[Passage], budget_tokens: int) -> PackedContext:
    """Number passages in rank order and keep as many as fit; the lowest-ranked are dropped first."""
    kept: list[Passage] = []
    blocks: list[str] = []
    used = 0
    for passage in passages:
        block = format_passage(len(kept) + 1, passage)
        cost = count_tokens(block) + 2
        if used + cost > budget_tokens:
            break
        kept.append(passage)
        blocks.append(block)
        used += cost
    return PackedContext(kept, "\n\n".join(blocks), used, len(passages) - len(kept))
