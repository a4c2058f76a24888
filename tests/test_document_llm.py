"""Comparisons, plans and summaries written by an LLM: in parallel, within a time budget, with progress,
against the scripted server behaving like real models (reasoning, odd markers, slow answers)."""

from __future__ import annotations

import time

import pytest

from assistant.config.settings import with_updates
from assistant.documents.comparison import EXTRACT_MARK
from assistant.service import Assistant

from .fake_openai import FakeOpenAI

TIANQIAO, SUIBIN = "004_6793ac9eb53e21ba.txt", "003_fb7ec0fd7d2f86b8.txt"
# Seconds the scripted model takes for every reply in the timing tests.
MODEL_SECONDS = 0.6


@pytest.fixture()
def server():
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


def _llm(sample_assistant, server, **changes) -> Assistant:
    settings = with_updates(sample_assistant.settings, llm_provider="openai-compatible", llm_base_url=server.url,
                            llm_model="scripted-r1", **changes)
    return Assistant(settings)


def _overlap(times: list[tuple[float, float]]) -> int:
    """The most requests the server was answering at the same moment."""
    events = sorted([(a, 1) for a, _ in times] + [(b, -1) for _, b in times])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def test_compare_calls_the_model_in_parallel_so_time_is_calls_over_concurrency(sample_assistant, server):
    started = time.perf_counter()
    offline = sample_assistant.compare()
    offline_seconds = time.perf_counter() - started
    llm = _llm(sample_assistant, server, llm_concurrency=4)
    server.default = {"text": "该地区有相关做法[1]。", "delay": MODEL_SECONDS}
    seen = []
    started = time.perf_counter()
    result = llm.compare(progress=lambda done, total, what: seen.append((done, total)))
    seconds = time.perf_counter() - started
    calls = result.timings["llm_calls"]
    assert calls == sum(bool(p) for p in offline.cells.values()) and calls >= 20
    assert _overlap(server.times) == 4
    serial = calls * MODEL_SECONDS
    parallel = calls / 4 * MODEL_SECONDS
    assert seconds < offline_seconds + parallel * 1.5 + 2.0 < serial, (seconds, parallel, serial)
    assert seen[-1] == (calls, calls) and [d for d, _ in seen] == list(range(1, calls + 1))
    assert result.mode == "generative" and all(p.mode == "generative" for pts in result.cells.values() for p in pts)


def test_cells_not_written_within_the_budget_stay_extractive_and_are_marked(sample_assistant, server):
    from assistant.exports.markdown import comparison_markdown

    llm = _llm(sample_assistant, server, llm_concurrency=2, llm_budget=1.5)
    server.default = {"text": "该地区有相关做法[1]。", "delay": 1.0}
    started = time.perf_counter()
    result = llm.compare([TIANQIAO, SUIBIN])
    assert time.perf_counter() - started < 12  # not the 9 × 1 s / 2 the model would need, and no hang
    modes = [p.mode for pts in result.cells.values() for p in pts]
    assert "generative" in modes and "extractive" in modes
    assert any("超出时间预算" in note and EXTRACT_MARK in note for note in result.notes)
    assert EXTRACT_MARK in comparison_markdown(result)


def test_a_reasoning_model_with_odd_markers_writes_clean_checked_cells(sample_assistant, server):
    llm = _llm(sample_assistant, server)
    server.default = {"text": "<think>先看资料，也许是9999件。</think>该地区收到行政复议申请【1】，并及时审结（来源：1）。",
                      "reasoning": "资料[1]提到行政复议。"}
    result = llm.compare([TIANQIAO, SUIBIN], topic="行政复议")
    texts = [p.text for pts in result.cells.values() for p in pts]
    assert texts and not any("think" in t or "9999" in t or "资料" in t for t in texts)
    assert all(p.citations for pts in result.cells.values() for p in pts)
    assert result.checks["flagged"] == 0


def test_a_refused_key_stops_the_other_calls(sample_assistant, server):
    llm = _llm(sample_assistant, server, llm_concurrency=1)
    server.fail(401, times=1)
    result = llm.compare([TIANQIAO, SUIBIN])
    assert len(server.requests) <= 2  # the first refusal cancels what was still queued (one may have started)
    assert any("401" in note for note in result.notes)
    modes = [p.mode for pts in result.cells.values() for p in pts]
    assert modes.count("generative") <= 1 and modes.count("extractive") >= len(modes) - 1


def test_llm_plan_rewrites_every_task_from_its_own_evidence(sample_assistant, server):
    llm = _llm(sample_assistant, server, llm_concurrency=4)
    server.default = {"text": "标题：加强行政执法协调监督\n内容：健全行政执法协调监督机制[1]。", "reasoning": "想一想。"}
    plan = llm.plan("绥滨县")
    offline = sample_assistant.plan("绥滨县")
    assert len(plan.tasks) == len(offline.tasks) and plan.timings["llm_calls"] == len(offline.tasks)
    assert all(t.mode == "generative" and t.text.startswith("健全行政执法协调监督机制") for t in plan.tasks)
    prompts = server.user_messages()
    assert all("【资料】" in p for p in prompts) and not any("想一想" in t.text for t in plan.tasks)
    assert [len(s.tasks) for s in plan.sections] == [len(s.tasks) for s in offline.sections]


def test_llm_summary_is_written_by_section_and_its_figures_checked(sample_assistant, server):
    llm = _llm(sample_assistant, server)
    server.default = {"text": "一、主要做法与成效\n社会矛盾纠纷化解\n全年收到行政复议申请84件[1]。\n二、特色亮点\n打造品牌[2]。\n"
                              "三、存在问题\n基层法治力量薄弱，人员少任务重[3]。\n四、下一步安排\n全年新增调解员7777名[1]。"}
    summary = llm.summarize([TIANQIAO])
    digest = summary.digests[0]
    assert summary.mode == "generative"
    assert [len(s.points) for s in digest.sections] == [1, 1, 1, 1]
    assert digest.sections[0].points[0].area == "社会矛盾纠纷化解"
    assert "未经来源核实" in digest.sections[3].points[0].text and summary.checks["flagged"] >= 1


def test_a_document_the_model_wrote_none_of_does_not_say_the_model_wrote_it(sample_assistant, server):
    from assistant.exports.markdown import comparison_markdown, plan_markdown
    from assistant.interfaces.web.document_html import comparison_html

    llm = _llm(sample_assistant, server, llm_max_retries=0, llm_concurrency=2)
    server.fail(500, times=200)
    result = llm.compare([TIANQIAO, SUIBIN])
    assert result.mode == "extractive" and result.model is None
    assert any("未能改写任何部分" in note and "500" in note for note in result.notes), result.notes
    for shown in (comparison_markdown(result), comparison_html(result)):
        assert "scripted-r1" not in shown and "概括" not in shown and EXTRACT_MARK not in shown
    assert result.mode_label() == "离线摘录"
    plan = llm.plan(SUIBIN)
    assert plan.mode == "extractive" and "scripted-r1" not in plan_markdown(plan)
    assert any("未能改写任何部分" in note for note in plan.notes)
