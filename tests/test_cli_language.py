"""The command line speaks Chinese everywhere a user reads: help screens, status, bench, bad settings,
and Ctrl-C at any moment (issue 20)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ingest.model import EDITABLE_FIELDS

from .conftest import ROOT, SAMPLES
from .helpers import english_words_in

COMMANDS = ["ingest", "ask", "chat", "reports", "feedback", "remove", "compare", "figures", "track", "plan", "summary", "reindex",
            "status", "check-llm", "eval", "bench", "worker", "migrate"]
# What a user types as it is: the program and command names.
TYPED = {"python", "assistant", "report", "check", "llm", *COMMANDS}


def run(data_dir, *args, env_extra=None, timeout=300):
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", "COLUMNS": "200", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout)


def test_every_help_screen_is_chinese(tmp_path):
    from typer.testing import CliRunner

    from assistant.interfaces.cli.common import chinese_panel_titles
    from assistant.interfaces.cli.main import app

    chinese_panel_titles()
    top = run(tmp_path, "--help")
    assert "显示本帮助并退出" in top.stdout and "用法：" in top.stdout
    assert english_words_in(top.stdout, TYPED) == [], top.stdout
    for command in COMMANDS:
        result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"}, prog_name="report-assistant")
        assert result.exit_code == 0, result.output
        assert "Show this message" not in result.output and "Usage" not in result.output
        # the field names `reports --set` takes (region=…, doc_type=…) are typed as they are
        allowed = TYPED | {part for name in EDITABLE_FIELDS for part in (name, *name.split("_"))} | {
                   "suites", "assistant", "evaluation", "samples", "reports", "stream", "provider", "model"}
        assert english_words_in(result.output, allowed) == [], (command, result.output)


def test_status_lines_are_chinese(tmp_path):
    result = run(tmp_path, "status")
    assert result.returncode == 0, result.stderr
    assert "报告：0 份" in result.stdout and "回答方式：离线摘录" in result.stdout
    assert "数据目录：" in result.stdout
    assert english_words_in(result.stdout) == [], result.stdout
    for key in ("llm_provider", "store", "data_dir"):
        assert f"{key}:" not in result.stdout


def test_bench_prints_its_figures_in_chinese(tmp_path):
    result = run(tmp_path, "bench", "--reports", "2", "--lexical-only", timeout=600)
    assert result.returncode == 0, result.stderr
    assert "压力测试" in result.stdout and "导入" in result.stdout and "前5段召回率" in result.stdout
    assert english_words_in(result.stdout) == [], result.stdout


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_setting_is_one_chinese_line_naming_the_variable(tmp_path, value):
    result = run(tmp_path, "ingest", str(SAMPLES), env_extra={"RA_UPLOAD_MAX_MB": value})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "RA_UPLOAD_MAX_MB" in lines[0] and "大于 0 的整数" in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "library.sqlite3").exists()  # nothing was started


def test_a_bad_setting_stops_the_app_with_the_same_line(tmp_path):
    env = {**os.environ, "RA_DATA_DIR": str(tmp_path), "RA_UPLOAD_MAX_MB": "abc", "RA_SAMPLES_DIR": "none"}
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "RA_UPLOAD_MAX_MB" in result.stderr and "大于 0 的整数" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("delay", [0.15, 0.4, 0.8, 3.0])
def test_ctrl_c_while_a_command_starts_or_works_is_one_chinese_line(tmp_path, delay):
    # importing the samples with the embedding model takes many seconds: the signal comes while the
    # command loads its libraries (the first delays) or while it embeds (the last)
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path), "ingest", str(SAMPLES)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip() == "已中断。", err


def test_ctrl_c_stops_the_app_in_chinese_while_it_starts_and_while_it_serves(tmp_path):
    from .helpers import free_port

    for wait_until_serving in (False, True):
        env = {**os.environ, "RA_DATA_DIR": str(tmp_path), "RA_SAMPLES_DIR": "none", "RA_PORT": str(free_port())}
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env=env)
        if wait_until_serving:
            line = proc.stdout.readline()
            assert "已启动" in line, line
            time.sleep(1)
        else:
            time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 130, out
        assert "Traceback" not in out and "Keyboard" not in out, out
        assert out.strip().endswith("应用已关闭。" if wait_until_serving else "应用未启动。"), out


def test_a_damaged_library_file_is_one_chinese_line(tmp_path):
    (tmp_path / "library.sqlite3").write_bytes(b"not a database " * 100)
    result = run(tmp_path, "reports")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "无法打开报告库" in result.stderr and "已损坏" in result.stderr
    assert english_words_in(result.stderr) == [], result.stderr


def test_ctrl_c_swallowed_by_a_library_while_loading_is_still_remembered():
    from assistant.interfaces import interrupt

    before = signal.getsignal(signal.SIGINT)
    interrupt._seen.clear()
    try:
        interrupt.watch()
        try:  # an optional import guarded by a bare except, as some libraries do
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
        except BaseException:  # noqa: B036
            pass
        assert interrupt.seen()
    finally:
        signal.signal(signal.SIGINT, before)
        interrupt._seen.clear()
