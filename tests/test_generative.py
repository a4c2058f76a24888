"""Generated answers through the real openai client against a scripted server on 127.0.0.1."""

from __future__ import annotations

import json
import re

import pytest

from assistant.answering.citecheck import UNVERIFIED_MARK
from assistant.answering.conversation import Turn
from assistant.service import Assistant
from assistant.config.settings import with_updates
from assistant.interfaces.web.html import answer_html

from .fake_openai import FakeOpenAI
from .helpers import free_port

SECRET = "sk-test-SECRET-do-not-leak"
QUESTION = "天桥区2022年共收到多少件行政复议申请？"


@pytest.fixture()
def server():
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture()
def llm_assistant(sample_assistant, server):
    """The sample store, answering through the scripted server."""
    settings = with_updates(sample_assistant.settings, llm_provider="openai-compatible", llm_base_url=server.url,
                            llm_model="scripted-model", llm_api_key=SECRET, 
                            llm_max_retries=2, llm_timeout=2.0)
    return Assistant(settings)


def _passage_number(prompt: str, needle: str) -> int:
    """The [n] the prompt gave to the passage holding `needle`."""
    for match in re.finditer(r"^\[(\d+)\] [^\n]*\n([^\n]*)", prompt, re.M):
        if needle in match.group(2):
            return int(match.group(1))
    raise AssertionError(f"{needle} not in prompt")


def test_streamed_answer_with_correct_markers_is_verified(llm_assistant, server):
    server.reply("（探测）")
    llm_assistant.ask(QUESTION)
    n = _passage_number(server.user_messages()[-1], "共收到行政复议84件")
    server.reply(f"天桥区2022年共收到行政复议申请84件，受理71件[{n}]。")
    items = list(llm_assistant.ask_stream(QUESTION))
    deltas, answer = items[:-1], items[-1]
    assert len(deltas) > 3 and all(isinstance(d, str) for d in deltas)
    assert server.requests[-1]["stream"] is True
    assert answer.checks == {"verified": 1, "repaired": 0, "flagged": 0}
    assert answer.mode == "generative" and answer.model == "scripted-model"
    assert answer.answer == "天桥区2022年共收到行政复议申请84件，受理71件[1]。"
    assert "84" in answer.citations[0].quote and answer.citations[0].region == "天桥区"
    assert answer.timings_ms["first_token"] > 0


def test_missing_markers_are_attached_to_the_passage_holding_the_figure(llm_assistant, server):
    server.reply("2022年全区共收到行政复议84件，受理71件。")
    answer = llm_assistant.ask(QUESTION)
    assert answer.checks["repaired"] == 1 and answer.checks["flagged"] == 0
    assert "[1]" in answer.answer and "84" in answer.citations[0].quote


def test_marker_pointing_at_nothing_is_removed(llm_assistant, server):
    server.reply("天桥区持续推进法治政府建设[99]。")
    answer = llm_assistant.ask(QUESTION)
    assert "[99]" not in answer.answer
    assert all(c.n <= len(answer.citations) for c in answer.citations)


def test_made_up_figure_is_flagged(llm_assistant, server):
    server.reply("天桥区2022年共收到行政复议申请9999件[1]。")
    answer = llm_assistant.ask(QUESTION)
    assert answer.checks["flagged"] == 1
    assert UNVERIFIED_MARK in answer.answer


def test_figure_cited_to_the_wrong_passage_is_moved(llm_assistant, server):
    server.reply("天桥区2022年共受理法律援助案件1,984件[1]。")
    answer = llm_assistant.ask("天桥区2022年法律援助和行政复议情况如何？")
    assert answer.checks["flagged"] == 0
    assert any("1984" in c.quote for c in answer.citations)


@pytest.mark.parametrize("status, word", [(401, "401"), (403, "403")])
def test_auth_failures_fall_back_at_once(llm_assistant, server, status, word):
    server.fail(status)
    answer = llm_assistant.ask(QUESTION)
    assert answer.mode == "extractive" and word in answer.fallback_reason
    assert "84" in answer.answer and len(server.requests) == 1  # never retried
    assert SECRET not in json.dumps(answer.to_dict(), ensure_ascii=False)


