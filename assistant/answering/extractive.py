"""The offline answerer: builds the answer from the reports' own sentences, each one cited.

One path for every content question: the candidates of each thing asked (answering/candidates.py) are
scored by the fitted scorer (answering/scorer.py); the best one at or above its threshold answers, else
the answer says so and shows the nearest candidate, labelled. What the question asks decides only how
the chosen sentences are put together:
- a fact (one report, or a few named places: each place answered, or said missing, on its own line);
- several reports (哪些地区…): every report in scope whose own best candidate answers;
- the most or least (哪个省…最高): each report's figure, compared;
- a part (存在的问题 / 下一步): the part's items (answering/part_answer.py);
- the reports themselves (哪份报告是开发区的？): from their metadata;
- a named place or year with no report: said plainly, with the nearest report's answer as such.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ingest.model import DocType, Paragraph, ReportMeta
from ingest.text import figure_values, normalise

from assistant.answering.answer import Answer
from assistant.answering.candidates import Candidate, CandidateMaker, states_figure
from assistant.answering.compose import compose, refusal, topic_of, where_searched
from assistant.answering.matching import Matcher, answers_figure, categories, clause_with_figure
from assistant.answering.part_answer import part_answer
from assistant.answering.quotes import trim_to_clauses
from assistant.answering.reports_meta import metadata_answer
from assistant.answering.scorer import SentenceScorer
from assistant.answering.words import specific_word
from assistant.config.settings import AnswerSettings
from assistant.retrieval.hybrid import Passage, Retrieval
from assistant.retrieval.question import Ask, Question
from assistant.store.lexical import LexicalIndex

ParagraphsOf = Callable[[str], list[Paragraph]]
# A sentence holding this share of the (weighted) words the asker already named is about them.
EXCLUDED_SHARE = 0.5


class ExtractiveAnswerer:
    def __init__(self, lexical: LexicalIndex, settings: AnswerSettings | None = None,
                 scorer: SentenceScorer | None = None):
        self.lexical = lexical
        self.settings = settings or AnswerSettings()
        self.matcher = Matcher(lexical.idf, lexical.holds, lexical.size, self.settings)
        self.maker = CandidateMaker(self.matcher, lexical.bigram_idf)
        self.scorer = scorer or SentenceScorer()

    def answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer:
        """`paragraphs_of(report name)` gives a report's paragraphs (for parts and openings)."""
        question, scope = retrieval.question, retrieval.scope
        if not scope.reports:
            return refusal(question, "报告库中没有可供检索的报告，请先导入报告。")
        if question.about_reports:
            if scope.missing_places and not question.regions:
                return refusal(question, f"报告库中没有{'、'.join(scope.missing_places)}的报告。")
            return metadata_answer(question, scope.reports, paragraphs_of)
        if (scope.missing_places and not question.regions) or scope.missing_years:
            return self._near_answer(retrieval, paragraphs_of)
        answer = self.content_answer(retrieval, paragraphs_of)
        if scope.missing_places:  # some named places have reports, others not
            answer.notes.append(f"报告库中没有{'、'.join(scope.missing_places)}的报告")
        return answer

    def content_answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer:
        question = retrieval.question
        if question.part is not None:
            listed = part_answer(retrieval, paragraphs_of, self)
            if listed is not None:
                return listed
        if question.most is not None and len({p.report.name for p in retrieval.passages}) > 1:
            return self._most_answer(retrieval)
        if question.multi and len(question.regions) > 1 and not question.which_report:
            return self._per_place_answer(retrieval)
        if question.multi or (not retrieval.scope.restricted and question.which_report):
            return self._many_reports_answer(retrieval)
        return self._fact_answer(retrieval)

    # --- scoring -------------------------------------------------------------------------------
    def ranked(self, passages: list[Passage], ask: Ask, question: Question) -> list[Candidate]:
        return self.scorer.rank(self.maker.candidates(passages, ask, question))

    def _pool(self, retrieval: Retrieval) -> list[Passage]:
        return retrieval.passages[: self.settings.pool_passages]

    # --- a fact --------------------------------------------------------------------------------
    def _fact_answer(self, retrieval: Retrieval) -> Answer:
        question = retrieval.question
        pool = self._pool(retrieval)
        chosen: list[Candidate] = []
        missing: list[tuple[Ask, Candidate | None]] = []
        for ask in question.asks:
            if not ask.terms and any(answers_figure(c.text, ask, self.matcher) for c in chosen):
                continue  # 收到多少件、受理多少件: the sentence quoted for the first already gives the second
            own = [p for p in retrieval.passages if (p.report.region or p.report.name) in ask.regions]
            asked_of = own[: self.settings.pool_passages] if own and len(question.regions) > 1 else pool
            ranked = [c for c in self.ranked(asked_of, ask, question) if not self._known_already(c, question)]
            accepted = [c for c in ranked if self.scorer.accepts(c)]
            if not accepted:
                missing.append((ask, ranked[0] if ranked else None))
                continue
            best = _largest_category(accepted[0]) if ask.superlative else accepted[0]
            chosen.append(best)
            chosen.extend(self._support(accepted[1:], best))
        if not chosen:
            ask, nearest = missing[0] if missing else (question.asks[0] if question.asks else Ask(question.text, []), None)
            return self._nothing_found(retrieval, ask, nearest)
        picks = _trimmed(_unique([c.explained() for c in chosen][: self.settings.max_sentences]), question)
        answer = compose(question, picks, per_report_labels=False)
        for ask, nearest in missing:
            said = nearest is not None and any(nearest.passage.paragraph.id == c.passage.paragraph.id for c in chosen)
            answer.notes.append(f"所引内容未必正面回答“{ask.text}”" if said else f"报告中未写明“{ask.text}”")
        answer.notes.extend(self._unmatched(question, chosen))
        return answer

    def _known_already(self, candidate: Candidate, question: Question) -> bool:
        """A sentence about what the asker said they know (除了A和B，还有…) answers nothing new."""
        if not question.excluded:
            return False
        return self.matcher.holds(normalise(candidate.text).lower(), question.excluded)[1] >= EXCLUDED_SHARE

    def _support(self, accepted: list[Candidate], best: Candidate) -> list[Candidate]:
        """Further accepted sentences that hold asked words the best one lacks (a fact over two sentences)."""
        covered, extra = set(best.matched), []
        for candidate in accepted:
            if len(extra) >= self.settings.support_sentences:
                break
            if candidate.matched - covered and candidate.score >= best.score * self.settings.support_ratio:
                extra.append(candidate)
                covered |= candidate.matched
        return extra

    def _unmatched(self, question: Question, chosen: list[Candidate]) -> list[str]:
        """Notes for a figure the question states that no quoted sentence holds (收到行政复议120件), and
        for a specific word of the question no report holds (输了 → 败诉)."""
        notes = []
        unknown = [t.word for t in question.terms if not t.figure and not self.matcher.known(t) and specific_word(t.word)]
        if unknown:
            notes.append(f"报告库中没有出现“{'、'.join(unknown)}”一词，以上内容未必正面回答所问")
        quoted = [normalise(c.text).lower() for c in chosen]
        figures = [t for t in question.terms if t.figure and not any(states_figure(q, t) for q in quoted)]
        for known in (False, True):
            if words := "、".join(t.word for t in figures if self.matcher.known(t) == known):
                where = "所引内容" if known else "报告库中"
                notes.append(f"{where}没有写明“{words}”，以上内容未必正面回答所问")
        return notes

    def _nothing_found(self, retrieval: Retrieval, ask: Ask, nearest: Candidate | None) -> Answer:
        """A refusal that says why and shows the nearest sentence, labelled: the topic is there without
        the figure asked for, or nothing on the topic is."""
        question = retrieval.question
        where = where_searched(retrieval.scope)
        unknown = [t.word for t in ask.terms if self.matcher.unknown_noun(t)]
        if unknown:
            return refusal(question, f"{where}未找到关于“{topic_of(question)}”的内容（报告库中没有出现“{'、'.join(unknown)}”一词）。")
        if nearest is None or not self.scorer.on_topic(nearest):
            return refusal(question, f"{where}未找到关于“{topic_of(question)}”的内容。")
        shown = compose(question, _trimmed([nearest.explained()], question), per_report_labels=False)
        stated = [t.word for t in ask.terms if t.figure]
        if ask.wants_figure or stated:
            figure = f"“{'、'.join(stated)}”" if stated else "所问的数字"
            missing = f"{ask.bound.text}的数字" if ask.bound is not None else f"写明{figure}"
            text = f"{where}有关于“{topic_of(question, figures=False)}”的内容，但没有{missing}。相关原文：\n{shown.answer}"
        else:
            text = f"{where}未找到正面回答“{topic_of(question)}”的内容。最接近的原文：\n{shown.answer}"
        shown.answer, shown.refused = text, True
        return shown

    # --- several places or reports ----------------------------------------------------------------
    def _best_per_report(self, retrieval: Retrieval, ask: Ask) -> dict[str, Candidate]:
        """Each report's best candidate for the ask among its retrieved passages."""
        best: dict[str, Candidate] = {}
        by_report: dict[str, list[Passage]] = {}
        for passage in retrieval.passages:
            by_report.setdefault(passage.report.name, []).append(passage)
        for name, passages in list(by_report.items())[: self.settings.max_reports]:
            ranked = self.ranked(passages[: self.settings.pool_passages], ask, retrieval.question)
            if ranked:
                best[name] = ranked[0]
        return best

    def _many_reports_answer(self, retrieval: Retrieval) -> Answer:
        question = retrieval.question
        ask = _main_ask(question)
        if not ask.wants_figure:  # 哪些报告给出了出庭应诉率？各是多少？: each report's sentence must give it
            ask = replace(ask, units=next((a.units for a in question.asks[1:] if a.units and not a.terms), ()))
        # Which reports say X: when some report's sentence answers, every report whose best sentence holds X
        # itself (the ask's rarest word the library holds) is listed beside it.
        each = self._best_per_report(retrieval, ask)
        answered = any(self.scorer.accepts(c) and c.features["subject"] for c in each.values())
        best = {n: c for n, c in each.items() if answered and c.features["subject"] and self.scorer.possible(c)}
        if not best:
            nearest = max(each.values(), key=lambda c: c.score, default=None)
            return self._nothing_found(retrieval, ask, nearest)
        ordered = sorted((c.explained() for c in best.values()), key=lambda c: -c.score)
        answer = compose(question, _trimmed(ordered, question), per_report_labels=True)
        answer.notes.extend(self._unmatched(question, ordered))
        return answer

    def _per_place_answer(self, retrieval: Retrieval) -> Answer:
        """X和Y各有多少: each named place answered on its own line, or said missing."""
        question = retrieval.question
        picks: list[Candidate] = []
        missing: list[str] = []
        for region in question.regions:
            passages = [p for p in retrieval.passages if (p.report.region or p.report.name) == region]
            found: list[Candidate] = []
            for ask in question.asks:
                ranked = [c for c in self.ranked(passages[: self.settings.pool_passages], ask, question)
                          if self.scorer.accepts(c)]
                if ranked and not any(ranked[0].passage.paragraph.id == c.passage.paragraph.id
                                      and ranked[0].start == c.start for c in found):
                    found.append(ranked[0])
            picks.extend(found) if found else missing.append(region)
        if not picks:
            return self._many_reports_answer(retrieval)
        answer = compose(question, _trimmed(_unique([c.explained() for c in picks]), question), per_report_labels=True)
        answer.notes.extend(f"{region}的报告中未写明所问内容" for region in missing)
        return answer

    def _most_answer(self, retrieval: Retrieval) -> Answer:
        """哪个省…最高: each report's figure on the subject, the highest (or lowest) first."""
        question = retrieval.question
        ask = next((a for a in question.asks if a.terms), _main_ask(question))
        if not ask.units:
            ask = replace(ask, units=("*",))
        valued: list[tuple[float, Candidate]] = []
        for candidate in self._best_per_report(retrieval, ask).values():
            if not self.scorer.accepts(candidate):
                continue
            clause = clause_with_figure(candidate.text, ask, self.matcher)
            values = figure_values(clause, ask.units) if clause else []
            if values:
                valued.append((values[0], candidate))
        if not valued:
            return self._many_reports_answer(retrieval)
        valued.sort(key=lambda v: -v[0] if question.most == "max" else v[0])
        answer = compose(question, _trimmed([c.explained() for _, c in valued], question), per_report_labels=True)
        leader = valued[0][1].passage.report
        word = "最高（最多）" if question.most == "max" else "最低（最少）"
        answer.answer = f"按各报告写明的数字，{leader.heading_label()}{word}：\n{answer.answer}"
        return answer

    # --- nothing stored for the named place or year ---------------------------------------------
    def _near_answer(self, retrieval: Retrieval, paragraphs_of: ParagraphsOf) -> Answer:
        """Say what the library lacks; offer the nearest report's answer, labelled as such."""
        question, scope = retrieval.question, retrieval.scope
        if scope.missing_places:
            lacking = f"报告库中没有{'、'.join(scope.missing_places)}的报告。"
        else:
            place = "、".join(question.regions)
            lacking = f"报告库中没有{place}{'、'.join(f'{y}年' for y in scope.missing_years)}的报告。"
        # What is offered instead comes from reports of the same kinds the named place has (a court's or a
        # 信息公开 report's figure is no near answer to a question about a government's report).
        kinds = {m.doc_type for m in scope.reports} or {DocType.ANNUAL_REPORT.value}
        near = self.content_answer(replace(retrieval, passages=[p for p in retrieval.passages if p.report.doc_type in kinds]),
                                   paragraphs_of)
        if near.refused or not near.citations:
            return refusal(question, lacking + "其他报告中也未找到相关内容。")
        what = "同一地区其他年份" if scope.missing_years and question.regions else "其他地区"
        near.answer = f"{lacking}以下是{what}报告中的相关内容，仅供参考：\n{near.answer}"
        near.refused = True
        near.notes.append(f"所问的{'地区' if scope.missing_places else '年份'}没有报告，引用来自{what}的报告")
        return near


