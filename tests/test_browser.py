"""The app as a 司法局 staffer uses it, in Debian's chromium (an English browser, on purpose) at 1366×768 and
on a 390×844 phone: first start, the chat with its citations, feedback, uploads and the library.
The drafting pages are in test_browser_documents.py.

Screenshots of every page at both widths are saved in test-artifacts/.
"""

from __future__ import annotations

import re
import shutil

import pytest

from .conftest import SAMPLE_COUNT, SAMPLES
from .webtools import (
    ANSWER_TIMEOUT_MS,
    DESKTOP,
    PHONE,
    ask,
    english_words,
    low_contrast,
    no_error_overlay,
    open_page,
    shot,
)

pytestmark = pytest.mark.browser


def test_first_start_serves_the_page_at_once_while_samples_import(app, browser):
    assert app.started_in_s < 30  # the import runs in the background
    page = open_page(browser, app.url, DESKTOP)
    banner = page.locator("#startup .banner")
    if len(app.reports()) < SAMPLE_COUNT:  # still importing: the page says so
        assert "正在导入示例报告" in banner.inner_text()
        shot(page, "startup-importing-desktop")
    page.get_by_role("tab", name="报告库").click()
    page.locator("#library-table").get_by_text("恶意区").wait_for(timeout=300_000)  # appears without a reload
    page.wait_for_function("() => !document.querySelector('#startup .banner')", timeout=120_000)
    assert len(page.locator("#library-rows tbody tr").all()) == SAMPLE_COUNT
    page.context.close()


def test_the_page_is_chinese_for_an_english_browser(page):
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.request.get(page.url).text().count('lang="zh-CN"') == 1
    ask(page, "天桥区2022年共收到多少件行政复议申请？")
    for tab in ("问答", "报告库", "对比", "计划", "设置"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(600)
        assert english_words(page) == [], tab
        assert low_contrast(page) == [], tab
        shot(page, f"page-{tab}-{page.width_name}")
    assert no_error_overlay(page)


def test_a_long_list_of_sources_stays_in_the_phone_sheet(page):
    if page.width_name != "phone":
        pytest.skip("the sheet is the phone's evidence panel")
    ask(page, "法律援助办了多少件？")  # one answer per report: several long paragraphs
    page.get_by_role("button", name="查看引用原文").tap()
    sheet = page.locator("#chat-evidence.open")
    sheet.wait_for()
    page.wait_for_timeout(400)
    for card in page.locator("#chat-evidence .ev-card").all()[:3]:
        box = card.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]  # below each other, not wrapped off-screen
    sheet.get_by_role("button", name="返回").tap()


def test_answer_cites_with_a_preview_and_the_evidence_names_region_and_year(page):
    ask(page, "天桥区2022年共收到多少件行政复议申请？")
    answer = page.locator("#chatbot .content").last.inner_text()
    assert "84" in answer and "[1]" in answer
    cite = page.locator("#chatbot a.cite").first
    assert page.evaluate("e => getComputedStyle(e).textDecorationLine", cite.element_handle()) == "underline"
    card = page.locator("#evidence .ev-card").first
    head = card.locator(".ev-head").text_content()  # (on a phone the evidence waits in a closed sheet)
    assert head.startswith("[1] 天桥区 2022年") and "004_6793ac9eb53e21ba" not in head  # the file name only in the detail
    if page.width_name == "desktop":
        cite.hover()
        pop = page.locator("#cite-pop.shown")
        pop.wait_for()
        assert "天桥区 2022年" in pop.inner_text() and "收到行政复议84件" in pop.locator("mark").inner_text()
        shot(page, "chat-preview-desktop", full=False)
        cite.click()
        assert page.locator("#evidence .ev-card.active mark").inner_text().startswith("2022年全区共收到行政复议84件")
        shot(page, "chat-desktop")
    else:
        y = page.evaluate("window.scrollY")
        cite.tap()
        pop = page.locator("#cite-pop.shown")
        pop.wait_for()
        assert "收到行政复议84件" in pop.inner_text()
        shot(page, "chat-preview-phone", full=False)
        pop.get_by_role("button", name="查看原文").tap()
        sheet = page.locator("#chat-evidence.open")
        sheet.wait_for()
        page.wait_for_timeout(400)
        box = sheet.bounding_box()
        assert box["y"] < PHONE["height"] / 2 and page.evaluate("window.scrollY") == y
        assert page.locator("#chat-evidence .ev-card.active").is_visible()
        card = page.locator("#chat-evidence .ev-card.active").bounding_box()
        assert 0 <= card["x"] and card["x"] + card["width"] <= PHONE["width"]  # in the sheet, not wrapped off-screen
        shot(page, "chat-evidence-sheet-phone", full=False)
        sheet.get_by_role("button", name="返回").tap()
        page.wait_for_function("() => !document.querySelector('#chat-evidence.open')")
        page.wait_for_timeout(400)  # the sheet slides away
        assert not page.locator("#chat-evidence .ev-card.active").is_visible()
        shot(page, "chat-phone", full=False)
    page.locator("#chatbot .answer-details summary").last.click()
    timing = page.locator("#chatbot .answer-details").last.inner_text()
    assert "关键词检索" in timing and "合计" in timing and "lexical" not in timing


