"""The words of a question that name what it asks about, in the reports' vocabulary, and their bigrams.

A question is split with jieba (the same dictionary the index uses); stop words and question words go
(language/stopwords.py: a maintained list and the interrogative morphemes); everyday forms become the
reports' words (vocabulary/colloquial.tsv: 法援 → 法律援助). Three artefacts of jieba's splitting of
short, unedited text are undone: a verb's aspect particle glued to it (审了 → 审), a coverb glued to an
unknown word after it (把府院 → 府院), and a noun suffix glued to the verb after it (执法|证发 → 执法证).
How much each remaining word counts is left to the library's statistics (idf) and the fitted scorer.
"""

from __future__ import annotations

import re

from assistant.language.bigrams import bigrams
from assistant.language.stopwords import is_stopword
from assistant.language.tokens import NOUN_SUFFIXES, join_suffixes, tokenize, word_frequency
from assistant.retrieval.vocabulary import colloquial_forms

_VERB_TAIL = ("了", "过", "着")
# Question words that ask for a kind of thing named right after them (哪个部门, 哪些措施, 什么奖).
_INTERROGATIVE_RE = re.compile(r"^(?:哪|什么|啥)")
# Coverbs and conjunctions jieba's HMM glues to an unknown word after them (把府院 in 把府院联动列为重点):
# taken off again when the glued word is in no dictionary.
_GLUED_HEADS = tuple("把将对给被向从让在和与跟")


def question_tokens(text: str) -> list[str]:
    """jieba's tokens of a piece of question, with the splitting artefacts undone and everyday forms
    replaced by the reports' words (stop words still in place, for bigram runs)."""
    tokens = tokenize(text, search=False, question=True)
    tokens = [t[:-1] if len(t) > 2 and t.endswith(_VERB_TAIL) else t for t in tokens]
    tokens = [t[1:] if len(t) > 2 and t.startswith(_GLUED_HEADS) and not word_frequency(t) else t for t in tokens]
    tokens = [part for t in tokens for part in _unglued_suffix(t)]
    return _official(tokens)


def topic_words(text: str) -> list[str]:
    """The topic words of a piece of question, in order, each once. The word a question word asks for
    (哪个部门, 哪些措施, 什么奖) names what the answer is, not what it is about: it is left out."""
    tokens = question_tokens(text)
    kept = [t for i, t in enumerate(tokens) if not (i and _INTERROGATIVE_RE.search(tokens[i - 1]) and not is_stopword(t))]
    return list(dict.fromkeys(join_suffixes(kept, is_stopword)))


def content_bigrams(text: str) -> list[str]:
    """The character bigrams of a piece's content: of each run of words between stop words (so that a
    bigram across two words jieba split differently survives), each once."""
    runs, current = [], ""
    for token in question_tokens(text):
        if is_stopword(token) or token.isdigit():
            runs.append(current)
            current = ""
        else:
            current += token
    runs.append(current)
    return list(dict.fromkeys(pair for run in runs if len(run) > 1 for pair in bigrams(run)))


def _unglued_suffix(token: str) -> list[str]:
    """A noun suffix jieba's HMM glued to the verb after it (执法|证发|了) is split off again, so that it
    joins its noun (执法证): only for a two-character token in no dictionary."""
    if len(token) == 2 and token[0] in NOUN_SUFFIXES and not word_frequency(token):
        return [token[0], token[1]]
    return [token]


def _official(tokens: list[str]) -> list[str]:
    """Everyday forms become the reports' words, matched as whole token runs (办了 is replaced, 举办了 not)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for form in colloquial_forms():
            if tuple(tokens[i : i + len(form.tokens)]) == form.tokens:
                out.append(form.official[0])
                i += len(form.tokens)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
