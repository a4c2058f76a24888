"""Remove the chrome of scraped government pages and lift out title, publication date and signature.

Portal pages wrap the report in navigation lines (欢迎访问…, 您现在的位置, 【字体:小 中 大】, 来源/发布时间,
相关解读). None of it is report text, so none of it may be indexed or cited; the dates and title it
carries become metadata instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Lines that are page furniture, never report text. Each is matched against the stripped line.
BOILERPLATE_PATTERNS = [
    r"^欢迎(访问|来到|光临)",
    r"^今天是[:：]?",
    r"^(您|你)?(现在|当前)?的?(所在)?位置[:：]",
    r"^当前位置[:：]",
    r"^首页\s*[>＞»/]",
    r"^[【\[]?\s*字[体号]\s*[:：]?\s*[大中小默认\s]+[】\]]?",
    r"^(信息)?来源[:：]",
    r"^(发布|发文|成文|印发)(时间|日期)[:：]",
    r"^(作者|编辑|责任编辑|浏览次数|点击数|阅读次数|访问量|索引号|发文字号|发布机构|分类|主题分类)[:：]",
    r"^相关(解读|链接|文件|阅读|附件|新闻)",
    r"^[【\[]?(打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享到?|扫一扫)",
    r"^(上一篇|下一篇)[:：]",
    r"(版权所有|主办单位|承办单位|网站标识码|ICP备|公网安备)",
    r"^特此报告[。.]?$",
]
_BOILERPLATE_RE = [re.compile(p) for p in BOILERPLATE_PATTERNS]
_PUBLISHED_RE = re.compile(r"(?:发布|成文|印发)(?:时间|日期)[:：]\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})")
_DATE_LINE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_SIGNER_RE = re.compile(r"(政府|委员会|办公室|管委会|管理委员会|办事处|街道|司法局|党委|党工委|人民政府办公室)$")
_TITLE_RE = re.compile(r"(报告|情况|年报)$")
# A title is a short line without sentence punctuation among the first few lines.
MAX_TITLE_CHARS = 60
TITLE_SEARCH_LINES = 3
MAX_SIGNER_CHARS = 30


@dataclass
class CleanText:
    lines: list[str]
    title: str | None = None
    published: str | None = None
    signer: str | None = None
    signed: str | None = None
    removed: list[str] = field(default_factory=list)


def clean(text: str) -> CleanText:
    """Split into non-empty stripped lines and drop page furniture, keeping what it tells as metadata."""
    result = CleanText(lines=[])
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip(" \t\u3000\u00a0\ufeff")
        if not line:
            continue
        published = _PUBLISHED_RE.search(line)
        if published and not result.published:
            result.published = _iso(*published.groups())
        if any(p.search(line) for p in _BOILERPLATE_RE):
            result.removed.append(line)
            continue
        result.lines.append(line)
    _lift_title(result)
    _lift_signature(result)
    return result


def _lift_title(result: CleanText) -> None:
    for index, line in enumerate(result.lines[:TITLE_SEARCH_LINES]):
        if len(line) <= MAX_TITLE_CHARS and "。" not in line and _TITLE_RE.search(line) and "年" in line:
            result.title = line
            del result.lines[index]
            return


def _lift_signature(result: CleanText) -> None:
    """A closing '<signing body>' line and '<date>' line are metadata, not report text."""
    lines = result.lines
    if lines and (match := _DATE_LINE_RE.match(lines[-1])):
        result.signed = _iso(*match.groups())
        lines.pop()
        if lines and len(lines[-1]) <= MAX_SIGNER_CHARS and _SIGNER_RE.search(lines[-1]):
            result.signer = lines.pop()
    if not result.published and result.signed:
        result.published = result.signed


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