def test_an_example_question_is_asked_with_one_click(browser, ready):
    page = open_page(browser, ready.url, DESKTOP)
    page.get_by_text("天桥区2022年共收到多少件行政复议申请？", exact=True).first.click()
    page.locator("#chatbot .answer-details").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "84" in page.locator("#chatbot").inner_text() and page.locator("#chatbot a.cite").count() >= 1
    page.close()


def test_an_empty_question_is_one_chinese_line_and_no_overlay(page):
    page.locator("#send").click()
    page.locator("#chat-notice .notice.error").get_by_text("请输入问题").wait_for()
    page.wait_for_timeout(500)
    assert no_error_overlay(page)
    assert page.locator("#chat-notice").inner_text().strip() == "请输入问题"
    shot(page, f"chat-empty-question-{page.width_name}", full=False)
    ask(page, "天桥区2022年共收到多少件行政复议申请？")  # the page keeps working, the line clears
    assert page.locator("#chat-notice .notice").count() == 0


def test_the_conversation_survives_a_reload_and_downloads_in_one_click(browser, ready):
    page = open_page(browser, ready.url, DESKTOP)
    ask(page, "绥滨县2024年共有多少件行政处罚案件？")
    page.reload()
    page.locator("#chatbot .answer-details").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "13575" in page.locator("#chatbot").inner_text()
    assert page.locator("#evidence .ev-card").count() >= 1
    with page.expect_download() as download:
        page.locator("#chat-download a.dl").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "绥滨县2024年共有多少件行政处罚案件？" in text and "13575" in text
    page.context.close()


def test_feedback_on_an_answer_is_stored_and_exported(browser, ready, tmp_path):
    page = open_page(browser, ready.url, DESKTOP)
    ask(page, "天桥区2022年共收到多少件行政复议申请？")
    page.locator("#chatbot button[aria-label='踩']").last.click()
    page.locator("#chat-notice").get_by_text("已记录评价").wait_for()
    page.locator("#feedback-note textarea").fill("应同时给出受理数")
    page.locator("#feedback-save").click()
    page.locator("#chat-notice").get_by_text("说明已保存").wait_for()
    page.get_by_role("tab", name="报告库").click()
    with page.expect_download() as download:
        page.locator("#feedback-export").click()
    from openpyxl import load_workbook

    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "用户", "评价", "备注")
    mine = [r for r in rows[1:] if r[3] == "应同时给出受理数"]
    assert mine and mine[0][2] == "👎 没用" and mine[0][4] == "天桥区2022年共收到多少件行政复议申请？" and "84" in mine[0][5]
    assert "天桥区" in mine[0][7]
    page.context.close()


