"""Chinese tokenisation for BM25 and for answer scoring: jieba, with the library's region names added."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

import jieba

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_known_words: set[str] = set()
_TOKEN_RE = re.compile(r"[\w%]")

# Function words and question words that carry no topic.
STOPWORDS = set(
    "的 了 和 与 及 或 在 是 为 对 将 把 被 于 以 等 其 之 也 并 而 从 向 由 有 中 上 下 年 月 日 个 件 项 名 次 "
    "我 我们 你 他 它 它们 这 那 这些 那些 哪 哪些 哪个 哪里 什么 怎么 怎样 如何 多少 几 吗 呢 吧 啊 请 "
    "是否 有没有 有无 分别 各自 各 每 该 本 全 共 总共 一共 做 做法 情况 方面 工作 报告 提到 提出 提及 开展 进行 "
    "一些 哪份 份 关于 地区 地方 哪个地区 要 需要 主要 具体 相关 什么样 怎么样 哪方面 "
    # periods: a report covers one year, which the question's scope already fixes
    "一年 全年 今年 当年 年度 年内 一年来 这一年 当年度 全年度".split()
)

# Everyday words users type and the official words reports print for the same thing.
COLLOQUIAL = {
    "案子": "案件", "官司": "诉讼", "打官司": "诉讼", "老百姓": "群众", "办事": "政务服务",
    "打击": "查处", "罚款": "罚没", "上访": "信访", "律师顾问": "法律顾问", "培训班": "培训",
}


def official_terms(terms: list[str]) -> list[str]:
    """The question's words in the reports' vocabulary (案子 → 案件), original order kept."""
    return list(dict.fromkeys(COLLOQUIAL.get(t, t) for t in terms))


def add_words(words: list[str]) -> None:
    """Teach jieba names it would otherwise split (老边区, 火炬开发区)."""
    with _lock:
        for word in words:
            if word and word not in _known_words:
                jieba.add_word(word, freq=2000)
                _known_words.add(word)


def tokenize(text: str, search: bool = True) -> list[str]:
    """Lower-cased NFKC tokens without punctuation; search mode adds the sub-words of long words."""
    norm = unicodedata.normalize("NFKC", text).lower()
    with _lock:
        words = jieba.lcut_for_search(norm) if search else jieba.lcut(norm)
    return [w for w in (w.strip() for w in words) if w and _TOKEN_RE.search(w)]


def content_terms(text: str) -> list[str]:
    """The topic words of a question, in order, without duplicates or stopwords.

    A lone character right after a topic word is a suffix jieba split off (出庭|率, 执法|证): it is
    joined back, because 出庭率 is what the question asks for, not 出庭.
    """
    words: list[str] = []
    previous_kept = False
    for word in tokenize(text, search=False):
        if word in STOPWORDS or word.isdigit():
            previous_kept = False
            continue
        if len(word) == 1:
            if previous_kept and _is_cjk(word):
                words[-1] += word
            previous_kept = False
            continue
        words.append(word)
        previous_kept = True
    return list(dict.fromkeys(words))


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def sub_words(word: str) -> list[str]:
    """The shorter dictionary words inside a long word (生产总值 → 生产, 总值)."""
    with _lock:
        return [w for w in jieba.lcut_for_search(word) if w != word and len(w) > 1]
