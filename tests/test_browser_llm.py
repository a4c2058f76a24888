"""The app with an LLM configured (the scripted OpenAI-compatible server on 127.0.0.1), in chromium."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLES
from .fake_openai import FakeOpenAI
from .helpers import free_port, wait_until_serving
from .webtools import ANSWER_TIMEOUT_MS, APP_START_TIMEOUT_S, ARGS, CHROMIUM

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory):
    server = FakeOpenAI().start()
    data = tmp_path_factory.mktemp("llm-app-data")
    env = {**os.environ, "RA_DATA_DIR": str(data), "RA_EMBEDDING_PROVIDER": "none", "RA_LLM_PROVIDER": "openai-compatible",
           "RA_LLM_BASE_URL": server.url, "RA_LLM_MODEL": "scripted-model", "RA_LLM_API_KEY": "sk-browser-secret",
           "RA_LLM_RETRY_BACKOFF": "0.01"}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(SAMPLES / "004_6793ac9eb53e21ba.txt")],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**env, "RA_PORT": str(port)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(url, proc, APP_START_TIMEOUT_S, "app.py")
    yield url, server
    proc.terminate()
    proc.wait(timeout=20)
    server.stop()


@pytest.fixture()
def page(llm_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(llm_app[0])
        page.locator("#question textarea").wait_for()
        page.outside_requests = outside
        yield page
        browser.close()


def test_generated_answer_streams_in_and_is_checked(page, llm_app):
    server = llm_app[1]
    server.reply("天桥区2022年共收到行政复议申请84件，受理71件。")  # no markers: the check attaches them
    page.locator("#question textarea").fill("天桥区2022年共收到多少件行政复议申请？")
    page.locator("#send").click()
    page.locator("#chatbot a.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = page.locator("#chatbot").text_content()
    assert "大模型 scripted-model 生成" in text and "修正 1" in text and "84" in text
    assert "sk-browser-secret" not in page.content()
    assert page.outside_requests == []


def test_provider_failure_is_one_line_and_the_offline_answer(page, llm_app):
    llm_app[1].fail(401)
    page.locator("#question textarea").fill("天桥区2022年共收到多少件行政复议申请？")
    page.locator("#send").click()
    page.locator("#chatbot a.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = page.locator("#chatbot").text_content()
    assert "未使用大模型" in text and "401" in text and "离线摘录模式" in text and "84" in text
