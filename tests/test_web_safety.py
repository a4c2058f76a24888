"""The app probed as an attacker would, over plain HTTP and in a browser: start-up refusal when exposed
without a login, login everywhere, viewers refused by every editing endpoint, nothing served but the
app's own files, exports only to their own session, and many questions at once right after a change."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT, SAMPLES
from .webtools import ARGS, CHROMIUM, DESKTOP, PHONE, ask, english_words, low_contrast, shot, start_app

pytestmark = pytest.mark.browser
TIANQIAO = "004_6793ac9eb53e21ba.txt"
SUIBIN = "003_fb7ec0fd7d2f86b8.txt"
EDITOR, VIEWER = ("zhang", "pw-editor"), ("li", "pw-viewer")
VIEWER_REFUSAL = "只读账号"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("safety-data")
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none"}
    subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data), "ingest", str(SAMPLES)], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    server = start_app(data, {"RA_EMBEDDING_PROVIDER": "none", "RA_AUTH": f"{EDITOR[0]}:{EDITOR[1]},{VIEWER[0]}:{VIEWER[1]}",
                              "RA_EDITORS": EDITOR[0], "RA_LLM_MODEL": "model-from-env",
                              "RA_SAMPLES_DIR": str(tmp_path_factory.mktemp("no-samples"))})
    yield server
    server.stop()


def client(app, who: tuple[str, str] | None = None) -> httpx.Client:
    c = httpx.Client(base_url=app.url.rstrip("/"), timeout=120)
    if who:
        assert c.post("/login", data={"username": who[0], "password": who[1]}).status_code == 200
    return c


def call(c: httpx.Client, api: str, data: list) -> list:
    """Call an event handler through Gradio's HTTP API; the outputs of its last update (a list)."""
    started = c.post(f"/gradio_api/call/{api}", json={"data": data})
    assert started.status_code == 200, started.text
    stream = c.get(f"/gradio_api/call/{api}/{started.json()['event_id']}").text
    final = [block for block in stream.split("\n\n") if block.startswith(("event: complete", "event: error"))][-1]
    return json.loads(final.split("data: ", 1)[1]) or []


def test_bound_beyond_loopback_without_a_login_the_app_refuses_to_start(tmp_path):
    for env in ({"RA_HOST": "0.0.0.0"}, {"RA_HOST": "192.168.10.5"}, {"RA_HOST": "127.0.0.1", "RA_AUTH": "no-colon"}):
        done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "RA_DATA_DIR": str(tmp_path), "RA_EMBEDDING_PROVIDER": "none", **env})
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "RA_AUTH" in lines[0] and "Traceback" not in done.stderr
        assert "已启动" not in done.stdout


def test_nothing_answers_without_a_login(app):
    anonymous = client(app)
    assert '"auth_required":true' in anonymous.get("/").text
    assert anonymous.post("/gradio_api/call/do_remove", json={"data": [TIANQIAO, True]}).status_code == 401
    assert anonymous.get(f"/gradio_api/file={app.data / 'library.sqlite3'}").status_code == 401
    assert not client(app).post("/login", data={"username": VIEWER[0], "password": "wrong"}).is_success
    assert TIANQIAO in app.reports()


def test_a_viewer_is_refused_by_every_editing_endpoint(app):
    viewer = client(app, VIEWER)
    before = app.reports()
    for api, data in (("do_remove", [TIANQIAO, True]), ("do_reindex", []), ("do_accept", [TIANQIAO]),
                      ("do_drop", [TIANQIAO]), ("save_llm", ["deepseek", "https://api.deepseek.com/v1", "x", "sk-1", False]),
                      ("do_test", ["deepseek", "https://api.deepseek.com/v1", "x", "sk-1", False])):
        outputs = call(viewer, api, data)
        assert VIEWER_REFUSAL in outputs[-1], api
    assert app.reports() == before
    assert not (app.data / "llm_settings.json").exists()
    # the same request from an editor goes through
    assert "已删除" in call(client(app, EDITOR), "do_remove", [SUIBIN, True])[-1]
    assert SUIBIN not in app.reports()


def test_no_file_is_served_but_the_apps_own(app):
    editor = client(app, EDITOR)
    outside = Path(tempfile.mkdtemp()) / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    web_cache = (app.data / "web" / "gradio").resolve()
    for path in (app.data / "library.sqlite3", Path("/etc/passwd"), outside, app.data / "web" / "browser-secret",
                 web_cache / ".." / ".." / "library.sqlite3", app.data / "uploads"):
        for url in (f"/gradio_api/file={path}", f"/gradio_api/file={str(path).replace('/', '%2F')}", f"/file={path}"):
            response = editor.get(url)
            assert response.status_code in (403, 404), (url, response.status_code)
            assert b"SQLite" not in response.content and b"root:" not in response.content


