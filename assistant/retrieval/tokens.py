"""Chinese tokenisation for BM25 and for matching words: jieba, with the library's region names added.

jieba's dictionary (~0.6 s to load) is loaded on the first cut, not at import, so commands that never
tokenise start fast.
"""

from __future__ import annotations

import logging
import re
import threading

import jieba

from ingest.text import matching_form

from assistant.retrieval.vocabulary import filler_words

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_known_words: set[str] = set()
_TOKEN_RE = re.compile(r"[\w%]")
# A lone character jieba splits off a word is joined back when it is one of these suffixes: 出庭|率 is
# 出庭率, 执法|证 is 执法证 (what the question asks for). Any other lone character (a verb after a
# noun: 案子|办, 中小学|配) is not part of the word before it.
NOUN_SUFFIXES = frozenset("率证费额量员制权类")
# Changes whenever text is split into words differently: a stored BM25 index of another version is
# rebuilt on first use (2: words are split in the matching form, traditional → simplified).
TOKENIZER_VERSION = "2"


def stopwords() -> frozenset[str]:
    """Words BM25 ignores in a query: the one-token fillers of the question vocabulary."""
    return filler_words()


def add_words(words: list[str]) -> None:
    """Teach jieba names it would otherwise split (老边区, 火炬开发区)."""
    with _lock:
        for word in words:
            if word and word not in _known_words:
                jieba.add_word(word, freq=2000)
                _known_words.add(word)


def tokenize(text: str, search: bool = True) -> list[str]:
    """Lower-cased tokens of the matching form (NFKC, traditional → simplified) without punctuation;
    search mode adds the sub-words of long words."""
    norm = matching_form(text).lower()
    with _lock:
        words = jieba.lcut_for_search(norm) if search else jieba.lcut(norm)
    return [w for w in (w.strip() for w in words) if w and _TOKEN_RE.search(w)]


def join_suffixes(tokens: list[str], drop: frozenset[str] = frozenset()) -> list[str]:
    """Words of at least two characters, in order: a lone noun suffix is joined to the word before it,
    other lone characters, digits and words in `drop` are left out."""
    words: list[str] = []
    previous_kept = False
    for token in tokens:
        if token in drop or token.isdigit():
            previous_kept = False
            continue
        if len(token) == 1:
            if previous_kept and token in NOUN_SUFFIXES:
                words[-1] += token
            previous_kept = False
            continue
        words.append(token)
        previous_kept = True
    return words


def content_terms(text: str) -> list[str]:
    """The topic words of a text, in order, without duplicates or filler words."""
    return list(dict.fromkeys(join_suffixes(tokenize(text, search=False), stopwords())))


def word_frequency(word: str) -> int:
    """How common a word is in jieba's dictionary (0 for a word it does not know)."""
    with _lock:
        jieba.initialize()  # the frequencies are there only once the dictionary is loaded
        return jieba.get_FREQ(word) or 0


def sub_words(word: str) -> list[str]:
    """The shorter dictionary words that tile a long word, left to right (联动机制 → 联动, 机制; never the
    overlapping 动机 between them)."""
    with _lock:
        inner = {w for w in jieba.lcut_for_search(word) if w != word and len(w) > 1}
    tiles, i = [], 0
    while i < len(word):
        longest = max((w for w in inner if word.startswith(w, i)), key=len, default=None)
        if longest:
            tiles.append(longest)
            i += len(longest)
        else:
            i += 1
    return tiles