def test_rate_limit_is_retried_then_succeeds(llm_assistant, server):
    server.fail(429)
    server.reply("天桥区2022年共收到行政复议84件[1]。")
    answer = llm_assistant.ask(QUESTION)
    assert answer.mode == "generative" and len(server.requests) == 2


def test_server_errors_exhaust_retries_then_fall_back(llm_assistant, server):
    server.fail(500, times=3)
    answer = llm_assistant.ask(QUESTION)
    assert answer.mode == "extractive" and "5" in answer.fallback_reason
    assert len(server.requests) == 3  # first try + llm_max_retries


def test_timeout_falls_back_with_a_reason(llm_assistant, server):
    for _ in range(3):
        server.hang(3.0)
    answer = llm_assistant.ask(QUESTION)
    assert answer.mode == "extractive" and "秒内没有响应" in answer.fallback_reason


def test_connection_refused_falls_back(sample_assistant):
    port = free_port()
    settings = with_updates(sample_assistant.settings, llm_provider="openai-compatible",
                            llm_base_url=f"http://127.0.0.1:{port}/v1")
    answer = Assistant(settings).ask(QUESTION)
    assert answer.mode == "extractive" and "无法连接" in answer.fallback_reason and "84" in answer.answer


def test_small_context_window_drops_lowest_ranked_passages_whole(llm_assistant, server):
    llm_assistant.settings = with_updates(llm_assistant.settings, llm_context_window=2200, llm_max_answer_tokens=256)
    server.reply("天桥区2022年共收到行政复议84件[1]。")
    answer = llm_assistant.ask(QUESTION)
    prompt = server.user_messages()[-1]
    assert "[1]" in prompt and "[10]" not in prompt
    assert any("未提供给模型" in note for note in answer.notes)
    assert "共收到行政复议84件" in prompt  # the best passage is kept whole


def test_follow_up_is_rewritten_by_the_llm_before_retrieval(llm_assistant, server):
    server.reply("绥滨县2024年共收到多少件行政复议申请？")  # the condense step
    server.reply("绥滨县2024年收到行政复议申请10件[1]。")
    history = [Turn(QUESTION, QUESTION, "天桥区2022年共收到行政复议84件[1]。")]
    answer = llm_assistant.ask("那绥滨县呢？", history=history)
    condense_prompt, answer_prompt = server.user_messages()[-2:]
    assert QUESTION in condense_prompt and "那绥滨县呢" in condense_prompt
    assert "绥滨县2024年共收到多少件行政复议申请？" in answer_prompt
    assert answer.standalone_question == "绥滨县2024年共收到多少件行政复议申请？"
    assert answer.citations and answer.citations[0].region == "绥滨县"


def test_api_key_is_never_shown(llm_assistant):
    assert SECRET not in repr(llm_assistant.settings) and SECRET not in str(llm_assistant.settings.model_dump())


def test_eval_reports_citation_checks_and_first_token_latency(llm_assistant, server):
    from assistant.evaluation.qa import run_one, score

    server.default = {"text": "天桥区2022年共收到行政复议84件[1]。"}
    questions = [{"id": "x", "question": QUESTION, "kind": "numeric",
                  "gold": [{"report": "004_6793ac9eb53e21ba.txt", "quote": "共收到行政复议84件"}],
                  "answer_keywords": ["84"], "expect_refusal": False}]
    metrics = score([run_one(llm_assistant, q) for q in questions])
    assert metrics["modes"]["generative"] == 1
    assert sum(metrics["citation_checks"].values()) >= 1
    assert metrics["latency_ms"]["first_token"]["p50"] > 0


# --- models as they really behave ------------------------------------------------------------------
THINKING = "用户问的是天桥区的行政复议数量。资料[1]写着共收到行政复议84件，我应该回答84件。也许是9999件？"


