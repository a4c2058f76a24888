"""The drafting pages in Debian's chromium at 1366×768 and on a 390×844 phone: the comparison matrix, the
plan, report summaries, the settings page; and two sessions kept apart, report markup shown as text."""

from __future__ import annotations

import re

import pytest

from .webtools import (
    ANSWER_TIMEOUT_MS,
    DESKTOP,
    ask,
    english_words,
    low_contrast,
    open_page,
    shot,
)

pytestmark = pytest.mark.browser


def test_compare_matrix_uses_the_width_and_downloads_in_one_click(page, tmp_path):
    page.get_by_role("tab", name="对比").click()
    picker, topic = (page.locator(f"#{e}").bounding_box() for e in ("compare-reports", "compare-topic"))
    if page.width_name != "desktop":  # on a phone the fields stack: the topic box has the whole width
        assert topic["y"] >= picker["y"] + picker["height"] - 1 and topic["width"] > 0.8 * page.viewport_size["width"]
    page.locator("#compare-reports input").click()
    for label in ("天桥区", "绥滨县"):
        page.get_by_role("option", name=re.compile(label)).first.click()
    page.keyboard.press("Escape")
    page.locator("#compare-topic textarea, #compare-topic input").first.fill("行政复议")
    page.locator("#compare-run").click()
    matrix = page.locator("#matrix")
    matrix.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = matrix.text_content()  # on a phone the header row is hidden: each cell is labelled instead
    assert "天桥区（2022年）" in text and "绥滨县（2024年）" in text and "84" in text
    if page.width_name == "desktop":
        document = page.locator("#compare-document").bounding_box()
        assert document["width"] > 1100  # the matrix gets the page's width
        area = matrix.locator("tr").nth(1).locator("th").bounding_box()
        assert area["width"] >= 100  # the area column is readable
    else:
        cells = matrix.locator("td")
        assert page.evaluate("e => getComputedStyle(e).display", cells.first.element_handle()) == "block"
        assert cells.first.get_attribute("data-label") in ("天桥区（2022年）", "绥滨县（2024年）")
    matrix.locator("a.cite").first.scroll_into_view_if_needed()
    y = page.evaluate("window.scrollY")
    matrix.locator("a.cite").first.click()
    if page.width_name == "phone":
        page.locator("#cite-pop.shown").get_by_role("button", name="查看原文").tap()
    sheet = page.locator("#compare-evidence-col.open")
    sheet.wait_for()
    page.wait_for_timeout(400)
    assert page.evaluate("window.scrollY") == y  # a citation click does not move the page
    assert sheet.locator(".ev-card.active").is_visible()
    card = sheet.locator(".ev-card.active").bounding_box()
    assert 0 <= card["x"] and card["x"] + card["width"] <= page.viewport_size["width"]  # not wrapped off-screen
    back = sheet.get_by_role("button", name="返回").bounding_box()
    assert back["y"] >= 0 and back["x"] + back["width"] <= page.viewport_size["width"]  # the way back is in view
    shot(page, f"compare-evidence-{page.width_name}", full=False)
    sheet.get_by_role("button", name="返回").click()
    with page.expect_download() as download:
        page.locator("#compare-downloads a.dl", has_text="docx").click()
    import docx

    table = docx.Document(download.value.path()).tables[0]
    assert {c.text for c in table.rows[0].cells} == {"领域", "绥滨县（2024年）", "天桥区（2022年）"}
    assert download.value.suggested_filename in ("对比_绥滨县_天桥区.docx", "对比_天桥区_绥滨县.docx")  # says what it compares
    page.locator("#figure-chart img").wait_for(timeout=ANSWER_TIMEOUT_MS)
    with page.expect_download() as figures:
        page.locator("#figures-download a.dl").click()
    from openpyxl import load_workbook

    saved = tmp_path / figures.value.suggested_filename
    figures.value.save_as(saved)
    assert load_workbook(saved).active["A1"].value == "指标"
    indicators = {c.inner_text() for c in page.locator("#figures-rows td[data-label='指标']").all()}
    assert indicators == {page.locator("#figure-indicator input").input_value()}  # the chosen indicator's rows
    width = page.viewport_size["width"]
    for selector in ("#figures-download a.dl", "#compare-topic", "#figure-indicator"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector  # nothing runs past the edge
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, f"compare-{page.width_name}")


