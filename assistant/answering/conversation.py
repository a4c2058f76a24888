"""Follow-up questions (它们, 那绥滨县呢？, 去年呢？) rewritten into stand-alone questions.

With an LLM the condense prompt does it from this conversation's last turns; offline, rules carry
the previous question's topic over and swap in the region or year the follow-up names. A question with
a topic of its own keeps it, and in a conversation keeps the place the last turn asked about unless it
names another (明年打算怎么做？ after a question about 天桥区 is about 天桥区). A relative year (去年) is
read against the report asked about (retrieval/scope.py), not against today.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.model import ReportMeta
from ingest.text import replace_years

from assistant.answering.answer import Answer
from assistant.config.prompts import render
from assistant.llm.messages import user
from assistant.llm.providers import LLMProvider, ProviderError
from assistant.retrieval.places import region_names
from assistant.retrieval.question import parse
from assistant.retrieval.question_years import RELATIVE_YEARS, question_years
from assistant.retrieval.vocabulary import cue
from assistant.answering.words import specific_word
from assistant.language.tokens import word_frequency

_REFERRING_RE = re.compile(r"它们|它|这些|那些|其中|上述|该地|这个|那个|那么|那[\u4e00-\u9fff]{2,6}(区|县|市|旗)?呢|呢[？?]?$|"
                           + "|".join(RELATIVE_YEARS))
# A follow-up about the last question's topic: it ends with 呢 (那绥滨县呢？, 那今年的目标呢？) or points back
# to it (其中, 这些, 上述); 它 and 它们 point back to the place, whose own ask it is (它去年评上了什么称号？).
_ABOUT_BEFORE_RE = re.compile(r"呢\s*[？?]?\s*$|这些|那些|其中|上述")
# A rewrite longer than this many times the original plus history is not a rewrite.
MAX_REWRITE_CHARS = 300


@dataclass
class Turn:
    question: str
    standalone: str
    answer: str
    years: tuple[int, ...] = ()  # the years of the reports the answer cited: what 去年 counts back from

    @classmethod
    def of(cls, answer: Answer) -> Turn:
        """The turn an answer makes, as every front end records it."""
        years = tuple(sorted({c.year for c in answer.citations if c.year}))
        return cls(answer.question, answer.standalone_question or answer.question, answer.answer, years)


def needs_rewrite(question: str, history: list[Turn]) -> bool:
    return bool(history) and bool(_REFERRING_RE.search(question))


def rewrite(question: str, history: list[Turn], reports: list[ReportMeta], provider: LLMProvider | None,
            turns: int = 3) -> tuple[str, str | None]:
    """(stand-alone question, note): the note says when the LLM could not rewrite and rules did.

    A question with a topic of its own whose only link back is a relative year (天桥区去年法律援助案子多少)
    is no follow-up: it keeps its words, and the last turn's place when it names none.
    """
    if not history:
        return question, None
    recent = history[-turns:]
    if not needs_rewrite(question, history) or _has_own_ask(question, reports):
        return _with_place(question, recent, reports), None
    if provider is not None:
        try:
            return _llm_rewrite(question, recent, provider), None
        except ProviderError as exc:
            return _rule_rewrite(question, recent, reports), f"追问改写未使用大模型：{exc.reason}"
    return _rule_rewrite(question, recent, reports), None


def _llm_rewrite(question: str, recent: list[Turn], provider: LLMProvider) -> str:
    history = "\n".join(f"用户：{t.standalone}\n助手：{t.answer[:200]}" for t in recent)
    prompt = render("condense", history=history, question=question)
    text = provider.complete([user(prompt)]).strip().strip("“”\"")
    text = text.splitlines()[0].strip() if text else ""
    return text if 0 < len(text) <= MAX_REWRITE_CHARS else question


def _rule_rewrite(question: str, recent: list[Turn], reports: list[ReportMeta]) -> str:
    """Take the last stand-alone question and swap in what the follow-up changes; a follow-up that asks
    a thing of its own (其中给多少中小学生做测评？) keeps its words, in the last question's place and year."""
    previous = recent[-1].standalone
    now, before = parse(question, reports), parse(previous, reports)
    own_words = [t.word for t in now.terms if t.word not in RELATIVE_YEARS]
    if cue("asks").search(question) and own_words:
        if _ABOUT_BEFORE_RE.search(question):  # 其中纠错了几件？: a second ask about the last one's topic
            return f"{previous.rstrip('？?')}？{question}"
        years = "" if now.years or now.relative is not None else "、".join(f"{y}年" for y in before.years)
        return _with_place(years + question, recent, reports)
    result = previous
    if now.regions and before.regions:
        for old in before.regions:  # as the previous question wrote it: 增城分局 names 增城区 by 增城
            for spelling in _spellings(old, reports):
                result = result.replace(spelling, now.regions[0])
        if not now.years:
            result = replace_years(result)  # another region's report is of its own year
    elif now.regions:
        result = now.regions[0] + result
    # 去年 counts back from the year the previous question named, else from its answer's one report year;
    # 今年 and 明年 are read against the report (retrieval/scope.py), so they replace the year written.
    year = _year_in(question, before.years or (list(recent[-1].years) if len(recent[-1].years) == 1 else []))
    ahead = next((w for w, shift in RELATIVE_YEARS.items() if shift >= 0 and w in question), None)
    if year:
        result = replace_years(result, f"{year}年") if before.years else f"{year}年{result}"
    elif ahead:
        result = replace_years(result, ahead) if before.years else f"{ahead}{result}"
    before_words = {t.word for t in before.terms}
    extra = [t.word for t in now.terms if t.word not in before_words and t.word not in RELATIVE_YEARS]
    if extra and not now.regions and not year:
        if any(specific_word(w) or not word_frequency(w) for w in extra) and before.asks and before.asks[0].terms:
            return _swap_topic(result, before.asks[0].terms, "".join(extra))  # 法律援助呢？: the same of another topic
        result = f"{result.rstrip('？?')}，{''.join(extra)}？"  # 目标呢？: the same topic's target
    return result