def test_reasoning_deltas_are_never_the_answer_nor_checked(llm_assistant, server):
    n = _number_of(llm_assistant, server, "共收到行政复议84件")
    server.reply(f"天桥区2022年共收到行政复议申请84件[{n}]。", reasoning=THINKING)
    items = list(llm_assistant.ask_stream(QUESTION))
    streamed, answer = "".join(i for i in items[:-1]), items[-1]
    assert "用户问的是" not in streamed and "用户问的是" not in answer.answer
    assert answer.reasoning and answer.reasoning.startswith("用户问的是")
    assert answer.checks == {"verified": 1, "repaired": 0, "flagged": 0}  # 9999 in the thinking is not a claim
    assert answer.to_dict()["reasoning"] == answer.reasoning
    page = answer_html(answer, 1)  # the chat shows it folded, before the answer, apart from it
    folded = re.search(r'<details class="answer-reasoning"><summary>思考过程[^<]*</summary><div>(.*?)</div></details>', page)
    assert folded and "用户问的是" in folded.group(1) and page.index("</details>") < page.index('class="content"')
    assert "用户问的是" not in page[page.index('class="content"'):]


@pytest.mark.parametrize("reply", [
    "<think>" + THINKING + "</think>\n\n天桥区2022年共收到行政复议申请84件{m}。",
    THINKING + "</think>天桥区2022年共收到行政复议申请84件{m}。",  # the opening tag was in the prompt
])
def test_think_tags_in_the_content_are_taken_out(llm_assistant, server, reply):
    n = _number_of(llm_assistant, server, "共收到行政复议84件")
    server.reply(reply.format(m=f"[{n}]"))
    answer = llm_assistant.ask(QUESTION)
    assert answer.answer == "天桥区2022年共收到行政复议申请84件[1]。"
    assert "9999" in answer.reasoning and answer.checks["flagged"] == 0


@pytest.mark.parametrize("marker", ["【{n}】", "［{n}］", "[{n},{n}]", "[{n}-{n}]", "[^{n}]", "〔{n}〕", "(来源{n})", "（来源：{n}）"])
def test_citation_markers_as_models_write_them_are_understood(llm_assistant, server, marker):
    n = _number_of(llm_assistant, server, "共收到行政复议84件")
    server.reply("天桥区2022年共收到行政复议申请84件" + marker.format(n=n) + "。")
    answer = llm_assistant.ask(QUESTION)
    assert answer.answer == "天桥区2022年共收到行政复议申请84件[1]。"
    assert answer.checks == {"verified": 1, "repaired": 0, "flagged": 0}


def test_a_marker_without_a_source_is_removed_and_counted(llm_assistant, server):
    n = _number_of(llm_assistant, server, "共收到行政复议84件")
    server.reply(f"天桥区2022年共收到行政复议申请84件[{n}][37]。文号为济天政发〔2022〕5号的文件不是引用。")
    answer = llm_assistant.ask(QUESTION)
    assert "[37]" not in answer.answer and "〔2022〕5号" in answer.answer
    assert answer.checks["flagged"] >= 1 and answer.checks["verified"] == 1


def test_a_model_that_never_starts_falls_back_within_the_total(llm_assistant, server):
    import time

    llm_assistant.settings = with_updates(llm_assistant.settings, llm_total_timeout=2.0, llm_timeout=30.0)
    llm_assistant.provider = type(llm_assistant.provider)(llm_assistant.settings)
    server.reply("太慢了", delay=20.0)
    started = time.monotonic()
    answer = llm_assistant.ask(QUESTION)
    assert time.monotonic() - started < 10.0  # the total (2 s) and the extractive answer, not the model's 20 s
    assert answer.mode == "extractive" and "2 秒内没有开始回答" in answer.fallback_reason


def test_rate_limit_waits_as_long_as_retry_after_says(llm_assistant, server):
    import time

    server.fail(429, retry_after=1.5)
    server.reply("天桥区2022年共收到行政复议84件[1]。")
    started = time.monotonic()
    answer = llm_assistant.ask(QUESTION)
    assert answer.mode == "generative" and len(server.requests) == 2
    assert time.monotonic() - started >= 1.5


def _number_of(assistant, server, needle: str) -> int:
    """Ask once to see the prompt, then return the [n] the prompt gives the passage holding `needle`."""
    server.reply("（探测）")
    assistant.ask(QUESTION)
    return _passage_number(server.user_messages()[-1], needle)