def test_exports_go_only_to_the_session_that_made_them(app, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = _logged_in(browser, app, EDITOR, DESKTOP)
        ask(page, "天桥区2022年共收到多少件行政复议申请？")
        href = page.locator("#chat-download a.dl").get_attribute("href")
        assert page.request.get(app.url + href).status == 200  # its own session fetches it
        # the same user in another browser (a second login) does not get it either
        other = _logged_in(browser, app, EDITOR, DESKTOP)
        assert other.request.get(app.url + href).status == 404
        browser.close()
    token = href.split("/")[1]
    assert client(app, EDITOR).get("/" + href).status_code == 404  # the same user, logged in from a script
    assert client(app, VIEWER).get("/" + href).status_code == 404  # another user
    assert client(app).get("/" + href).status_code in (401, 404)  # nobody
    assert client(app, EDITOR).get(f"/exports/{'x' * len(token)}/问答记录.md").status_code == 404  # a guessed token
    for name in ("..%2F..%2Flibrary.sqlite3", "..%2Fbrowser-secret", ".hidden"):
        assert client(app, EDITOR).get(f"/exports/{token}/{name}").status_code == 404


def _multipart(name: str, size: int) -> dict:
    return {"files": (name, "2022年,某区法治政府建设。".encode() + b"a" * max(0, size - 40), "text/plain")}


def test_only_an_editor_may_post_files_and_only_within_the_limit(app):
    cache = app.data / "web" / "gradio"
    before = {p for p in cache.rglob("*") if p.is_file()}
    viewer = client(app, VIEWER).post("/gradio_api/upload", files=_multipart("报告.txt", 1000))
    assert viewer.status_code == 403 and "只读账号" in viewer.text
    assert client(app).post("/gradio_api/upload", files=_multipart("报告.txt", 1000)).status_code in (401, 403)
    component = client(app, VIEWER).post("/gradio_api/component_server", files=_multipart("报告.txt", 1000))
    assert component.status_code == 403  # no other multipart route takes a viewer's file either
    assert {p for p in cache.rglob("*") if p.is_file()} == before  # nothing written
    editor = client(app, EDITOR)
    too_big = editor.post("/gradio_api/upload", files=_multipart("大.txt", 51 * 2**20))  # the limit is 50 MB
    assert too_big.status_code == 413 and "50 MB" in too_big.text
    assert {p for p in cache.rglob("*") if p.is_file()} == before
    fine = editor.post("/gradio_api/upload", files=_multipart("报告.txt", 1000))
    assert fine.status_code == 200 and fine.json()


def _logged_in(browser, app, who, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.goto(app.url)
    page.locator("input[type=password]").wait_for()
    page.locator("input[type=text]").first.fill(who[0])
    page.locator("input[type=password]").fill(who[1])
    page.keyboard.press("Enter")
    page.locator("#question textarea").wait_for(timeout=60_000)
    return page


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_viewer_sees_no_editing_controls_and_env_settings_are_locked(app, viewport):
    from playwright.sync_api import sync_playwright

    size = DESKTOP if viewport == "desktop" else PHONE
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        login = browser.new_context(viewport=size, locale="en-US").new_page()
        login.goto(app.url)
        login.locator("input[type=password]").wait_for()
        assert login.evaluate("document.documentElement.lang") == "zh-CN"
        assert "登录" in login.content()
        assert english_words(login) == [] and low_contrast(login) == []
        shot(login, f"login-{viewport}", full=False)
        viewer = _logged_in(browser, app, VIEWER, size)
        viewer.locator("#app-header").get_by_text("当前用户：li（只读）").wait_for()
        viewer.get_by_role("tab", name="报告库").click()
        viewer.get_by_text("当前为只读账号").first.wait_for()
        assert not viewer.locator("#upload-button").is_visible() and not viewer.locator("#edit-save").is_visible()
        shot(viewer, f"library-viewer-{viewport}")
        viewer.get_by_role("tab", name="设置").click()
        assert not viewer.locator("#llm-save").is_visible()
        editor = _logged_in(browser, app, EDITOR, size)
        editor.locator("#app-header").get_by_text("当前用户：zhang（可编辑）").wait_for()
        editor.get_by_role("tab", name="设置").click()
        editor.locator("#llm-locked").get_by_text("RA_LLM_MODEL").wait_for()
        model = editor.locator("#llm-model input, #llm-model textarea").first
        assert model.input_value() == "model-from-env" and model.is_disabled()
        assert "由环境变量 RA_LLM_MODEL 设定" in editor.locator("#llm-model").inner_text()
        shot(editor, f"settings-editor-{viewport}")
        browser.close()


def test_many_questions_at_once_right_after_a_change_all_answer(app):
    editor = client(app, EDITOR)
    assert call(editor, "do_reindex", [])[-1]  # a change to every report: the BM25 index must be rebuilt
    question = ["天桥区2022年共收到多少件行政复议申请？", [], [], [], []]

    def one(_):
        c = client(app, EDITOR)
        try:
            return call(c, "respond", question)
        finally:
            c.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(one, range(12)))
    for outputs in results:
        answer = outputs[0][-1]["content"][0]["text"]
        assert "84" in answer and "notice" not in (outputs[-1] or "")


@pytest.mark.server
def test_with_the_chroma_server_lost_the_app_answers_by_keywords_and_says_so(tmp_path):
    import shutil

    from .helpers import free_port, wait_until_serving

    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    server = subprocess.Popen([chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "chroma")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(port, server, 30, "chroma run")
    env = {"RA_CHROMA_HOST": "127.0.0.1", "RA_CHROMA_PORT": str(port), "RA_SAMPLES_DIR": str(tmp_path / "none")}
    subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path / "data"), "ingest", str(SAMPLES / TIANQIAO)],
                   cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, timeout=300)
    app = start_app(tmp_path / "data", env)
    try:
        server.terminate()
        server.wait(timeout=10)
        c = client(app)
        outputs = call(c, "respond", ["天桥区2022年共收到多少件行政复议申请？", [], [], [], []])
        answer = outputs[0][-1]["content"][0]["text"]
        assert "84" in answer and f"无法连接 Chroma 服务 127.0.0.1:{port}" in answer and "仅按关键词检索" in answer
        document = call(c, "do_compare", [[], "行政复议"])[0]  # built from the stored sentences: no vectors needed
        assert "84" in document and "无法连接" not in document
    finally:
        if server.poll() is None:
            server.kill()
        app.stop()