def _swap_topic(text: str, terms: list, topic: str) -> str:
    """The question with the stretch from its first to its last topic word replaced by another topic."""
    lowered = text.lower()
    spans = [(i, i + len(t.word)) for t in terms if (i := lowered.find(t.word)) >= 0]
    if not spans:
        return f"{topic}{text}"
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    return text[:start] + topic + text[end:]


def _spellings(region: str, reports: list[ReportMeta]) -> list[str]:
    """Every way a question may write a stored region (济南市天桥区, 天桥区, 天桥), longest first."""
    names = [name for name, meant in region_names(reports).items() if meant == region]
    return sorted(set(names) | {region}, key=len, reverse=True)


def _has_own_ask(question: str, reports: list[ReportMeta]) -> bool:
    """The follow-up asks a thing of its own: words of its own (去年法律援助案子多少), a part (那他们明年
    打算怎么做？) or a figure (那今年的目标呢？ asks 目标): not a bare 那绥滨县呢？ or 去年呢？."""
    now = parse(question, reports)
    if now.part is not None:
        return True
    about_before = _ABOUT_BEFORE_RE.search(question)  # 那今年的目标呢？ asks the last topic's 目标
    return not about_before and any(t.word not in RELATIVE_YEARS for t in now.terms)


def _with_place(question: str, recent: list[Turn], reports: list[ReportMeta]) -> str:
    """The question in the place the last turn asked about, when it names none and asks of no places
    in general (哪些地区…): a conversation stays with its place until the user names another."""
    now = parse(question, reports)
    if now.regions or now.unknown_places or now.multi or now.which_report or now.about_reports:
        return question
    before = parse(recent[-1].standalone, reports)
    if not before.regions:
        return question
    named = []
    for region in before.regions:  # as a question must write it to name the place (国务院, not 全国)
        spelled = next((s for s in _spellings(region, reports) if region in parse(s + question, reports).regions), region)
        named.append(spelled)
    return "、".join(named) + question


def _year_in(question: str, previous_years: list[int]) -> int | None:
    norm = unicodedata.normalize("NFKC", question)
    explicit = question_years(norm)
    if explicit:
        return explicit[0]
    for word, shift in RELATIVE_YEARS.items():
        if word in norm and previous_years and shift < 0:
            return previous_years[0] + shift
    return None
