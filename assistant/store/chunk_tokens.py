"""Each chunk's search tokens, computed once when it is stored and kept beside it in the library.

Two fields, as the lexical index reads them: `words` (jieba's search-mode words, space-separated) and
`pairs` (the runs of Chinese characters and of letters/digits in the matching form, space-separated;
the character bigrams are their overlapping pairs, sliced without normalising the text again).

A chunk's index text is its header line (place, year, part, section) then its text: tokens never cross
the line break, so a metadata correction swaps the header's tokens and keeps the text's.
"""

from __future__ import annotations

from ingest.text import matching_form

from assistant.language.bigrams import _RUN_RE
from assistant.language.tokens import tokenize


def words_of(text: str) -> list[str]:
    return tokenize(text)


def runs_of(text: str) -> list[str]:
    """The runs that hold at least one bigram."""
    return [run for run in _RUN_RE.findall(matching_form(text).lower()) if len(run) > 1]


def tokens_of(index_text: str) -> tuple[str, str]:
    """(words, pairs) of one chunk's index text, as stored."""
    return " ".join(words_of(index_text)), " ".join(runs_of(index_text))


def pairs_from_runs(runs: str) -> list[str]:
    """The bigrams of stored runs (with repeats: BM25 counts them)."""
    out: list[str] = []
    for run in runs.split():
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def header_of(index_text: str) -> str:
    return index_text.split("\n", 1)[0]


def swap_header(index_text: str, new_header: str, words: str, pairs: str,
                cache: dict[str, tuple[list[str], list[str]]]) -> tuple[str, str, str]:
    """The chunk's new index text and tokens when only its header changes: the header's tokens are
    replaced, the text's kept. When the stored tokens do not begin with the old header's (the tokenizer
    learnt a name since), the chunk is tokenised again whole."""
    old_header, _, body = index_text.partition("\n")
    new_text = f"{new_header}\n{body}"

    def header_tokens(header: str) -> tuple[list[str], list[str]]:
        if header not in cache:
            cache[header] = (words_of(header), runs_of(header))
        return cache[header]

    old_words, old_runs = header_tokens(old_header)
    new_words, new_runs = header_tokens(new_header)
    stored_words, stored_runs = (words or "").split(), (pairs or "").split()
    if stored_words[: len(old_words)] != old_words or stored_runs[: len(old_runs)] != old_runs:
        new_words_all, new_runs_all = tokens_of(new_text)
        return new_text, new_words_all, new_runs_all
    return (new_text, " ".join(new_words + stored_words[len(old_words):]),
            " ".join(new_runs + stored_runs[len(old_runs):]))