def test_plan_is_drafted_with_sources_and_downloads(page):
    page.get_by_role("tab", name="计划").click()
    page.locator("#plan-report input").click()
    page.get_by_role("option", name=re.compile("绥滨县")).click()
    year = page.locator("#plan-year textarea, #plan-year input").first
    year.fill("明年")
    page.locator("#plan-run").click()
    page.locator("#plan-notice .notice.error").get_by_text("年份应为四位数字").wait_for(timeout=ANSWER_TIMEOUT_MS)
    year.fill("")
    page.locator("#plan-run").click()
    draft = page.locator("#plan-document h3")
    draft.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert draft.inner_text() == "2025年绥滨县法治政府建设工作要点"
    assert page.locator("#plan-document a.cite").count() >= 3
    assert page.locator("#plan-notice .notice").count() == 0
    with page.expect_download() as download:
        page.locator("#plan-downloads a.dl", has_text="含依据").click()
    assert download.value.suggested_filename == "2025年绥滨县法治政府建设工作要点.docx"
    with page.expect_download() as clean:
        page.locator("#plan-downloads a.dl", has_text="正文").click()
    assert clean.value.suggested_filename == "2025年绥滨县法治政府建设工作要点（正文）.docx"
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, f"plan-{page.width_name}")


def test_library_summarises_a_report_with_its_sources_and_downloads(page):
    page.get_by_role("tab", name="报告库").click()
    page.locator("#summary-run").click()
    page.locator("#summary-notice .notice.error").get_by_text("请先选择要摘要的报告").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#summary-reports input").click()
    page.get_by_role("option", name=re.compile("天桥区")).click()
    page.keyboard.press("Escape")
    page.locator("#summary-run").click()
    title = page.locator("#summary-document h3").first
    title.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = page.locator("#summary-document").inner_text()
    assert "天桥区" in title.inner_text()
    assert all(part in text for part in ("存在问题", "下一步")) and "84" in text  # parts, and a figure that matters
    assert page.locator("#summary-document a.cite").count() >= 5
    with page.expect_download() as download:
        page.locator("#summary-downloads a.dl", has_text="docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, f"summary-{page.width_name}")


def test_settings_page_speaks_chinese_and_tests_the_connection(page):
    page.get_by_role("tab", name="设置").click()
    status = page.locator("#status-rows").inner_text()
    assert "报告" in status and "本机内置向量库" in status and "离线摘录" in status
    assert "/" not in status  # no internal path
    page.locator("#test-llm").click()
    page.locator("#llm-result .notice.error").get_by_text("连接失败：未配置").wait_for(timeout=ANSWER_TIMEOUT_MS)  # red, not green
    shot(page, f"settings-{page.width_name}")


def test_two_sessions_see_only_their_own_conversation(browser, ready):
    pages = [open_page(browser, ready.url, DESKTOP) for _ in range(2)]
    pages[0].locator("#question textarea").fill("天桥区2022年共收到多少件行政复议申请？")
    pages[1].locator("#question textarea").fill("绥滨县2024年共有多少件行政处罚案件？")
    pages[0].locator("#send").click()
    pages[1].locator("#send").click()
    for p in pages:
        p.locator("#chatbot .answer-details").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    first, second = (p.locator("#chatbot").inner_text() for p in pages)
    assert "天桥区" in first and "绥滨县" not in first
    assert "绥滨县" in second and "天桥区" not in second
    for p in pages:
        p.context.close()


def test_report_markup_is_shown_as_text_and_never_runs(browser, ready):
    page = open_page(browser, ready.url, DESKTOP)
    ask(page, "恶意区2023年共办理多少件防注入测试案件？")
    page.locator("#chatbot a.cite").first.click()
    card = page.locator("#evidence .ev-card.active")
    card.wait_for()
    text = card.inner_text()
    assert "<script>" in text and "onerror" in text and "{{constructor}}${value}" in text
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#evidence img").count() == 0 and page.locator("#chatbot img").count() == 0
    assert page.locator('a[href*="127.0.0.1:9"]').count() == 0
    page.context.close()
