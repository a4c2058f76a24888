"""Chinese tokenisation for BM25 and for matching words: jieba, with the library's region names added.

Two tokenizers split text exactly the same way, but load at very different cost:
- documents (indexing, drafting) use jieba's full dictionary, loaded whole (~0.6 s, then fast);
- questions use the same dictionary read word by word from a table on disk (language/word_table.py):
  a command that asks one question starts fast. Once the whole dictionary is loaded in a process,
  questions use it too. Nothing is loaded at import.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable

import jieba

from ingest.text import matching_form

from assistant.language.stopwords import is_stopword
from assistant.language.word_table import table_tokenizer

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_pending_words: set[str] = set()  # names to teach the full dictionary once it is loaded
_taught: set[str] = set()  # every name taught, for the question tokenizer when it is made
_question_tokenizer: jieba.Tokenizer | None = None
_TOKEN_RE = re.compile(r"[\w%]")
# A lone character jieba splits off a word is joined back when it is one of these suffixes: 出庭|率 is
# 出庭率, 执法|证 is 执法证 (what the question asks for). Any other lone character (a verb after a
# noun: 案子|办, 中小学|配) is not part of the word before it.
NOUN_SUFFIXES = frozenset("率证费额量员制权类")
# Changes whenever text is split into words differently: a stored BM25 index of another version is
# rebuilt on first use (3: words in the matching form, traditional → simplified; 4: bigrams beside words).
TOKENIZER_VERSION = "4"
# How often a name taught to jieba counts (high enough to stay whole: 老边区, 火炬开发区).
NAME_FREQUENCY = 2000


# The dictionary's own frequency of each name taught (a taught 中牟 is no commoner in the language).
_dictionary_frequency: dict[str, int] = {}


def _teach(tokenizer: jieba.Tokenizer, word: str) -> None:
    _dictionary_frequency.setdefault(word, tokenizer.FREQ.get(word) or 0)
    tokenizer.add_word(word, freq=NAME_FREQUENCY)


def _full() -> jieba.Tokenizer:
    """jieba's full dictionary, with the names taught so far."""
    jieba.dt.check_initialized()
    if _pending_words:
        for word in sorted(_pending_words):
            _teach(jieba.dt, word)
        _pending_words.clear()
    return jieba.dt


def _questions() -> jieba.Tokenizer:
    """The whole dictionary when this process has loaded it, else the table (made on first use)."""
    global _question_tokenizer
    if jieba.dt.initialized:
        return _full()
    if _question_tokenizer is None:
        _question_tokenizer = table_tokenizer()
        if _question_tokenizer is None:  # the table could not be kept: load the whole dictionary
            return _full()
        for word in sorted(_taught):
            _teach(_question_tokenizer, word)
    return _question_tokenizer


def add_words(words: list[str]) -> None:
    """Teach the tokenizers names they would otherwise split (老边区, 火炬开发区); cheap until used."""
    with _lock:
        _pending_words.update(w for w in words if w)
        _taught.update(w for w in words if w)
        if jieba.dt.initialized:
            _full()
        if _question_tokenizer is not None:
            for word in words:
                if word:
                    _teach(_question_tokenizer, word)


def tokenize(text: str, search: bool = True, question: bool = False) -> list[str]:
    """Lower-cased tokens of the matching form (NFKC, traditional → simplified) without punctuation;
    search mode adds the sub-words of long words. `question` splits with the question tokenizer (the
    same splits, read from the table)."""
    norm = matching_form(text).lower()
    with _lock:
        tokenizer = _questions() if question else _full()
        words = tokenizer.lcut_for_search(norm) if search else tokenizer.lcut(norm)
    return [w for w in (w.strip() for w in words) if w and _TOKEN_RE.search(w)]


def join_suffixes(tokens: list[str], drop: Callable[[str], bool] = lambda token: False) -> list[str]:
    """Words of at least two characters, in order: a lone noun suffix is joined to the word before it,
    other lone characters, digits and words in `drop` are left out."""
    words: list[str] = []
    previous_kept = False
    for token in tokens:
        if drop(token) or token.isdigit():
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
    return list(dict.fromkeys(join_suffixes(tokenize(text, search=False), is_stopword)))


def word_frequency(word: str) -> int:
    """How common a word is in jieba's dictionary (0 for a word it does not know)."""
    with _lock:
        tokenizer = _questions()
        tokenizer.check_initialized()  # the frequencies are there only once the dictionary is loaded
        if word in _dictionary_frequency:
            return _dictionary_frequency[word]
        return tokenizer.FREQ.get(word) or 0


# jieba's dictionary counts about 60 million words in all: a word it lacks is as rare as one seen once.
_DICTIONARY_TOTAL = 60_101_967


def general_rarity(word: str) -> float:
    """How rare a word is in the general language, from 0 (工作, the commonest) to 1 (a word jieba's
    dictionary lacks): log-scaled by its dictionary frequency."""
    highest = math.log(_DICTIONARY_TOTAL)
    return min(1.0, math.log(_DICTIONARY_TOTAL / (word_frequency(word) + 1)) / highest)


def sub_words(word: str) -> list[str]:
    """The shorter dictionary words that tile a long word, left to right (联动机制 → 联动, 机制; never the
    overlapping 动机 between them)."""
    with _lock:
        inner = {w for w in _questions().lcut_for_search(word) if w != word and len(w) > 1}
    tiles, i = [], 0
    while i < len(word):
        longest = max((w for w in inner if word.startswith(w, i)), key=len, default=None)
        if longest:
            tiles.append(longest)
            i += len(longest)
        else:
            i += 1
    return tiles
