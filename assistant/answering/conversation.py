"""Follow-up questions (它们, 那绥滨县呢？, 去年呢？) rewritten into stand-alone questions.

With an LLM the condense prompt does it from this conversation's last turns; offline, rules carry
the previous question's topic over and swap in the region or year the follow-up names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date


from ingest.model import ReportMeta
from ingest.text import replace_years

from assistant.answering.answer import Answer
from assistant.config.prompts import render
from assistant.llm.messages import user
from assistant.llm.providers import LLMProvider, ProviderError
from assistant.retrieval.places import region_names
from assistant.retrieval.question import parse, question_years

_REFERRING_RE = re.compile(r"它们|它|这些|那些|其中|上述|该地|这个|那个|那么|那[\u4e00-\u9fff]{2,6}(区|县|市|旗)?呢|呢[？?]?$|去年|今年|前年|上一年|下一年")
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "下一年": 1, "明年": 1}
# Counted from today's date when there is no conversation: only the past (明年 in a report means the
# year after the report, 今年 may be the year being reported on).
_PAST_YEARS = {word: shift for word, shift in _RELATIVE_YEARS.items() if shift < 0}
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
            turns: int = 3, today: date | None = None) -> tuple[str, str | None]:
    """(stand-alone question, note): the note says when the LLM could not rewrite and rules did.

    A question with a topic of its own whose only link back is a relative year (天桥区去年法律援助案子多少)
    is no follow-up: only its year is resolved. Without a conversation, 去年/前年 count back from today.
    """
    if not history:
        return _with_year(question, (today or date.today()).year, _PAST_YEARS), None
    if not needs_rewrite(question, history):
        return question, None
    recent = history[-turns:]
    if _only_year_refers_back(question, reports):
        return _year_rewrite(question, recent, reports), None
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
    """Take the last stand-alone question and swap in what the follow-up changes."""
    previous = recent[-1].standalone
    now, before = parse(question, reports), parse(previous, reports)
    result = previous
    if now.regions and before.regions:
        for old in before.regions:  # as the previous question wrote it: 增城分局 names 增城区 by 增城
            for spelling in _spellings(old, reports):
                result = result.replace(spelling, now.regions[0])
        if not now.years:
            result = replace_years(result)  # another region's report is of its own year
    elif now.regions:
        result = now.regions[0] + result
    # 去年 counts back from the year the previous question named, else from its answer's one report year.
    year = _year_in(question, before.years or (list(recent[-1].years) if len(recent[-1].years) == 1 else []))
    if year:
        result = replace_years(result, f"{year}年") if before.years else f"{year}年{result}"
    before_words = {t.word for t in before.terms}
    extra = [t.word for t in now.terms if t.word not in before_words and t.word not in _RELATIVE_YEARS]
    if extra and not now.regions and not year:
        result = f"{result.rstrip('？?')}，{''.join(extra)}？"
    return result


def _spellings(region: str, reports: list[ReportMeta]) -> list[str]:
    """Every way a question may write a stored region (济南市天桥区, 天桥区, 天桥), longest first."""
    names = [name for name, meant in region_names(reports).items() if meant == region]
    return sorted(set(names) | {region}, key=len, reverse=True)


def _only_year_refers_back(question: str, reports: list[ReportMeta]) -> bool:
    """Every referring word is a relative year, and the question names a topic of its own."""
    cues = [m.group() for m in _REFERRING_RE.finditer(question)]
    return all(cue in _RELATIVE_YEARS for cue in cues) and bool(parse(question, reports).terms)


def _year_rewrite(question: str, recent: list[Turn], reports: list[ReportMeta]) -> str:
    """The question as asked, its relative year counted from the last turn's, in the last turn's region
    when it names none."""
    before = parse(recent[-1].standalone, reports)
    year = _year_in(question, before.years or (list(recent[-1].years) if len(recent[-1].years) == 1 else []))
    year = None if question_years(question) else year  # the year it writes wins over 去年
    word = next((w for w in _RELATIVE_YEARS if w in question), None)
    result = question.replace(word, f"{year}年", 1) if year and word else question
    if before.regions and not parse(question, reports).regions:
        result = before.regions[0] + result
    return result


def _with_year(question: str, base: int, words: dict[str, int]) -> str:
    """The first relative year word in `words` replaced by the year it means, counted from `base`; a
    question that also writes its year (淮南去年（2024）…) means the year it writes."""
    if question_years(question):
        return question
    for word, shift in words.items():
        if word in question:
            return question.replace(word, f"{base + shift}年", 1)
    return question


def _year_in(question: str, previous_years: list[int]) -> int | None:
    norm = unicodedata.normalize("NFKC", question)
    explicit = question_years(norm)
    if explicit:
        return explicit[0]
    for word, shift in _RELATIVE_YEARS.items():
        if word in norm and previous_years:
            return previous_years[0] + shift
    return None
