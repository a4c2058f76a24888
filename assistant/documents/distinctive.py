"""Which named practices are a report's own, and which are shared vocabulary (national slogans).

Reports put the names of practices in quotation marks: “法律明白人”, “亲清慧融”, “2+3”模式. A name
that several reports of the library use, or that the 纲要's own vocabulary holds (放管服, 枫桥经验), is
common language, not a local practice: the slogans are derived from the corpus, never listed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import ReportMeta
from ingest.text import normalise

from assistant.documents.areas import AREAS, lexicon
from assistant.documents.evidence import Span, honours_only, sentences, speaks_for
from assistant.documents.vocabulary import national_sources

# A quoted name found in at least this many reports of the library is shared vocabulary.
SHARED_BY_REPORTS = 2
_QUOTED_RE = re.compile(r"“([^“”]{2,16})”")
# A name needs this many Chinese characters (“3·15” is a date, not a practice).
MIN_NAME_CJK = 2
# 谁执法谁普法, 谁主管谁负责: principles assigning responsibility, set by higher-level documents.
_PRINCIPLE_RE = re.compile(r"^谁.+谁.+$")
# Names listed back to back (“谁执法谁普法”“谁管理谁普法”) belong together: one shared, all shared.
_QUOTED_RUN_RE = re.compile(r"(?:“[^“”]{2,16}”[、和及与]?){2,}")
_TITLE_RE = re.compile(r"《[^》]*》")
# A quoted code followed by one of these words names a practice even without Chinese in it (“2+3”模式).
_MODEL_WORD_RE = re.compile(r"模式|机制|工作法|品牌|工程|行动|体系")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Practice:
    name: str  # the quoted name, as printed
    span: Span  # the practice sentence that holds it


class Vocabulary:
    """The library's reports as normalised text, to tell shared names from a report's own."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts  # report name → normalised full text
        self.national = {normalise(t) for terms in lexicon().values() for t, _ in terms}
        self.national |= {normalise(k) for a in AREAS for k in a.keywords}
        self.sources = national_sources()

    @classmethod
    def of(cls, store) -> "Vocabulary":
        return cls({m.name: normalise("".join(p.text for p in store.library.paragraphs(m.name))) for m in store.reports()})

    def reports_using(self, name: str) -> int:
        key = normalise(name)
        return sum(1 for text in self.texts.values() if key in text)

    def is_shared(self, name: str, own: str) -> bool:
        """Used by another report too, by several reports, or part of the 纲要's vocabulary."""
        key = normalise(name)
        if key in self.national or any(key in word or word in key for word in self.national if len(word) >= 3):
            return True
        others = sum(1 for report, text in self.texts.items() if report != own and key in text)
        return others >= 1 or self.reports_using(name) >= SHARED_BY_REPORTS


    def is_national(self, sentence: str) -> bool:
        """A sentence that quotes the central leadership or a national document."""
        return any(word in sentence for word in self.sources)


def own_practices(meta: ReportMeta, paragraphs, vocabulary: Vocabulary, limit: int, idf=None) -> list[Practice]:
    """The report's practices that carry a name no other report uses: each name and sentence once,
    the sentences that say most first."""
    from assistant.documents.evidence import weight

    found: list[Practice] = []
    seen: set[str] = set()
    for span in sentences(meta, paragraphs):
        if vocabulary.is_national(span.text) or honours_only(span.text) or not any(speaks_for(span, area.name) for area in AREAS):
            continue  # a national quotation, an honour won, or no 法治 practice (an enterprise award: “专精特精”)
        runs_shared = [run for run in _QUOTED_RUN_RE.findall(span.text)
                       if any(vocabulary.is_shared(n, meta.name) for n in _QUOTED_RE.findall(run))]
        outside_titles = _TITLE_RE.sub("", span.text)  # a name inside 《…》 is part of a document's title
        for match in _QUOTED_RE.finditer(outside_titles):
            name, key = match.group(1), normalise(match.group(1))
            named_model = bool(_MODEL_WORD_RE.match(outside_titles, match.end()))
            if (key in seen or not _names_a_practice(name, meta, named_model)
                    or any(f"“{name}”" in run for run in runs_shared)):
                continue
            seen.add(key)
            if not vocabulary.is_shared(name, meta.name):
                found.append(Practice(name, span))
                break  # one name per sentence: the sentence is the highlight
    found.sort(key=lambda p: -weight(p.span, idf))
    return found[:limit]


def _names_a_practice(name: str, meta: ReportMeta, named_model: bool = False) -> bool:
    """Not a date, a principle formula, an ordinary word used figuratively, or the region's own name."""
    from assistant.language.tokens import tokenize

    if (len(_CJK_RE.findall(name)) < MIN_NAME_CJK and not named_model) or _PRINCIPLE_RE.match(normalise(name)):
        return False
    if len(tokenize(name, search=False)) == 1 and len(name) <= MAX_FIGURATIVE_CHARS:
        return False  # “瘦身”: one dictionary word
    stem = region_stem(meta.region or "")
    return not (stem and stem in name)


# A quoted single dictionary word this short is a figure of speech (“瘦身”), not a name.
MAX_FIGURATIVE_CHARS = 4


def region_stem(region: str) -> str:
    """'中山市火炬开发区(中山港街道)' → '火炬'; '天桥区' → '天桥': the part people say."""
    stem = re.sub(r"\(.*?\)|（.*?）", "", region)
    stem = stem.split("市")[-1] if "市" in stem[:-1] else stem
    stem = re.sub(r"(?:开发区|高新区|新区|自治县|自治旗|街道|市|区|县|旗)$", "", stem)
    return stem if len(stem) >= 2 else ""
