"""Words that carry no topic: the Chinese list of stopwords-iso and the words built on a question morpheme.

stopwords-iso (https://github.com/stopwords-iso, MIT; the `stopwordsiso` package) is a maintained
collection of stop-word lists; its Chinese list holds ~800 function words, pronouns and connectives
(咱们, 那个, 除了, 还有, 多少, 如何). Question words are open-ended in Chinese (哪份, 哪几个, 啥样, 干什么,
几个), but all of them are built on a few interrogative morphemes, so any token holding one is a question
word, not a topic; so is an A-not-A form (有没有) and a demonstrative with its classifier (那份). Function
words by their part of speech in jieba's dictionary are none either: adverbs (大概, 一共), numerals and
quantities (一下, 一年), time and place words (会上, 以后), pronouns, conjunctions and particles. What else a question holds that names no topic (工作, 情况, 开展) is told apart by the
library's own statistics: such words stand in most chunks, so they weigh next to nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Interrogative morphemes: 哪 (哪份, 哪几), 什么/啥 (干什么, 叫啥), 怎 (怎么样), 几 (几个), 多少, 谁, 吗/呢;
# the A-not-A question (有没有, 是不是, 能不能); a demonstrative with its classifier (那份, 这个, 该项).
_QUESTION_MORPHEME_RE = re.compile(r"哪|什么|啥|怎|几|多少|谁|吗|呢|^(.)[不没]\1|^[这那该此本每各某][一]?[份个篇项件次年条批位些]$")


# jieba's parts of speech that name no topic: d adverb, m numeral or quantity, t time, f locative,
# r pronoun, c conjunction, u particle, y modal, e interjection, o onomatopoeia, q classifier.
FUNCTION_TAGS = frozenset("d m t f r c u y e o q".split())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop-word list (stopwords-iso, Chinese)."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh"))


def is_stopword(word: str) -> bool:
    """A word that names no topic: on the list, a question word, or a function word."""
    from assistant.language.word_table import word_tag

    return word in stopwords() or bool(_QUESTION_MORPHEME_RE.search(word)) or word_tag(word) in FUNCTION_TAGS


# jieba's noun parts of speech: nouns of every kind, verbal and adjectival nouns (胜诉, 困难).
NOUN_TAGS = frozenset("n nr ns nt nz ng nrt nrfg vn an".split())


def is_noun(word: str) -> bool:
    """Whether a word names a thing: a noun in jieba's dictionary (公证, 胜诉; not 使劲, 承认)."""
    from assistant.language.word_table import word_tag

    return word_tag(word) in NOUN_TAGS
