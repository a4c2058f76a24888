"""Rough edges of daily use in the browser (issue 20), at 1366×768 and on a 390×844 phone: the library
page's messages and controls, 对比 / 计划 / 设置 on an empty library, and the phone chat. Screenshots go to
test-artifacts/ (daily-*.png)."""

from __future__ import annotations

import re
import time

import pytest

from .webtools import (
    ANSWER_TIMEOUT_MS,
    DESKTOP,
    PHONE,
    VIEWPORTS,
    ask,
    english_words,
    low_contrast,
    no_error_overlay,
    open_page,
    shot,
    start_app,
)

pytestmark = pytest.mark.browser
LINES_OF = """el => { const r = document.createRange(); r.selectNodeContents(el);
  const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top))); return tops.size; }"""


def _library(page):
    page.get_by_role("tab", name="报告库").click()
    page.locator("#library-rows").wait_for()


def test_file_names_stay_on_one_line_and_no_version_controls_show_while_none_waits(page):
    _library(page)
    assert not page.locator("#versions").is_visible() and not page.locator("#version-accept").is_visible()
    cells = page.locator("#library-rows td.file").all()
    assert cells
    most = 1 if page.width_name == "desktop" else 2
    for cell in cells:
        assert cell.evaluate(LINES_OF) <= most, cell.inner_text()
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, f"daily-library-{page.width_name}")


def test_a_failed_upload_is_red_and_an_oversized_file_is_stopped_in_chinese(page, ready, tmp_path):
    _library(page)
    broken = tmp_path / "损坏的报告.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    page.locator("#upload input[type=file]").set_input_files([str(broken)])
    page.locator("#upload-button").click()
    page.locator("#upload-notice .notice").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert page.locator("#upload-notice .notice.error").get_by_text("失败 1 个").count() == 1
    assert page.locator("#upload-notice .notice.ok").count() == 0
    assert not (ready.data / "uploads" / broken.name).exists()  # nothing left of a file that was not imported
    shot(page, f"daily-upload-failed-{page.width_name}", full=False)
    big = tmp_path / "超大.txt"
    big.write_text("2022年,某区法治政府建设。" * 50_000, encoding="utf-8")  # ≈ 1.7 MB, the limit is 1 MB
    page.locator("#upload input[type=file]").set_input_files([str(big)])
    page.locator("#upload-limit.error").get_by_text(re.compile(r"超大\.txt：文件过大（1\.\d MB），超过上限 1 MB")).wait_for()
    time.sleep(1)  # an upload Gradio started would have answered by now
    assert no_error_overlay(page) and english_words(page) == []
    shot(page, f"daily-upload-too-large-{page.width_name}", full=False)


def test_a_new_version_shows_its_controls_until_the_user_decides(browser, ready, tmp_path):
    page = open_page(browser, ready.url, DESKTOP)
    _library(page)
    newer = tmp_path / "evil.txt"  # the name of a stored report, other content
    newer.write_text("2023年,恶意区坚持依法行政。\n一、工作情况\n(一)网页安全。共办理防注入测试案件78件。\n", encoding="utf-8")
    page.locator("#upload input[type=file]").set_input_files([str(newer)])
    page.locator("#upload-button").click()
    page.locator("#upload-notice .notice.warn").get_by_text("新版本待确认 1 个").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#version-accept").wait_for(state="visible")
    shot(page, "daily-version-waiting-desktop", full=False)
    page.locator("#versions input").click()
    page.get_by_role("option", name=re.compile("的新版本")).click()
    page.locator("#version-drop").click()
    page.locator("#upload-notice").get_by_text("已放弃").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#version-accept").wait_for(state="hidden")
    page.context.close()