def test_uploads_show_progress_and_detect_duplicates_versions_and_refusals(browser, ready, tmp_path):
    import docx

    page = open_page(browser, ready.url, DESKTOP)
    page.get_by_role("tab", name="报告库").click()
    gbk = tmp_path / "测试县2021年报告.txt"
    gbk.write_bytes("2021年,测试县深入推进法治政府建设。\n一、工作情况\n(一)行政复议。全年收到行政复议申请12件。\n".encode("gbk"))
    long = tmp_path / "长篇区2020年报告.txt"  # long enough (about 150,000 characters) to be seen importing on a busy machine
    long.write_text("2020年,长篇区法治政府建设情况如下。\n一、主要工作\n" + "".join(
        f"({i})第{i}项工作。本项工作共开展专项检查{i}次，覆盖执法单位{i + 3}个，整改问题{i * 2}个，形成制度文件{i}份。\n" for i in range(1, 2501)),
        encoding="utf-8")
    document = docx.Document()
    for line in ("2020年,样本区法治政府建设情况如下。", "一、主要工作", "(一)法律援助。办理法律援助案件33件。"):
        document.add_paragraph(line)
    docx_path = tmp_path / "样本区报告.docx"
    document.save(docx_path)
    fake = tmp_path / "setup.txt"
    fake.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 8)
    copy = tmp_path / "天桥区副本.txt"
    shutil.copy(SAMPLES / "004_6793ac9eb53e21ba.txt", copy)
    big = tmp_path / "超大报告.txt"
    big.write_text("2022年,某区法治政府建设。" * 70_000, encoding="utf-8")  # ≈ 1.8 MB, the limit is 1 MB
    page.locator("#upload input[type=file]").set_input_files([str(p) for p in (long, gbk, docx_path, fake, copy, big)])
    page.locator("#upload-button").click()
    page.locator("#upload-results .progress-line").get_by_text(re.compile(r"正在导入第 \d/\d 个文件：.*（\d+\.\d 秒）")).wait_for(
        timeout=ANSWER_TIMEOUT_MS)
    shot(page, "library-upload-progress-desktop", full=False)
    page.locator("#upload-rows").wait_for(timeout=ANSWER_TIMEOUT_MS * 2)
    page.locator("#upload-notice").get_by_text("处理完成").wait_for(timeout=ANSWER_TIMEOUT_MS * 2)
    text = page.locator("#upload-rows").inner_text()
    assert re.search(r"setup\.txt\s+失败", text)
    assert re.search(r"测试县2021年报告\.txt\s+已导入\s+测试县 2021年\s+\d+ 段 / \d+ 块", text)
    assert re.search(r"样本区报告\.docx\s+已导入\s+样本区 2020年", text)
    assert re.search(r"天桥区副本\.txt\s+重复，未导入.*已存在，与 天桥区 2022年", text, re.S)
    # a file over the limit is stopped in the page, named with the limit; the others go on
    assert "超大报告.txt" not in text
    assert re.search(r"超大报告\.txt：文件过大（\d+\.\d MB），超过上限 1 MB", page.locator("#upload-limit").inner_text())
    assert page.locator("#upload .file-preview, #upload table").count() == 0  # the picker is cleared
    assert not list((ready.data / "web" / "gradio").rglob("测试县2021年报告.txt"))  # and Gradio's copy is gone
    # the table is re-read after the import (an invented region is shown, marked 待确认)
    page.locator('#library-rows td[data-label="地区"]', has_text="长篇区").wait_for()
    library = page.locator("#library-table").inner_text()
    assert "测试县" in library and "样本区" in library and "processing" not in library
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, "library-desktop")
    # every report picker offers the new reports at once
    page.get_by_role("tab", name="对比").click()
    page.locator("#compare-reports input").click()
    assert page.get_by_role("option", name=re.compile("测试县 2021年")).count() == 1
    page.keyboard.press("Escape")
    # the same name with new content waits until the user says replace
    newer = tmp_path / "new" / "测试县2021年报告.txt"
    newer.parent.mkdir()
    newer.write_bytes("2021年,测试县深入推进法治政府建设。\n一、工作情况\n(一)行政复议。全年收到行政复议申请15件。\n".encode("gbk"))
    page.get_by_role("tab", name="报告库").click()
    page.locator("#upload input[type=file]").set_input_files([str(newer)])
    page.locator("#upload-button").click()
    page.locator("#upload-rows").get_by_text("新版本待确认").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#versions input").click()
    page.get_by_role("option", name=re.compile("测试县 2021年 的新版本")).click()
    page.locator("#version-accept").click()
    page.locator("#upload-notice").get_by_text("已用新版本替换").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.get_by_role("tab", name="问答").click()
    ask(page, "测试县2021年收到多少件行政复议申请？")
    assert "15件" in page.locator("#chatbot .content").last.inner_text()
    page.context.close()


