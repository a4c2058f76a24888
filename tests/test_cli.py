"""The command line: exit codes, JSON shapes, metadata corrections, removal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLES

TIANQIAO = SAMPLES / "004_6793ac9eb53e21ba.txt"


def run(data_dir, *args, env_extra=None):
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_ingest_exit_codes_and_summary(tmp_path):
    ok = run(tmp_path, "ingest", str(TIANQIAO))
    assert ok.returncode == 0, ok.stderr
    assert "天桥区" in ok.stdout and "已导入" in ok.stdout
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff" * 100)
    partly = run(tmp_path, "ingest", str(TIANQIAO), str(bad))
    assert partly.returncode == 1
    assert "未变化" in partly.stdout and "bad.txt" in partly.stdout and "失败" in partly.stdout
    usage = run(tmp_path, "ingest")
    assert usage.returncode == 2


def test_ask_json_shape(tmp_path):
    run(tmp_path, "ingest", str(SAMPLES))
    result = run(tmp_path, "ask", "天桥区2022年共收到多少件行政复议申请？", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["mode"] == "extractive" and answer["refused"] is False
    assert {"answer", "citations", "timings_ms"} <= set(answer)
    citation = answer["citations"][0]
    assert {"n", "report", "region", "year", "section", "paragraph_id", "text", "quote"} <= set(citation)
    assert "84" in citation["quote"]
    piped = run(tmp_path, "ask", "天桥区2022年共收到多少件行政复议申请？")  # no terminal: no bold to see
    assert f"【{citation['quote']}】" in piped.stdout.replace("\n", "")


def test_ask_filters_by_short_region_and_year_and_a_filter_matching_nothing_widens(tmp_path):
    run(tmp_path, "ingest", str(SAMPLES))
    short = json.loads(run(tmp_path, "ask", "法律援助办了多少件？", "--region", "天桥", "--year", "2022", "--json").stdout)
    assert not short["refused"] and {c["region"] for c in short["citations"]} == {"天桥区"} and "1984" in short["answer"]
    assert not any("筛选条件" in n for n in short["notes"])
    widened = json.loads(run(tmp_path, "ask", "法律援助办了多少件？", "--region", "长阳", "--json").stdout)
    assert not widened["refused"] and widened["citations"]
    assert any("筛选条件（长阳）" in n and "全部报告" in n for n in widened["notes"])


def test_reports_set_and_remove(tmp_path):
    run(tmp_path, "ingest", str(SAMPLES))
    listed = json.loads(run(tmp_path, "reports", "--json").stdout)
    assert len(listed) == 5 and {r["region"] for r in listed} >= {"老边区", "绥滨县"}
    changed = run(tmp_path, "reports", "--set", TIANQIAO.name, "region=历城区", "year=2021", "--json")
    assert changed.returncode == 0, changed.stderr
    row = next(r for r in json.loads(changed.stdout[changed.stdout.index("["):]) if r["name"] == TIANQIAO.name)
    assert (row["region"], row["year"], row["level"]) == ("历城区", 2021, "区")
    assert run(tmp_path, "reports", "--set", TIANQIAO.name, "colour").returncode == 2
    assert run(tmp_path, "reports", "--set", "nope.txt", "year=2020").returncode == 2
    assert run(tmp_path, "remove", TIANQIAO.name).returncode == 0
    assert len(json.loads(run(tmp_path, "reports", "--json").stdout)) == 4
    assert run(tmp_path, "remove", TIANQIAO.name).returncode == 2


@pytest.mark.slow
def test_eval_and_bench_commands_print_figures(tmp_path):
    out = tmp_path / "metrics.json"
    result = run(tmp_path, "eval", "--qa", str(ROOT / "tests" / "data" / "qa_dev.jsonl"), "--reports", str(SAMPLES), "--json", str(out))
    assert result.returncode == 0, result.stderr
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert {"recall_at_5", "recall_at_10", "mrr_at_10", "keyword_accuracy", "citation_precision", "refusal_accuracy",
            "latency_ms", "by_kind", "baseline_bm25"} <= set(metrics)
    assert set(metrics["by_kind"]) >= {"numeric", "multi", "unanswerable"}
    assert set(metrics["baseline_bm25"]) == {"recall_at_5", "recall_at_10", "mrr_at_10"}
    assert "纯 jieba BM25" in result.stdout
    bench_out = tmp_path / "bench.json"
    bench = run(tmp_path, "bench", "--reports", "10", "--lexical-only", "--json", str(bench_out))
    assert bench.returncode == 0, bench.stderr
    figures = json.loads(bench_out.read_text(encoding="utf-8"))
    assert figures["reports"] == 10 and figures["recall_at_5"] > 0.8 and figures["ingest_chars_per_s"] > 0


def test_ask_streams_from_an_llm_and_chat_follows_up(tmp_path):
    from .fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    try:
        run(tmp_path, "ingest", str(SAMPLES))
        env = {"RA_LLM_BASE_URL": server.url, "RA_LLM_MODEL": "scripted", "RA_LLM_API_KEY": "sk-secret-cli"}
        server.reply("天桥区2022年共收到行政复议84件[1]。")
        result = run(tmp_path, "ask", "天桥区2022年共收到多少件行政复议申请？", "--provider", "openai-compatible",
                     "--json", env_extra=env)
        answer = json.loads(result.stdout)
        assert answer["mode"] == "generative" and answer["model"] == "scripted"
        assert set(answer["checks"]) == {"verified", "repaired", "flagged"}
        assert "sk-secret-cli" not in result.stdout + result.stderr

        server.reply("天桥区2022年共收到行政复议84件[1]。")
        server.reply("绥滨县2024年共收到多少件行政复议申请？")
        server.reply("绥滨县2024年收到行政复议申请10件[1]。")
        env["RA_LLM_PROVIDER"] = "openai-compatible"
        chat = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path), "chat"],
                              input="天桥区2022年共收到多少件行政复议申请？\n那绥滨县呢？\n\n", cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "RA_EMBEDDING_PROVIDER": "none", **env}, timeout=300)
        assert chat.returncode == 0, chat.stderr
        assert "绥滨县2024年共收到多少件行政复议申请？" in chat.stdout  # the rewritten question is shown
        assert "10件" in chat.stdout
    finally:
        server.stop()


def test_rebuild_after_changing_the_embedding_model(tmp_path):
    assert run(tmp_path, "ingest", str(TIANQIAO)).returncode == 0  # lexical-only store (RA_EMBEDDING_PROVIDER=none)
    local = {"RA_EMBEDDING_PROVIDER": "local"}
    refused = run(tmp_path, "ingest", str(TIANQIAO), env_extra=local)
    said = "".join(refused.stderr.split())  # rich wraps the line
    assert refused.returncode == 2 and "用嵌入模型“none”建立" in said and "ingest--rebuild重新导入" in said
    rebuilt = run(tmp_path, "ingest", "--rebuild", str(TIANQIAO), env_extra=local)
    assert rebuilt.returncode == 0, rebuilt.stderr
    status = json.loads(run(tmp_path, "status", "--json", env_extra=local).stdout)
    assert status["embedding"].startswith("local:") and status["reports"] == 1


def test_reports_json_and_table_carry_the_metadata_fields_and_review_flags(tmp_path):
    fixtures = ROOT / "tests" / "fixtures" / "reports"
    ambiguous = tmp_path / "putuo.txt"
    ambiguous.write_text("2023年，普陀区持续推进法治政府建设。\n普陀区人民政府开展专项督察。\n", encoding="utf-8")
    assert run(tmp_path / "d", "ingest", str(fixtures / "fx02_b58d20.txt"), str(ambiguous)).returncode == 0
    rows = {r["name"]: r for r in json.loads(run(tmp_path / "d", "reports", "--json").stdout)}
    changyang = rows["fx02_b58d20.txt"]
    assert {k: changyang[k] for k in ("region", "level", "province", "city", "division_code", "doc_type", "year")} == {
        "region": "长阳土家族自治县", "level": "县", "province": "湖北省", "city": "宜昌市", "division_code": "420528",
        "doc_type": "法治政府建设年度报告", "year": 2020}
    assert "长阳县" in changyang["aliases"] and changyang["needs_review"] is False
    assert rows["putuo.txt"]["needs_review"] is True and "province" in rows["putuo.txt"]["uncertain"]
    table = run(tmp_path / "d", "reports", env_extra={"COLUMNS": "250"}).stdout
    assert "420528" in table and "待确认" in table
    fixed = run(tmp_path / "d", "reports", "--set", "putuo.txt", "region=普陀区", "province=上海市")
    assert fixed.returncode == 0, fixed.stderr
    putuo = {r["name"]: r for r in json.loads(run(tmp_path / "d", "reports", "--json").stdout)}["putuo.txt"]
    assert (putuo["city"], putuo["division_code"], putuo["needs_review"]) == ("上海市", "310107", False)


def test_a_paragraph_quoted_twice_is_listed_once_with_both_numbers_and_items_keep_their_dash():
    from rich.console import Console

    from assistant.answering.answer import Answer, Citation
    from assistant.interfaces.terminal import print_answer

    text = "一是统筹依法治区工作。二是健全执法监督体系。"
    cites = [Citation(1, "t.txt", "天桥区", 2022, "五、工作重点", "t.txt#p017", text, "一是统筹依法治区工作。", 0, 11),
             Citation(2, "t.txt", "天桥区", 2022, "五、工作重点", "t.txt#p017", text, "二是健全执法监督体系。", 11, 22)]
    item = "  - 二是健全执法监督体系" + "，持续推进" * 30 + "。[2]"
    console = Console(record=True, width=60)
    print_answer(console, Answer("问", f"- 天桥区（2022年）：\n  - 一是统筹依法治区工作。[1]\n{item}", "extractive", False, cites))
    out = console.export_text()
    assert out.count("统筹依法治区工作") == 2  # once in the answer, once in the sources
    assert "[1][2] 天桥区 2022年" in out
    assert "\n  - 二是健全执法监督体系" in out  # the terminal wraps it, not rich: the dash stays with its item


def test_a_command_that_exits_fast_has_stored_every_vector_it_wrote(tmp_path):
    """The CLI skips Python's last collection at exit: what `ingest` wrote must be in Chroma for the next process."""
    ok = run(tmp_path, "ingest", str(TIANQIAO), env_extra={"RA_EMBEDDING_PROVIDER": "local"})
    assert ok.returncode == 0, ok.stderr
    check = ("import chromadb, json, sqlite3, sys; from pathlib import Path; d = Path(sys.argv[1]);"
             "n = chromadb.PersistentClient(path=str(d / 'chroma')).get_collection('reports').count();"
             "m = sqlite3.connect(d / 'library.sqlite3').execute('select count(*) from chunks').fetchone()[0];"
             "print(json.dumps([n, m]))")
    counted = subprocess.run([sys.executable, "-c", check, str(tmp_path)], capture_output=True, text=True, timeout=120)
    vectors, chunks = json.loads(counted.stdout)
    assert vectors == chunks > 10
    answer = json.loads(run(tmp_path, "ask", "天桥区2022年共收到多少件行政复议申请？", "--json",
                            env_extra={"RA_EMBEDDING_PROVIDER": "local"}).stdout)
    assert "84" in answer["citations"][0]["quote"]


