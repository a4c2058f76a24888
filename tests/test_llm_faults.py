"""A model that cannot be used is said in Chinese, with what went wrong (issue 20): a key that cannot be a
key, a server answering what no OpenAI client can read, a rate limit asking for a longer wait than the
answer may take. Against the scripted server on 127.0.0.1, through the real openai client."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config.settings import Settings
from assistant.llm.messages import user
from assistant.llm.providers import ProviderError, make_provider

from .conftest import ROOT, SAMPLES
from .fake_openai import FakeOpenAI


@pytest.fixture()
def server():
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


def _provider(tmp_path: Path, server, **extra):
    values = {"llm_provider": "openai-compatible", "llm_base_url": server.url, "llm_model": "scripted-model",
              "llm_api_key": "sk-test", "llm_max_retries": 2, "llm_timeout": 2.0, **extra}
    return make_provider(Settings(data_dir=tmp_path, **values))


@pytest.mark.parametrize("key", ["sk-…", "sk-密钥", "sk-abc def"])
def test_a_key_that_cannot_be_a_key_is_said_so_before_any_call(tmp_path, server, key):
    with pytest.raises(ProviderError) as caught:
        _provider(tmp_path, server, llm_api_key=key)
    assert "密钥无法使用" in caught.value.reason and "RA_LLM_API_KEY" in caught.value.reason
    assert key not in caught.value.reason and not server.requests


def test_the_readme_key_pasted_as_written_gives_a_chinese_line_in_the_cli(tmp_path):
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", "RA_LLM_PROVIDER": "openai-compatible",
           "RA_LLM_BASE_URL": "http://127.0.0.1:9/v1", "RA_LLM_MODEL": "deepseek-chat", "RA_LLM_API_KEY": "sk-…"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path), *args], cwd=ROOT,
                              capture_output=True, text=True, env=env, timeout=300)

    run("ingest", str(SAMPLES / "004_6793ac9eb53e21ba.txt"))
    result = run("ask", "天桥区2022年共收到多少件行政复议申请？")
    output = result.stdout + result.stderr
    assert "密钥无法使用" in output and "84" in output  # said why, and answered offline
    assert "UnicodeEncodeError" not in output and "Traceback" not in output
    checked = run("check-llm")
    assert checked.returncode != 0 and "密钥无法使用" in checked.stdout + checked.stderr


@pytest.mark.parametrize("kind, words", [("bytes", "无法读取"), ("json", "无法读取"), ("html", "没有返回任何内容"),
                                         ("shape", "缺少应有的内容")])
def test_a_server_answering_garbage_is_said_in_chinese(tmp_path, server, kind, words):
    provider = _provider(tmp_path, server, llm_max_retries=0)
    server.garbage(kind)
    with pytest.raises(ProviderError) as caught:
        provider.complete([user("你好")])
    reason = caught.value.reason
    assert words in reason and server.url in reason
    assert not any(name in reason for name in ("UnicodeDecodeError", "JSONDecodeError", "TypeError", "Error"))


def test_a_garbage_answer_falls_back_to_the_extractive_one_with_the_reason(sample_assistant, server):
    from assistant.config.settings import with_updates
    from assistant.service import Assistant

    settings = with_updates(sample_assistant.settings, llm_provider="openai-compatible", llm_base_url=server.url,
                            llm_model="scripted-model", llm_api_key="sk-test", llm_max_retries=0, llm_timeout=2.0)
    server.garbage("json")
    answer = Assistant(settings).ask("天桥区2022年共收到多少件行政复议申请？")
    assert answer.mode == "extractive" and "84" in answer.answer
    assert "无法读取" in answer.fallback_reason and "Error" not in answer.fallback_reason


def test_a_rate_limit_asking_for_longer_than_the_answer_may_take_is_said_at_once(tmp_path, server):
    provider = _provider(tmp_path, server, llm_total_timeout=3.0)
    server.fail(429, retry_after=20)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        provider.complete([user("你好")])
    assert time.monotonic() - started < 2.5  # not the 3 s watchdog, let alone the 20 s wait
    reason = caught.value.reason
    assert "限流（429）" in reason and "20 秒" in reason and "没有开始回答" not in reason


def test_a_rate_limit_that_outlasts_the_wait_is_not_called_a_timeout(tmp_path, server):
    # Retry-After within the total time, but the server limits again each time: the watchdog's line
    # names the rate limit, not a model that never answered.
    provider = _provider(tmp_path, server, llm_total_timeout=2.0)
    server.fail(429, times=3, retry_after=1.2)
    with pytest.raises(ProviderError) as caught:
        provider.complete([user("你好")])
    assert "限流（429）" in caught.value.reason and "没有开始回答" not in caught.value.reason
