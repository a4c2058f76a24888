"""Retrieval and answer quality on the sample reports: floors that fail when either regresses.

qa_dev.jsonl is the shared development set; qa_extra.jsonl was written separately from the
reports (not tuned against) to watch for over-fitting to the development questions.
"""

from __future__ import annotations

import pytest

from assistant.evaluation.qa import Outcome, load_questions, score

from .conftest import DEV_QA, EXTRA_QA, EXTRA_QA2

RECALL_AT_5_FLOOR = 0.95
RECALL_AT_10_FLOOR = 1.0
KEYWORD_FLOOR = 0.9
# The answer models are fitted on every labelled set at once (eval --fit), so a set may lose a question
# when another set is added: one wrong refusal or answer in 14 is allowed (0.929), two are not.
REFUSAL_FLOOR = 0.92


def _evaluate(assistant, path):
    outcomes = []
    for q in load_questions(path):
        retrieval = assistant.retrieve(q["question"])
        outcomes.append(Outcome(q, retrieval.passages, assistant.answer_from(retrieval), 0.0, 0.0))
    return score(outcomes)


@pytest.mark.parametrize("qa", [DEV_QA, EXTRA_QA, EXTRA_QA2], ids=["dev", "extra", "extra2"])
def test_hybrid_retrieval_finds_every_gold_passage(sample_assistant, qa):
    metrics = _evaluate(sample_assistant, qa)
    misses = [q for q in metrics["questions"] if None in q["gold_ranks"]]
    assert metrics["recall_at_10"] >= RECALL_AT_10_FLOOR, misses
    assert metrics["recall_at_5"] >= RECALL_AT_5_FLOOR, metrics["questions"]


@pytest.mark.parametrize("qa", [DEV_QA, EXTRA_QA, EXTRA_QA2], ids=["dev", "extra", "extra2"])
def test_extractive_answers_hold_the_asked_facts_and_refuse_correctly(sample_assistant, qa):
    metrics = _evaluate(sample_assistant, qa)
    assert metrics["keyword_accuracy"] >= KEYWORD_FLOOR, [q for q in metrics["questions"] if not q["keywords_ok"]]
    assert metrics["refusal_accuracy"] >= REFUSAL_FLOOR, [(q["id"], q["refused"]) for q in metrics["questions"]
                                                          if q["refused"] != q["expect_refusal"]]
    assert metrics["citation_precision"] >= 0.9


def test_citation_quote_holds_the_asked_number(sample_assistant):
    answer = sample_assistant.ask("天桥区2022年共收到多少件行政复议申请，受理了多少件？")
    assert not answer.refused
    first = answer.citations[0]
    assert first.report == "004_6793ac9eb53e21ba.txt" and first.region == "天桥区" and first.year == 2022
    assert "84" in first.quote and "71" in first.quote
    assert first.text[first.quote_start : first.quote_end] == first.quote
    assert first.paragraph_id.startswith("004_6793ac9eb53e21ba.txt#p")
    assert "[1]" in answer.answer and "84" in answer.answer


def test_every_answer_sentence_is_cited_and_every_marker_resolves(sample_assistant):
    answer = sample_assistant.ask("哪些地区提到坚持和发展新时代“枫桥经验”？")
    markers = {int(m) for m in __import__("re").findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}
    assert {c.region for c in answer.citations} == {"天桥区", "火炬开发区"}
    for c in answer.citations:
        assert c.quote in c.text


def test_refusal_names_a_near_hit_of_another_year(sample_assistant):
    answer = sample_assistant.ask("新荣区2023年共发放了多少张行政执法证？")
    assert answer.refused
    assert "没有新荣区2023年" in answer.answer and "2021" in answer.answer and "260" in answer.answer
    assert answer.citations and answer.citations[0].year == 2021


def test_refusal_names_the_searched_report_and_offers_other_regions_as_such(sample_assistant):
    answer = sample_assistant.ask("老边区2023年培训了多少名法律明白人？")
    assert answer.refused
    assert answer.answer.startswith("老边区（2023年）报告中未找到") and "其他地区的报告" in answer.answer
    assert answer.citations and all(c.region != "老边区" for c in answer.citations)


def test_region_without_a_report_is_said_and_near_hits_are_labelled(sample_assistant):
    answer = sample_assistant.ask("历下区2022年行政复议收到多少件？")
    assert answer.refused and answer.answer.startswith("报告库中没有历下区的报告。")
    assert "其他地区报告中的相关内容" in answer.answer
    assert answer.citations and all(c.region != "历下区" for c in answer.citations)
    assert any("84" in c.quote for c in answer.citations)  # the nearest hit: another district's 行政复议 count


def test_region_named_in_question_narrows_retrieval(sample_assistant):
    retrieval = sample_assistant.retrieve("绥滨县存在的问题")
    assert {p.report.region for p in retrieval.passages} == {"绥滨县"}
    assert retrieval.passages[0].paragraph.part.value == "problems"