def test_help_is_in_chinese_with_chinese_panel_titles(tmp_path):
    top = run(tmp_path, "--help", env_extra={"COLUMNS": "100"})
    assert top.returncode == 0
    assert "命令" in top.stdout and "选项" in top.stdout and "Commands" not in top.stdout
    assert "根据报告回答问题" in top.stdout and "Answer a question" not in top.stdout
    ask = run(tmp_path, "ask", "--help", env_extra={"COLUMNS": "100"})
    assert "参数" in ask.stdout and "只查这些地区的报告" in ask.stdout


def test_usage_problems_are_one_chinese_line_and_exit_2(tmp_path):
    run(tmp_path, "ingest", str(TIANQIAO))
    empty = run(tmp_path, "ask", "  ")
    assert empty.returncode == 2 and "请输入问题" in empty.stderr and not empty.stdout.strip()
    text_only = run(tmp_path, "plan", "--report", "天桥区", "--text-only")
    assert text_only.returncode == 2 and "--out 文件名.docx" in text_only.stderr
    partial = run(tmp_path, "figures", "--indicator", "法律援助", "--json")  # one indicator holds the words
    assert partial.returncode == 0 and {f["indicator"] for f in json.loads(partial.stdout)} == {"法律援助案件"}
    ambiguous = run(tmp_path, "figures", "--indicator", "行政复议")
    assert ambiguous.returncode == 2 and "行政复议收案" in ambiguous.stderr
    unquoted = run(tmp_path, "ask", "天桥区", "法律援助")
    assert unquoted.returncode == 2 and "多余的参数：法律援助" in unquoted.stderr and "加引号" in unquoted.stderr
    assert "ask [选项]" in unquoted.stderr and "用法：" in unquoted.stderr and "Usage" not in unquoted.stderr
    typo = run(tmp_path, "askk", "问题")
    assert typo.returncode == 2 and "没有命令 'askk'" in typo.stderr and "'ask'" in typo.stderr
    odd = run(tmp_path, "compare", "--out", str(tmp_path / "table.pdf"))
    assert odd.returncode == 2 and "table.pdf：不支持这种文件格式" in odd.stderr and ".xlsx" in odd.stderr
    assert not (tmp_path / "table.pdf").exists()


@pytest.mark.parametrize("english, chinese", [
    ("Missing argument 'question'.", "缺少参数 question。"),
    ("Missing option '--report'.", "缺少选项 --report。"),
    ("No such option: --yaer (Possible options: --year)", "没有选项 --yaer。可用的选项：--year。"),
    ("Option '--out' requires an argument.", "选项 --out 需要一个值。"),
    ("Invalid value for '--year': Input should be a valid integer, unable to parse string", "--year 的值应为数字。"),
    ("Something Click may say one day.", "Something Click may say one day."),
])
def test_clicks_usage_messages_are_said_in_chinese_and_unknown_ones_as_written(english, chinese):
    from assistant.interfaces.cli.usage import chinese_message

    assert chinese_message(english) == chinese