def _main_ask(question: Question) -> Ask:
    return question.asks[0] if question.asks else Ask(question.text, [])


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """Each stretch of text once: a sentence inside (or overlapping) one already chosen is merged into it."""
    out: list[Candidate] = []
    for c in candidates:
        same = next((o for o in out if o.passage.paragraph.id == c.passage.paragraph.id
                     and c.start < o.end and o.start < c.end), None)
        if same is None:
            out.append(replace(c))
        else:
            same.start, same.end = min(same.start, c.start), max(same.end, c.end)
            same.matched = same.matched | c.matched
            same.whole = same.whole or c.whole
    return out


def _trimmed(candidates: list[Candidate], question: Question) -> list[tuple[Passage, int, int]]:
    """Long sentences cut to their clauses holding the asked words and figures."""
    words = frozenset(f for t in question.terms for f in t.forms)
    picks = []
    for c in candidates:
        if c.whole:
            picks.append((c.passage, c.start, c.end))
            continue
        start, end = trim_to_clauses(c.passage.paragraph.text, c.start, c.end, words, question.numeric)
        picks.append((c.passage, start, end))
    return picks


def _largest_category(candidate: Candidate) -> Candidate:
    """For 哪一类最多: the sentence up to the end of the clause listing the largest category."""
    import re

    found = categories(candidate.text)
    if len(found) < 2:
        return candidate
    _, _, _, end = max(found, key=lambda c: c[1])
    text = candidate.passage.paragraph.text
    clause_end = re.search(r"[,，;；。]|$", text[candidate.start + end :])
    return replace(candidate, end=candidate.start + end + (clause_end.end() if clause_end else 0), whole=True)


def reports_of(passages: list[Passage]) -> list[ReportMeta]:
    return list({p.report.name: p.report for p in passages}.values())