def test_report_filter_restricts_answers(sample_assistant):
    answer = sample_assistant.ask("行政复议", reports=["001_67dd1777d5ec419a.txt"])
    assert {c.report for c in answer.citations} <= {"001_67dd1777d5ec419a.txt"}


def test_offline_follow_ups_carry_the_topic_and_count_last_year_from_the_answer(sample_assistant):
    from assistant.answering.conversation import Turn

    history: list[Turn] = []
    for question in ("天桥区法律援助办了多少件？", "那老边区呢？", "去年呢？"):
        answer = sample_assistant.ask(question, history=history)
        history.append(Turn.of(answer))
    second, third = history[1], history[2]
    assert second.standalone == "老边区法律援助办了多少件？" and second.years == (2023,)
    # 去年 counts from the 2023 report the previous answer cited: the library has no 2022 report there.
    assert third.standalone.startswith("2022年老边区法律援助")
    assert "没有老边区2022年的报告" in answer.answer and "113" in answer.answer


def test_a_new_question_with_a_relative_year_keeps_its_own_topic(sample_assistant):
    from assistant.answering.conversation import Turn, rewrite

    metas = sample_assistant.store.reports()
    first = sample_assistant.ask("天桥区复议纠错了几件？")
    history = [Turn.of(first)]
    standalone, _ = rewrite("天桥区去年法律援助案子多少", history, metas, None)
    assert standalone == "天桥区去年法律援助案子多少"  # not the last turn's 复议纠错, and 去年 read against the report
    unrelated, _ = rewrite("今年的天气怎么样？", history, metas, None)
    assert "纠错" not in unrelated and "天气" in unrelated
    followed, _ = rewrite("那明年打算怎么做？", history, metas, None)
    assert "天桥区" in followed and followed.endswith("那明年打算怎么做？")  # the conversation's place, its own ask
    again, _ = rewrite("去年呢？", [Turn.of(sample_assistant.ask("天桥区2022年行政复议收到多少件？"))], metas, None)
    assert "2021年" in again and "复议" in again  # a bare follow-up counts back from the year asked before


def test_relative_years_are_read_against_the_report_asked_about(sample_assistant):
    # 天桥区's only report covers 2022: its reader's 去年 is 2022, whatever today's date is.
    last_year = sample_assistant.ask("天桥区去年行政复议收到多少件？")
    assert not last_year.refused and "84" in last_year.answer
    assert all(c.year == 2022 for c in last_year.citations)
    # 前年 (2021) has no report: the nearest report answers, and the answer says so in one line.
    before = sample_assistant.ask("天桥区前年行政复议收到多少件？")
    assert not before.refused and "84" in before.answer
    assert any("没有天桥区2021年的报告" in note for note in before.notes)
    planned = sample_assistant.ask("老边区明年打算干什么")  # 明年 is what the report plans
    assert not planned.refused and all(c.part == "next" for c in planned.citations)
    focus = sample_assistant.ask("绥滨县2025年准备重点抓哪些工作？")  # 重点抓 is how people ask, not a subject
    assert len(focus.citations) == 5 and all(c.part == "next" for c in focus.citations)


def test_a_listed_part_gives_each_heading_with_the_sentence_that_explains_it(sample_assistant):
    answer = sample_assistant.ask("绥滨县存在哪些问题？")
    assert len(answer.citations) == 3
    for c in answer.citations:
        heading, _, explained = c.quote.partition("。")
        assert heading.startswith(("(", "（")) and len(explained) >= 10, c.quote  # not a bare heading
    lines = [line.strip() for line in answer.answer.splitlines()[1:]]
    assert all(line.startswith("- (") for line in lines), lines  # the report's own numbers, not "1. (一)"


def test_a_question_about_a_report_whose_region_is_unconfirmed_answers_about_that_report(sample_assistant):
    # 绥滨县 is inferred 待确认 from the sample: its content is searched wide, but "which year" is about it.
    answer = sample_assistant.ask("绥滨县的报告讲的是哪一年的工作？")
    assert "2024" in answer.answer and {c.region for c in answer.citations} == {"绥滨县"}
    assert "天桥区" not in answer.answer and "老边区" not in answer.answer


def test_a_region_read_without_confidence_still_narrows_the_answer_and_says_so(sample_assistant):
    # 绥滨县 is 待确认 in the samples: the answer is its own 4份, not another county's figure, unlabelled.
    for question in ("绥滨县一年审了几个规范性文件？", "绥滨县审核了多少件规范性文件？"):
        answer = sample_assistant.ask(question)
        assert {c.region for c in answer.citations} == {"绥滨县"} and "审核行政规范性文件4份" in answer.answer, question
        assert any("绥滨县的地区信息" in n and "待确认" in n for n in answer.notes)