def test_library_shows_and_corrects_every_field(page):
    page.get_by_role("tab", name="报告库").click()
    page.locator("#library-rows").wait_for()
    headers = page.locator("#library-rows thead th").all_inner_texts() if page.width_name == "desktop" else None
    if headers is not None:
        assert headers[:4] == ["地区", "工作年份", "计划年份", "级别"] and "省份" in headers and "文件类型" in headers and "发布日期" in headers
    page.locator("#edit-report input").click()
    page.get_by_role("option", name=re.compile("恶意区")).click()
    page.locator("#edit-region textarea").wait_for()
    page.wait_for_function("() => document.querySelector('#edit-region textarea').value === '恶意区'")
    page.locator("#edit-year textarea").fill("明年")
    page.locator("#edit-save").click()
    page.locator("#edit-notice .notice.error").get_by_text("年份应为四位数字").wait_for()
    values = {"region": "善意区", "year": "2022", "province": "山东省", "city": "济南市", "title": "善意区2022年法治政府建设报告",
              "published": "2023-02-01"}
    for field, value in values.items():
        page.locator(f"#edit-{field} textarea").fill(value)
    page.locator("#edit-level input").click()
    page.get_by_role("option", name="区", exact=True).click()
    page.locator("#edit-save").click()
    page.locator("#edit-notice .notice.ok").get_by_text("已更新").wait_for(timeout=ANSWER_TIMEOUT_MS)
    row = page.locator("#library-rows tbody tr", has_text="善意区").inner_text()
    for value in values.values():
        assert value in row
    shot(page, f"library-edit-{page.width_name}")
    page.reload()
    page.get_by_role("tab", name="报告库").click()
    page.locator("#library-table").get_by_text("善意区").first.wait_for()  # kept across a reload
    page.locator("#edit-report input").click()
    page.get_by_role("option", name=re.compile("善意区")).click()
    page.wait_for_function("() => document.querySelector('#edit-region textarea').value === '善意区'")
    page.locator("#edit-region textarea").fill("恶意区")
    page.locator("#edit-year textarea").fill("2023")
    page.locator("#edit-save").click()
    page.locator("#edit-notice .notice.ok").wait_for(timeout=ANSWER_TIMEOUT_MS)
    # A report whose region was inferred without confidence is confirmed by saving it as it stands
    # (the first of the two widths confirms it; the store is shared).
    if "待确认" not in page.locator("#library-rows tbody tr", has_text="绥滨县").inner_text():
        return
    page.locator("#edit-report input").click()
    # Chosen by the keyboard: the list opens below the last rows of the page, past the screen's edge.
    page.locator("#edit-report input").fill("绥滨县")
    page.get_by_role("option", name=re.compile("绥滨县")).wait_for()
    page.locator("#edit-report input").press("ArrowDown")
    page.locator("#edit-report input").press("Enter")
    page.wait_for_function("() => document.querySelector('#edit-region textarea').value === '绥滨县'")
    page.locator("#edit-save").click()
    page.locator("#edit-notice .notice.ok").get_by_text("已确认").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function("() => ![...document.querySelectorAll('#library-rows tbody tr')]"
                           ".some(r => r.innerText.includes('绥滨县') && r.innerText.includes('待确认'))")
