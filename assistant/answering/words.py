"""How specific a word of a question is, by the general language's statistics (jieba's dictionary
frequencies, from a large corpus): 败诉, 公证 or 普法 name a specific thing; 重点, 发展 or 工作 do not."""

from __future__ import annotations

from assistant.language.tokens import word_frequency
from assistant.retrieval.places import COMMON_WORD_FREQUENCY


def specific_word(word: str) -> bool:
    """A dictionary word that is no everyday one (败诉, 公证; not 最后, nor a split's leftover like 区为)."""
    return 0 < word_frequency(word) < COMMON_WORD_FREQUENCY