def test_a_deleted_report_leaves_the_correction_form_empty(browser, ready):
    page = open_page(browser, ready.url, DESKTOP)
    _library(page)
    page.locator("#edit-report input").click()
    page.get_by_role("option", name=re.compile("恶意区")).click()
    page.wait_for_function("() => document.querySelector('#edit-region textarea').value === '恶意区'")
    page.locator("#edit-confirm input").check()
    page.locator("#edit-remove").click()
    page.locator("#edit-notice").get_by_text("已删除 evil.txt").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('#edit-region textarea').value === ''")
    for field in ("region", "year", "province", "city", "title", "published", "author"):
        assert page.locator(f"#edit-{field} textarea").input_value() == "", field
    assert page.locator("#edit-report input").input_value() == ""
    page.locator("#edit-save").click()  # nothing chosen: saving says so instead of writing the old values back
    page.locator("#edit-notice .notice.error").get_by_text("请先选择报告").wait_for()
    shot(page, "daily-deleted-desktop", full=False)
    page.context.close()


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory):
    server = start_app(tmp_path_factory.mktemp("empty-data"), {"RA_SAMPLES_DIR": "none", "RA_EMBEDDING_PROVIDER": "none"})
    yield server
    server.stop()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_empty_library_is_said_on_compare_plan_and_settings_shows_its_test_result(browser, empty_app, width):
    page = open_page(browser, empty_app.url, VIEWPORTS[width])
    page.get_by_role("tab", name="对比").click()
    page.locator("#compare-run").click()
    page.locator("#compare-notice .notice.error").get_by_text("报告库为空").wait_for()
    time.sleep(2)  # the key figures' handler answers too: it must not clear the line
    assert "报告库为空，请先导入报告" in page.locator("#compare-notice").inner_text()
    shot(page, f"daily-compare-empty-{width}", full=False)
    page.get_by_role("tab", name="计划").click()
    page.locator("#plan-run").click()
    page.locator("#plan-notice .notice.error").get_by_text("报告库还是空的").wait_for()
    assert "请先在“报告库”页导入报告" in page.locator("#plan-notice").inner_text()
    shot(page, f"daily-plan-empty-{width}", full=False)
    page.get_by_role("tab", name="设置").click()
    page.locator("#test-llm").click()
    result = page.locator("#llm-result .notice")
    result.wait_for()
    time.sleep(0.5)
    box = result.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"] - 4, box  # wholly in view
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, f"daily-settings-test-{width}", full=False)
    page.context.close()


def test_phone_answers_use_the_width_and_nothing_covers_their_text(browser, app):
    app.wait_for_reports(5)  # (after the deletion above five remain, not the six `ready` waits for)
    page = open_page(browser, app.url, PHONE)
    ask(page, "各报告存在的问题有哪些？")
    answer = page.locator("#chatbot .content").last
    nested = answer.locator("ul ul li").first
    nested.wait_for()
    width, size = nested.evaluate("el => [el.getBoundingClientRect().width, parseFloat(getComputedStyle(el).fontSize)]")
    assert width / size >= 15, (width, size)  # characters a line in a list inside a list (12 before)
    shot(page, "daily-chat-lists-phone", full=False)
    time.sleep(1.5)  # the chat scrolls itself to the end while the answer settles
    placed = page.evaluate("""async () => {
      const wrap = document.querySelector('#chatbot .bubble-wrap');
      wrap.scrollTop = wrap.scrollTop - 400;
      await new Promise((done) => setTimeout(done, 600));
      const button = document.querySelector('#chatbot .scroll-down-button-container button');
      const bubble = [...document.querySelectorAll('#chatbot .message.bot')].pop();
      return button && [button.getBoundingClientRect().left, bubble.getBoundingClientRect().right];
    }""")
    assert placed, "the ↓ button did not appear once the chat was scrolled up"
    assert placed[0] >= placed[1] - 1, placed  # in its gutter, beside the answer, not over its text
    shot(page, "daily-chat-scrolled-phone", full=False)
    button = page.locator("#chatbot .scroll-down-button-container button")
    page.locator("#chatbot a.cite").first.click()
    page.locator("#cite-pop button").click()
    sheet = page.locator("#chat-evidence.open")
    sheet.wait_for()
    time.sleep(0.5)
    head = page.locator("#chat-evidence .block.sheet-head").bounding_box()
    first = page.locator("#chat-evidence .ev-turn.shown").first.bounding_box()
    assert first["y"] >= head["y"] + head["height"] - 1, (head, first)  # its first line whole, below the bar
    assert not button.is_visible()  # the chat's ↓ does not float over the sheet
    shot(page, "daily-chat-sheet-phone", full=False)
    page.context.close()
    desktop = open_page(browser, app.url, DESKTOP)
    ask(desktop, "各报告存在的问题有哪些？")
    shot(desktop, "daily-chat-lists-desktop", full=False)
    desktop.context.close()
