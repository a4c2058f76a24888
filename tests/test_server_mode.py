"""RA_CHROMA_HOST switches the store to a real `chroma run` server with no other change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service import Assistant

from .conftest import ROOT, SAMPLES, make_settings
from .helpers import assert_consistent, free_port, wait_until_serving

STARTUP_TIMEOUT_S = 30


@pytest.fixture()
def chroma_process(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "chroma")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(port, proc, STARTUP_TIMEOUT_S, "chroma run")
    yield proc, port
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture()
def chroma_server(chroma_process):
    return chroma_process[1]


@pytest.mark.server
def test_store_works_against_a_chroma_server(tmp_path, chroma_server, monkeypatch):
    monkeypatch.setenv("RA_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("RA_CHROMA_PORT", str(chroma_server))
    settings = make_settings(tmp_path / "data")
    assert settings.chroma_host == "127.0.0.1"
    a = Assistant(settings)
    results = a.ingest([SAMPLES / "004_6793ac9eb53e21ba.txt", SAMPLES / "003_fb7ec0fd7d2f86b8.txt"])
    assert [r.status for r in results] == ["ok", "ok"]
    assert not (tmp_path / "data" / "chroma").exists()  # vectors went to the server, not to disk here
    assert a.store.vectors.count() == sum(r.chunks for r in results)
    assert_consistent(a)
    a.close()

    reopened = Assistant(make_settings(tmp_path / "data"))
    retrieval = reopened.retrieve("绥滨县2024年共有多少件行政处罚案件？")
    assert "dense" in retrieval.timings_ms
    assert retrieval.passages[0].report.name == "003_fb7ec0fd7d2f86b8.txt"
    assert "13575" in reopened.ask("绥滨县2024年共有多少件行政处罚案件？").answer


class _KillAfterFirstFile:
    """Progress hook that stops the Chroma server once the first file is in: the server lost mid-work."""

    def __init__(self, proc):
        self.proc = proc

    def file_started(self, path, index, total):
        pass

    def chunks_done(self, count):
        pass

    def file_finished(self, result):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.mark.server
def test_chroma_lost_mid_work_keeps_results_and_keyword_search_answers(tmp_path, chroma_process):
    proc, port = chroma_process
    a = Assistant(make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port))
    files = [SAMPLES / "004_6793ac9eb53e21ba.txt", SAMPLES / "003_fb7ec0fd7d2f86b8.txt", SAMPLES / "000_dbb2a4f5f1cee03e.txt"]
    results = a.ingest(files, _KillAfterFirstFile(proc))
    assert [r.status for r in results] == ["ok", "error", "error"]
    line = f"无法连接 Chroma 服务 127.0.0.1:{port}"
    assert all(r.reason.startswith(line) and "\n" not in r.reason for r in results[1:])
    assert [r.meta.name for r in a.library()] == ["004_6793ac9eb53e21ba.txt"]  # nothing half-written
    answer = a.ask("天桥区2022年共收到多少件行政复议申请？")
    assert "84" in answer.answer and any(line in n and "仅按关键词检索" in n for n in answer.notes)
    comparison = a.compare(None, "行政复议")  # built from the stored sentences: needs no vectors
    assert any(comparison.cells.values())
    plan = a.plan("004_6793ac9eb53e21ba.txt")  # no peers stored: nothing to search, the draft stands
    own = [c for c in plan.citations if c.report == "004_6793ac9eb53e21ba.txt"]
    assert len(plan.tasks) >= 5 and own and len(own) == len(plan.citations)  # all its evidence is its own


@pytest.mark.server
def test_cli_with_the_chroma_server_down_prints_one_line_and_still_answers(tmp_path, chroma_process):
    proc, port = chroma_process
    env = {**os.environ, "RA_CHROMA_HOST": "127.0.0.1", "RA_CHROMA_PORT": str(port), "RA_DATA_DIR": str(tmp_path / "data")}
    ingest = [sys.executable, "-m", "assistant", "ingest", "--json", str(SAMPLES / "004_6793ac9eb53e21ba.txt")]
    subprocess.run(ingest, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    proc.terminate()
    proc.wait(timeout=10)
    more = subprocess.run([*ingest[:-1], str(SAMPLES / "003_fb7ec0fd7d2f86b8.txt")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert more.returncode == 1 and "Traceback" not in more.stderr
    assert json.loads(more.stdout)[0]["reason"].startswith(f"无法连接 Chroma 服务 127.0.0.1:{port}")
    asked = subprocess.run([sys.executable, "-m", "assistant", "ask", "天桥区2022年共收到多少件行政复议申请？"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0 and "Traceback" not in asked.stderr
    assert "84" in asked.stdout and "仅按关键词检索" in asked.stdout


class _CountChunks:
    """Progress hook counting the chunks embedded."""

    def __init__(self):
        self.chunks = 0

    def file_started(self, path, index, total):
        pass

    def chunks_done(self, count):
        self.chunks += count

    def file_finished(self, result):
        pass


@pytest.mark.server
def test_a_server_down_before_any_file_fails_every_file_at_once_without_embedding(tmp_path):
    port = free_port()  # nothing listens there
    a = Assistant(make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port))
    counter = _CountChunks()
    results = a.ingest([SAMPLES], counter)
    assert [r.status for r in results] == ["error"] * 5
    assert all(r.reason.startswith(f"无法连接 Chroma 服务 127.0.0.1:{port}") for r in results)
    assert counter.chunks == 0  # no minutes of embedding for files that cannot be stored
    env = {**os.environ, "RA_CHROMA_HOST": "127.0.0.1", "RA_CHROMA_PORT": str(port), "COLUMNS": "200"}
    cli = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path / "cli"), "ingest", str(SAMPLES)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 1 and cli.stdout.count("无法连接 Chroma 服务") == 5
    assert "Could not connect" not in cli.stderr + cli.stdout and "Traceback" not in cli.stderr
