"""The app with an LLM configured (the scripted OpenAI-compatible server on 127.0.0.1), in chromium."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory):
    """The app started without any LLM setting, beside a scripted OpenAI-compatible server."""
    from .webtools import start_app

    server = FakeOpenAI().start()
    data = tmp_path_factory.mktemp("plain-app-data")
    env = {**os.environ, "RA_DATA_DIR": str(data), "RA_EMBEDDING_PROVIDER": "none"}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(SAMPLES / "004_6793ac9eb53e21ba.txt")],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    app = start_app(data, {"RA_EMBEDDING_PROVIDER": "none", "RA_SAMPLES_DIR": str(tmp_path_factory.mktemp("none"))})
    yield app, server
    app.stop()
    server.stop()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_llm_is_set_in_the_page_and_used_without_a_restart(plain_app, viewport):
    from playwright.sync_api import sync_playwright

    from .webtools import DESKTOP, PHONE, ask, english_words, open_page, shot

    app, server = plain_app
    secret = f"sk-page-secret-{viewport}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = open_page(browser, app.url, DESKTOP if viewport == "desktop" else PHONE)
        bodies = []  # every non-streamed response the page receives
        page.on("response", lambda r: bodies.append(r) if "event-stream" not in r.headers.get("content-type", "") else None)
        page.get_by_role("tab", name="设置").click()
        page.locator("#status-rows").wait_for()  # filled by the page's first event, with the form
        page.locator("#llm-preset input").click()
        page.get_by_role("option", name="其他 OpenAI 兼容服务（自填地址）").click()
        page.locator("#llm-base-url input, #llm-base-url textarea").first.fill(server.url)
        page.locator("#llm-model input, #llm-model textarea").first.fill(f"page-model-{viewport}")
        page.locator("#llm-key input").fill(secret)
        server.reply("好")
        page.locator("#test-llm").click()
        page.locator("#llm-result").get_by_text("连接成功").wait_for(timeout=ANSWER_TIMEOUT_MS)
        page.locator("#llm-save").click()
        page.locator("#llm-result").get_by_text(f"已保存并启用：大模型 page-model-{viewport}").wait_for(timeout=ANSWER_TIMEOUT_MS)
        key_box = page.locator("#llm-key input")
        assert key_box.input_value() == "" and "已保存" in key_box.get_attribute("placeholder")
        assert english_words(page) == []
        shot(page, f"settings-llm-{viewport}")
        saved = app.data / "llm_settings.json"
        assert saved.stat().st_mode & 0o777 == 0o600
        assert json.loads(saved.read_text(encoding="utf-8"))["llm_model"] == f"page-model-{viewport}"
        server.reply("天桥区2022年共收到行政复议申请84件。")
        page.get_by_role("tab", name="问答").click()
        ask(page, "天桥区2022年共收到多少件行政复议申请？")
        assert f"大模型 page-model-{viewport} 生成" in page.locator("#chatbot").text_content()
        page.reload()
        page.get_by_role("tab", name="设置").click()
        page.locator("#llm-result, #status-rows").first.wait_for()
        page.wait_for_function("() => document.querySelector('#llm-key input').placeholder.includes('已保存')")
        assert secret not in page.content()
        for response in bodies:
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                continue
            assert secret.encode() not in body, response.url
        browser.close()
    status = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(app.data), "status", "--json"], cwd=ROOT,
                            env={**os.environ, "RA_EMBEDDING_PROVIDER": "none"}, capture_output=True, text=True, timeout=120)
    assert json.loads(status.stdout)["llm_model"] == f"page-model-{viewport}"  # the CLI uses what the page saved
    assert secret not in status.stdout
